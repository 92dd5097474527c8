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

// BenchmarkStep is one day of the reference scenario; it must not allocate.
func BenchmarkStep(b *testing.B) {
	m, err := sim.New(loadRef(b))
	if err != nil {
		b.Fatal(err)
	}
	run := 0
	m.Reset(1, run)
	b.ReportAllocs()
	for b.Loop() {
		if m.Done() {
			run++
			m.Reset(1, run)
		}
		m.Step()
	}
}

// BenchmarkRun is one whole run of the reference scenario (870 days).
func BenchmarkRun(b *testing.B) {
	m, err := sim.New(loadRef(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Run(1, i)
	}
}

// BenchmarkRunByMonth is BenchmarkRun with the record held by month, as
// the Monte Carlo runner asks for it (sim.Model.SetPeriods): the run the
// run, sweep and serve commands make.
func BenchmarkRunByMonth(b *testing.B) {
	m, err := sim.New(loadRef(b))
	if err != nil {
		b.Fatal(err)
	}
	of := make([]int, m.Steps())
	for t := 1; t < len(of); t++ {
		of[t] = of[t-1]
		if m.StepDate(t).MonthStart() != m.StepDate(t-1).MonthStart() {
			of[t]++
		}
	}
	if err := m.SetPeriods(of); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Run(1, i)
	}
}

// TestStepDoesNotAllocate guards the benchmark's promise in the test suite.
func TestStepDoesNotAllocate(t *testing.T) {
	m, err := sim.New(loadRef(t))
	if err != nil {
		t.Fatal(err)
	}
	m.Run(1, 0) // warm up: slices reach their capacity
	allocs := testing.AllocsPerRun(20, func() { m.Run(1, 1) })
	if allocs != 0 {
		t.Errorf("a whole run allocates %v times, want 0", allocs)
	}
}

// BenchmarkValidate is the check every model and every point of a sweep
// pays (sim.Model.Retarget): ranges and enums of every leaf, names,
// events, Hawkes stationarity.
func BenchmarkValidate(b *testing.B) {
	sc := loadRef(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := sc.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
