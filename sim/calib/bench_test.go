package calib

import (
	"context"
	"testing"
)

// BenchmarkLoss is one evaluation of the calibration's joint loss on the
// three fitted episodes (ttp-2021, talks-2014, shakai-2004) at 200 runs
// each, the default: what ABC-SMC pays per particle it proposes. It
// reports evaluations per second.
func BenchmarkLoss(b *testing.B) {
	var pr []Problem
	for _, name := range []string{"ttp-2021.toml", "talks-2014.toml", "shakai-2004.toml"} {
		l := load(b, name)
		ts, err := Targets(l.Scenario, l.Observed)
		if err != nil {
			b.Fatal(err)
		}
		pr = append(pr, Problem{Scenario: l.Scenario, Targets: ts})
	}
	free := []Free{{Key: "rules.state_ends_ceasefire.tolerance", Lo: 5, Hi: 60}}
	theta := []float64{38.27}
	for b.Loop() {
		if _, _, err := Loss(context.Background(), pr, free, theta, Options{Runs: 200, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
}
