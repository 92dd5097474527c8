package scenario

import (
	"math"
	"os"
	"strings"
	"testing"
)

// The fuzz targets below cover every decoder a user can feed through a
// file or a flag (FuzzParse, in scenario_test.go, covers the scenario
// files themselves). Each must never panic, and whatever it accepts must
// be valid. Seed corpora live in testdata/fuzz/; `make fuzz` runs each
// for a short while.

// FuzzParseTargets: a targets file (observed.targets).
func FuzzParseTargets(f *testing.F) {
	if b, err := os.ReadFile("../../scenarios/history/targets.toml"); err == nil {
		f.Add(string(b))
	}
	f.Add("[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-09\nmin_days = 30\n")
	f.Add("[[ordinal]]\nid = \"O\"\nmetric = \"attacks\"\nlower = [2022-01-01, 2022-01-31]\nhigher = [2022-02-01, 2022-02-28]\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseTargets("t.toml", []byte(s)) // must not panic
	})
}

// FuzzObservedCSV: an observation CSV (observed.monthly_attacks), read
// through Parse with a resolver serving the fuzzed bytes.
func FuzzObservedCSV(f *testing.F) {
	src := small(&testing.T{})
	if b, err := os.ReadFile("testdata/obs.csv"); err == nil {
		f.Add(string(b))
	}
	f.Add("month,attacks\n2022-01,1e308\n")
	f.Add("attacks,month\n\"3\",2022-13\n")
	f.Add("month,attacks\n2022-01\n")
	f.Fuzz(func(t *testing.T, csv string) {
		l, err := Parse("small.toml", []byte(src), mapResolver(map[string]string{"obs.csv": csv}))
		if err != nil {
			return
		}
		for _, o := range l.Observed.Monthly {
			if !(o.Attacks >= 0) || math.IsInf(o.Attacks, 0) {
				t.Fatalf("accepted a negative, NaN or infinite count: %+v", o)
			}
		}
	})
}

// FuzzApplySets: --set values, and --vary's comma-separated settings.
func FuzzApplySets(f *testing.F) {
	src := small(&testing.T{})
	for _, s := range []string{"mediator.pressure=0.8", "=5", "state.capacity=1e400", "insurgent.factions.Hard.hardline=NaN",
		"end=2022-02-30", "runs=0x10", "events.0.date=2022-01-01,mediator.bias=-1", "seed=18446744073709551616"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := Parse("small.toml", []byte(src), mapResolver(map[string]string{"obs.csv": "month,attacks\n"}))
		if err != nil {
			t.Fatal(err)
		}
		if err := ApplySets(l, strings.Split(s, ",")); err != nil {
			return
		}
		if err := l.Scenario.Validate(); err != nil {
			t.Fatalf("ApplySets(%q) accepted an invalid scenario: %v", s, err)
		}
	})
}
