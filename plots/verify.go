package plots

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Charts of forecast verification: PIT histograms, reliability diagrams,
// skill by horizon and fans from a forecast origin. Like every chart of the
// package, their legends are drawn beside the plotting area (see Save).

// Hist is a named sample of values in [0, 1] (e.g. PIT values).
type Hist struct {
	Name   string
	Values []float64
}

// PITHistograms draws one PIT histogram per forecaster as small multiples
// (a column of panels sharing the y scale is not needed: each panel shows
// density, and the dashed line at 1 is what a calibrated forecaster gives).
// It returns one plot per histogram, titled with its name.
func PITHistograms(o Options, hs []Hist, bins int) ([]*plot.Plot, error) {
	if bins < 1 {
		return nil, fmt.Errorf("plots: %d bins", bins)
	}
	top := 1.0
	dens := make([][]float64, len(hs))
	for k, h := range hs {
		dens[k] = make([]float64, bins)
		for _, v := range h.Values {
			b := min(max(int(v*float64(bins)), 0), bins-1)
			dens[k][b]++
		}
		for b := range dens[k] {
			dens[k][b] *= float64(bins) / math.Max(1, float64(len(h.Values)))
			top = math.Max(top, dens[k][b])
		}
	}
	var out []*plot.Plot
	for k, h := range hs {
		oo := o
		oo.Title = h.Name
		p := newPlot(oo)
		p.X.Tick.Marker = NiceTicks{}
		w := 1 / float64(bins)
		for b, d := range dens[k] {
			if d == 0 {
				continue
			}
			x0 := float64(b) * w
			pg, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: 0}, {X: x0 + w, Y: 0}, {X: x0 + w, Y: d}, {X: x0, Y: d}})
			if err != nil {
				return nil, err
			}
			pg.Color = withAlpha(Palette[k%len(Palette)], 190)
			pg.LineStyle.Color = color.White
			pg.LineStyle.Width = vg.Points(0.5)
			p.Add(pg)
		}
		ref, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 1}})
		if err != nil {
			return nil, err
		}
		ref.Color = color.Gray{60}
		ref.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(ref)
		p.X.Min, p.X.Max = 0, 1
		p.Y.Min, p.Y.Max = 0, top*1.08
		out = append(out, p)
	}
	return out, nil
}

// Reliability is one forecaster's observed coverage of its central
// intervals at nominal levels.
type Reliability struct {
	Name              string
	Nominal, Observed []float64
	N                 int // observations behind each point
}

// levelTicks labels nominal and observed coverage 0–1 in steps of 0.1 and
// nothing beyond 1 (the strip that holds the legend).
type levelTicks struct{}

// Ticks implements plot.Ticker.
func (levelTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for i := 0; i <= 10; i++ {
		v := float64(i) / 10
		if v < lo-1e-9 || v > math.Min(hi, 1)+1e-9 {
			continue
		}
		l := ""
		if i%2 == 0 {
			l = trimNum(v)
		}
		ts = append(ts, plot.Tick{Value: v, Label: l})
	}
	return ts
}

// ReliabilityDiagram draws observed against nominal coverage, one line per
// forecaster, with the diagonal a calibrated forecaster follows and a 90%
// binomial band around it for the first forecaster's number of
// observations (points inside it are within sampling noise).
func ReliabilityDiagram(o Options, rs []Reliability) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker, p.Y.Tick.Marker = levelTicks{}, levelTicks{}
	lo := 1.0
	for _, r := range rs {
		for _, v := range r.Nominal {
			lo = math.Min(lo, v)
		}
	}
	lo = math.Max(0, math.Floor(lo*10)/10-0.1)
	if len(rs) > 0 && rs[0].N > 0 {
		n := float64(rs[0].N)
		var up, dn plotter.XYs
		for i := 0; ; i++ {
			x := math.Min(1, lo+0.02*float64(i))
			s := 1.645 * math.Sqrt(x*(1-x)/n)
			up = append(up, plotter.XY{X: x, Y: math.Min(1, x+s)})
			dn = append(dn, plotter.XY{X: x, Y: math.Max(0, x-s)})
			if x == 1 {
				break
			}
		}
		for i := len(dn) - 1; i >= 0; i-- {
			up = append(up, dn[i])
		}
		pg, err := plotter.NewPolygon(up)
		if err != nil {
			return nil, err
		}
		pg.Color = color.Gray{232}
		pg.LineStyle.Width = 0
		p.Add(pg)
		p.Legend.Add(fmt.Sprintf("sampling noise (90%%, n=%d)", rs[0].N), pg)
	}
	diag, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: 1, Y: 1}})
	if err != nil {
		return nil, err
	}
	diag.Color = color.Gray{90}
	diag.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
	p.Add(diag)
	p.Legend.Add("calibrated", diag)
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}}
	for k, r := range rs {
		pts := make(plotter.XYs, len(r.Nominal))
		for i := range r.Nominal {
			pts[i] = plotter.XY{X: r.Nominal[i], Y: r.Observed[i]}
		}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		c := Palette[k%len(Palette)]
		l.Color, l.Width = c, vg.Points(1.4)
		s.Color, s.Radius, s.Shape = c, vg.Points(3), shapes[k%len(shapes)]
		p.Add(l, s)
		p.Legend.Add(r.Name, l, s)
	}
	p.X.Min, p.X.Max = lo, 1.0
	p.Y.Min, p.Y.Max = lo, 1.0
	return p, nil
}

// SkillSeries is a forecaster's skill at several horizons with intervals.
type SkillSeries struct {
	Name      string
	X         []float64 // horizons
	Y, Lo, Hi []float64
	Color     color.Color // nil: the palette's next colour
}

// intTicks labels whole numbers from 1 up to max, nothing beyond.
type intTicks struct{ max float64 }

// Ticks implements plot.Ticker.
func (t intTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for v := math.Ceil(lo); v <= math.Min(hi, t.max); v++ {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
	}
	return ts
}

// SkillByHorizon draws skill scores by horizon with their intervals, one
// series per baseline, slightly offset so intervals do not overlap, and a
// line at zero (no better than the baseline).
func SkillByHorizon(o Options, ss []SkillSeries) (*plot.Plot, error) {
	p := newPlot(o)
	maxX, minX := 1.0, math.Inf(1)
	ylo, yhi := 0.0, 0.0
	for _, s := range ss {
		for i, x := range s.X {
			maxX, minX = math.Max(maxX, x), math.Min(minX, x)
			for _, v := range []float64{s.Y[i], s.Lo[i], s.Hi[i]} {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
				}
			}
		}
	}
	if math.IsInf(minX, 1) {
		minX = 1
	}
	// Very negative skills (a baseline far better) would squash the rest:
	// clip the axis at −1 and say so in the tick label.
	ylo = math.Max(ylo, -1)
	pad := 0.08 * math.Max(yhi-ylo, 0.2)
	zero, err := plotter.NewLine(plotter.XYs{{X: minX - 0.5, Y: 0}, {X: maxX + 0.5, Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.Color = color.Gray{90}
	zero.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
	p.Add(zero)
	n := float64(len(ss))
	for k, s := range ss {
		c := Palette[k%len(Palette)]
		if s.Color != nil {
			c = s.Color
		}
		off := (float64(k) - (n-1)/2) * 0.12
		pts := make(plotter.XYs, len(s.X))
		for i, x := range s.X {
			pts[i] = plotter.XY{X: x + off, Y: math.Max(s.Y[i], ylo)}
			if !math.IsNaN(s.Lo[i]) && !math.IsNaN(s.Hi[i]) {
				seg, err := plotter.NewLine(plotter.XYs{{X: x + off, Y: math.Max(s.Lo[i], ylo)}, {X: x + off, Y: math.Max(s.Hi[i], ylo)}})
				if err != nil {
					return nil, err
				}
				seg.Color, seg.Width = c, vg.Points(1.4)
				p.Add(seg)
			}
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(3), draw.CircleGlyph{}
		p.Add(sc)
		p.Legend.Add(s.Name, sc)
	}
	p.X.Tick.Marker = intTicks{max: maxX}
	p.Y.Tick.Marker = NiceTicks{}
	p.X.Min, p.X.Max = minX-0.5, maxX+0.5
	p.Y.Min, p.Y.Max = ylo-pad, yhi+pad
	return p, nil
}

// OriginFan draws a fan chart of one forecast with a vertical line at its
// origin (the last day known to it) and the documented values as dots. It
// has no legend: it is drawn as one of many small multiples, explained by
// the key OriginFanKey gives (Panel draws it in a free tile).
func OriginFan(o Options, b Band, obs []Observed, origin time.Time) (*plot.Plot, error) {
	p, _, err := originFan(o, b, obs, origin)
	return p, err
}

// OriginFanKey is the legend of OriginFan's charts: the bands, the median,
// the documented values and the origin line.
func OriginFanKey(b Band, obs []Observed) (plot.Legend, error) {
	_, key, err := originFan(Options{}, b, obs, time.Time{})
	return key, err
}

func originFan(o Options, b Band, obs []Observed, origin time.Time) (*plot.Plot, plot.Legend, error) {
	p, err := Fan(o, []Band{b}, obs)
	if err != nil {
		return nil, plot.Legend{}, err
	}
	key := p.Legend
	p.Legend = plot.NewLegend()
	top := 0.0
	for _, v := range b.P95 {
		if !math.IsNaN(v) {
			top = math.Max(top, v)
		}
	}
	for _, ob := range obs {
		top = math.Max(top, ob.Value)
	}
	p.Y.Max = top * 1.08
	l, err := plotter.NewLine(plotter.XYs{{X: unix(origin), Y: 0}, {X: unix(origin), Y: p.Y.Max}})
	if err != nil {
		return nil, plot.Legend{}, err
	}
	l.Color = color.Gray{60}
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(l)
	key.Add("forecast origin (the months before it are known)", l)
	return p, key, nil
}
