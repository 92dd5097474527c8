package mc

import "math"

// Hist is a streaming histogram of non-negative values with fixed buckets,
// so quantiles over any number of runs take bounded memory and merging is
// exact. Buckets: [0, 1) in steps of 0.001 (shares, probabilities,
// leverage); above 1, 64 log-linear buckets per doubling (integers below 128
// are exact; wider buckets report their midpoint, within 0.8%).
type Hist struct {
	n      uint64
	chunks []*[chunk]uint32
}

const (
	chunk     = 64
	linear    = 1000 // buckets for [0, 1)
	subBucket = 64   // buckets per doubling above 1
	maxExp    = 40   // values up to 2^40
)

func bucketOf(v float64) int {
	switch {
	case !(v > 0): // zero, negative or NaN
		return 0
	case v < 1:
		return min(linear-1, int(v*linear+1e-9))
	}
	// v = 1.m · 2^e with v ≥ 1 (a normal number): e is the biased exponent
	// less 1023, and the bucket within the doubling is the top 6 bits of the
	// mantissa, i.e. floor((1.m − 1)·64).
	bits := math.Float64bits(v)
	e := int(bits>>52&0x7ff) - 1023
	if e >= maxExp {
		return linear + maxExp*subBucket - 1
	}
	s := int(bits >> (52 - 6) & (subBucket - 1))
	return linear + e*subBucket + s
}

// bucketValue is the value a bucket stands for in quantiles.
func bucketValue(b int) float64 {
	if b < linear {
		return float64(b) / linear
	}
	e := (b - linear) / subBucket
	s := (b - linear) % subBucket
	width := math.Ldexp(1, e) / subBucket
	lo := math.Ldexp(1, e) + float64(s)*width
	if width <= 1 {
		return lo
	}
	return lo + width/2
}

// Add counts one value.
func (h *Hist) Add(v float64) {
	b := uint(bucketOf(v))
	c := int(b / chunk)
	if c >= len(h.chunks) || h.chunks[c] == nil {
		h.grow(c)
	}
	h.chunks[c][b%chunk]++
	h.n++
}

// grow makes chunk c exist.
func (h *Hist) grow(c int) {
	for len(h.chunks) <= c {
		h.chunks = append(h.chunks, nil)
	}
	if h.chunks[c] == nil {
		h.chunks[c] = new([chunk]uint32)
	}
}

// N returns the number of values counted.
func (h *Hist) N() uint64 { return h.n }

// Merge adds another histogram's counts.
func (h *Hist) Merge(o *Hist) {
	for c, ch := range o.chunks {
		if ch == nil {
			continue
		}
		for len(h.chunks) <= c {
			h.chunks = append(h.chunks, nil)
		}
		if h.chunks[c] == nil {
			h.chunks[c] = new([chunk]uint32)
		}
		for i, k := range ch {
			h.chunks[c][i] += k
		}
	}
	h.n += o.n
}

// Quantile returns the p-quantile: the value of the bucket holding the
// ceil(p·n)-th smallest value (the lower empirical quantile). It returns NaN
// for an empty histogram.
func (h *Hist) Quantile(p float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	rank := uint64(math.Ceil(p * float64(h.n)))
	rank = max(rank, 1)
	var cum uint64
	for c, ch := range h.chunks {
		if ch == nil {
			continue
		}
		for i, k := range ch {
			cum += uint64(k)
			if cum >= rank {
				return bucketValue(c*chunk + i)
			}
		}
	}
	return bucketValue(len(h.chunks)*chunk - 1)
}
