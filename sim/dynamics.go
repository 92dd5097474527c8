package sim

import "math"

// attacks draws this step's attacks of every group and updates the state's
// pain and the window of violations the state attributes to the insurgent.
func (m *Model) attacks() {
	p := &m.p
	dt := m.dt
	// A monthly tempo shared by all groups makes counts overdispersed
	// (negative binomial over a month) as the PICSS series are.
	if m.tempoLeft <= 0 {
		m.tempo = 1
		if cv := p.Attacks.Overdispersion; cv > 0 {
			shape := 1 / (cv * cv)
			m.tempo = m.sTempo.Gamma(shape) / shape
		}
		m.tempoLeft = tempoDays
	}
	m.tempoLeft -= dt

	var ins, spl, viol float64
	var lam float64 // Record.Intensity: sum of the attack rates fed to the clocks (per day)
	spoilRule := &p.Rules.FactionSpoils
	blame := p.Rules.StateEndsCeasefire.Attribution
	surge := 1.0
	if m.phase == Conflict && m.day < m.surgeUntil {
		surge = p.Attacks.CollapseSurge
	}
	for k := range m.facs {
		f := &m.facs[k]
		if f.status == defected || f.fighters <= 0 {
			continue
		}
		cfg := &p.Insurgent.Factions[k]
		mult := 1.0
		if f.status == member {
			switch m.phase {
			case Conflict:
				mult = surge
			case Talks:
				mult = 1 - p.Insurgent.TalksRestrain*cfg.Loyalty
			case Ceasefire, Settlement:
				mult = 1 - p.Insurgent.Compliance*cfg.Loyalty
			case Operation:
				mult = p.Attacks.OperationSurge
			}
			if f.spoiling {
				mult = spoilRule.Intensity
			}
		} else if m.phase == Operation {
			mult = p.Attacks.OperationSurge
		}
		rate := cfg.AttackRate * f.fighters / 1000 * mult * m.tempo
		lam += rate // Record.Intensity (data assimilation): the rate fed to the clock
		n := float64(f.atkClock.Count(&f.atk, rate, dt))
		switch {
		case f.status == splinter:
			spl += n
			viol += blame * n
		case f.spoiling:
			ins += n
			viol += spoilRule.Attribution * n
		default:
			ins += n
			viol += n
		}
	}
	rivRate, bgRate := p.Rival.AttackRate*m.rivalFighters/1000*m.tempo, p.Attacks.Background*m.tempo
	lam += rivRate + bgRate // Record.Intensity
	riv := float64(m.rivalClock.Count(&m.sRival, rivRate, dt))
	viol += blame * riv
	bg := float64(m.bgClock.Count(&m.sBg, bgRate, dt))
	total := ins + spl + riv + bg

	r := &m.rec
	r.Attacks[m.t] = total
	r.AttacksInsurgent[m.t] = ins
	r.AttacksSplinter[m.t] = spl
	r.AttacksRival[m.t] = riv
	r.AttacksTotal += total
	r.Intensity[m.t] = lam * dt // the step's Poisson mean of all attacks (used by the particle filter)

	m.refreshDecay()
	m.pain = m.pain*m.decayPain + p.State.CostPerAttack*total
	m.viol.push(viol)
}

// halfLifeDecay is the factor by which a quantity with the given half-life
// shrinks over dt days.
func halfLifeDecay(halfLife, dt float64) float64 {
	return math.Exp(-math.Ln2 * dt / halfLife)
}

// fighters applies recruitment, operation attrition and defections to the
// rival, and decays the insurgent's losses and the mediator's grievance.
func (m *Model) fighters() {
	p := &m.p
	dt := m.dt
	rule := &p.Rules.FightersDefect
	grow := 1 + p.Insurgent.Recruitment*dt
	attr := 0.0
	if m.phase == Operation {
		attr = math.Min(1, p.Rules.StateOperation.Attrition*p.State.Capacity*dt)
	}
	deal := 0.0
	if m.phase == Talks || m.phase == Ceasefire || m.phase == Settlement {
		deal = rule.DealGain * m.closeness()
	}
	op := 0.0
	if m.day < m.opPushUntil {
		op = p.Rules.StateOperation.DefectionPush
	}
	pull := m.lev[LevRivalInsurgent]
	var lost, before, moved float64
	for k := range m.facs {
		f := &m.facs[k]
		if f.status == defected {
			continue
		}
		before += f.fighters
		loss := f.fighters * attr
		f.fighters = f.fighters*grow - loss
		lost += loss
		if !rule.Enabled || f.fighters < 1 {
			continue
		}
		push := 1 + op
		if f.status == member {
			push += rule.PressGain*m.press + deal
		}
		rate := rule.Base * f.fighters * p.Insurgent.Factions[k].Hardline * pull * push
		n := float64(f.defClock.Count(&f.def, rate, dt))
		n = min(n, math.Floor(f.fighters))
		f.fighters -= n
		moved += n
	}
	m.rivalFighters = m.rivalFighters*(1+p.Rival.Recruitment*dt) + moved
	m.rec.DefectedFighters += moved
	m.defWin.push(moved)
	if before > 0 {
		m.insPain += (lost + moved) / before
	}
	m.insPain *= m.decayPain
	m.grievance *= m.decayGrievance
}

// refreshDecay recomputes the decay factors when the pain half-life has
// changed (set/scale events may change it).
func (m *Model) refreshDecay() {
	if hl := m.p.State.PainHalfLife; hl != m.decayPainHL {
		m.decayPainHL = hl
		m.decayPain = halfLifeDecay(hl, m.dt)
		m.decayGrievance = halfLifeDecay(grievanceHalfLife, m.dt)
	}
}
