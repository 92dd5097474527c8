package sim

// Leverage indexes the entries of the pairwise leverage matrix L[i→j] the
// model computes and reports.
type Leverage uint8

// The leverage entries. Each is in [0, 1]; MODEL.md gives their formulas.
const (
	LevStateInsurgent    Leverage = iota // state → insurgent: capacity not shielded by sanctuary
	LevStateMediator                     // state → mediator: trade, transit, aid, less grievance
	LevInsurgentState                    // insurgent → state: the state's hurt from attacks
	LevInsurgentMediator                 // insurgent → mediator: threat of hard-liners going to the rival
	LevMediatorInsurgent                 // mediator → insurgent: sanctuary × dependence
	LevMediatorState                     // mediator → state: it can let the insurgent hurt the state
	LevRivalMediator                     // rival → mediator: threat × rival's share of fighters
	LevRivalInsurgent                    // rival → insurgent: appeal × rival's share of fighters
	NumLeverage                          // number of leverage entries
)

var leverageNames = [NumLeverage]string{
	"leverage_state_insurgent", "leverage_state_mediator",
	"leverage_insurgent_state", "leverage_insurgent_mediator",
	"leverage_mediator_insurgent", "leverage_mediator_state",
	"leverage_rival_mediator", "leverage_rival_insurgent",
}

// String returns the metric name of the entry, e.g. leverage_state_mediator.
func (l Leverage) String() string {
	if l < NumLeverage {
		return leverageNames[l]
	}
	return "leverage_unknown"
}

// Ending causes of a ceasefire, as written in ceasefires.csv.
const (
	CauseViolations   = "state_ends_ceasefire"   // the state's tolerance of violations was exceeded
	CauseStateWalkout = "state_walks_out"        // concessions cost the state more than they relieve
	CauseUnmet        = "insurgent_walks_out"    // fulfilment below expectation for longer than patience
	CauseLapse        = "insurgent_extends"      // the term ended and the insurgent did not extend it
	CauseMediator     = "mediator_stops_hosting" // the mediator stopped hosting
	CauseSettlement   = "settlement"             // the ceasefire became a settlement
	CauseEvent        = "event"                  // a scenario event ended it
	CauseOperation    = "state_operation"        // a large operation began
)

// CeasefireRecord is one ceasefire of one run.
type CeasefireRecord struct {
	Start, End Date   // End is the day it ended, or the horizon's end if Open
	Open       bool   // still holding at the end of the horizon
	EndedBy    string // state, insurgent, mediator, both (settlement) or "" if open
	Cause      string // one of the Cause constants
	Origin     string // "event YYYY-MM-DD" for a scenario-forced declaration, "rule" otherwise
	Extensions int    // extensions granted
	// ByBaseline is true when the rule that ended it fired through its
	// explicit baseline hazard rather than its driver (MODEL.md §3.1).
	ByBaseline bool
	// Driver is the ending rule's driver when it fired, in the rule's own
	// units (e.g. frustration/patience for insurgent_walks_out, violations/
	// tolerance for state_ends_ceasefire, F − E for a lapse); 0 for events.
	Driver float64
}

// Renewal is a scenario event (extend_ceasefire, or declare_ceasefire while
// one holds) that extended the ceasefire in force rather than declaring a
// new one.
type Renewal struct {
	Origin    string // "event YYYY-MM-DD" of the extending event
	Ceasefire int    // index in Record.Ceasefires of the ceasefire it extended
}

// Days returns how many days the ceasefire held: End minus Start, as the
// documented durations count them (9 Nov to 9 Dec 2021 is 30 days). For an
// open ceasefire it is the days held by the end of the horizon (censored).
func (c CeasefireRecord) Days() int { return int(c.End - c.Start) }

// LogEntry is one line of a run's story: a rule that fired or an event.
type LogEntry struct {
	Date   Date
	Agent  string // state, insurgent, mediator, rival, a faction name, or "scenario"
	Rule   string // the rule or event type
	Event  string // what happened, e.g. "ceasefire ends"
	Detail string // why, with the numbers
}

// Record is what one run leaves behind: per-step series, ceasefires,
// counters and, when asked for, the story. A Model reuses its Record from
// run to run so stepping does not allocate.
type Record struct {
	Run  int    // run index
	Seed uint64 // informative seed of the run (RunSeed)

	// Per-step series, one entry per step; or, when the model records by
	// period (Model.SetPeriods, Period set), one sum per period, except
	// Intensity and Phase, which stay per step.
	Attacks           []float64 // all attacks in PICSS units
	AttacksInsurgent  []float64 // attacks by the umbrella's member factions
	AttacksSplinter   []float64 // attacks by splinter factions
	AttacksRival      []float64 // attacks by the rival
	Intensity         []float64 // expected attacks of all groups in the step: the sum of the Poisson means fed to the clocks
	FightersInsurgent []float64 // fighters of member factions
	FightersSplinter  []float64 // fighters of splinters
	FightersRival     []float64 // fighters of the rival
	Pressure          []float64 // mediator pressure applied
	Fulfilment        []float64 // weighted demand fulfilment
	Phase             []Phase
	Lev               [NumLeverage][]float64

	// Period is set when the series other than Intensity and Phase hold one
	// sum per period, accumulated step by step in step order (so each sum is
	// the one a caller adding up the steps of the period would get). A
	// period's sums enter the record on its last step: a run stepped by
	// hand has the sums of its completed periods only.
	Period bool

	Ceasefires []CeasefireRecord
	Renewals   []Renewal  // scenario events that extended a ceasefire in force, in date order
	Log        []LogEntry // filled only when the model logs

	AttacksTotal      float64 // sum of Attacks
	DefectedFighters  float64 // fighters who went over to the rival
	FactionDefections int     // whole factions that went over
	DefectedMask      uint64  // bit k: faction k went over to the rival as a whole (factions 0-63)
	SplitMask         uint64  // bit k: faction k split from the umbrella at least once (factions 0-63)
	Splits            int     // factions that left the umbrella
	Merges            int     // splinters that rejoined
	Strikes           int     // state strikes
	Operations        int     // large operations launched
	TalksRounds       int     // times talks opened
	Settlement        Date    // day the run's first settlement was signed, 0 if none
	SettlementFailed  Date    // day that settlement collapsed, 0 if it did not
}

// init sizes the record for runs of steps steps whose series other than
// Intensity and Phase have slots entries (steps, or the number of periods
// when period is set).
func (r *Record) init(steps, slots int, period bool) {
	grow := func(s []float64, n int) []float64 {
		if cap(s) < n {
			return make([]float64, n)
		}
		return s[:n]
	}
	r.Period = period
	for _, s := range r.slotted() {
		*s = grow(*s, slots)
	}
	r.Intensity = grow(r.Intensity, steps)
	if cap(r.Phase) < steps {
		r.Phase = make([]Phase, steps)
	}
	r.Phase = r.Phase[:steps]
	if r.Ceasefires == nil {
		r.Ceasefires = make([]CeasefireRecord, 0, 16)
	}
	if r.Renewals == nil {
		r.Renewals = make([]Renewal, 0, 8)
	}
	if r.Log == nil {
		r.Log = make([]LogEntry, 0, 64)
	}
}

// numSlotted is the number of series a record holds by period when asked
// (Record.slotted).
const numSlotted = 9 + NumLeverage

// slotted returns the series that hold one entry per slot: per step, or per
// period when the record is by period.
func (r *Record) slotted() [numSlotted]*[]float64 {
	s := [numSlotted]*[]float64{&r.Attacks, &r.AttacksInsurgent, &r.AttacksSplinter, &r.AttacksRival,
		&r.FightersInsurgent, &r.FightersSplinter, &r.FightersRival, &r.Pressure, &r.Fulfilment}
	for i := range r.Lev {
		s[9+i] = &r.Lev[i]
	}
	return s
}

func (r *Record) reset(run int, seed uint64) {
	if r.Period {
		for _, s := range r.slotted() {
			clear(*s)
		}
	}
	r.Run, r.Seed = run, seed
	r.Ceasefires = r.Ceasefires[:0]
	r.Renewals = r.Renewals[:0]
	r.Log = r.Log[:0]
	r.AttacksTotal, r.DefectedFighters = 0, 0
	r.FactionDefections, r.Splits, r.Merges, r.Strikes, r.Operations, r.TalksRounds = 0, 0, 0, 0, 0, 0
	r.Settlement, r.SettlementFailed = 0, 0
	r.DefectedMask, r.SplitMask = 0, 0
}

// CopyFrom makes r a deep copy of o, reusing r's storage.
func (r *Record) CopyFrom(o *Record) { r.copyPrefix(o, 0, len(o.Phase)) }

// copyPrefix is CopyFrom for the first n steps of the series: the entries
// from n on keep r's values, to be written by the steps that come.
// Only the entries of steps [from, n) are copied; those before from are
// left as they are (the caller has consumed them).
func (r *Record) copyPrefix(o *Record, from, n int) {
	cp := func(dst, src []float64, from, n int) []float64 {
		if cap(dst) < len(src) {
			dst = make([]float64, len(src))
		}
		dst = dst[:len(src)]
		copy(dst[from:n], src[from:n])
		return dst
	}
	r.Run, r.Seed = o.Run, o.Seed
	r.Period = o.Period
	rs, os := r.slotted(), o.slotted()
	for i := range rs {
		if o.Period {
			*rs[i] = cp(*rs[i], *os[i], 0, len(*os[i])) // the periods' sums so far: small
		} else {
			*rs[i] = cp(*rs[i], *os[i], from, n)
		}
	}
	r.Intensity = cp(r.Intensity, o.Intensity, from, n)
	if cap(r.Phase) < len(o.Phase) {
		r.Phase = make([]Phase, len(o.Phase))
	}
	r.Phase = r.Phase[:len(o.Phase)]
	copy(r.Phase[from:n], o.Phase[from:n])
	r.Ceasefires = append(r.Ceasefires[:0], o.Ceasefires...)
	r.Renewals = append(r.Renewals[:0], o.Renewals...)
	r.Log = append(r.Log[:0], o.Log...)
	r.AttacksTotal, r.DefectedFighters = o.AttacksTotal, o.DefectedFighters
	r.FactionDefections, r.Splits, r.Merges = o.FactionDefections, o.Splits, o.Merges
	r.Strikes, r.Operations, r.TalksRounds = o.Strikes, o.Operations, o.TalksRounds
	r.Settlement, r.SettlementFailed = o.Settlement, o.SettlementFailed
	r.DefectedMask, r.SplitMask = o.DefectedMask, o.SplitMask
}
