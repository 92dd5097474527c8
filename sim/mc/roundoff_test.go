package mc_test

import (
	"math/rand/v2"
	"testing"

	"github.com/parley-sim/parley/sim/mc"
)

// TestPairedStatRoundOff: paired differences that cancel exactly (as many
// runs better as worse, by the same amount) have a mean difference of
// exactly 0, not the running mean's round-off (compare.csv once showed
// -1.72458e-18), and a variant identical in every run reports NoChange.
func TestPairedStatRoundOff(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		p := mc.PairedStat{HigherIsBetter: true}
		n := 5 + rng.IntN(40)
		k := rng.IntN(n/2 + 1) // k runs up by 1, k runs down by 1, the rest tie
		signs := make([]int, n)
		for i := 0; i < k; i++ {
			signs[i], signs[n-1-i] = 1, -1
		}
		rng.Shuffle(n, func(i, j int) { signs[i], signs[j] = signs[j], signs[i] })
		for _, s := range signs {
			b := float64(rng.IntN(2))
			p.Add(b, b+float64(s))
		}
		s := p.Summary()
		if s.Diff != 0 {
			t.Fatalf("trial %d (%d up, %d down of %d): mean difference %v, want exactly 0", trial, k, k, n, s.Diff)
		}
		if s.NoChange() != (k == 0) {
			t.Errorf("trial %d: NoChange %v with %d runs changed", trial, s.NoChange(), 2*k)
		}
		if got := s.Better + s.Worse + s.Same; got != 1 && s.Same != float64(n-2*k)/float64(n) {
			t.Errorf("trial %d: better+worse+same = %v", trial, got)
		}
	}
	// A real effect far below 1 but far above round-off is kept.
	p := mc.PairedStat{}
	for i := 0; i < 10; i++ {
		p.Add(1000, 1000+1e-4*float64(i%2))
	}
	if s := p.Summary(); s.Diff == 0 {
		t.Errorf("a 5e-5 mean difference on a scale of 1000 was taken for round-off")
	}
}
