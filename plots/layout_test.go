package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// checkLayout checks what can be checked of a chart drawn at size o: its
// legend (if any) lies outside the data rectangle and inside the canvas;
// the title fits the width; labelled x ticks fit the canvas and do not
// overlap; row labels (a nominal y axis) fit the left margin and their
// rows' height; the data rectangle keeps at least 30% of the width.
func checkLayout(t *testing.T, name string, p *plot.Plot, o Options) {
	t.Helper()
	w, h := o.size()
	leg, data, ok := LegendRect(p, o)
	if ok {
		if leg.Min.X < data.Max.X && leg.Max.X > data.Min.X && leg.Min.Y < data.Max.Y && leg.Max.Y > data.Min.Y {
			t.Errorf("%s: legend %v overlaps the data %v", name, leg, data)
		}
		if leg.Min.X < 0 || leg.Max.X > w || leg.Min.Y < 0 || leg.Max.Y > h {
			t.Errorf("%s: legend %v is not inside the %v×%v canvas", name, leg, w, h)
		}
	}
	if data.Size().X < 0.3*w {
		t.Errorf("%s: the data take %v of the %v width", name, data.Size().X, w)
	}
	for _, line := range strings.Split(p.Title.Text, "\n") {
		if tw := p.Title.TextStyle.Width(line); tw > w-2*vg.Points(edgeMargin) {
			t.Errorf("%s: title line %q is %v wide on a %v canvas", name, line, tw, w)
		}
	}
	// x tick labels (a linear axis: where gonum puts them).
	xAt := func(v float64) vg.Length {
		return data.Min.X + vg.Length((v-p.X.Min)/(p.X.Max-p.X.Min))*data.Size().X
	}
	prevRight := vg.Length(math.Inf(-1))
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.Label == "" || tk.Value < p.X.Min || tk.Value > p.X.Max {
			continue
		}
		lw := p.X.Tick.Label.Width(tk.Label)
		l, r := xAt(tk.Value)-lw/2, xAt(tk.Value)+lw/2
		if l < 0 || r > w {
			t.Errorf("%s: x tick label %q spans %v–%v, outside the canvas width %v", name, tk.Label, l, r, w)
		}
		if l < prevRight {
			t.Errorf("%s: x tick label %q overlaps the one before", name, tk.Label)
		}
		prevRight = r
	}
	// Row labels of a nominal y axis.
	if ct, ok := p.Y.Tick.Marker.(plot.ConstantTicks); ok && len(ct) > 0 {
		rowH := data.Size().Y / vg.Length(p.Y.Max-p.Y.Min)
		for _, tk := range ct {
			lw := p.Y.Tick.Label.Width(tk.Label)
			if data.Min.X-lw < 0 {
				t.Errorf("%s: row label %q (%v) does not fit left of the data at %v", name, tk.Label, lw, data.Min.X)
			}
			if lh := p.Y.Tick.Label.Height(tk.Label); lh > rowH {
				t.Errorf("%s: row label %q is %v high, its row %v", name, tk.Label, lh, rowH)
			}
		}
	}
}

// labelled returns the labels of ticks inside [lo, hi].
func labelled(ts []plot.Tick, lo, hi float64) []string {
	var out []string
	for _, tk := range ts {
		if tk.Label != "" && tk.Value >= lo-1e-9 && tk.Value <= hi+1e-9 {
			out = append(out, tk.Label)
		}
	}
	return out
}

// isInt reports whether every label is a whole number.
func allInts(labels []string) bool {
	for _, l := range labels {
		var v int
		if _, err := fmt.Sscanf(l, "%d", &v); err != nil || fmt.Sprint(v) != l {
			return false
		}
	}
	return true
}

// TestDayTicks: whole days at analysts' steps, 4 to 7 labels, from the
// first multiple of the step.
func TestDayTicks(t *testing.T) {
	for _, c := range []struct {
		hi   float64
		step float64
	}{{40, 7}, {100, 30}, {200, 30}, {400, 60}, {550, 90}, {800, 180}, {1000, 180}, {2000, 365}, {3650, 730}} {
		ts := DayTicks{}.Ticks(0, c.hi)
		ls := labelled(ts, 0, c.hi)
		if len(ls) < 4 || len(ls) > 7 {
			t.Errorf("0–%v: %d labels %v, want 4–7", c.hi, len(ls), ls)
		}
		if !allInts(ls) {
			t.Errorf("0–%v: labels %v are not whole days", c.hi, ls)
		}
		if ls[0] != "0" || ls[1] != fmt.Sprint(c.step) {
			t.Errorf("0–%v: labels %v, want 0, %v, …", c.hi, ls, c.step)
		}
	}
}

// TestChartLayouts draws one chart of every kind at the size the commands
// draw it (the default 16 cm × 9 cm where they set none) and checks its layout;
// the kinds with integer axes have whole-number labels.
func TestChartLayouts(t *testing.T) {
	days := make([]time.Time, 29)
	for i := range days {
		days[i] = time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0)
	}
	ys := func(f func(i int) float64) []float64 {
		out := make([]float64, len(days))
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	longVariant := "rules.state_ends_ceasefire.tolerance=40, insurgent.patience=60"
	type chart struct {
		name string
		p    *plot.Plot
		err  error
		o    Options
	}
	var cs []chart
	add := func(name string, o Options, p *plot.Plot, err error) {
		cs = append(cs, chart{name, p, err, o})
	}

	o := Options{Title: "Attacks per month — ttp-2021", YLabel: "attacks (PICSS units)", Divider: days[14], DividerLabel: "history ends, forecast begins"}
	p, err := Fan(o, []Band{sampleBand()}, []Observed{{Date: days[3], Value: 24, Label: "observed (PICSS)"}})
	add("fan", o, p, err)
	b2 := sampleBand()
	b2.Name = Wrap(longVariant, 40)
	o = Options{Title: "Attacks per month: base and variants (median, 80% of runs)", YLabel: "attacks"}
	p, err = Fan(o, []Band{sampleBand(), b2}, nil)
	add("fan, variants", o, p, err)

	x := make([]float64, 551)
	y := make([]float64, len(x))
	for i := range x {
		x[i], y[i] = float64(i), math.Exp(-float64(i)/120)
	}
	o = Options{Title: "Ceasefire survival (Kaplan–Meier across runs)", XLabel: "days since the ceasefire began", YLabel: "share still holding"}
	p, err = Survival(o, []Curve{{Name: "2021-11-09 (scenario event)", X: x, Y: y}, {Name: Wrap(longVariant, 40), X: x, Y: y}})
	add("survival", o, p, err)
	if err == nil {
		if ls := labelled(p.X.Tick.Marker.Ticks(0, 550), 0, 550); !allInts(ls) || len(ls) < 4 || len(ls) > 8 {
			t.Errorf("survival: x labels %v, want 4–8 whole days", ls)
		}
	}

	o = Options{Title: "Phase occupancy (share of runs and days)", YLabel: "share"}
	half := ys(func(int) float64 { return 0.2 })
	p, err = Occupancy(o, Stack{Dates: days, Names: []string{"conflict", "talks", "ceasefire", "settlement", "operation"}, Shares: [][]float64{half, half, half, half, half}})
	add("phases", o, p, err)

	o = Options{Title: "Fighters (median, 80% band)", YLabel: "fighters"}
	f := ys(func(i int) float64 { return 5000 + 100*float64(i) })
	p, err = Lines(o, []Line{{Name: "TTP (members)", Dates: days, Y: f, Lo: f, Hi: f}, {Name: "splinters", Dates: days, Y: f}, {Name: "ISKP", Dates: days, Y: f}})
	add("fighters", o, p, err)
	o = Options{Title: "Leverage L[i → j] (mean across runs)", YLabel: "leverage (0–1)"}
	var lev []Line
	for _, n := range []string{"state → insurgent", "insurgent → state", "mediator → insurgent", "mediator → state", "rival → insurgent", "state → rival"} {
		lev = append(lev, Line{Name: n, Dates: days, Y: ys(func(i int) float64 { return float64(i) / 30 })})
	}
	p, err = Lines(o, lev)
	add("leverage", o, p, err)

	labels := []string{"ceasefire of 2021-11-09: days held (within the horizon)", "ceasefire of 2022-04-30: days held (within the horizon)", "days under a ceasefire", "attacks over the horizon"}
	o = Options{Title: "Simulated vs documented (documented = 1)\n18 of 25 targets; the other 7 in check-probabilities", XLabel: "simulated / documented (capped at 4)", Width: 24 * vg.Centimeter, Height: 6 * vg.Centimeter}
	p, err = Forest(o, labels, []float64{1, 2, 1.2, 0.8}, []float64{0.5, 1.5, 1, 0.6}, []float64{4, 3, 1.4, 1}, ForestStyle{Ref: 1, RefName: "documented value", ValueName: "simulated median", RangeName: "simulated 80% interval"})
	add("forest", o, p, err)
	if err == nil && !(p.X.Max > 4 && p.X.Min < 0.5) {
		t.Errorf("forest: x range %v–%v does not pad the intervals 0.5–4", p.X.Min, p.X.Max)
	}

	o = Options{Title: "Paired effects of each variant: mean difference, 95% interval", XLabel: "difference, % of the base mean", Width: 22 * vg.Centimeter, Height: 10 * vg.Centimeter}
	nan := math.NaN()
	p, err = ForestGroups(o, labels, []ForestSeries{
		{Name: "mediator.pressure=0.9", Values: []float64{23, 5, 3, nan}, Lo: []float64{16, 2, 1, nan}, Hi: []float64{30, 8, 5, nan}},
		{Name: longVariant, Values: []float64{-20, -26, -28, 1}, Lo: []float64{-30, -31, -32, 0}, Hi: []float64{-9, -20, -23, 2}},
	}, ForestStyle{RefName: "no effect"})
	add("effects", o, p, err)
	if err == nil && !(p.X.Max > 30 && p.X.Min < -32) {
		t.Errorf("effects: x range %v–%v does not cover every interval with padding", p.X.Min, p.X.Max)
	}

	o = Options{Title: "How the ceasefire of 2021-11-09 ended", XLabel: "% of runs", Width: 18 * vg.Centimeter, Height: 9 * vg.Centimeter}
	cats := []string{"violations beyond the state's tolerance", "the state walked out (concessions and its unmet demands cost more than the talks relieve)", "term ended, not extended"}
	p, err = GroupedBars(o, cats, []string{"ttp-2021 (base)", "mediator.pressure=0.9", longVariant}, [][]float64{{1, 0, 75}, {2, 1, 60}, {0, 1, 35}}, nil)
	add("causes", o, p, err)

	o = Options{Title: "Morris screening: p_hold_180", XLabel: "μ* (mean |elementary effect| per range)", Height: 7 * vg.Centimeter}
	p, err = Bars(o, []string{"mediator.pressure", "insurgent.factions.JuA.hardline", "insurgent.patience"}, []float64{0.1, 0.3, 0.05}, nil, nil)
	add("bars", o, p, err)

	var pts, best plotter.XYs
	for i := 0; i < 300; i++ {
		pts = append(pts, plotter.XY{X: float64(i), Y: 30 + 10*math.Sin(float64(i))})
		best = append(best, plotter.XY{X: float64(i), Y: 20})
	}
	o = Options{Title: "Calibration loss by evaluation", XLabel: "evaluation (ABC-SMC populations in turn)", YLabel: "loss (weighted NLL)"}
	p, err = Scatter(o, pts, best, "evaluation", "best so far")
	add("trace", o, p, err)
	o = Options{Title: "ABC posterior of rules.insurgent_extends.base", XLabel: "rules.insurgent_extends.base", YLabel: "share of draws", Width: 14 * vg.Centimeter, Height: 8 * vg.Centimeter}
	p, err = Histogram(o, []float64{-1, 0, 1, 2, 3}, []float64{1, 1.2, 1.4}, -2, 4, 1.2)
	add("posterior", o, p, err)
	o = Options{Title: "PRIM peeling: p_hold_180 >= 0.2", XLabel: "coverage", YLabel: "density"}
	p, err = Trajectory(o, []float64{1, 0.8, 0.5}, []float64{0.2, 0.4, 0.7}, 1)
	add("trajectory", o, p, err)

	o = Options{Title: "Reliability of central intervals", XLabel: "nominal coverage", YLabel: "observed coverage"}
	p, err = ReliabilityDiagram(o, []Reliability{{Name: "parley", Nominal: []float64{0.5, 0.8, 0.9}, Observed: []float64{0.4, 0.8, 1}, N: 30}, {Name: "climatology", Nominal: []float64{0.5, 0.8, 0.9}, Observed: []float64{0.5, 0.7, 0.9}, N: 30}})
	add("reliability", o, p, err)
	o = Options{Title: "Skill by horizon (CRPS skill score vs baselines)", XLabel: "horizon (months)", YLabel: "skill"}
	p, err = SkillByHorizon(o, []SkillSeries{{Name: "vs persistence", X: []float64{1, 2, 3, 6}, Y: []float64{0.1, 0.2, 0.3, 0.2}, Lo: []float64{0, 0.1, 0.1, 0}, Hi: []float64{0.2, 0.3, 0.5, 0.4}}})
	add("skill", o, p, err)
	if err == nil {
		if ls := labelled(p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max), p.X.Min, p.X.Max); !allInts(ls) {
			t.Errorf("skill: horizon labels %v are not whole months", ls)
		}
	}
	o = Options{Width: 11 * vg.Centimeter, Height: 7 * vg.Centimeter}
	pits, err := PITHistograms(o, []Hist{{Name: "parley", Values: []float64{0.1, 0.5, 0.9, 0.3}}}, 10)
	if err == nil {
		add("pit", o, pits[0], nil)
	} else {
		add("pit", o, nil, err)
	}

	for _, c := range cs {
		if c.err != nil {
			t.Errorf("%s: %v", c.name, c.err)
			continue
		}
		checkLayout(t, c.name, c.p, c.o)
	}
}

// TestPanelKeyNeedsFreeTile: a shared key is drawn in a free tile, and a
// grid without one is refused rather than dropping the key.
func TestPanelKeyNeedsFreeTile(t *testing.T) {
	p := plot.New()
	key := plot.NewLegend()
	dir := t.TempDir()
	if err := PanelWithKey(dir+"/full.png", Options{}, 1, 1, []*plot.Plot{p}, &key); err == nil {
		t.Error("a 1×1 grid with one chart and a key was accepted")
	}
	if err := PanelWithKey(dir+"/ok.png", Options{}, 1, 2, []*plot.Plot{p}, &key); err != nil {
		t.Errorf("a 1×2 grid with one chart and a key: %v", err)
	}
}
