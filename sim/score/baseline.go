package score

import "math"

// Persistence is the no-change forecast: a Poisson distribution whose mean
// is the last observed count in hist (oldest first; NaN marks a missing
// month and is skipped). This is the ViEWS "hist" baseline with a one-month
// memory. A negative last count gives a point mass at 0; a series with no
// observation gives the empty distribution.
func Persistence(hist []float64) Counts {
	for i := len(hist) - 1; i >= 0; i-- {
		if !math.IsNaN(hist[i]) {
			return Poisson(hist[i])
		}
	}
	return Counts{}
}

// Climatology is a negative binomial fitted by [FitNegBinomial] to the
// observations in the trailing window of hist: the last months entries
// (calendar months, so missing NaN months inside the window shrink the
// sample rather than extend the window). A months <= 0 or beyond the series
// uses the whole series. When the window is not overdispersed (sample
// variance <= mean, as for a quiet or steady series) the fitted size is +Inf
// and the forecast is the Poisson distribution at the window mean. A window
// without observations gives the empty distribution.
func Climatology(hist []float64, months int) Counts {
	m, size := FitNegBinomial(window(hist, months))
	if math.IsNaN(m) {
		return Counts{}
	}
	return NegBinomial(m, size)
}

// Boot is the empirical distribution of the observations in the trailing
// window of hist (the last months entries, NaN months skipped; months <= 0 or
// beyond the series means all of it), as with [FromSamples]. It is the ViEWS
// "boot" baseline: drawing from it is drawing from the pooled recent months.
func Boot(hist []float64, months int) Counts {
	return FromSamples(window(hist, months))
}

// window is the trailing months entries of hist (all of it for months <= 0).
func window(hist []float64, months int) []float64 {
	if months <= 0 || months > len(hist) {
		return hist
	}
	return hist[len(hist)-months:]
}

// FitNegBinomial fits a negative binomial distribution to the counts xs by
// the method of moments, NaNs skipped: mean is the sample mean m and size is
// m²/(v − m) with v the sample variance (divisor n − 1), from v = m + m²/size.
// When the data are not overdispersed (v <= m, or fewer than two values, or a
// zero mean) size is +Inf: the Poisson distribution. With no values both
// results are NaN.
func FitNegBinomial(xs []float64) (mean, size float64) {
	var n int
	for _, x := range xs {
		if !math.IsNaN(x) {
			n++
			mean += x
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean /= float64(n)
	if n < 2 {
		return mean, math.Inf(1)
	}
	var ss float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	v := ss / float64(n-1)
	if v <= mean || mean <= 0 {
		return mean, math.Inf(1)
	}
	return mean, mean * mean / (v - mean)
}
