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
		ys[i] = categories[n-1-i]
	}
	p.NominalY(ys...)
	p.X.Tick.Marker = NiceTicks{}
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	w := vg.Points(22) / vg.Length(max(len(series), 1))
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
		vals := make(plotter.Values, n)
		for i, v := range values[s] {
			vals[n-1-i] = v
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return nil, err
		}
		b.Horizontal = true
		c := Palette[s%len(Palette)]
		if s < len(colors) && colors[s] != nil {
			c = colors[s]
		}
		b.Color = c
		b.LineStyle.Width = 0
		// Series top to bottom within a category, centred on it.
		b.Offset = -(vg.Length(s) - vg.Length(len(series)-1)/2) * w
		p.Add(b)
		p.Legend.Add(series[s], b)
	}
	p.X.Min = 0
	if top > 0 {
		p.X.Max = top * 1.05
	}
	return p, nil
}
