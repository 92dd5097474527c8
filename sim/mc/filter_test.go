package mc_test

import (
	"context"
	"testing"

	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// loadTTP loads the reference scenario with its observations.
func loadTTP(t testing.TB) *scenario.Loaded {
	t.Helper()
	l, err := scenario.Load("../../scenarios/ttp-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	if l.Observed == nil || len(l.Observed.Monthly) == 0 {
		t.Fatal("ttp-2021 has no observed monthly counts")
	}
	return l
}

func TestFilterSmoke(t *testing.T) {
	l := loadTTP(t)
	counts := l.Observed.MonthCounts(l.Scenario, 0)
	res, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: 1000, Filter: &mc.Filter{Counts: counts}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Filter.Steps {
		t.Logf("%s %-28s ESS %6.1f min %6.1f resampled %d loglik %.2f", s.Date, s.Label, s.ESS, s.MinESS, s.Resampled, s.LogLik)
	}
	t.Logf("%+v", res.Filter.Warnings)
}
