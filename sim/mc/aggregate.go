package mc

import (
	"math"
	"sort"

	"github.com/parley-sim/parley/sim"
)

// Quantiles reported for every series, as in series.csv.
var Quantiles = []float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}

// Series is one metric over time, across runs.
type Series struct {
	Metric
	Mean []float64   // mean across runs per period
	Q    [][]float64 // Q[j][i]: quantile Quantiles[j] of period i
}

// Total is a run-level outcome across runs.
type Total struct {
	Name          string
	Mean          float64
	P10, P50, P90 float64
}

// Share is a labelled share of a whole.
type Share struct {
	Label string
	Count int
	Share float64
}

// Extension is a scenario event that extended ceasefires of a group while
// they held (extend_ceasefire, or declare_ceasefire while one held).
type Extension struct {
	Origin string   // "event YYYY-MM-DD"
	Date   sim.Date // the event's date
	Event  string   // the event's type
	Runs   int      // runs in which it extended a ceasefire of the group
}

// CeasefireGroup gathers the ceasefires of one origin across runs: a
// scenario-forced declaration ("event 2021-11-09") or those the rules
// declared ("rule"). An extend_ceasefire event that finds no ceasefire in
// force declares one again; its ceasefires form a group of their own whose
// Parent is the ceasefire the event meant to extend.
type CeasefireGroup struct {
	Origin string
	// Event is the type of the scenario event that declared the group's
	// ceasefires (declare_ceasefire or extend_ceasefire), "" for the
	// rules' own.
	Event string
	// Declared is the date of that event, 0 for the rules' own.
	Declared sim.Date
	// Parent is, for the ceasefires an extend_ceasefire event declared
	// again, the origin of the ceasefire it extends: the scenario's last
	// declare_ceasefire event before it ("" if there is none, and for
	// other groups).
	Parent string
	// Extensions are the scenario events that extended the group's
	// ceasefires while they held, in date order.
	Extensions []Extension
	Start      sim.Date // common start date, or 0 if they differ
	Count      int      // ceasefires
	Runs       int      // runs with at least one
	Open       int      // still holding at the end of the horizon
	EndedBy    []Share  // who ended them (excluding open ones), largest first
	Causes     []Share  // which rule ended them, largest first
	// Baseline is the share of the ended ones whose ending rule fired
	// through its explicit baseline hazard rather than its driver.
	Baseline float64

	// Kaplan–Meier survival of the duration: S[d] is the probability of
	// holding more than d days; Lo and Hi are 95% Greenwood bounds.
	S, Lo, Hi []float64
	// Duration quantiles from the survival curve (days); NaN when the curve
	// does not fall that low within the horizon.
	Median, P10, P90 float64
}

// Holds returns the Kaplan–Meier probability that a ceasefire of the group
// still holds d days after it started.
func (g *CeasefireGroup) Holds(d int) float64 {
	if d < 0 {
		return 1
	}
	if d >= len(g.S) {
		return math.NaN()
	}
	return g.S[d]
}

// Result is what a Monte Carlo job produced.
type Result struct {
	Scenario *sim.Scenario
	Runs     int
	First    int
	Seed     uint64
	Workers  int
	Period   Period

	Dates []sim.Date // period starts
	Days  []int      // horizon days in each period
	Full  []bool     // whether each period lies wholly inside the horizon

	Series                             []Series                 // one per Metrics entry
	Phase                              [sim.NumPhases][]float64 // mean share of each phase per period
	Groups                             []CeasefireGroup         // in date order of the declaring events; the rules' own last
	Totals                             []Total                  // run-level outcomes
	PSettlement, PSettlementFailed     float64
	PSplit, PFactionDefection, PStrike float64
	POperation                         float64
	Stories                            [][]sim.LogEntry // story of the first Options.Stories runs
	StoryRuns                          []int
	Filter                             *FilterStats // how the runs were conditioned on observations; nil if they were not
}

// SeriesByName returns the named series, or nil.
func (r *Result) SeriesByName(name string) *Series {
	if k := MetricIndex(name); k >= 0 {
		return &r.Series[k]
	}
	return nil
}

type groupAcc struct {
	origin      string
	start       sim.Date
	mixed       bool
	count, runs int
	open        int
	endedBy     map[string]int
	causes      map[string]int
	baseline    int
	events      []float64 // ended on day d
	censored    []float64 // open at day d
	lastRun     int
	ext         map[string]*extAcc
}

type extAcc struct {
	runs, lastRun int
}

// ceasefireEvent is what the aggregate knows of a scenario event that
// declares or extends a ceasefire.
type ceasefireEvent struct {
	typ    string
	date   sim.Date
	parent string
}

type aggregate struct {
	sc      *sim.Scenario
	lay     *layout
	runs    int
	first   int
	seed    uint64
	workers int
	period  Period
	horizon int

	n      int
	hist   []Hist    // [metric*n + period]
	sum    []float64 // same layout
	phase  [sim.NumPhases][]float64
	groups []*groupAcc
	byKey  map[string]*groupAcc
	cfEv   map[string]ceasefireEvent // by origin

	totals     [6]Hist
	totalSum   [6]float64
	settled    int
	failed     int
	split      int
	factionDef int
	strike     int
	operation  int
	stories    int
	story      [][]sim.LogEntry
	storyRuns  []int
	done       int
}

var totalNames = [6]string{"attacks_total", "defections_to_rival", "faction_defections", "splits", "strikes", "operations"}

func newAggregate(sc *sim.Scenario, lay *layout, runs int, seed uint64, workers int, p Period, stories int) *aggregate {
	a := &aggregate{sc: sc, lay: lay, runs: runs, seed: seed, workers: workers, period: p, n: lay.n, stories: stories,
		horizon: int(sc.End-sc.Start) + 1, byKey: map[string]*groupAcc{}, cfEv: ceasefireEvents(sc)}
	a.hist = make([]Hist, len(Metrics)*a.n)
	a.sum = make([]float64, len(Metrics)*a.n)
	for i := range a.phase {
		a.phase[i] = make([]float64, a.n)
	}
	return a
}

// ceasefireEvents maps the origins of a scenario's ceasefire events to
// their types, dates and, for extensions, the declaration they extend.
func ceasefireEvents(sc *sim.Scenario) map[string]ceasefireEvent {
	evs := append([]sim.EventConfig(nil), sc.Events...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Date < evs[j].Date })
	out := map[string]ceasefireEvent{}
	last := ""
	for _, e := range evs {
		origin := "event " + e.Date.String()
		switch e.Type {
		case "declare_ceasefire":
			out[origin] = ceasefireEvent{typ: e.Type, date: e.Date}
			last = origin
		case "extend_ceasefire":
			out[origin] = ceasefireEvent{typ: e.Type, date: e.Date, parent: last}
		}
	}
	return out
}

func (a *aggregate) add(r *RunResult) {
	if a.done == 0 {
		a.first = r.Run
	}
	a.done++
	for i, v := range r.values {
		a.hist[i].Add(v)
		a.sum[i] += v
	}
	// Phase occupancy: conflict = 1 - the others; talks here means talks
	// without a ceasefire.
	n := a.n
	for p := 0; p < n; p++ {
		cf := r.values[mCeasefire*n+p]
		tk := r.values[mTalks*n+p] - cf
		a.phase[sim.Ceasefire][p] += cf
		a.phase[sim.Talks][p] += tk
		a.phase[sim.Operation][p] += r.values[mOperation*n+p]
		a.phase[sim.Settlement][p] += r.values[mSettlement*n+p]
	}
	for _, c := range r.Ceasefires {
		g := a.byKey[c.Origin]
		if g == nil {
			g = &groupAcc{origin: c.Origin, start: c.Start, endedBy: map[string]int{}, causes: map[string]int{},
				events: make([]float64, a.horizon+1), censored: make([]float64, a.horizon+1), lastRun: -1, ext: map[string]*extAcc{}}
			a.byKey[c.Origin] = g
			a.groups = append(a.groups, g)
		}
		if c.Start != g.start {
			g.mixed = true
		}
		g.count++
		if g.lastRun != r.Run {
			g.runs++
			g.lastRun = r.Run
		}
		d := min(max(c.Days(), 0), a.horizon)
		if c.Open {
			g.open++
			g.censored[d]++
		} else {
			g.events[d]++
			g.endedBy[c.EndedBy]++
			g.causes[c.Cause]++
			if c.ByBaseline {
				g.baseline++
			}
		}
	}
	for _, x := range r.Renewals {
		if x.Ceasefire < 0 || x.Ceasefire >= len(r.Ceasefires) {
			continue
		}
		g := a.byKey[r.Ceasefires[x.Ceasefire].Origin]
		e := g.ext[x.Origin]
		if e == nil {
			e = &extAcc{lastRun: -1}
			g.ext[x.Origin] = e
		}
		if e.lastRun != r.Run {
			e.runs++
			e.lastRun = r.Run
		}
	}
	tv := [6]float64{r.AttacksTotal, r.DefectedFighters, float64(r.FactionDefections), float64(r.Splits), float64(r.Strikes), float64(r.Operations)}
	for i, v := range tv {
		a.totals[i].Add(v)
		a.totalSum[i] += v
	}
	if r.Settlement != 0 {
		a.settled++
	}
	if r.SettlementFailed != 0 {
		a.failed++
	}
	if r.Splits > 0 {
		a.split++
	}
	if r.FactionDefections > 0 {
		a.factionDef++
	}
	if r.Strikes > 0 {
		a.strike++
	}
	if r.Operations > 0 {
		a.operation++
	}
	if a.done <= a.stories {
		a.story = append(a.story, append([]sim.LogEntry(nil), r.Story...))
		a.storyRuns = append(a.storyRuns, r.Run)
	}
}

func shares(m map[string]int, total int) []Share {
	out := make([]Share, 0, len(m))
	for k, v := range m {
		out = append(out, Share{Label: k, Count: v, Share: float64(v) / float64(max(total, 1))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// SortGroups orders ceasefire groups by the date of the scenario event that
// declared them; the rules' own (no event) come last.
func SortGroups(gs []CeasefireGroup) {
	sort.SliceStable(gs, func(i, j int) bool {
		di, dj := gs[i].Declared, gs[j].Declared
		if (di == 0) != (dj == 0) {
			return dj == 0
		}
		return di < dj
	})
}

// KaplanMeier computes the survival curve S[d] = P(duration > d) with 95%
// Greenwood bounds from counts of durations ending (events) and censored at
// each day.
func KaplanMeier(events, censored []float64) (s, lo, hi []float64) {
	n := len(events)
	s, lo, hi = make([]float64, n), make([]float64, n), make([]float64, n)
	atRisk := 0.0
	for d := 0; d < n; d++ {
		atRisk += events[d] + censored[d]
	}
	surv, green := 1.0, 0.0
	for d := 0; d < n; d++ {
		if atRisk > 0 && events[d] > 0 {
			surv *= 1 - events[d]/atRisk
			if atRisk > events[d] {
				green += events[d] / (atRisk * (atRisk - events[d]))
			}
		}
		s[d] = surv
		se := surv * math.Sqrt(green)
		lo[d] = math.Max(0, surv-1.96*se)
		hi[d] = math.Min(1, surv+1.96*se)
		atRisk -= events[d] + censored[d]
	}
	return s, lo, hi
}

// survivalQuantile is the smallest d with S[d] <= 1-q, or NaN.
func survivalQuantile(s []float64, q float64) float64 {
	for d, v := range s {
		if v <= 1-q+1e-12 {
			return float64(d)
		}
	}
	return math.NaN()
}

func (a *aggregate) result() *Result {
	r := &Result{Scenario: a.sc, Runs: a.done, First: a.first, Seed: a.seed, Workers: a.workers, Period: a.period,
		Dates: a.lay.starts, Days: a.lay.days, Full: a.lay.full}
	n := a.n
	runs := float64(max(a.done, 1))
	for k, m := range Metrics {
		s := Series{Metric: m, Mean: make([]float64, n), Q: make([][]float64, len(Quantiles))}
		for j := range Quantiles {
			s.Q[j] = make([]float64, n)
		}
		for p := 0; p < n; p++ {
			s.Mean[p] = a.sum[k*n+p] / runs
			for j, q := range Quantiles {
				s.Q[j][p] = a.hist[k*n+p].Quantile(q)
			}
		}
		r.Series = append(r.Series, s)
	}
	for ph := range a.phase {
		r.Phase[ph] = make([]float64, n)
	}
	for p := 0; p < n; p++ {
		other := 0.0
		for _, ph := range []sim.Phase{sim.Talks, sim.Ceasefire, sim.Operation, sim.Settlement} {
			r.Phase[ph][p] = a.phase[ph][p] / runs
			other += r.Phase[ph][p]
		}
		r.Phase[sim.Conflict][p] = math.Max(0, 1-other)
	}
	for _, g := range a.groups {
		cg := CeasefireGroup{Origin: g.origin, Count: g.count, Runs: g.runs, Open: g.open,
			EndedBy: shares(g.endedBy, g.count-g.open), Causes: shares(g.causes, g.count-g.open)}
		if ended := g.count - g.open; ended > 0 {
			cg.Baseline = float64(g.baseline) / float64(ended)
		}
		if !g.mixed {
			cg.Start = g.start
		}
		if e, ok := a.cfEv[g.origin]; ok {
			cg.Event, cg.Declared, cg.Parent = e.typ, e.date, e.parent
		}
		for origin, x := range g.ext {
			e := a.cfEv[origin]
			cg.Extensions = append(cg.Extensions, Extension{Origin: origin, Date: e.date, Event: e.typ, Runs: x.runs})
		}
		sort.Slice(cg.Extensions, func(i, j int) bool { return cg.Extensions[i].Date < cg.Extensions[j].Date })
		cg.S, cg.Lo, cg.Hi = KaplanMeier(g.events, g.censored)
		cg.Median = survivalQuantile(cg.S, 0.5)
		cg.P10 = survivalQuantile(cg.S, 0.1)
		cg.P90 = survivalQuantile(cg.S, 0.9)
		r.Groups = append(r.Groups, cg)
	}
	SortGroups(r.Groups)
	for i, name := range totalNames {
		r.Totals = append(r.Totals, Total{Name: name, Mean: a.totalSum[i] / runs,
			P10: a.totals[i].Quantile(0.1), P50: a.totals[i].Quantile(0.5), P90: a.totals[i].Quantile(0.9)})
	}
	r.PSettlement = float64(a.settled) / runs
	r.PSettlementFailed = float64(a.failed) / runs
	r.PSplit = float64(a.split) / runs
	r.PFactionDefection = float64(a.factionDef) / runs
	r.PStrike = float64(a.strike) / runs
	r.POperation = float64(a.operation) / runs
	r.Stories, r.StoryRuns = a.story, a.storyRuns
	return r
}
