package plots

import (
	"image/color"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band is a time series of quantiles across Monte Carlo runs.
type Band struct {
	Name                                    string      // legend label, e.g. "simulated"
	Dates                                   []time.Time // period starts
	Mean, P05, P10, P25, P50, P75, P90, P95 []float64   // one value per date
	Color                                   color.Color // nil: the palette's next colour
}

// Observed is a documented data point drawn over a fan chart.
type Observed struct {
	Date  time.Time
	Value float64
	Label string // legend label of the observed series
}

// Line is a time series with an optional band.
type Line struct {
	Name   string
	Dates  []time.Time
	Y      []float64
	Lo, Hi []float64   // optional band (nil for none)
	Color  color.Color // nil: the palette's next colour
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

func xys(dates []time.Time, ys []float64) plotter.XYs {
	out := make(plotter.XYs, 0, len(dates))
	for i, d := range dates {
		if i < len(ys) && !math.IsNaN(ys[i]) {
			out = append(out, plotter.XY{X: unix(d), Y: ys[i]})
		}
	}
	return out
}

// band returns a filled polygon between lo and hi.
func band(xs []float64, lo, hi []float64, c color.Color) (*plotter.Polygon, error) {
	var pts plotter.XYs
	for i := range xs {
		if !math.IsNaN(hi[i]) {
			pts = append(pts, plotter.XY{X: xs[i], Y: hi[i]})
		}
	}
	for i := len(xs) - 1; i >= 0; i-- {
		if !math.IsNaN(lo[i]) {
			pts = append(pts, plotter.XY{X: xs[i], Y: lo[i]})
		}
	}
	if len(pts) < 3 {
		return nil, nil
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	poly.Color = c
	poly.LineStyle.Width = 0
	return poly, nil
}

func dateXs(ds []time.Time) []float64 {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = unix(d)
	}
	return xs
}

// Fan draws quantile bands over time: one band in blue shades (5–95,
// 10–90, 25–75, median, dashed mean), or several overlaid, each in its own
// colour (10–90 band and median). Observed points are black dots.
func Fan(o Options, bands []Band, obs []Observed) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker = DateTicks{}
	p.Y.Min = 0
	top := 0.0
	for _, ob := range obs {
		top = math.Max(top, ob.Value)
	}
	for k, b := range bands {
		xs := dateXs(b.Dates)
		c := Palette[k%len(Palette)]
		if b.Color != nil {
			c = b.Color
		}
		hiOf := b.P95
		if len(bands) > 1 || hiOf == nil {
			hiOf = b.P90
		}
		for _, v := range hiOf {
			if !math.IsNaN(v) {
				top = math.Max(top, v)
			}
		}
		med, err := plotter.NewLine(xys(b.Dates, b.P50))
		if err != nil {
			return nil, err
		}
		med.Color = c
		med.Width = vg.Points(1.6)
		if len(bands) > 1 {
			// Several fans: the first (the base) filled, the others as
			// dashed 80% bounds, one legend entry per fan.
			thumbs := []plot.Thumbnailer{}
			if k == 0 && b.P10 != nil && b.P90 != nil {
				poly, err := band(xs, b.P10, b.P90, withAlpha(c, 60))
				if err != nil {
					return nil, err
				}
				if poly != nil {
					p.Add(poly)
					thumbs = append(thumbs, poly)
				}
			} else if b.P10 != nil && b.P90 != nil {
				for _, q := range [][]float64{b.P10, b.P90} {
					l, err := plotter.NewLine(xys(b.Dates, q))
					if err != nil {
						return nil, err
					}
					l.Color = c
					l.Width = vg.Points(0.9)
					l.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
					p.Add(l)
				}
			}
			p.Add(med)
			p.Legend.Add(b.Name, append(thumbs, med)...)
			continue
		}
		layers := []struct {
			lo, hi []float64
			a      uint8
			name   string
		}{{b.P05, b.P95, 40, "90% of runs"}, {b.P10, b.P90, 70, "80% of runs"}, {b.P25, b.P75, 110, "50% of runs"}}
		for _, l := range layers {
			if l.lo == nil || l.hi == nil {
				continue
			}
			poly, err := band(xs, l.lo, l.hi, withAlpha(c, l.a))
			if err != nil {
				return nil, err
			}
			if poly != nil {
				p.Add(poly)
				p.Legend.Add(l.name, poly)
			}
		}
		p.Add(med)
		p.Legend.Add(strings.TrimSpace(b.Name+" median"), med)
		if b.Mean != nil {
			mean, err := plotter.NewLine(xys(b.Dates, b.Mean))
			if err != nil {
				return nil, err
			}
			mean.Color = withAlpha(c, 200)
			mean.Width = vg.Points(1)
			mean.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
			p.Add(mean)
			p.Legend.Add("mean", mean)
		}
	}
	if top > 0 {
		p.Y.Max = top * 1.05
	}
	if len(obs) > 0 {
		pts := make(plotter.XYs, len(obs))
		for i, ob := range obs {
			pts[i] = plotter.XY{X: unix(ob.Date), Y: ob.Value}
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = color.Black
		sc.GlyphStyle.Radius = vg.Points(2.4)
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(sc)
		label := obs[0].Label
		if label == "" {
			label = "observed"
		}
		p.Legend.Add(label, sc)
	}
	if err := addDivider(p, o); err != nil {
		return nil, err
	}
	return p, nil
}

// addDivider draws o.Divider as a dashed vertical line over the y range.
func addDivider(p *plot.Plot, o Options) error {
	if o.Divider.IsZero() {
		return nil
	}
	x := unix(o.Divider)
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}})
	if err != nil {
		return err
	}
	l.Color = color.Gray{50}
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	if o.DividerLabel != "" {
		p.Legend.Add(o.DividerLabel, l)
	}
	return nil
}

// Lines draws several series with optional bands.
func Lines(o Options, lines []Line) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker = DateTicks{}
	p.Y.Min = 0
	for k, ln := range lines {
		c := Palette[k%len(Palette)]
		if ln.Color != nil {
			c = ln.Color
		}
		if ln.Lo != nil && ln.Hi != nil {
			poly, err := band(dateXs(ln.Dates), ln.Lo, ln.Hi, withAlpha(c, 55))
			if err != nil {
				return nil, err
			}
			if poly != nil {
				p.Add(poly)
			}
		}
		l, err := plotter.NewLine(xys(ln.Dates, ln.Y))
		if err != nil {
			return nil, err
		}
		l.Color = c
		l.Width = vg.Points(1.6)
		p.Add(l)
		p.Legend.Add(ln.Name, l)
	}
	return p, nil
}
