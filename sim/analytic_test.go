package sim_test

import (
	"math"
	"testing"

	"github.com/parley-sim/parley/sim"
)

func meanVar(xs []float64) (float64, float64) {
	var m, v float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, v / float64(len(xs)-1)
}

// TestClockIsPoisson: the integrated-hazard clock counts a Poisson process:
// over T days at rate λ the count has mean and variance λT. Checked for a
// small rate (one exponential per event) and a large one (the constant-time
// PTRS path), with 5-standard-error tolerances.
func TestClockIsPoisson(t *testing.T) {
	for _, tc := range []struct{ rate, days float64 }{{0.7, 30}, {0.05, 365}, {40, 10}} {
		const n = 20000
		var s sim.Stream
		s.Seed(1, 2, 3)
		xs := make([]float64, n)
		for i := range xs {
			var c sim.Clock
			c.Arm(&s)
			for d := 0.0; d < tc.days; d++ {
				xs[i] += float64(c.Count(&s, tc.rate, 1))
			}
		}
		mu := tc.rate * tc.days
		m, v := meanVar(xs)
		if se := math.Sqrt(mu / n); math.Abs(m-mu) > 5*se {
			t.Errorf("rate %g over %g days: mean %.3f, want %.3f ± %.3f", tc.rate, tc.days, m, mu, 5*se)
		}
		if se := mu * math.Sqrt(2.0/n); math.Abs(v-mu) > 5*se+0.01 {
			t.Errorf("rate %g over %g days: variance %.3f, want %.3f ± %.3f", tc.rate, tc.days, v, mu, 5*se)
		}
	}
}

func TestStreamDistributions(t *testing.T) {
	const n = 40000
	var s sim.Stream
	s.Seed(9, 9, 9)
	for _, lam := range []float64{0.3, 4, 25, 400} {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(s.Poisson(lam))
		}
		m, v := meanVar(xs)
		if math.Abs(m-lam) > 5*math.Sqrt(lam/n) || math.Abs(v-lam) > 5*lam*math.Sqrt(2.0/n)+0.01 {
			t.Errorf("Poisson(%g): mean %.3f variance %.3f", lam, m, v)
		}
	}
	for _, k := range []float64{0.25, 1, 4, 25} {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = s.Gamma(k)
		}
		m, v := meanVar(xs)
		// Gamma(k,1): mean k, variance k; the sample variance's standard
		// error is sqrt((μ4 - σ^4)/n) with μ4 = 3k^2 + 6k.
		if math.Abs(m-k) > 5*math.Sqrt(k/n) || math.Abs(v-k) > 5*math.Sqrt((3*k*k+6*k-k*k)/n) {
			t.Errorf("Gamma(%g): mean %.4f variance %.4f", k, m, v)
		}
	}
}

// TestAttackTempoIsNegativeBinomial: with a monthly tempo drawn from a gamma
// with mean 1 and coefficient of variation c, a group attacking at rate b
// has 30-day counts with mean μ = 30b and variance μ + μ²c² (a negative
// binomial, Gamma–Poisson mixture). This is the overdispersion the PICSS
// monthly counts show.
func TestAttackTempoIsNegativeBinomial(t *testing.T) {
	s := unit(t)
	noAttacks(s)
	s.Attacks.Background = 1
	s.Attacks.Overdispersion = 0.5
	m, err := sim.New(s)
	if err != nil {
		t.Fatal(err)
	}
	var xs []float64
	runs := 3000
	if testing.Short() {
		runs = 1000
	}
	for run := 0; run < runs; run++ {
		r := m.Run(s.Seed, run)
		for b := 0; b+30 <= len(r.Attacks); b += 30 {
			sum := 0.0
			for _, a := range r.Attacks[b : b+30] {
				sum += a
			}
			xs = append(xs, sum)
		}
	}
	mu := 30.0
	want := mu + mu*mu*0.25
	mean, v := meanVar(xs)
	if math.Abs(mean-mu) > 5*math.Sqrt(want/float64(len(xs))) {
		t.Errorf("30-day mean %.2f, want %.2f", mean, mu)
	}
	if math.Abs(v-want)/want > 0.08 {
		t.Errorf("30-day variance %.1f, want μ+μ²c² = %.1f (Poisson alone would give %.0f)", v, want, mu)
	}
}

// TestCeasefireHalvesViolence: stylised fact 2 of the history — a
// ceasefire lowers the umbrella's violence by compliance × loyalty, and
// does not stop it. Analytic: the member attack rate in a ceasefire is
// (1 - compliance·loyalty) times its rate in conflict.
func TestCeasefireHalvesViolence(t *testing.T) {
	count := func(cf bool) float64 {
		s := unit(t)
		s.Insurgent.Compliance = 0.5
		if cf {
			ceasefireAtStart(0)(s)
		}
		m, _ := sim.New(s)
		tot := 0.0
		for run := 0; run < 300; run++ {
			r := m.Run(s.Seed, run)
			for _, a := range r.AttacksInsurgent {
				tot += a
			}
		}
		return tot
	}
	open, calm := count(false), count(true)
	ratio := calm / open
	// Expected ratio 0.5 (loyalty 1). Counts ~ 300 runs × 365 d × 0.75/d ≈ 82,000.
	if math.Abs(ratio-0.5) > 0.02 {
		t.Errorf("ceasefire/conflict attack ratio %.3f, want 0.5", ratio)
	}
}
