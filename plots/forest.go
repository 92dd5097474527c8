package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars draws horizontal bars (labels top to bottom) with optional
// intervals; with intervals it is a forest plot with a line at zero.
func Bars(o Options, labels []string, values, lo, hi []float64) (*plot.Plot, error) {
	if lo == nil {
		return barChart(o, labels, values)
	}
	return Forest(o, labels, values, lo, hi, ForestStyle{Ref: 0})
}

func labelAxis(p *plot.Plot, labels []string) {
	n := len(labels)
	ys := make([]string, n)
	for i := range labels {
		ys[i] = labels[n-1-i] // first label on top
	}
	p.NominalY(ys...)
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	p.X.Tick.Marker = NiceTicks{}
}

func barChart(o Options, labels []string, values []float64) (*plot.Plot, error) {
	p := newPlot(o)
	labelAxis(p, labels)
	n := len(labels)
	vals := make(plotter.Values, n)
	for i := range values {
		vals[n-1-i] = values[i]
	}
	b, err := plotter.NewBarChart(vals, vg.Points(12))
	if err != nil {
		return nil, err
	}
	b.Horizontal = true
	b.Color = Palette[0]
	b.LineStyle.Width = 0
	p.Add(b)
	return p, nil
}

// ForestStyle sets a forest plot's reference line and legend names (empty
// names: no legend entry).
type ForestStyle struct {
	Ref                  float64 // x of the dashed reference line
	RefName              string  // legend name of the reference line
	ValueName, RangeName string  // legend names of the dots and the bars
}

// Forest draws one row per label (top to bottom): a bar from lo to hi and a
// dot at the value, with a dashed reference line at st.Ref.
func Forest(o Options, labels []string, values, lo, hi []float64, st ForestStyle) (*plot.Plot, error) {
	p := newPlot(o)
	labelAxis(p, labels)
	n := len(labels)
	ref, err := plotter.NewLine(plotter.XYs{{X: st.Ref, Y: -0.5}, {X: st.Ref, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, err
	}
	ref.Color = color.Gray{120}
	ref.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(ref)
	if st.RefName != "" {
		p.Legend.Add(st.RefName, ref)
	}
	pts := make(plotter.XYs, n)
	var seg *plotter.Line
	for i := range values {
		y := float64(n - 1 - i)
		pts[i] = plotter.XY{X: values[i], Y: y}
		if !math.IsNaN(lo[i]) && !math.IsNaN(hi[i]) {
			seg, err = plotter.NewLine(plotter.XYs{{X: lo[i], Y: y}, {X: hi[i], Y: y}})
			if err != nil {
				return nil, err
			}
			seg.Color = Palette[0]
			seg.Width = vg.Points(1.6)
			p.Add(seg)
		}
	}
	if seg != nil && st.RangeName != "" {
		p.Legend.Add(st.RangeName, seg)
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Color = Palette[1]
	sc.GlyphStyle.Radius = vg.Points(3)
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(sc)
	if st.ValueName != "" {
		p.Legend.Add(st.ValueName, sc)
	}
	return p, nil
}
