package sim

// Decision rules of the insurgent leadership: extending or letting a
// ceasefire lapse, walking out, declaring a ceasefire (MODEL.md §3.4).

import (
	"math"
)

// ceasefireTerm: at the end of its term the insurgent extends a ceasefire
// or lets it lapse (rule insurgent_extends; Dec 2021: not extended because
// the 102 prisoners were not released; May–June 2022: extended twice, then
// made indefinite). Broken earlier deals lower the odds by the trust factor
// (memory of failed deals, seeds 000, 002, 003).
func (m *Model) ceasefireTerm() {
	if m.phase != Ceasefire || m.cfTermEnd == 0 || m.day < m.cfTermEnd {
		return
	}
	r := &m.p.Rules.InsurgentExtends
	exp := m.expectation()
	gap := m.fulfil - exp
	z := 0.0
	if r.Enabled {
		z = r.Base + r.GapSlope*gap + r.PressSlope*m.press*m.lev[LevMediatorInsurgent] + math.Log(m.trust)
		if m.sIns.Float64() < sigmoid(z) {
			m.cf.Extensions++
			if m.cf.Extensions >= r.IndefiniteAfter {
				m.cfTermEnd = 0
				if m.logging {
					m.logf(m.p.Insurgent.Name, "insurgent_extends", "ceasefire made indefinite", "extension %d; fulfilment %.2f vs expected %.2f, trust %.2f, P(extend)=%.2f", m.cf.Extensions, m.fulfil, exp, m.trust, sigmoid(z))
				}
			} else {
				m.cfTermEnd = m.day + Date(max(1, math.Round(r.ExtensionDays)))
				if m.logging {
					m.logf(m.p.Insurgent.Name, "insurgent_extends", "ceasefire extended", "to %s; fulfilment %.2f vs expected %.2f, trust %.2f, P(extend)=%.2f", m.cfTermEnd, m.fulfil, exp, m.trust, sigmoid(z))
				}
			}
			return
		}
	}
	if m.logging {
		m.logf(m.p.Insurgent.Name, "insurgent_extends", "ceasefire lapses", "term over, not extended: fulfilment %.2f vs expected %.2f, trust %.2f, P(extend)=%.2f", m.fulfil, exp, m.trust, sigmoid(z))
	}
	m.endDriver = gap
	m.endCeasefire("insurgent", CauseLapse, Conflict)
}

// insurgentWalksOut: the leadership walks out when fulfilment stays below
// expectation for longer than its patience. Frustration grows while the
// relative shortfall (E − F)/E exceeds the gap tolerance (reachable for any
// tolerance below 1, since F = 0 gives a shortfall of 1) and shrinks
// otherwise; broken earlier deals shorten the patience by the trust factor.
func (m *Model) insurgentWalksOut() {
	if m.phase != Talks && m.phase != Ceasefire {
		return
	}
	r := &m.p.Rules.InsurgentWalksOut
	exp := m.expectation()
	if exp > 0 && exp-m.fulfil > r.GapTolerance*exp {
		m.frustration += m.dt
	} else {
		m.frustration = max(0, m.frustration-m.dt)
	}
	if !r.Enabled {
		return
	}
	hmax := r.Baseline + r.Rate // thinned: the driver is computed on candidate steps only
	if !m.cInsWalk.candidate(hmax, m.dt) {
		return
	}
	patience := m.p.Insurgent.Patience * m.trust
	x := m.frustration / patience
	drv := m.hz[hzInsWalk].at(m.pgen, r.Rate, r.Slope, x, 1) * (1 - m.guarantee())
	fired, byBase := m.cInsWalk.accept(&m.sIns, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	if m.logging {
		m.logf(m.p.Insurgent.Name, "insurgent_walks_out", "walks out", "demands unmet for %.0f days (patience %.0f after %d broken deals): fulfilment %.2f, expected %.2f; %s", m.frustration, patience, m.p.Insurgent.BrokenDeals, m.fulfil, exp, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.breakOff("insurgent", CauseUnmet)
}

// insurgentDeclares: during talks the leadership declares a fixed-term
// ceasefire when pressed and when the talks progress.
func (m *Model) insurgentDeclares() {
	r := &m.p.Rules.InsurgentDeclaresCeasefire
	if !r.Enabled || m.phase != Talks {
		return
	}
	base := r.Baseline
	if m.day < r.BaselineFrom {
		base = 0 // the documented period: its declarations are the scenario's events
	}
	hmax := base + r.Rate // the bound in force, so the baseline changes no draw before baseline_from
	if !m.cDeclare.candidate(hmax, m.dt) {
		return
	}
	ready := m.press*m.lev[LevMediatorInsurgent] + m.closeness()
	drv := m.hz[hzDeclare].at(m.pgen, r.Rate, r.Slope, ready, r.Threshold)
	fired, byBase := m.cDeclare.accept(&m.sIns, base, drv, hmax)
	if !fired {
		return
	}
	m.startCeasefire("rule", r.Term, false)
	if m.logging {
		m.logf(m.p.Insurgent.Name, "insurgent_declares_ceasefire", "declares ceasefire", "%.0f days; readiness %.2f (pressure %.2f, progress %.2f); %s", r.Term, ready, m.press, m.closeness(), baselineNote(byBase, base, drv))
	}
}
