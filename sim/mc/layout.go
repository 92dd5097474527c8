package mc

import (
	"github.com/parley-sim/parley/sim"
)

// Metric describes one series of series.csv.
type Metric struct {
	Name string // e.g. "attacks"
	Kind string // "count" (summed over the period), "level" (mean over the period) or "share" (share of the period)
	Doc  string
}

// Metrics lists the series every run reports, in output order.
var Metrics = func() []Metric {
	ms := []Metric{
		{"attacks", "count", "all attacks in PICSS units: umbrella, splinters, rival and background"},
		{"attacks_insurgent", "count", "attacks by the umbrella's member factions"},
		{"attacks_splinter", "count", "attacks by splinter factions"},
		{"attacks_rival", "count", "attacks by the rival"},
		{"fighters_insurgent", "level", "fighters of the umbrella's member factions"},
		{"fighters_splinter", "level", "fighters of splinter factions"},
		{"fighters_rival", "level", "fighters of the rival"},
		{"p_ceasefire", "share", "share of the period under a ceasefire"},
		{"p_talks", "share", "share of the period with talks going on (with or without a ceasefire)"},
		{"p_operation", "share", "share of the period under a large state operation"},
		{"p_settlement", "share", "share of the period under a signed settlement"},
		{"pressure", "level", "mediator pressure applied"},
		{"fulfilment", "level", "weighted fulfilment of the insurgent's demands"},
	}
	for l := sim.Leverage(0); l < sim.NumLeverage; l++ {
		ms = append(ms, Metric{l.String(), "level", "leverage entry, see MODEL.md"})
	}
	return ms
}()

// MetricIndex returns the index of the named metric in Metrics, or -1.
func MetricIndex(name string) int {
	for i, m := range Metrics {
		if m.Name == name {
			return i
		}
	}
	return -1
}

// Metric indices used internally.
const (
	mAttacks = iota
	mAttacksInsurgent
	mAttacksSplinter
	mAttacksRival
	mFightersInsurgent
	mFightersSplinter
	mFightersRival
	mCeasefire
	mTalks
	mOperation
	mSettlement
	mPressure
	mFulfilment
	mLeverage
)

// layout maps steps to output periods.
type layout struct {
	n      int        // periods
	of     []int      // period of each step
	starts []sim.Date // first day of each period
	days   []int      // days of the horizon inside each period
	full   []bool     // whether the period lies wholly inside the horizon
	steps  []float64  // steps inside each period
	bounds []int      // first step of each period, then the number of steps (periods are contiguous)
}

func newLayout(m *sim.Model, p Period) *layout {
	l := &layout{of: make([]int, m.Steps())}
	key := func(d sim.Date) sim.Date {
		switch p {
		case Day:
			return d
		case Week:
			return d - (d-m.StepDate(0))%7
		}
		return d.MonthStart()
	}
	sc0 := m.StepDate(0)
	for i := range l.of {
		k := key(m.StepDate(i))
		if len(l.starts) == 0 || l.starts[len(l.starts)-1] != k {
			l.starts = append(l.starts, k)
			l.steps = append(l.steps, 0)
		}
		l.of[i] = len(l.starts) - 1
		l.steps[len(l.steps)-1]++
	}
	l.n = len(l.starts)
	l.bounds = make([]int, 0, l.n+1)
	for i, p := range l.of {
		if i == 0 || p != l.of[i-1] {
			l.bounds = append(l.bounds, i)
		}
	}
	l.bounds = append(l.bounds, len(l.of))
	end := m.StepDate(m.Steps()-1) + sim.Date(m.StepDays()) // exclusive
	for i, s := range l.starts {
		next := end
		if i+1 < l.n {
			next = l.starts[i+1]
		}
		nat := next // natural end of the period
		switch p {
		case Day:
			nat = s + 1
		case Week:
			nat = s + 7
		case Month:
			t := s.Time()
			nat = sim.DateOf(t.Year(), t.Month()+1, 1)
		}
		lo := max(s, sc0)
		l.days = append(l.days, int(min(next, end)-lo))
		l.full = append(l.full, s >= sc0 && nat <= end)
	}
	return l
}

// reduce turns a run's record into per-period values and totals.
func (l *layout) reduce(rec *sim.Record, rr *RunResult) { l.finish(rec, rr, 0) }

// recordByPeriod makes m record its series by this layout's periods
// (sim.Model.SetPeriods): the runner only reduces them to period sums, which
// the model then adds up as it steps, in a record a few kilobytes long.
func (l *layout) recordByPeriod(m *sim.Model) {
	if err := m.SetPeriods(l.of); err != nil {
		panic(err) // the layout is the model's: a mismatch is a bug
	}
}

// complete returns how many periods lie wholly before step s (the number of
// steps done).
func (l *layout) complete(s int) int {
	p := 0
	for p < l.n && l.bounds[p+1] <= s {
		p++
	}
	return p
}

// reducePeriods writes into v the sums over periods [lo, hi) of a run's
// series (levels and shares not yet divided by the period's steps): a run
// can be reduced period by period as it goes (the particle filter does),
// with the same sums as reduce.
func (l *layout) reducePeriods(rec *sim.Record, v []float64, lo, hi int) {
	if lo >= hi {
		return
	}
	n, b := l.n, l.bounds[lo:hi+1]
	// Series by series over contiguous periods: each sum runs over the
	// period's steps in order, as a step-by-step accumulation would. A
	// record by period (recordByPeriod) holds those sums already.
	sums := func(m int, src []float64) { periodSums(v[m*n+lo:m*n+hi], src, b) }
	if rec.Period {
		sums = func(m int, src []float64) { copy(v[m*n+lo:m*n+hi], src[lo:hi]) }
	}
	sums(mAttacks, rec.Attacks)
	sums(mAttacksInsurgent, rec.AttacksInsurgent)
	sums(mAttacksSplinter, rec.AttacksSplinter)
	sums(mAttacksRival, rec.AttacksRival)
	sums(mFightersInsurgent, rec.FightersInsurgent)
	sums(mFightersSplinter, rec.FightersSplinter)
	sums(mFightersRival, rec.FightersRival)
	sums(mPressure, rec.Pressure)
	sums(mFulfilment, rec.Fulfilment)
	for k := range rec.Lev {
		sums(mLeverage+k, rec.Lev[k])
	}
	for p := lo; p < hi; p++ {
		var c, t, o, s int
		for _, ph := range rec.Phase[l.bounds[p]:l.bounds[p+1]] {
			switch ph {
			case sim.Ceasefire:
				c++
				t++
			case sim.Talks:
				t++
			case sim.Operation:
				o++
			case sim.Settlement:
				s++
			}
		}
		v[mCeasefire*n+p], v[mTalks*n+p], v[mOperation*n+p], v[mSettlement*n+p] = float64(c), float64(t), float64(o), float64(s)
	}
}

// finish completes rr from a whole run's record whose periods before from
// are already in rr.values (reducePeriods): the other periods, levels and
// shares as means over their period's steps, and the run's totals.
func (l *layout) finish(rec *sim.Record, rr *RunResult, from int) {
	v := rr.values
	l.reducePeriods(rec, v, from, l.n)
	n := l.n
	for k, m := range Metrics {
		if m.Kind == "count" {
			continue
		}
		for p := 0; p < n; p++ {
			v[k*n+p] /= l.steps[p]
		}
	}
	rr.Seed = rec.Seed
	rr.AttacksTotal = rec.AttacksTotal
	rr.DefectedFighters = rec.DefectedFighters
	rr.FactionDefections = rec.FactionDefections
	rr.Splits, rr.Merges = rec.Splits, rec.Merges
	rr.Strikes, rr.Operations, rr.TalksRounds = rec.Strikes, rec.Operations, rec.TalksRounds
	rr.Settlement, rr.SettlementFailed = rec.Settlement, rec.SettlementFailed
	rr.Ceasefires = append(rr.Ceasefires[:0], rec.Ceasefires...)
	rr.Renewals = append(rr.Renewals[:0], rec.Renewals...)
	rr.Story = append(rr.Story[:0], rec.Log...)
}

// periodSums writes into dst[p] the sum of src over period p's steps
// [b[p], b[p+1]), in step order.
func periodSums(dst, src []float64, b []int) {
	for p := range dst {
		s := 0.0
		for _, x := range src[b[p]:b[p+1]] {
			s += x
		}
		dst[p] = s
	}
}

// PeriodStarts returns the first day of each output period of a scenario
// under p, as RunResult.Value indexes them, and whether each period lies
// wholly inside the horizon.
func PeriodStarts(sc *sim.Scenario, p Period) (starts []sim.Date, full []bool, err error) {
	m, err := sim.New(sc)
	if err != nil {
		return nil, nil, err
	}
	l := newLayout(m, p)
	return l.starts, l.full, nil
}
