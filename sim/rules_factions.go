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
	// A step on which the same rules run as on the step before, with the
	// same keys, and no clock fires, is a step on which every rule would
	// only note that it ran: the whole of it is skipped, and the rules are
	// told at the next step that does something (their last run). The
	// keys are a function of what facInputs holds, the parameters (their
	// generation) and the factions (their epoch): when none of these
	// changed, the keys did not, and they are not even computed.
	t := int32(m.t)
	q := &m.facQuiet
	in := facInputs{phase: m.phase, opPush: m.day < m.opPushUntil, press: m.press, close: close}
	if t == q.t+1 && in.same(&q.in) && m.pgen == q.day.gen && m.facEpoch == q.day.epoch && t < q.fire &&
		(q.day.on&(1<<ruleRemerge) == 0 || m.day < m.remergeAt) {
		q.t = t
		return
	}
	var d facDay
	d.gen, d.epoch = m.pgen, m.facEpoch
	if talking && rs.Enabled {
		d.on |= 1 << ruleSpoil
		// The mediator reins in the hard-liners it shelters while it
		// presses (seed 002: "it has the ability to place enough pressure
		// on TTP").
		d.close, d.restraint = close, m.press*m.lev[LevMediatorInsurgent]
	}
	// Splits happen over talks and also under a military operation (JuA
	// split in Aug/Sept 2014, during Zarb-e-Azb; shocks.csv 2014-09-04).
	if (talking || m.phase == Settlement || m.phase == Operation) && rp.Enabled {
		d.on |= 1 << ruleSplit
	}
	if (m.phase == Conflict || m.phase == Operation) && rm.Enabled {
		d.on |= 1 << ruleRemerge
	}
	if rd.Enabled && (rd.FactionRate > 0 || rd.FactionBaseline > 0) {
		d.on |= 1 << ruleDefect
		op := 0.0
		if in.opPush {
			op = p.Rules.StateOperation.DefectionPush
		}
		otherPush, memberPush := 1+op, 1+op
		memberPush += rd.PressGain * m.press
		if talking || m.phase == Settlement {
			memberPush += rd.DealGain * close
		}
		d.memberPush, d.otherPush, d.appeal = memberPush, otherPush, p.Rival.Appeal
	}
	remerge := d.on&(1<<ruleRemerge) != 0
	if t == q.t+1 && d.same(&q.day) && t < q.fire && (!remerge || m.day < m.remergeAt) {
		q.t, q.in = t, in // the inputs moved, the keys did not
		return
	}
	for r := range m.facRun {
		if m.facQuiet.day.on&(1<<r) != 0 && m.facRun[r].last < m.facQuiet.t {
			m.facRun[r].last = m.facQuiet.t // it ran, quietly, on the skipped steps
		}
	}
	for r := range m.facRun {
		if d.on&(1<<r) != 0 {
			m.facRule(r, d.key(r), r == ruleRemerge && m.day >= m.remergeAt)
		}
	}
	// What a later step compares with: the rules and keys of this step
	// and their first fire step. A step on which a rule fired leaves the
	// rules' keys behind the factions (the epoch moved on after some were
	// set): the next step runs the rules.
	if m.facEpoch != d.epoch || m.pgen != d.gen {
		m.facQuiet = facQuiet{t: -2}
		return
	}
	fire := noFire
	for r := range m.facRun {
		if d.on&(1<<r) != 0 {
			fire = min(fire, m.facRun[r].fire)
		}
	}
	m.facQuiet = facQuiet{day: d, in: in, t: t, fire: fire}
}

// facInputs is what the faction rules' keys depend on in a step beyond
// the parameters and the factions.
type facInputs struct {
	phase  Phase
	opPush bool // an operation's defection push lasts
	press  float64
	close  float64
}

// same reports whether i and j are equal, field by field.
func (i *facInputs) same(j *facInputs) bool {
	return i.phase == j.phase && i.opPush == j.opPush && i.press == j.press && i.close == j.close
}

// facDay is what the faction rules depend on in a step beyond the
// factions: which rules run (bit r) and each rule's key.
type facDay struct {
	on                                              uint8
	gen, epoch                                      uint32
	close, restraint, memberPush, otherPush, appeal float64
}

// same reports whether d and e are equal, field by field (cheaper than
// the struct comparison, which the compiler makes a call).
func (d *facDay) same(e *facDay) bool {
	return d.on == e.on && d.gen == e.gen && d.epoch == e.epoch && d.close == e.close &&
		d.restraint == e.restraint && d.memberPush == e.memberPush && d.otherPush == e.otherPush && d.appeal == e.appeal
}

// key returns rule r's key on a step of d.
func (d *facDay) key(r int) ruleKey {
	switch r {
	case ruleSpoil:
		return ruleKey{a: d.close, b: d.restraint}
	case ruleDefect:
		return ruleKey{a: d.memberPush, b: d.otherPush, c: d.appeal}
	}
	return ruleKey{}
}

// facQuiet is the last step the faction rules ran or skipped (factionRules),
// what they depended on then and the first step at which a clock of a rule
// running then fires.
type facQuiet struct {
	day  facDay
	in   facInputs
	t    int32
	fire int32
}

// facRule runs faction rule r for one step. Each faction has its own clock
// and stream for the rule, so a change in one faction's hazard moves that
// faction's firing a little and no other's (sharp paired runs).
//
// The clocks are event-driven: a faction's hazard for the rule is constant
// until key (what it depends on beyond the faction's own state) or the
// factions change, so the step at which its clock passes its threshold is
// computed when the hazard is set, not found by adding the hazard every
// day. A day on which nothing changes and nothing fires costs two
// comparisons. The accumulated hazard is brought up to date (fold) when
// the hazard changes and when the rule resumes after days off (its phase
// did not run it).
func (m *Model) facRule(r int, key ruleKey, force bool) {
	r &= numFacRules - 1 // in range: no bounds checks below
	t := int32(m.t)
	run := &m.facRun[r]
	key.gen, key.epoch = m.pgen, m.facEpoch
	if run.last != t-1 {
		m.facFold(r, run.last, t, true) // the rule was off after run.last: nothing accumulated since
	}
	run.last = t
	if force || key != m.facKey[r] {
		m.facFold(r, t-1, t, false) // facHazards sets the fire steps
		m.facHazards(r, key)
	}
	if t < run.fire {
		return
	}
	for k := range m.facs {
		f := &m.facs[k]
		c := &f.rule[r]
		if c.fire != t {
			continue
		}
		base := c.h - c.drv
		byBase := c.attribute(&f.dec, base, c.drv) // re-arms the clock
		c.since = t + 1
		c.fire = fireStep(c, m.dt)
		m.fireFacRule(r, k, key, base, c.drv, byBase)
	}
	m.facNextFire(r)
}

// facFold brings rule r's accumulated hazards up to the end of step upTo
// (each faction's hazard was constant since its clock's since) and
// restarts them at step from, after upTo (a rule off on the steps between
// accumulates nothing over them); with refire, it sets their fire steps
// from there (a caller about to set new hazards need not).
func (m *Model) facFold(r int, upTo, from int32, refire bool) {
	for k := range m.facs {
		c := &m.facs[k].rule[r]
		if n := upTo - c.since + 1; n > 0 {
			c.acc += c.h * m.dt * float64(n)
		}
		c.since = from
		if refire {
			c.fire = fireStep(c, m.dt)
		}
	}
	if refire {
		m.facNextFire(r)
	}
}

// fireStep returns the step at which clock c fires at its constant hazard,
// accumulating from step since: the first s ≥ since with acc + h·dt·(s −
// since + 1) ≥ next; never (noFire) without hazard.
func fireStep(c *ruleClock, dt float64) int32 {
	if !(c.h > 0) {
		return noFire
	}
	n := math.Ceil((c.next - c.acc) / (c.h * dt))
	if n >= float64(noFire-c.since) {
		return noFire
	}
	return c.since + max(0, int32(n)-1)
}

// noFire is the fire step of a clock that never fires.
const noFire int32 = math.MaxInt32

// facNextFire sets the first step at which any faction's clock for rule r
// fires.
func (m *Model) facNextFire(r int) {
	first := noFire
	for k := range m.facs {
		first = min(first, m.facs[k].rule[r].fire)
	}
	m.facRun[r].fire = first
}

// rearmFacRules draws fresh thresholds for every faction's rule clocks from
// the current step on (Reset and Reseed: by memorylessness a fresh
// threshold from zero leaves the law of the future unchanged).
func (m *Model) rearmFacRules() {
	t := int32(m.t)
	for k := range m.facs {
		f := &m.facs[k]
		for r := range f.rule {
			c := &f.rule[r]
			c.Arm(&f.dec)
			c.since = t
			c.fire = fireStep(c, m.dt)
		}
	}
	for r := range m.facRun {
		m.facRun[r].last = t - 1
		m.facNextFire(r)
	}
	m.facQuiet = facQuiet{t: -2} // the fire steps changed: the next step runs the rules
}

// facHazards recomputes rule r's hazard for every faction (baseline plus
// driver where the rule can fire, else 0), each clock's fire step (their
// accumulated hazards must be folded up to the step before) and the rule's
// first.
func (m *Model) facHazards(r int, key ruleKey) {
	p := &m.p
	rs, rp, rm, rd := &p.Rules.FactionSpoils, &p.Rules.FactionSplits, &p.Rules.FactionRemerges, &p.Rules.FightersDefect
	gen, hl := m.pgen, p.Insurgent.Hardline
	cfgs := p.Insurgent.Factions[:len(m.facs)]
	if r == ruleRemerge {
		m.remergeAt = maxDate
	}
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
		c := &f.rule[r]
		c.h, c.drv = h, d
		c.fire = fireStep(c, m.dt)
	}
	m.facKey[r] = key
	m.facNextFire(r)
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
