package score

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func same(a, b Counts) bool {
	return slices.Equal(a.pmf, b.pmf) && slices.Equal(a.cdf, b.cdf)
}

func TestPersistence(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		hist []float64
		want Counts
	}{
		{"last value", []float64{9, 3, 5}, Poisson(5)},
		{"skips trailing missing months", []float64{9, 3, nan, nan}, Poisson(3)},
		{"zero", []float64{4, 0}, Poisson(0)},
		{"nothing observed", []float64{nan}, Counts{}},
		{"empty", nil, Counts{}},
	} {
		if got := Persistence(c.hist); !same(got, c.want) {
			t.Errorf("%s: got pmf %v", c.name, got.pmf)
		}
	}
}

func TestFitNegBinomialClosedForms(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name       string
		xs         []float64
		mean, size float64
	}{
		// m = 2, v = ((0−2)² + (4−2)²)/1 = 8, size = m²/(v − m) = 4/6.
		{"two values", []float64{0, 4}, 2, 4.0 / 6},
		{"NaNs skipped", []float64{nan, 0, nan, 4}, 2, 4.0 / 6},
		{"constant: not overdispersed", []float64{3, 3, 3}, 3, math.Inf(1)},
		{"underdispersed", []float64{4, 5, 4, 5}, 4.5, math.Inf(1)},
		{"one value", []float64{7}, 7, math.Inf(1)},
		{"all zero", []float64{0, 0}, 0, math.Inf(1)},
	} {
		m, size := FitNegBinomial(c.xs)
		if math.Abs(m-c.mean) > 1e-12 || !(size == c.size || math.Abs(size-c.size) < 1e-12) {
			t.Errorf("%s: (%v, %v), want (%v, %v)", c.name, m, size, c.mean, c.size)
		}
	}
	if m, size := FitNegBinomial([]float64{nan}); !math.IsNaN(m) || !math.IsNaN(size) {
		t.Errorf("no values: (%v, %v), want NaN", m, size)
	}
}

// TestFitNegBinomialRecovers fits simulated NB data (gamma–Poisson draws from
// gonum). With n = 50,000 the sample mean's relative standard error is below
// 0.5% and the fitted size's about 1–2% (it rests on the sample variance,
// whose relative error is √((κ + 2)/n) with excess kurtosis κ ≈ 6/r); the
// tolerances, 2% and 10%, are about five of those.
func TestFitNegBinomialRecovers(t *testing.T) {
	const n = 50_000
	rng := rand.New(rand.NewPCG(3, 5))
	for _, c := range []struct{ mean, size float64 }{{20, 3}, {3, 0.8}, {50, 10}} {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(nbDraw(c.mean, c.size, rng))
		}
		m, size := FitNegBinomial(xs)
		t.Logf("NB(%v, %v): fitted (%.3f, %.3f)", c.mean, c.size, m, size)
		if math.Abs(m/c.mean-1) > 0.02 || math.Abs(size/c.size-1) > 0.10 {
			t.Errorf("NB(%v, %v): fitted (%.3f, %.3f)", c.mean, c.size, m, size)
		}
	}
}

func TestClimatology(t *testing.T) {
	nan := math.NaN()
	// The window is the last 6 calendar months; the early burst is outside.
	hist := []float64{500, 800, 0, 1, 9, nan, 0, 14}
	m, size := FitNegBinomial([]float64{0, 1, 9, 0, 14})
	if got, want := Climatology(hist, 6), NegBinomial(m, size); !same(got, want) {
		t.Errorf("window of 6: got mean %v, want NB(%v, %v)", got.Mean(), m, size)
	}
	if math.IsInf(size, 1) {
		t.Fatal("test data should be overdispersed")
	}
	// A steady window is not overdispersed: Poisson at its mean.
	if got := Climatology([]float64{100, 4, 5, 4, 5}, 4); !same(got, Poisson(4.5)) {
		t.Errorf("steady window: got pmf %v, want Poisson(4.5)", got.pmf)
	}
	// months <= 0 or longer than the series: the whole series.
	for _, months := range []int{0, -1, 99} {
		if got := Climatology([]float64{4, 5, 4, 5}, months); !same(got, Poisson(4.5)) {
			t.Errorf("months %d: not the whole series", months)
		}
	}
	if got := Climatology([]float64{3, nan, nan}, 2); got.Len() != 0 {
		t.Errorf("empty window: Len %d, want 0", got.Len())
	}
}

func TestBoot(t *testing.T) {
	nan := math.NaN()
	hist := []float64{50, 2, nan, 3, 3}
	if got, want := Boot(hist, 4), FromSamples([]float64{2, 3, 3}); !same(got, want) {
		t.Errorf("Boot = %v, want %v", got.pmf, want.pmf)
	}
	if got := Boot(hist, 0); got.Len() != 51 || got.PMF(50) != 0.25 {
		t.Errorf("whole series: Len %d, PMF(50) %v", got.Len(), got.PMF(50))
	}
}
