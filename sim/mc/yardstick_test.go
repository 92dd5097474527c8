package mc_test

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// yardstick is issue 12's naive yardstick: the least work a daily model of
// this kind must do, done the naive way. For each run (its own stream, on
// all cores) and each of its days and factions: one Poisson attack draw and
// one logistic decision. Its result is returned so the work is not
// optimised away.
func yardstick(runs, days, factions int) float64 {
	var next atomic.Int64
	var mu sync.Mutex
	total := 0.0
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s sim.Stream
			sum := 0.0
			for {
				r := int(next.Add(1) - 1)
				if r >= runs {
					break
				}
				s.Seed(1, uint64(r), 0)
				x := 0.0
				for d := 0; d < days; d++ {
					for f := 0; f < factions; f++ {
						x += float64(s.Poisson(0.2 + 0.01*float64(f)))
						if s.Float64() < 1/(1+math.Exp(-(x*0.001-3))) {
							x *= 0.5
						}
					}
				}
				sum += x
			}
			mu.Lock()
			total += sum
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

// BenchmarkYardstick is the naive yardstick for 10,000 runs of the
// reference scenario's 869 days and 7 factions; compare its time with
// BenchmarkMonteCarlo/runs=10000 measured in the same session (the engine
// does far more per day: capacity, intent, self-exciting attacks, some 30
// rules, the record).
func BenchmarkYardstick(b *testing.B) {
	var sink float64
	for b.Loop() {
		sink += yardstick(10000, 869, 7)
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
	var eng, yard time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := mc.Run(context.Background(), s, mc.Options{Runs: 10000}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		yardstick(10000, 869, 7)
		eng, yard = eng+t1.Sub(t0), yard+time.Since(t1)
	}
	b.ReportMetric(eng.Seconds()/float64(b.N), "engine-s/op")
	b.ReportMetric(yard.Seconds()/float64(b.N), "yardstick-s/op")
	b.ReportMetric(eng.Seconds()/yard.Seconds(), "engine/yardstick")
}
