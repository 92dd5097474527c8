package sweep

import (
	"math"
	"slices"
	"strconv"

	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/sim"
)

// HoldDays is the ceasefire duration of the p_hold_180 outcome.
const HoldDays = 180

// Outcomes names the outcome summaries of points.csv, in column order:
//
//   - p_ceasefire: share of runs with at least one ceasefire;
//   - cf_days_p10, cf_days_p50, cf_days_p90: Kaplan–Meier quantiles of the
//     duration (days) of each run's first ceasefire, censored at the horizon;
//     empty when the survival curve does not fall that low;
//   - p_hold_180: Kaplan–Meier probability that a run's first ceasefire holds
//     at least 180 days; empty when no ceasefire was followed that long;
//   - attacks_mean, attacks_p10, attacks_p50, attacks_p90: total attacks of
//     a run (PICSS units);
//   - defected_mean: fighters who went over to the rival, mean per run;
//   - p_faction_defection, p_split, p_settlement: share of runs where a
//     whole faction defected, a faction split off, a settlement was signed.
var Outcomes = []string{"p_ceasefire", "cf_days_p10", "cf_days_p50", "cf_days_p90", "p_hold_180",
	"attacks_mean", "attacks_p10", "attacks_p50", "attacks_p90", "defected_mean",
	"p_faction_defection", "p_split", "p_settlement"}

// RunsHeader is the header of runs.csv (--keep-runs): one row per run.
var RunsHeader = []string{"point", "run", "seed", "attacks_total", "defections_to_rival", "faction_defections",
	"splits", "ceasefires", "first_ceasefire_days", "first_ceasefire_open", "settlement_date"}

// acc accumulates one point's runs.
type acc struct {
	runs                          int
	attacks                       []float64
	defected                      float64
	cf, facDef, split, settlement int
	dur                           []int  // first ceasefire's days
	open                          []bool // whether it was still holding
}

func (a *acc) reset() {
	*a = acc{attacks: a.attacks[:0], dur: a.dur[:0], open: a.open[:0]}
}

func (a *acc) add(r *sim.Record) {
	a.runs++
	a.attacks = append(a.attacks, r.AttacksTotal)
	a.defected += r.DefectedFighters
	if r.FactionDefections > 0 {
		a.facDef++
	}
	if r.Splits > 0 {
		a.split++
	}
	if r.Settlement != 0 {
		a.settlement++
	}
	if len(r.Ceasefires) > 0 {
		a.cf++
		c := r.Ceasefires[0]
		a.dur = append(a.dur, c.Days())
		a.open = append(a.open, c.Open)
	}
}

// summary returns the outcome values in Outcomes order.
func (a *acc) summary(dst []float64) []float64 {
	n := float64(a.runs)
	q10, q50, q90, hold := kmSummary(a.dur, a.open)
	slices.Sort(a.attacks)
	mean := 0.0
	for _, x := range a.attacks {
		mean += x
	}
	mean /= n
	return append(dst[:0], float64(a.cf)/n, q10, q50, q90, hold,
		mean, quantile(a.attacks, 0.1), quantile(a.attacks, 0.5), quantile(a.attacks, 0.9),
		a.defected/n, float64(a.facDef)/n, float64(a.split)/n, float64(a.settlement)/n)
}

// quantile is the type-7 (linear) quantile of sorted xs.
func quantile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := p * float64(len(xs)-1)
	i := int(h)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// kmSummary computes the Kaplan–Meier estimate of durations (open ones
// censored) and returns the 10%, 50% and 90% duration quantiles — the first
// day by which the survival P(T > d) has fallen to 0.9, 0.5, 0.1 — and
// P(T >= HoldDays). Values the data cannot give are NaN.
func kmSummary(dur []int, open []bool) (q10, q50, q90, hold float64) {
	q10, q50, q90, hold = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if len(dur) == 0 {
		return
	}
	idx := make([]int, len(dur))
	for i := range idx {
		idx[i] = i
	}
	// Sort by duration; at equal durations events come before censorings.
	slices.SortFunc(idx, func(x, y int) int {
		if dur[x] != dur[y] {
			return dur[x] - dur[y]
		}
		if open[x] == open[y] {
			return 0
		}
		if !open[x] {
			return -1
		}
		return 1
	})
	s, atRisk := 1.0, len(dur)
	holdSet := false
	for i := 0; i < len(idx); {
		t := dur[idx[i]]
		if !holdSet && t >= HoldDays {
			hold, holdSet = s, true // P(T >= HoldDays): events before HoldDays only
		}
		deaths, n := 0, 0
		for i < len(idx) && dur[idx[i]] == t {
			if !open[idx[i]] {
				deaths++
			}
			n++
			i++
		}
		if deaths > 0 {
			s *= 1 - float64(deaths)/float64(atRisk)
			for _, q := range []struct {
				p float64
				v *float64
			}{{0.9, &q10}, {0.5, &q50}, {0.1, &q90}} {
				if math.IsNaN(*q.v) && s <= q.p+1e-12 {
					*q.v = float64(t)
				}
			}
		}
		atRisk -= n
	}
	if !holdSet && s == 0 {
		hold = 0
	}
	return
}

// appendRow formats a CSV row of numbers (report.Num) after a leading index.
func appendRow(b []byte, point int, vals ...[]float64) []byte {
	b = strconv.AppendInt(b, int64(point), 10)
	for _, vs := range vals {
		for _, v := range vs {
			b = append(b, ',')
			b = append(b, tabular.Num(v)...)
		}
	}
	return append(b, '\n')
}

// appendRun formats one runs.csv row.
func appendRun(b []byte, point int, r *sim.Record) []byte {
	b = strconv.AppendInt(b, int64(point), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Run), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, r.Seed, 10)
	b = append(b, ',')
	b = append(b, tabular.Num(r.AttacksTotal)...)
	b = append(b, ',')
	b = append(b, tabular.Num(r.DefectedFighters)...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.FactionDefections), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Splits), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(len(r.Ceasefires)), 10)
	b = append(b, ',')
	if len(r.Ceasefires) > 0 {
		b = strconv.AppendInt(b, int64(r.Ceasefires[0].Days()), 10)
		b = append(b, ',')
		b = strconv.AppendBool(b, r.Ceasefires[0].Open)
	} else {
		b = append(b, ',')
	}
	b = append(b, ',')
	if r.Settlement != 0 {
		b = append(b, r.Settlement.String()...)
	}
	return append(b, '\n')
}
