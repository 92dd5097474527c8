// Package plots draws Parley's charts with gonum/plot: fan charts of
// Monte Carlo quantiles with observed data, Kaplan–Meier survival curves,
// stacked phase occupancy, lines with bands, and bar/forest charts. It
// takes plain inputs (no dependency on the simulation packages), so every
// command and the web page draw the same charts.
package plots

import (
	"image/color"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Options are a chart's texts and size. Zero sizes mean 16 cm × 9 cm.
type Options struct {
	Title, XLabel, YLabel string
	Width, Height         vg.Length
	// Divider, if set, draws a dashed vertical line on time charts at that
	// instant, named DividerLabel in the legend (e.g. where the documented
	// history ends and the forecast begins).
	Divider      time.Time
	DividerLabel string
}

func (o Options) size() (vg.Length, vg.Length) {
	w, h := o.Width, o.Height
	if w == 0 {
		w = 16 * vg.Centimeter
	}
	if h == 0 {
		h = 9 * vg.Centimeter
	}
	return w, h
}

// Palette is the Okabe–Ito colour-blind-safe palette.
var Palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // bluish green
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{204, 121, 167, 255}, // reddish purple
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{240, 228, 66, 255},  // yellow
	color.RGBA{0, 0, 0, 255},       // black
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), a}
}

var styleOnce sync.Once

// Style sets the package's look (Liberation Sans). It is called by every
// constructor; calling it yourself is harmless.
func Style() {
	styleOnce.Do(func() {
		plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	})
}

// newPlot makes a plot with the house style.
func newPlot(o Options) *plot.Plot {
	Style()
	p := plot.New()
	p.Title.Text = o.Title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = o.XLabel
	p.Y.Label.Text = o.YLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(10)
		a.Tick.Label.Font.Size = vg.Points(9)
		a.LineStyle.Color = color.Gray{110}
		a.Tick.LineStyle.Color = color.Gray{110}
	}
	p.Y.Tick.Marker = NiceTicks{}
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Legend.Padding = vg.Points(2)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{225}
	g.Horizontal.Color = color.Gray{225}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	return p
}
