package calib

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// sbc runs simulation-based calibration (Talts, Betancourt, Simpson,
// Vehtari & Gelman 2018): reps times, draw θ* from the prior, simulate 12
// monthly counts from it, fit them with ABC-SMC on their Poisson
// negative log-likelihood, and rank θ* among l draws from the posterior.
// It returns, per parameter, the rank histogram (l+1 bins) and the
// chi-square p-value of uniformity.
func sbc(t *testing.T, free []Free, reps, l int, opt SMCOptions) (hist [][]int, p []float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(2018, 9))
	hist = make([][]int, len(free))
	for i := range hist {
		hist[i] = make([]int, l+1)
	}
	for r := 0; r < reps; r++ {
		truth := make([]float64, len(free))
		for i, f := range free {
			truth[i] = f.Quantile(rng.Float64())
		}
		ys := simulateCounts(rng, truth, 12)
		o := opt
		o.Seed = uint64(r)
		res, err := ABCSMC(context.Background(), free, poissonNLL(ys), o)
		if err != nil {
			t.Fatal(err)
		}
		post := res.Posterior(free)
		rank := make([]int, len(free))
		for k := 0; k < l; k++ {
			d := post.Draw(rng.Float64())
			for i := range free {
				if d[i] < truth[i] {
					rank[i]++
				}
			}
		}
		for i := range free {
			hist[i][rank[i]]++
		}
	}
	for i := range free {
		chi2 := 0.0
		e := float64(reps) / float64(l+1)
		for _, c := range hist[i] {
			chi2 += (float64(c) - e) * (float64(c) - e) / e
		}
		p = append(p, 1-distuv.ChiSquared{K: float64(l)}.CDF(chi2))
	}
	return hist, p
}

// TestSBC: ABC-SMC with the default (soft) acceptance is calibrated: over
// 100 fits of data simulated from known parameters, the rank of the truth
// among 19 posterior draws is uniform (chi-square p > 0.01) for each
// parameter of a two-parameter Poisson trend model. The hard rule
// (accept only when loss ≤ ε) is run beside it and its p-values logged:
// it shrinks to the best point as ε falls, so its ranks pile up at the
// ends (MODEL.md §4.3).
func TestSBC(t *testing.T) {
	if testing.Short() {
		t.Skip("200 fits: about 15 s")
	}
	free := []Free{{Key: "log_level", Lo: 1, Hi: 4}, {Key: "trend", Lo: -1.5, Hi: 1.5}}
	const reps, l = 100, 19
	for _, c := range []struct {
		rule   string
		assert bool
	}{{AcceptSoft, true}, {AcceptHard, false}} {
		hist, p := sbc(t, free, reps, l, SMCOptions{Particles: 200, Budget: 20000, Acceptance: c.rule})
		for i, f := range free {
			msg := fmt.Sprintf("%s acceptance, %s: rank histogram %v, chi-square p = %.3g", c.rule, f.Key, hist[i], p[i])
			t.Log(msg)
			if c.assert && !(p[i] > 0.01) {
				t.Error(msg + ": ranks not uniform")
			}
		}
	}
}
