package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWholeFactionDefectionLaw: the faction rules' clocks are event-driven
// (the step at which a clock passes its threshold is computed when its
// hazard is set, and the accumulated hazard is folded when it changes), and
// must give the law of a clock that adds its hazard every day. With the
// driver off, whole-faction defection has the constant hazard
// faction_baseline for every faction still in the game, b1 up to a set
// event and b2 after it, so the step T at which a faction goes over has
// P(T ≤ t) = 1 − exp(−Λ(t)), Λ(t) = b1·min(t+1, s) + b2·max(0, t+1−s), s
// the event's step. The empirical distribution over runs and factions must
// match it at several steps, on both sides of the change.
func TestWholeFactionDefectionLaw(t *testing.T) {
	sc := refScenario(t)
	const b1, b2 = 0.004, 0.0012
	rd := &sc.Rules.FightersDefect
	rd.FactionRate, rd.FactionBaseline = 0, b1
	change := sc.Start + 250
	sc.Events = append(sc.Events, EventConfig{Date: change, Type: "set", Key: "rules.fighters_defect.faction_baseline", Value: b2, Note: "test"})
	m, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	m.SetLogging(true)
	runs := 400
	if testing.Short() {
		runs = 150
	}
	nf := len(sc.Insurgent.Factions)
	var steps []int // defection step of each faction of each run; -1 if it never went over
	for r := 0; r < runs; r++ {
		rec := m.Run(9, r)
		at := make(map[string]int)
		for _, e := range rec.Log {
			if e.Rule == "fighters_defect" && e.Event == "defects to the rival" {
				at[e.Agent] = int(e.Date - sc.Start)
			}
		}
		for _, f := range sc.Insurgent.Factions {
			if s, ok := at[f.Name]; ok {
				steps = append(steps, s)
			} else {
				steps = append(steps, -1)
			}
		}
	}
	s := float64(change - sc.Start)
	lambda := func(t int) float64 {
		n := float64(t + 1)
		return b1*math.Min(n, s) + b2*math.Max(0, n-s)
	}
	for _, at := range []int{60, 200, 249, 260, 400, 700, m.Steps() - 1} {
		p := 1 - math.Exp(-lambda(at))
		k := 0
		for _, x := range steps {
			if x >= 0 && x <= at {
				k++
			}
		}
		n := float64(len(steps))
		got := float64(k) / n
		se := math.Sqrt(p * (1 - p) / n)
		t.Logf("step %d: %.4f of %d factions went over, expected %.4f (se %.4f)", at, got, runs*nf, p, se)
		if math.Abs(got-p) > 4.5*se {
			t.Errorf("step %d: share gone over %.4f, expected %.4f ± %.4f", at, got, p, 4.5*se)
		}
	}
}

// TestFactionRuleClockPauses drives rule faction_spoils directly through a
// random schedule of steps on which the rule runs (talks) or not
// (conflict), of talks ending (spoiling cleared), and of a driver that
// moves every day (the mediator's restraint: the rule's key changes and
// its hazards are refolded every day), with a baseline and a driver both
// firing. In discrete time a faction eligible on a step the rule runs
// spoils with probability 1 − e^(−h·dt), h its hazard on that step
// (MODEL.md §3.4: baseline + rate·g(x), x = gap·(1 + closeness) +
// grievance_gain·grievance − restraint), so the number of spoils must
// match the sum of those probabilities over the eligible steps (the
// compensator) within sampling error: a clock that went on accumulating
// while the rule was off, lost or double-counted hazard on a refold, or
// fired at a stale hazard, would be far off.
func TestFactionRuleClockPauses(t *testing.T) {
	sc := refScenario(t)
	rs := &sc.Rules.FactionSpoils
	rs.Rate, rs.Baseline, rs.Slope, rs.Threshold = 0.06, 0.004, 8, 0.05
	sc.Rules.FactionSplits.Enabled = false
	sc.Rules.FactionRemerges.Enabled = false
	sc.Rules.FightersDefect.Enabled = false
	m, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var fired, comp, varSum, drvShare float64
	runs := 200
	if testing.Short() {
		runs = 60
	}
	for r := 0; r < runs; r++ {
		m.Reset(21, r)
		talks := false
		for step := 0; step < m.Steps(); step++ {
			m.t, m.day = step, m.StepDate(step)
			if rng.Float64() < 0.03 { // talks open or end
				talks = !talks
				if !talks {
					for k := range m.facs {
						m.facs[k].spoiling = false
					}
					m.factionsChanged()
				}
			}
			m.press = rng.Float64() // the driver moves every day
			m.phase = Conflict
			if talks {
				m.phase = Talks
			}
			close, restraint := m.closeness(), m.press*m.lev[LevMediatorInsurgent]
			var eligible [64]bool
			for k := range m.facs {
				f := &m.facs[k]
				eligible[k] = talks && f.status == member && !f.spoiling && f.scaled > 0
				if eligible[k] {
					gap := sc.Insurgent.Factions[k].Hardline - sc.Insurgent.Hardline
					x := gap*(1+close) + rs.GrievanceGain*f.grievance - restraint
					base, drv := rs.Baseline, hazard(rs.Rate, rs.Slope, x, rs.Threshold)
					p := 1 - math.Exp(-(base+drv)*m.dt)
					comp += p
					varSum += p * (1 - p)
					drvShare += drv / (base + drv) * p
				}
			}
			m.factionRules()
			for k := range m.facs {
				switch {
				case m.facs[k].spoiling && eligible[k]:
					fired++
				case m.facs[k].spoiling && !talks:
					t.Fatalf("run %d step %d: faction %d spoils while the rule is off", r, step, k)
				}
			}
		}
	}
	sd := math.Sqrt(varSum)
	t.Logf("%.0f spoils, expected %.1f (sd %.1f); the driver's share of the expected %.2f", fired, comp, sd, drvShare/comp)
	if comp < 200 {
		t.Fatalf("only %.0f expected spoils: the schedule gives the rule too little to do", comp)
	}
	if s := drvShare / comp; s < 0.2 || s > 0.8 {
		t.Fatalf("the driver's share of the hazard is %.2f: the test should exercise both parts", s)
	}
	if math.Abs(fired-comp) > 4.5*sd {
		t.Errorf("%.0f spoils, expected %.1f ± %.1f", fired, comp, 4.5*sd)
	}
}
