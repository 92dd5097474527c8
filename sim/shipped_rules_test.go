package sim_test

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/scenario"
)

// The tests in this file run the decision rules at the SHIPPED parameter
// values (scenarios/base.toml and the episode scenarios), not on
// testdata/unit.toml where every slope is 60: what they check is the
// behaviour analysts get.

// shipped loads a shipped scenario (with its extends chain; the name with
// or without .toml) and applies key=value overrides.
func shipped(t testing.TB, name string, sets ...string) *sim.Scenario {
	t.Helper()
	l, err := scenario.Load("../scenarios/" + strings.TrimSuffix(name, ".toml") + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	sc := l.Scenario
	for i := 0; i+1 < len(sets); i += 2 {
		if err := sc.Set(sets[i], sets[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

func newModel(t testing.TB, sc *sim.Scenario) *sim.Model {
	t.Helper()
	m, err := sim.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// runsOf returns n for a full run and n/4 (at least 200) under -short.
func runsOf(n int) int {
	if testing.Short() {
		return max(200, n/4)
	}
	return n
}

// cfStats are the ceasefire endings of many runs.
type cfStats struct {
	ended, baseline, open int
	byCause               map[string][]float64 // cause → driver values at the ending
}

func ceasefireStats(t testing.TB, sc *sim.Scenario, runs int) cfStats {
	t.Helper()
	m := newModel(t, sc)
	st := cfStats{byCause: map[string][]float64{}}
	for run := 0; run < runs; run++ {
		r := m.Run(sc.Seed, run)
		for _, c := range r.Ceasefires {
			if c.Open {
				st.open++
				continue
			}
			st.ended++
			if c.ByBaseline {
				st.baseline++
			}
			st.byCause[c.Cause] = append(st.byCause[c.Cause], c.Driver)
		}
	}
	return st
}

// TestShippedBaselineShareIsSmall: in the reference scenario the ceasefires
// end because of their drivers; the explicit baselines account for less
// than a quarter of the endings (issue 10, point 2).
func TestShippedBaselineShareIsSmall(t *testing.T) {
	sc := shipped(t, "ttp-2021")
	st := ceasefireStats(t, sc, runsOf(1000))
	share := float64(st.baseline) / float64(st.ended)
	t.Logf("ttp-2021: %d ceasefire endings, %.1f%% by a baseline hazard", st.ended, 100*share)
	if share >= 0.25 {
		t.Errorf("%.1f%% of ceasefire endings fired by a baseline hazard, want < 25%%", 100*share)
	}

	// The 2022 ceasefire (the one holding on 31 Oct 2022): how it ends is
	// the forecast the verification judges, "for the right reason".
	m := newModel(t, sc)
	oct := day("2022-10-31")
	var ends []int
	byBase, ended := 0, 0
	runs := runsOf(1000)
	for run := 0; run < runs; run++ {
		for _, c := range m.Run(sc.Seed, run).Ceasefires {
			if c.Start <= oct && c.End > oct && !c.Open {
				ended++
				ends = append(ends, int(c.End))
				if c.ByBaseline {
					byBase++
				}
			}
		}
	}
	if ended == 0 {
		t.Fatal("the 2022 ceasefire never ends after Oct 2022")
	}
	sort.Ints(ends)
	t.Logf("2022 ceasefire: ended after 31 Oct 2022 in %d of %d runs, median end %s, %.1f%% by a baseline hazard", ended, runs, sim.Date(ends[len(ends)/2]), 100*float64(byBase)/float64(ended))
	if f := float64(byBase) / float64(ended); f >= 0.25 {
		t.Errorf("%.1f%% of the endings of the 2022 ceasefire fired by a baseline hazard, want < 25%%", 100*f)
	}
}

// open2022 returns the share of runs in which the ceasefire holding on
// 2022-10-31 is still open at the end of 2023.
func open2022(t testing.TB, sc *sim.Scenario, runs int) float64 {
	m := newModel(t, sc)
	oct := day("2022-10-31")
	open := 0
	for run := 0; run < runs; run++ {
		for _, c := range m.Run(sc.Seed, run).Ceasefires {
			if c.Start <= oct && c.End > oct && c.Open {
				open++
			}
		}
	}
	return float64(open) / float64(runs)
}

// TestShipped2022CeasefireEndsByItsDrivers: without hidden floors, steeper
// switches do not keep the 2022 ceasefire alive to the end of 2023: its end
// comes from drivers that cross their thresholds (frustration reaching
// patience), not from a floor that steep slopes would remove (issue 10,
// point 2: with the floors, 74% held with steep slopes instead of 35%).
func TestShipped2022CeasefireEndsByItsDrivers(t *testing.T) {
	runs := runsOf(1000)
	steep := []string{
		"rules.state_ends_ceasefire.slope", "24", "rules.state_walks_out.slope", "30",
		"rules.insurgent_walks_out.slope", "12", "rules.mediator_stops_hosting.slope", "24",
	}
	for _, tc := range []struct {
		name string
		sets []string
	}{{"shipped slopes", nil}, {"slopes x3", steep}} {
		sc := shipped(t, "ttp-2021", tc.sets...)
		held := open2022(t, sc, runs)
		t.Logf("%s: the ceasefire of 2022 holds at the end of 2023 in %.1f%% of runs", tc.name, 100*held)
		if held > 0.35 {
			t.Errorf("%s: the 2022 ceasefire holds to the end of 2023 in %.1f%% of runs, want at most 35%%", tc.name, 100*held)
		}
	}
}

// TestShippedUnmetDemandsNeedFrustration: the insurgent walks out of a
// ceasefire after frustration has built up, not at zero: at the shipped gap
// tolerance the shortfall can be exceeded, patience is reached, and the
// driver (frustration/patience) at a walk-out fired by the driver is
// positive, with a median of at least 0.3 (issue 10, point 5: before, 93%
// of walk-outs happened with zero days of frustration).
func TestShippedUnmetDemandsNeedFrustration(t *testing.T) {
	sc := shipped(t, "ttp-2021")
	st := ceasefireStats(t, sc, runsOf(1000))
	xs := st.byCause[sim.CauseUnmet]
	if len(xs) < 50 {
		t.Fatalf("only %d insurgent walk-outs ended a ceasefire; the rule is switched off", len(xs))
	}
	zero := 0
	for _, x := range xs {
		if x <= 0 {
			zero++
		}
	}
	sort.Float64s(xs)
	med := xs[len(xs)/2]
	t.Logf("%d walk-outs; frustration/patience at the walk-out: median %.2f, %d at zero", len(xs), med, zero)
	if f := float64(zero) / float64(len(xs)); f > 0.05 {
		t.Errorf("%.0f%% of walk-outs happened with zero frustration, want at most 5%%", 100*f)
	}
	if med < 0.3 {
		t.Errorf("median frustration/patience at a walk-out %.2f, want at least 0.3", med)
	}
}

// factionIndex returns the index of a faction by name.
func factionIndex(t testing.TB, sc *sim.Scenario, name string) int {
	for i, f := range sc.Insurgent.Factions {
		if f.Name == name {
			return i
		}
	}
	t.Fatalf("no faction %s", name)
	return -1
}

// TestShippedEmirsFactionDoesNotDefect: the Mehsud core, the emir's own
// faction under oath to the Taliban's leader (seed 004), does not go over to
// ISKP as a whole (issue 10, point 6: 83 of 2,000 runs before).
func TestShippedEmirsFactionDoesNotDefect(t *testing.T) {
	sc := shipped(t, "ttp-2021")
	k := factionIndex(t, sc, "Mehsud")
	m := newModel(t, sc)
	runs := 2000
	n := 0
	for run := 0; run < runs; run++ {
		if m.Run(sc.Seed, run).DefectedMask&(1<<k) != 0 {
			n++
		}
	}
	t.Logf("Mehsud went over to ISKP as a whole in %d of %d runs", n, runs)
	if n > 2 {
		t.Errorf("Mehsud went over to ISKP as a whole in %d of %d runs, want 0 or near 0", n, runs)
	}
}

// TestShippedJuASplitsRatherThanDefects: in the 2014 episode JuA split from
// TTP (Aug/Sept 2014, during Zarb-e-Azb; seed 003, shocks.csv 2014-09-04);
// it did not go over to IS as a whole (issue 10, point 6: about half the
// runs before).
func TestShippedJuASplitsRatherThanDefects(t *testing.T) {
	sc := shipped(t, "talks-2014")
	k := factionIndex(t, sc, "JuA")
	m := newModel(t, sc)
	runs := 2000
	var split, defect int
	for run := 0; run < runs; run++ {
		r := m.Run(sc.Seed, run)
		if r.SplitMask&(1<<k) != 0 {
			split++
		}
		if r.DefectedMask&(1<<k) != 0 {
			defect++
		}
	}
	t.Logf("talks-2014, %d runs: JuA split in %d, went over to IS as a whole in %d", runs, split, defect)
	if defect > runs/10 {
		t.Errorf("JuA went over to IS as a whole in %d of %d runs, want at most 10%%", defect, runs)
	}
	if split < runs/4 || split < 3*defect {
		t.Errorf("JuA split in %d of %d runs (defected in %d), want splits in at least 25%% and far more often than defections", split, runs, defect)
	}
}

// TestSplitsHappenUnderAnOperation: a disloyal faction can split during a
// large operation without any talks (JuA's 2014 split came during
// Zarb-e-Azb); without the operation and without talks it does not.
func TestSplitsHappenUnderAnOperation(t *testing.T) {
	for _, op := range []bool{true, false} {
		s := unit(t)
		s.Rules.FactionSplits = shipped(t, "base").Rules.FactionSplits
		s.Insurgent.Factions[1].Loyalty = 0.3
		s.Insurgent.Factions[1].Hardline = 0.8
		if op {
			e := event("2022-01-01", "operation")
			e.Days = 365
			s.Events = append(s.Events, e)
		}
		m := newModel(t, s)
		n := 0
		for run := 0; run < 200; run++ {
			if m.Run(s.Seed, run).Splits > 0 {
				n++
			}
		}
		switch {
		case op && n < 100:
			t.Errorf("with an operation the faction split in %d of 200 runs, want at least half", n)
		case !op && n > 0:
			t.Errorf("without talks or an operation the faction split in %d of 200 runs, want none", n)
		}
	}
}

// stepTo steps a model (already Reset) to the first step on or after d.
func stepTo(m *sim.Model, d sim.Date) {
	for !m.Done() && m.Day() < d {
		m.Step()
	}
}

// TestShippedLeaderKilledIsAGrievance: killing Khorasani (7 Aug 2022) is a
// grievance (TTP blamed Pakistan, seed 001), not a pacifier: JuA's
// grievance jumps to 1 and decays, and the umbrella's attacks in the two
// months after are not lower than without the killing (paired runs).
func TestShippedLeaderKilledIsAGrievance(t *testing.T) {
	with := shipped(t, "ceasefire-2022")
	without := shipped(t, "ceasefire-2022")
	without.Events = nil
	for _, e := range with.Events {
		if e.Type != "leader_killed" {
			without.Events = append(without.Events, e)
		}
	}
	k := factionIndex(t, with, "JuA")
	kill := day("2022-08-07")

	m := newModel(t, with)
	m.Reset(with.Seed, 0)
	stepTo(m, kill+1)
	if g := m.FactionGrievance(k); g < 0.95 {
		t.Errorf("JuA's grievance the day after the killing %.2f, want ~1", g)
	}
	stepTo(m, kill+91)
	if g := m.FactionGrievance(k); g < 0.4 || g > 0.6 {
		t.Errorf("JuA's grievance 90 days after the killing %.2f, want ~0.5 (90-day half-life)", g)
	}

	sum := func(sc *sim.Scenario) float64 {
		m := newModel(t, sc)
		from := int(kill - sc.Start)
		tot := 0.0
		for run := 0; run < runsOf(800); run++ {
			r := m.Run(sc.Seed, run)
			for i := from; i < from+60 && i < len(r.AttacksInsurgent); i++ {
				tot += r.AttacksInsurgent[i]
			}
		}
		return tot
	}
	a, b := sum(with), sum(without)
	t.Logf("umbrella attacks in the 60 days after 7 Aug 2022: %.0f with the killing, %.0f without", a, b)
	if a < b {
		t.Errorf("the killing lowered the umbrella's attacks (%.0f vs %.0f without it); it must not", a, b)
	}
}

// TestShippedDistractionExpires: the April 2022 political crisis raises the
// state's distraction for the `days` of its set event, then it reverts.
func TestShippedDistractionExpires(t *testing.T) {
	sc := shipped(t, "ttp-2021")
	m := newModel(t, sc)
	m.Reset(sc.Seed, 0)
	at := func(d string) float64 {
		stepTo(m, day(d))
		v, err := m.Value("state.distraction")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := at("2022-04-01"); v != 0.4 {
		t.Errorf("distraction before the crisis %.2f, want 0.4", v)
	}
	if v := at("2022-06-01"); v != 0.6 {
		t.Errorf("distraction during the crisis %.2f, want 0.6", v)
	}
	if v := at("2023-05-01"); v != 0.4 {
		t.Errorf("distraction a year after the crisis %.2f, want 0.4 again", v)
	}
}

// meanOver runs a scenario and averages f over runs.
func meanOver(t testing.TB, sc *sim.Scenario, runs int, f func(r *sim.Record) float64) float64 {
	m := newModel(t, sc)
	s := 0.0
	for run := 0; run < runs; run++ {
		s += f(m.Run(sc.Seed, run))
	}
	return s / float64(runs)
}

// meanSeries is the mean of a series over steps [from, to).
func meanSeries(x []float64, from, to int) float64 {
	s := 0.0
	for i := from; i < to; i++ {
		s += x[i]
	}
	return s / float64(to-from)
}

// TestShippedTradeLeverageMatters: the state's trade leverage over the
// mediator changes outcomes through the mediator's interest (rule
// mediator_interest): without it the mediator, tired of hosting talks that
// bring nothing, presses less in 2023.
func TestShippedTradeLeverageMatters(t *testing.T) {
	runs := runsOf(400)
	press := func(tl string) float64 {
		sc := shipped(t, "ttp-2021", "state.trade_leverage", tl)
		from := int(day("2023-01-01") - sc.Start)
		return meanOver(t, sc, runs, func(r *sim.Record) float64 { return meanSeries(r.Pressure, from, len(r.Pressure)) })
	}
	lo, hi := press("0"), press("1")
	t.Logf("mean pressure in 2023: trade leverage 0 → %.3f, 1 → %.3f", lo, hi)
	if !(hi > lo*1.1) {
		t.Errorf("trade leverage 1 gives pressure %.3f vs %.3f at 0, want clearly more", hi, lo)
	}
}

// TestShippedMediatorLeverageRestrainsStrikes: the mediator's leverage over
// the state (it hosts the insurgent and can let it hurt the state) makes the
// state strike its soil less often.
func TestShippedMediatorLeverageRestrainsStrikes(t *testing.T) {
	runs := runsOf(800)
	strikes := func(bias string) float64 {
		sc := shipped(t, "ttp-2021", "mediator.bias", bias)
		return meanOver(t, sc, runs, func(r *sim.Record) float64 { return float64(r.Strikes) })
	}
	lo, hi := strikes("0"), strikes("1")
	t.Logf("strikes per run: mediator bias 0 (no leverage over the state) %.3f, bias 1 %.3f", lo, hi)
	if !(hi < lo) {
		t.Errorf("strikes with the mediator's leverage over the state %.3f, without %.3f: want fewer with it", hi, lo)
	}
}

// cfDays is the mean days held by the ceasefire declared on d (censored at
// the horizon).
func cfDays(t testing.TB, sc *sim.Scenario, runs int, d sim.Date) float64 {
	return meanOver(t, sc, runs, func(r *sim.Record) float64 {
		for _, c := range r.Ceasefires {
			if c.Start == d {
				return float64(c.Days())
			}
		}
		return 0
	})
}

// TestShippedGuaranteeLengthensCeasefires: the mediator's guarantee (seed
// 000: talks "on the assurances of the Haqqani Network") makes the 2022
// ceasefire last longer; without a host it would not count.
func TestShippedGuaranteeLengthensCeasefires(t *testing.T) {
	runs := runsOf(600)
	d := day("2022-06-02")
	without := cfDays(t, shipped(t, "ceasefire-2022", "mediator.guarantee", "0"), runs, d)
	with := cfDays(t, shipped(t, "ceasefire-2022", "mediator.guarantee", "0.8"), runs, d)
	t.Logf("2022 ceasefire, mean days held: guarantee 0 → %.0f, 0.8 → %.0f", without, with)
	if !(with > without+5) {
		t.Errorf("a guarantee of 0.8 gives %.0f days vs %.0f without, want longer", with, without)
	}
}

// TestShippedMemoryOfBrokenDeals: the more broken deals the leadership
// remembers, the shorter the 2022 ceasefire (patience and the odds of
// extending shrink with trust).
func TestShippedMemoryOfBrokenDeals(t *testing.T) {
	runs := runsOf(600)
	d := day("2022-06-02")
	trusting := cfDays(t, shipped(t, "ceasefire-2022", "insurgent.broken_deals", "0"), runs, d)
	burnt := cfDays(t, shipped(t, "ceasefire-2022", "insurgent.broken_deals", "10"), runs, d)
	t.Logf("2022 ceasefire, mean days held: 0 broken deals → %.0f, 10 → %.0f", trusting, burnt)
	if !(burnt < trusting-10) {
		t.Errorf("10 broken deals give %.0f days vs %.0f with none, want shorter", burnt, trusting)
	}
}

// TestShippedStateDemandsSlowConcessions: the state's own demands (disband,
// cut ties with ISIS; seed 001) slow its concessions while the umbrella
// keeps its hard-liners.
func TestShippedStateDemandsSlowConcessions(t *testing.T) {
	runs := runsOf(400)
	ful := func(dm string) float64 {
		sc := shipped(t, "ceasefire-2022", "state.demands", dm, "rules.insurgent_walks_out.enabled", "false")
		return meanOver(t, sc, runs, func(r *sim.Record) float64 { return r.Fulfilment[200] })
	}
	lax, strict := ful("0"), ful("1")
	t.Logf("fulfilment after 200 days: state demands 0 → %.3f, 1 → %.3f", lax, strict)
	if !(strict < lax) {
		t.Errorf("strict state demands give fulfilment %.3f vs %.3f, want less", strict, lax)
	}
}

// TestShippedClosenessSeesDeadlock: in the reference scenario three demand
// items are deadlocked (the state's maximum below the reservation), so the
// talks are never "100% of the way to terms": closeness stays at most
// 1 − the deadlocked weight share, and the deadlock is recognised after
// deadlock_days of talks.
func TestShippedClosenessSeesDeadlock(t *testing.T) {
	sc := shipped(t, "ttp-2021")
	m := newModel(t, sc)
	recognised := 0
	maxClose := 0.0
	const runs = 100
	for run := 0; run < runs; run++ {
		m.Reset(sc.Seed, run)
		seen := false
		for !m.Done() {
			m.Step()
			if ds := m.DeadlockShare(); ds > 0 {
				if c := m.Closeness(); c > 1-ds+1e-9 {
					t.Fatalf("run %d, %s: closeness %.3f with %.0f%% of the demands deadlocked", run, m.Day(), c, 100*ds)
				}
			}
			maxClose = math.Max(maxClose, m.Closeness())
			if m.Day() == day("2022-01-15") && m.DeadlockRecognised() {
				seen = true
			}
		}
		if seen {
			recognised++
		}
	}
	t.Logf("highest closeness seen %.2f; deadlock recognised by 15 Jan 2022 in %d of %d runs", maxClose, recognised, runs)
	if maxClose >= 0.5 {
		t.Errorf("closeness reached %.2f with 85%% of the demands deadlocked", maxClose)
	}
	if recognised < runs*9/10 {
		t.Errorf("deadlock recognised by 15 Jan 2022 in %d of %d runs, want nearly all (talks from Oct 2021)", recognised, runs)
	}
}

// TestShippedMediatorInterestChanges: the mediator's interest is not a
// constant: it starts at the scenario's value, wears off while hosted talks
// bring no settlement and moves with the state's carrots.
func TestShippedMediatorInterestChanges(t *testing.T) {
	sc := shipped(t, "ttp-2021", "rules.mediator_interest.carrot_gain", "0")
	m := newModel(t, sc)
	lower := 0
	for run := 0; run < 50; run++ {
		m.Reset(sc.Seed, run)
		for !m.Done() {
			m.Step()
		}
		if m.MediatorInterest() < sc.Mediator.Interest-0.05 {
			lower++
		}
	}
	if lower < 45 {
		t.Errorf("the mediator's interest wore off in only %d of 50 runs of two years of fruitless talks", lower)
	}
}
