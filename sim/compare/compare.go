// Package compare answers "what difference would X make?": it runs a base
// scenario and one or more variants on the same per-run random streams
// (common random numbers) and reports paired differences with confidence
// intervals, the share of runs in which each variant did better, and how
// the causes of ceasefire breakdown shift.
//
// Because run i of every scenario draws from the same streams, a variant
// identical to the base gives exactly zero differences, and the variance of
// the paired differences is far below that of two independent Monte Carlo
// runs: small effects become visible with few runs.
package compare

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// Options configure a comparison. The embedded mc.Options give runs, seed,
// workers, period and progress; OnRun is ignored.
type Options struct {
	mc.Options
	// HoldDays are the durations d for which P(ceasefire holds d days) is
	// compared; default 30, 90 and 180 days.
	HoldDays []int
}

// Effect is the paired difference variant − base of one outcome.
type Effect struct {
	mc.PairedSummary
	Outcome   string   // machine name, e.g. attacks_total, ceasefire_days, holds_90d, attacks
	Label     string   // plain words, e.g. "attacks over the horizon" (per ceasefire: "P(holds 90 days)")
	Unit      string   // attacks, days, fighters, factions, splits, probability, ...
	Ceasefire string   // the ceasefire group's origin for per-ceasefire outcomes, else ""
	Date      sim.Date // the period start for per-period outcomes, else 0
}

// Relative returns the effect and its 95% interval as fractions of the
// base mean (NaN when the base mean is 0).
func (e Effect) Relative() (d, lo, hi float64) {
	b := math.Abs(e.Base)
	if b == 0 || math.IsNaN(b) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	return e.Diff / b, e.Lo / b, e.Hi / b
}

// Shift is how often one cause (or one actor) ended a ceasefire group under
// the base and under the variant: the means of the paired summary are
// shares of the runs in which the group's first ceasefire occurred.
type Shift struct {
	mc.PairedSummary
	Ceasefire string // group origin, e.g. "event 2021-11-09" or "rule"
	Kind      string // "cause" (which rule ended it) or "ended_by" (which actor)
	Value     string // the cause (a sim.Cause* constant or "open") or the actor
}

// Variant is one variant's comparison with the base.
type Variant struct {
	Name     string
	Scenario *sim.Scenario
	Result   *mc.Result // the variant's own aggregates (for fan charts and survival)
	Effects  []Effect   // headline outcomes: per ceasefire, then over the horizon
	Monthly  []Effect   // attacks per period
	Shifts   []Shift    // causes and actors of ceasefire endings, per group
}

// Comparison is the result of Run.
type Comparison struct {
	BaseName string
	Base     *mc.Result
	Variants []Variant
	Runs     int
	Seed     uint64
	Workers  int
	HoldDays []int
}

// Causes lists the values of Shift.Value for Kind "cause", in report order.
var Causes = []string{sim.CauseViolations, sim.CauseStateWalkout, sim.CauseUnmet, sim.CauseLapse,
	sim.CauseMediator, sim.CauseOperation, sim.CauseEvent, sim.CauseSettlement, "open"}

// Actors lists the values of Shift.Value for Kind "ended_by".
var Actors = []string{"state", "insurgent", "mediator", "both", "open"}

// Run simulates base and variants on common random numbers. All scenarios
// must share the base's horizon and step. names labels the scenarios
// (base first); when nil the scenarios' names are used.
func Run(ctx context.Context, base *sim.Scenario, variants []*sim.Scenario, names []string, opt Options) (*Comparison, error) {
	if len(variants) == 0 {
		return nil, fmt.Errorf("compare: no variant to compare with %q", base.Name)
	}
	if names == nil {
		names = []string{base.Name}
		for _, v := range variants {
			names = append(names, v.Name)
		}
	}
	if len(names) != len(variants)+1 {
		return nil, fmt.Errorf("compare: %d names for %d scenarios", len(names), len(variants)+1)
	}
	hold := opt.HoldDays
	if hold == nil {
		hold = []int{30, 90, 180}
	}
	horizon := int(base.End - base.Start)
	acc := make([]*accumulator, len(variants))
	for j := range acc {
		acc[j] = newAccumulator(hold, horizon, base.End)
	}
	scs := append([]*sim.Scenario{base}, variants...)
	mo := opt.Options
	mo.OnRun = nil
	results, err := mc.RunMany(ctx, scs, mo, func(rs []*mc.RunResult) error {
		for j, a := range acc {
			a.add(rs[0], rs[j+1])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := &Comparison{BaseName: names[0], Base: results[0], Runs: results[0].Runs, Seed: results[0].Seed,
		Workers: results[0].Workers, HoldDays: hold}
	for j, a := range acc {
		v := Variant{Name: names[j+1], Scenario: variants[j], Result: results[j+1]}
		v.Effects, v.Monthly, v.Shifts = a.summaries(results[0].Dates)
		c.Variants = append(c.Variants, v)
	}
	return c, nil
}

// groupStats are the paired statistics of one ceasefire group.
type groupStats struct {
	origin string
	start  sim.Date // common start, or 0 for rule-declared ceasefires
	days   mc.PairedStat
	holds  []mc.PairedStat
	causes []mc.PairedStat // indexed like Causes
	actors []mc.PairedStat // indexed like Actors
}

// accumulator streams one variant's paired statistics.
type accumulator struct {
	hold    []int
	horizon int
	end     sim.Date
	totals  []mc.PairedStat
	monthly []mc.PairedStat
	groups  map[string]*groupStats
	order   []string
}

// totals are the run-level outcomes, in report order.
var totals = []struct {
	name, label, unit string
	higherIsBetter    bool
	value             func(r *mc.RunResult) float64
}{
	{"ceasefire_days", "days under a ceasefire", "days", true, func(r *mc.RunResult) float64 {
		d := 0
		for _, c := range r.Ceasefires {
			d += c.Days()
		}
		return float64(d)
	}},
	{"attacks_total", "attacks over the horizon", "attacks", false, func(r *mc.RunResult) float64 { return r.AttacksTotal }},
	{"defections_to_rival", "fighters defecting to the rival", "fighters", false, func(r *mc.RunResult) float64 { return r.DefectedFighters }},
	{"factions_to_rival", "factions going over to the rival", "factions", false, func(r *mc.RunResult) float64 { return float64(r.FactionDefections) }},
	{"splits", "splits from the umbrella", "splits", false, func(r *mc.RunResult) float64 { return float64(r.Splits) }},
	{"strikes", "state strikes", "strikes", false, func(r *mc.RunResult) float64 { return float64(r.Strikes) }},
	{"operations", "large state operations", "operations", false, func(r *mc.RunResult) float64 { return float64(r.Operations) }},
	{"settlement", "settlement signed", "probability", true, func(r *mc.RunResult) float64 { return b2f(r.Settlement != 0) }},
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func newAccumulator(hold []int, horizon int, end sim.Date) *accumulator {
	a := &accumulator{hold: hold, horizon: horizon, end: end, groups: map[string]*groupStats{}}
	a.totals = make([]mc.PairedStat, len(totals))
	for i, t := range totals {
		a.totals[i] = mc.PairedStat{Name: t.name, HigherIsBetter: t.higherIsBetter}
	}
	return a
}

func (a *accumulator) group(c *sim.CeasefireRecord) *groupStats {
	g := a.groups[c.Origin]
	if g == nil {
		g = &groupStats{origin: c.Origin, start: c.Start,
			days:   mc.PairedStat{Name: "days", HigherIsBetter: true},
			holds:  make([]mc.PairedStat, len(a.hold)),
			causes: make([]mc.PairedStat, len(Causes)),
			actors: make([]mc.PairedStat, len(Actors))}
		for i := range g.holds {
			g.holds[i].HigherIsBetter = true
		}
		a.groups[c.Origin] = g
		a.order = append(a.order, c.Origin)
	}
	if g.start != c.Start {
		g.start = 0
	}
	return g
}

// holds is 1 if c held more than d days, 0 if it ended sooner, NaN if it
// was cut by the horizon before d days or did not occur.
func holds(c *sim.CeasefireRecord, d int) float64 {
	switch {
	case c == nil:
		return math.NaN()
	case c.Days() > d:
		return 1
	case c.Open:
		return math.NaN()
	}
	return 0
}

func (a *accumulator) add(b, v *mc.RunResult) {
	for i, t := range totals {
		a.totals[i].Add(t.value(b), t.value(v))
	}
	k := mc.MetricIndex("attacks")
	if a.monthly == nil {
		a.monthly = make([]mc.PairedStat, b.Periods())
		for i := range a.monthly {
			a.monthly[i].Name = "attacks"
		}
	}
	for i := range a.monthly {
		a.monthly[i].Add(b.Value(k, i), v.Value(k, i))
	}
	// Groups seen in either run; a group first seen now was absent from
	// both runs before, where it was rightly skipped.
	for _, r := range []*mc.RunResult{b, v} {
		for i := range r.Ceasefires {
			a.group(&r.Ceasefires[i])
		}
	}
	for _, origin := range a.order {
		g := a.groups[origin]
		cb, cv := b.FirstCeasefire(origin), v.FirstCeasefire(origin)
		g.days.Add(daysHeld(cb), daysHeld(cv))
		for i, d := range a.hold {
			g.holds[i].Add(holds(cb, d), holds(cv, d))
		}
		for i, cause := range Causes {
			g.causes[i].Add(endedAs(cb, cause, func(c *sim.CeasefireRecord) string { return c.Cause }),
				endedAs(cv, cause, func(c *sim.CeasefireRecord) string { return c.Cause }))
		}
		for i, actor := range Actors {
			g.actors[i].Add(endedAs(cb, actor, func(c *sim.CeasefireRecord) string { return c.EndedBy }),
				endedAs(cv, actor, func(c *sim.CeasefireRecord) string { return c.EndedBy }))
		}
	}
}

// daysHeld is how long c held, NaN if it did not occur.
func daysHeld(c *sim.CeasefireRecord) float64 {
	if c == nil {
		return math.NaN()
	}
	return float64(c.Days())
}

// endedAs is 1 if c ended with the given value of field (a cause or an
// actor; "open" if it was still holding), 0 otherwise, NaN if it did not
// occur.
func endedAs(c *sim.CeasefireRecord, value string, field func(*sim.CeasefireRecord) string) float64 {
	if c == nil {
		return math.NaN()
	}
	if c.Open {
		return b2f(value == "open")
	}
	return b2f(field(c) == value)
}

// groupOrder sorts scenario-declared groups by date, rule-declared last.
func groupOrder(origins []string) []string {
	out := append([]string(nil), origins...)
	sort.SliceStable(out, func(i, j int) bool {
		ei, ej := strings.HasPrefix(out[i], "event "), strings.HasPrefix(out[j], "event ")
		if ei != ej {
			return ei
		}
		return out[i] < out[j]
	})
	return out
}

func (a *accumulator) summaries(dates []sim.Date) (effects, monthly []Effect, shifts []Shift) {
	for _, origin := range groupOrder(a.order) {
		g := a.groups[origin]
		effects = append(effects, Effect{PairedSummary: g.days.Summary(), Outcome: "ceasefire_held_days",
			Label: "days held (within the horizon)", Unit: "days", Ceasefire: origin})
		for i, d := range a.hold {
			if g.start != 0 && int(a.end-g.start) <= d {
				continue // the horizon ends before d days: nothing to compare
			}
			effects = append(effects, Effect{PairedSummary: g.holds[i].Summary(), Outcome: fmt.Sprintf("holds_%dd", d),
				Label: fmt.Sprintf("P(holds %d days)", d), Unit: "probability", Ceasefire: origin})
		}
		for i, cause := range Causes {
			s := g.causes[i].Summary()
			if s.Base == 0 && s.Variant == 0 {
				continue
			}
			shifts = append(shifts, Shift{PairedSummary: s, Ceasefire: origin, Kind: "cause", Value: cause})
		}
		for i, actor := range Actors {
			s := g.actors[i].Summary()
			if s.Base == 0 && s.Variant == 0 {
				continue
			}
			shifts = append(shifts, Shift{PairedSummary: s, Ceasefire: origin, Kind: "ended_by", Value: actor})
		}
	}
	for i, t := range totals {
		effects = append(effects, Effect{PairedSummary: a.totals[i].Summary(), Outcome: t.name, Label: t.label, Unit: t.unit})
	}
	for i := range a.monthly {
		monthly = append(monthly, Effect{PairedSummary: a.monthly[i].Summary(), Outcome: "attacks",
			Label: "attacks in the period", Unit: "attacks", Date: dates[i]})
	}
	return effects, monthly, shifts
}
