package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestBacktestCommand: a small backtest writes the documented files, the
// tidy CSV has the columns first and one row per forecaster,
// origin, horizon and target, and the manifest states the information rule.
func TestBacktestCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bt")
	code, stdout, stderr := parley(t, "backtest", "embedded:ttp-2021.toml", "--origins", "2022-01..2022-02", "--horizons", "1,2",
		"--runs", "30", "--quiet", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"manifest.json", "summary.txt", "backtest.csv", "skill.csv", "forecast.csv", "pit.png", "fans.png", "reliability.png", "skill.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(stdout, "SKILL of parley") || !strings.Contains(stdout, "conditioned:") {
		t.Errorf("summary lacks the skill table or the conditioning line:\n%s", stdout)
	}
	fh, err := os.Open(filepath.Join(out, "backtest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"model", "origin", "horizon", "target"}
	if !reflect.DeepEqual(rows[0][:4], want) {
		t.Errorf("header starts %v, want %v", rows[0][:4], want)
	}
	for _, col := range []string{"date", "observed", "crps", "pit", "covered50", "covered80", "covered90"} {
		found := false
		for _, h := range rows[0] {
			found = found || h == col
		}
		if !found {
			t.Errorf("no column %s in %v", col, rows[0])
		}
	}
	// Attacks: 2 origins × 2 horizons × 4 forecasters, all documented.
	n := 0
	for _, r := range rows[1:] {
		if r[3] == "attacks" {
			n++
		}
	}
	if n != 16 {
		t.Errorf("%d attack rows, want 16", n)
	}
	var man struct {
		Extra map[string]any `json:"extra"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if s, _ := man.Extra["information_cutoff"].(string); !strings.Contains(s, "dropped") {
		t.Errorf("manifest lacks the information rule: %v", man.Extra)
	}
	// A bad origin is a usage error.
	if code, _, e := parley(t, "backtest", "--origins", "2022-13", "--out", out+"2"); code != 2 || !strings.Contains(e, "origins") {
		t.Errorf("bad origin: exit %d, %q", code, e)
	}
}
