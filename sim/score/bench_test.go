package score

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The per-observation scores: 0 allocs/op (see also
// TestCountsMethodsDoNotAllocate).
func BenchmarkCountsCRPS(b *testing.B) {
	d := NegBinomial(20, 3)
	b.ReportAllocs()
	var sink float64
	for i := 0; b.Loop(); i++ {
		sink += d.CRPS(i % 60)
	}
	_ = sink
}

// CRPS of 1,000 sorted draws, the ViEWS challenge format.
func BenchmarkCRPSSamples(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = float64(nbDraw(20, 3, rng))
	}
	slices.Sort(xs)
	b.ReportAllocs()
	var sink float64
	for i := 0; b.Loop(); i++ {
		sink += CRPSSamples(xs, float64(i%60))
	}
	_ = sink
}
