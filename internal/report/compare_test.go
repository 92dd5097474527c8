package report

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/compare"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

func loadEmbedded(t *testing.T, name string, sets ...string) *sim.Scenario {
	t.Helper()
	l, err := scenario.LoadFS(scenarios.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := scenario.ApplySets(l, sets); err != nil {
		t.Fatal(err)
	}
	return l.Scenario
}

// TestCompareSummaryReadable: a variant identical to the base reads
// "0 (no change in any pair)" on every row, never "-0.0" or "clear"; the
// better/worse columns are explained and each outcome says which direction
// is better (more days under a ceasefire, fewer attacks); compare.csv has
// no exponents.
func TestCompareSummaryReadable(t *testing.T) {
	base := loadEmbedded(t, "ceasefire-2021.toml")
	same := loadEmbedded(t, "ceasefire-2021.toml")
	press := loadEmbedded(t, "ceasefire-2021.toml", "mediator.pressure=0.9")
	c, err := compare.Run(context.Background(), base, []*sim.Scenario{same, press}, []string{"base", "same", "press"},
		compare.Options{Options: mc.Options{Runs: 150, Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := CompareSummary(&b, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"better / worse: share of the paired runs in which the variant did better / worse", "the rest are ties", `"better if" column`} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	parts := strings.SplitN(out, "\nVARIANT press", 2)
	if len(parts) != 2 {
		t.Fatalf("no variant press:\n%s", out)
	}
	sameBlock := strings.SplitN(parts[0], "\nVARIANT same", 2)[1]
	rows := 0
	for _, l := range strings.Split(sameBlock, "\n") {
		if strings.Contains(l, "%") && strings.Contains(l, " / ") || strings.HasPrefix(l, "    20") {
			rows++
			if !strings.Contains(l, NoChangeText) {
				t.Errorf("identical variant, row without %q: %s", NoChangeText, l)
			}
		}
		if strings.Contains(l, "clear") || strings.Contains(l, "within noise") || regexp.MustCompile(`[+-]0\.0+\b`).MatchString(l) {
			t.Errorf("identical variant: %s", l)
		}
	}
	if rows < 10 {
		t.Errorf("only %d rows checked in the identical variant:\n%s", rows, sameBlock)
	}
	for _, c := range []struct{ outcome, dir string }{{"days under a ceasefire", "higher"}, {"attacks over the horizon", "lower"},
		{"fighters defecting to the rival", "lower"}, {"P(holds 30 days)", "higher"}, {"settlement signed", "higher"}} {
		re := regexp.MustCompile(regexp.QuoteMeta(c.outcome) + `.*%\s+(higher|lower)\b`)
		m := re.FindStringSubmatch(parts[1])
		if m == nil || m[1] != c.dir {
			t.Errorf("%s: better if %v, want %s", c.outcome, m, c.dir)
		}
	}
	var csv bytes.Buffer
	if err := WriteCompare(&csv, c); err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`\de[-+]\d`).Match(csv.Bytes()) {
		t.Errorf("compare.csv has exponents:\n%s", csv.String())
	}
	for _, l := range strings.Split(csv.String(), "\n") {
		if f := strings.Split(l, ","); strings.HasPrefix(l, "same,") && f[8] != "0" && f[8] != "" {
			t.Errorf("identical variant: diff %q in %s", f[8], l)
		}
	}
}
