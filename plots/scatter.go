package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scatter draws points (e.g. every evaluation of an objective) and, if
// given, a line through line (e.g. the best value so far).
func Scatter(o Options, pts, line plotter.XYs, ptsName, lineName string) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker = NiceTicks{}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Color = withAlpha(Palette[0], 150)
	sc.GlyphStyle.Radius = vg.Points(2)
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(sc)
	p.Legend.Add(ptsName, sc)
	if len(line) > 0 {
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, err
		}
		l.Color = Palette[1]
		l.Width = vg.Points(1.6)
		l.StepStyle = plotter.PostStep
		p.Add(l)
		p.Legend.Add(lineName, l)
	}
	return p, nil
}

// Histogram draws the distribution of sample over [lo, hi] in 20 bins as a
// share of draws, with the distribution of prior (if given) in grey
// behind it and a vertical line at mark (NaN for none).
func Histogram(o Options, prior, sample []float64, lo, hi, mark float64) (*plot.Plot, error) {
	if !(hi > lo) {
		return nil, fmt.Errorf("plots: histogram range %g to %g is empty", lo, hi)
	}
	const bins = 20
	p := newPlot(o)
	p.X.Tick.Marker = NiceTicks{}
	w := (hi - lo) / bins
	hist := func(xs []float64) plotter.XYs {
		counts := make([]float64, bins)
		for _, x := range xs {
			b := int((x - lo) / w)
			b = min(max(b, 0), bins-1)
			counts[b]++
		}
		var pts plotter.XYs
		for b, c := range counts {
			y := c / math.Max(1, float64(len(xs)))
			pts = append(pts, plotter.XY{X: lo + float64(b)*w, Y: y}, plotter.XY{X: lo + float64(b+1)*w, Y: y})
		}
		return pts
	}
	area := func(xs []float64, c color.Color, name string) error {
		if len(xs) == 0 {
			return nil
		}
		h := hist(xs)
		poly := append(plotter.XYs{{X: lo, Y: 0}}, h...)
		poly = append(poly, plotter.XY{X: hi, Y: 0})
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return err
		}
		pg.Color = c
		pg.LineStyle.Width = 0
		p.Add(pg)
		p.Legend.Add(name, pg)
		return nil
	}
	if err := area(prior, color.Gray{210}, "prior draws"); err != nil {
		return nil, err
	}
	if err := area(sample, withAlpha(Palette[0], 190), "accepted (posterior)"); err != nil {
		return nil, err
	}
	if !math.IsNaN(mark) {
		top := p.Y.Max
		l, err := plotter.NewLine(plotter.XYs{{X: mark, Y: 0}, {X: mark, Y: math.Max(top, 0.05)}})
		if err != nil {
			return nil, err
		}
		l.Color = Palette[1]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add("fitted", l)
	}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min = 0
	return p, nil
}
