package score_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-sim/parley/sim/score"
)

// Score a Poisson forecast of a month's attacks with mean 4 when 7 attacks
// are observed, next to the point forecast of 4, whose CRPS is its absolute
// error, 3: the spread forecast is penalised less for the miss.
func ExampleCounts_CRPS() {
	f := score.Poisson(4)
	point := score.FromSamples([]float64{4})
	lo, hi := f.Interval(0.9)
	fmt.Printf("Poisson(4): CRPS %.3f, 90%% interval [%d, %d], log score %.2f\n", f.CRPS(7), lo, hi, f.LogScore(7))
	fmt.Printf("point at 4: CRPS %.3f\n", point.CRPS(7))
	// Output:
	// Poisson(4): CRPS 2.059, 90% interval [1, 8], log score 2.82
	// point at 4: CRPS 3.000
}

// Compare a model with the persistence baseline over forecast origins: the
// per-origin mean CRPS of each, pooled into one skill with a 90% bootstrap
// interval over origins. The model is better at most origins but not all,
// and the interval says how sure that is.
func ExampleBootstrapSkill() {
	model := []float64{2.1, 3.0, 1.2, 4.4, 0.9, 2.6, 3.3, 1.8, 2.2, 5.0}
	base := []float64{2.9, 3.4, 1.1, 6.0, 1.5, 2.5, 4.1, 2.6, 2.4, 6.2}
	rng := rand.New(rand.NewPCG(1, 2))
	skill, lo, hi := score.BootstrapSkill(model, base, 2000, 0.9, rng)
	fmt.Printf("skill %.2f, 90%% interval [%.2f, %.2f]\n", skill, lo, hi)
	// Output:
	// skill 0.19, 90% interval [0.13, 0.24]
}

// Build the three no-change baselines from a monthly series (oldest first,
// NaN for a month without data) and score them on the next month.
func ExamplePersistence() {
	nan := math.NaN()
	hist := []float64{3, 0, 12, 5, nan, 2, 9, 4, 0, 7, 15, 6}
	next := 10
	for _, b := range []struct {
		name string
		f    score.Counts
	}{
		{"persistence", score.Persistence(hist)},
		{"climatology", score.Climatology(hist, 12)},
		{"boot", score.Boot(hist, 12)},
	} {
		fmt.Printf("%-12s mean %4.1f  CRPS %.2f  covered by 90%%: %v\n", b.name, b.f.Mean(), b.f.CRPS(next), b.f.Covered(next, 0.9))
	}
	// Output:
	// persistence  mean  6.0  CRPS 2.79  covered by 90%: true
	// climatology  mean  5.7  CRPS 3.12  covered by 90%: true
	// boot         mean  5.7  CRPS 3.00  covered by 90%: true
}
