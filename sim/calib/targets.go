// Package calib ties scenarios to the documented history: it scores a
// scenario's simulated distributions against observed targets (ceasefire
// durations and who ended them, monthly attacks, strength estimates,
// ordinal facts), fits free parameters with Nelder–Mead on common random
// numbers, and estimates how tightly the history pins them with
// approximate Bayesian computation.
//
// The loss of a target is a negative log-likelihood of the observation
// under the simulated distribution (MODEL.md §5 gives each form); the
// scenario's loss is their weighted sum.
package calib

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
	"github.com/parley-sim/parley/sim/score"
)

// Kinds of target.
const (
	KindDuration = "ceasefire_days"     // how long a ceasefire held (exact)
	KindHeld     = "ceasefire_held"     // a ceasefire held at least so long (censored)
	KindEndedBy  = "ceasefire_ended_by" // who ended it
	KindCause    = "ceasefire_cause"    // which rule ended it
	KindMonthly  = "monthly_attacks"    // attacks in a month
	KindStrength = "strength"           // a level (fighters) in a documented range
	KindOrdinal  = "ordinal"            // a documented ordering or threshold
)

// Target is one observation a scenario is scored on.
type Target struct {
	ID       string  // e.g. E08, E08.ended_by, attacks 2021-11
	Kind     string  // one of the Kind constants
	Label    string  // plain words
	Observed string  // the observation as text
	Value    float64 // the observation as a number where it is one (NaN otherwise)
	Weight   float64
	Source   string
	Low      float64 // documented range of a strength target
	High     float64

	origin   string   // ceasefire group origin
	days     float64  // duration or minimum duration
	category string   // actor or cause
	metric   int      // mc metric index
	period   int      // period index (monthly, strength)
	winA     []int    // ordinal: periods of the lower window / the window
	winB     []int    // ordinal: periods of the higher window
	atLeast  float64  // ordinal threshold
	atMost   float64  // ordinal threshold
	date     sim.Date // for sorting
}

// Outcome is a target scored against a simulation.
type Outcome struct {
	Target
	N        int     // runs in which the target could be scored (the ceasefire occurred)
	Median   float64 // simulated median (NaN for categories)
	Lo, Hi   float64 // simulated 80% interval (10th and 90th percentiles)
	P        float64 // simulated probability of the observed event (categories, censored, ranges, orderings); NaN otherwise
	Loss     float64 // the target's negative log-likelihood (unweighted): its log score
	CRPS     float64 // continuous ranked probability score (monthly counts and durations; NaN otherwise)
	Width    float64 // width of the simulated 80% interval (NaN for categories)
	Hit      bool    // the strict hit rule of the target's kind (see HitRule and MODEL.md §4.2)
	Missing  bool    // the scenario never produced what the target is about (e.g. no such ceasefire)
	PIT      float64 // mid-PIT of a monthly count (NaN otherwise)
	Explains string  // why it is a hit or a miss, in words
}

// Targets resolves the observations that apply to a scenario: ceasefires it
// declares, whole months, dates and windows inside its horizon. Others are
// left out (they belong to other episodes).
func Targets(sc *sim.Scenario, obs *scenario.Observed) ([]Target, error) {
	if obs == nil {
		return nil, nil
	}
	starts, full, err := mc.PeriodStarts(sc, mc.Month)
	if err != nil {
		return nil, err
	}
	periodOf := func(d sim.Date) int {
		for i := len(starts) - 1; i >= 0; i-- {
			if starts[i] <= d {
				return i
			}
		}
		return -1
	}
	inside := func(d sim.Date) bool { return d >= sc.Start && d <= sc.End }
	declared := map[sim.Date]bool{}
	for _, e := range sc.Events {
		if e.Type == "declare_ceasefire" || e.Type == "extend_ceasefire" {
			declared[e.Date] = true
		}
	}
	var out []Target
	t := obs.Targets
	if t == nil {
		t = &scenario.Targets{Monthly: scenario.MonthlyTarget{Weight: 1}}
	}
	for _, c := range t.Ceasefire {
		if !declared[c.Declared] || !inside(c.Declared) {
			continue
		}
		origin := "event " + c.Declared.String()
		horizon := float64(sc.End - c.Declared)
		if c.Days > 0 && c.Days < horizon {
			out = append(out, Target{ID: c.ID, Kind: KindDuration, Label: fmt.Sprintf("ceasefire of %s: days held", c.Declared),
				Observed: fmt.Sprintf("%.0f days", c.Days), Value: c.Days, Weight: c.Weight, Source: c.Source, origin: origin, days: c.Days, date: c.Declared})
		}
		if c.MinDays > 0 && c.MinDays < horizon {
			out = append(out, Target{ID: c.ID, Kind: KindHeld, Label: fmt.Sprintf("ceasefire of %s: held at least %.0f days", c.Declared, c.MinDays),
				Observed: fmt.Sprintf("> %.0f days", c.MinDays), Value: c.MinDays, Weight: c.Weight, Source: c.Source, origin: origin, days: c.MinDays, date: c.Declared})
		}
		if c.EndedBy != "" {
			out = append(out, Target{ID: c.ID + ".ended_by", Kind: KindEndedBy, Label: fmt.Sprintf("ceasefire of %s: ended by", c.Declared),
				Observed: c.EndedBy, Value: math.NaN(), Weight: c.Weight, Source: c.Source, origin: origin, category: c.EndedBy, date: c.Declared})
		}
		if c.Cause != "" {
			out = append(out, Target{ID: c.ID + ".cause", Kind: KindCause, Label: fmt.Sprintf("ceasefire of %s: ended because", c.Declared),
				Observed: c.Cause, Value: math.NaN(), Weight: c.Weight, Source: c.Source, origin: origin, category: c.Cause, date: c.Declared})
		}
	}
	k := mc.MetricIndex("attacks")
	for _, m := range obs.Monthly {
		i := periodOf(m.Month)
		if i < 0 || starts[i] != m.Month || !full[i] {
			continue
		}
		out = append(out, Target{ID: "attacks " + m.Month.String()[:7], Kind: KindMonthly, Label: "attacks in " + m.Month.String()[:7],
			Observed: fmt.Sprintf("%.0f", m.Attacks), Value: m.Attacks, Weight: t.Monthly.Weight, Source: m.Source, metric: k, period: i, date: m.Month})
	}
	for _, s := range t.Strength {
		if !inside(s.Date) {
			continue
		}
		k := mc.MetricIndex(s.Metric)
		if k < 0 {
			return nil, fmt.Errorf("calib: target %s: unknown metric %q", s.ID, s.Metric)
		}
		out = append(out, Target{ID: s.ID, Kind: KindStrength, Label: fmt.Sprintf("%s in %s", strengthLabel(s.Metric), s.Date.String()[:7]),
			Observed: fmt.Sprintf("%.0f–%.0f", s.Low, s.High), Value: math.NaN(), Weight: s.Weight, Source: s.Source,
			metric: k, period: periodOf(s.Date), Low: s.Low, High: s.High, date: s.Date})
	}
	for _, o := range t.Ordinal {
		k := mc.MetricIndex(o.Metric)
		if k < 0 {
			return nil, fmt.Errorf("calib: target %s: unknown metric %q", o.ID, o.Metric)
		}
		win := func(w []sim.Date) ([]int, bool) {
			if len(w) != 2 || !inside(w[0]) || !inside(w[1]) {
				return nil, false
			}
			var ps []int
			for i, s := range starts {
				if s >= w[0].MonthStart() && s <= w[1] {
					ps = append(ps, i)
				}
			}
			return ps, len(ps) > 0
		}
		tg := Target{ID: o.ID, Kind: KindOrdinal, Label: o.Text, Value: math.NaN(), Weight: o.Weight, Source: o.Source, metric: k,
			atLeast: o.AtLeast, atMost: o.AtMost}
		if len(o.Window) > 0 {
			ps, ok := win(o.Window)
			if !ok {
				continue
			}
			tg.winA, tg.date = ps, o.Window[0]
			if o.AtLeast > 0 {
				tg.Observed = fmt.Sprintf("%s ≥ %.0f from %s to %s", o.Metric, o.AtLeast, o.Window[0], o.Window[1])
			} else {
				tg.Observed = fmt.Sprintf("%s ≤ %.0f from %s to %s", o.Metric, o.AtMost, o.Window[0], o.Window[1])
			}
		} else {
			a, ok1 := win(o.Lower)
			b, ok2 := win(o.Higher)
			if !ok1 || !ok2 {
				continue
			}
			tg.winA, tg.winB, tg.date = a, b, min(o.Lower[0], o.Higher[0])
			tg.Observed = fmt.Sprintf("%s lower %s–%s than %s–%s", o.Metric, o.Lower[0], o.Lower[1], o.Higher[0], o.Higher[1])
		}
		out = append(out, tg)
	}
	sort.SliceStable(out, func(i, j int) bool { return kindOrder(out[i].Kind) < kindOrder(out[j].Kind) })
	return out, nil
}

func kindOrder(k string) int {
	switch k {
	case KindDuration, KindHeld, KindEndedBy, KindCause:
		return 0
	case KindMonthly:
		return 1
	case KindStrength:
		return 2
	}
	return 3
}

// scorer collects, run by run, what each target needs.
type scorer struct {
	targets []Target
	vals    [][]float64 // per target, per run: the simulated value (NaN: not scorable)
}

func newScorer(ts []Target) *scorer {
	return &scorer{targets: ts, vals: make([][]float64, len(ts))}
}

// add records one run.
func (s *scorer) add(r *mc.RunResult) {
	sum := func(k int, ps []int) float64 {
		x := 0.0
		for _, p := range ps {
			x += r.Value(k, p)
		}
		return x
	}
	for i := range s.targets {
		t := &s.targets[i]
		v := math.NaN()
		switch t.Kind {
		case KindDuration, KindHeld:
			if c := r.FirstCeasefire(t.origin); c != nil {
				v = float64(c.Days())
				if c.Open {
					v = math.Inf(1) // censored at the horizon, which lies beyond the target
				}
			}
		case KindEndedBy:
			if c := r.FirstCeasefire(t.origin); c != nil {
				v = b2f(!c.Open && c.EndedBy == t.category)
			}
		case KindCause:
			if c := r.FirstCeasefire(t.origin); c != nil {
				v = b2f(!c.Open && c.Cause == t.category)
			}
		case KindMonthly, KindStrength:
			v = r.Value(t.metric, t.period)
		case KindOrdinal:
			a := sum(t.metric, t.winA)
			switch {
			case t.winB != nil:
				v = b2f(a < sum(t.metric, t.winB))
			case t.atLeast > 0:
				v = b2f(a >= t.atLeast)
			default:
				v = b2f(a <= t.atMost)
			}
		}
		s.vals[i] = append(s.vals[i], v)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// quantile of sorted xs (type 7, like R's default); +Inf values allowed.
func quantile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := p * float64(len(xs)-1)
	i := int(h)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	if math.IsInf(xs[i+1], 1) {
		if h == float64(i) {
			return xs[i]
		}
		return math.Inf(1)
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// pOf is the smoothed probability (k+½)/(n+1) of an event seen k times in n.
func pOf(k, n int) float64 { return (float64(k) + 0.5) / (float64(n) + 1) }

// HitRule states, per kind of target, when a target counts as a hit. The
// rules are strict on purpose: a category is a hit only when the simulation
// makes it at least as likely as not, an interval only when it is not so
// wide that it says nothing near the observation.
var HitRule = map[string]string{
	KindDuration: "inside the 80% interval and at least 10% of runs within ±max(3 days, 15%) of it",
	KindHeld:     "at least half of the runs held that long",
	KindEndedBy:  "at least half of the runs ended it that way",
	KindCause:    "at least half of the runs ended it for that reason",
	KindMonthly:  "inside the 80% interval",
	KindStrength: "the 80% interval overlaps the documented range",
	KindOrdinal:  "true in at least half of the runs",
}

// outcomes scores every target.
func (s *scorer) outcomes() []Outcome {
	out := make([]Outcome, len(s.targets))
	for i, t := range s.targets {
		var xs []float64
		for _, v := range s.vals[i] {
			if !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		sort.Float64s(xs)
		o := Outcome{Target: t, N: len(xs), Median: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), P: math.NaN(), CRPS: math.NaN(), Width: math.NaN(), PIT: math.NaN()}
		n := len(xs)
		if n == 0 {
			// The scenario never produced it: the worst loss we can give
			// with the smoothing used everywhere.
			o.Missing, o.Loss, o.P = true, -math.Log(pOf(0, len(s.vals[i]))), 0
			o.Explains = "never occurs in the simulation"
			out[i] = o
			continue
		}
		count := func(pred func(float64) bool) int {
			k := 0
			for _, x := range xs {
				if pred(x) {
					k++
				}
			}
			return k
		}
		switch t.Kind {
		case KindDuration:
			o.Median, o.Lo, o.Hi = quantile(xs, 0.5), quantile(xs, 0.1), quantile(xs, 0.9)
			w := math.Max(3, 0.15*t.days)
			k := count(func(x float64) bool { return math.Abs(x-t.days) <= w })
			o.P = pOf(k, n)
			o.Loss = -math.Log(o.P)
			o.Hit = t.days >= o.Lo && t.days <= o.Hi && float64(k) >= 0.1*float64(n)
			o.CRPS = crpsCapped(xs, t.days)
			o.Explains = fmt.Sprintf("%.0f%% of simulated ceasefires ended within ±%.0f days of it (hit: inside the 80%% interval and at least 10%%)", 100*float64(k)/float64(n), w)
		case KindHeld:
			o.Median, o.Lo, o.Hi = quantile(xs, 0.5), quantile(xs, 0.1), quantile(xs, 0.9)
			k := count(func(x float64) bool { return x > t.days })
			o.P = pOf(k, n)
			o.Loss = -math.Log(o.P)
			o.Hit = float64(k)/float64(n) >= 0.5
			o.Explains = fmt.Sprintf("%.0f%% of simulated ceasefires held that long (hit: at least half)", 100*float64(k)/float64(n))
		case KindEndedBy, KindCause, KindOrdinal:
			k := count(func(x float64) bool { return x == 1 })
			o.P = pOf(k, n)
			o.Loss = -math.Log(o.P)
			if t.Kind == KindOrdinal {
				o.Hit = float64(k)/float64(n) >= 0.5
				o.Explains = fmt.Sprintf("true in %.0f%% of runs (hit: at least half)", 100*float64(k)/float64(n))
			} else {
				o.Hit = float64(k)/float64(n) >= 0.5
				o.Explains = fmt.Sprintf("%.0f%% of simulated ceasefires (hit: at least half)", 100*float64(k)/float64(n))
			}
		case KindMonthly:
			o.Median, o.Lo, o.Hi = quantile(xs, 0.5), quantile(xs, 0.1), quantile(xs, 0.9)
			// The log score of the count under the model's own count
			// distribution: a negative binomial with the runs' mean and
			// dispersion (the empirical distribution is too ragged at a
			// few hundred runs to give every count a probability).
			y := int(math.Round(t.Value))
			o.Loss = score.NegBinomial(score.FitNegBinomial(xs)).LogScore(y)
			o.CRPS = score.FromSamples(xs).CRPS(y)
			o.PIT = score.FromSamples(xs).PIT(y, 0.5)
			o.Hit = t.Value >= o.Lo && t.Value <= o.Hi
			o.Explains = fmt.Sprintf("PIT %.2f", o.PIT)
		case KindStrength:
			o.Median, o.Lo, o.Hi = quantile(xs, 0.5), quantile(xs, 0.1), quantile(xs, 0.9)
			k := count(func(x float64) bool { return x >= t.Low && x <= t.High })
			o.P = pOf(k, n)
			o.Loss = -math.Log(o.P)
			o.Hit = o.Hi >= t.Low && o.Lo <= t.High
			o.Explains = fmt.Sprintf("%.0f%% of runs inside the documented range", 100*float64(k)/float64(n))
		}
		if !math.IsNaN(o.Lo) && !math.IsNaN(o.Hi) {
			o.Width = o.Hi - o.Lo
		}
		out[i] = o
	}
	return out
}

// crpsCapped is the CRPS of the sorted durations xs for observation y,
// with ceasefires still holding at the horizon (+Inf) counted as holding
// to the longest finite duration or y, whichever is later: a lower bound
// of the CRPS the censored runs would have.
func crpsCapped(xs []float64, y float64) float64 {
	top := y
	for _, x := range xs {
		if !math.IsInf(x, 1) {
			top = math.Max(top, x)
		}
	}
	cp := make([]float64, len(xs))
	for i, x := range xs {
		cp[i] = math.Min(x, top)
	}
	return score.CRPSSamples(cp, y)
}

// Evaluation is a scenario scored on its targets.
type Evaluation struct {
	Scenario *sim.Scenario
	Result   *mc.Result
	Outcomes []Outcome
	Loss     float64 // weighted sum of the targets' losses
	Hits     int

	// Proper scores, the headline of check: the mean log score over every
	// target, and the mean CRPS of the monthly attack counts.
	MeanLogScore float64
	MonthlyCRPS  float64
	MonthlyN     int
}

// Coverage returns the share of targets that were hits.
func (e *Evaluation) Coverage() float64 {
	if len(e.Outcomes) == 0 {
		return math.NaN()
	}
	return float64(e.Hits) / float64(len(e.Outcomes))
}

// Evaluate simulates sc under opt (monthly periods) and scores it on the
// targets. opt.OnRun, if set, is still called.
func Evaluate(ctx context.Context, sc *sim.Scenario, targets []Target, opt mc.Options) (*Evaluation, error) {
	s := newScorer(targets)
	on := opt.OnRun
	opt.OnRun = func(r *mc.RunResult) error {
		s.add(r)
		if on != nil {
			return on(r)
		}
		return nil
	}
	opt.Period = mc.Month
	res, err := mc.Run(ctx, sc, opt)
	if err != nil {
		return nil, err
	}
	e := &Evaluation{Scenario: sc, Result: res, Outcomes: s.outcomes()}
	for _, o := range e.Outcomes {
		e.Loss += o.Weight * o.Loss
		e.MeanLogScore += o.Loss
		if o.Hit {
			e.Hits++
		}
		if o.Kind == KindMonthly && !math.IsNaN(o.CRPS) {
			e.MonthlyCRPS += o.CRPS
			e.MonthlyN++
		}
	}
	if n := len(e.Outcomes); n > 0 {
		e.MeanLogScore /= float64(n)
	}
	if e.MonthlyN > 0 {
		e.MonthlyCRPS /= float64(e.MonthlyN)
	} else {
		e.MonthlyCRPS = math.NaN()
	}
	return e, nil
}

// strengthLabel names the metric of a strength target in words, with its
// unit: fighters_rival is "fighters of the rival".
func strengthLabel(metric string) string {
	switch metric {
	case "fighters_insurgent":
		return "fighters of member factions"
	case "fighters_splinter":
		return "fighters of splinters"
	case "fighters_rival":
		return "fighters of the rival"
	}
	return metric
}
