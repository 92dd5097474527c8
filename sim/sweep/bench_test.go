package sweep_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
	"github.com/parley-sim/parley/sim/sweep"
)

// BenchmarkThroughput compares run-days per second of `parley run`'s engine
// (mc.Run) with a sweep doing the same number of runs of the same scenario
// (ceasefire-2021, 203 days): 40 points × 50 runs, and 400 points × 5 runs
// (the per-point overhead case), on all CPUs.
func BenchmarkThroughput(b *testing.B) {
	l := short(b)
	sc := l.Scenario
	days := float64(sc.End-sc.Start) + 1
	const total = 2000
	b.Run("mc.Run", func(b *testing.B) {
		for b.Loop() {
			if _, err := mc.Run(context.Background(), sc, mc.Options{Runs: total}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(total*days*float64(b.N)/b.Elapsed().Seconds(), "run-days/s")
	})
	for _, runs := range []int{50, 5} {
		b.Run("sweep/runs-per-point="+map[int]string{50: "50", 5: "5"}[runs], func(b *testing.B) {
			dim, err := sweep.ParseParam("mediator.pressure=0.1:0.9", sc)
			if err != nil {
				b.Fatal(err)
			}
			tmp := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				cfg := sweep.Config{Scenario: sc, ScenarioSHA: scenario.Hash(sc),
					Design:       sweep.Design{Kind: "lhs", Samples: total / runs, Dims: []sweep.Dim{dim}, Seed: 1},
					RunsPerPoint: runs, Seed: 1, Out: filepath.Join(tmp, "s"), Force: true}
				if _, err := sweep.Run(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(total*days*float64(b.N)/b.Elapsed().Seconds(), "run-days/s")
		})
	}
}
