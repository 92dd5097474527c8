package mc_test

import (
	"context"
	"testing"

	"github.com/parley-sim/parley/sim/mc"
)

// TestExtensionsAreNotNewCeasefires: in the reference scenario the Eid
// truce of 2022-04-30 is extended by extend_ceasefire events on 2022-05-18
// and 2022-06-02. Where it still holds, an extension is counted as an
// extension of it, not as a new ceasefire; where it had ended, the event
// declares it again, and that group names the truce as its parent. Every
// run is one or the other (no run is settled by then), and groups come in
// date order with the rules' own last.
func TestExtensionsAreNotNewCeasefires(t *testing.T) {
	s := reference(t)
	res, err := mc.Run(context.Background(), s, mc.Options{Runs: 120, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	byOrigin := map[string]*mc.CeasefireGroup{}
	for i := range res.Groups {
		g := &res.Groups[i]
		byOrigin[g.Origin] = g
		if i > 0 {
			prev := res.Groups[i-1]
			if prev.Declared == 0 || (g.Declared != 0 && g.Declared < prev.Declared) {
				t.Errorf("groups out of date order: %s (%s) after %s (%s)", g.Origin, g.Declared, prev.Origin, prev.Declared)
			}
		}
	}
	truce := byOrigin["event 2022-04-30"]
	if truce == nil || truce.Event != "declare_ceasefire" || truce.Parent != "" {
		t.Fatalf("no declared group for the 2022-04-30 truce: %+v", truce)
	}
	for _, ext := range []string{"event 2022-05-18", "event 2022-06-02"} {
		runs := 0
		for _, g := range res.Groups {
			for _, x := range g.Extensions {
				if x.Origin == ext {
					if x.Event != "extend_ceasefire" {
						t.Errorf("%s: event %q, want extend_ceasefire", ext, x.Event)
					}
					runs += x.Runs
				}
			}
		}
		if g := byOrigin[ext]; g != nil {
			if g.Event != "extend_ceasefire" || g.Parent != "event 2022-04-30" {
				t.Errorf("%s declared again: event %q parent %q, want extend_ceasefire of event 2022-04-30", ext, g.Event, g.Parent)
			}
			runs += g.Runs
		}
		if runs != res.Runs {
			t.Errorf("%s extended or declared again in %d runs, want every one of %d", ext, runs, res.Runs)
		}
	}
	found := false
	for _, x := range truce.Extensions {
		found = found || x.Origin == "event 2022-05-18" && x.Runs > 0
	}
	if !found {
		t.Errorf("the 2022-04-30 truce was never extended on 2022-05-18: %+v", truce.Extensions)
	}
}
