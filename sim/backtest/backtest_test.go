package backtest

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
	"github.com/parley-sim/parley/sim/score"
)

func load(t testing.TB, name string) *scenario.Loaded {
	t.Helper()
	l, err := scenario.LoadFS(scenarios.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func date(t testing.TB, s string) sim.Date {
	t.Helper()
	d, err := sim.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseOriginsAndHorizons(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  string
	}{
		{"2021-12..2022-03", []string{"2021-12-01", "2022-01-01", "2022-02-01", "2022-03-01"}, ""},
		{"2022-04, 2021-12..2022-01,2022-04", []string{"2021-12-01", "2022-01-01", "2022-04-01"}, ""},
		{"2022-03..2022-01", nil, "backwards"},
		{"2022-13", nil, "not a month"},
		{"", nil, "none given"},
	} {
		got, err := ParseOrigins(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseOrigins(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("ParseOrigins(%q): %v", c.in, err)
		}
		var s []string
		for _, d := range got {
			s = append(s, d.String())
		}
		if !reflect.DeepEqual(s, c.want) {
			t.Errorf("ParseOrigins(%q) = %v, want %v", c.in, s, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want []int
		err  bool
	}{
		{"1,2,3,6", []int{1, 2, 3, 6}, false},
		{"6,1-3,2", []int{1, 2, 3, 6}, false},
		{"0", nil, true},
		{"3-1", nil, true},
		{"x", nil, true},
		{"121", nil, true},
	} {
		got, err := ParseHorizons(c.in)
		if (err != nil) != c.err || (!c.err && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("ParseHorizons(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.err)
		}
	}
}

// TestAtOriginKeepsOnlyWhatWasKnown: events after the origin are dropped;
// a ceasefire still holding at the origin keeps only its lower bound; later
// months and estimates are unseen.
func TestAtOriginKeepsOnlyWhatWasKnown(t *testing.T) {
	l := load(t, "ttp-2021.toml")
	last := date(t, "2021-11-30")
	sc, obs := AtOrigin(l.Scenario, l.Observed, last, date(t, "2022-06-30"))
	if sc.End != date(t, "2022-06-30") {
		t.Errorf("end = %s, want 2022-06-30", sc.End)
	}
	if len(sc.Events) == 0 || len(sc.Events) >= len(l.Scenario.Events) {
		t.Fatalf("kept %d of %d events", len(sc.Events), len(l.Scenario.Events))
	}
	for _, e := range sc.Events {
		if e.Date > last {
			t.Errorf("event %s %s is after the origin", e.Date, e.Type)
		}
	}
	for _, m := range obs.Monthly {
		if m.Month.MonthEnd() > last {
			t.Errorf("observation of %s is after the origin", m.Month)
		}
	}
	if n := len(obs.Monthly); n == 0 || obs.Monthly[n-1].Month != date(t, "2021-11-01") {
		t.Errorf("last known month = %v, want 2021-11", obs.Monthly)
	}
	var e08 *scenario.CeasefireTarget
	for i, c := range obs.Targets.Ceasefire {
		if c.ID == "E08" {
			e08 = &obs.Targets.Ceasefire[i]
		}
		if c.Declared > last {
			t.Errorf("ceasefire %s declared after the origin is known", c.ID)
		}
	}
	if e08 == nil || e08.Days != 0 || e08.EndedBy != "" || e08.MinDays != 21 {
		t.Errorf("E08 at 2021-11-30 = %+v, want still holding after 21 days, end unknown", e08)
	}
	for _, s := range obs.Targets.Strength {
		if s.Date > last {
			t.Errorf("strength %s dated after the origin is known", s.ID)
		}
	}
	// The input is untouched.
	if l.Scenario.End == sc.End || len(l.Observed.Monthly) == len(obs.Monthly) {
		t.Error("AtOrigin modified its input")
	}
}

func quick(origins string, horizons string, runs int) Options {
	os, _ := ParseOrigins(origins)
	hs, _ := ParseHorizons(horizons)
	return Options{Origins: os, Horizons: hs, Runs: runs, BootReps: 200}
}

func fanOf(r *Result, origin sim.Date) *Fan {
	for i := range r.Fans {
		if r.Fans[i].Origin == origin {
			return &r.Fans[i]
		}
	}
	return nil
}

// TestLaterObservationsChangeNothing: with the forecast conditioned on
// the documented months, changing an observation after the origin leaves
// the forecast from the origin (the model's fan and the baselines'
// distributions) unchanged; changing one before it changes both the model's
// forecast and the baselines — so the test could fail.
func TestLaterObservationsChangeNothing(t *testing.T) {
	l := load(t, "ttp-2021.toml")
	opt := quick("2022-03", "1,2", 200)
	opt.Workers = 2
	opt.Condition = true
	base, err := Run(context.Background(), l.Scenario, l.Observed, opt)
	if err != nil {
		t.Fatal(err)
	}
	perturb := func(month string, v float64) *Result {
		obs := *l.Observed
		obs.Monthly = append([]scenario.MonthObs(nil), l.Observed.Monthly...)
		for i := range obs.Monthly {
			if obs.Monthly[i].Month == date(t, month+"-01") {
				obs.Monthly[i].Attacks = v
			}
		}
		r, err := Run(context.Background(), l.Scenario, &obs, opt)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	later := perturb("2022-09", 400) // after the origin, not a scored month
	o := opt.Origins[0]
	a, b := fanOf(base, o), fanOf(later, o)
	if !reflect.DeepEqual(a.Q, b.Q) {
		t.Error("an observation after the origin changed the model's forecast")
	}
	dist := func(r *Result, model string) []float64 {
		var out []float64
		for _, x := range r.Rows {
			if x.Model == model && x.Target == TargetAttacks {
				out = append(out, x.Median, x.Lo80, x.Hi80)
			}
		}
		return out
	}
	for _, m := range Baselines {
		if !reflect.DeepEqual(dist(base, m), dist(later, m)) {
			t.Errorf("%s: an observation after the origin changed its forecast", m)
		}
	}
	// A scored month after the origin changes its score, not the forecast.
	scored := perturb("2022-04", 90)
	if !reflect.DeepEqual(fanOf(scored, o).Q, a.Q) || !reflect.DeepEqual(dist(scored, Persistence), dist(base, Persistence)) {
		t.Error("the observation being scored changed the forecast")
	}
	if reflect.DeepEqual(scored.Rows, base.Rows) {
		t.Error("changing the scored observation did not change the scores")
	}
	earlier := perturb("2022-03", 90)
	if reflect.DeepEqual(dist(earlier, Persistence), dist(base, Persistence)) {
		t.Error("persistence ignored the last known month")
	}
	if reflect.DeepEqual(fanOf(earlier, o).Q, a.Q) {
		t.Error("the conditioned model ignored the last known month")
	}
	if base.Filter[0] == nil || !base.Conditioned {
		t.Error("the forecast was not conditioned")
	}
}

// TestLaterEventsChangeNothing: a scenario event dated after the origin
// (here a fivefold background) is unknown to the forecast from the origin,
// and known to forecasts from later origins.
func TestLaterEventsChangeNothing(t *testing.T) {
	l := load(t, "ttp-2021.toml")
	opt := quick("2022-02,2022-04", "1", 200)
	base, err := Run(context.Background(), l.Scenario, l.Observed, opt)
	if err != nil {
		t.Fatal(err)
	}
	sc := *l.Scenario
	sc.Events = append(append([]sim.EventConfig(nil), l.Scenario.Events...),
		sim.EventConfig{Date: date(t, "2022-03-15"), Type: "scale", Key: "attacks.background", Value: 5})
	shock, err := Run(context.Background(), &sc, l.Observed, opt)
	if err != nil {
		t.Fatal(err)
	}
	before, after := opt.Origins[0], opt.Origins[1]
	if !reflect.DeepEqual(fanOf(base, before).Q, fanOf(shock, before).Q) {
		t.Error("an event after the origin changed the forecast from it")
	}
	med := func(r *Result, o sim.Date) float64 {
		f := fanOf(r, o)
		return f.Q[len(f.Q)-1][3]
	}
	if !(med(shock, after) > med(base, after)+10) {
		t.Errorf("an event before the origin should raise the forecast: median %.0f with, %.0f without", med(shock, after), med(base, after))
	}
}

// TestDeterministicAcrossWorkers: the same backtest gives the same rows
// and skills with 1 and 3 workers.
func TestDeterministicAcrossWorkers(t *testing.T) {
	l := load(t, "ttp-2021.toml")
	opt := quick("2022-01..2022-03", "1,2", 150)
	opt.Condition = true
	opt.Workers = 1
	a, err := Run(context.Background(), l.Scenario, l.Observed, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Workers = 3
	b, err := Run(context.Background(), l.Scenario, l.Observed, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nanless(a.Rows), nanless(b.Rows)) || !reflect.DeepEqual(a.Skills, b.Skills) {
		t.Error("results depend on the number of workers")
	}
}

// nanless replaces NaNs so DeepEqual can compare rows.
func nanless(rows []Row) []Row {
	out := append([]Row(nil), rows...)
	fix := func(x *float64) {
		if math.IsNaN(*x) {
			*x = -999
		}
	}
	for i := range out {
		r := &out[i]
		for _, x := range []*float64{&r.Value, &r.CRPS, &r.Pinball, &r.IS80, &r.LogScore, &r.Brier, &r.PIT, &r.Median, &r.Lo80, &r.Hi80, &r.P} {
			fix(x)
		}
	}
	return out
}

// TestSkillAgainstItselfIsZero: a baseline scored as the model gives skill
// exactly 0 with a [0, 0] interval; a model with half the baseline's score
// everywhere gives exactly +50%.
func TestSkillAgainstItselfIsZero(t *testing.T) {
	var rows []Row
	origins := []sim.Date{100, 200, 300}
	for i, o := range origins {
		for h := 1; h <= 2; h++ {
			s := float64(3*i + h)
			rows = append(rows,
				Row{Model: Model, Origin: o, Horizon: h, Target: TargetAttacks, CRPS: s, Pinball: s / 2},
				Row{Model: Persistence, Origin: o, Horizon: h, Target: TargetAttacks, CRPS: s, Pinball: s})
		}
	}
	for _, s := range skills(rows, origins, []int{1, 2}, []string{Persistence}, 500, 1) {
		want := 0.0
		if s.Score == "pinball" {
			want = 0.5
		}
		if s.Value != want || s.Lo != want || s.Hi != want {
			t.Errorf("%s h=%d: skill %v [%v, %v], want exactly %v", s.Score, s.Horizon, s.Value, s.Lo, s.Hi, want)
		}
	}
}

// TestModelAsTruthHasFlatPIT: when the "documented" months are a run of
// the model itself (a run index outside the forecast's, of the scenario
// with only the events known before the first origin), the model is the
// data-generating process, so its PIT values are uniform (chi-square
// p > 0.01), while persistence — a Poisson far narrower than the model's
// month-to-month variation — is not. (Without conditioning, the forecasts
// of one month from different origins are alike, so PIT values of the same
// month repeat: so each truth is scored one month ahead from four origins
// three months apart, over many truths, to keep the PIT values nearly
// independent.)
func TestModelAsTruthHasFlatPIT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 24 synthetic histories")
	}
	l := load(t, "ttp-2021.toml")
	// The data-generating process must be the one the forecasts run: keep
	// only the events known before the first origin, so that no origin's
	// forecast lacks an event the truth had.
	var evs []sim.EventConfig
	for _, e := range l.Scenario.Events {
		if e.Date <= date(t, "2021-10-31") {
			evs = append(evs, e)
		}
	}
	l.Scenario.Events = evs
	var pits, pers []float64
	for truth := 0; truth < 24; truth++ {
		// The truth: run 10⁶+truth of the scenario, reduced to months.
		obs := &scenario.Observed{Targets: l.Observed.Targets}
		starts, full, err := mc.PeriodStarts(l.Scenario, mc.Month)
		if err != nil {
			t.Fatal(err)
		}
		k := mc.MetricIndex("attacks")
		_, err = mc.Run(context.Background(), l.Scenario, mc.Options{Runs: 1, First: 1_000_000 + truth, Workers: 1, OnRun: func(r *mc.RunResult) error {
			for i, s := range starts {
				if full[i] && s <= date(t, "2022-10-01") {
					obs.Monthly = append(obs.Monthly, scenario.MonthObs{Month: s, Attacks: r.Value(k, i)})
				}
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		opt := quick("2021-10,2022-01,2022-04,2022-07", "1", 200)
		opt.Baselines = []string{Persistence}
		res, err := Run(context.Background(), l.Scenario, obs, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range res.Rows {
			if x.Target == TargetAttacks {
				if x.Model == Model {
					pits = append(pits, x.PIT)
				} else {
					pers = append(pers, x.PIT)
				}
			}
		}
	}
	_, p := score.ChiSquareUniform(pits, 10)
	_, pp := score.ChiSquareUniform(pers, 10)
	t.Logf("%d PIT values: model p = %.3f, persistence p = %.4f", len(pits), p, pp)
	if p <= 0.01 {
		t.Errorf("the data-generating model's PIT is not uniform: p = %.4f", p)
	}
	if pp > 0.01 {
		t.Errorf("persistence's PIT looks uniform (p = %.3f): the test cannot tell calibrated from not", pp)
	}
}
