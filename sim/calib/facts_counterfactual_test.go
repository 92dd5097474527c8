package calib

// Every ordinal fact of scenarios/history/targets.toml, paired with a
// counterfactual that should make it false (issue 9, part 4). A fact that
// holds whatever the model is told cannot be evidence for the model: the
// tests below evaluate each fact on its shipped scenario and on a variant
// that removes the mechanism the fact is about, and assert that the fact's
// probability falls clearly.
//
// Runs and noise. Each probability is a share of cfRuns = 1000 runs; both
// arms use the same seed (common random numbers), which only shrinks the
// noise of the difference. Without that pairing the standard error of a
// difference of two shares is at most √(2·0.25/1000) ≈ 0.022; each minimum
// drop below is at least three such errors from the drop measured when the
// test was written (stated per case), so a pass is not noise and a failure
// means the model changed.
//
// Facts the model cannot make false yet are kept as tests, skipped with the
// reason (the mechanism it lacks, issue 10). Set PARLEY_KNOWN_LIMITS=1 to
// run them anyway: today they fail.

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

const cfRuns = 1000

// factP is the share of runs in which the ordinal target id holds in the
// embedded scenario name, after edit (nil: as shipped).
func factP(t *testing.T, name, id string, edit func(*scenario.Loaded)) float64 {
	t.Helper()
	l := load(t, name)
	if edit != nil {
		edit(l)
	}
	if err := l.Scenario.Validate(); err != nil {
		t.Fatal(err)
	}
	ts, err := Targets(l.Scenario, l.Observed)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.ID != id {
			continue
		}
		if x.Kind != KindOrdinal {
			t.Fatalf("%s: %s is a %s target, not an ordinal fact", name, id, x.Kind)
		}
		e, err := Evaluate(context.Background(), l.Scenario, []Target{x}, mc.Options{Runs: cfRuns, Seed: 7, SeedSet: true, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		o := e.Outcomes[0]
		if o.N != cfRuns {
			t.Fatalf("%s: %s scored in %d of %d runs", name, id, o.N, cfRuns)
		}
		// Undo the (k+½)/(n+1) smoothing: the raw share k/n.
		return math.Round(o.P*float64(o.N+1)-0.5) / float64(o.N)
	}
	t.Fatalf("%s: no target %s inside its horizon", name, id)
	return 0
}

// dropEvents removes the scenario's events for which drop is true and fails
// if none matched (a counterfactual that changes nothing is a broken test).
func dropEvents(t *testing.T, l *scenario.Loaded, drop func(e sim.EventConfig) bool) {
	t.Helper()
	var keep []sim.EventConfig
	for _, e := range l.Scenario.Events {
		if !drop(e) {
			keep = append(keep, e)
		}
	}
	if len(keep) == len(l.Scenario.Events) {
		t.Fatalf("%s: the counterfactual removes no event", l.Scenario.Name)
	}
	l.Scenario.Events = keep
}

func applySets(t *testing.T, l *scenario.Loaded, kv ...string) {
	t.Helper()
	if err := scenario.ApplySets(l, kv); err != nil {
		t.Fatal(err)
	}
}

func on(e sim.EventConfig, typ, date string) bool {
	return e.Type == typ && e.Date.String() == date
}

// counterfactual asserts that the fact holds in at least minShipped of the
// shipped runs (0: no requirement, the fact is a documented miss) and that
// the variant lowers its probability by at least minDrop, to at most
// maxVariant.
func counterfactual(t *testing.T, name, id, what string, edit func(*scenario.Loaded), minShipped, minDrop, maxVariant float64) {
	t.Helper()
	p0 := factP(t, name, id, nil)
	p1 := factP(t, name, id, edit)
	t.Logf("%s %s: P(fact) shipped %.3f, %s %.3f (drop %+.3f)", name, id, p0, what, p1, p0-p1)
	if p0 < minShipped {
		t.Errorf("%s: the shipped scenario reproduces the fact in %.3f of runs, want at least %.2f", id, p0, minShipped)
	}
	if p0-p1 < minDrop {
		t.Errorf("%s: %s lowers P(fact) by %.3f (%.3f → %.3f), want at least %.2f: the fact does not depend on what it is about", id, what, p0-p1, p0, p1, minDrop)
	}
	if p1 > maxVariant {
		t.Errorf("%s: under %s the fact still holds in %.3f of runs, want at most %.2f", id, what, p1, maxVariant)
	}
}

func knownLimit(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("PARLEY_KNOWN_LIMITS") == "" {
		t.Skip(why)
	}
}

// F2-2021 "the Nov 2021 ceasefire lowered violence" (fewer attacks in Nov
// than in Oct 2021). Removing the declaration leaves two months of talks
// alike: a coin flip. It can fall no further, because only the umbrella's
// attacks — about half — respond to a ceasefire; the minimum drop is 0.08
// (≈ 3.5 standard errors of a difference at 1,000 paired runs). The same
// holds when the ceasefire is declared but the umbrella does not comply
// (compliance 0): the fact rests on compliance, not on the date. (Moving
// the declaration to 1 October is no counterfactual under Model v2: the
// campaign intent rises slowly after a lapse, so November stays quiet too —
// the mild re-escalation of Dec 2021, pattern (a) in sim/patterns_test.go.)
func TestFactF2of2021NeedsTheCeasefire(t *testing.T) {
	counterfactual(t, "ttp-2021.toml", "F2-2021", "no ceasefire declared on 9 Nov 2021", func(l *scenario.Loaded) {
		dropEvents(t, l, func(e sim.EventConfig) bool { return on(e, "declare_ceasefire", "2021-11-09") })
	}, 0.5, 0.08, 0.56)
	counterfactual(t, "ttp-2021.toml", "F2-2021", "a ceasefire nobody complies with", func(l *scenario.Loaded) {
		// Without the emir's order of 9 Nov 2021 (seed 003) and with no
		// compliance at all.
		dropEvents(t, l, func(e sim.EventConfig) bool { return e.Type == "set" && e.Key == "insurgent.compliance" })
		applySets(t, l, "insurgent.compliance=0")
	}, 0.5, 0.08, 0.56)
}

// F2-2022 "attacks went on during the 2022 ceasefire" (at least 60 in
// Jun-Aug 2022). With a fully compliant umbrella and no background groups
// only the disloyal share, splinters and ISKP remain (measured 0.90 →
// 0.08; minimum drop 0.3).
func TestFactF2of2022NeedsNonCompliance(t *testing.T) {
	counterfactual(t, "ttp-2021.toml", "F2-2022", "full compliance and no background attacks", func(l *scenario.Loaded) {
		applySets(t, l, "insurgent.compliance=1", "attacks.background=0")
	}, 0.5, 0.3, 0.3)
}

// F7 "regime change next door raised attacks": Sep 2021 - Oct 2022 at
// least 1.5 times the 2020 level. The counterfactual removes what the
// regime change does in the model: the 780 prisoners freed on 15 Aug 2021
// (+780 Mehsud fighters) and the sanctuary of a Taliban government
// (mediator.sanctuary 0.8 → 0.1). Measured: 0.985 → 0.965. The fact does
// not move, because the model's attack level after Aug 2021 is context,
// not mechanism: the umbrella starts at the UN's 2021 upper range and the
// background rate is PICSS 2021's. With the background also at its 2020
// level (0.26 a day: half of PICSS 2020's 187, as base.toml halves 2021's)
// the fact falls to 0.39 — but that is the data put back in, not the
// regime change at work. Known limit until the model lets a neighbour's
// regime change raise the insurgent's and the other groups' tempo (issue 10).
func TestFactF7NeedsTheRegimeChange(t *testing.T) {
	knownLimit(t, "F7: the model has no mechanism by which the Aug 2021 regime change raises attack rates beyond the 780 freed fighters (the 2021-22 level sits in the background rate and the factions' strengths) — issue 10")
	counterfactual(t, "ttp-2021.toml", "F7", "no prisoner release and little sanctuary", func(l *scenario.Loaded) {
		dropEvents(t, l, func(e sim.EventConfig) bool { return on(e, "fighters", "2021-08-15") })
		applySets(t, l, "mediator.sanctuary=0.1")
	}, 0.5, 0.3, 0.5)
}

// O-2015 "violence fell after Zarb-e-Azb" (fewer attacks Mar-Dec 2015
// than Mar-Dec 2014). Without any large operation — neither the June 2014
// event nor one launched by the state_operation rule — 2015 is a year of
// open war after a 2014 of talks and truce (measured 0.99 → 0.20; minimum
// drop 0.3). Removing only the event is not enough: the rule launches its
// own operation in about half the runs (0.47).
func TestFactO2015NeedsTheOperation(t *testing.T) {
	counterfactual(t, "talks-2014.toml", "O-2015", "no large operation", func(l *scenario.Loaded) {
		dropEvents(t, l, func(e sim.EventConfig) bool { return e.Type == "operation" })
		applySets(t, l, "rules.state_operation.enabled=false")
	}, 0.5, 0.3, 0.35)
}

// F4-2014 "hard-liners split over the 2014 talks" (a faction outside the
// umbrella in Dec 2014). Under Model v2's rules (splits also happen under
// the operation) some faction has split by Dec 2014 in about a third of
// the runs — still a miss under the strict rule. The counterfactual — a JuA
// as loyal and moderate as the core — must lower it (measured 0.32 →
// 0.06; minimum drop 0.05, over five standard errors of these shares,
// √(0.3·0.7/1000) ≈ 0.015); other, less hard-line factions can still split,
// so the variant may keep up to 0.1. No shipped minimum: a documented miss.
func TestFactF4of2014NeedsTheHardLiners(t *testing.T) {
	counterfactual(t, "talks-2014.toml", "F4-2014", "a loyal, moderate JuA", func(l *scenario.Loaded) {
		applySets(t, l, "insurgent.factions.JuA.loyalty=0.95", "insurgent.factions.JuA.hardline=0.6")
	}, 0, 0.05, 0.1)
}

// O-2008 "violence rose after the Srarogha accord collapsed and the TTP was
// founded" (more attacks in 2008 than 2007). The counterfactual keeps the
// accord to the horizon (the rules that end a ceasefire or launch an
// operation off, no Operation Zalzala) and the allied groups outside it
// (no TTP). Measured: 0.44 shipped, 0.90 under the counterfactual — the
// fact becomes *more* likely without its mechanism. In the model the
// ordering of two years is set by recruitment (every faction grows ~20 % a
// year, so each year is busier than the last) against Zalzala's attrition,
// not by the accord's collapse: the accord usually collapses by the rules
// within its first year (median ~300 days; E02 documents 924), the
// collapse surge lasts 60 days, and joining an alliance leaves a group's
// tempo unchanged. Known limit (issue 10); the target stays in check as a
// documented miss.
func TestFactO2008NeedsTheCollapse(t *testing.T) {
	knownLimit(t, "O-2008: the model has no mechanism for the escalation that followed the collapse of a local accord and the founding of the TTP (the collapse surge lasts 60 days; merging into an alliance leaves a group's tempo unchanged) — issue 10")
	counterfactual(t, "srarogha-2005.toml", "O-2008", "the accord holds, no TTP, no Zalzala", func(l *scenario.Loaded) {
		dropEvents(t, l, func(e sim.EventConfig) bool { return e.Type == "operation" || e.Type == "merge" })
		applySets(t, l, "rules.state_walks_out.enabled=false", "rules.insurgent_walks_out.enabled=false",
			"rules.state_ends_ceasefire.enabled=false", "rules.mediator_stops_hosting.enabled=false", "rules.state_operation.enabled=false")
	}, 0.5, 0.3, 0.5)
}

// TestEveryOrdinalFactHasACounterfactual: a new [[ordinal]] target needs
// its paired test above.
func TestEveryOrdinalFactHasACounterfactual(t *testing.T) {
	paired := map[string]bool{"F2-2021": true, "F2-2022": true, "F7": true, "O-2015": true, "F4-2014": true, "O-2008": true}
	l := load(t, "ttp-2021.toml")
	if l.Observed == nil || l.Observed.Targets == nil {
		t.Fatal("ttp-2021 names no targets")
	}
	for _, o := range l.Observed.Targets.Ordinal {
		if !paired[o.ID] {
			t.Errorf("ordinal fact %s has no counterfactual test in facts_counterfactual_test.go", o.ID)
		}
	}
}
