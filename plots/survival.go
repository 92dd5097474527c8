package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Curve is a step function such as a Kaplan–Meier survival curve.
type Curve struct {
	Name         string
	X, Y         []float64
	Lower, Upper []float64   // optional confidence band (nil for none)
	Color        color.Color // nil: the palette's next colour
}

// Survival draws step curves (e.g. Kaplan–Meier) with optional bands over
// days from 0, labelled with whole days (DayTicks).
func Survival(o Options, curves []Curve) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker = DayTicks{}
	p.X.Min = 0
	p.Y.Min, p.Y.Max = 0, 1.02
	for _, c := range curves {
		if len(c.Y) != len(c.X) || c.Lower != nil && len(c.Lower) != len(c.X) || c.Upper != nil && len(c.Upper) != len(c.X) {
			return nil, fmt.Errorf("plots: survival curve %q has %d x values but %d y, %d lower, %d upper", c.Name, len(c.X), len(c.Y), len(c.Lower), len(c.Upper))
		}
		for i, y := range c.Y {
			if !(y >= 0 && y <= 1) {
				return nil, fmt.Errorf("plots: survival curve %q: value %v at x=%v is outside [0, 1]", c.Name, y, c.X[i])
			}
		}
	}
	for k, c := range curves {
		col := Palette[k%len(Palette)]
		if c.Color != nil {
			col = c.Color
		}
		if c.Lower != nil && c.Upper != nil {
			// step-shaped band
			var xs, lo, hi []float64
			for i := range c.X {
				if i > 0 {
					xs, lo, hi = append(xs, c.X[i]), append(lo, c.Lower[i-1]), append(hi, c.Upper[i-1])
				}
				xs, lo, hi = append(xs, c.X[i]), append(lo, c.Lower[i]), append(hi, c.Upper[i])
			}
			poly, err := band(xs, lo, hi, withAlpha(col, 50))
			if err != nil {
				return nil, err
			}
			if poly != nil {
				p.Add(poly)
			}
		}
		pts := make(plotter.XYs, len(c.X))
		for i := range c.X {
			pts[i] = plotter.XY{X: c.X[i], Y: c.Y[i]}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.StepStyle = plotter.PostStep
		l.Color = col
		l.Width = vg.Points(1.6)
		p.Add(l)
		p.Legend.Add(c.Name, l)
	}
	return p, nil
}
