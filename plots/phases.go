package plots

import (
	"image/color"
	"time"

	"github.com/parley-sim/parley/internal/palette"
	"gonum.org/v1/plot"
)

// Stack is a stacked-area input: Shares[k][i] is layer k's share at date i.
type Stack struct {
	Dates  []time.Time
	Names  []string
	Shares [][]float64
}

// Occupancy draws a stacked area of shares over time.
func Occupancy(o Options, s Stack) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker = DateTicks{}
	p.Y.Min, p.Y.Max = 0, 1
	xs := dateXs(s.Dates)
	lower := make([]float64, len(xs))
	colours := []color.Color{color.RGBA{200, 200, 200, 255}, Palette[5], Palette[0], Palette[2], Palette[1]}
	for k, name := range s.Names {
		c := colours[k%len(colours)]
		if _, ok := palette.Hex[name]; ok {
			c = palette.Color(name) // a phase: the colour it has everywhere
		}
		upper := make([]float64, len(xs))
		for i := range xs {
			upper[i] = lower[i] + s.Shares[k][i]
		}
		// step shape: each period is flat
		var bx, blo, bhi []float64
		for i := range xs {
			end := xs[i]
			if i+1 < len(xs) {
				end = xs[i+1]
			} else if i > 0 {
				end = xs[i] + (xs[i] - xs[i-1])
			}
			bx = append(bx, xs[i], end)
			blo = append(blo, lower[i], lower[i])
			bhi = append(bhi, upper[i], upper[i])
		}
		poly, err := band(bx, blo, bhi, c)
		if err != nil {
			return nil, err
		}
		if poly != nil {
			p.Add(poly)
			p.Legend.Add(name, poly)
		}
		lower = upper
	}
	return p, nil
}
