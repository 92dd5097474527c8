package sim

// The faction layer: what the step does for every faction, in time that
// does not grow with the number of factions (MODEL.md §3.1, "Factions in
// aggregate").
//
// Every faction in the game grows (recruitment) and is worn (operation
// attrition, strikes) by the same factor, and all share one organisational
// capacity, so a faction's fighters are kept as scaled·gScale: the daily
// growth multiplies gScale alone, and the sums the step needs (fighters of
// members and splinters, hard-line shares, attack weights) are kept in
// scaled units and recomputed only when a faction changes (resum). The
// umbrella's attacks and the individual defections are each drawn as one
// process for all factions, whose rate is the sum of theirs, each event
// going to a faction with probability proportional to its rate
// (superposition and thinning: the per-faction counts are independent
// Poisson counts with the same means as one clock per faction would give).
// The four faction rules keep a clock per faction, event-driven
// (rules_factions.go).

// Faction rules, in the order the step runs them.
const (
	ruleSpoil   = iota // faction_spoils
	ruleSplit          // faction_splits
	ruleRemerge        // faction_remerges
	ruleDefect         // fighters_defect, a whole faction
	numFacRules
)

// facSums are the sums over the factions the step reads, in scaled
// fighters (multiply by Model.gScale for fighters).
type facSums struct {
	mem, spl float64 // members, splinters
	hl       float64 // members harder than the leadership by hardlinerGap
	memH     float64 // members' Σ scaled·hardline (ties; individual defections)
	splH     float64 // splinters' Σ scaled·hardline (individual defections)
	atkL     float64 // plain members' Σ attack_rate·scaled·loyalty
	atk1     float64 // plain members' Σ attack_rate·scaled·(1 − loyalty)
	atkSpl   float64 // splinters' Σ attack_rate·scaled
}

// ruleKey is what a faction rule's hazards depend on beyond each faction's
// own state: when it is unchanged the cached hazards hold.
type ruleKey struct {
	gen, epoch uint32
	a, b, c    float64
}

// factionsChanged records that a faction's fighters (other than by the
// common growth), status, spoiling or grievance changed: the sums and the
// rules' cached hazards are recomputed before they are next read.
func (m *Model) factionsChanged() {
	m.dirty = true
	m.facEpoch++
}

// fightersOf returns faction k's fighters.
func (m *Model) fightersOf(k int) float64 { return m.facs[k].scaled * m.gScale }

// setFighters sets faction k's fighters. The rules' cached hazards are
// kept unless the faction gains its first fighters or loses its last.
func (m *Model) setFighters(k int, x float64) {
	m.fold()
	f := &m.facs[k]
	if (f.scaled > 0) != (x > 0) {
		m.facEpoch++
	}
	f.scaled = x
	m.dirty = true
}

// fold moves the common growth factor into every faction's scaled
// fighters, so that scaled is fighters (gScale = 1).
func (m *Model) fold() {
	if g := m.gScale; g != 1 {
		for k := range m.facs {
			m.facs[k].scaled *= g
		}
		m.gScale = 1
	}
}

// resum folds the growth factor and recomputes the sums and which members
// attack at a multiple of their own (spoilers, and former spoilers whose
// carried multiple has not yet faded).
func (m *Model) resum() {
	m.fold()
	p := &m.p
	lead := p.Insurgent.Hardline + hardlinerGap
	var s facSums
	m.nSpecial = 0
	cfgs := p.Insurgent.Factions[:len(m.facs)]
	for k := range m.facs {
		f := &m.facs[k]
		f.special = false
		x := f.scaled
		cfg := &cfgs[k]
		switch f.status {
		case member:
			s.mem += x
			s.memH += x * cfg.Hardline
			if cfg.Hardline > lead {
				s.hl += x
			}
			if f.spoiling || f.carry > 0 {
				f.special = true
				m.nSpecial++
			} else {
				a := cfg.AttackRate * x
				s.atkL += a * cfg.Loyalty
				s.atk1 += a * (1 - cfg.Loyalty)
			}
		case splinter:
			s.spl += x
			s.splH += x * cfg.Hardline
			s.atkSpl += cfg.AttackRate * x
		}
	}
	m.sums = s
	m.sumGen = m.pgen
	m.dirty = false
}

// fresh recomputes the sums if a faction or a parameter changed since.
func (m *Model) fresh() {
	if m.dirty || m.sumGen != m.pgen {
		m.resum()
	}
}

// pickDefector returns the faction of an individual defector: the first k
// at which the running sum of the factions' weights (scaled·hardline·push,
// push the member or the other push; 0 for a faction gone over) passes
// u·total, u uniform on [0, 1) from sDefectWho. Round-off between the
// running sum and the total falls to the last faction with a positive
// weight; -1 when none has one.
func (m *Model) pickDefector(total, memberPush, otherPush float64) int {
	target := m.sDefectWho.Float64() * total
	cfgs := m.p.Insurgent.Factions[:len(m.facs)]
	last := -1
	var acc float64
	for k := range m.facs {
		f := &m.facs[k]
		var w float64
		switch f.status {
		case member:
			w = f.scaled * cfgs[k].Hardline * memberPush
		case splinter:
			w = f.scaled * cfgs[k].Hardline * otherPush
		}
		if w <= 0 {
			continue
		}
		last = k
		if acc += w; acc > target {
			return k
		}
	}
	return last
}

// Capacity returns the organisational capacity of the factions still in
// the game (members and splinters), in [0, 1]: they share one (MODEL.md
// §3.3.2), so it is also their fighter-weighted mean; 0 when none has
// fighters.
func (m *Model) Capacity() float64 {
	m.fresh()
	if m.sums.mem+m.sums.spl <= 0 {
		return 0
	}
	return m.capacity
}

// specialAttacks returns the attack weights of the members that attack at
// a multiple of their own (multiple): spoilers, and former spoilers whose
// carried multiple has not faded. A member whose carried multiple has
// faded joins the sums at the next step.
func (m *Model) specialAttacks() (spoil, carried float64) {
	cfgs := m.p.Insurgent.Factions[:len(m.facs)]
	for k := range m.facs {
		f := &m.facs[k]
		if !f.special || !(f.scaled > 0) {
			continue
		}
		w := cfgs[k].AttackRate * f.scaled * m.multiple(f, &cfgs[k])
		if f.spoiling {
			spoil += w
		} else {
			carried += w
		}
		if !f.spoiling && f.carry == 0 {
			m.dirty = true
		}
	}
	return spoil, carried
}
