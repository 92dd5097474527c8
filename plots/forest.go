package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

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

// LabelWrap is the width in characters beyond which a row label of a
// forest or bar chart is wrapped (see Wrap).
const LabelWrap = 56

// labelAxis names the rows of a horizontal chart, the first on top.
func labelAxis(p *plot.Plot, labels []string) {
	n := len(labels)
	ys := make([]string, n)
	for i := range labels {
		ys[i] = Wrap(labels[n-1-i], LabelWrap) // first label on top
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
	ref, err := addRefLine(p, st.Ref, n)
	if err != nil {
		return nil, err
	}
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
	padRange(p, st.Ref, values, lo, hi)
	return p, nil
}

// padRange sets p's x range to cover the reference and every finite value
// and interval end, with 5% of the span as padding on either side so no
// interval ends on the frame.
func padRange(p *plot.Plot, ref float64, vss ...[]float64) {
	lo, hi := ref, ref
	for _, vs := range vss {
		for _, v := range vs {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	pad := 0.05 * (hi - lo)
	if pad == 0 {
		pad = 0.5
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
}

// ForestSeries is one series of a grouped forest plot: per row a value
// (a dot) and an interval from Lo to Hi (a bar); NaN leaves it out of
// that row.
type ForestSeries struct {
	Name           string
	Values, Lo, Hi []float64
	Color          color.Color      // nil: the palette's next colour
	Shape          draw.GlyphDrawer // nil: a circle
}

// legendWrap is the width in characters beyond which ForestGroups wraps a
// series name in the legend.
const legendWrap = 40

// Wrap breaks s into lines of at most n characters where it can: after a
// comma or a space, else before a dot; a part without such a place stays
// whole.
func Wrap(s string, n int) string {
	var lines []string
	for len([]rune(s)) > n {
		r := []rune(s)
		cut := -1
		for i := n; i > 0 && cut < 0; i-- {
			if r[i-1] == ',' || r[i-1] == ' ' {
				cut = i
			}
		}
		for i := n; i > 0 && cut < 0; i-- {
			if r[i] == '.' {
				cut = i
			}
		}
		if cut <= 0 {
			break
		}
		lines = append(lines, strings.TrimRight(string(r[:cut]), " "))
		s = strings.TrimLeft(string(r[cut:]), " ")
	}
	return strings.Join(append(lines, s), "\n")
}

// ForestGroups draws one row per label (top to bottom) and, within each
// row, one interval and dot per series, offset so they do not overlap, each
// series in its own colour and named in the legend (names longer than 40
// characters wrapped); a dashed reference line at st.Ref (named
// st.RefName in the legend when set). The x range covers every interval
// and the reference, with padding.
func ForestGroups(o Options, labels []string, series []ForestSeries, st ForestStyle) (*plot.Plot, error) {
	n := len(labels)
	for _, s := range series {
		if len(s.Values) != n || len(s.Lo) != n || len(s.Hi) != n {
			return nil, fmt.Errorf("plots: forest series %q has %d values, %d lower and %d upper ends for %d rows", s.Name, len(s.Values), len(s.Lo), len(s.Hi), n)
		}
	}
	p := newPlot(o)
	labelAxis(p, labels)
	ref, err := addRefLine(p, st.Ref, n)
	if err != nil {
		return nil, err
	}
	// Series top to bottom within a row, spread over at most 0.6 of it.
	m := len(series)
	gap := 0.0
	if m > 1 {
		gap = math.Min(0.6/float64(m-1), 0.3)
	}
	var all [][]float64
	for k, s := range series {
		c := Palette[k%len(Palette)]
		if s.Color != nil {
			c = s.Color
		}
		shape := s.Shape
		if shape == nil {
			shape = draw.CircleGlyph{}
		}
		off := (float64(m-1)/2 - float64(k)) * gap
		var pts plotter.XYs
		var seg *plotter.Line
		for i := range labels {
			y := float64(n-1-i) + off
			if !math.IsNaN(s.Lo[i]) && !math.IsNaN(s.Hi[i]) {
				seg, err = plotter.NewLine(plotter.XYs{{X: s.Lo[i], Y: y}, {X: s.Hi[i], Y: y}})
				if err != nil {
					return nil, err
				}
				seg.Color = c
				seg.Width = vg.Points(1.6)
				p.Add(seg)
			}
			if !math.IsNaN(s.Values[i]) {
				pts = append(pts, plotter.XY{X: s.Values[i], Y: y})
			}
		}
		var thumbs []plot.Thumbnailer
		if seg != nil {
			thumbs = append(thumbs, seg)
		}
		if len(pts) > 0 {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Color = c
			sc.GlyphStyle.Radius = vg.Points(2.8)
			sc.GlyphStyle.Shape = shape
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		if len(thumbs) > 0 && s.Name != "" {
			p.Legend.Add(Wrap(s.Name, legendWrap), thumbs...)
		}
		all = append(all, s.Values, s.Lo, s.Hi)
	}
	if st.RefName != "" {
		p.Legend.Add(st.RefName, ref)
	}
	padRange(p, st.Ref, all...)
	return p, nil
}

// addRefLine adds the dashed grey reference line at x across the n rows of
// a forest chart, and returns it for the caller's legend.
func addRefLine(p *plot.Plot, x float64, n int) (*plotter.Line, error) {
	ref, err := plotter.NewLine(plotter.XYs{{X: x, Y: -0.5}, {X: x, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, err
	}
	ref.Color = color.Gray{120}
	ref.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(ref)
	return ref, nil
}
