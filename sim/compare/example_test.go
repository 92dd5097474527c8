package compare_test

import (
	"context"
	"fmt"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/compare"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// Compare a scenario with a variant on common random numbers and read the
// paired effect of one outcome. A variant identical to the base would give
// exactly zero; here the state tolerates twice as many violations.
func ExampleRun() {
	l, err := scenario.LoadFS(scenarios.FS, "ceasefire-2022.toml")
	if err != nil {
		panic(err)
	}
	base := l.Scenario
	variant := base.Clone()
	tol, _ := base.Float("rules.state_ends_ceasefire.tolerance")
	if err := variant.SetFloat("rules.state_ends_ceasefire.tolerance", 2*tol); err != nil {
		panic(err)
	}
	c, err := compare.Run(context.Background(), base, []*sim.Scenario{variant}, []string{"base", "tolerant"},
		compare.Options{Options: mc.Options{Runs: 300, Seed: 1, SeedSet: true}})
	if err != nil {
		panic(err)
	}
	for _, e := range c.Variants[0].Effects {
		if e.Outcome == "ceasefire_days" {
			fmt.Printf("days under a ceasefire: longer in the variant: %v; shorter in any run: %v\n", e.Diff > 0, e.Worse > 0)
		}
	}
	// Output:
	// days under a ceasefire: longer in the variant: true; shorter in any run: false
}
