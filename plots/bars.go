package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// GroupedBars draws horizontal bars for categories (top to bottom), one
// bar per series in each category, e.g. the share of ceasefires each cause
// ended under a base and its variants. values[s][c] is series s's value for
// category c; colors (optional) gives each series its colour.
func GroupedBars(o Options, categories, series []string, values [][]float64, colors []color.Color) (*plot.Plot, error) {
	if len(values) != len(series) {
		return nil, fmt.Errorf("plots: %d series names for %d value rows", len(series), len(values))
	}
	p := newPlot(o)
	n := len(categories)
	ys := make([]string, n)
	for i := range categories {
		ys[i] = Wrap(categories[n-1-i], LabelWrap)
	}
	p.NominalY(ys...)
	p.X.Tick.Marker = NiceTicks{}
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	// Bars are drawn in data units, so a category's bars fill 0.8 of its
	// row whatever the chart's height and never reach into the next row.
	m := max(len(series), 1)
	w := 0.8 / float64(m)
	top := 0.0
	for _, vs := range values {
		for _, v := range vs {
			top = math.Max(top, v)
		}
	}
	for s := range series {
		if len(values[s]) != n {
			return nil, fmt.Errorf("plots: series %q has %d values for %d categories", series[s], len(values[s]), n)
		}
		c := Palette[s%len(Palette)]
		if s < len(colors) && colors[s] != nil {
			c = colors[s]
		}
		var thumb *plotter.Polygon
		for i, v := range values[s] {
			if math.IsNaN(v) {
				continue
			}
			// Series top to bottom within a category, centred on it.
			y1 := float64(n-1-i) + 0.4 - float64(s)*w
			pg, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y1}, {X: v, Y: y1}, {X: v, Y: y1 - w*0.92}, {X: 0, Y: y1 - w*0.92}})
			if err != nil {
				return nil, err
			}
			pg.Color = c
			pg.LineStyle.Width = 0
			p.Add(pg)
			thumb = pg
		}
		if thumb != nil {
			p.Legend.Add(Wrap(series[s], legendWrap), thumb)
		}
	}
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Min = 0
	if top > 0 {
		p.X.Max = top * 1.05
	}
	return p, nil
}
