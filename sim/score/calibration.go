package score

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Histogram counts the values u, expected in [0, 1] (PIT values), in bins
// equal-width bins: value x goes to bin ⌊x·bins⌋, with 1 in the last bin.
// Values below 0 or above 1 are clamped into the end bins and NaNs are
// skipped. It returns nil for bins < 1.
func Histogram(u []float64, bins int) []int {
	if bins < 1 {
		return nil
	}
	h := make([]int, bins)
	for _, x := range u {
		if math.IsNaN(x) {
			continue
		}
		b := int(math.Floor(clamp01(x) * float64(bins)))
		h[min(b, bins-1)]++
	}
	return h
}

// ChiSquareUniform tests whether the values u (PIT values) are uniform on
// (0, 1): Pearson's statistic Σ (observed − expected)²/expected over bins
// equal-width bins of [Histogram], and its p-value from the χ² distribution
// with bins − 1 degrees of freedom. A small p (say below 0.01) rejects
// calibration; the usual choice is 10 bins, and the approximation wants at
// least 5 values expected per bin. NaN values are skipped; with bins < 2 or no
// values both results are NaN.
func ChiSquareUniform(u []float64, bins int) (stat, p float64) {
	if bins < 2 {
		return math.NaN(), math.NaN()
	}
	h := Histogram(u, bins)
	n := 0
	for _, c := range h {
		n += c
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	e := float64(n) / float64(bins)
	for _, c := range h {
		d := float64(c) - e
		stat += d * d / e
	}
	return stat, distuv.ChiSquared{K: float64(bins - 1)}.Survival(stat)
}
