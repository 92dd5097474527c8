package score

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestHistogram(t *testing.T) {
	u := []float64{0, 0.1, 0.099, 0.5, 1, -0.2, 1.3, math.NaN(), 0.95}
	want := []int{3, 1, 0, 0, 0, 1, 0, 0, 0, 3}
	if got := Histogram(u, 10); !slices.Equal(got, want) {
		t.Errorf("Histogram = %v, want %v (1 and above in the last bin, below 0 in the first, NaN skipped)", got, want)
	}
	if got := Histogram(u, 0); got != nil {
		t.Errorf("0 bins: %v, want nil", got)
	}
}

func TestChiSquareUniform(t *testing.T) {
	even := make([]float64, 100)
	for i := range even {
		even[i] = (float64(i) + 0.5) / 100
	}
	lopsided := make([]float64, 40) // 30 below ½, 10 above
	for i := range lopsided {
		lopsided[i] = 0.1
		if i >= 30 {
			lopsided[i] = 0.9
		}
	}
	for _, c := range []struct {
		name          string
		u             []float64
		bins          int
		stat, p       float64
		why           string
		nan           bool
		pTol, statTol float64
	}{
		{"perfectly even", even, 10, 0, 1, "every bin at its expectation", false, 1e-12, 1e-12},
		// Two bins, 20 expected in each: (30−20)²/20 + (10−20)²/20 = 10,
		// and with one degree of freedom P(χ² > x) = erfc(√(x/2)).
		{"two bins", lopsided, 2, 10, math.Erfc(math.Sqrt(5)), "erfc(√5)", false, 1e-12, 1e-12},
		{"one bin", even, 1, 0, 0, "", true, 0, 0},
		{"no values", []float64{math.NaN()}, 10, 0, 0, "", true, 0, 0},
	} {
		stat, p := ChiSquareUniform(c.u, c.bins)
		if c.nan {
			if !math.IsNaN(stat) || !math.IsNaN(p) {
				t.Errorf("%s: (%v, %v), want NaN", c.name, stat, p)
			}
			continue
		}
		if math.Abs(stat-c.stat) > c.statTol || math.Abs(p-c.p) > c.pTol {
			t.Errorf("%s: (%v, %v), want (%v, %v): %s", c.name, stat, p, c.stat, c.p, c.why)
		}
	}
}

// TestPITCalibration draws counts from a known distribution with gonum's
// samplers and computes their randomised PIT under a forecast. Under the true
// distribution the PIT values are uniform and the χ² test on 10 bins keeps
// calibration (p > 0.01; with this fixed seed, so the outcome does not vary
// between runs); a forecast with the wrong mean or the wrong dispersion is
// rejected (p < 0.01).
func TestPITCalibration(t *testing.T) {
	const n = 3000
	poisson7 := func(rng *rand.Rand) int { return int(distuv.Poisson{Lambda: 7, Src: rng}.Rand()) }
	nb20 := func(rng *rand.Rand) int { return nbDraw(20, 3, rng) }
	for _, c := range []struct {
		name       string
		draw       func(*rand.Rand) int
		forecast   Counts
		calibrated bool
	}{
		{"Poisson(7) by Poisson(7)", poisson7, Poisson(7), true},
		{"NB(20, 3) by NB(20, 3)", nb20, NegBinomial(20, 3), true},
		{"Poisson(7) by Poisson(9): mean too high", poisson7, Poisson(9), false},
		{"NB(20, 3) by NB(26, 3): mean too high", nb20, NegBinomial(26, 3), false},
		{"NB(20, 3) by NB(14, 3): mean too low", nb20, NegBinomial(14, 3), false},
		{"NB(20, 3) by Poisson(20): too sharp", nb20, Poisson(20), false},
	} {
		rng := rand.New(rand.NewPCG(2026, 11))
		u := make([]float64, n)
		for i := range u {
			u[i] = c.forecast.PIT(c.draw(rng), rng.Float64())
		}
		stat, p := ChiSquareUniform(u, 10)
		t.Logf("%s: χ² = %.1f, p = %.3g", c.name, stat, p)
		if c.calibrated && p <= 0.01 {
			t.Errorf("%s: calibrated forecast rejected, χ² = %.1f, p = %.3g", c.name, stat, p)
		}
		if !c.calibrated && p >= 0.01 {
			t.Errorf("%s: miscalibrated forecast kept, χ² = %.1f, p = %.3g", c.name, stat, p)
		}
	}
}
