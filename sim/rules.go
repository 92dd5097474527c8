package sim

import (
	"fmt"
	"math"
)

// rules runs every decision rule once, in a fixed order (MODEL.md,
// "Scheduling"). A rule that changes the phase is seen by the rules after it.
func (m *Model) rules() {
	m.mediatorInterest()
	m.operationEnds()
	m.hostingResumes()
	m.ceasefireTerm()
	m.stateEndsCeasefire()
	m.stateWalksOut()
	m.insurgentWalksOut()
	m.mediatorPresses()
	m.mediatorStopsHosting()
	m.stateStrikes()
	m.stateOperation()
	m.factionRules()
	m.talksOpen()
	m.insurgentDeclares()
	m.bargain()
	m.settlement()
}

// ---- transitions shared by rules and events ----------------------------

// openTalks starts a round of talks; offset is how many days they had
// already run (for scenarios that start mid-talks).
func (m *Model) openTalks(offset float64) {
	m.talksSince, m.talksOffset = m.day, offset
	m.frustration = 0
	m.rec.TalksRounds++
	m.opUntil = 0
	m.agree()
}

// endTalks closes the talks (and the ceasefire bookkeeping must already be
// done by the caller).
func (m *Model) endTalks() {
	m.talksFailed = true
	m.talksEnded = m.day
	m.pressing = false
	m.press = 0
	for k := range m.facs {
		m.facs[k].spoiling = false
	}
	m.factionsChanged()
}

// startCeasefire declares a ceasefire for a term of days, or indefinitely.
func (m *Model) startCeasefire(origin string, days float64, indefinite bool) {
	if m.phase == Conflict || m.phase == Operation {
		m.openTalks(0)
	}
	m.cf = CeasefireRecord{Start: m.day, Origin: origin}
	m.cfTermEnd = 0
	if !indefinite {
		m.cfTermEnd = m.day + Date(max(1, math.Round(days)))
	}
	m.viol.reset(m.window())
	m.setPhase(Ceasefire)
}

// endCeasefire closes the running ceasefire and moves to phase `to`.
func (m *Model) endCeasefire(by, cause string, to Phase) {
	m.cf.End = m.day
	m.cf.EndedBy = by
	m.cf.Cause = cause
	m.cf.ByBaseline, m.cf.Driver = m.endByBase, m.endDriver
	m.endByBase, m.endDriver = false, 0
	m.rec.Ceasefires = append(m.rec.Ceasefires, m.cf)
	m.cf = CeasefireRecord{}
	m.cfTermEnd = 0
	if to != Settlement {
		m.endTalks()
	}
	m.setPhase(to)
}

// breakOff ends talks or a ceasefire, whichever is running, on behalf of
// `by` for `cause`, and returns to open conflict.
func (m *Model) breakOff(by, cause string) {
	switch m.phase {
	case Ceasefire:
		m.endCeasefire(by, cause, Conflict)
	case Talks:
		m.endTalks()
		m.setPhase(Conflict)
	}
}

// strike is a state strike killing a share of the insurgent's fighters.
func (m *Model) strike(share float64) {
	k := min(1, share)
	m.fresh()
	before := (m.sums.mem + m.sums.spl) * m.gScale
	lost := before * k
	// Every faction in the game loses the same share: the common scale.
	m.gScale *= 1 - k
	m.factionsChanged()
	if before > 0 {
		m.insPain += lost / before
	}
	g := m.p.Rules.StateStrikes.Grievance
	m.grievance = min(1, m.grievance+g)
	for i := range m.facs {
		m.facs[i].grievance = min(1, m.facs[i].grievance+g)
	}
	m.struck() // capacity wear, the leadership's grievance, retaliation (§3.3.1–3.3.2)
	m.rec.Strikes++
	if m.logging {
		m.logf(m.p.State.Name, "state_strikes", "strike", "%.0f fighters killed (%.1f%%); grievance of %s now %.2f", lost, 100*k, m.p.Mediator.Name, m.grievance)
	}
}

// launchOperation starts a large operation lasting days.
func (m *Model) launchOperation(days float64) {
	switch m.phase {
	case Ceasefire:
		m.endCeasefire("state", CauseOperation, Operation)
	case Talks:
		m.endTalks()
		m.setPhase(Operation)
	case Conflict, Settlement:
		m.setPhase(Operation)
	}
	m.opUntil = m.day + Date(max(1, math.Round(days)))
	m.opPushUntil = m.opUntil + opPushDays
	m.rec.Operations++
}

// ---- the rules: one file per agent (rules_state.go, rules_insurgent.go,
// rules_mediator.go, rules_factions.go, rules_bargain.go) ---------------

// baselineNote is the story's account of which part of a rule's hazard
// fired.
func baselineNote(byBase bool, base, drv float64) string {
	if byBase {
		return fmt.Sprintf("baseline hazard %.5f/day fired, not its driver (driver hazard %.5f/day)", base, drv)
	}
	return fmt.Sprintf("driver hazard %.5f/day (baseline %.5f/day)", drv, base)
}
