package mc_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// loadTTP loads the reference scenario with its observations.
func loadTTP(t testing.TB) *scenario.Loaded {
	t.Helper()
	l, err := scenario.Load("../../scenarios/ttp-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	if l.Observed == nil || len(l.Observed.Monthly) == 0 {
		t.Fatal("ttp-2021 has no observed monthly counts")
	}
	return l
}

// TestFilterDeterministicAcrossWorkers: the filtered job (per-run values,
// aggregates, filter statistics) is the same with 1 and 3 workers, over
// several blocks including a short last one; and it differs from the
// unconditioned job.
func TestFilterDeterministicAcrossWorkers(t *testing.T) {
	l := loadTTP(t)
	runs, block := 130, 50
	if testing.Short() {
		runs, block = 50, 20
	}
	counts := l.Observed.MonthCounts(l.Scenario, 0)
	var prints []string
	var perRun, means [][]float64
	for _, w := range []int{1, 3} {
		var seen []float64
		res, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: runs, Workers: w, Stories: 2,
			Filter: &mc.Filter{Counts: counts, Block: block},
			OnRun: func(r *mc.RunResult) error {
				seen = append(seen, float64(r.Run), r.AttacksTotal, float64(len(r.Ceasefires)), float64(len(r.Story)))
				for k := range mc.Metrics {
					for i := 0; i < r.Periods(); i++ {
						seen = append(seen, r.Value(k, i))
					}
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Filter == nil || len(res.Filter.Steps) != len(counts) || res.Filter.Blocks != (runs+block-1)/block {
			t.Fatalf("filter stats %+v", res.Filter)
		}
		if last := res.Filter.Steps[len(res.Filter.Steps)-1]; last.Resampled != res.Filter.Blocks {
			t.Errorf("only %d of %d blocks resampled at the last observation", last.Resampled, res.Filter.Blocks)
		}
		res.Workers = 0
		st := res.Filter
		res.Filter = nil // a pointer: printed as an address
		prints = append(prints, fmt.Sprintf("%+v %+v", *res, *st))
		means = append(means, res.Series[0].Mean)
		perRun = append(perRun, seen)
	}
	if !reflect.DeepEqual(perRun[0], perRun[1]) {
		t.Error("per-run results differ between 1 and 3 workers")
	}
	if prints[0] != prints[1] {
		t.Error("aggregates or filter statistics differ between 1 and 3 workers")
	}
	free, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: runs})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(free.Series[0].Mean, means[0]) {
		t.Error("the filter changed nothing")
	}
}

// TestPoissonLogLik: the closed form, including the edge cases.
func TestPoissonLogLik(t *testing.T) {
	for _, c := range []struct{ y, lam, want float64 }{
		{0, 0, 0},
		{3, 0, math.Inf(-1)},
		{0, 2, -2},
		{2, 3, math.Log(9.0/2) - 3},
		{5, 1.5, 5*math.Log(1.5) - 1.5 - math.Log(120)},
		{30, 27.5, 30*math.Log(27.5) - 27.5 - math.Log(265252859812191058636308480000000)},
	} {
		if got := mc.PoissonLogLik(c.y, c.lam); !(got == c.want || math.Abs(got-c.want) < 1e-9*math.Abs(c.want)) {
			t.Errorf("PoissonLogLik(%v, %v) = %v, want %v", c.y, c.lam, got, c.want)
		}
	}
}

// TestFilterOneRunLikelihood: with one run there is nothing to resample
// from, so the filtered run is the free run, and the log-likelihood of each
// month is log Poisson(y; Λ) with Λ the month's summed intensity.
func TestFilterOneRunLikelihood(t *testing.T) {
	l := loadTTP(t)
	sc := l.Scenario
	counts := l.Observed.MonthCounts(sc, 0)
	var got *mc.RunResult
	res, err := mc.Run(context.Background(), sc, mc.Options{Runs: 1, First: 7, Filter: &mc.Filter{Counts: counts},
		OnRun: func(r *mc.RunResult) error { c := *r; got = &c; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := sim.New(sc)
	rec := m.Run(sc.Seed, 7)
	if got.AttacksTotal != rec.AttacksTotal {
		t.Errorf("filtered run has %v attacks, the free run %v", got.AttacksTotal, rec.AttacksTotal)
	}
	for j, c := range counts {
		lam := 0.0
		for i := range rec.Intensity {
			if d := m.StepDate(i); d >= c.Month && d.MonthStart() == c.Month {
				lam += rec.Intensity[i]
			}
		}
		lg, _ := math.Lgamma(c.Count + 1)
		want := c.Count*math.Log(lam) - lam - lg
		if s := res.Filter.Steps[j]; math.Abs(s.LogLik-want) > 1e-9 || s.ESS != 1 {
			t.Errorf("%s: log-likelihood %v, want %v (Λ %.2f); ESS %v", c.Month, s.LogLik, want, lam, s.ESS)
		}
	}
}

// phaseOn reads the phase of a run on day i from daily values.
func phaseOn(r *mc.RunResult, i int) sim.Phase {
	v := func(name string) float64 { return r.Value(mc.MetricIndex(name), i) }
	switch {
	case v("p_ceasefire") > 0:
		return sim.Ceasefire
	case v("p_talks") > 0:
		return sim.Talks
	case v("p_operation") > 0:
		return sim.Operation
	case v("p_settlement") > 0:
		return sim.Settlement
	}
	return sim.Conflict
}

// TestFilterFact: a fact (probability 0.99) that most runs contradict
// brings the ESS down to about the share of runs that satisfy it, and
// after resampling almost every run satisfies it.
func TestFilterFact(t *testing.T) {
	l := loadTTP(t)
	sc := *l.Scenario
	sc.End = sim.DateOf(2022, 12, 31)
	const runs = 300
	// Find a day and phase a minority of free runs are in.
	m, _ := sim.New(&sc)
	var day sim.Date
	var phase sim.Phase
	best := 1.0
	var days []sim.Date
	for d := sc.Start + 60; d < sc.End; d += 30 {
		days = append(days, d)
	}
	n := make([][sim.NumPhases]int, len(days))
	for r := 0; r < 200; r++ {
		m.Reset(sc.Seed, 5000+r)
		for j, d := range days {
			m.StepUntil(d + 1)
			n[j][m.Phase()]++
		}
	}
	for j, d := range days {
		for ph, k := range n[j] {
			if s := float64(k) / 200; s >= 0.05 && math.Abs(s-0.15) < math.Abs(best-0.15) {
				best, day, phase = s, d, sim.Phase(ph)
			}
		}
	}
	if day == 0 {
		t.Fatal("no phase held by 5-30% of runs on any day")
	}
	idx := int(day - sc.Start)
	share := func(f *mc.Filter) (float64, *mc.Result) {
		in := 0
		res, err := mc.Run(context.Background(), &sc, mc.Options{Runs: runs, Period: mc.Day, Filter: f,
			OnRun: func(r *mc.RunResult) error {
				if phaseOn(r, idx) == phase {
					in++
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		return float64(in) / runs, res
	}
	free, _ := share(nil)
	got, res := share(&mc.Filter{Facts: []mc.PhaseFact{{Date: day, Phase: phase, Prob: 0.99}}})
	t.Logf("%s in %s: %.0f%% of free runs, %.0f%% of filtered runs; ESS %.1f of %d", day, phase, 100*free, 100*got, res.Filter.Steps[0].ESS, runs)
	// Posterior share of runs in the phase: 0.99p / (0.99p + 0.01(1-p)).
	want := 0.99 * free / (0.99*free + 0.01*(1-free))
	if got < want-0.08 {
		t.Errorf("after conditioning %.2f of runs are in %s on %s, want about %.2f", got, phase, day, want)
	}
	if ess := res.Filter.Steps[0].ESS / runs; ess > free+0.1 || res.Filter.Steps[0].Resampled != 1 {
		t.Errorf("ESS share %.2f with %.2f of runs satisfying the fact", ess, free)
	}
	if low := res.Filter.Steps[0].MinShare < mc.DefaultESSFloor; low != (len(res.Filter.Warnings) == 1) {
		t.Errorf("ESS share %.2f (floor %.2f) but warnings %q", res.Filter.Steps[0].MinShare, mc.DefaultESSFloor, res.Filter.Warnings)
	}
	// The negated fact ("not in that phase") drives the share down instead:
	// posterior 0.01p / (0.01p + 0.99(1-p)).
	not, _ := share(&mc.Filter{Facts: []mc.PhaseFact{{Date: day, Phase: phase, Not: true, Prob: 0.99}}})
	if wantNot := 0.01 * free / (0.01*free + 0.99*(1-free)); not > wantNot+0.05 || not >= free {
		t.Errorf("after a negated fact %.2f of runs are in %s on %s (free %.2f), want about %.3f", not, phase, day, free, wantNot)
	}
	// A stricter floor warns, naming the fact.
	_, strict := share(&mc.Filter{Facts: []mc.PhaseFact{{Date: day, Phase: phase, Prob: 0.99}}, ESSFloor: 0.9})
	if w := strict.Filter.Warnings; len(w) != 1 || !strings.Contains(w[0], day.String()) || !strings.Contains(w[0], "unlikely under the model") {
		t.Errorf("warnings with floor 0.9: %q", w)
	}
}

// binomBand returns the central 99% band [lo, hi] of Binomial(n, p).
func binomBand(n int, p float64) (lo, hi int) {
	pmf := func(k int) float64 {
		lg1, _ := math.Lgamma(float64(n + 1))
		lg2, _ := math.Lgamma(float64(k + 1))
		lg3, _ := math.Lgamma(float64(n - k + 1))
		return math.Exp(lg1 - lg2 - lg3 + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	}
	cdf := 0.0
	lo, hi = -1, n
	for k := 0; k <= n; k++ {
		cdf += pmf(k)
		if lo < 0 && cdf > 0.005 {
			lo = k
		}
		if cdf >= 0.995 {
			hi = k
			break
		}
	}
	return lo, hi
}

// TestFilterCoverage is a synthetic-truth check. A "truth" is a run of the
// model itself (a run index no particle uses); its monthly counts up to
// Until are the observations (whole months, Sep 2021 – Jul 2022). If the filter computes the posterior, the
// truth's hidden state at Until (the umbrella's fighters) is a draw from
// the filtered distribution, so the filtered 80% interval covers it in 80%
// of truths; over R = 40 truths the number covered is Binomial(40, 0.8),
// whose central 99% band is 25–38 (binomBand). R = 40 with 200 particles
// keeps the test near 5 s on two cores; finite particles under-cover
// slightly, which the band absorbs, while an over-confident filter (a
// likelihood too sharp, copies repeating one future) falls below it.
// Coverage alone would not show that the observations were used — the
// unconditioned distribution covers a truth drawn from the model too — so
// the filtered mean must also be closer to the truth than the
// unconditioned mean on average, and the truth's phase more probable under
// the filter than without it.
func TestFilterCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("synthetic-truth coverage takes ~10 s")
	}
	l := loadTTP(t)
	sc := *l.Scenario
	// After the last event, and 54 weeks and a day from the start: weekly
	// periods (cheap to aggregate) end with a period of one day, on which
	// the hidden state is read.
	sc.End = sc.Start + 54*7
	until := sc.End
	const truths, particles = 40, 200
	starts, _, err := mc.PeriodStarts(&sc, mc.Week)
	if err != nil {
		t.Fatal(err)
	}
	last := len(starts) - 1
	if starts[last] != sc.End {
		t.Fatalf("last weekly period starts %s, want %s", starts[last], sc.End)
	}
	fighters := mc.MetricIndex("fighters_insurgent")

	sample := func(f *mc.Filter) (xs []float64, ph []sim.Phase) {
		_, err := mc.Run(context.Background(), &sc, mc.Options{Runs: particles, Period: mc.Week, Filter: f,
			OnRun: func(r *mc.RunResult) error {
				xs = append(xs, r.Value(fighters, last))
				ph = append(ph, phaseOn(r, last))
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		return xs, ph
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	probOf := func(ph []sim.Phase, p sim.Phase) float64 {
		n := 0.5 // add-half smoothing: a phase no particle holds is not impossible
		for _, x := range ph {
			if x == p {
				n++
			}
		}
		return n / (float64(len(ph)) + 0.5*float64(sim.NumPhases))
	}
	prior, priorPh := sample(nil)
	priorMean := mean(prior)

	m, _ := sim.New(&sc)
	covered := 0
	var errFree, errFilt, lsFree, lsFilt float64
	for r := 0; r < truths; r++ {
		rec := m.Run(sc.Seed, 1_000_000+r)
		truth, truePh := rec.FightersInsurgent[len(rec.FightersInsurgent)-1], rec.Phase[len(rec.Phase)-1]
		// The truth's monthly counts, whole months only.
		var counts []mc.MonthCount
		for i := range rec.Attacks {
			mo := m.StepDate(i).MonthStart()
			if mo < sc.Start || mo.Time().AddDate(0, 1, -1).After(until.Time()) {
				continue // not a whole month inside the horizon
			}
			if len(counts) == 0 || counts[len(counts)-1].Month != mo {
				counts = append(counts, mc.MonthCount{Month: mo})
			}
			counts[len(counts)-1].Count += rec.Attacks[i]
		}
		post, postPh := sample(&mc.Filter{Counts: counts, Until: until})
		sort.Float64s(post)
		lo, hi := post[particles/10], post[particles-1-particles/10]
		if lo <= truth && truth <= hi {
			covered++
		}
		errFree += math.Abs(priorMean - truth)
		errFilt += math.Abs(mean(post) - truth)
		lsFree += math.Log(probOf(priorPh, truePh))
		lsFilt += math.Log(probOf(postPh, truePh))
	}
	blo, bhi := binomBand(truths, 0.8)
	t.Logf("80%% intervals cover %d of %d truths (99%% band %d-%d); mean abs error of fighters: filtered %.0f, free %.0f; mean log score of the phase: filtered %.3f, free %.3f",
		covered, truths, blo, bhi, errFilt/truths, errFree/truths, lsFilt/truths, lsFree/truths)
	if covered < blo || covered > bhi {
		t.Errorf("80%% intervals cover %d of %d truths, outside the 99%% band %d-%d", covered, truths, blo, bhi)
	}
	if errFilt >= errFree {
		t.Errorf("filtered mean fighters are no closer to the truth (%.0f) than the free mean (%.0f)", errFilt/truths, errFree/truths)
	}
	// Monthly counts say little about the phase when a ceasefire only
	// halves violence (compliance 0.5), so filtering on counts alone need
	// not sharpen it; it must not blunt it either (within 0.05 nats).
	if lsFilt/truths < lsFree/truths-0.05 {
		t.Errorf("the truth's phase is much less probable after filtering (mean log score %.3f) than before (%.3f)", lsFilt/truths, lsFree/truths)
	}
}

// BenchmarkFilter is BenchmarkMonteCarlo's 1,000 runs of the reference
// scenario conditioned on its observed monthly counts (Sep 2021 – Oct 2022)
// in two blocks of 500.
func BenchmarkFilter(b *testing.B) {
	l := loadTTP(b)
	f := &mc.Filter{Counts: l.Observed.MonthCounts(l.Scenario, 0)}
	const runs = 1000
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		if _, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: runs, Filter: f, Progress: func(done int) {
			if done%250 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*b.N), "ns/run")
	b.ReportMetric(float64(runs)*float64(b.N)/b.Elapsed().Seconds(), "runs/s")
}

// TestFilterRejects: observations that do not fit the horizon, or facts
// that are not probabilities, are refused with a message naming them.
func TestFilterRejects(t *testing.T) {
	l := loadTTP(t)
	sc := l.Scenario
	ok := []mc.MonthCount{{Month: sim.DateOf(2021, 9, 1), Count: 20}}
	for _, c := range []struct {
		name string
		f    mc.Filter
		want string
	}{
		{"not a month start", mc.Filter{Counts: []mc.MonthCount{{Month: sim.DateOf(2021, 9, 2), Count: 3}}}, "2021-09-02 is not the first day of a month"},
		{"partial month", mc.Filter{Counts: []mc.MonthCount{{Month: sim.DateOf(2021, 8, 1), Count: 45}}}, "month 2021-08 is not wholly inside the horizon"},
		{"negative count", mc.Filter{Counts: []mc.MonthCount{{Month: sim.DateOf(2021, 9, 1), Count: -1}}}, "-1 is not a count"},
		{"twice", mc.Filter{Counts: append(ok, ok...)}, "month 2021-09 is given twice"},
		{"until outside", mc.Filter{Counts: ok, Until: sim.DateOf(2030, 1, 1)}, "until 2030-01-01 is outside the horizon"},
		{"nothing before until", mc.Filter{Counts: ok, Until: sim.DateOf(2021, 9, 15)}, "no observation ends on or before 2021-09-15"},
		{"bad probability", mc.Filter{Facts: []mc.PhaseFact{{Date: sim.DateOf(2022, 1, 1), Phase: sim.Ceasefire, Prob: 0.3}}}, "probability 0.3 must be in (0.5, 1]"},
		{"impossible fact", mc.Filter{Facts: []mc.PhaseFact{{Date: sc.Start, Phase: sim.Settlement, Prob: 1}}}, "model gives them probability 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.f
			_, err := mc.Run(context.Background(), sc, mc.Options{Runs: 20, Filter: &f})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	// Paired runs are not filtered.
	if _, err := mc.RunMany(context.Background(), []*sim.Scenario{sc, sc}, mc.Options{Runs: 5, Filter: &mc.Filter{Counts: ok}}, nil); err == nil {
		t.Error("RunMany filtered two scenarios")
	}
}

// TestFilterPeriodsAgree: a filtered job reduces each run period by period
// as it steps, and a resampled copy takes its ancestor's period values and
// only the part of its record that later observations still read (a
// month's count reads back past a phase fact assimilated mid-month). With
// daily periods every step is reduced at once, so anything a copy failed
// to carry would change the likelihoods and so the runs: the daily values
// of each run, summed over each month in step order, must be exactly its
// monthly values, and both jobs must see the same runs.
func TestFilterPeriodsAgree(t *testing.T) {
	l := loadTTP(t)
	runs, block := 120, 60
	if testing.Short() {
		runs, block = 40, 20
	}
	f := &mc.Filter{Counts: l.Observed.MonthCounts(l.Scenario, 0), Facts: l.Observed.PhaseFacts(l.Scenario, 0), Block: block}
	if len(f.Facts) == 0 {
		t.Fatal("ttp-2021 has no phase facts: the test needs one mid-month")
	}
	job := func(p mc.Period) []*mc.RunResult {
		var out []*mc.RunResult
		_, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: runs, Seed: 5, SeedSet: true, Period: p, Filter: f,
			OnRun: func(r *mc.RunResult) error {
				c := *r
				out = append(out, &c)
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	days, months := job(mc.Day), job(mc.Month)
	dayStarts, _, err := mc.PeriodStarts(l.Scenario, mc.Day)
	if err != nil {
		t.Fatal(err)
	}
	monthStarts, _, err := mc.PeriodStarts(l.Scenario, mc.Month)
	if err != nil {
		t.Fatal(err)
	}
	k := mc.MetricIndex("attacks")
	for i := range days {
		d, m := days[i], months[i]
		if d.AttacksTotal != m.AttacksTotal || len(d.Ceasefires) != len(m.Ceasefires) {
			t.Fatalf("run %d: %v attacks and %d ceasefires with daily periods, %v and %d with monthly ones", i, d.AttacksTotal, len(d.Ceasefires), m.AttacksTotal, len(m.Ceasefires))
		}
		p := 0
		for j := range monthStarts {
			var sum float64
			for ; p < len(dayStarts) && (j+1 == len(monthStarts) || dayStarts[p] < monthStarts[j+1]); p++ {
				sum += d.Value(k, p)
			}
			if got := m.Value(k, j); got != sum {
				t.Fatalf("run %d, %s: monthly attacks %v, sum of the daily ones %v", i, monthStarts[j], got, sum)
			}
		}
	}
}
