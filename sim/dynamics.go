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

	own := 1.0
	if m.phase == Operation {
		own = a.OperationSurge
	}
	g, keep := m.capacityStep()
	intent := m.intent
	m.fresh()
	// The umbrella's base rate: attack_rate·fighters·capacity·multiple
	// summed over its factions, from the sums (factions.go) plus the
	// members whose multiple is their own.
	wSpl := own * m.sums.atkSpl
	w := intent*m.sums.atkL + own*m.sums.atk1 + wSpl
	wSpoil := 0.0 // spoilers' weight
	if m.nSpecial > 0 {
		var carried float64
		wSpoil, carried = m.specialAttacks()
		w += wSpoil + carried
	}
	c := m.capacity
	base := w * m.gScale * c * perThousand
	// Capacity moves on after this step's rate is set (§3.3.2).
	m.capacity = moveCapacity(c, g, keep)

	var ins, spl, viol float64
	spoilBlame := p.Rules.FactionSpoils.Attribution
	blame := p.Rules.StateEndsCeasefire.Attribution
	// The umbrella's excitation is shared in proportion to the factions'
	// rates, so its attacks are one process at base·tempo + excitation,
	// each attack by a faction drawn in proportion to its rate. Only what
	// the faction is matters (a splinter's attacks are its own, a spoiler's
	// are partly blamed on the umbrella), so an attack draws which of the
	// three it is by, and draws nothing when all its factions are members
	// attacking at the umbrella's tempo. The tempo scales the immigrants
	// (the base rate), not the offspring, so a high tempo cannot push the
	// process past stationarity.
	exc := 0.0
	if base > 1e-300 {
		exc = excIns
		n := float64(m.cAttacks.Count(&m.sAttacks, base*m.tempo+exc, dt))
		if n > 0 && wSpl+wSpoil <= 0 {
			ins, viol = n, n
		} else {
			for ; n > 0; n-- {
				switch u := m.sAttacksWho.Float64() * w; {
				case u < wSpl:
					spl++
					viol += blame
				case u < wSpl+wSpoil:
					ins++
					viol += spoilBlame
				default:
					ins++
					viol++
				}
			}
		}
	}
	lamRiv := p.Rival.AttackRate*m.rivalFighters*perThousand*m.tempo + excRiv
	riv := float64(m.rivalClock.Count(&m.sRival, lamRiv, dt))
	viol += blame * riv
	lamBg := m.background() * m.tempo
	bg := float64(m.bgClock.Count(&m.sBg, lamBg, dt))
	total := ins + spl + riv + bg
	mean := (base*m.tempo + exc + lamRiv + lamBg) * dt

	// The recursion A(t+dt) = e^{−β·dt}·(A(t) + events in the step).
	m.excIns = m.hkDecay * (m.excIns + ins + spl)
	m.excRiv = m.hkDecay * (m.excRiv + riv)
	m.excRet *= m.hkDecay

	r := &m.rec
	if m.slotOf == nil {
		r.Attacks[m.t] = total
		r.AttacksInsurgent[m.t] = ins
		r.AttacksSplinter[m.t] = spl
		r.AttacksRival[m.t] = riv
	} else { // by period: record() moves the sums into the record
		a := &m.acc
		a[0] += total
		a[1] += ins
		a[2] += spl
		a[3] += riv
	}
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
// Growth and attrition are the same factor for every faction, applied to
// the common scale (factions.go); individual defections are one process at
// the factions' summed rate, each defector coming from a faction in
// proportion to its rate.
func (m *Model) fighters() {
	p := &m.p
	dt := m.dt
	rule := &p.Rules.FightersDefect
	grow := 1 + p.Insurgent.Recruitment*dt
	attr := 0.0
	if m.phase == Operation {
		attr = min(1, p.Rules.StateOperation.Attrition*p.State.Capacity*dt)
	}
	deal := 0.0
	if m.phase == Talks || m.phase == Ceasefire || m.phase == Settlement {
		deal = rule.DealGain * m.closeness()
	}
	op := 0.0
	if m.day < m.opPushUntil {
		op = p.Rules.StateOperation.DefectionPush
	}
	m.fresh()
	before := (m.sums.mem + m.sums.spl) * m.gScale
	lost := before * attr
	m.gScale *= grow - attr
	moved := 0.0
	if rule.Enabled {
		// A fighter defects at base·fighters·hardline·pull·push, push
		// raised for members by the mediator's pressure and a deal in
		// sight.
		otherPush := 1 + op
		memberPush := otherPush + rule.PressGain*m.press + deal
		wt := memberPush*m.sums.memH + otherPush*m.sums.splH
		rate := rule.Base * m.gScale * wt * m.lev[LevRivalInsurgent]
		for n := m.cDefect.Count(&m.sDefect, rate, dt); n > 0; n-- {
			k := m.pickDefector(wt, memberPush, otherPush)
			if k < 0 {
				break
			}
			// Whole fighters only: a faction of fewer than one has none
			// left to lose.
			if m.fightersOf(k) >= 1 {
				m.setFighters(k, m.fightersOf(k)-1)
				moved++
			}
		}
	}
	m.tally()
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
	if m.decayGen != m.pgen { // else no parameter changed since it was checked
		m.decayFactors()
	}
}

// decayFactors is refreshDecay once a parameter has changed.
//
//go:noinline
func (m *Model) decayFactors() {
	m.decayGen = m.pgen
	if hl := m.p.State.PainHalfLife; hl != m.decayPainHL {
		m.decayPainHL = hl
		m.decayPain = halfLifeDecay(hl, m.dt)
		m.decayGrievance = halfLifeDecay(grievanceHalfLife, m.dt)
	}
}
