package sim_test

import (
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
)

// TestRecordByPeriod: a model recording by period (SetPeriods) gives, for
// every series, exactly the sums of the per-step values over each period,
// added in step order, and the same per-step Intensity and Phase and the
// same totals; across runs of one model (the accumulators start again at
// zero) and for periods of uneven length, including one of a single step.
func TestRecordByPeriod(t *testing.T) {
	sc := loadRef(t)
	step, err := sim.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	byPeriod, err := sim.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	n := step.Steps()
	of := make([]int, n)
	p := 0
	for s := 1; s < n; s++ {
		if s == 1 || s%31 == 0 || s == n-1 { // a one-step period first and last
			p++
		}
		of[s] = p
	}
	if err := byPeriod.SetPeriods(of); err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 3; run++ {
		a := step.Run(4, run)
		b := byPeriod.Run(4, run)
		if !b.Period || a.Period {
			t.Fatalf("Period flags: by step %v, by period %v", a.Period, b.Period)
		}
		series := []struct {
			name string
			x, y []float64
		}{
			{"attacks", a.Attacks, b.Attacks}, {"attacks_insurgent", a.AttacksInsurgent, b.AttacksInsurgent},
			{"attacks_splinter", a.AttacksSplinter, b.AttacksSplinter}, {"attacks_rival", a.AttacksRival, b.AttacksRival},
			{"fighters_insurgent", a.FightersInsurgent, b.FightersInsurgent}, {"fighters_splinter", a.FightersSplinter, b.FightersSplinter},
			{"fighters_rival", a.FightersRival, b.FightersRival}, {"pressure", a.Pressure, b.Pressure}, {"fulfilment", a.Fulfilment, b.Fulfilment},
		}
		for k := range a.Lev {
			series = append(series, struct {
				name string
				x, y []float64
			}{sim.Leverage(k).String(), a.Lev[k], b.Lev[k]})
		}
		for _, s := range series {
			if len(s.y) != p+1 {
				t.Fatalf("%s: %d periods, want %d", s.name, len(s.y), p+1)
			}
			sums := make([]float64, p+1)
			for i, x := range s.x {
				sums[of[i]] += x
			}
			for j := range sums {
				if sums[j] != s.y[j] {
					t.Fatalf("run %d, %s, period %d: %v by period, %v summed by step", run, s.name, j, s.y[j], sums[j])
				}
			}
		}
		for i := range a.Intensity {
			if a.Intensity[i] != b.Intensity[i] || a.Phase[i] != b.Phase[i] {
				t.Fatalf("run %d step %d: intensity or phase differ", run, i)
			}
		}
		if a.AttacksTotal != b.AttacksTotal || a.DefectedFighters != b.DefectedFighters || len(a.Ceasefires) != len(b.Ceasefires) {
			t.Fatalf("run %d: totals differ", run)
		}
	}
	for _, bad := range []struct {
		of   []int
		want string
	}{
		{make([]int, n-1), "periods given"},
		{append([]int{1}, make([]int, n-1)...), "must start at 0"},
		{append(make([]int, n-1), 2), "must start at 0"},
	} {
		if err := byPeriod.SetPeriods(bad.of); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SetPeriods(%d entries): error %v, want one saying %q", len(bad.of), err, bad.want)
		}
	}
	if err := byPeriod.SetPeriods(nil); err != nil || byPeriod.Run(4, 0).Period {
		t.Errorf("SetPeriods(nil): %v; the record is still by period", err)
	}
}
