package calib_test

import (
	"context"
	"fmt"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/calib"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// Score a scenario on the documented history it names in [observed]: the
// targets inside its horizon, each a hit or a miss.
func ExampleEvaluate() {
	l, err := scenario.LoadFS(scenarios.FS, "ceasefire-2022.toml")
	if err != nil {
		panic(err)
	}
	targets, err := calib.Targets(l.Scenario, l.Observed)
	if err != nil {
		panic(err)
	}
	e, err := calib.Evaluate(context.Background(), l.Scenario, targets, mc.Options{Runs: 500, Seed: 2, SeedSet: true})
	if err != nil {
		panic(err)
	}
	for _, o := range e.Outcomes {
		fmt.Printf("%-16s %-18s observed %s\n", o.ID, o.Kind, o.Observed)
	}
	// Output:
	// E09b             ceasefire_held     observed > 151 days
	// attacks 2022-07  monthly_attacks    observed 33
	// attacks 2022-08  monthly_attacks    observed 31
	// attacks 2022-09  monthly_attacks    observed 42
	// attacks 2022-10  monthly_attacks    observed 39
}
