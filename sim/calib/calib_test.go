package calib

import (
	"context"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

func load(t testing.TB, name string) *scenario.Loaded {
	t.Helper()
	l, err := scenario.LoadFS(scenarios.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestTargetsFollowTheHorizon: each scenario picks the targets inside its
// horizon: the reference gets E08 and E09 and the months to Oct 2022, the
// 2014 episode only E07.
func TestTargetsFollowTheHorizon(t *testing.T) {
	for _, c := range []struct {
		scenario string
		want     []string
		not      []string
	}{
		{"ttp-2021.toml", []string{"E08", "E08.ended_by", "E08.cause", "E09", "attacks 2021-09", "attacks 2022-10", "UN-2022-05-TTP", "F2-2021"}, []string{"E07", "E01", "attacks 2021-08"}},
		{"talks-2014.toml", []string{"E07", "E07.ended_by"}, []string{"E08", "attacks 2021-09"}},
		{"ceasefire-2022.toml", []string{"E09b", "attacks 2022-07"}, []string{"E09", "E08", "attacks 2022-06"}},
	} {
		l := load(t, c.scenario)
		ts, err := Targets(l.Scenario, l.Observed)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, x := range ts {
			have[x.ID] = true
		}
		for _, w := range c.want {
			if !have[w] {
				t.Errorf("%s: target %s missing", c.scenario, w)
			}
		}
		for _, w := range c.not {
			if have[w] {
				t.Errorf("%s: target %s should not apply", c.scenario, w)
			}
		}
	}
}

// TestScoresAreProperlyOriented: the loss of an observation is lowest where
// the simulation puts it: moving a documented duration away from the
// simulated median, or a monthly count away from the simulated mean,
// raises its loss; an impossible category gets the floor probability.
func TestScoresAreProperlyOriented(t *testing.T) {
	l := load(t, "ceasefire-2021.toml")
	sc := l.Scenario
	base, err := Targets(sc, l.Observed)
	if err != nil {
		t.Fatal(err)
	}
	var dur, month Target
	for _, x := range base {
		switch {
		case x.Kind == KindDuration && dur.ID == "":
			dur = x
		case x.Kind == KindMonthly && month.ID == "":
			month = x
		}
	}
	mk := func(days, attacks float64) []Target {
		d, m := dur, month
		d.days, d.Value = days, days
		m.Value = attacks
		impossible := Target{ID: "x", Kind: KindEndedBy, origin: dur.origin, category: "nobody", Weight: 1}
		return []Target{d, m, impossible}
	}
	opt := mc.Options{Runs: 300, Seed: 1, SeedSet: true, Workers: 2}
	e0, err := Evaluate(context.Background(), sc, mk(30, 30), opt)
	if err != nil {
		t.Fatal(err)
	}
	med, mean := e0.Outcomes[0].Median, e0.Outcomes[1].Median
	near, err := Evaluate(context.Background(), sc, mk(med, mean), opt)
	if err != nil {
		t.Fatal(err)
	}
	far, err := Evaluate(context.Background(), sc, mk(med+120, mean+25), opt)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"duration", "monthly"} {
		if !(near.Outcomes[i].Loss < far.Outcomes[i].Loss) {
			t.Errorf("%s: loss near the simulated centre %.3f ≥ loss far from it %.3f", name, near.Outcomes[i].Loss, far.Outcomes[i].Loss)
		}
		if !near.Outcomes[i].Hit || far.Outcomes[i].Hit {
			t.Errorf("%s: hit near %v, hit far %v", name, near.Outcomes[i].Hit, far.Outcomes[i].Hit)
		}
	}
	imp := near.Outcomes[2]
	if want := -math.Log(0.5 / float64(imp.N+1)); math.Abs(imp.Loss-want) > 1e-12 || imp.Hit {
		t.Errorf("impossible category: loss %v (want %v), hit %v", imp.Loss, want, imp.Hit)
	}
}

// TestCalibrationRecoversAPlantedValue: monthly attack counts made by the
// model itself at a known background rate of attacks are fitted back from a
// distant start: the fit lands near the planted value, the loss falls, and
// the ABC interval covers it.
func TestCalibrationRecoversAPlantedValue(t *testing.T) {
	l := load(t, "ceasefire-2021.toml")
	const key = "attacks.background"
	const planted = 0.9
	truth := l.Scenario.Clone()
	if err := truth.SetFloat(key, planted); err != nil {
		t.Fatal(err)
	}
	// The planted world's "documented" months: its mean attacks per month.
	all, err := Targets(l.Scenario, l.Observed)
	if err != nil {
		t.Fatal(err)
	}
	var months []Target
	for _, x := range all {
		if x.Kind == KindMonthly {
			months = append(months, x)
		}
	}
	e, err := Evaluate(context.Background(), truth, months, mc.Options{Runs: 2000, Seed: 99, SeedSet: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range months {
		xs := e.Outcomes[i]
		months[i].Value = xs.Median
		months[i].Weight = 1
	}
	fit, err := Calibrate(context.Background(), []Problem{{Scenario: l.Scenario, Targets: months}},
		[]Free{{Key: key, Lo: 0, Hi: 3}}, Options{Method: Both, Runs: 300, Seed: 5, Workers: 2, Evals: 30, Samples: 40})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("planted %.2f, start %.2f, fitted %.3f, ABC %.2f [%.2f, %.2f], loss %.3f → %.3f", planted, fit.Start[0], fit.Best[0],
		fit.PostMedian[0], fit.PostLo[0], fit.PostHi[0], fit.StartLoss, fit.BestLoss)
	if !(fit.BestLoss < fit.StartLoss) {
		t.Errorf("loss did not fall: %.3f → %.3f", fit.StartLoss, fit.BestLoss)
	}
	// One attack a month more or less is 0.033 a day; allow about that.
	if math.Abs(fit.Best[0]-planted) > 0.1 {
		t.Errorf("fitted %.3f, planted %.2f", fit.Best[0], planted)
	}
	if !(fit.PostLo[0] <= planted && planted <= fit.PostHi[0]) {
		t.Errorf("ABC interval [%.2f, %.2f] misses the planted %.2f", fit.PostLo[0], fit.PostHi[0], planted)
	}
}

// TestABCSMCRecoversAPlantedValue: the real simulator, a planted value
// (as a --set would give it) and the targets it simulates: the monthly
// counts of the planted world, its median count per month. ABC-SMC from
// a uniform prior runs to its last population (prior × exp(−loss)) and
// returns a 90% interval that covers the planted value and is at most a
// third of the prior's, with no warning.
func TestABCSMCRecoversAPlantedValue(t *testing.T) {
	if testing.Short() {
		t.Skip("about 1000 evaluations of a scenario")
	}
	l := load(t, "ceasefire-2021.toml")
	const key = "attacks.background"
	const planted = 0.9
	truth := l.Scenario.Clone()
	if err := truth.SetFloat(key, planted); err != nil {
		t.Fatal(err)
	}
	all, err := Targets(l.Scenario, l.Observed)
	if err != nil {
		t.Fatal(err)
	}
	var months []Target
	for _, x := range all {
		if x.Kind == KindMonthly {
			months = append(months, x)
		}
	}
	e, err := Evaluate(context.Background(), truth, months, mc.Options{Runs: 2000, Seed: 99, SeedSet: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range months {
		months[i].Value = e.Outcomes[i].Median
		months[i].Weight = 1
	}
	fit, err := Calibrate(context.Background(), []Problem{{Scenario: l.Scenario, Targets: months}},
		[]Free{{Key: key, Lo: 0, Hi: 3}}, Options{Runs: 100, Seed: 5, Workers: 2, SMC: SMCOptions{Particles: 50, Budget: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range fit.Populations {
		t.Logf("t=%d ε=%.4g accepted=%d evaluations=%d rate=%.2f ESS=%.1f", p.T, p.Epsilon, p.Accepted, p.Evaluations, p.AcceptanceRate, p.ESS)
	}
	t.Logf("planted %.2f: posterior median %.3f [%.3f, %.3f]; stop: %s; warnings %q", planted, fit.Best[0], fit.PostLo[0], fit.PostHi[0], fit.Stop, fit.Warnings)
	if !strings.Contains(fit.Stop, "lowest loss") {
		t.Errorf("stopped before the last population: %s", fit.Stop)
	}
	if !(fit.PostLo[0] <= planted && planted <= fit.PostHi[0]) {
		t.Errorf("90%% interval [%.3f, %.3f] misses the planted %.2f", fit.PostLo[0], fit.PostHi[0], planted)
	}
	// The prior's 90% interval is 2.7 wide; the months pin the rate to a
	// third of it at least.
	if w := fit.PostHi[0] - fit.PostLo[0]; w > 0.9 {
		t.Errorf("90%% interval %.3f wide: the months should pin the background rate", w)
	}
	if len(fit.Warnings) > 0 {
		t.Errorf("warnings: %q", fit.Warnings)
	}
}

// TestCalibrateIsDeterministicAndResumable: for each method, the same
// seed gives the same trace whatever the workers, and a calibration fed
// the evaluations of an interrupted one (its checkpoint) ends identically
// without simulating them again.
func TestCalibrateIsDeterministicAndResumable(t *testing.T) {
	for _, m := range []string{Both, PMC} {
		t.Run(m, func(t *testing.T) { testDeterministicAndResumable(t, m) })
	}
}

func testDeterministicAndResumable(t *testing.T, method string) {
	l := load(t, "ceasefire-2021.toml")
	ts, _ := Targets(l.Scenario, l.Observed)
	free := []Free{{Key: "rules.state_ends_ceasefire.tolerance", Lo: 5, Hi: 60}}
	pr := []Problem{{Scenario: l.Scenario, Targets: ts}}
	run := func(workers int, cache map[string]float64, onEval func(Eval) error) *Fit {
		f, err := Calibrate(context.Background(), pr, free, Options{Method: method, Runs: 60, Seed: 2, Workers: workers, Evals: 12, Samples: 10,
			SMC: SMCOptions{Particles: 10, Budget: 40}, Cache: cache, OnEval: onEval})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	var log []Eval // the evaluations simulated (distinct points)
	a := run(1, nil, func(e Eval) error { log = append(log, e); return nil })
	seen := map[string]bool{}
	for _, e := range log {
		if seen[Key(e.Theta)] {
			t.Errorf("point %v simulated twice", e.Theta)
		}
		seen[Key(e.Theta)] = true
	}
	b := run(3, nil, nil)
	if len(a.Trace) != len(b.Trace) || a.BestLoss != b.BestLoss || a.Best[0] != b.Best[0] {
		t.Fatalf("workers changed the fit: %v (%v) vs %v (%v)", a.Best, a.BestLoss, b.Best, b.BestLoss)
	}
	// Interrupted after half the evaluations: resume from them.
	cache := map[string]float64{}
	for _, e := range log[:len(log)/2] {
		cache[Key(e.Theta)] = e.Loss
	}
	fresh := 0
	c := run(2, cache, func(Eval) error { fresh++; return nil })
	if c.BestLoss != a.BestLoss || c.Best[0] != a.Best[0] || len(c.Trace) != len(a.Trace) {
		t.Errorf("resumed fit differs: %v (%v) vs %v (%v)", c.Best, c.BestLoss, a.Best, a.BestLoss)
	}
	if !reflect.DeepEqual(a.Posterior, c.Posterior) || !reflect.DeepEqual(a.Populations, c.Populations) || !reflect.DeepEqual(a.Warnings, c.Warnings) {
		t.Error("resumed posterior, populations or warnings differ")
	}
	// Every distinct point is simulated once: the new ones only.
	if fresh != len(log)-len(cache) {
		t.Errorf("resumed run simulated %d evaluations, want %d", fresh, len(log)-len(cache))
	}
}

func TestParseFree(t *testing.T) {
	sc := load(t, "ceasefire-2021.toml").Scenario
	for _, c := range []struct {
		in      string
		lo, hi  float64
		wantErr string
	}{
		{"mediator.pressure", 0, 1, ""},
		{"rules.state_ends_ceasefire.tolerance=5:60", 5, 60, ""},
		{"mediator.presure", 0, 0, "did you mean"},
		{"mediator.pressure=0.9:0.1", 0, 0, "lo < hi"},
		{"mediator.pressure=0:2", 0, 0, "allowed range"},
		{"mediator.pressure=a:b", 0, 0, "lo:hi"},
		{"mediator.name", 0, 0, "not numeric"},
	} {
		f, err := ParseFree(sc, c.in)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.in, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: error %v, want one saying %q", c.in, err, c.wantErr)
		case c.wantErr == "" && (f.Lo != c.lo || f.Hi != c.hi):
			t.Errorf("%s: bounds %v:%v, want %v:%v", c.in, f.Lo, f.Hi, c.lo, c.hi)
		}
	}
}

// TestLatinHypercube: every parameter has exactly one draw in each of the
// n strata, inside its bounds.
func TestLatinHypercube(t *testing.T) {
	free := []Free{{Key: "a", Lo: 0, Hi: 1}, {Key: "b", Lo: -5, Hi: 5}, {Key: "c", Lo: 10, Hi: 20}}
	const n = 37
	pts := latinHypercube(free, n, 11)
	for j, f := range free {
		seen := make([]bool, n)
		for _, p := range pts {
			u := (p[j] - f.Lo) / (f.Hi - f.Lo)
			k := int(u * n)
			if u < 0 || u >= 1 || seen[k] {
				t.Fatalf("param %s: stratum %d hit twice or out of range (u=%v)", f.Key, k, u)
			}
			seen[k] = true
		}
	}
	again := latinHypercube(free, n, 11)
	for i := range pts {
		for j := range pts[i] {
			if pts[i][j] != again[i][j] {
				t.Fatal("not deterministic for a seed")
			}
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, math.Inf(1)}
	sort.Float64s(xs)
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.5, 3}, {0.25, 2}, {0.875, math.Inf(1)}, {0.75, 4}} {
		if got := quantile(xs, c.p); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

// TestStrictHitRules: a category, a censored duration or an ordering is a
// hit only when at least half of the runs agree; a duration inside the 80%
// interval is a miss when almost no run ends near it; CRPS is reported for
// counts and durations, widths for intervals.
func TestStrictHitRules(t *testing.T) {
	cat := func(kind string, ones, n int) Outcome {
		s := newScorer([]Target{{ID: "x", Kind: kind}})
		for i := 0; i < n; i++ {
			s.vals[0] = append(s.vals[0], b2f(i < ones))
		}
		return s.outcomes()[0]
	}
	for _, c := range []struct {
		kind    string
		ones, n int
		hit     bool
	}{
		{KindEndedBy, 15, 100, false}, // 15%: a hit under the old 10% rule
		{KindEndedBy, 49, 100, false},
		{KindEndedBy, 50, 100, true},
		{KindCause, 90, 100, true},
		{KindOrdinal, 30, 100, false},
	} {
		if o := cat(c.kind, c.ones, c.n); o.Hit != c.hit {
			t.Errorf("%s with P = %d/%d: hit %v, want %v", c.kind, c.ones, c.n, o.Hit, c.hit)
		}
	}
	held := func(longer int) Outcome {
		s := newScorer([]Target{{ID: "h", Kind: KindHeld, days: 100}})
		for i := 0; i < 100; i++ {
			v := 50.0
			if i < longer {
				v = math.Inf(1)
			}
			s.vals[0] = append(s.vals[0], v)
		}
		return s.outcomes()[0]
	}
	if held(20).Hit || !held(60).Hit {
		t.Errorf("held ≥ 100 days: hit with 20%% of runs = %v, with 60%% = %v; want false, true", held(20).Hit, held(60).Hit)
	}
	// Bimodal durations: half end at 10 days, half at 200; the observed 100
	// lies inside the 80% interval [10, 200], but no run ends near it.
	s := newScorer([]Target{{ID: "d", Kind: KindDuration, days: 100, Value: 100}})
	for i := 0; i < 100; i++ {
		s.vals[0] = append(s.vals[0], []float64{10, 200}[i%2])
	}
	o := s.outcomes()[0]
	if o.Hit || !(o.Lo <= 100 && o.Hi >= 100) {
		t.Errorf("bimodal duration: hit %v with 80%% interval [%v, %v]; want a miss inside the interval", o.Hit, o.Lo, o.Hi)
	}
	if want := 190.0; o.Width != want {
		t.Errorf("width = %v, want %v", o.Width, want)
	}
	// CRPS of the two-point duration distribution at 100: E|X−y| − ½E|X−X'| = 95 − 47.5.
	if math.Abs(o.CRPS-47.5) > 1e-9 {
		t.Errorf("CRPS = %v, want 47.5", o.CRPS)
	}
}
