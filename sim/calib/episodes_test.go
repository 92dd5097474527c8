package calib

import (
	"testing"
)

// shippedEpisodes are the scenarios with documented targets, one per
// episode of scenarios/history/episodes.csv, and the targets each must pick
// up inside its horizon.
var shippedEpisodes = []struct {
	scenario string
	want     []string
}{
	{"shakai-2004.toml", []string{"E01", "E01.ended_by"}},
	{"srarogha-2005.toml", []string{"E02", "E02.ended_by", "O-2008"}},
	{"miranshah-2006.toml", []string{"E03", "E03.ended_by"}},
	{"swat-2008.toml", []string{"E04"}},
	{"malakand-2009.toml", []string{"E05"}},
	{"nwa-2008.toml", []string{"E06", "E06.ended_by"}},
	{"talks-2014.toml", []string{"E07", "E07.ended_by", "O-2015", "F4-2014"}},
	{"ttp-2021.toml", []string{"E08", "E08.ended_by", "E08.cause", "E09", "E09b", "F2-2021", "F2-2022", "F7"}},
}

// TestEveryEpisodeHasTargets: each documented episode is a scenario that
// declares its ceasefire on the documented date inside its horizon, so its
// targets attach; no episode's target leaks into another's scenario; and
// the shipped scenarios together carry at least the 40 targets issue 9 asks
// for. E04 and E05 have no ended_by (MODEL.md §4.2 says why).
func TestEveryEpisodeHasTargets(t *testing.T) {
	total := 0
	seen := map[string]string{}
	for _, c := range shippedEpisodes {
		l := load(t, c.scenario)
		ts, err := Targets(l.Scenario, l.Observed)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, x := range ts {
			have[x.ID] = true
			if x.Kind != KindMonthly {
				if other, ok := seen[x.ID]; ok {
					t.Errorf("target %s applies to both %s and %s", x.ID, other, c.scenario)
				}
				seen[x.ID] = c.scenario
			}
		}
		for _, w := range c.want {
			if !have[w] {
				t.Errorf("%s: target %s missing", c.scenario, w)
			}
		}
		for _, no := range []string{"E04.ended_by", "E05.ended_by"} {
			if have[no] {
				t.Errorf("%s: %s should not exist (ended_by is left out on purpose)", c.scenario, no)
			}
		}
		total += len(ts)
	}
	if total < 40 {
		t.Errorf("the shipped episode scenarios carry %d targets, want at least 40", total)
	}
	t.Logf("%d targets over %d scenarios", total, len(shippedEpisodes))
}
