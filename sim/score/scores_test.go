package score

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestCRPSNormalAgainstSamples compares the closed form with the sample
// formula on n = 200,000 draws. The sample CRPS is a V statistic whose
// standard error is sd(ψ(X))/√n, with ψ(x) = |x − y| − E|x − X′| its
// influence function; for |y − μ| ≤ 2σ, sd(ψ) ≤ 1.03σ (0.23σ at y = μ, 1.02σ
// at 2σ, by a separate simulation), so the standard error is below 0.0023σ
// and the tolerance 5σ/√n is about five of them. The V statistic's bias, from
// the i = j pairs, is E|X − X′|/(2n) ≈ 3e-6σ, negligible.
func TestCRPSNormalAgainstSamples(t *testing.T) {
	const n = 200_000
	rng := rand.New(rand.NewPCG(7, 11))
	for _, c := range []struct{ mu, sigma, y float64 }{
		{0, 1, 0}, {0, 1, 1.5}, {10, 3, 4}, {-2, 0.5, -2.7},
	} {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = c.mu + c.sigma*rng.NormFloat64()
		}
		slices.Sort(xs)
		got, want := CRPSSamples(xs, c.y), CRPSNormal(c.mu, c.sigma, c.y)
		if tol := 5 * c.sigma / math.Sqrt(n); math.Abs(got-want) > tol {
			t.Errorf("N(%v, %v²) y=%v: samples %v, closed form %v (tol %v)", c.mu, c.sigma, c.y, got, want, tol)
		}
	}
}

// TestCRPSNormalAgainstIntegral integrates (Φ((x−μ)/σ) − 1{y ≤ x})² with
// composite Simpson on either side of the jump at y, over μ ± 14σ where the
// integrand is below 1e-40.
func TestCRPSNormalAgainstIntegral(t *testing.T) {
	simpson := func(f func(float64) float64, a, b float64, n int) float64 {
		h := (b - a) / float64(n)
		s := f(a) + f(b)
		for i := 1; i < n; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			s += w * f(a+float64(i)*h)
		}
		return s * h / 3
	}
	for _, c := range []struct{ mu, sigma, y float64 }{
		{0, 1, 0}, {0, 1, 2.2}, {5, 2, -1}, {1, 0.1, 1.05}, {0, 4, 30},
	} {
		ref := distuv.Normal{Mu: c.mu, Sigma: c.sigma}
		a := math.Min(c.mu-14*c.sigma, c.y)
		b := math.Max(c.mu+14*c.sigma, c.y)
		below := simpson(func(x float64) float64 { f := ref.CDF(x); return f * f }, a, c.y, 20000)
		above := simpson(func(x float64) float64 { f := 1 - ref.CDF(x); return f * f }, c.y, b, 20000)
		if got, want := CRPSNormal(c.mu, c.sigma, c.y), below+above; math.Abs(got-want) > 1e-8 {
			t.Errorf("N(%v, %v²) y=%v: closed form %v, integral %v", c.mu, c.sigma, c.y, got, want)
		}
	}
}

func TestCRPSNormalDegenerate(t *testing.T) {
	if got := CRPSNormal(3, 0, 1); got != 2 {
		t.Errorf("sigma 0: %v, want the absolute error 2", got)
	}
	if got := CRPSNormal(3, -1, 1); !math.IsNaN(got) {
		t.Errorf("negative sigma: %v, want NaN", got)
	}
	// At y = μ the closed form is σ(2φ(0) − 1/√π) = σ(√2 − 1)/√π.
	if got, want := CRPSNormal(0, 2, 0), 2*(math.Sqrt2-1)/math.Sqrt(math.Pi); math.Abs(got-want) > 1e-15 {
		t.Errorf("CRPSNormal(0, 2, 0) = %v, want %v", got, want)
	}
}

func TestPinball(t *testing.T) {
	for _, c := range []struct{ q, y, tau, want float64 }{
		{5, 3, 0.9, 0.1 * 2}, // over-forecast: (1 − τ)(q − y)
		{5, 8, 0.9, 0.9 * 3}, // under-forecast: τ(y − q)
		{5, 5, 0.3, 0},       // exact
		{5, 3, 0.5, 1},       // τ = ½: half the absolute error
		{5, 8, 0.5, 1.5},
		{2, 9, 0, 0}, // τ = 0 never penalises a low quantile
		{9, 2, 1, 0}, // τ = 1 never penalises a high one
	} {
		if got := Pinball(c.q, c.y, c.tau); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Pinball(%v, %v, %v) = %v, want %v", c.q, c.y, c.tau, got, c.want)
		}
	}
}

func TestIntervalScore(t *testing.T) {
	for _, c := range []struct{ lo, hi, y, alpha, want float64 }{
		{2, 5, 3, 0.1, 3},          // covered: the width
		{2, 5, 2, 0.1, 3},          // on the edge counts as covered
		{2, 5, 1, 0.1, 3 + 20*1},   // below by 1, 2/α = 20
		{2, 5, 8, 0.1, 3 + 20*3},   // above by 3
		{2, 5, 8, 0.5, 3 + 4*3},    // a 50% interval penalises less
		{4, 4, 4, 0.2, 0},          // a point that hits
		{4, 4, 1.5, 0.2, 10 * 2.5}, // a point that misses
	} {
		if got := IntervalScore(c.lo, c.hi, c.y, c.alpha); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("IntervalScore(%v, %v, %v, %v) = %v, want %v", c.lo, c.hi, c.y, c.alpha, got, c.want)
		}
	}
}

func TestLogScoreFloor(t *testing.T) {
	for _, c := range []struct{ p, want float64 }{
		{1, 0},
		{0.5, math.Ln2},
		{Floor, -math.Log(Floor)},
		{Floor / 10, -math.Log(Floor)}, // floored
		{0, -math.Log(Floor)},
		{-0.2, -math.Log(Floor)},
	} {
		if got := LogScore(c.p); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("LogScore(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := -math.Log(Floor); math.Abs(got-13.815510557964274) > 1e-12 {
		t.Errorf("cap %v, want 6 ln 10", got)
	}
	if !math.IsNaN(LogScore(math.NaN())) {
		t.Error("LogScore(NaN) is not NaN")
	}
}

func TestCategorical(t *testing.T) {
	c := Categorical{Labels: []string{"ceasefire", "fighting", "talks"}, P: []float64{0.5, 0.3, 0.2}}
	for _, tc := range []struct {
		label      string
		prob, log  float64
		brier      float64
		brierWhy   string
		missingLab bool
	}{
		{"ceasefire", 0.5, math.Ln2, 0.25 + 0.09 + 0.04, "(1−.5)² + .3² + .2²", false},
		{"fighting", 0.3, -math.Log(0.3), 0.25 + 0.49 + 0.04, ".5² + (1−.3)² + .2²", false},
		{"split", 0, -math.Log(Floor), 0.25 + 0.09 + 0.04 + 1, "Σp² + 1 for the unlisted outcome", true},
	} {
		if got := c.Prob(tc.label); got != tc.prob {
			t.Errorf("Prob(%q) = %v, want %v", tc.label, got, tc.prob)
		}
		if got := c.LogScore(tc.label); math.Abs(got-tc.log) > 1e-15 {
			t.Errorf("LogScore(%q) = %v, want %v", tc.label, got, tc.log)
		}
		if got := c.Brier(tc.label); math.Abs(got-tc.brier) > 1e-15 {
			t.Errorf("Brier(%q) = %v, want %v = %s", tc.label, got, tc.brier, tc.brierWhy)
		}
	}
	sure := Categorical{Labels: []string{"a", "b"}, P: []float64{1, 0}}
	if sure.Brier("a") != 0 || sure.Brier("b") != 2 {
		t.Errorf("certain forecast: Brier %v right and %v wrong, want 0 and 2", sure.Brier("a"), sure.Brier("b"))
	}
}
