// Package yardstick is issue 12's naive yardstick: the least work a daily
// model of Parley's kind must do, done the naive way. Benchmarks time the
// engine and the command against it back to back, so their ratio does not
// depend on how fast the machine is that hour.
package yardstick

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-sim/parley/sim"
)

// Run does, for each run (its own stream, on all cores) and each of its
// days and factions, one Poisson attack draw and one logistic decision. Its
// result is returned so the work is not optimised away.
func Run(runs, days, factions int) float64 {
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

// Against runs work(i) and then the yardstick for runs × days × factions,
// back to back, on each iteration i of b, and reports name-s/op,
// yardstick-s/op and their ratio name/yardstick: measured together, the
// ratio does not depend on the machine's speed of the hour as two separate
// figures would.
func Against(b *testing.B, name string, runs, days, factions int, work func(i int)) {
	var own, yard time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		work(i)
		t1 := time.Now()
		Run(runs, days, factions)
		own, yard = own+t1.Sub(t0), yard+time.Since(t1)
	}
	b.ReportMetric(own.Seconds()/float64(b.N), name+"-s/op")
	b.ReportMetric(yard.Seconds()/float64(b.N), "yardstick-s/op")
	b.ReportMetric(own.Seconds()/yard.Seconds(), name+"/yardstick")
}
