package sim_test

import (
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/parley-sim/parley/sim"
)

// unit loads testdata/unit.toml: a neutral scenario with every rule off.
func unit(t testing.TB) *sim.Scenario {
	t.Helper()
	var s sim.Scenario
	if _, err := toml.DecodeFile("testdata/unit.toml", &s); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return &s
}

func day(s string) sim.Date {
	d, err := sim.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func event(date, typ string) sim.EventConfig {
	return sim.EventConfig{Date: day(date), Type: typ}
}

func logged(r *sim.Record, rule, ev string) bool {
	for _, l := range r.Log {
		if l.Rule == rule && l.Event == ev {
			return true
		}
	}
	return false
}

func talksAtStart(s *sim.Scenario) {
	s.Events = append(s.Events, event("2022-01-01", "open_talks"))
}

func ceasefireAtStart(days int) func(s *sim.Scenario) {
	return func(s *sim.Scenario) {
		e := event("2022-01-01", "declare_ceasefire")
		e.Days = days
		e.Indefinite = days == 0
		s.Events = append(s.Events, e)
	}
}

func noAttacks(s *sim.Scenario) {
	for i := range s.Insurgent.Factions {
		s.Insurgent.Factions[i].AttackRate = 0
	}
}

// TestRulesFireWhereTheyShould checks every defection rule twice: in a
// setting built to trigger it (it must fire in most runs) and in the same
// setting with its driver below threshold (it must never fire).
func TestRulesFireWhereTheyShould(t *testing.T) {
	type tc struct {
		name  string
		setup func(s *sim.Scenario)
		fired func(r *sim.Record) bool
		often bool // true: fires in >= 80% of runs; false: in none
	}
	cfEnds := func(cause string) func(r *sim.Record) bool {
		return func(r *sim.Record) bool {
			for _, c := range r.Ceasefires {
				if !c.Open && c.Cause == cause {
					return true
				}
			}
			return false
		}
	}
	cases := []tc{
		{"state_ends_ceasefire/violations", func(s *sim.Scenario) {
			s.Rules.StateEndsCeasefire.Enabled = true
			s.Insurgent.Compliance = 0
			ceasefireAtStart(0)(s)
		}, cfEnds(sim.CauseViolations), true},
		{"state_ends_ceasefire/tolerant", func(s *sim.Scenario) {
			s.Rules.StateEndsCeasefire.Enabled = true
			s.Rules.StateEndsCeasefire.Tolerance = 10000
			s.Insurgent.Compliance = 0
			ceasefireAtStart(0)(s)
		}, cfEnds(sim.CauseViolations), false},

		{"state_walks_out/costly", func(s *sim.Scenario) {
			s.Rules.StateWalksOut.Enabled = true
			s.Insurgent.Demands[0].Fulfilment = 1
			s.Insurgent.Demands[0].StateMax = 1
			noAttacks(s)
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "state_walks_out", "walks out of talks") }, true},
		{"state_walks_out/cheap", func(s *sim.Scenario) {
			s.Rules.StateWalksOut.Enabled = true
			s.State.AudienceCost = 0
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "state_walks_out", "walks out of talks") }, false},

		{"state_strikes/hurting", func(s *sim.Scenario) {
			s.Rules.StateStrikes.Enabled = true
		}, func(r *sim.Record) bool { return r.Strikes > 0 }, true},
		{"state_strikes/calm", func(s *sim.Scenario) {
			s.Rules.StateStrikes.Enabled = true
			noAttacks(s)
		}, func(r *sim.Record) bool { return r.Strikes > 0 }, false},

		{"state_operation/after_failed_talks", func(s *sim.Scenario) {
			s.Rules.StateOperation.Enabled = true
			talksAtStart(s)
			s.Events = append(s.Events, event("2022-01-10", "end_talks"))
		}, func(r *sim.Record) bool { return r.Operations > 0 }, true},
		{"state_operation/no_talks_yet", func(s *sim.Scenario) {
			s.Rules.StateOperation.Enabled = true
		}, func(r *sim.Record) bool { return r.Operations > 0 }, false},

		{"state_concedes/in_talks", func(s *sim.Scenario) {
			s.Rules.StateConcedes.Enabled = true
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "state_concedes", "concedes a batch") }, true},
		{"state_concedes/no_talks", func(s *sim.Scenario) {
			s.Rules.StateConcedes.Enabled = true
		}, func(r *sim.Record) bool { return logged(r, "state_concedes", "concedes a batch") }, false},

		{"insurgent_walks_out/unmet", func(s *sim.Scenario) {
			s.Rules.InsurgentWalksOut.Enabled = true
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "insurgent_walks_out", "walks out") }, true},
		// The gap tolerance is relative ((E − F)/E), so every tolerance below
		// 1 is reachable when nothing is delivered: the rule stays quiet only
		// when the demands are met.
		{"insurgent_walks_out/fulfilled", func(s *sim.Scenario) {
			s.Rules.InsurgentWalksOut.Enabled = true
			s.Insurgent.Demands[0].Fulfilment = 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "insurgent_walks_out", "walks out") }, false},

		{"insurgent_declares_ceasefire/pressed", func(s *sim.Scenario) {
			s.Rules.InsurgentDeclaresCeasefire.Enabled = true
			s.Rules.MediatorPresses.Enabled = true
			s.Mediator.Pressure, s.Mediator.Sanctuary, s.Insurgent.Dependence = 1, 1, 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "insurgent_declares_ceasefire", "declares ceasefire") }, true},
		{"insurgent_declares_ceasefire/unpressed", func(s *sim.Scenario) {
			s.Rules.InsurgentDeclaresCeasefire.Enabled = true
			s.Mediator.Pressure, s.Mediator.Sanctuary, s.Insurgent.Dependence = 1, 1, 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "insurgent_declares_ceasefire", "declares ceasefire") }, false},

		{"insurgent_extends/satisfied", func(s *sim.Scenario) {
			s.Rules.InsurgentExtends.Enabled = true
			// Well ahead of expectation, short of a settlement (0.85 < 0.9 of agreed 1).
			d := &s.Insurgent.Demands[0]
			d.Fulfilment, d.Reservation, d.StateMax = 0.85, 1, 1
			ceasefireAtStart(10)(s)
		}, func(r *sim.Record) bool { return logged(r, "insurgent_extends", "ceasefire extended") }, true},
		{"insurgent_extends/unwilling", func(s *sim.Scenario) {
			s.Rules.InsurgentExtends.Enabled = true
			s.Rules.InsurgentExtends.Base = -20
			d := &s.Insurgent.Demands[0]
			d.Fulfilment, d.Reservation, d.StateMax = 0.85, 1, 1
			ceasefireAtStart(10)(s)
		}, func(r *sim.Record) bool { return logged(r, "insurgent_extends", "ceasefire extended") }, false},
		{"insurgent_extends/lapse_is_recorded", func(s *sim.Scenario) {
			s.Rules.InsurgentExtends.Enabled = true
			s.Rules.InsurgentExtends.Base = -20
			ceasefireAtStart(10)(s)
		}, func(r *sim.Record) bool {
			return len(r.Ceasefires) > 0 && r.Ceasefires[0].Cause == sim.CauseLapse && r.Ceasefires[0].Days() == 10 && r.Ceasefires[0].EndedBy == "insurgent"
		}, true},

		{"faction_spoils/hardliner", func(s *sim.Scenario) {
			s.Rules.FactionSpoils.Enabled = true
			s.Insurgent.Factions[1].Hardline = 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "faction_spoils", "spoils the talks") }, true},
		{"faction_spoils/aligned", func(s *sim.Scenario) {
			s.Rules.FactionSpoils.Enabled = true
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "faction_spoils", "spoils the talks") }, false},

		{"faction_splits/disloyal_hardliner_in_talks", func(s *sim.Scenario) {
			s.Rules.FactionSplits.Enabled = true
			s.Insurgent.Factions[1].Hardline, s.Insurgent.Factions[1].Loyalty = 1, 0
			talksAtStart(s)
		}, func(r *sim.Record) bool { return r.Splits > 0 }, true},
		{"faction_splits/no_talks", func(s *sim.Scenario) {
			s.Rules.FactionSplits.Enabled = true
			s.Insurgent.Factions[1].Hardline, s.Insurgent.Factions[1].Loyalty = 1, 0
		}, func(r *sim.Record) bool { return r.Splits > 0 }, false},

		{"faction_remerges/umbrella_hardened", func(s *sim.Scenario) {
			s.Rules.FactionRemerges.Enabled = true
			s.Insurgent.Factions[1].Split = true
		}, func(r *sim.Record) bool { return r.Merges > 0 }, true},
		{"faction_remerges/while_talking", func(s *sim.Scenario) {
			s.Rules.FactionRemerges.Enabled = true
			s.Insurgent.Factions[1].Split = true
			talksAtStart(s)
		}, func(r *sim.Record) bool { return r.Merges > 0 }, false},

		{"fighters_defect/hardliners_trickle", func(s *sim.Scenario) {
			s.Rules.FightersDefect.Enabled = true
			s.Rules.FightersDefect.FactionRate = 0
			s.Insurgent.Factions[1].Hardline = 1
		}, func(r *sim.Record) bool { return r.DefectedFighters > 0 }, true},
		{"fighters_defect/no_hardliners", func(s *sim.Scenario) {
			s.Rules.FightersDefect.Enabled = true
			for i := range s.Insurgent.Factions {
				s.Insurgent.Factions[i].Hardline = 0
			}
			s.Insurgent.Hardline = 0
		}, func(r *sim.Record) bool { return r.DefectedFighters > 0 }, false},
		{"fighters_defect/whole_faction_pulled", func(s *sim.Scenario) {
			s.Rules.FightersDefect.Enabled = true
			s.Rules.FightersDefect.Base = 0
			s.Insurgent.Factions[1].Hardline = 1
			s.Insurgent.Factions[1].Loyalty = 0
			s.Rival.Appeal = 1
		}, func(r *sim.Record) bool { return r.FactionDefections > 0 }, true},
		// A faction wholly loyal to the emir does not go over, however
		// hard-line and however strong the pull (seed 004).
		{"fighters_defect/whole_faction_loyal", func(s *sim.Scenario) {
			s.Rules.FightersDefect.Enabled = true
			s.Rules.FightersDefect.Base = 0
			s.Insurgent.Factions[1].Hardline = 1
			s.Rival.Appeal = 1
		}, func(r *sim.Record) bool { return r.FactionDefections > 0 }, false},
		{"fighters_defect/whole_faction_not_pulled", func(s *sim.Scenario) {
			s.Rules.FightersDefect.Enabled = true
			s.Rules.FightersDefect.Base = 0
			s.Rival.Appeal = 1
		}, func(r *sim.Record) bool { return r.FactionDefections > 0 }, false},

		{"mediator_presses/interested", func(s *sim.Scenario) {
			s.Rules.MediatorPresses.Enabled = true
			s.Mediator.Interest = 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "mediator_presses", "presses") }, true},
		{"mediator_presses/indifferent", func(s *sim.Scenario) {
			s.Rules.MediatorPresses.Enabled = true
			s.Mediator.Interest = 0.2
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "mediator_presses", "presses") }, false},
		{"mediator_presses/stops_when_fighters_defect", func(s *sim.Scenario) {
			s.Rules.MediatorPresses.Enabled = true
			s.Rules.MediatorPresses.FearDefections = 0
			s.Rules.FightersDefect.Enabled = true
			s.Rules.FightersDefect.FactionRate = 0
			s.Rules.FightersDefect.Base = 0.01
			s.Insurgent.Factions[1].Hardline = 1
			s.Mediator.Interest = 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "mediator_presses", "stops pressing") }, true},

		{"mediator_stops_hosting/costly", func(s *sim.Scenario) {
			s.Rules.MediatorStopsHosting.Enabled = true
			s.Mediator.Interest, s.Rival.Threat = 0, 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "mediator_stops_hosting", "stops hosting") }, true},
		{"mediator_stops_hosting/worth_it", func(s *sim.Scenario) {
			s.Rules.MediatorStopsHosting.Enabled = true
			s.Mediator.Interest, s.Rival.Threat = 1, 1
			talksAtStart(s)
		}, func(r *sim.Record) bool { return logged(r, "mediator_stops_hosting", "stops hosting") }, false},

		{"talks_open/ripe", func(s *sim.Scenario) {
			s.Rules.TalksOpen.Enabled = true
			s.Mediator.Interest, s.Mediator.Sanctuary, s.Insurgent.Dependence = 1, 1, 1
		}, func(r *sim.Record) bool { return r.TalksRounds > 0 }, true},
		{"talks_open/no_host", func(s *sim.Scenario) {
			s.Rules.TalksOpen.Enabled = true
			s.Mediator.Interest, s.Mediator.Sanctuary, s.Insurgent.Dependence = 1, 1, 1
			s.Mediator.Host = false
		}, func(r *sim.Record) bool { return r.TalksRounds > 0 }, false},

		{"settlement/agreeable", func(s *sim.Scenario) {
			s.Rules.StateConcedes.Enabled = true
			ceasefireAtStart(0)(s)
		}, func(r *sim.Record) bool { return r.Settlement != 0 }, true},
		{"settlement/deadlocked", func(s *sim.Scenario) {
			s.Rules.StateConcedes.Enabled = true
			s.Insurgent.Demands[0].StateMax = 0.2
			ceasefireAtStart(0)(s)
		}, func(r *sim.Record) bool { return r.Settlement != 0 }, false},

		{"settlement_collapses/fragile", func(s *sim.Scenario) {
			s.Rules.StateConcedes.Enabled = true
			s.Rules.SettlementCollapses.Enabled = true
			s.Rules.SettlementCollapses.Rate = 0.5
			ceasefireAtStart(0)(s)
		}, func(r *sim.Record) bool { return r.SettlementFailed != 0 }, true},
		{"settlement_collapses/no_settlement", func(s *sim.Scenario) {
			s.Rules.StateConcedes.Enabled = true
			s.Rules.SettlementCollapses.Enabled = true
			s.Rules.SettlementCollapses.Rate = 0.5
			s.Insurgent.Demands[0].StateMax = 0.2
			ceasefireAtStart(0)(s)
		}, func(r *sim.Record) bool { return r.SettlementFailed != 0 }, false},
	}
	const runs = 100
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := unit(t)
			c.setup(s)
			m, err := sim.New(s)
			if err != nil {
				t.Fatal(err)
			}
			m.SetLogging(true)
			n := 0
			for i := 0; i < runs; i++ {
				if c.fired(m.Run(s.Seed, i)) {
					n++
				}
			}
			if c.often && n < runs*8/10 {
				t.Errorf("fired in %d of %d runs, want at least 80%%", n, runs)
			}
			if !c.often && n > 0 {
				t.Errorf("fired in %d of %d runs, want none", n, runs)
			}
		})
	}
}
