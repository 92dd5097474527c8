package sensitivity_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-sim/parley/sim/sensitivity"
	"github.com/parley-sim/parley/sim/sweep"
)

func ishigami(x []float64) float64 {
	const a, b = 7, 0.1
	return math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

// TestSobolIshigami: indices of the Ishigami function (a=7, b=0.1) on
// [-π, π]³ from the sweep's own Saltelli design match the analytic values.
func TestSobolIshigami(t *testing.T) {
	var dims []sweep.Dim
	for i := 0; i < 3; i++ {
		dims = append(dims, sweep.Dim{Key: "x", Kind: "float", Lo: -math.Pi, Hi: math.Pi})
	}
	dims[1].Key, dims[2].Key = "y", "z"
	pts, err := sweep.Design{Kind: "sobol", Samples: 1 << 13, Dims: dims}.Points()
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(pts))
	for i, p := range pts {
		y[i] = ishigami(p)
	}
	idx, err := sensitivity.Sobol(y, 3, 100, 0.95, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ s1, st float64 }{{0.3139, 0.5576}, {0.4424, 0.4424}, {0, 0.2437}}
	for i, w := range want {
		got := idx[i]
		if math.Abs(got.S1-w.s1) > 0.02 || math.Abs(got.ST-w.st) > 0.02 {
			t.Errorf("x%d: S1 %.4f ST %.4f, want %.4f %.4f", i+1, got.S1, got.ST, w.s1, w.st)
		}
		if !(got.S1Lo <= got.S1 && got.S1 <= got.S1Hi && got.STLo <= got.ST && got.ST <= got.STHi) {
			t.Errorf("x%d: intervals [%v, %v] [%v, %v] do not hold the estimates", i+1, got.S1Lo, got.S1Hi, got.STLo, got.STHi)
		}
		if got.S1Hi-got.S1Lo > 0.1 || got.S1Hi-got.S1Lo <= 0 {
			t.Errorf("x%d: S1 interval width %v", i+1, got.S1Hi-got.S1Lo)
		}
	}
	if _, err := sensitivity.Sobol(y[:7], 3, 0, 0.95, 1); err == nil {
		t.Error("a ragged design was accepted")
	}
}

// TestMorrisLinear: on y = 2a − 0.5b + 0c the elementary effects per whole
// range are exact: μ* = |coefficient| × range, σ = 0.
func TestMorrisLinear(t *testing.T) {
	dims := []sweep.Dim{{Key: "a", Kind: "float", Lo: 0, Hi: 1}, {Key: "b", Kind: "float", Lo: 10, Hi: 30}, {Key: "c", Kind: "float", Lo: -1, Hi: 1}}
	pts, err := sweep.Design{Kind: "morris", Samples: 10, Dims: dims, Seed: 5}.Points()
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(pts))
	for i, p := range pts {
		y[i] = 2*p[0] - 0.5*p[1] + 0*p[2]
	}
	eff, err := sensitivity.Morris(pts, y, []float64{0, 10, -1}, []float64{1, 30, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, -10, 0}
	for i, e := range eff {
		if e.R != 10 || math.Abs(e.Mu-want[i]) > 1e-9 || math.Abs(e.MuStar-math.Abs(want[i])) > 1e-9 || e.Sigma > 1e-9 {
			t.Errorf("param %d: %+v, want mu %v, sigma 0, r 10", i, e, want[i])
		}
	}
	// A nonlinear term gives spread.
	for i, p := range pts {
		y[i] = p[0] * p[2]
	}
	eff, _ = sensitivity.Morris(pts, y, []float64{0, 10, -1}, []float64{1, 30, 1})
	if !(eff[0].Sigma > 0.1 && eff[2].Sigma > 0.1 && eff[1].MuStar == 0) {
		t.Errorf("interaction: %+v", eff)
	}
}

// TestPrimPlantedBox: points of interest lie in a planted box (with 5%
// label noise); PRIM's chosen box recovers its bounds and leaves the
// irrelevant parameter unrestricted.
func TestPrimPlantedBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 4000
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		x[i] = []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		in := x[i][0] >= 0.2 && x[i][0] <= 0.6 && x[i][1] >= 0.5 && x[i][1] <= 0.9
		if rng.Float64() < 0.05 {
			in = !in
		}
		y[i] = in
	}
	traj, err := sensitivity.Prim(x, y, sensitivity.PrimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(traj); i++ {
		if traj[i].Density < traj[i-1].Density || traj[i].N >= traj[i-1].N {
			t.Fatalf("step %d: density %v after %v, %d points after %d", i, traj[i].Density, traj[i-1].Density, traj[i].N, traj[i-1].N)
		}
	}
	b := traj[sensitivity.ChooseBox(traj, 0.7)]
	want := [][2]float64{{0.2, 0.6}, {0.5, 0.9}, {0, 1}}
	for j, w := range want {
		if math.Abs(b.Lo[j]-w[0]) > 0.05 || math.Abs(b.Hi[j]-w[1]) > 0.05 {
			t.Errorf("dimension %d: box [%.3f, %.3f], want [%v, %v]", j, b.Lo[j], b.Hi[j], w[0], w[1])
		}
	}
	if b.Density < 0.85 || b.Coverage < 0.7 {
		t.Errorf("box density %.3f coverage %.3f", b.Density, b.Coverage)
	}
	if _, err := sensitivity.Prim(x, make([]bool, n), sensitivity.PrimOptions{}); err == nil {
		t.Error("PRIM without points of interest did not fail")
	}
}
