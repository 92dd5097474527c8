package score

import "math"

// Floor is the smallest probability a log score will take, so the largest log
// score is −log(1e-6) ≈ 13.8 nats. Without it an outcome the forecast deemed
// impossible scores +Inf, and one such month swamps every average and every
// skill comparison. This happens routinely to sample-based forecasts, which
// cannot resolve probabilities below 1/(number of draws): with the 1,000 draws
// of the ViEWS challenges any count never drawn has probability 0. 1e-6 sits
// well below that resolution, so it penalises such misses hard while keeping
// the score finite.
const Floor = 1e-6

// CRPSSamples is the CRPS of the empirical distribution of samples, which
// must be sorted in increasing order and free of NaN, for the observation y:
// (1/n)Σ|xᵢ − y| − (1/n²)Σᵢ (2i − n − 1) x₍ᵢ₎ with i = 1 … n. It runs in
// O(n) on sorted input (sorting first makes it O(n log n)) and does not
// allocate. NaN for no samples.
func CRPSSamples(sorted []float64, y float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	var abs, spread float64
	for i, x := range sorted {
		abs += math.Abs(x - y)
		spread += float64(2*(i+1)-n-1) * x
	}
	fn := float64(n)
	return abs/fn - spread/(fn*fn)
}

// CRPSNormal is the CRPS of the normal distribution N(mu, sigma²) for the
// observation y, in closed form: σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π] with
// z = (y − mu)/σ. A zero sigma is a point forecast, scoring |y − mu|; a
// negative sigma gives NaN.
func CRPSNormal(mu, sigma, y float64) float64 {
	switch {
	case sigma == 0:
		return math.Abs(y - mu)
	case !(sigma > 0):
		return math.NaN()
	}
	z := (y - mu) / sigma
	phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	// 2Φ(z) − 1 = erf(z/√2).
	return sigma * (z*math.Erf(z/math.Sqrt2) + 2*phi - 1/math.Sqrt(math.Pi))
}

// Pinball is the quantile (pinball) loss of the quantile forecast q at level
// tau for the observation y: (1{y ≤ q} − tau)(q − y). It is never negative for
// tau in [0, 1]. Taking q as a forecast's tau-quantile, twice its integral over
// tau in (0, 1) is that forecast's CRPS.
func Pinball(q, y, tau float64) float64 {
	ind := 0.0
	if y <= q {
		ind = 1
	}
	return (ind - tau) * (q - y)
}

// IntervalScore is the interval score of Gneiting & Raftery (2007) for a
// central (1 − alpha) prediction interval [lo, hi] and the observation y:
// (hi − lo) + (2/alpha)(lo − y)1{y < lo} + (2/alpha)(y − hi)1{y > hi}. It
// rewards narrow intervals and penalises misses in proportion to their
// distance. With alpha = 0 a miss scores +Inf.
func IntervalScore(lo, hi, y, alpha float64) float64 {
	s := hi - lo
	if y < lo {
		s += 2 / alpha * (lo - y)
	}
	if y > hi {
		s += 2 / alpha * (y - hi)
	}
	return s
}

// LogScore is the logarithmic score (ignorance, in nats) of an outcome the
// forecast gave probability p: −log(max(p, Floor)). See [Floor] for why it is
// floored. A NaN p gives NaN.
func LogScore(p float64) float64 {
	if math.IsNaN(p) {
		return p
	}
	return -math.Log(math.Max(p, Floor))
}
