package mc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bucketOfFrexp is the definition bucketOf implements with bit operations:
// v = frac·2^exp with frac in [0.5, 1); the bucket within the doubling is
// floor((2·frac − 1)·64).
func bucketOfFrexp(v float64) int {
	switch {
	case !(v > 0):
		return 0
	case v < 1:
		return min(linear-1, int(v*linear+1e-9))
	}
	frac, exp := math.Frexp(v)
	e := exp - 1
	if e >= maxExp {
		return linear + maxExp*subBucket - 1
	}
	return linear + e*subBucket + int((2*frac-1)*subBucket)
}

// TestBucketOfMatchesFrexp: the bit-level bucket equals the definition on
// integers, powers of two and their neighbours, and random values of every
// magnitude up to past the last bucket.
func TestBucketOfMatchesFrexp(t *testing.T) {
	var vs []float64
	for i := 0; i <= 5000; i++ {
		vs = append(vs, float64(i), float64(i)+0.5)
	}
	for e := 0; e <= maxExp+2; e++ {
		p := math.Ldexp(1, e)
		vs = append(vs, p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		vs = append(vs, math.Exp(r.Float64()*50-5))
	}
	vs = append(vs, math.NaN(), -1, 0.999999, 1e-300, math.MaxFloat64)
	for _, v := range vs {
		if got, want := bucketOf(v), bucketOfFrexp(v); got != want {
			t.Fatalf("bucketOf(%v) = %d, want %d", v, got, want)
		}
	}
	// +Inf has no fraction (Frexp's definition overflows): the last bucket.
	if got, want := bucketOf(math.Inf(1)), linear+maxExp*subBucket-1; got != want {
		t.Errorf("bucketOf(+Inf) = %d, want the last bucket %d", got, want)
	}
}
