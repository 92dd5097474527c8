package sim

import (
	"fmt"
	"math"

	"github.com/parley-sim/parley/sim/bargain"
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
}

// startCeasefire declares a ceasefire for a term of days, or indefinitely.
func (m *Model) startCeasefire(origin string, days float64, indefinite bool) {
	if m.phase == Conflict || m.phase == Operation {
		m.openTalks(0)
	}
	m.cf = CeasefireRecord{Start: m.day, Origin: origin}
	m.cfTermEnd = 0
	if !indefinite {
		m.cfTermEnd = m.day + Date(math.Max(1, math.Round(days)))
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
		if to == Conflict {
			m.surgeUntil = m.day + surgeDays
		}
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
	var before, lost float64
	k := math.Min(1, share)
	for i := range m.facs {
		f := &m.facs[i]
		if f.status == defected {
			continue
		}
		before += f.fighters
		lost += f.fighters * k
		f.fighters -= f.fighters * k
	}
	if before > 0 {
		m.insPain += lost / before
	}
	g := m.p.Rules.StateStrikes.Grievance
	m.grievance = math.Min(1, m.grievance+g)
	for i := range m.facs {
		m.facs[i].grievance = math.Min(1, m.facs[i].grievance+g)
	}
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
	m.opUntil = m.day + Date(math.Max(1, math.Round(days)))
	m.opPushUntil = m.opUntil + opPushDays
	m.rec.Operations++
}

// ---- the rules ----------------------------------------------------------

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

// hostingResumes lets the mediator host again after its cooldown.
func (m *Model) hostingResumes() {
	if !m.host && m.hostFrom != 0 && m.day >= m.hostFrom {
		m.host, m.hostFrom = true, 0
		if m.logging {
			m.logf(m.p.Mediator.Name, "mediator_stops_hosting", "hosts again", "cooldown over")
		}
	}
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

// baselineNote is the story's account of which part of a rule's hazard
// fired.
func baselineNote(byBase bool, base, drv float64) string {
	if byBase {
		return fmt.Sprintf("baseline hazard %.5f/day fired, not its driver (driver hazard %.5f/day)", base, drv)
	}
	return fmt.Sprintf("driver hazard %.5f/day (baseline %.5f/day)", drv, base)
}

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
				m.cfTermEnd = m.day + Date(math.Max(1, math.Round(r.ExtensionDays)))
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

// stateEndsCeasefire: the state ends a ceasefire when the attacks it blames
// on the insurgent in 30 days exceed its tolerance.
func (m *Model) stateEndsCeasefire() {
	r := &m.p.Rules.StateEndsCeasefire
	if !r.Enabled || m.phase != Ceasefire {
		return
	}
	x := m.viol.sum / r.Tolerance
	drv := m.hz[hzStateEnds].at(r.Rate, r.Slope, x, 1) * (1 - m.guarantee())
	fired, byBase := fireRule(&m.cStateEnds, &m.sState, r.Baseline, drv, m.dt)
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
	cost := m.p.State.AudienceCost*m.fulfil + m.p.State.Demands*m.ties
	x := cost - m.hurt
	drv := m.hz[hzStateWalk].at(r.Rate, r.Slope, x, r.Threshold) * (1 - m.guarantee())
	fired, byBase := fireRule(&m.cStateWalk, &m.sState, r.Baseline, drv, m.dt)
	if !fired {
		return
	}
	if m.logging {
		m.logf(m.p.State.Name, "state_walks_out", "walks out of talks", "audience cost %.2f of concessions and of its own demands unmet (%.2f) against the hurt %.2f the talks relieve; %s", cost, m.p.State.Demands*m.ties, m.hurt, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.breakOff("state", CauseStateWalkout)
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
		m.frustration = math.Max(0, m.frustration-m.dt)
	}
	if !r.Enabled {
		return
	}
	patience := m.p.Insurgent.Patience * m.trust
	x := m.frustration / patience
	drv := m.hz[hzInsWalk].at(r.Rate, r.Slope, x, 1) * (1 - m.guarantee())
	fired, byBase := fireRule(&m.cInsWalk, &m.sIns, r.Baseline, drv, m.dt)
	if !fired {
		return
	}
	if m.logging {
		m.logf(m.p.Insurgent.Name, "insurgent_walks_out", "walks out", "demands unmet for %.0f days (patience %.0f after %d broken deals): fulfilment %.2f, expected %.2f; %s", m.frustration, patience, m.p.Insurgent.BrokenDeals, m.fulfil, exp, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.breakOff("insurgent", CauseUnmet)
}

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
	if m.host && (m.phase == Talks || m.phase == Ceasefire) {
		m.hostDays += m.dt
	}
	fat := 0.0
	if r.FatigueDays > 0 {
		fat = r.Fatigue * (1 - math.Exp(-m.hostDays/r.FatigueDays))
	}
	m.medInterest = min(1, max(0, p.Mediator.Interest*(1-fat)+r.CarrotGain*m.lev[LevStateMediator]*m.hurt))
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
		m.press = p.Mediator.Pressure * math.Min(1, 2*(1-p.Mediator.Bias))
	}
}

// mediatorStopsHosting: the mediator stops hosting when its costs (the
// rival's threat, grievance from strikes) exceed its interest in a deal.
func (m *Model) mediatorStopsHosting() {
	r := &m.p.Rules.MediatorStopsHosting
	if !r.Enabled || !m.host || (m.phase != Talks && m.phase != Ceasefire) {
		return
	}
	cost := m.lev[LevRivalMediator] + m.grievance
	x := cost - m.medInterest
	drv := m.hz[hzHostStop].at(r.Rate, r.Slope, x, r.Threshold)
	fired, byBase := fireRule(&m.cHostStop, &m.sMed, r.Baseline, drv, m.dt)
	if !fired {
		return
	}
	m.host = false
	m.hostFrom = m.day + Date(math.Max(1, math.Round(r.Cooldown)))
	if m.logging {
		m.logf(m.p.Mediator.Name, "mediator_stops_hosting", "stops hosting", "costs %.2f (rival threat %.2f, grievance %.2f) against interest %.2f; %s", cost, m.lev[LevRivalMediator], m.grievance, m.medInterest, baselineNote(byBase, r.Baseline, drv))
	}
	m.endByBase, m.endDriver = byBase, x
	m.breakOff("mediator", CauseMediator)
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
	x := m.hurt - r.Restraint*m.lev[LevMediatorState]
	drv := m.hz[hzStrike].at(r.Rate, r.Slope, x, r.Threshold)
	fired, byBase := fireRule(&m.cStrike, &m.sState, r.Baseline, drv, m.dt)
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
	x := m.hurt * (1 - m.p.State.Distraction)
	drv := m.hz[hzOperation].at(r.Rate, r.Slope, x, r.Threshold)
	fired, byBase := fireRule(&m.cOperation, &m.sState, r.Baseline, drv, m.dt)
	if !fired {
		return
	}
	m.launchOperation(r.Duration)
	if m.logging {
		m.logf(m.p.State.Name, "state_operation", "launches operation", "talks failed and hurt %.2f (distraction %.2f); %.0f days; %s", m.hurt, m.p.State.Distraction, r.Duration, baselineNote(byBase, r.Baseline, drv))
	}
}

// factionRules: spoiling, splits, re-mergers and whole-faction defection,
// faction by faction in scenario order. Each faction's grievance (a leader
// killed, strikes) halves every 90 days.
func (m *Model) factionRules() {
	p := &m.p
	rs, rp, rm, rd := &p.Rules.FactionSpoils, &p.Rules.FactionSplits, &p.Rules.FactionRemerges, &p.Rules.FightersDefect
	talking := m.phase == Talks || m.phase == Ceasefire
	close := m.closeness()
	op := 0.0
	if m.day < m.opPushUntil {
		op = p.Rules.StateOperation.DefectionPush
	}
	hl := p.Insurgent.Hardline
	// The mediator reins in the hard-liners it shelters while it presses
	// (seed 002: "it has the ability to place enough pressure on TTP").
	restraint := m.press * m.lev[LevMediatorInsurgent]
	for k := range m.facs {
		f := &m.facs[k]
		cfg := &p.Insurgent.Factions[k]
		f.grievance *= m.decayGrievance
		if f.status == defected || f.fighters <= 0 {
			continue
		}
		gap := cfg.Hardline - hl
		if f.status == member && talking && rs.Enabled && !f.spoiling {
			x := gap*(1+close) + rs.GrievanceGain*f.grievance - restraint
			drv := f.hzSpoil.at(rs.Rate, rs.Slope, x, rs.Threshold)
			if fired, byBase := fireRule(&f.spoil, &f.dec, rs.Baseline, drv, m.dt); fired {
				f.spoiling = true
				if m.logging {
					m.logf(cfg.Name, "faction_spoils", "spoils the talks", "hard-line %.2f vs leadership %.2f, talks %.0f%% of the way to signable terms, grievance %.2f, mediator's restraint %.2f; attacks ×%.1f through proxies; %s", cfg.Hardline, hl, 100*close, f.grievance, restraint, rs.Intensity, baselineNote(byBase, rs.Baseline, drv))
				}
			}
		}
		// Splits happen over talks and also under a military operation
		// (JuA split in Aug/Sept 2014, during Zarb-e-Azb; shocks.csv
		// 2014-09-04).
		if f.status == member && (talking || m.phase == Settlement || m.phase == Operation) && rp.Enabled {
			x := (1 - cfg.Loyalty) + gap
			if f.spoiling {
				x += rp.SpoilBonus
			}
			drv := f.hzSplit.at(rp.Rate, rp.Slope, x, rp.Threshold)
			if fired, byBase := fireRule(&f.split, &f.dec, rp.Baseline, drv, m.dt); fired {
				f.status, f.splitDay, f.spoiling = splinter, m.day, false
				m.rec.Splits++
				if k < 64 {
					m.rec.SplitMask |= 1 << uint(k)
				}
				if m.logging {
					m.logf(cfg.Name, "faction_splits", "splits from the umbrella", "loyalty %.2f, hard-line %.2f vs leadership %.2f, phase %s; takes %.0f fighters; %s", cfg.Loyalty, cfg.Hardline, hl, m.phase, f.fighters, baselineNote(byBase, rp.Baseline, drv))
				}
			}
		}
		if f.status == splinter && (m.phase == Conflict || m.phase == Operation) && rm.Enabled &&
			float64(m.day-f.splitDay) >= rm.MinDays {
			x := 1 - math.Abs(gap)
			drv := f.hzRemerge.at(rm.Rate, rm.Slope, x, rm.Threshold)
			if fired, byBase := fireRule(&f.remerge, &f.dec, rm.Baseline, drv, m.dt); fired {
				f.status = member
				m.rec.Merges++
				if m.logging {
					m.logf(cfg.Name, "faction_remerges", "rejoins the umbrella", "no talks, closeness %.2f to the leadership after %d days apart; %s", x, m.day-f.splitDay, baselineNote(byBase, rm.Baseline, drv))
				}
			}
		}
		if rd.Enabled && (rd.FactionRate > 0 || rd.FactionBaseline > 0) {
			push := 1 + op
			if f.status == member {
				push += rd.PressGain * m.press
				if talking || m.phase == Settlement {
					push += rd.DealGain * close
				}
			}
			// A faction under oath to the emir does not go over to the
			// emir's enemy: the pull is scaled by its disloyalty (seed 004:
			// the TTP emir is under the bayat of the Taliban's leader; the
			// core Mehsud faction is the emir's own).
			pull := cfg.Hardline * p.Rival.Appeal * push * (1 - cfg.Loyalty)
			drv := f.hzDefect.at(rd.FactionRate, rd.Slope, pull, rd.Threshold)
			if fired, byBase := fireRule(&f.defectAll, &f.dec, rd.FactionBaseline, drv, m.dt); fired {
				n := math.Floor(f.fighters)
				m.rivalFighters += n
				m.rec.DefectedFighters += n
				m.defWin.sum += n
				f.fighters -= n
				f.status, f.spoiling = defected, false
				m.rec.FactionDefections++
				if k < 64 {
					m.rec.DefectedMask |= 1 << uint(k)
				}
				if m.logging {
					m.logf(cfg.Name, "fighters_defect", "defects to the rival", "pull %.2f (hard-line %.2f, appeal %.2f, push %.2f, loyalty %.2f); %.0f fighters join %s; %s", pull, cfg.Hardline, p.Rival.Appeal, push, cfg.Loyalty, n, p.Rival.Name, baselineNote(byBase, rd.FactionBaseline, drv))
				}
			}
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
	way := m.medInterest * m.lev[LevMediatorInsurgent]
	ripe := math.Sqrt(m.hurt * math.Max(m.insHurt, way))
	drv := m.hz[hzTalks].at(r.Rate, r.Slope, ripe, r.Threshold)
	fired, byBase := fireRule(&m.cTalks, &m.sMed, r.Baseline, drv, m.dt)
	if !fired {
		return
	}
	m.openTalks(0)
	m.setPhase(Talks)
	if m.logging {
		m.logf(m.p.Mediator.Name, "talks_open", "talks open", "ripeness %.2f: state hurt %.2f, insurgent hurt %.2f, way out %.2f; %s", ripe, m.hurt, m.insHurt, way, baselineNote(byBase, r.Baseline, drv))
	}
}

// insurgentDeclares: during talks the leadership declares a fixed-term
// ceasefire when pressed and when the talks progress.
func (m *Model) insurgentDeclares() {
	r := &m.p.Rules.InsurgentDeclaresCeasefire
	if !r.Enabled || m.phase != Talks {
		return
	}
	ready := m.press*m.lev[LevMediatorInsurgent] + m.closeness()
	drv := m.hz[hzDeclare].at(r.Rate, r.Slope, ready, r.Threshold)
	fired, byBase := fireRule(&m.cDeclare, &m.sIns, r.Baseline, drv, m.dt)
	if !fired {
		return
	}
	m.startCeasefire("rule", r.Term, false)
	if m.logging {
		m.logf(m.p.Insurgent.Name, "insurgent_declares_ceasefire", "declares ceasefire", "%.0f days; readiness %.2f (pressure %.2f, progress %.2f); %s", r.Term, ready, m.press, m.closeness(), baselineNote(byBase, r.Baseline, drv))
	}
}

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
	pace := r.Rate * (1 + r.LeverageGain*m.lev[LevInsurgentState]) * (1 - m.p.State.AudienceCost) * (1 - m.p.State.Demands*m.ties)
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
			d.fulfil = math.Min(d.agreed.Level, d.fulfil+float64(cfg.Batch)/float64(cfg.Units))
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
		m.hostDays = 0 // the mediator has delivered: its fatigue starts over
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
			m.surgeUntil = m.day + surgeDays
			m.setPhase(Conflict)
			if m.logging {
				m.logf(m.p.Insurgent.Name, "settlement_collapses", "settlement collapses", "hard-line share %.2f", hl)
			}
		}
	}
}
