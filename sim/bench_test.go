package sim_test

import (
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/parley-sim/parley/sim"
)

func loadRef(b testing.TB) *sim.Scenario {
	var sc sim.Scenario
	for _, f := range []string{"../scenarios/base.toml", "../scenarios/ttp-2021.toml"} {
		if _, err := toml.DecodeFile(f, &sc); err != nil {
			b.Fatal(err)
		}
	}
	return &sc
}

func BenchmarkRun(b *testing.B) {
	sc := loadRef(b)
	m, err := sim.New(sc)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Run(1, i)
	}
}
