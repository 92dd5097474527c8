// Package backtest verifies a scenario's forecasts the way conflict
// forecasters do (ViEWS, ACLED CAST): from rolling origins, each forecast
// made only with what was known at its origin, scored with proper scoring
// rules (CRPS, pinball loss, log score, Brier score, PIT, interval
// coverage) and set against naive baselines that are hard to beat
// (persistence, climatology, bootstrap of the last year).
//
// At an origin T (a month; the forecast is made at the end of its last day)
// the model runs the scenario without the events dated after T (AtOrigin),
// so a ceasefire extension announced later, a strike or a killing after T
// are unknown to it; the observations after T are used only to score the
// forecast. The baselines see the observed monthly series up to T and
// nothing else.
package backtest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
	"github.com/parley-sim/parley/sim/score"
)

// Model is the name of Parley's own forecaster in rows and skills.
const Model = "parley"

// Names of the baseline forecasters.
const (
	Persistence = "persistence" // Poisson at the last observed month's count
	Climatology = "climatology" // negative binomial fitted to the trailing months
	Boot        = "boot"        // the trailing months' counts resampled (ViEWS "boot")
)

// Baselines lists the baseline forecasters in output order.
var Baselines = []string{Persistence, Climatology, Boot}

// Targets scored, as written in the target column.
const (
	TargetAttacks   = "attacks"         // all attacks in the month (PICSS units)
	TargetCeasefire = "ceasefire_month" // a ceasefire in force on most days of the month
	prefixCeasefire = "ceasefire:"      // + id: the state at the month's end of a ceasefire in force at the origin
	prefixStrength  = "strength:"       // + id: a documented range of a level (fighters)
)

// Kinds of target.
const (
	KindCount    = "count"    // a count, scored with CRPS, pinball, PIT, coverage
	KindBinary   = "binary"   // yes/no, scored with the log and Brier scores
	KindCategory = "category" // one of several outcomes, log and Brier scores
	KindRange    = "range"    // a documented range, log score of P(inside)
)

// Levels are the central interval levels whose coverage is reported.
var Levels = []float64{0.5, 0.8, 0.9}

// Quantiles are the levels of the pinball loss (the quantiles the fan
// charts and summaries print).
var Quantiles = []float64{0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95}

// Options configure a backtest.
type Options struct {
	Origins   []sim.Date // first days of the origin months
	Horizons  []int      // months ahead; 1 is the month after the origin
	Baselines []string   // baselines to score (nil: all of Baselines)
	Trailing  int        // months of history for climatology and boot (0: 12)
	BootReps  int        // bootstrap resamples of the skill intervals (0: 2000)

	// Condition turns on data assimilation: the forecast from an origin
	// starts from the runs a particle filter keeps consistent with the
	// monthly counts and the ceasefire phases documented up to the origin
	// (mc.Filter), not from every state the model can reach. Origins with no documented month
	// inside the scenario's horizon are forecast unconditioned.
	Condition bool

	// Posterior, if set, gives each run its own parameter vector, drawn
	// from a calibration posterior (made for the scenario passed to Run:
	// Run re-makes it for each origin's truncated scenario).
	Posterior *sim.Draws

	Runs    int    // runs per origin (0: the scenario's)
	Seed    uint64 // master seed, used when SeedSet
	SeedSet bool
	Workers int // 0: every CPU

	// Progress, if set, is called after every run with the runs done over
	// all origins and their total.
	Progress func(done, total int)
}

// Row is one forecaster's score on one target from one origin.
type Row struct {
	Model    string
	Origin   sim.Date // first day of the origin month
	Horizon  int      // months ahead
	Target   string
	Kind     string
	Date     sim.Date // first day of the target month
	Observed string   // the observation as text
	Value    float64  // the observation as a number (NaN for categories)

	CRPS     float64 // continuous ranked probability score (counts; exact on the integers)
	Pinball  float64 // mean pinball loss over Quantiles (counts)
	IS80     float64 // interval score of the central 80% interval (counts)
	LogScore float64 // −log of the probability given to what happened (binary, category, range; counts: of the count)
	Brier    float64 // Brier score (binary, category)
	PIT      float64 // randomised probability integral transform (counts)
	Covered  [3]int  // 1 if the observation is inside the 50/80/90% interval, 0 if not, -1 not applicable

	Median, Lo80, Hi80 float64 // the forecast's median and 80% interval (counts, ranges)
	P                  float64 // probability given to what happened (binary, category, range)
}

// Fan is the model's forecast of monthly attacks from one origin.
type Fan struct {
	Origin   sim.Date
	Months   []sim.Date   // whole months of the run, from the scenario's start
	Q        [][7]float64 // Quantiles of attacks per month
	Observed []float64    // documented attacks per month (NaN where unknown)
	Forecast []bool       // whether the month lies after the origin
}

// Skill is a forecaster's skill against a baseline: 1 − score/score_baseline
// over the origins, with a bootstrap interval over origins.
type Skill struct {
	Model, Baseline string
	Target          string
	Score           string // crps, pinball or brier
	Horizon         int    // months ahead; 0 = all horizons pooled
	Value, Lo, Hi   float64
	Origins         int // origins scored
}

// Calibration summarises a forecaster's probabilistic calibration on the
// count targets.
type Calibration struct {
	Model    string
	N        int       // rows scored
	Coverage []float64 // observed coverage at Levels
	PIT      []float64 // PIT values
	ChiSq, P float64   // chi-square test of uniform PIT values
	Bins     int       // bins of that test
	CRPS     float64   // mean CRPS
	Pinball  float64   // mean pinball loss
}

// Result is a backtest's scores.
type Result struct {
	Scenario    *sim.Scenario
	Origins     []sim.Date
	Horizons    []int
	Runs        int
	Seed        uint64
	Workers     int
	DataEnd     sim.Date // last day of the documented history
	Rows        []Row
	Fans        []Fan
	Skills      []Skill
	Calibration []Calibration
	Conditioned bool              // whether forecasts were conditioned (Options.Condition)
	Filter      []*mc.FilterStats // per origin: the filter's statistics (nil: unconditioned)
}

// Cutoff states the information rule of every forecast, for manifests and
// summaries.
const Cutoff = "a forecast from origin month T uses only what was known at the end of T's last day: scenario events dated later are dropped, and observations after it are unseen (they only score the forecast)"

// truth is what the documented history says, used to score.
type truth struct {
	monthly    map[sim.Date]float64 // first day of month → attacks
	firstMonth sim.Date
	end        sim.Date // last documented day
	cfs        []cfTruth
	strength   []scenario.StrengthTarget
}

// cfTruth is a documented ceasefire.
type cfTruth struct {
	id       string
	declared sim.Date
	end      sim.Date // day it ended; 0 if it still held at known
	known    sim.Date // last day its state is documented
	endedBy  string
}

// state returns "holding", "ended", or "ended:<actor>" on day d, and
// whether it is documented.
func (c cfTruth) state(d sim.Date) (string, bool) {
	switch {
	case c.end > 0 && d >= c.end:
		if c.endedBy != "" {
			return "ended:" + c.endedBy, true
		}
		return "ended", true
	case c.end > 0 || d <= c.known:
		return "holding", true
	}
	return "", false
}

func newTruth(sc *sim.Scenario, obs *scenario.Observed) *truth {
	t := &truth{monthly: map[sim.Date]float64{}}
	declared := map[sim.Date]bool{}
	for _, e := range sc.Events {
		if e.Type == "declare_ceasefire" {
			declared[e.Date] = true
		}
	}
	if obs == nil {
		return t
	}
	for _, m := range obs.Monthly {
		t.monthly[m.Month] = m.Attacks
		if t.firstMonth == 0 || m.Month < t.firstMonth {
			t.firstMonth = m.Month
		}
		t.end = max(t.end, m.Month.MonthEnd())
	}
	if obs.Targets != nil {
		t.strength = obs.Targets.Strength
		for _, c := range obs.Targets.Ceasefire {
			if !declared[c.Declared] {
				continue
			}
			ct := cfTruth{id: c.ID, declared: c.Declared, endedBy: c.EndedBy}
			if c.Days > 0 {
				ct.end = c.Declared + sim.Date(c.Days)
				ct.known = ct.end
			} else {
				ct.known = c.Declared + sim.Date(c.MinDays)
			}
			t.end = max(t.end, ct.known)
			t.cfs = append(t.cfs, ct)
		}
	}
	return t
}

// ceasefireMonth reports whether a documented ceasefire was in force on
// more than half the days of month m, and whether that is known.
func (t *truth) ceasefireMonth(m sim.Date) (bool, bool) {
	last := m.MonthEnd()
	if last > t.end {
		return false, false
	}
	in := 0
	for d := m; d <= last; d++ {
		on := false
		for _, c := range t.cfs {
			if d < c.declared {
				continue
			}
			s, ok := c.state(d)
			if !ok {
				return false, false
			}
			on = on || s == "holding"
		}
		if on {
			in++
		}
	}
	return 2*in > int(last-m+1), true
}

// history returns the observed monthly series from the first documented
// month to the origin month, oldest first, NaN where undocumented.
func (t *truth) history(origin sim.Date) []float64 {
	var h []float64
	if t.firstMonth == 0 {
		return nil
	}
	for m := t.firstMonth; m <= origin; m = addMonths(m, 1) {
		v, ok := t.monthly[m]
		if !ok {
			v = math.NaN()
		}
		h = append(h, v)
	}
	return h
}

// Run backtests sc (with its observations obs) under opt.
func Run(ctx context.Context, sc *sim.Scenario, obs *scenario.Observed, opt Options) (*Result, error) {
	if len(opt.Origins) == 0 || len(opt.Horizons) == 0 {
		return nil, fmt.Errorf("backtest: need at least one origin and one horizon")
	}
	bases := opt.Baselines
	if bases == nil {
		bases = Baselines
	}
	for _, b := range bases {
		if b != Persistence && b != Climatology && b != Boot {
			return nil, fmt.Errorf("backtest: unknown baseline %q (allowed: %s, %s, %s)", b, Persistence, Climatology, Boot)
		}
	}
	trailing := opt.Trailing
	if trailing <= 0 {
		trailing = 12
	}
	reps := opt.BootReps
	if reps <= 0 {
		reps = 2000
	}
	runs := opt.Runs
	if runs <= 0 {
		runs = sc.Runs
	}
	seed := sc.Seed
	if opt.SeedSet {
		seed = opt.Seed
	}
	tr := newTruth(sc, obs)
	maxH := opt.Horizons[len(opt.Horizons)-1]
	for _, o := range opt.Origins {
		if o.MonthEnd() < sc.Start || o.MonthEnd() >= sc.End {
			return nil, fmt.Errorf("backtest: origin %s is outside the scenario's horizon %s to %s (the forecast must start inside it)", month(o), sc.Start, sc.End)
		}
	}

	res := &Result{Scenario: sc, Origins: opt.Origins, Horizons: opt.Horizons, Runs: runs, Seed: seed, DataEnd: tr.end, Conditioned: opt.Condition}
	// PIT randomisation: one stream, consumed in row order.
	pitRNG := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	done := 0
	total := runs * len(opt.Origins)
	for _, origin := range opt.Origins {
		last := origin.MonthEnd()
		end := addMonths(origin, maxH).MonthEnd()
		fsc, known := AtOrigin(sc, obs, last, end)
		o, err := forecast(ctx, fsc, known, origin, opt, runs, tr, func() {
			done++
			if opt.Progress != nil {
				opt.Progress(done, total)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("backtest: origin %s: %w", month(origin), err)
		}
		res.Workers = o.workers
		res.Fans = append(res.Fans, o.fan)
		res.Filter = append(res.Filter, o.filter)
		res.Rows = append(res.Rows, o.score(tr, bases, trailing, pitRNG)...)
	}
	res.Skills = skills(res.Rows, opt.Origins, opt.Horizons, bases, reps, seed)
	res.Calibration = calibration(res.Rows, append([]string{Model}, bases...))
	return res, nil
}

// originRun is the model's forecast from one origin, reduced to what is
// scored.
type originRun struct {
	origin   sim.Date
	horizons []int
	starts   []sim.Date
	period   map[sim.Date]int
	attacks  [][]float64 // per period, per run
	cfMonth  []int       // per period: runs with a ceasefire on most days
	runs     int
	cats     map[string]map[int]map[string]int // ceasefire id → horizon → category → runs
	strength map[string][]float64              // strength id → values
	strTgt   []scenario.StrengthTarget
	strH     []int
	fan      Fan
	filter   *mc.FilterStats
	workers  int
}

func forecast(ctx context.Context, fsc *sim.Scenario, known *scenario.Observed, origin sim.Date, opt Options, runs int, tr *truth, tick func()) (*originRun, error) {
	starts, full, err := mc.PeriodStarts(fsc, mc.Month)
	if err != nil {
		return nil, err
	}
	o := &originRun{origin: origin, starts: starts, period: map[sim.Date]int{}, runs: runs,
		attacks: make([][]float64, len(starts)), cfMonth: make([]int, len(starts)),
		cats: map[string]map[int]map[string]int{}, strength: map[string][]float64{}}
	for i, s := range starts {
		if full[i] {
			o.period[s] = i
		}
	}
	for _, h := range opt.Horizons {
		if _, ok := o.period[addMonths(origin, h)]; ok {
			o.horizons = append(o.horizons, h)
		}
	}
	// Ceasefires in force at the origin (documented), followed per horizon.
	var cfs []cfTruth
	for _, c := range tr.cfs {
		if s, ok := c.state(origin.MonthEnd()); c.declared <= origin.MonthEnd() && ok && s == "holding" {
			cfs = append(cfs, c)
			o.cats[c.id] = map[int]map[string]int{}
			for _, h := range o.horizons {
				o.cats[c.id][h] = map[string]int{}
			}
		}
	}
	// Strength estimates dated in a horizon month.
	for _, s := range tr.strength {
		for _, h := range o.horizons {
			if addMonths(origin, h) == s.Date.MonthStart() && mc.MetricIndex(s.Metric) >= 0 {
				o.strTgt = append(o.strTgt, s)
				o.strH = append(o.strH, h)
			}
		}
	}
	kAtt := mc.MetricIndex("attacks")
	kCf := mc.MetricIndex("p_ceasefire")
	mo := mc.Options{Runs: runs, Seed: opt.Seed, SeedSet: opt.SeedSet, Workers: opt.Workers}
	if opt.Posterior != nil {
		d, err := opt.Posterior.For(fsc)
		if err != nil {
			return nil, err
		}
		mo.Draws = d
	}
	if opt.Condition {
		// Only what was known: the truncated observations, up to the origin.
		last := origin.MonthEnd()
		if counts := known.MonthCounts(fsc, last); len(counts) > 0 {
			mo.Filter = &mc.Filter{Counts: counts, Facts: known.PhaseFacts(fsc, last), Until: last}
		}
	}
	mo.OnRun = func(r *mc.RunResult) error {
		for i := range starts {
			if full[i] {
				o.attacks[i] = append(o.attacks[i], r.Value(kAtt, i))
				if r.Value(kCf, i) > 0.5 {
					o.cfMonth[i]++
				}
			}
		}
		for _, c := range cfs {
			rec := r.FirstCeasefire("event " + c.declared.String())
			for _, h := range o.horizons {
				d := addMonths(origin, h).MonthEnd()
				cat := "none"
				switch {
				case rec == nil:
				case rec.Open || rec.End > d:
					cat = "holding"
				default:
					cat = "ended:" + rec.EndedBy
				}
				o.cats[c.id][h][cat]++
			}
		}
		for _, s := range o.strTgt {
			o.strength[s.ID] = append(o.strength[s.ID], r.Value(mc.MetricIndex(s.Metric), o.period[s.Date.MonthStart()]))
		}
		tick()
		return nil
	}
	mr, err := mc.Run(ctx, fsc, mo)
	if err != nil {
		return nil, err
	}
	o.workers = mr.Workers
	o.filter = mr.Filter
	o.fan = Fan{Origin: origin}
	for i, s := range starts {
		if !full[i] {
			continue
		}
		d := score.FromSamples(o.attacks[i])
		var q [7]float64
		for k, p := range Quantiles {
			q[k] = float64(d.Quantile(p))
		}
		v, ok := tr.monthly[s]
		if !ok {
			v = math.NaN()
		}
		o.fan.Months = append(o.fan.Months, s)
		o.fan.Q = append(o.fan.Q, q)
		o.fan.Observed = append(o.fan.Observed, v)
		o.fan.Forecast = append(o.fan.Forecast, s > origin)
	}
	return o, nil
}

// score scores the model and the baselines on every target of the origin.
func (o *originRun) score(tr *truth, bases []string, trailing int, rng *rand.Rand) []Row {
	var rows []Row
	hist := tr.history(o.origin)
	cfHist := tr.ceasefireHistory(o.origin)
	for _, h := range o.horizons {
		m := addMonths(o.origin, h)
		i := o.period[m]
		// Monthly attacks.
		if y, ok := tr.monthly[m]; ok {
			v := rng.Float64()
			base := Row{Origin: o.origin, Horizon: h, Target: TargetAttacks, Kind: KindCount, Date: m,
				Observed: fmt.Sprintf("%.0f", y), Value: y, P: math.NaN(), Brier: math.NaN()}
			rows = append(rows, countRow(base, Model, score.FromSamples(o.attacks[i]), y, v))
			for _, b := range bases {
				if d, ok := baseline(b, hist, trailing); ok {
					rows = append(rows, countRow(base, b, d, y, v))
				}
			}
		}
		// Ceasefire on most days of the month.
		if on, ok := tr.ceasefireMonth(m); ok {
			obs := "no"
			if on {
				obs = "yes"
			}
			base := Row{Origin: o.origin, Horizon: h, Target: TargetCeasefire, Kind: KindBinary, Date: m, Observed: obs, Value: b2f(on)}
			p := (float64(o.cfMonth[i]) + 0.5) / (float64(o.runs) + 1)
			rows = append(rows, binaryRow(base, Model, p, on))
			for _, b := range bases {
				if p, ok := binaryBaseline(b, cfHist, trailing); ok {
					rows = append(rows, binaryRow(base, b, p, on))
				}
			}
		}
		// Ceasefires in force at the origin: holding or ended (by whom).
		for _, c := range tr.cfs {
			cats, ok := o.cats[c.id]
			if !ok {
				continue
			}
			obs, known := c.state(m.MonthEnd())
			if !known {
				continue
			}
			probs := categorical(cats[h], o.runs)
			p := probs.Prob(obs)
			if obs == "ended" { // who ended it is undocumented
				p = 0
				for _, l := range probs.Labels {
					if len(l) > 6 && l[:6] == "ended:" {
						p += probs.Prob(l)
					}
				}
			}
			r := Row{Model: Model, Origin: o.origin, Horizon: h, Target: prefixCeasefire + c.id, Kind: KindCategory, Date: m,
				Observed: obs, Value: math.NaN(), P: p, LogScore: score.LogScore(p), Brier: probs.Brier(obs),
				CRPS: math.NaN(), Pinball: math.NaN(), IS80: math.NaN(), PIT: math.NaN(), Median: math.NaN(), Lo80: math.NaN(), Hi80: math.NaN()}
			r.Covered = [3]int{-1, -1, -1}
			rows = append(rows, r)
		}
	}
	// Documented strength ranges dated in a horizon month.
	for j, s := range o.strTgt {
		rows = append(rows, rangeRow(o.origin, o.strH[j], s, o.strength[s.ID]))
	}
	return rows
}

// rangeRow scores the model on a documented range [low, high] of a level:
// the log score of the probability it gave the range, and whether its
// central intervals overlap the range (an estimate's range is not a point,
// so "covered" means the two intervals share a value).
func rangeRow(origin sim.Date, h int, s scenario.StrengthTarget, xs []float64) Row {
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)
	in := 0
	for _, x := range sorted {
		if x >= s.Low && x <= s.High {
			in++
		}
	}
	p := (float64(in) + 0.5) / (float64(len(sorted)) + 1)
	q := func(p float64) float64 {
		if len(sorted) == 0 {
			return math.NaN()
		}
		return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
	}
	r := Row{Model: Model, Origin: origin, Horizon: h, Target: prefixStrength + s.ID, Kind: KindRange, Date: s.Date.MonthStart(),
		Observed: fmt.Sprintf("%.0f–%.0f %s", s.Low, s.High, s.Metric), Value: math.NaN(), P: p, LogScore: score.LogScore(p),
		CRPS: math.NaN(), Pinball: math.NaN(), IS80: math.NaN(), PIT: math.NaN(), Brier: math.NaN(),
		Median: q(0.5), Lo80: q(0.1), Hi80: q(0.9)}
	for j, l := range Levels {
		lo, hi := q((1-l)/2), q((1+l)/2)
		r.Covered[j] = int(b2f(lo <= s.High && hi >= s.Low))
	}
	return r
}

// ceasefireHistory is the documented ceasefire-month indicator from the
// first documented month to the origin (1 or 0; NaN where unknown).
func (t *truth) ceasefireHistory(origin sim.Date) []float64 {
	var h []float64
	if t.firstMonth == 0 {
		return nil
	}
	for m := t.firstMonth; m <= origin; m = addMonths(m, 1) {
		on, ok := t.ceasefireMonth(m)
		switch {
		case !ok:
			h = append(h, math.NaN())
		default:
			h = append(h, b2f(on))
		}
	}
	return h
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// categorical turns category counts into probabilities with a small
// Jeffreys-style prior (half a run per category seen), so that no outcome
// the runs never produced gets probability zero.
func categorical(counts map[string]int, runs int) score.Categorical {
	labels := make([]string, 0, len(counts)+1)
	for l := range counts {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	c := score.Categorical{Labels: labels, P: make([]float64, len(labels))}
	tot := float64(runs) + 0.5*float64(len(labels))
	for i, l := range labels {
		c.P[i] = (float64(counts[l]) + 0.5) / tot
	}
	return c
}

func countRow(r Row, model string, d score.Counts, y, v float64) Row {
	k := int(math.Round(y))
	r.Model = model
	r.CRPS = d.CRPS(k)
	var pin float64
	for _, q := range Quantiles {
		pin += d.Pinball(k, q)
	}
	r.Pinball = pin / float64(len(Quantiles))
	r.IS80 = d.IntervalScore(k, 0.8)
	r.LogScore = d.LogScore(k)
	r.PIT = d.PIT(k, v)
	for j, l := range Levels {
		r.Covered[j] = int(b2f(d.Covered(k, l)))
	}
	lo, hi := d.Interval(0.8)
	r.Median, r.Lo80, r.Hi80 = float64(d.Quantile(0.5)), float64(lo), float64(hi)
	return r
}

func binaryRow(r Row, model string, p float64, on bool) Row {
	r.Model = model
	pObs := p
	if !on {
		pObs = 1 - p
	}
	r.P = pObs
	r.LogScore = score.LogScore(pObs)
	r.Brier = 2 * (1 - pObs) * (1 - pObs) // two-category Brier score
	r.CRPS, r.Pinball, r.IS80, r.PIT = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	r.Median, r.Lo80, r.Hi80 = math.NaN(), math.NaN(), math.NaN()
	r.Covered = [3]int{-1, -1, -1}
	return r
}

// baseline returns a baseline's forecast of a month's count from the
// observed history (oldest first, NaN = undocumented).
func baseline(name string, hist []float64, trailing int) (score.Counts, bool) {
	n := 0
	for _, v := range hist {
		if !math.IsNaN(v) {
			n++
		}
	}
	if n == 0 {
		return score.Counts{}, false
	}
	switch name {
	case Persistence:
		return score.Persistence(hist), true
	case Climatology:
		return score.Climatology(hist, trailing), true
	case Boot:
		return score.Boot(hist, trailing), true
	}
	return score.Counts{}, false
}

// binaryBaseline is a baseline's probability that the month is a
// ceasefire month: persistence gives the last documented month's state a
// smoothed 3:1 (Laplace's rule on one month: (1 + ½)/(1 + 1)); climatology
// and boot give the smoothed share of ceasefire months over the trailing
// months ((k + ½)/(n + 1)).
func binaryBaseline(name string, hist []float64, trailing int) (float64, bool) {
	var xs []float64
	for _, v := range hist {
		if !math.IsNaN(v) {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return 0, false
	}
	switch name {
	case Persistence:
		return (xs[len(xs)-1] + 0.5) / 2, true
	case Climatology, Boot:
		if len(xs) > trailing {
			xs = xs[len(xs)-trailing:]
		}
		k := 0.0
		for _, x := range xs {
			k += x
		}
		return (k + 0.5) / (float64(len(xs)) + 1), true
	}
	return 0, false
}
