package scenario

import (
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// TestPhaseFactsFromDocumentedCeasefires: the Nov 2021 ceasefire (30 days)
// gives "in force on its last day" and "over the day after"; the 2022
// ceasefire (held at least to 31 Oct 2022, documented twice) gives one
// "in force on 31 Oct"; nothing after the cut-off or outside the horizon.
func TestPhaseFactsFromDocumentedCeasefires(t *testing.T) {
	l, err := LoadFS(scenarios.FS, "ttp-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) sim.Date { x, _ := sim.ParseDate(s); return x }
	fs := l.Observed.PhaseFacts(l.Scenario, d("2022-10-31"))
	want := []struct {
		day string
		not bool
	}{{"2021-12-08", false}, {"2021-12-10", true}, {"2022-10-31", false}}
	if len(fs) != len(want) {
		t.Fatalf("facts %+v, want %d", fs, len(want))
	}
	for i, w := range want {
		if fs[i].Date != d(w.day) || fs[i].Not != w.not || fs[i].Phase != sim.Ceasefire || fs[i].Prob != FactProb {
			t.Errorf("fact %d = %+v, want ceasefire on %s (not=%v)", i, fs[i], w.day, w.not)
		}
	}
	if early := l.Observed.PhaseFacts(l.Scenario, d("2021-12-09")); len(early) != 1 {
		t.Errorf("up to 2021-12-09: %+v, want only the fact of 2021-12-08", early)
	}
}
