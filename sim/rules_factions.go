package sim

// Decision rules of the factions: spoiling, splits, re-mergers and
// whole-faction defection (MODEL.md §3.4).

import (
	"math"
)

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
	// Faction grievances halve every 90 days, applied in 30-day steps so the
	// spoiling driver (and its cached hazard) changes monthly, not daily.
	if m.grievDays += m.dt; m.grievDays >= grievanceStepDays {
		m.grievDays -= grievanceStepDays
		for k := range m.facs {
			if g := &m.facs[k].grievance; *g != 0 {
				if *g *= grievanceStepDecay; *g < 1e-3 {
					*g = 0 // spent
				}
			}
		}
	}
	// What does not change from one faction to the next, hoisted (the
	// compiler cannot prove the faction writes leave it alone).
	gen, dt := m.pgen, m.dt
	spoilOn := talking && rs.Enabled
	splitOn := (talking || m.phase == Settlement || m.phase == Operation) && rp.Enabled
	remergeOn := (m.phase == Conflict || m.phase == Operation) && rm.Enabled
	defectOn := rd.Enabled && (rd.FactionRate > 0 || rd.FactionBaseline > 0)
	otherPush, memberPush := 1+op, 1+op
	memberPush += rd.PressGain * m.press
	if talking || m.phase == Settlement {
		memberPush += rd.DealGain * close
	}
	appeal := p.Rival.Appeal
	facs := m.facs
	cfgs := p.Insurgent.Factions[:len(facs)]
	for k := range facs {
		f := &facs[k]
		cfg := &cfgs[k]
		if f.status == defected || f.fighters <= 0 {
			continue
		}
		gap := cfg.Hardline - hl
		if spoilOn && f.status == member && !f.spoiling {
			x := gap*(1+close) + rs.GrievanceGain*f.grievance - restraint
			drv := f.hzSpoil.at(gen, rs.Rate, rs.Slope, x, rs.Threshold)
			if fired, byBase := fireRule(&f.spoil, &f.dec, rs.Baseline, drv, dt); fired {
				f.spoiling = true
				if m.logging {
					m.logf(cfg.Name, "faction_spoils", "spoils the talks", "hard-line %.2f vs leadership %.2f, talks %.0f%% of the way to signable terms, grievance %.2f, mediator's restraint %.2f; attacks ×%.1f through proxies; %s", cfg.Hardline, hl, 100*close, f.grievance, restraint, rs.Intensity, baselineNote(byBase, rs.Baseline, drv))
				}
			}
		}
		// Splits happen over talks and also under a military operation
		// (JuA split in Aug/Sept 2014, during Zarb-e-Azb; shocks.csv
		// 2014-09-04).
		if splitOn && f.status == member {
			x := (1 - cfg.Loyalty) + gap
			if f.spoiling {
				x += rp.SpoilBonus
			}
			drv := f.hzSplit.at(gen, rp.Rate, rp.Slope, x, rp.Threshold)
			if fired, byBase := fireRule(&f.split, &f.dec, rp.Baseline, drv, dt); fired {
				f.status, f.splitDay, f.spoiling = splinter, m.day, false
				m.moved = true
				m.rec.Splits++
				if k < 64 {
					m.rec.SplitMask |= 1 << uint(k)
				}
				if m.logging {
					m.logf(cfg.Name, "faction_splits", "splits from the umbrella", "loyalty %.2f, hard-line %.2f vs leadership %.2f, phase %s; takes %.0f fighters; %s", cfg.Loyalty, cfg.Hardline, hl, m.phase, f.fighters, baselineNote(byBase, rp.Baseline, drv))
				}
			}
		}
		if remergeOn && f.status == splinter &&
			float64(m.day-f.splitDay) >= rm.MinDays {
			x := 1 - math.Abs(gap)
			drv := f.hzRemerge.at(gen, rm.Rate, rm.Slope, x, rm.Threshold)
			if fired, byBase := fireRule(&f.remerge, &f.dec, rm.Baseline, drv, dt); fired {
				f.status = member
				m.moved = true
				m.rec.Merges++
				if m.logging {
					m.logf(cfg.Name, "faction_remerges", "rejoins the umbrella", "no talks, closeness %.2f to the leadership after %d days apart; %s", x, m.day-f.splitDay, baselineNote(byBase, rm.Baseline, drv))
				}
			}
		}
		if defectOn {
			push := otherPush
			if f.status == member {
				push = memberPush
			}
			// A faction under oath to the emir does not go over to the
			// emir's enemy: the pull is scaled by its disloyalty (seed 004:
			// the TTP emir is under the bayat of the Taliban's leader; the
			// core Mehsud faction is the emir's own).
			pull := cfg.Hardline * appeal * push * (1 - cfg.Loyalty)
			drv := f.hzDefect.at(gen, rd.FactionRate, rd.Slope, pull, rd.Threshold)
			if fired, byBase := fireRule(&f.defectAll, &f.dec, rd.FactionBaseline, drv, dt); fired {
				n := math.Floor(f.fighters)
				m.rivalFighters += n
				m.rec.DefectedFighters += n
				m.defWin.sum += n
				f.fighters -= n
				f.status, f.spoiling = defected, false
				m.moved = true
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
