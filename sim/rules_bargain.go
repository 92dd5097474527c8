package sim

// Decision rules of both sides: bargaining over the terms, deadlock,
// concessions and settlement (MODEL.md §3.4).

import (
	"github.com/parley-sim/parley/sim/bargain"
)

// agree fixes the terms of every demand item by alternating offers: delay
// costs each side its base cost plus its pain (state: hurt; insurgent:
// losses and mediator pressure), the insurgent proposes first, and the
// outside-option principle applies the reservation and the state's maximum.
func (m *Model) agree() {
	b := &m.p.Rules.Bargaining
	cs := b.BaseCost + b.PainCost*m.hurt
	ci := b.BaseCost + b.PainCost*(m.insHurt+m.press*m.lev[LevMediatorInsurgent])
	share, _ := bargain.Split(bargain.Discount(ci, b.RoundDays), bargain.Discount(cs, b.RoundDays))
	for k := range m.dems {
		cfg := &m.p.Insurgent.Demands[k]
		m.dems[k].agreed = bargain.Agree(share, cfg.Reservation, cfg.StateMax)
	}
	m.lastAgree = m.day
	m.computeFulfilment()
	if !m.deadlocked {
		m.deadRecog = false
	}
}

// bargain re-bargains the terms every 30 days of talks and lets the state
// deliver agreed concessions in batches (prisoners released from a list).
func (m *Model) bargain() {
	if m.phase != Talks && m.phase != Ceasefire {
		return
	}
	if float64(m.day-m.lastAgree) >= agreeEvery {
		m.agree()
	}
	m.recogniseDeadlock()
	r := &m.p.Rules.StateConcedes
	if !r.Enabled {
		return
	}
	// The state's own demands (seed 001: disband, cut ties with ISIS): it
	// delivers only as far as the insurgent meets them (1 − demands·T, T as
	// in stateWalksOut).
	pace := r.Rate * (1 + r.LeverageGain*m.lev[LevInsurgentState]) * (1 - m.p.State.AudienceCost)
	if m.p.State.Demands > 0 {
		pace *= 1 - m.p.State.Demands*m.ties()
	}
	if m.phase == Ceasefire {
		pace *= 1 + r.CalmGain
	}
	changed := false
	for k := range m.dems {
		d := &m.dems[k]
		cfg := &m.p.Insurgent.Demands[k]
		if d.fulfil >= d.agreed.Level {
			continue
		}
		if d.clock.Fire(&m.sConcede, pace, m.dt) {
			d.fulfil = min(d.agreed.Level, d.fulfil+float64(cfg.Batch)/float64(cfg.Units))
			changed = true
			if m.logging {
				m.logf(m.p.State.Name, "state_concedes", "concedes a batch", "%s: %d of %d units; now %.0f%% fulfilled (agreed %.0f%%)", cfg.Name, cfg.Batch, cfg.Units, 100*d.fulfil, 100*d.agreed.Level)
			}
		}
	}
	if changed {
		m.computeFulfilment()
	}
}

// recogniseDeadlock: once talks have run deadlock_days with an item still
// deadlocked (the state's maximum below the insurgent's reservation), both
// sides recognise that no delivery can close it (seed 003: Khorasani held
// that the state "could never accept" sharia; E09: the FATA merger the
// sticking point). The flag outlives the talks (DeadlockRecognised).
func (m *Model) recogniseDeadlock() {
	if m.deadRecog || !m.deadlocked {
		return
	}
	tau := float64(m.day-m.talksSince) + m.talksOffset
	if tau < m.p.Rules.Bargaining.DeadlockDays {
		return
	}
	m.deadRecog = true
	if m.logging {
		m.logf("both", "bargaining", "deadlock recognised", "after %.0f days of talks %.0f%% of the demands (by weight) are beyond the state's maximum", tau, 100*m.deadShare)
	}
}

// settlement signs a settlement once a ceasefire has delivered the agreed
// terms, and lets a settlement collapse (Walter: about half of negotiated
// settlements are not implemented).
func (m *Model) settlement() {
	switch m.phase {
	case Ceasefire:
		if m.deadlocked || m.agreedLevel <= 0 || m.fulfil < m.p.Settlement.Threshold*m.agreedLevel {
			return
		}
		if m.rec.Settlement == 0 {
			m.rec.Settlement = m.day // the record follows the run's first settlement
		}
		if m.logging {
			m.logf("both", "settlement", "settlement signed", "fulfilment %.2f of agreed %.2f", m.fulfil, m.agreedLevel)
		}
		m.hostDays, m.fatigueLeft = 0, 1 // the mediator has delivered: its fatigue starts over
		m.endCeasefire("both", CauseSettlement, Settlement)
	case Settlement:
		r := &m.p.Rules.SettlementCollapses
		if !r.Enabled {
			return
		}
		hl := 0.0
		if a := m.p.Rival.Appeal; a > 0 {
			hl = m.lev[LevInsurgentMediator] / a
		}
		if m.cSettle.Fire(&m.sIns, r.Rate*(1+r.SpoilerGain*hl), m.dt) {
			if m.rec.SettlementFailed == 0 {
				m.rec.SettlementFailed = m.day
			}
			m.talksFailed = true
			m.setPhase(Conflict)
			if m.logging {
				m.logf(m.p.Insurgent.Name, "settlement_collapses", "settlement collapses", "hard-line share %.2f", hl)
			}
		}
	}
}
