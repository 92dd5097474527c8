package sim

import "math"

// applyEvents applies the scenario events that fall within this step, in
// date order, and undoes set/scale events whose days have run out.
func (m *Model) applyEvents() {
	stepEnd := m.day + Date(m.dt)
	for i := 0; i < len(m.reverts); {
		if rv := m.reverts[i]; rv.day < stepEnd {
			rv.ref.set(&m.p, rv.value)
			m.pgen++
			m.reverts = append(m.reverts[:i], m.reverts[i+1:]...)
			continue
		}
		i++
	}
	for m.nextEv < len(m.events) && m.events[m.nextEv].day < stepEnd {
		m.apply(&m.events[m.nextEv])
		m.nextEv++
	}
}

// side returns the agent an event acts for, defaulting to def.
func side(target, def string) string {
	if target == "" {
		return def
	}
	return target
}

// renewed records that event e extended the ceasefire in force, which
// will be the run's next entry in Ceasefires.
func (m *Model) renewed(e *event) {
	m.rec.Renewals = append(m.rec.Renewals, Renewal{Origin: e.origin, Ceasefire: len(m.rec.Ceasefires)})
}

// apply carries out one event's typed effect (MODEL.md, "Events").
func (m *Model) apply(e *event) {
	p := &m.p
	note := e.Note
	switch e.Type {
	case "open_talks":
		if m.phase == Conflict || m.phase == Operation {
			m.host = true
			m.openTalks(e.Value)
			m.setPhase(Talks)
			if m.logging {
				m.logf("scenario", e.Type, "talks open", "%s", note)
			}
		}
	case "end_talks":
		if m.phase == Talks || m.phase == Ceasefire {
			m.breakOff(side(e.Target, "state"), CauseEvent)
			if m.logging {
				m.logf("scenario", e.Type, "talks end", "%s", note)
			}
		}
	case "declare_ceasefire":
		if m.phase == Settlement {
			return
		}
		if m.phase == Ceasefire {
			m.renewed(e)
			m.cf.Extensions++
			m.cfTermEnd = 0
			if !e.Indefinite {
				m.cfTermEnd = m.day + Date(e.Days)
			}
			if m.logging {
				m.logf("scenario", e.Type, "ceasefire renewed", "%s", note)
			}
			return
		}
		m.startCeasefire(e.origin, float64(e.Days), e.Indefinite)
		if m.logging {
			m.logf("scenario", e.Type, "ceasefire declared", "%s", note)
		}
	case "extend_ceasefire":
		switch m.phase {
		case Ceasefire:
			m.renewed(e)
			m.cf.Extensions++
			m.cfTermEnd = 0
			if !e.Indefinite {
				m.cfTermEnd = m.day + Date(max(1, e.Days))
			}
			if m.logging {
				m.logf("scenario", e.Type, "ceasefire extended", "%s", note)
			}
		case Settlement:
		default:
			m.startCeasefire(e.origin, float64(max(1, e.Days)), e.Indefinite)
			if m.logging {
				m.logf("scenario", e.Type, "ceasefire declared again", "%s", note)
			}
		}
	case "end_ceasefire":
		if m.phase == Ceasefire {
			m.endCeasefire(side(e.Target, "insurgent"), CauseEvent, Conflict)
			if m.logging {
				m.logf("scenario", e.Type, "ceasefire ends", "%s", note)
			}
		}
	case "concede":
		d := &m.dems[e.target]
		cfg := &p.Insurgent.Demands[e.target]
		d.fulfil = min(1, d.fulfil+float64(e.Units)/float64(cfg.Units))
		m.computeFulfilment()
		if m.logging {
			m.logf("scenario", e.Type, "concession", "%s: %d units; now %.0f%% fulfilled. %s", cfg.Name, e.Units, 100*d.fulfil, note)
		}
	case "fighters":
		if e.Target == "rival" {
			m.rivalFighters = max(0, m.rivalFighters+e.Value)
		} else {
			m.setFighters(e.target, max(0, m.fightersOf(e.target)+e.Value))
		}
		if m.logging {
			m.logf("scenario", e.Type, "fighters change", "%s %+.0f. %s", e.Target, e.Value, note)
		}
	case "strike":
		kill := e.Value
		if kill == 0 {
			kill = p.Rules.StateStrikes.Kill * p.State.Capacity
		}
		m.strike(kill)
	case "operation":
		m.launchOperation(float64(e.Days))
		if m.logging {
			m.logf("scenario", e.Type, "operation launched", "%d days. %s", e.Days, note)
		}
	case "leader_killed":
		f := &m.facs[e.target]
		m.tally()
		tot := m.totalMemberFighters() + m.totalSplinterFighters()
		lost := min(m.fightersOf(e.target), e.Value)
		m.setFighters(e.target, m.fightersOf(e.target)-lost)
		m.factionsChanged() // its grievance
		// A grievance, not a decapitation that calms the faction: its
		// spoiling (if any) goes on and its grievance is at its maximum
		// (TTP blamed Pakistan for Khorasani's death, seed 001).
		f.grievance = 1
		if tot > 0 {
			m.insPain += lost / tot
		}
		m.frustration += float64(e.Days)
		m.leaderKilled()
		if m.logging {
			m.logf("scenario", e.Type, "leader killed", "%s loses %.0f fighters, its grievance now %.2f; leadership's frustration +%d days. %s", e.Target, lost, f.grievance, e.Days, note)
		}
	case "split":
		if f := &m.facs[e.target]; f.status == member {
			f.status, f.splitDay, f.spoiling = splinter, m.day, false
			m.factionsChanged()
			m.rec.Splits++
			if m.logging {
				m.logf("scenario", e.Type, "faction splits", "%s. %s", e.Target, note)
			}
		}
	case "merge":
		if f := &m.facs[e.target]; f.status == splinter {
			f.status = member
			m.factionsChanged()
			m.rec.Merges++
			if m.logging {
				m.logf("scenario", e.Type, "faction rejoins", "%s. %s", e.Target, note)
			}
		}
	case "defect":
		if f := &m.facs[e.target]; f.status != defected {
			n := math.Floor(m.fightersOf(e.target))
			m.rivalFighters += n
			m.rec.DefectedFighters += n
			m.setFighters(e.target, m.fightersOf(e.target)-n)
			f.status, f.spoiling = defected, false
			m.factionsChanged()
			m.rec.FactionDefections++
			if m.logging {
				m.logf("scenario", e.Type, "faction defects", "%s takes %.0f fighters to %s. %s", e.Target, n, p.Rival.Name, note)
			}
		}
	case "press":
		m.pressForced = e.Value
		m.pressForcedTo = maxDate
		if e.Days > 0 {
			m.pressForcedTo = m.day + Date(e.Days)
		}
		if m.logging {
			m.logf("scenario", e.Type, "mediator pressure forced", "%.2f for %d days. %s", e.Value, e.Days, note)
		}
	case "host":
		m.host = e.Value > 0
		m.hostFrom = 0
		if !m.host {
			m.breakOff("mediator", CauseEvent)
		}
		if m.logging {
			m.logf("scenario", e.Type, "hosting set", "host=%v. %s", m.host, note)
		}
	case "set", "scale":
		old := e.ref.get(p)
		v := e.Value
		if e.Type == "scale" {
			v = old * e.Value
		}
		e.ref.set(p, v)
		m.pgen++
		if e.Days > 0 {
			m.reverts = append(m.reverts, revert{day: m.day + Date(e.Days), ref: e.ref, value: old})
		}
		m.computeFulfilment()
		if m.logging {
			m.logf("scenario", e.Type, "parameter changed", "%s: %g -> %g. %s", e.Key, old, v, note)
		}
	}
}
