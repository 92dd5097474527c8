package mc_test

import (
	"context"
	"math"
	"testing"

	"github.com/parley-sim/parley/internal/yardstick"
	"github.com/parley-sim/parley/sim/mc"
)

// BenchmarkYardstick is the naive yardstick for 10,000 runs of the
// reference scenario's 869 days and 7 factions; compare its time with
// BenchmarkMonteCarlo/runs=10000 measured in the same session (the engine
// does far more per day: capacity, intent, self-exciting attacks, some 30
// rules, the record).
func BenchmarkYardstick(b *testing.B) {
	var sink float64
	for b.Loop() {
		sink += yardstick.Run(10000, 869, 7)
	}
	if math.IsNaN(sink) {
		b.Fatal("NaN")
	}
}

// BenchmarkEngineVsYardstick runs the reference scenario's 10,000 runs and
// then the yardstick, and reports their ratio (engine time / yardstick
// time): measured back to back, it does not depend on the machine's speed
// of the day as two separate figures would.
func BenchmarkEngineVsYardstick(b *testing.B) {
	s := reference(b)
	yardstick.Against(b, "engine", 10000, 869, 7, func(int) {
		if _, err := mc.Run(context.Background(), s, mc.Options{Runs: 10000}); err != nil {
			b.Fatal(err)
		}
	})
}
