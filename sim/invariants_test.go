package sim_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
)

// randomise draws every float parameter of the agents, attacks and rules
// uniformly within its allowed range, so the invariants below are checked
// far from the calibrated values too.
func randomise(t *testing.T, s *sim.Scenario, rng *rand.Rand) {
	for _, p := range s.Params() {
		if p.Kind != "float" || !p.HasRange || strings.HasSuffix(p.Key, ".fighters") {
			continue
		}
		if !strings.HasPrefix(p.Key, "rules.") && !strings.HasPrefix(p.Key, "state.") &&
			!strings.HasPrefix(p.Key, "mediator.") && !strings.HasPrefix(p.Key, "attacks.") &&
			!strings.HasPrefix(p.Key, "insurgent.") && !strings.HasPrefix(p.Key, "rival.") {
			continue
		}
		lo, hi := p.Min, p.Max
		// Keep rates and sizes in a range where things happen, not 1e6 fighters.
		hi = math.Min(hi, lo+2)
		if err := s.SetFloat(p.Key, lo+(hi-lo)*rng.Float64()); err != nil {
			t.Fatal(err)
		}
	}
	// A stationary excitation matrix (Validate rejects the others), and a
	// background trend anchored in the horizon rather than in 1900.
	h := &s.Attacks.Hawkes
	if r := h.SpectralRadius(); r >= 0.9 {
		k := 0.9 / r
		h.Self, h.Outbid, h.RivalOutbid, h.RivalSelf = k*h.Self, k*h.Outbid, k*h.RivalOutbid, k*h.RivalSelf
	}
	s.Attacks.BackgroundYear = 2022
}

// TestInvariants runs many runs with random parameters (all rules on) and
// checks what must hold in every run: no negative fighters, whole
// non-negative attack counts, only legal phase transitions (Model.setPhase
// panics otherwise), and ceasefire records that agree with the phase series.
func TestInvariants(t *testing.T) {
	n := 24
	if testing.Short() {
		n = 8
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < n; k++ {
		s := unit(t)
		v := []*bool{&s.Rules.StateEndsCeasefire.Enabled, &s.Rules.StateWalksOut.Enabled, &s.Rules.StateStrikes.Enabled,
			&s.Rules.StateOperation.Enabled, &s.Rules.StateConcedes.Enabled, &s.Rules.InsurgentWalksOut.Enabled,
			&s.Rules.InsurgentDeclaresCeasefire.Enabled, &s.Rules.InsurgentExtends.Enabled, &s.Rules.FactionSpoils.Enabled,
			&s.Rules.FactionSplits.Enabled, &s.Rules.FactionRemerges.Enabled, &s.Rules.FightersDefect.Enabled,
			&s.Rules.MediatorPresses.Enabled, &s.Rules.MediatorStopsHosting.Enabled, &s.Rules.TalksOpen.Enabled,
			&s.Rules.SettlementCollapses.Enabled}
		for _, b := range v {
			*b = true
		}
		randomise(t, s, rng)
		s.Events = append(s.Events, event("2022-02-01", "open_talks"), event("2022-03-01", "declare_ceasefire"))
		s.Events[len(s.Events)-1].Days = 20
		m, err := sim.New(s)
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		for run := 0; run < 5; run++ {
			r := m.Run(s.Seed, run)
			cfSteps := 0
			for i := range r.Phase {
				for _, x := range []float64{r.FightersInsurgent[i], r.FightersSplinter[i], r.FightersRival[i]} {
					if !(x >= 0) {
						t.Fatalf("case %d run %d step %d: negative or NaN fighters %v", k, run, i, x)
					}
				}
				for _, a := range []float64{r.Attacks[i], r.AttacksInsurgent[i], r.AttacksSplinter[i], r.AttacksRival[i]} {
					if a < 0 || a != math.Trunc(a) {
						t.Fatalf("case %d run %d step %d: attacks %v", k, run, i, a)
					}
				}
				if r.Attacks[i] < r.AttacksInsurgent[i]+r.AttacksSplinter[i]+r.AttacksRival[i] {
					t.Fatalf("case %d: total attacks below the sum of groups", k)
				}
				for l := range r.Lev {
					if x := r.Lev[l][i]; !(x >= 0 && x <= 1) {
						t.Fatalf("case %d: leverage %s = %v outside [0,1]", k, sim.Leverage(l), x)
					}
				}
				if r.Phase[i] == sim.Ceasefire {
					cfSteps++
				}
			}
			want := 0
			for _, c := range r.Ceasefires {
				if c.End < c.Start {
					t.Fatalf("case %d: ceasefire ends before it starts: %+v", k, c)
				}
				want += c.Days()
				if c.Open {
					want++ // the horizon's last day is a ceasefire day too
				}
			}
			if cfSteps != want {
				t.Fatalf("case %d run %d: %d ceasefire days in the phase series, %d in the records %+v", k, run, cfSteps, want, r.Ceasefires)
			}
		}
	}
}

func TestLegalTransitions(t *testing.T) {
	for _, p := range sim.Phases() {
		if sim.Legal(p, p) {
			t.Errorf("%s -> %s counted as a transition", p, p)
		}
	}
	// Settlement is only reached from a ceasefire; talks never skip to settlement.
	for _, p := range sim.Phases() {
		if sim.Legal(p, sim.Settlement) != (p == sim.Ceasefire) {
			t.Errorf("Legal(%s, settlement) = %v", p, sim.Legal(p, sim.Settlement))
		}
	}
	if sim.Legal(sim.Phase(9), sim.Conflict) {
		t.Error("unknown phase accepted")
	}
}
