package score

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Skill is the skill score of a model against a baseline from their mean
// (negatively oriented) scores: 1 − model/base. It is 1 for a perfect model, 0
// for one no better than the baseline and negative for a worse one; NaN if
// base is 0.
func Skill(model, base float64) float64 {
	if base == 0 {
		return math.NaN()
	}
	return 1 - model/base
}

// BootstrapSkill is the skill of a model against a baseline over forecast
// origins, with a bootstrap percentile interval. model[i] and base[i] are the
// mean scores of the two at origin i (origins are the resampled groups,
// because forecasts from one origin share its errors). The point skill is
// 1 − Σmodel/Σbase; each of reps resamples draws len(model) origins with
// replacement from rng and computes the same ratio, and lo, hi are the
// (1 ∓ level)/2 quantiles of those (linear interpolation between order
// statistics, R's type 7). Resamples whose baseline sum is 0 are dropped.
//
// The result depends only on the inputs and the state of rng. It panics if
// model and base differ in length; with no origins everything is NaN, and
// with reps < 1 the interval is NaN.
func BootstrapSkill(model, base []float64, reps int, level float64, rng *rand.Rand) (skill, lo, hi float64) {
	if len(model) != len(base) {
		panic("score: BootstrapSkill: model and base differ in length")
	}
	n := len(model)
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	var sm, sb float64
	for i := range model {
		sm += model[i]
		sb += base[i]
	}
	skill = Skill(sm, sb)
	if reps < 1 {
		return skill, math.NaN(), math.NaN()
	}
	boot := make([]float64, 0, reps)
	for range reps {
		var rm, rb float64
		for range n {
			j := rng.IntN(n)
			rm += model[j]
			rb += base[j]
		}
		if s := Skill(rm, rb); !math.IsNaN(s) {
			boot = append(boot, s)
		}
	}
	if len(boot) == 0 {
		return skill, math.NaN(), math.NaN()
	}
	slices.Sort(boot)
	level = clamp01(level)
	return skill, quantile7(boot, (1-level)/2), quantile7(boot, (1+level)/2)
}

// quantile7 is the p-quantile of sorted by linear interpolation between order
// statistics (Hyndman & Fan type 7, R's default).
func quantile7(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}
