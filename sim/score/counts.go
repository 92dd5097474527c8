package score

import (
	"fmt"
	"math"
)

// MaxCount is the largest count a [Counts] can hold. It bounds memory (two
// float64 slices of MaxCount+1 entries, 32 MiB) far above any monthly count
// of attacks: [FromSamples] panics on a larger sample, and [Poisson] and
// [NegBinomial] cut their support there.
const MaxCount = 1<<21 - 1

// tailEps is where the closed-form count distributions are cut: the support
// stops at the first k (at or above the mean) for which a bound on the upper
// tail P(X > k) is below tailEps, and the kept mass is renormalised.
const tailEps = 1e-12

// Counts is a forecast distribution over the non-negative integers
// 0, 1, …, Len()−1, held as a probability mass function and its cumulative
// distribution. It is used for monthly attack counts.
//
// The last point of the support always has positive mass and CDF(Len()−1) is
// exactly 1. The zero value is the empty distribution (Len() == 0): it has no
// mass, its Mean and scores are NaN and its quantiles are −1. A Counts is
// immutable once built and safe for concurrent use; its methods do not
// allocate.
type Counts struct {
	pmf, cdf []float64
}

// newCounts takes ownership of w (non-negative finite weights), trims
// trailing zeros, normalises and builds the cumulative distribution.
func newCounts(w []float64) Counts {
	n := len(w)
	for n > 0 && w[n-1] == 0 {
		n--
	}
	if n == 0 {
		return Counts{}
	}
	w = w[:n]
	var total float64
	for _, x := range w {
		total += x
	}
	cdf := make([]float64, n)
	var acc float64
	for i := range w {
		w[i] /= total
		acc += w[i]
		cdf[i] = math.Min(acc, 1)
	}
	cdf[n-1] = 1
	return Counts{pmf: w, cdf: cdf}
}

// FromSamples is the empirical distribution of Monte Carlo samples of a
// count. Each sample is rounded to the nearest integer (halves away from
// zero) and negative samples count as 0. NaN and infinite samples are
// ignored; with no finite sample the result is empty. The support runs to the
// largest sample, so memory grows with it: this is meant for counts, not for
// arbitrary reals.
func FromSamples(xs []float64) Counts {
	hi := -1
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		hi = max(hi, sampleIndex(x))
	}
	if hi > MaxCount {
		panic(fmt.Sprintf("score: FromSamples: sample %d is above MaxCount (%d)", hi, MaxCount))
	}
	if hi < 0 {
		return Counts{}
	}
	w := make([]float64, hi+1)
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		w[sampleIndex(x)]++
	}
	return newCounts(w)
}

// sampleIndex is the support point of a finite sample: rounded, clamped at 0.
func sampleIndex(x float64) int {
	switch {
	case x <= 0:
		return 0
	case x > MaxCount+1:
		return MaxCount + 1 // avoid overflowing int; rejected by the caller
	}
	return int(math.Round(x))
}

// FromPMF is the distribution with mass proportional to pmf[k] at k. The
// weights need not sum to 1 (they are normalised) and pmf is copied. All
// zero (or empty) weights give the empty distribution. It panics on a
// negative, NaN or infinite weight, or positive weight above [MaxCount]:
// programming errors.
func FromPMF(pmf []float64) Counts {
	for k, x := range pmf {
		if !(x >= 0) || math.IsInf(x, 1) {
			panic(fmt.Sprintf("score: FromPMF: weight %d is %v, want finite and >= 0", k, x))
		}
		if x > 0 && k > MaxCount {
			panic(fmt.Sprintf("score: FromPMF: weight at %d is above MaxCount (%d)", k, MaxCount))
		}
	}
	return newCounts(append([]float64(nil), pmf...))
}

// Poisson is the Poisson distribution with the given mean, truncated where
// the upper tail falls below 1e-12 and renormalised. A mean <= 0 gives a
// point mass at 0. It panics on a NaN or infinite mean, or one above
// [MaxCount].
func Poisson(mean float64) Counts {
	return NegBinomial(mean, math.Inf(1))
}

// NegBinomial is the negative binomial distribution with the given mean and
// size r (the dispersion, "number of successes"): variance mean + mean²/r, so
// it is the Poisson distribution mixed over a gamma-distributed rate with
// shape r. Small r means strong overdispersion; r = +Inf, r <= 0 and NaN r all
// mean no overdispersion, i.e. [Poisson]. Like Poisson it is truncated where
// the upper tail falls below 1e-12; a mean <= 0 gives a point mass at 0, and a
// NaN or infinite mean or one above [MaxCount] panics. In the rare case of
// extreme overdispersion (size far below 1) the support is also cut at
// MaxCount, even if the tail beyond holds more than 1e-12.
func NegBinomial(mean, size float64) Counts {
	if math.IsNaN(mean) || math.IsInf(mean, 0) || mean > MaxCount {
		panic(fmt.Sprintf("score: count distribution with mean %v, want finite and <= MaxCount", mean))
	}
	if mean <= 0 {
		return Counts{pmf: []float64{1}, cdf: []float64{1}}
	}
	poisson := !(size > 0) || math.IsInf(size, 1)
	// log p(0), then the ratio p(k+1)/p(k) = (k+r)/(k+1) · m/(r+m), written
	// as m/(k+1) · (1 + (k−m)/(r+m)) so that a huge r loses no precision.
	var logp, q float64
	if poisson {
		logp = -mean
		q = 1
	} else {
		logp = -size * math.Log1p(mean/size)
		q = mean / (size + mean)
	}
	w := make([]float64, 0, int(math.Min(mean+10*math.Sqrt(mean+mean*mean/nonzero(size))+10, MaxCount+1)))
	for k := 0; ; k++ {
		p := math.Exp(logp)
		w = append(w, p)
		var ratio float64
		if poisson {
			ratio = mean / float64(k+1)
		} else {
			ratio = mean / float64(k+1) * (1 + (float64(k)-mean)/(size+mean))
		}
		// Every later ratio is at most rho: for r >= 1 the ratios decrease
		// in k, for r < 1 they increase towards q. So the tail beyond k is at
		// most p·rho/(1−rho), a geometric series.
		rho := ratio
		if !poisson && size < 1 {
			rho = q
		}
		if k == MaxCount || float64(k) >= mean && rho < 1 && p*rho/(1-rho) < tailEps {
			break
		}
		logp += math.Log(ratio)
	}
	return newCounts(w)
}

// nonzero returns x, or +Inf for the sizes that mean Poisson; it keeps the
// capacity estimate in NegBinomial finite.
func nonzero(x float64) float64 {
	if !(x > 0) {
		return math.Inf(1)
	}
	return x
}

// Len is the number of support points, 0 … Len()−1.
func (d Counts) Len() int { return len(d.pmf) }

// PMF is the probability of k; 0 outside the support.
func (d Counts) PMF(k int) float64 {
	if k < 0 || k >= len(d.pmf) {
		return 0
	}
	return d.pmf[k]
}

// CDF is P(X <= k): 0 for k < 0 and 1 from the top of the support on.
// For the empty distribution it is 0 everywhere.
func (d Counts) CDF(k int) float64 {
	switch {
	case k < 0 || len(d.cdf) == 0:
		return 0
	case k >= len(d.cdf):
		return 1
	}
	return d.cdf[k]
}

// Mean is the expected count; NaN for the empty distribution.
func (d Counts) Mean() float64 {
	if len(d.pmf) == 0 {
		return math.NaN()
	}
	var m float64
	for k, p := range d.pmf {
		m += float64(k) * p
	}
	return m
}

// Quantile is the smallest k with CDF(k) >= p, for 0 < p <= 1 (larger p
// count as 1). For p <= 0 it is the lowest point with positive mass, the limit
// as p decreases to 0, so that Interval(1) spans exactly the support rather
// than always starting at 0. It is −1 for the empty distribution or NaN p.
func (d Counts) Quantile(p float64) int {
	n := len(d.cdf)
	if n == 0 || math.IsNaN(p) {
		return -1
	}
	if p <= 0 {
		for k, x := range d.pmf {
			if x > 0 {
				return k
			}
		}
		return n - 1 // unreachable: the top point has positive mass
	}
	// Binary search for the first cdf[k] >= p; cdf[n−1] == 1 >= p.
	lo, hi := 0, n-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if d.cdf[mid] >= p {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// Interval is the central interval with probability at least level:
// Quantile((1−level)/2) and Quantile((1+level)/2). A level outside [0, 1] is
// clamped; level 0 gives the median twice.
func (d Counts) Interval(level float64) (lo, hi int) {
	level = clamp01(level)
	return d.Quantile((1 - level) / 2), d.Quantile((1 + level) / 2)
}

// Covered reports whether y lies in the central interval at level,
// lo <= y <= hi. It is false for the empty distribution.
func (d Counts) Covered(y int, level float64) bool {
	if len(d.pmf) == 0 {
		return false
	}
	lo, hi := d.Interval(level)
	return lo <= y && y <= hi
}

// CRPS is the exact continuous ranked probability score of the observation
// y, Σₖ (F(k) − 1{y ≤ k})² over all integers k, equal to E|X − y| −
// ½E|X − X′|. Observations outside the support (including negative ones) are
// scored exactly: each integer between y and the support adds 1. NaN for the
// empty distribution.
func (d Counts) CRPS(y int) float64 {
	n := len(d.cdf)
	if n == 0 {
		return math.NaN()
	}
	var s float64
	for k, f := range d.cdf {
		if y <= k {
			f = 1 - f
		}
		s += f * f
	}
	// Beyond the support F = 1, so k in [n, y−1] adds 1 each; below it F = 0,
	// so k in [y, −1] adds 1 each.
	if y > n {
		s += float64(y - n)
	}
	if y < 0 {
		s += float64(-y)
	}
	return s
}

// Pinball is the quantile loss of the forecast's τ-quantile, [Pinball] at
// q = Quantile(tau). NaN for the empty distribution.
func (d Counts) Pinball(y int, tau float64) float64 {
	if len(d.pmf) == 0 {
		return math.NaN()
	}
	return Pinball(float64(d.Quantile(tau)), float64(y), tau)
}

// IntervalScore is the Gneiting–Raftery interval score of the central
// interval at level (see [Counts.Interval]), with α = 1 − level. NaN for the
// empty distribution.
func (d Counts) IntervalScore(y int, level float64) float64 {
	if len(d.pmf) == 0 {
		return math.NaN()
	}
	level = clamp01(level)
	lo, hi := d.Interval(level)
	return IntervalScore(float64(lo), float64(hi), float64(y), 1-level)
}

// PIT is the randomised probability integral transform of y,
// F(y−1) + v·(F(y) − F(y−1)), with v drawn by the caller from U[0, 1). Over
// many forecasts it is uniform on [0, 1) when the forecasts are
// (probabilistically) calibrated, which the plain F(y) of a discrete
// distribution never is. NaN for
// the empty distribution.
func (d Counts) PIT(y int, v float64) float64 {
	if len(d.pmf) == 0 {
		return math.NaN()
	}
	lo := d.CDF(y - 1)
	return lo + v*(d.CDF(y)-lo)
}

// LogScore is −log p(y), with p floored at [Floor] so that an observation
// outside the support costs a large but finite amount. NaN for the empty
// distribution.
func (d Counts) LogScore(y int) float64 {
	if len(d.pmf) == 0 {
		return math.NaN()
	}
	return LogScore(d.PMF(y))
}

func clamp01(x float64) float64 {
	return math.Min(math.Max(x, 0), 1)
}
