package sim

import "math"

// attacks draws this step's attacks of every group and updates the state's
// pain and the window of violations the state attributes to the insurgent
// (MODEL.md §3.3.1). A faction attacks at
//
//	λ_f = attack_rate_f · fighters_f/1000 · capacity_f · multiple_f
//
// plus its share of the umbrella's Hawkes excitation; the rival at its own
// rate plus its excitation; the background by its own trend. A monthly
// tempo shared by all groups multiplies every base rate (the immigrants of
// the Hawkes process, not their offspring).
func (m *Model) attacks() {
	p := &m.p
	dt := m.dt
	a := &p.Attacks
	// A monthly tempo shared by all groups makes counts overdispersed
	// (negative binomial over a month) as the PICSS series are.
	if m.tempoLeft <= 0 {
		m.tempo = 1
		if cv := a.Overdispersion; cv > 0 {
			shape := 1 / (cv * cv)
			m.tempo = m.sTempo.Gamma(shape) / shape
		}
		m.tempoLeft = tempoDays
	}
	m.tempoLeft -= dt
	m.refreshAttackFactors()
	m.moveIntent()

	// Hawkes excitation (per day) of the umbrella and of the rival.
	hk := &a.Hawkes
	excIns := m.hkScale * (hk.Self*m.excIns + hk.Outbid*m.excRiv + m.excRet)
	excRiv := m.hkScale * (hk.RivalSelf*m.excRiv + hk.RivalOutbid*m.excIns)

	var base float64
	own := 1.0
	if m.phase == Operation {
		own = a.OperationSurge
	}
	g, keep := m.capacityStep()
	intent := m.intent
	facs := m.facs
	cfgs := p.Insurgent.Factions[:len(facs)]
	for k := range facs {
		f := &facs[k]
		f.lam = 0
		if f.status == defected {
			continue
		}
		if f.fighters > 0 {
			cfg := &cfgs[k]
			var x float64
			if f.status == member && !f.spoiling && f.carry == 0 {
				x = cfg.Loyalty*intent + (1-cfg.Loyalty)*own // multiple's common case, inlined
			} else {
				x = m.multiple(f, cfg)
			}
			f.lam = cfg.AttackRate * f.fighters * perThousand * f.capacity * x
			base += f.lam
		}
		// Capacity moves on after this step's rate is set (§3.3.2).
		moveCapacity(f, g, keep)
	}
	share := 0.0
	if base > 1e-300 {
		share = excIns / base
	}

	var ins, spl, viol float64
	spoilBlame := p.Rules.FactionSpoils.Attribution
	blame := p.Rules.StateEndsCeasefire.Attribution
	// The umbrella's excitation is shared in proportion to the factions'
	// rates. The tempo scales the immigrants (the base rate), not the
	// offspring, so a high tempo cannot push the process past stationarity.
	mult := m.tempo + share
	for k := range facs {
		f := &facs[k]
		if f.lam <= 0 {
			continue
		}
		lam := f.lam * mult
		c := f.atkClock.Count(&f.atk, lam, dt)
		if c == 0 {
			continue // adds nothing (every sum below is of +0 or more)
		}
		n := float64(c)
		switch {
		case f.status == splinter:
			spl += n
			viol += blame * n
		case f.spoiling:
			ins += n
			viol += spoilBlame * n
		default:
			ins += n
			viol += n
		}
	}
	lamRiv := p.Rival.AttackRate*m.rivalFighters*perThousand*m.tempo + excRiv
	riv := float64(m.rivalClock.Count(&m.sRival, lamRiv, dt))
	viol += blame * riv
	lamBg := m.background() * m.tempo
	bg := float64(m.bgClock.Count(&m.sBg, lamBg, dt))
	total := ins + spl + riv + bg
	mean := (base*m.tempo + base*share + lamRiv + lamBg) * dt

	// The recursion A(t+dt) = e^{−β·dt}·(A(t) + events in the step).
	m.excIns = m.hkDecay * (m.excIns + ins + spl)
	m.excRiv = m.hkDecay * (m.excRiv + riv)
	m.excRet *= m.hkDecay

	r := &m.rec
	r.Attacks[m.t] = total
	r.AttacksInsurgent[m.t] = ins
	r.AttacksSplinter[m.t] = spl
	r.AttacksRival[m.t] = riv
	r.Intensity[m.t] = mean // the step's Poisson mean of all attacks (the particle filter's likelihood)
	r.AttacksTotal += total

	m.refreshDecay()
	// The background feeds the state's pain about the insurgent only through
	// its attributed share (MODEL.md §3.3.1, "Background").
	m.pain = m.pain*m.decayPain + p.State.CostPerAttack*(ins+spl+riv+a.BackgroundAttributed*bg)
	m.viol.push(viol)
}

// perThousand converts attack rates per 1,000 fighters (a multiplication is
// cheaper than a division on the daily path).
const perThousand = 1.0 / 1000

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
	// The tally of members, splinters and hard-liners (as tally computes
	// it) rides along: updateLeverage, next in the step, reads it.
	var mem, spl, hl float64
	lead := p.Insurgent.Hardline + hardlinerGap
	facs := m.facs
	cfgs := p.Insurgent.Factions[:len(facs)]
	enabled, base := rule.Enabled, rule.Base
	otherPush, memberPush := 1+op, 1+op
	memberPush += rule.PressGain*m.press + deal
	for k := range facs {
		f := &facs[k]
		if f.status == defected {
			continue
		}
		before += f.fighters
		loss := f.fighters * attr
		f.fighters = f.fighters*grow - loss
		lost += loss
		if enabled && f.fighters >= 1 {
			push := otherPush
			if f.status == member {
				push = memberPush
			}
			rate := base * f.fighters * cfgs[k].Hardline * pull * push
			if n := f.defClock.Count(&f.def, rate, dt); n > 0 {
				x := min(float64(n), math.Floor(f.fighters))
				f.fighters -= x
				moved += x
			}
		}
		if f.status == member {
			mem += f.fighters
			if cfgs[k].Hardline > lead {
				hl += f.fighters
			}
		} else {
			spl += f.fighters // a splinter: defected factions were skipped
		}
	}
	m.setTally(mem, spl, hl)
	m.rivalFighters = m.rivalFighters*(1+p.Rival.Recruitment*dt) + moved
	m.rec.DefectedFighters += moved
	m.defWin.push(moved)
	if before > 0 {
		m.insPain += (lost + moved) / before
	}
	m.insPain *= m.decayPain
	m.grievance *= m.decayGrievance
	m.insGriev *= m.decayGrievance
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
