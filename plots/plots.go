// Package plots draws Parley's charts with gonum/plot: fan charts of
// Monte Carlo quantiles with observed data, Kaplan–Meier survival curves,
// stacked phase occupancy, lines with bands, and bar/forest charts. It
// takes plain inputs (no dependency on the simulation packages), so every
// command and the web page draw the same charts.
package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/parley-sim/parley/internal/atomicfile"
	"github.com/parley-sim/parley/internal/palette"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
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

// Curve is a step function such as a Kaplan–Meier survival curve.
type Curve struct {
	Name         string
	X, Y         []float64
	Lower, Upper []float64   // optional confidence band (nil for none)
	Color        color.Color // nil: the palette's next colour
}

// Stack is a stacked-area input: Shares[k][i] is layer k's share at date i.
type Stack struct {
	Dates  []time.Time
	Names  []string
	Shares [][]float64
}

// Line is a time series with an optional band.
type Line struct {
	Name   string
	Dates  []time.Time
	Y      []float64
	Lo, Hi []float64   // optional band (nil for none)
	Color  color.Color // nil: the palette's next colour
}

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

// NiceTicks places about five major ticks at 1-2-2.5-5 steps.
type NiceTicks struct{}

// NiceStep returns a 1-2-2.5-5 step giving at most 6 intervals over span.
func NiceStep(span float64) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// Ticks implements plot.Ticker.
func (NiceTicks) Ticks(lo, hi float64) []plot.Tick {
	step := NiceStep(hi - lo)
	var ts []plot.Tick
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ts = append(ts, plot.Tick{Value: v, Label: trimNum(v)})
		// minor ticks halfway
		if m := v + step/2; m < hi {
			ts = append(ts, plot.Tick{Value: m})
		}
	}
	return ts
}

func trimNum(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	if math.Abs(v) >= 10000 {
		return fmt.Sprintf("%.0fk", v/1000)
	}
	return s
}

// DateTicks labels a time axis (Unix seconds) with months, choosing a month
// step so there are at most eight labels.
type DateTicks struct{}

// Ticks implements plot.Ticker.
func (DateTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1
	step := 1
	for _, s := range []int{1, 2, 3, 4, 6, 12, 24, 60, 120} {
		step = s
		if months/s <= 6 {
			break
		}
	}
	if months <= 1 {
		// under a month: weekly day labels
		var ts []plot.Tick
		for d := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC); !d.After(b); d = d.AddDate(0, 0, 7) {
			ts = append(ts, plot.Tick{Value: float64(d.Unix()), Label: d.Format("2 Jan")})
		}
		return ts
	}
	start := time.Date(a.Year(), a.Month(), 1, 0, 0, 0, 0, time.UTC)
	if start.Before(a) {
		start = start.AddDate(0, 1, 0)
	}
	if step >= 12 {
		start = time.Date(start.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
		if a.Month() == 1 && a.Day() == 1 {
			start = a
		}
	} else if step > 1 {
		// align to calendar quarters/halves when possible
		for (int(start.Month())-1)%step != 0 {
			start = start.AddDate(0, 1, 0)
		}
	}
	var ts []plot.Tick
	for d := start; !d.After(b); d = d.AddDate(0, step, 0) {
		label := d.Format("Jan 2006")
		if step >= 12 {
			label = d.Format("2006")
		}
		ts = append(ts, plot.Tick{Value: float64(d.Unix()), Label: label})
	}
	return ts
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

// Survival draws step curves (e.g. Kaplan–Meier) with optional bands.
func Survival(o Options, curves []Curve) (*plot.Plot, error) {
	p := newPlot(o)
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

// asciiReplacer maps the non-ASCII characters our texts use to ASCII, for
// PDF output (gonum/plot v0.17 garbles them in PDF).
var asciiReplacer = strings.NewReplacer("–", "-", "—", "-", "→", "->", "≤", "<=", "≥", ">=", "×", "x", "·", ".", "…", "...", "’", "'")

// ASCII replaces non-ASCII characters with ASCII look-alikes, dropping any
// other non-ASCII rune.
func ASCII(s string) string {
	s = asciiReplacer.Replace(s)
	return strings.Map(func(r rune) rune {
		if r > 127 {
			return '?'
		}
		return r
	}, s)
}

// Save writes a plot to path; the format follows the extension (.png at
// 150 dpi, .svg, .pdf). The file appears complete or not at all.
func Save(p *plot.Plot, path string, o Options) error {
	w, h := o.size()
	ext := strings.ToLower(filepath.Ext(path))
	var canvas vg.CanvasWriterTo
	switch ext {
	case ".png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))}
	case ".svg":
		canvas = vgsvg.New(w, h)
	case ".pdf":
		p.Title.Text = ASCII(p.Title.Text)
		p.X.Label.Text = ASCII(p.X.Label.Text)
		p.Y.Label.Text = ASCII(p.Y.Label.Text)
		canvas = vgpdf.New(w, h)
	default:
		return fmt.Errorf("plots: unknown format %q (want .png, .svg or .pdf)", ext)
	}
	drawPlot(p, draw.New(canvas))
	return writeAtomic(path, canvas)
}

// legendGap is the space between the plotting area and the legend strip.
const legendGap = 6 // points

// drawPlot draws p into c with its legend in a strip right of the plotting
// area, aligned with its top, so a legend can never cover data. A plot
// without legend entries uses the whole canvas.
func drawPlot(p *plot.Plot, c draw.Canvas) {
	lg := p.Legend
	w := lg.Rectangle(c).Size().X
	if w <= 0 {
		p.Draw(c)
		return
	}
	// Text extents are measured a little short for some glyphs: keep a
	// margin at the right edge so the last letters are never clipped.
	w = w*1.04 + vg.Points(4)
	q := *p
	q.Legend = plot.Legend{TextStyle: lg.TextStyle, YPosition: lg.YPosition}
	strip := w + vg.Points(legendGap)
	q.Draw(draw.Crop(c, 0, -strip, 0, 0))
	top := c.Max.Y
	if p.Title.Text != "" {
		top -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
	}
	lc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Max.X - w, Y: c.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: top},
	}}
	lg.Top, lg.Left, lg.XOffs, lg.YOffs = true, true, 0, 0
	lg.Draw(lc)
}

// LegendRect returns where drawPlot puts p's legend and its plotting area
// (the data rectangle) when p is drawn into a canvas of the given size; for
// tests that check a legend never covers data. ok is false without legend.
func LegendRect(p *plot.Plot, o Options) (legend, data vg.Rectangle, ok bool) {
	w, h := o.size()
	c := draw.New(vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(72)))
	lw := p.Legend.Rectangle(c).Size().X
	if lw <= 0 {
		return legend, p.DataCanvas(c).Rectangle, false
	}
	lw = lw*1.04 + vg.Points(4)
	strip := lw + vg.Points(legendGap)
	q := *p
	data = q.DataCanvas(draw.Crop(c, 0, -strip, 0, 0)).Rectangle
	lr := p.Legend.Rectangle(c)
	legend = vg.Rectangle{Min: vg.Point{X: c.Max.X - lw, Y: c.Max.Y - lr.Size().Y}, Max: vg.Point{X: c.Max.X, Y: c.Max.Y}}
	return legend, data, true
}

func writeAtomic(path string, wt io.WriterTo) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := wt.WriteTo(w); return err }); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// Panel draws plots tiled in rows × cols into one PNG at 150 dpi.
func Panel(path string, o Options, rows, cols int, ps []*plot.Plot) error {
	w, h := o.size()
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	dc := draw.New(img)
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if i := r*cols + c; i < len(ps) {
				grid[r][c] = ps[i]
			}
		}
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(grid, tiles, dc)
	for r := range grid {
		for c := range grid[r] {
			if grid[r][c] != nil {
				drawPlot(grid[r][c], canvases[r][c])
			}
		}
	}
	return writeAtomic(path, vgimg.PngCanvas{Canvas: img})
}
