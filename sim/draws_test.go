package sim

import (
	"math"
	"strings"
	"testing"
)

// TestDrawsFollowTheWeights: runs draw vectors in proportion to their
// weights (within a 4-sigma binomial band over 4,000 runs), each run's
// choice depends on (seed, run) only, and the drawn values are the run's
// parameters from its first day (initial fighters follow the draw).
func TestDrawsFollowTheWeights(t *testing.T) {
	sc := refScenario(t)
	name := sc.Insurgent.Factions[0].Name
	d, err := NewDraws(sc, []string{"insurgent.factions." + name + ".fighters"}, [][]float64{{100}, {5000}}, []float64{1, 3})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.UseDraws(d); err != nil {
		t.Fatal(err)
	}
	const n = 4000
	second := 0
	for r := 0; r < n; r++ {
		m.Reset(7, r)
		want := []float64{100, 5000}[m.Drawn()]
		if got := m.p.Insurgent.Factions[0].Fighters; got != want {
			t.Fatalf("run %d: fighters parameter %v, want the drawn %v", r, got, want)
		}
		if got := m.fightersOf(0); got != want {
			t.Fatalf("run %d: starts with %v fighters, want the drawn %v", r, got, want)
		}
		if m.Drawn() == 1 {
			second++
		}
	}
	p, sd := 0.75, math.Sqrt(0.75*0.25/n)
	if share := float64(second) / n; math.Abs(share-p) > 4*sd {
		t.Errorf("share of the weight-3 vector %.3f, want %.2f ± %.3f", share, p, 4*sd)
	}
	// The choice of run 17 does not depend on what ran before.
	m.Reset(7, 17)
	a := m.Drawn()
	m2, _ := New(sc)
	m2.UseDraws(d)
	m2.Reset(7, 17)
	if m2.Drawn() != a {
		t.Error("run 17's draw depends on the runs before it")
	}
	// Without draws the scenario's value is back.
	m.UseDraws(nil)
	m.Reset(7, 17)
	if m.Drawn() != -1 || m.p.Insurgent.Factions[0].Fighters != sc.Insurgent.Factions[0].Fighters {
		t.Error("turning draws off did not restore the scenario's parameters")
	}
}

func TestDrawsRefuseBadVectors(t *testing.T) {
	sc := refScenario(t)
	for _, c := range []struct {
		keys    []string
		values  [][]float64
		weights []float64
		want    string
	}{
		{[]string{"state.capacity"}, nil, nil, "no vectors"},
		{[]string{"state.capacity"}, [][]float64{{0.5}, {1.5}}, nil, "vector 2"},
		{[]string{"state.nope"}, [][]float64{{0.5}}, nil, "unknown key"},
		{[]string{"state.capacity"}, [][]float64{{0.5, 1}}, nil, "2 values for 1 keys"},
		{[]string{"state.capacity"}, [][]float64{{0.5}}, []float64{-1}, "weight"},
		{[]string{"state.capacity"}, [][]float64{{0.5}, {0.6}}, []float64{0, 0}, "sum to 0"},
	} {
		_, err := NewDraws(sc, c.keys, c.values, c.weights)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v %v: error %v, want %q", c.keys, c.values, c.weights, err, c.want)
		}
	}
}

func TestDrawsDoNotAllocate(t *testing.T) {
	sc := refScenario(t)
	d, err := NewDraws(sc, []string{"state.capacity"}, [][]float64{{0.3}, {0.6}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := New(sc)
	m.UseDraws(d)
	m.Run(1, 0)
	if a := testing.AllocsPerRun(20, func() { m.Run(1, 3) }); a != 0 {
		t.Errorf("a run with draws allocates %v times", a)
	}
}
