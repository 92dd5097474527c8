package sim

// Decision rules of the state: ending a ceasefire, walking out, strikes and
// operations (MODEL.md §3.4).

// operationEnds returns to open conflict when an operation has run its
// course.
func (m *Model) operationEnds() {
	if m.phase == Operation && m.day >= m.opUntil {
		m.setPhase(Conflict)
		m.tally()
		if m.logging {
			m.logf(m.p.State.Name, "state_operation", "operation ends", "operation over; fighters left: %.0f", m.totalMemberFighters()+m.totalSplinterFighters())
		}
	}
}

// stateEndsCeasefire: the state ends a ceasefire when the attacks it blames
// on the insurgent in 30 days exceed its tolerance.
func (m *Model) stateEndsCeasefire() {
	r := &m.p.Rules.StateEndsCeasefire
	if !r.Enabled || m.phase != Ceasefire {
		return
	}
	hmax := r.Baseline + r.Rate // thinned: the driver is computed on candidate steps only
	if !m.cStateEnds.candidate(hmax, m.dt) {
		return
	}
	x := m.viol.sum / r.Tolerance
	drv := m.hz[hzStateEnds].at(m.pgen, r.Rate, r.Slope, x, 1) * (1 - m.guarantee())
	fired, byBase := m.cStateEnds.accept(&m.sState, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	strike := m.sState.Float64() < r.StrikeShare
	if m.logging {
		m.logf(m.p.State.Name, "state_ends_ceasefire", "ceasefire ends", "%.0f attacks blamed on %s in 30 days against a tolerance of %.0f; %s", m.viol.sum, m.p.Insurgent.Name, r.Tolerance, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.endCeasefire("state", CauseViolations, Conflict)
	if strike {
		m.strike(m.p.Rules.StateStrikes.Kill * m.p.State.Capacity)
	}
}

// stateWalksOut: the state leaves talks when the audience cost of what it
// conceded, plus its own demands left unmet, exceeds the pain the talks
// relieve. The state's demands (seed 001: disband, sever ties with ISIS;
// E01: registration of foreign militants, the breaking point of Shakai) are
// unmet to the degree demands·T, T the fighter-weighted mean hard-line score
// of the umbrella's member factions (the hard-liners keep the ties and
// refuse to disband).
func (m *Model) stateWalksOut() {
	r := &m.p.Rules.StateWalksOut
	if !r.Enabled || (m.phase != Talks && m.phase != Ceasefire) {
		return
	}
	hmax := r.Baseline + r.Rate
	if !m.cStateWalk.candidate(hmax, m.dt) {
		return
	}
	unmet := 0.0
	if m.p.State.Demands > 0 {
		unmet = m.p.State.Demands * m.ties()
	}
	cost := m.p.State.AudienceCost*m.fulfil + unmet
	x := cost - m.hurt
	drv := m.hz[hzStateWalk].at(m.pgen, r.Rate, r.Slope, x, r.Threshold) * (1 - m.guarantee())
	fired, byBase := m.cStateWalk.accept(&m.sState, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	if m.logging {
		m.logf(m.p.State.Name, "state_walks_out", "walks out of talks", "audience cost %.2f of concessions and of its own demands unmet (%.2f) against the hurt %.2f the talks relieve; %s", cost, unmet, m.hurt, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.breakOff("state", CauseStateWalkout)
}

// stateStrikes: a hurting state strikes the insurgent's sanctuary (April
// 2022 air strikes in Khost and Kunar), restrained by the mediator's
// leverage over it: the sanctuary's host can let the insurgent hurt the
// state, so the state forgoes restraint·L[mediator→state] of its hurt.
func (m *Model) stateStrikes() {
	r := &m.p.Rules.StateStrikes
	if !r.Enabled || (m.phase != Conflict && m.phase != Talks) {
		return
	}
	hmax := r.Baseline + r.Rate
	if !m.cStrike.candidate(hmax, m.dt) {
		return
	}
	x := m.hurt - r.Restraint*m.lev[LevMediatorState]
	drv := m.hz[hzStrike].at(m.pgen, r.Rate, r.Slope, x, r.Threshold)
	fired, byBase := m.cStrike.accept(&m.sState, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	if m.logging {
		m.logf(m.p.State.Name, "state_strikes", "decides to strike", "hurt %.2f less restraint %.2f before %s's leverage over it; %s", m.hurt, r.Restraint*m.lev[LevMediatorState], m.p.Mediator.Name, baselineNote(byBase, r.Baseline, drv))
	}
	m.strike(r.Kill * m.p.State.Capacity)
}

// stateOperation: after talks have failed, a hurting state launches a
// large operation (Zarb-e-Azb, June 2014).
func (m *Model) stateOperation() {
	r := &m.p.Rules.StateOperation
	if !r.Enabled || m.phase != Conflict || !m.talksFailed {
		return
	}
	hmax := r.Baseline + r.Rate
	if !m.cOperation.candidate(hmax, m.dt) {
		return
	}
	x := m.hurt * (1 - m.p.State.Distraction)
	drv := m.hz[hzOperation].at(m.pgen, r.Rate, r.Slope, x, r.Threshold)
	fired, byBase := m.cOperation.accept(&m.sState, r.Baseline, drv, hmax)
	if !fired {
		return
	}
	m.launchOperation(r.Duration)
	if m.logging {
		m.logf(m.p.State.Name, "state_operation", "launches operation", "talks failed and hurt %.2f (distraction %.2f); %.0f days; %s", m.hurt, m.p.State.Distraction, r.Duration, baselineNote(byBase, r.Baseline, drv))
	}
}
