package sim

// Decision rules of the factions: spoiling, splits, re-mergers and
// whole-faction defection (MODEL.md §3.4).

import (
	"math"
)

// factionRules runs spoiling, splits, re-mergers and whole-faction
// defection, in that order, each over the factions in scenario order. The
// factions' hazards are cached and recomputed only when something they
// depend on changes (facRule). A faction that spoils can split on the same
// day, and one that splits is pushed as a splinter from then on. Each
// faction's grievance (a leader killed, strikes) halves every 90 days.
func (m *Model) factionRules() {
	p := &m.p
	rs, rp, rm, rd := &p.Rules.FactionSpoils, &p.Rules.FactionSplits, &p.Rules.FactionRemerges, &p.Rules.FightersDefect
	talking := m.phase == Talks || m.phase == Ceasefire
	close := m.closeness()
	// Faction grievances halve every 90 days, applied in 30-day steps so the
	// spoiling driver (and its cached hazards) changes monthly, not daily.
	if m.grievDays += m.dt; m.grievDays >= grievanceStepDays {
		m.grievDays -= grievanceStepDays
		changed := false
		for k := range m.facs {
			if g := &m.facs[k].grievance; *g != 0 {
				changed = true
				if *g *= grievanceStepDecay; *g < 1e-3 {
					*g = 0 // spent
				}
			}
		}
		if changed {
			m.factionsChanged()
		}
	}
	if talking && rs.Enabled {
		// The mediator reins in the hard-liners it shelters while it
		// presses (seed 002: "it has the ability to place enough pressure
		// on TTP").
		m.facRule(ruleSpoil, ruleKey{a: close, b: m.press * m.lev[LevMediatorInsurgent]}, false)
	}
	// Splits happen over talks and also under a military operation (JuA
	// split in Aug/Sept 2014, during Zarb-e-Azb; shocks.csv 2014-09-04).
	if (talking || m.phase == Settlement || m.phase == Operation) && rp.Enabled {
		m.facRule(ruleSplit, ruleKey{}, false)
	}
	if (m.phase == Conflict || m.phase == Operation) && rm.Enabled {
		m.facRule(ruleRemerge, ruleKey{}, m.day >= m.remergeAt)
	}
	if rd.Enabled && (rd.FactionRate > 0 || rd.FactionBaseline > 0) {
		op := 0.0
		if m.day < m.opPushUntil {
			op = p.Rules.StateOperation.DefectionPush
		}
		otherPush, memberPush := 1+op, 1+op
		memberPush += rd.PressGain * m.press
		if talking || m.phase == Settlement {
			memberPush += rd.DealGain * close
		}
		m.facRule(ruleDefect, ruleKey{a: memberPush, b: otherPush, c: p.Rival.Appeal}, false)
	}
}

// facRule runs faction rule r for one step: its hazards are recomputed
// when key (what they depend on beyond each faction's state) or the
// factions changed, or when force is set; then each faction's clock for the
// rule advances by its hazard. Each faction keeps its own clock and
// stream, so a change in one faction's hazard moves that faction's firing
// a little and no other's (sharp paired runs).
func (m *Model) facRule(r int, key ruleKey, force bool) {
	r &= numFacRules - 1 // in range, so the loop needs no bounds check
	key.gen, key.epoch = m.pgen, m.facEpoch
	if force || key != m.facKey[r] {
		m.facHazards(r, key)
	}
	if m.facTotal[r] <= 0 {
		return // no faction can fire (e.g. re-mergers with no splinter)
	}
	dt := m.dt
	facs := m.facs
	for k := range facs {
		f := &facs[k]
		c := &f.rule[r]
		if c.h <= 0 {
			continue
		}
		if c.acc += c.h * dt; c.acc < c.next {
			continue
		}
		base := c.h - c.drv
		m.fireFacRule(r, k, key, base, c.drv, c.attribute(&f.dec, base, c.drv))
	}
}

// facHazards recomputes rule r's hazard for every faction (baseline plus
// driver where the rule can fire, else 0) and their sum.
func (m *Model) facHazards(r int, key ruleKey) {
	p := &m.p
	rs, rp, rm, rd := &p.Rules.FactionSpoils, &p.Rules.FactionSplits, &p.Rules.FactionRemerges, &p.Rules.FightersDefect
	gen, hl := m.pgen, p.Insurgent.Hardline
	cfgs := p.Insurgent.Factions[:len(m.facs)]
	if r == ruleRemerge {
		m.remergeAt = maxDate
	}
	total := 0.0
	for k := range m.facs {
		f := &m.facs[k]
		cfg := &cfgs[k]
		h, d := 0.0, 0.0
		if f.status != defected && f.scaled > 0 {
			gap := cfg.Hardline - hl
			switch r {
			case ruleSpoil:
				if f.status == member && !f.spoiling {
					x := gap*(1+key.a) + rs.GrievanceGain*f.grievance - key.b
					d = f.hz[r].at(gen, rs.Rate, rs.Slope, x, rs.Threshold)
					h = rs.Baseline + d
				}
			case ruleSplit:
				if f.status == member {
					x := (1 - cfg.Loyalty) + gap
					if f.spoiling {
						x += rp.SpoilBonus
					}
					d = f.hz[r].at(gen, rp.Rate, rp.Slope, x, rp.Threshold)
					h = rp.Baseline + d
				}
			case ruleRemerge:
				if f.status == splinter {
					if float64(m.day-f.splitDay) >= rm.MinDays {
						d = f.hz[r].at(gen, rm.Rate, rm.Slope, 1-math.Abs(gap), rm.Threshold)
						h = rm.Baseline + d
					} else {
						m.remergeAt = min(m.remergeAt, f.splitDay+Date(math.Ceil(rm.MinDays)))
					}
				}
			case ruleDefect:
				push := key.b
				if f.status == member {
					push = key.a
				}
				// A faction under oath to the emir does not go over to the
				// emir's enemy: the pull is scaled by its disloyalty (seed
				// 004: the TTP emir is under the bayat of the Taliban's
				// leader; the core Mehsud faction is the emir's own).
				pull := cfg.Hardline * key.c * push * (1 - cfg.Loyalty)
				d = f.hz[r].at(gen, rd.FactionRate, rd.Slope, pull, rd.Threshold)
				h = rd.FactionBaseline + d
			}
		}
		f.rule[r].h, f.rule[r].drv = h, d
		total += h
	}
	m.facTotal[r], m.facKey[r] = total, key
}

// fireFacRule applies faction rule r to faction k. base and drv are its
// baseline and driver hazards and byBase whether the baseline fired.
func (m *Model) fireFacRule(r, k int, key ruleKey, base, drv float64, byBase bool) {
	p := &m.p
	f := &m.facs[k]
	cfg := &p.Insurgent.Factions[k]
	hl := p.Insurgent.Hardline
	switch r {
	case ruleSpoil:
		f.spoiling = true
		if m.logging {
			m.logf(cfg.Name, "faction_spoils", "spoils the talks", "hard-line %.2f vs leadership %.2f, talks %.0f%% of the way to signable terms, grievance %.2f, mediator's restraint %.2f; attacks ×%.1f through proxies; %s", cfg.Hardline, hl, 100*key.a, f.grievance, key.b, p.Rules.FactionSpoils.Intensity, baselineNote(byBase, base, drv))
		}
	case ruleSplit:
		f.status, f.splitDay, f.spoiling = splinter, m.day, false
		m.rec.Splits++
		if k < 64 {
			m.rec.SplitMask |= 1 << uint(k)
		}
		if m.logging {
			m.logf(cfg.Name, "faction_splits", "splits from the umbrella", "loyalty %.2f, hard-line %.2f vs leadership %.2f, phase %s; takes %.0f fighters; %s", cfg.Loyalty, cfg.Hardline, hl, m.phase, m.fightersOf(k), baselineNote(byBase, base, drv))
		}
	case ruleRemerge:
		f.status = member
		m.rec.Merges++
		if m.logging {
			m.logf(cfg.Name, "faction_remerges", "rejoins the umbrella", "no talks, closeness %.2f to the leadership after %d days apart; %s", 1-math.Abs(cfg.Hardline-hl), m.day-f.splitDay, baselineNote(byBase, base, drv))
		}
	case ruleDefect:
		push := key.b
		if f.status == member {
			push = key.a
		}
		n := math.Floor(m.fightersOf(k))
		m.rivalFighters += n
		m.rec.DefectedFighters += n
		m.defWin.sum += n
		m.setFighters(k, m.fightersOf(k)-n)
		f.status, f.spoiling = defected, false
		m.rec.FactionDefections++
		if k < 64 {
			m.rec.DefectedMask |= 1 << uint(k)
		}
		if m.logging {
			m.logf(cfg.Name, "fighters_defect", "defects to the rival", "pull %.2f (hard-line %.2f, appeal %.2f, push %.2f, loyalty %.2f); %.0f fighters join %s; %s", cfg.Hardline*key.c*push*(1-cfg.Loyalty), cfg.Hardline, key.c, push, cfg.Loyalty, n, p.Rival.Name, baselineNote(byBase, base, drv))
		}
	}
	m.factionsChanged()
}
