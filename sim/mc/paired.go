package mc

import (
	"math"
)

// PairedStat accumulates paired differences variant − base of one outcome
// over runs that share their random streams (common random numbers), in a
// streaming way: memory does not grow with the number of runs. It also
// keeps the unpaired variances, to show how much pairing sharpens the
// comparison.
type PairedStat struct {
	Name string
	// HigherIsBetter says which direction counts as "the variant did
	// better" (e.g. true for ceasefire duration, false for attacks).
	HigherIsBetter bool

	n                   int
	meanB, meanV, meanD float64 // running means
	m2B, m2V, m2D       float64 // running sums of squared deviations (Welford)
	scale               float64 // largest |base|, |variant| or |difference| seen
	better, worse       int
}

// RoundOff is the relative size below which Summary takes a mean
// difference (or its variance) for zero: the running means leave
// round-off of about 1e-16 of the values' scale (e.g. -1.7e-18 for a
// difference whose pairs cancel exactly), and no real effect is 1e-9 of
// the outcome's scale.
const RoundOff = 1e-9

// Add records one run's outcome under the base and the variant. NaN (the
// outcome does not exist in that run, e.g. no ceasefire) skips the run.
func (p *PairedStat) Add(base, variant float64) {
	if math.IsNaN(base) || math.IsNaN(variant) {
		return
	}
	p.n++
	n := float64(p.n)
	welford := func(mean, m2 *float64, x float64) {
		d := x - *mean
		*mean += d / n
		*m2 += d * (x - *mean)
	}
	welford(&p.meanB, &p.m2B, base)
	welford(&p.meanV, &p.m2V, variant)
	welford(&p.meanD, &p.m2D, variant-base)
	p.scale = max(p.scale, math.Abs(base), math.Abs(variant), math.Abs(variant-base))
	switch d := variant - base; {
	case d > 0 && p.HigherIsBetter, d < 0 && !p.HigherIsBetter:
		p.better++
	case d != 0:
		p.worse++
	}
}

// PairedSummary is the result of a PairedStat.
type PairedSummary struct {
	Name string
	// HigherIsBetter is the direction Better and Worse count (from the
	// PairedStat).
	HigherIsBetter      bool
	N                   int     // runs in which the outcome exists under both
	Base, Variant       float64 // means
	Diff                float64 // mean paired difference, variant − base
	SE                  float64 // its standard error
	Lo, Hi              float64 // 95% confidence interval of Diff (normal)
	Better, Worse, Same float64 // shares of runs in which the variant did better, worse, the same
	VarPaired           float64 // variance of the paired differences
	VarUnpaired         float64 // Var(base) + Var(variant): what independent runs would give
}

// NoChange reports whether every pair gave the same value under base and
// variant (and there was at least one pair).
func (s PairedSummary) NoChange() bool { return s.N > 0 && s.Better == 0 && s.Worse == 0 }

// Summary returns the statistics so far. A mean difference or variance
// within RoundOff of the outcome's scale is reported as exactly 0.
func (p *PairedStat) Summary() PairedSummary {
	s := PairedSummary{Name: p.Name, HigherIsBetter: p.HigherIsBetter, N: p.n, Base: p.meanB, Variant: p.meanV, Diff: p.meanD,
		SE: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), VarPaired: math.NaN(), VarUnpaired: math.NaN()}
	if p.n == 0 {
		s.Base, s.Variant, s.Diff = math.NaN(), math.NaN(), math.NaN()
		return s
	}
	n := float64(p.n)
	s.Better, s.Worse = float64(p.better)/n, float64(p.worse)/n
	s.Same = float64(p.n-p.better-p.worse) / n
	tol := RoundOff * p.scale
	if math.Abs(s.Diff) < tol || (p.better == 0 && p.worse == 0) {
		s.Diff = 0
	}
	if p.n > 1 {
		s.VarPaired = p.m2D / (n - 1)
		if s.VarPaired < tol*tol || (p.better == 0 && p.worse == 0) {
			s.VarPaired = 0
		}
		s.VarUnpaired = (p.m2B + p.m2V) / (n - 1)
		s.SE = math.Sqrt(s.VarPaired / n)
		s.Lo, s.Hi = s.Diff-1.96*s.SE, s.Diff+1.96*s.SE
	}
	return s
}
