package sweep_test

import (
	"math"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim/sweep"
)

// TestSobolFirstPoints compares the first points with the unscrambled
// Joe–Kuo Sobol sequence (as scipy.stats.qmc.Sobol(scramble=False) gives).
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0}, {0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625}, {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375},
	}
	s, err := sweep.NewSobol(3)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, 3)
	for i, w := range want {
		s.Next(x)
		for j := range w {
			if x[j] != w[j] {
				t.Fatalf("point %d = %v, want %v", i, x, w)
			}
		}
	}
}

// TestSobolStratified: the first 2^m points of every dimension put exactly
// one point in each interval [k/2^m, (k+1)/2^m) — a (0, m, 1)-net — and
// every pair of the first dimensions is a (t, m, 2)-net for small t.
func TestSobolStratified(t *testing.T) {
	const m = 10
	n := 1 << m
	s, err := sweep.NewSobol(sweep.MaxSobolDim)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([][]int, sweep.MaxSobolDim)
	for j := range counts {
		counts[j] = make([]int, n)
	}
	x := make([]float64, sweep.MaxSobolDim)
	sum := make([]float64, sweep.MaxSobolDim)
	for i := 0; i < n; i++ {
		s.Next(x)
		for j, v := range x {
			counts[j][int(v*float64(n))]++
			sum[j] += v
		}
	}
	for j := range counts {
		for k, c := range counts[j] {
			if c != 1 {
				t.Fatalf("dimension %d: %d points in cell %d", j+1, c, k)
			}
		}
		if mean := sum[j] / float64(n); math.Abs(mean-0.5) > 1e-3 {
			t.Errorf("dimension %d: mean %v", j+1, mean)
		}
	}
	if _, err := sweep.NewSobol(sweep.MaxSobolDim + 1); err == nil {
		t.Error("too many dimensions accepted")
	}
}

func TestDesigns(t *testing.T) {
	sc := short(t).Scenario
	ds := dims(t, sc, "mediator.pressure=0.2:0.8", "insurgent.demands.prisoners.batch=1:20", "rival.appeal=0.1,0.2,0.5")
	for _, tc := range []struct {
		kind    string
		samples int
		n       int
	}{{"grid", 0, 5 * 5 * 3}, {"lhs", 20, 20}, {"halton", 16, 16}, {"sobol", 8, 8 * 5}, {"morris", 4, 4 * 4}} {
		d := sweep.Design{Kind: tc.kind, Samples: tc.samples, Dims: ds, Seed: 3}
		pts, err := d.Points()
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != tc.n || d.Len() != tc.n {
			t.Fatalf("%s: %d points (Len %d), want %d", tc.kind, len(pts), d.Len(), tc.n)
		}
		again, _ := d.Points()
		for i := range pts {
			for j, x := range pts[i] {
				if x != again[i][j] {
					t.Fatalf("%s: not deterministic", tc.kind)
				}
				dm := ds[j]
				if x < dm.Lo || x > dm.Hi {
					t.Fatalf("%s: point %d: %s = %v outside %v..%v", tc.kind, i, dm.Key, x, dm.Lo, dm.Hi)
				}
				if dm.Kind == "int" && x != math.Round(x) {
					t.Fatalf("%s: whole-number key %s = %v", tc.kind, dm.Key, x)
				}
				if len(dm.Values) > 0 && x != 0.1 && x != 0.2 && x != 0.5 {
					t.Fatalf("%s: listed key %s = %v", tc.kind, dm.Key, x)
				}
			}
		}
		if tc.kind == "lhs" {
			// One point per twentieth of pressure's range.
			seen := map[int]bool{}
			for _, p := range pts {
				seen[min(int((p[0]-0.2)/0.6*20), 19)] = true
			}
			if len(seen) != 20 {
				t.Errorf("lhs: pressure strata hit %d of 20", len(seen))
			}
		}
		if tc.kind == "sobol" {
			// AB_i equals A except in column i, where it equals B.
			for b := 0; b < 8; b++ {
				rows := pts[b*5 : b*5+5]
				for i := 0; i < 3; i++ {
					for j := 0; j < 3; j++ {
						want := rows[0][j]
						if i == j {
							want = rows[1][j]
						}
						if rows[2+i][j] != want {
							t.Fatalf("sobol: base %d AB_%d column %d = %v, want %v", b, i, j, rows[2+i][j], want)
						}
					}
				}
			}
		}
		if tc.kind == "morris" {
			for tr := 0; tr < 4; tr++ {
				for s := 1; s <= 3; s++ {
					diff := 0
					for j := range ds[:2] { // range dimensions move every time they are stepped
						if pts[tr*4+s][j] != pts[tr*4+s-1][j] {
							diff++
						}
					}
					if diff > 1 {
						t.Fatalf("morris: trajectory %d step %d moves %d dimensions", tr, s, diff)
					}
				}
			}
		}
	}
	if _, err := (sweep.Design{Kind: "lhs", Dims: ds}).Points(); err == nil || !strings.Contains(err.Error(), "--samples") {
		t.Errorf("lhs without samples: %v", err)
	}
	if _, err := (sweep.Design{Kind: "factorial", Dims: ds}).Points(); err == nil || !strings.Contains(err.Error(), "grid, lhs") {
		t.Errorf("unknown design: %v", err)
	}
}

func TestParseParam(t *testing.T) {
	sc := short(t).Scenario
	for _, tc := range []struct {
		spec, want string // want: error substring, or "" for success
	}{
		{"mediator.pressure=0.1:0.9", ""},
		{"mediator.pressure=0.1:0.9:7", ""},
		{"insurgent.factions.JuA.hardline=0.2,0.5,0.8", ""},
		{"insurgent.demands.prisoners.units=10:100:4", ""},
		{"mediator.pressure", "want key=lo:hi"},
		{"=0.1:0.2", "want key=lo:hi"},
		{"mediator.presure=0.1:0.9", `did you mean "mediator.pressure"`},
		{"insurgent.factions.JuA.hardlin=0:1", "insurgent.factions.JuA.hardline"},
		{"mediator.pressure=0.1:1.5", "mediator.pressure: upper bound 1.5 is out of range (allowed: 0 to 1 share)"},
		{"mediator.pressure=-1:0.5", "lower bound -1 is out of range"},
		{"mediator.pressure=0.9:0.1", "lower bound must be below the upper bound"},
		{"mediator.pressure=0.1:0.9:1", "grid levels n must be a whole number >= 2"},
		{"mediator.pressure=0.1:0.9:x", "grid levels"},
		{"mediator.pressure=0.1:0.5:3:4", "want lo:hi or lo:hi:n"},
		{"mediator.pressure=a,b", `value "a" is not a number (allowed: 0 to 1 share)`},
		{"mediator.pressure=", "no values"},
		{"insurgent.demands.prisoners.units=1.5,3", "not a whole number"},
		{"step=1:2", "only float and whole-number keys"},
		{"state.name=1:2", "only float and whole-number keys"},
		{"runs=1:10", "cannot be swept"},
	} {
		_, err := sweep.ParseParam(tc.spec, sc)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.spec, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want one containing %q", tc.spec, err, tc.want)
		}
	}
	d, _ := sweep.ParseParam("insurgent.demands.prisoners.units=10:20:3", sc)
	if got := d.Levels(); len(got) != 3 || got[0] != 10 || got[1] != 15 || got[2] != 20 {
		t.Errorf("levels %v", got)
	}
}
