package sim

import (
	"fmt"
	"math"
	"strings"
)

// This file holds the parts of the attack process that are state, not
// draws: the factions' organisational capacity, the leadership's campaign
// intent, the Hawkes excitation and the background trend (MODEL.md
// §3.3.1–3.3.2). attacks() in dynamics.go draws the counts from them.

// daysPerYear converts dates to decimal years for the background trend.
const daysPerYear = 365.25

// resetAttacks puts the attack process at its initial state for a new run.
func (m *Model) resetAttacks() {
	a := &m.sc.Attacks
	m.intent = a.Intent.Initial
	m.insGriev = 0
	m.excIns, m.excRiv, m.excRet = 0, 0, 0
	m.factorsFor, m.factorsGen = [3]float64{-1, -1, -1}, 0
	m.bgFor, m.bgDay, m.bgGen = [3]float64{-1, -1, -1}, 0, 0
	m.refreshAttackFactors()
}

// refreshAttackFactors recomputes the per-step decay factors of the Hawkes
// kernel and of intent when their parameters changed (set/scale events may
// change them), so the daily path computes no exponential.
func (m *Model) refreshAttackFactors() {
	if m.factorsGen != m.pgen { // else no parameter changed since they were checked
		m.attackFactors()
	}
}

// attackFactors is refreshAttackFactors once a parameter has changed.
//
//go:noinline
func (m *Model) attackFactors() {
	m.factorsGen = m.pgen
	a := &m.p.Attacks
	key := [3]float64{a.Hawkes.DecayDays, a.Intent.RiseDays, a.Intent.RelaxDays}
	if key == m.factorsFor {
		return
	}
	m.factorsFor = key
	beta := 1 / a.Hawkes.DecayDays
	m.hkDecay = math.Exp(-beta * m.dt)
	// One event adds hkScale·dt·Σ_{k≥1} e^{−kβdt} = 1 expected unit of
	// intensity over its future: the branching ratio is exactly α.
	m.hkScale = math.Expm1(beta*m.dt) / m.dt
	m.intentUp = -math.Expm1(-m.dt / a.Intent.RiseDays)
	m.intentDown = -math.Expm1(-m.dt / a.Intent.RelaxDays)
}

// intentTarget is the campaign intent the leadership moves toward
// (MODEL.md §3.3.2, "Campaign intent"): restraint in talks (1 −
// talks_restraint) and in a ceasefire or settlement (1 − compliance), hitting
// back during an operation (operation_surge), and in open conflict
// 1 + gain·H + grievance·G + deadlock·[talks failed over a deadlock]:
// coercive gain (seed 002: an "accelerated offensive would force Pakistan to
// be more willing to agree to TTP terms"), grievance (strikes, a leader
// killed; seed 001) and recognised deadlock (seed 003: if talks fail, the
// strategy "would be war").
func (m *Model) intentTarget() float64 {
	p := &m.p
	in := &p.Attacks.Intent
	switch m.phase {
	case Talks:
		return 1 - p.Insurgent.TalksRestrain
	case Ceasefire, Settlement:
		return 1 - p.Insurgent.Compliance
	case Operation:
		return p.Attacks.OperationSurge
	}
	x := 1 + in.Gain*m.hurt + in.Grievance*m.insGriev
	if m.talksFailed && m.deadRecog { // recognised in talks (§3.3.5), it outlives them
		x += in.Deadlock
	}
	return min(in.Max, x)
}

// moveIntent moves the intent toward its target: up with time constant
// rise_days (an escalation takes months to build: seed 004, "re-inventing
// itself" into a full insurgency), down with relax_days (a declared
// ceasefire is ordered at once: the emir's written order of 9 Nov 2021,
// seed 003).
func (m *Model) moveIntent() {
	x := m.intentTarget()
	if x > m.intent {
		m.intent += (x - m.intent) * m.intentUp
	} else {
		m.intent += (x - m.intent) * m.intentDown
	}
}

// multiple is the multiple of its open-conflict rate at which a faction
// attacks. A member follows the leadership's intent I in proportion to its
// loyalty and fights on at its own open-conflict tempo otherwise:
// loyalty·I + (1 − loyalty)·o, o = 1 (operation_surge during an operation).
// With I at 1 − compliance this is the old 1 − compliance·loyalty. A
// splinter attacks at o. A spoiler attacks at least at intensity (at most
// its open-conflict rate), and keeps that multiple after the talks end
// (spoiling is cleared then) until the umbrella's overtakes it: the
// hard-liners' violence carries into the umbrella rather than dropping when
// the talks they spoiled collapse (2014: JuA's attacks went on, seed 003).
// Outside conflict and operations the carried multiple fades with the
// intent's rise time.
func (m *Model) multiple(f *faction, cfg *FactionConfig) float64 {
	own := 1.0
	if m.phase == Operation {
		own = m.p.Attacks.OperationSurge
	}
	if f.status != member {
		return own
	}
	x := cfg.Loyalty*m.intent + (1-cfg.Loyalty)*own
	if f.spoiling {
		f.carry = max(f.carry, m.p.Rules.FactionSpoils.Intensity)
		return max(x, f.carry)
	}
	if f.carry > 0 {
		if x >= f.carry {
			f.carry = 0
			return x
		}
		c := f.carry
		if m.phase != Conflict && m.phase != Operation {
			f.carry -= (f.carry - x) * m.intentUp
		}
		return c
	}
	return x
}

// background is the daily rate of attacks by groups the model does not
// include: background·exp(trend·(year − background_year)) (MODEL.md §3.3.1,
// "Background"). It is computed exactly when the run starts or a key
// changes, and then carried forward by its constant per-step growth factor,
// so the daily path computes no exponential.
func (m *Model) background() float64 {
	a := &m.p.Attacks
	if m.bgGen != m.pgen || m.day != m.bgDay {
		m.bgGen = m.pgen
		m.backgroundFor(a)
	}
	x := m.bgRate
	m.bgRate *= m.bgStep
	m.bgDay = m.day + Date(m.dt)
	return x
}

// backgroundFor recomputes the background rate exactly when its keys
// changed or the day is not the one it was carried to.
func (m *Model) backgroundFor(a *AttackConfig) {
	key := [3]float64{a.Background, a.BackgroundTrend, a.BackgroundYear}
	if key != m.bgFor || m.day != m.bgDay {
		m.bgFor, m.bgDay = key, m.day
		m.bgRate = a.Background
		m.bgStep = 1
		if a.BackgroundTrend != 0 {
			year := 1970 + float64(m.day)/daysPerYear
			m.bgRate = a.Background * math.Exp(a.BackgroundTrend*(year-a.BackgroundYear))
			m.bgStep = math.Exp(a.BackgroundTrend * m.dt / daysPerYear)
		}
	}
}

// capacityStep returns the affine step of every faction's capacity
// (MODEL.md §3.3.2, "Capacity"):
//
//	dc/dt = (growth + sanctuary·S + ceasefire·[ceasefire]) (1 − c) − (wear + operation_wear·[operation]) L c
//
// with S = L[mediator→insurgent] (sanctuary × dependence) and L =
// L[state→insurgent] (the state's capacity not shielded by sanctuary). One
// explicit Euler step is c·keep + g, with g = growth·dt and keep = 1 − g −
// wear·dt; attacks() applies it, clamped to [0, 1], to the capacity the
// factions share, after the step's attacks are drawn.
func (m *Model) capacityStep() (g, keep float64) {
	c := &m.p.Attacks.Capacity
	grow := c.Growth + c.Sanctuary*m.lev[LevMediatorInsurgent]
	if m.phase == Ceasefire || m.phase == Settlement {
		grow += c.Ceasefire
	}
	wear := c.Wear
	if m.phase == Operation {
		wear += c.OperationWear
	}
	g = grow * m.dt
	return g, 1 - g - wear*m.lev[LevStateInsurgent]*m.dt
}

// moveCapacity returns capacity c after one step.
func moveCapacity(c, g, keep float64) float64 {
	x := c*keep + g
	if x > 1 {
		x = 1
	} else if x < 0 {
		x = 0
	}
	return x
}

// struck applies a state strike to the attack process: capacity worn by
// strike_wear·L[state→insurgent], grievance, and retaliation (the TTP's
// answer to the April 2022 air strikes; seed 001).
func (m *Model) struck() {
	a := &m.p.Attacks
	k := 1 - min(1, a.Capacity.StrikeWear*m.lev[LevStateInsurgent])
	m.capacity *= k
	m.insGriev = min(1, m.insGriev+a.Intent.StrikeGrievance)
	m.excRet += m.hkDecay * a.Hawkes.RetaliateStrike
}

// leaderKilled applies a killed leader to the attack process: grievance and
// retaliation (TTP blamed Pakistan for Khorasani's death, Aug 2022; seed
// 001).
func (m *Model) leaderKilled() {
	a := &m.p.Attacks
	m.insGriev = min(1, m.insGriev+a.Intent.LeaderGrievance)
	m.excRet += m.hkDecay * a.Hawkes.RetaliateLeader
}

// SpectralRadius returns the spectral radius of the 2×2 excitation matrix
// [[self, outbid], [rival_outbid, rival_self]]: the mean number of attacks
// an attack triggers in the long run, which must stay below 1 for the
// process to be stationary.
func (h HawkesConfig) SpectralRadius() float64 {
	a, b, c, d := h.Self, h.Outbid, h.RivalOutbid, h.RivalSelf
	half := (a - d) / 2
	return (a+d)/2 + math.Sqrt(half*half+b*c)
}

// checkHawkes is Validate's stationarity check of the excitation matrix:
// the scenario's own, and the one each set/scale event on an
// attacks.hawkes key would leave (applied on its own to the scenario's
// values). It returns the key and message of the first problem.
func (s *Scenario) checkHawkes() (string, string) {
	msg := func(h HawkesConfig) string {
		r := h.SpectralRadius()
		if r < 1 {
			return ""
		}
		return fmt.Sprintf("the excitation matrix [[self %g, outbid %g], [rival_outbid %g, rival_self %g]] has spectral radius %.3f; it must be below 1, or attacks grow without bound (lower self, outbid or their rival counterparts)",
			h.Self, h.Outbid, h.RivalOutbid, h.RivalSelf, r)
	}
	if m := msg(s.Attacks.Hawkes); m != "" {
		return "attacks.hawkes", m
	}
	for i, e := range s.Events {
		if (e.Type != "set" && e.Type != "scale") || !strings.HasPrefix(e.Key, "attacks.hawkes.") {
			continue
		}
		h := s.Attacks.Hawkes
		var x *float64
		switch strings.TrimPrefix(e.Key, "attacks.hawkes.") {
		case "self":
			x = &h.Self
		case "outbid":
			x = &h.Outbid
		case "rival_outbid":
			x = &h.RivalOutbid
		case "rival_self":
			x = &h.RivalSelf
		default:
			continue
		}
		if e.Type == "set" {
			*x = e.Value
		} else {
			*x *= e.Value
		}
		if m := msg(h); m != "" {
			return fmt.Sprintf("events.%d", i), "after this event " + m
		}
	}
	return "", ""
}

// Intent returns the leadership's current campaign intent (1 = the
// open-conflict tempo).
func (m *Model) Intent() float64 { return m.intent }
