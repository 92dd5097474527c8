package sim

// Decision rules of the mediator: its interest over time, guarantee,
// pressure, hosting and opening talks (MODEL.md §3.4).

import (
	"math"
)

// mediatorInterest: the mediator's interest in a deal changes over time
// (seed 001: legitimacy and unfrozen funds are what it hopes to gain). The
// legitimacy payoff of hosting wears off while hosted talks bring no
// settlement, and a hurting state adds carrots and sticks through its
// trade, transit and aid leverage (seed 002):
// I = clamp(interest·(1 − fatigue·(1 − e^(−D/fatigue_days))) + carrot_gain·L[state→mediator]·hurt, 0, 1),
// D the days of hosted talks since the last settlement.
func (m *Model) mediatorInterest() {
	p := &m.p
	r := &p.Rules.MediatorInterest
	if r.FatigueDays != m.fatigueDays {
		m.fatigueDays = r.FatigueDays
		m.fatigueStep, m.fatigueLeft = 1, 1
		if r.FatigueDays > 0 {
			m.fatigueStep = math.Exp(-m.dt / r.FatigueDays)
			m.fatigueLeft = math.Exp(-m.hostDays / r.FatigueDays)
		}
	}
	if m.host && (m.phase == Talks || m.phase == Ceasefire) {
		m.hostDays += m.dt
		m.fatigueLeft *= m.fatigueStep // e^(−D/fatigue_days), without an Exp a step
	}
	fat := 0.0
	if r.FatigueDays > 0 {
		fat = r.Fatigue * (1 - m.fatigueLeft)
	}
	m.medInterest = min(1, max(0, p.Mediator.Interest*(1-fat)+r.CarrotGain*m.lev[LevStateMediator]*m.hurt))
}

// guarantee is the share of the ceasefire-ending driver hazards the
// mediator's assurances remove: guarantee·min(1, interest now) while it
// hosts, 0 otherwise (seed 000: talks "on the assurances of the Haqqani
// Network"; seed 002: a mediator "which has the capacity to be a guarantor").
func (m *Model) guarantee() float64 {
	if !m.host || m.phase != Ceasefire {
		return 0
	}
	return m.p.Mediator.Guarantee * min(1, m.medInterest)
}

// mediatorPresses: the mediator presses while a deal is in its interest and
// stops when pressing drives too many fighters to the rival.
func (m *Model) mediatorPresses() {
	p := &m.p
	if m.pressForcedTo > m.day {
		m.press = m.pressForced
		return
	}
	r := &p.Rules.MediatorPresses
	talking := m.phase == Talks || m.phase == Ceasefire
	want := r.Enabled && m.host && talking && m.day >= m.pressFrom &&
		m.medInterest*(1+m.lev[LevStateMediator]) >= r.Threshold
	switch {
	case m.pressing && m.defWin.sum > r.FearDefections:
		m.pressing = false
		m.pressFrom = m.day + Date(math.Round(r.Cooldown))
		if m.logging {
			m.logf(p.Mediator.Name, "mediator_presses", "stops pressing", "%.0f fighters went to %s in 30 days, more than the %.0f it fears", m.defWin.sum, p.Rival.Name, r.FearDefections)
		}
	case !m.pressing && want:
		m.pressing = true
		if m.logging {
			m.logf(p.Mediator.Name, "mediator_presses", "presses", "interest %.2f with state leverage %.2f", m.medInterest, m.lev[LevStateMediator])
		}
	case m.pressing && !want:
		m.pressing = false
	}
	m.press = 0
	if m.pressing {
		m.press = p.Mediator.Pressure * min(1, 2*(1-p.Mediator.Bias))
	}
}

// mediatorStopsHosting: the mediator stops hosting when its costs (the
// rival's threat, grievance from strikes) exceed its interest in a deal.
func (m *Model) mediatorStopsHosting() {
	r := &m.p.Rules.MediatorStopsHosting
	if !r.Enabled || !m.host || (m.phase != Talks && m.phase != Ceasefire) {
		return
	}
	hmax := r.Baseline + r.Rate // thinned: the driver is computed on candidate steps only
	if !m.cHostStop.candidate(hmax, m.dt) {
		return
	}
	cost := m.lev[LevRivalMediator] + m.grievance
	x := cost - m.medInterest
	drv := m.hz[hzHostStop].at(m.pgen, r.Rate, r.Slope, x, r.Threshold)
	fired, byBase := m.cHostStop.accept(&m.sMed, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	m.host = false
	m.hostFrom = m.day + Date(max(1, math.Round(r.Cooldown)))
	if m.logging {
		m.logf(m.p.Mediator.Name, "mediator_stops_hosting", "stops hosting", "costs %.2f (rival threat %.2f, grievance %.2f) against interest %.2f; %s", cost, m.lev[LevRivalMediator], m.grievance, m.medInterest, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.breakOff("mediator", CauseMediator)
}

// hostingResumes lets the mediator host again after its cooldown.
func (m *Model) hostingResumes() {
	if !m.host && m.hostFrom != 0 && m.day >= m.hostFrom {
		m.host, m.hostFrom = true, 0
		if m.logging {
			m.logf(m.p.Mediator.Name, "mediator_stops_hosting", "hosts again", "cooldown over")
		}
	}
}

// talksOpen: talks open when the conflict is ripe: both sides hurt and a
// mediator offers a way out (Zartman's ripeness).
func (m *Model) talksOpen() {
	r := &m.p.Rules.TalksOpen
	if !r.Enabled || m.phase != Conflict || !m.host || float64(m.day-m.talksEnded) < r.Cooldown {
		return
	}
	hmax := r.Baseline + r.Rate
	if !m.cTalks.candidate(hmax, m.dt) {
		return
	}
	way := m.medInterest * m.lev[LevMediatorInsurgent]
	ripe := math.Sqrt(m.hurt * max(m.insHurt, way))
	drv := m.hz[hzTalks].at(m.pgen, r.Rate, r.Slope, ripe, r.Threshold)
	fired, byBase := m.cTalks.accept(&m.sMed, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	m.openTalks(0)
	m.setPhase(Talks)
	if m.logging {
		m.logf(m.p.Mediator.Name, "talks_open", "talks open", "ripeness %.2f: state hurt %.2f, insurgent hurt %.2f, way out %.2f; %s", ripe, m.hurt, m.insHurt, way, baselineNote(byBase, r.Baseline, drv))
	}
}
