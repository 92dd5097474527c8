package sim

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim/bargain"
)

// Faction status.
const (
	member   uint8 = iota // inside the umbrella
	splinter              // split off, fights on its own
	defected              // went over to the rival as a whole
)

// faction is the dynamic state of one faction; its parameters live in
// Model.p.Insurgent.Factions at the same index.
type faction struct {
	rule      [numFacRules]ruleClock // the faction rules' clocks and cached hazards, in rule order
	scaled    float64                // fighters / Model.gScale (factions.go)
	carry     float64                // a (former) spoiler's own attack multiple, kept until the umbrella's overtakes it
	status    uint8
	spoiling  bool
	special   bool // a member attacking at a multiple of its own: spoiling, or carrying one (resum)
	splitDay  Date
	grievance float64           // in [0, 1]: a leader killed, strikes; halves every 90 days
	dec       Stream            // the faction's decisions: its rules' firings and their attribution
	hz        [numFacRules]memo // each faction rule's driver hazard
}

// ruleClock is one faction rule's clock for one faction, with the rule's
// hazard for it (baseline + driver; 0 when the rule cannot fire) and the
// driver part, cached at the rule's key (facRule).
type ruleClock struct {
	Clock  // acc is the hazard accumulated up to the start of step since
	h, drv float64
	since  int32 // the step from which h accumulates
	fire   int32 // the step at which the clock passes its threshold at h (noFire: never)
}

// facRunState is one faction rule's schedule (facRule).
type facRunState struct {
	last int32 // the last step the rule ran
	fire int32 // the first step at which a faction's clock fires
}

// demand is the dynamic state of one demand item.
type demand struct {
	fulfil float64
	agreed bargain.Terms
	clock  Clock
}

// Indices of the model-level hazard caches.
const (
	hzStateEnds = iota
	hzStateWalk
	hzInsWalk
	hzHostStop
	hzStrike
	hzOperation
	hzTalks
	hzDeclare
	numHz
)

// Stream ids within a run.
const (
	streamTempo = iota
	streamBackground
	streamRival
	streamState
	streamInsurgent
	streamMediator
	streamConcede
	streamEvents
	streamAttacks    // the umbrella's attacks: the clock's thresholds
	streamDefect     // individual defections: the clock's thresholds
	streamAttacksWho // what kind of faction each attack is by
	streamDefectWho  // which faction each defector leaves
	streamFaction    // faction k's decisions: streamFaction + k
)

// dayWindow is a moving sum over the last 30 days (30 daily steps, or 4
// weekly ones).
type dayWindow struct {
	buf [30]float64
	n   int
	i   int
	sum float64
}

func (w *dayWindow) reset(n int) { *w = dayWindow{n: n} }

// push adds this step's value, dropping the value that left the window.
func (w *dayWindow) push(x float64) {
	i := uint(w.i)
	if i >= uint(len(w.buf)) {
		i = 0 // never (i < n ≤ len(buf)); spares the bounds checks
	}
	w.sum += x - w.buf[i]
	w.buf[i] = x
	if i++; int(i) == w.n {
		i = 0
	}
	w.i = int(i)
	if w.sum < 1e-9 {
		w.sum = 0 // keep round-off from going negative
	}
}

// valueRef locates a numeric scenario field for set/scale events, resolved
// once at New so applying it at run time neither searches nor allocates.
type valueRef struct {
	path []int // field indices; a negative entry -k-1 indexes element k of a slice
}

func (r valueRef) value(p *Scenario) reflect.Value {
	v := reflect.ValueOf(p).Elem()
	for _, i := range r.path {
		if i < 0 {
			v = v.Index(-i - 1)
		} else {
			v = v.Field(i)
		}
	}
	return v
}

func (r valueRef) get(p *Scenario) float64 {
	v := r.value(p)
	if v.Kind() == reflect.Int {
		return float64(v.Int())
	}
	return v.Float()
}

func (r valueRef) set(p *Scenario, x float64) {
	v := r.value(p)
	if v.Kind() == reflect.Int {
		v.SetInt(int64(math.Round(x)))
		return
	}
	v.SetFloat(x)
}

// resolveRef turns a key path into a valueRef.
func resolveRef(s *Scenario, key string) (valueRef, error) {
	var ref valueRef
	v := reflect.ValueOf(s).Elem()
	parts := strings.Split(key, ".")
	for i := 0; i < len(parts); i++ {
		j, found := fieldsOf(v.Type())[parts[i]] // the toml names, as lookup's descent reads them
		if !found {
			return ref, fmt.Errorf("sim: unknown key %q", key)
		}
		ref.path = append(ref.path, j)
		v = v.Field(j)
		if v.Kind() == reflect.Slice {
			if i+1 >= len(parts) {
				return ref, fmt.Errorf("sim: key %q names a list, not a value", key)
			}
			i++
			idx := -1
			for k := 0; k < v.Len(); k++ {
				if nf := v.Index(k).FieldByName("Name"); nf.IsValid() && nf.String() == parts[i] {
					idx = k
				}
			}
			if idx < 0 {
				if n, err := strconv.Atoi(parts[i]); err == nil && n >= 0 && n < v.Len() {
					idx = n
				} else {
					return ref, fmt.Errorf("sim: key %q: no element %q", key, parts[i])
				}
			}
			ref.path = append(ref.path, -idx-1)
			v = v.Index(idx)
		}
	}
	if v.Kind() != reflect.Float64 && v.Kind() != reflect.Int {
		return ref, fmt.Errorf("sim: key %q is not numeric", key)
	}
	return ref, nil
}

// event is a compiled scenario event.
type event struct {
	EventConfig
	day    Date
	target int // faction or demand index, -1 otherwise
	ref    valueRef
	origin string
}

// revert undoes a set or scale event when its days run out.
type revert struct {
	day   Date
	ref   valueRef
	value float64
}

// Model runs one scenario, one run at a time. It is not safe for concurrent
// use; give each worker its own Model (New is cheap next to a run).
type Model struct {
	sc    *Scenario // the validated scenario, never modified
	p     Scenario  // this run's parameters: sc plus the effects of events
	dt    float64   // days per step
	steps int

	// Time and phase.
	t     int
	day   Date
	phase Phase

	facs []faction
	dems []demand

	// The faction layer (factions.go): faction k has facs[k].scaled·gScale
	// fighters, and every faction in the game has capacity.
	gScale                  float64
	capacity                float64 // organisational capacity in [0, 1] of the factions in the game (MODEL.md §3.3.2)
	sums                    facSums
	sumGen                  uint32 // parameter generation the sums were computed at
	dirty                   bool   // a faction changed since the sums were computed
	facEpoch                uint32 // bumped when a faction's status, spoiling, grievance or presence changes: the rules' key
	nSpecial                int    // members attacking at a multiple of their own
	remergeAt               Date   // first day a splinter not yet eligible to re-merge becomes so
	sAttacks                Stream // the umbrella's attack clock; sAttacksWho draws what kind of faction each attack is by
	sDefect                 Stream // the individual defections' clock; sDefectWho picks each defector's faction
	sAttacksWho, sDefectWho Stream
	cAttacks                Clock
	cDefect                 Clock
	facRun                  [numFacRules]facRunState
	facQuiet                facQuiet // the faction rules' last step, to skip quiet ones (factionRules)
	facKey                  [numFacRules]ruleKey

	rivalFighters float64
	rivalClock    Clock
	bgClock       Clock

	// State variables.
	pain, insPain, grievance float64
	tempo                    float64
	tempoLeft                float64

	// Attack process (MODEL.md §3.3.1–3.3.2).
	intent        float64    // the leadership's campaign intent
	insGriev      float64    // the insurgent's grievance (strikes, leaders killed)
	excIns        float64    // decayed count of insurgent attacks (Hawkes)
	excRiv        float64    // decayed count of rival attacks (Hawkes)
	excRet        float64    // decayed retaliation impulses, in expected attacks
	hkDecay       float64    // e^{-β·dt}
	hkScale       float64    // (e^{β·dt} − 1)/dt: makes one event's total offspring exactly α
	intentUp      float64    // 1 − e^{−dt/rise_days}
	intentDown    float64    // 1 − e^{−dt/relax_days}
	factorsFor    [3]float64 // decay_days, rise_days, relax_days the factors above were computed for
	factorsGen    uint32     // parameter generation at which factorsFor was last checked
	bgRate        float64    // background rate on bgDay
	bgStep        float64    // its growth factor per step
	bgDay         Date       // the day bgRate is for
	bgFor         [3]float64 // background, trend and year it was computed for
	bgGen         uint32     // parameter generation at which bgFor was last checked
	lev           [NumLeverage]float64
	hurt, insHurt float64

	// Talks and ceasefire.
	talksSince    Date
	talksOffset   float64 // days the talks had already run when they opened
	talksFailed   bool
	talksEnded    Date
	frustration   float64
	lastAgree     Date
	agreedLevel   float64 // weighted agreed fulfilment A
	expectLevel   float64 // weighted level the insurgent expects in full
	deadlocked    bool
	deadShare     float64 // weight share of deadlocked items
	closeVal      float64 // deadlock-aware closeness to the agreed terms
	deadRecog     bool    // a deadlock recognised after deadlock_days of talks
	fulfil        float64 // weighted fulfilment F
	cf            CeasefireRecord
	cfTermEnd     Date // 0 = indefinite
	opUntil       Date
	opPushUntil   Date
	settledCollap Clock

	// Mediator.
	host          bool
	hostFrom      Date
	pressing      bool
	pressFrom     Date
	pressForced   float64
	pressForcedTo Date // 0 = no forced pressure; MaxDate = for good
	press         float64
	medInterest   float64 // the mediator's interest now (rule mediator_interest)
	hostDays      float64 // days hosted talks have run without a settlement
	fatigueDays   float64 // fatigue_days the two factors below were computed for
	fatigueStep   float64 // e^(−dt/fatigue_days)
	fatigueLeft   float64 // e^(−hostDays/fatigue_days)
	trust         float64 // the insurgent's trust: (1 − distrust)^broken_deals

	// Attribution of the rule that ends a ceasefire, read by endCeasefire.
	endByBase bool
	endDriver float64

	grievDays float64 // days since the factions' grievances last decayed

	viol     dayWindow // attributed violations, last 30 days
	defWin   dayWindow // fighters defected to the rival, last 30 days
	violStep float64
	defStep  float64

	// Streams and clocks of the agents.
	sTempo, sBg, sRival, sState, sIns, sMed, sConcede, sEvents Stream
	cStateEnds, cStateWalk, cStrike, cOperation                Clock
	cInsWalk, cDeclare, cHostStop, cTalks, cSettle             Clock

	hz                                 [numHz]memo
	pgen                               uint32  // parameter generation: bumped whenever an event sets a value of m.p (the memos' key)
	memberF, splinterF, hlShare        float64 // from tally
	decayPain, decayGrievance, decayDt float64 // cached half-life decay factors
	decayPainHL                        float64
	decayGen                           uint32 // parameter generation at which decayPainHL was last checked

	events  []event
	nextEv  int
	reverts []revert

	slotOf []int               // period of each step when the record is by period (SetPeriods), else nil
	acc    [numSlotted]float64 // by period: the current period's sums so far, in Record.slotted order

	rec     Record
	logging bool
	seed    uint64

	draws *Draws // per-run parameter draws (UseDraws), or nil
	drawn int    // index of the vector the current run drew
}

const maxDate Date = math.MaxInt32

// New compiles a validated scenario into a model. It validates again and
// resolves every event's target once.
func New(sc *Scenario) (*Model, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	m := &Model{}
	m.dt, m.steps = stepsOf(sc)
	m.facs = make([]faction, len(sc.Insurgent.Factions))
	m.dems = make([]demand, len(sc.Insurgent.Demands))
	if err := m.compile(sc); err != nil {
		return nil, err
	}
	return m, nil
}

// stepsOf returns a scenario's step length in days and its number of steps.
func stepsOf(sc *Scenario) (dt float64, steps int) {
	dt = 1
	if sc.Step == "week" {
		dt = 7
	}
	return dt, int(math.Ceil(float64(sc.End-sc.Start+1) / dt))
}

// Retarget points the model at another validated-on-the-way scenario of the
// same shape — the same step, number of steps, factions and demand items,
// as the points of a sweep are — reusing its buffers, so that a sweep runs
// point after point on one model without building one per point. The next
// Reset starts from sc. A scenario of another shape is an error (build a
// model with New).
func (m *Model) Retarget(sc *Scenario) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	dt, steps := stepsOf(sc)
	if dt != m.dt || steps != m.steps || len(sc.Insurgent.Factions) != len(m.facs) || len(sc.Insurgent.Demands) != len(m.dems) {
		return fmt.Errorf("retarget: scenario %q has another shape (steps, factions or demand items) than the model's", sc.Name)
	}
	return m.compile(sc)
}

// compile sets the model's scenario and parameters and resolves every
// event's target once. The faction and demand buffers must have the
// scenario's lengths.
func (m *Model) compile(sc *Scenario) error {
	m.sc = sc
	facs, dems := m.p.Insurgent.Factions, m.p.Insurgent.Demands
	m.p = *sc
	m.p.Insurgent.Factions = append(facs[:0], sc.Insurgent.Factions...)
	m.p.Insurgent.Demands = append(dems[:0], sc.Insurgent.Demands...)
	m.p.Events = nil
	m.events = m.events[:0]
	for i, e := range sc.Events {
		ev := event{EventConfig: e, day: e.Date, target: -1, origin: "event " + e.Date.String()}
		for k, f := range sc.Insurgent.Factions {
			if f.Name == e.Target {
				ev.target = k
			}
		}
		if e.Type == "concede" {
			for k, d := range sc.Insurgent.Demands {
				if d.Name == e.Target {
					ev.target = k
				}
			}
		}
		if e.Type == "set" || e.Type == "scale" {
			ref, err := resolveRef(&m.p, e.Key)
			if err != nil {
				return fmt.Errorf("sim: events.%d: %w", i, err)
			}
			ev.ref = ref
		}
		m.events = append(m.events, ev)
	}
	// Events happen in date order; equal dates keep file order.
	for i := 1; i < len(m.events); i++ {
		for j := i; j > 0 && m.events[j].day < m.events[j-1].day; j-- {
			m.events[j], m.events[j-1] = m.events[j-1], m.events[j]
		}
	}
	if cap(m.reverts) < len(m.events) {
		m.reverts = make([]revert, 0, len(m.events))
	}
	m.initRecord()
	return nil
}

// initRecord sizes the record for the model's steps and periods.
func (m *Model) initRecord() {
	if m.slotOf == nil {
		m.rec.init(m.steps, m.steps, false)
		return
	}
	m.rec.init(m.steps, m.slotOf[len(m.slotOf)-1]+1, true)
}

// SetPeriods makes the record of later runs hold its series (all but
// Record.Intensity and Record.Phase) as one sum per period instead of one
// value per step: of[t] is the period of step t, starting at 0 and rising
// by at most one from a step to the next. A caller that only wants period
// sums (the Monte Carlo runner) gets the sums it would have added up
// itself, in the same order, with a record a few kilobytes long instead of
// one entry per step. nil goes back to per-step series.
func (m *Model) SetPeriods(of []int) error {
	if of == nil {
		m.slotOf = nil
		m.initRecord()
		return nil
	}
	if len(of) != m.steps {
		return fmt.Errorf("sim: SetPeriods: %d periods given for %d steps", len(of), m.steps)
	}
	for t, p := range of {
		if (t == 0 && p != 0) || (t > 0 && p != of[t-1] && p != of[t-1]+1) {
			return fmt.Errorf("sim: SetPeriods: step %d is in period %d after period %d: periods must start at 0 and follow the steps", t, p, of[max(0, t-1)])
		}
	}
	m.slotOf = append(m.slotOf[:0], of...)
	m.initRecord()
	return nil
}

// window is the number of steps in the 30-day moving windows.
func (m *Model) window() int { return max(1, int(math.Round(30/m.dt))) }

// Steps returns the number of steps of a run.
func (m *Model) Steps() int { return m.steps }

// StepDays returns the length of a step in days (1 or 7).
func (m *Model) StepDays() int { return int(m.dt) }

// StepDate returns the first day of step i.
func (m *Model) StepDate(i int) Date { return m.sc.Start + Date(float64(i)*m.dt) }

// SetLogging turns the story log (Record.Log) on or off for later runs.
// Logging formats text and so allocates; leave it off for bulk runs.
func (m *Model) SetLogging(on bool) { m.logging = on }

// Record returns the record of the last run. It is overwritten by the next.
func (m *Model) Record() *Record { return &m.rec }

// Reset prepares run `run` under master seed `seed`: parameters back to the
// scenario's, streams positioned at (seed, run, stream).
func (m *Model) Reset(seed uint64, run int) {
	sc := m.sc
	m.seed = seed
	// Parameters: restore the scenario (events may have changed them).
	facs, dems := m.p.Insurgent.Factions, m.p.Insurgent.Demands
	m.p = *sc
	copy(facs, sc.Insurgent.Factions)
	copy(dems, sc.Insurgent.Demands)
	m.p.Insurgent.Factions, m.p.Insurgent.Demands = facs, dems
	m.p.Events = nil
	if m.draws != nil {
		// This run's parameters from the posterior; initial values follow.
		m.applyDraw(seed, run)
		sc = &m.p
	}

	for k := range m.facs {
		f := &m.facs[k]
		cfg := &sc.Insurgent.Factions[k]
		*f = faction{scaled: cfg.Fighters, dec: f.dec} // the stream is seeded below
		if cfg.Split {
			f.status = splinter
			f.splitDay = sc.Start
		}
	}
	for k := range m.dems {
		m.dems[k] = demand{fulfil: sc.Insurgent.Demands[k].Fulfilment}
	}
	m.gScale, m.capacity = 1, sc.Attacks.Capacity.Initial
	m.dirty, m.facEpoch, m.facKey, m.remergeAt = true, 0, [numFacRules]ruleKey{}, 0
	m.rivalFighters = sc.Rival.Fighters
	m.t, m.day, m.phase = 0, sc.Start, Conflict
	m.seedStreams(seed, uint64(run)) // after the step is set: the faction rules' clocks start at it

	m.pain, m.insPain, m.grievance = sc.State.Pain, 0, 0
	m.tempo, m.tempoLeft = 1, 0
	m.talksSince, m.talksOffset, m.talksFailed, m.talksEnded = 0, 0, false, sc.Start-Date(1<<20)
	m.frustration, m.lastAgree = 0, 0
	m.agreedLevel, m.expectLevel, m.deadlocked = 0, 0, false
	m.deadShare, m.closeVal, m.deadRecog = 0, 0, false
	m.medInterest, m.hostDays = sc.Mediator.Interest, 0
	m.fatigueDays, m.fatigueStep, m.fatigueLeft = -1, 1, 1
	m.trust = math.Pow(1-sc.Rules.Memory.Distrust, float64(sc.Insurgent.BrokenDeals))
	m.endByBase, m.endDriver = false, 0
	m.grievDays = 0
	m.cf = CeasefireRecord{}
	m.cfTermEnd, m.opUntil, m.opPushUntil = 0, 0, 0
	m.resetAttacks()
	m.host, m.hostFrom = sc.Mediator.Host, 0
	m.pressing, m.pressFrom, m.pressForced, m.pressForcedTo, m.press = false, 0, 0, 0, 0
	m.viol.reset(m.window())
	m.defWin.reset(m.window())
	m.hz = [numHz]memo{}
	m.pgen = 1 // memos zeroed above (gen 0) miss on first use
	m.decayPainHL, m.decayGen = -1, 0
	m.nextEv = 0
	m.reverts = m.reverts[:0]
	m.rec.reset(run, RunSeed(seed, run))
	m.acc = [numSlotted]float64{}
	m.computeFulfilment()
	m.tally()
	m.updateLeverage()
}

// Done reports whether the run has reached the end of its horizon.
func (m *Model) Done() bool { return m.t >= m.steps }

// Finish closes the books of a run stepped by hand (Run calls it): a
// ceasefire still holding is recorded as open at the horizon.
func (m *Model) Finish() { m.finish() }

// Run performs one whole run and returns its record (owned by the model,
// overwritten by the next run).
func (m *Model) Run(seed uint64, run int) *Record {
	m.Reset(seed, run)
	for m.t < m.steps {
		m.Step()
	}
	m.finish()
	return &m.rec
}

// finish closes the books at the end of the horizon.
func (m *Model) finish() {
	if m.phase == Ceasefire {
		m.cf.End = m.sc.End
		m.cf.Open = true
		m.rec.Ceasefires = append(m.rec.Ceasefires, m.cf)
	}
}

// Value returns the current value of a numeric scenario key in this run
// (the scenario's value changed by any set/scale event still in force). It
// resolves the key on each call: for tests and viewers, not the step loop.
func (m *Model) Value(key string) (float64, error) {
	ref, err := resolveRef(&m.p, key)
	if err != nil {
		return 0, err
	}
	return ref.get(&m.p), nil
}

// Phase returns the current phase.
func (m *Model) Phase() Phase { return m.phase }

// Day returns the current day.
func (m *Model) Day() Date { return m.day }

// Step advances the model by one step (a day or a week). It does not
// allocate unless logging is on or an event with a text effect fires.
func (m *Model) Step() {
	m.applyEvents()
	m.attacks()
	m.fighters()
	m.updateLeverage()
	m.rules()
	m.record()
	m.t++
	m.day = m.StepDate(m.t)
}

// ---- bookkeeping -------------------------------------------------------

func (m *Model) logf(agent, rule, ev, format string, args ...any) {
	if !m.logging {
		return
	}
	m.rec.Log = append(m.rec.Log, LogEntry{Date: m.day, Agent: agent, Rule: rule, Event: ev, Detail: fmt.Sprintf(format, args...)})
}

// setPhase moves the phase machine; illegal moves are a programming error.
func (m *Model) setPhase(to Phase) {
	if to == m.phase {
		return
	}
	if !Legal(m.phase, to) {
		panic(fmt.Sprintf("sim: illegal phase transition %s -> %s on %s", m.phase, to, m.day))
	}
	m.phase = to
}

// tally sets the fighters of members and splinters and the share of member
// fighters in hard-line factions from the faction sums (factions.go).
func (m *Model) tally() {
	m.fresh()
	g := m.gScale
	m.setTally(m.sums.mem*g, m.sums.spl*g, m.sums.hl*g)
}

// setTally stores a tally: member and splinter fighters, and the fighters
// of hard-line members.
func (m *Model) setTally(mem, spl, hl float64) {
	m.memberF, m.splinterF = mem, spl
	m.hlShare = 0
	if mem > 0 {
		m.hlShare = hl / mem
	}
}

// ties is T, the fighter-weighted mean hard-line score of the member
// factions: how far the umbrella keeps the ties and arms the state demands
// it give up (rules state_walks_out, state_concedes). Computed on demand,
// only in talks.
func (m *Model) ties() float64 {
	m.fresh()
	if m.sums.mem > 0 {
		return m.sums.memH / m.sums.mem
	}
	return 0
}

func (m *Model) totalMemberFighters() float64   { return m.memberF }
func (m *Model) totalSplinterFighters() float64 { return m.splinterF }

// computeFulfilment updates the weighted fulfilment F, agreed level A and
// expected level.
func (m *Model) computeFulfilment() {
	var w, f, a, e, c, dw float64
	dead := false
	for k := range m.dems {
		cfg := &m.p.Insurgent.Demands[k]
		d := &m.dems[k]
		w += cfg.Weight
		f += cfg.Weight * d.fulfil
		a += cfg.Weight * d.agreed.Level
		e += cfg.Weight * max(d.agreed.Level, cfg.Reservation)
		switch {
		case d.agreed.Deadlock:
			dead = true
			dw += cfg.Weight // not closable: counts as 0
		case d.agreed.Level <= 0:
			c += cfg.Weight // nothing to deliver: closed
		default:
			c += cfg.Weight * min(1, d.fulfil/d.agreed.Level)
		}
	}
	if w > 0 {
		m.fulfil, m.agreedLevel, m.expectLevel = f/w, a/w, e/w
		m.closeVal, m.deadShare = c/w, dw/w
	} else {
		m.fulfil, m.agreedLevel, m.expectLevel = 0, 0, 0
		m.closeVal, m.deadShare = 0, 0
	}
	if m.agreedLevel <= 0 && !dead {
		m.closeVal = 0 // no terms yet
	}
	m.deadlocked = dead
}

// expectation is the fulfilment the insurgent expects by now in talks.
func (m *Model) expectation() float64 {
	tau := float64(m.day-m.talksSince) + m.talksOffset
	return min(1, tau/m.p.Insurgent.ExpectDays) * m.expectLevel
}

// closeness is how near the talks are to terms both sides can sign, in
// [0, 1]: the weighted mean over items of min(1, f_k/a_k), where a
// deadlocked item (the state's maximum below the insurgent's reservation)
// counts 0, since no delivery can close it. While any item is deadlocked
// closeness stays below 1 − (weight share of deadlocked items).
func (m *Model) closeness() float64 { return m.closeVal }

// Closeness returns the deadlock-aware closeness of the talks to terms both
// sides can sign (0 without terms); see closeness.
func (m *Model) Closeness() float64 { return m.closeVal }

// DeadlockShare returns the weight share of demand items that are
// deadlocked under the current terms (0 when none is).
func (m *Model) DeadlockShare() float64 { return m.deadShare }

// DeadlockRecognised reports whether both sides have recognised a deadlock:
// some item was still deadlocked after rules.bargaining.deadlock_days of
// talks. It stays set after the talks end (seed 003: Khorasani's "war" if
// talks fail) and is cleared when a round of bargaining finds no deadlock.
// It is the hook for the leadership's campaign intent after a collapse.
func (m *Model) DeadlockRecognised() bool { return m.deadRecog }

// FactionGrievance returns faction k's grievance in [0, 1] (a leader
// killed, state strikes; it halves every 90 days, in 30-day steps). It raises the faction's
// spoiling driver and is the hook for its intent to attack.
func (m *Model) FactionGrievance(k int) float64 { return m.facs[k].grievance }

// MediatorInterest returns the mediator's interest in a deal now (rule
// mediator_interest): its scenario interest less fatigue plus the state's
// carrots.
func (m *Model) MediatorInterest() float64 { return m.medInterest }

// updateLeverage recomputes the leverage matrix and the hurt measures from
// the current tally (fighters tallies in the step; Reset calls tally).
func (m *Model) updateLeverage() {
	p := &m.p
	m.hurt = m.pain / (m.pain + p.State.PainScale)
	m.insHurt = m.insPain / (m.insPain + insurgentHurtScale)
	ins := m.memberF + m.splinterF
	rivalShare := 0.0
	if tot := ins + m.rivalFighters; tot > 0 {
		rivalShare = m.rivalFighters / tot
	}
	hl := m.hlShare
	shield := p.Mediator.Sanctuary * p.Insurgent.Dependence
	m.lev[LevStateInsurgent] = p.State.Capacity * (1 - shield)
	m.lev[LevStateMediator] = p.State.TradeLeverage * (1 - m.grievance)
	m.lev[LevInsurgentState] = m.hurt
	m.lev[LevInsurgentMediator] = hl * p.Rival.Appeal
	m.lev[LevMediatorInsurgent] = shield
	m.lev[LevMediatorState] = shield * p.Mediator.Bias
	m.lev[LevRivalMediator] = p.Rival.Threat * rivalShare
	m.lev[LevRivalInsurgent] = p.Rival.Appeal * rivalShare
}

// Constants of the model that are not worth a scenario key.
const (
	insurgentHurtScale = 0.05 // share of fighters lost recently at which the insurgent is half-hurt
	hardlinerGap       = 0.2  // a faction this much harder than the leadership counts as hard-line
	grievanceHalfLife  = 90.0 // days
	opPushDays         = 180  // days after an operation during which its defection push lasts
	agreeEvery         = 30   // days between re-bargaining the terms during talks
	tempoDays          = 30.0 // days a draw of the attack tempo lasts
	grievanceStepDays  = 30.0 // faction grievances decay in steps of this many days
)

// grievanceStepDecay is the decay of a faction's grievance over one
// 30-day step: a half-life of grievanceHalfLife days.
var grievanceStepDecay = math.Exp(-math.Ln2 * grievanceStepDays / grievanceHalfLife)

// record writes this step's values into the run's series.
func (m *Model) record() {
	t := m.t
	r := &m.rec
	if m.dirty {
		m.tally() // a rule moved fighters since updateLeverage tallied them
	}
	r.Phase[t] = m.phase
	if m.slotOf == nil {
		r.FightersInsurgent[t] = m.totalMemberFighters()
		r.FightersSplinter[t] = m.totalSplinterFighters()
		r.FightersRival[t] = m.rivalFighters
		r.Pressure[t] = m.press
		r.Fulfilment[t] = m.fulfil
		for i := range m.lev {
			r.Lev[i][t] = m.lev[i]
		}
		return
	}
	// By period: add to the period's sums, which go into the record on
	// its last step.
	a := &m.acc
	a[4] += m.totalMemberFighters()
	a[5] += m.totalSplinterFighters()
	a[6] += m.rivalFighters
	a[7] += m.press
	a[8] += m.fulfil
	lev, l := (*[NumLeverage]float64)(a[9:]), &m.lev // unrolled: eight entries (checked below record)
	lev[0] += l[0]
	lev[1] += l[1]
	lev[2] += l[2]
	lev[3] += l[3]
	lev[4] += l[4]
	lev[5] += l[5]
	lev[6] += l[6]
	lev[7] += l[7]
	if p := m.slotOf[t]; t+1 == len(m.slotOf) || m.slotOf[t+1] != p {
		for i, s := range r.slotted() {
			(*s)[p] = a[i]
		}
		*a = [numSlotted]float64{}
	}
}

// record adds the eight leverage entries one by one: these fail to compile
// when their number changes.
var (
	_ [NumLeverage - 8]struct{}
	_ [8 - NumLeverage]struct{}
)
