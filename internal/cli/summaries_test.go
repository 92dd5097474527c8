package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestRunSummaryShowsOverrides: a --set run's summary header lists the
// overrides; the baseline's does not.
func TestRunSummaryShowsOverrides(t *testing.T) {
	tmp := t.TempDir()
	code, out, e := parley(t, small(filepath.Join(tmp, "set"), "--runs", "5", "--no-filter", "--format", "", "--set", "mediator.pressure=0.8", "--set", "insurgent.patience=60")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	b, err := os.ReadFile(filepath.Join(tmp, "set", "summary.txt"))
	if err != nil {
		t.Fatal(err)
	}
	head := strings.SplitN(string(b), "CEASEFIRES", 2)[0]
	if !strings.Contains(head, "overrides (--set): mediator.pressure=0.8 · insurgent.patience=60") {
		t.Errorf("summary header lacks the overrides:\n%s", head)
	}
	if !strings.Contains(out, "overrides (--set)") {
		t.Errorf("printed summary lacks the overrides:\n%s", out)
	}
	if code, out, e := parley(t, small(filepath.Join(tmp, "plain"), "--runs", "5", "--no-filter", "--format", "")...); code != 0 || strings.Contains(out, "overrides") {
		t.Errorf("baseline: exit %d, %s\n%s", code, e, out)
	}
}

// TestSweepSummary: sweep prints a results table and writes it to
// summary.txt; its best and worst points for attacks are those of
// points.csv; a merged array job writes the same summary.
func TestSweepSummary(t *testing.T) {
	tmp := t.TempDir()
	whole := filepath.Join(tmp, "whole")
	args := []string{"sweep", "embedded:ceasefire-2021.toml", "--param", "mediator.pressure=0.1:0.9:3",
		"--param", "insurgent.patience=30,90", "--runs-per-point", "6", "--quiet"}
	out, e, code := run(t, append(args, "--out", whole)...)
	if code != 0 {
		t.Fatalf("sweep: %d %s", code, e)
	}
	sum, err := os.ReadFile(filepath.Join(whole, "summary.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, string(sum)) {
		t.Errorf("printed output does not hold summary.txt:\n%s\n---\n%s", out, sum)
	}
	for _, want := range []string{"6 points · 6 runs per point", "OUTCOMES ACROSS THE POINTS", "attacks_mean", "BEST AND WORST POINTS", "lower is better"} {
		if !strings.Contains(string(sum), want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	f, err := os.Open(filepath.Join(whole, "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	k := -1
	for i, h := range rows[0] {
		if h == "attacks_mean" {
			k = i
		}
	}
	best, worst := rows[1], rows[1]
	for _, r := range rows[1:] {
		v, _ := strconv.ParseFloat(r[k], 64)
		b, _ := strconv.ParseFloat(best[k], 64)
		w, _ := strconv.ParseFloat(worst[k], 64)
		if v < b {
			best = r
		}
		if v > w {
			worst = r
		}
	}
	m := regexp.MustCompile(`attacks per run[^\n]*\n\s+best\s+\S+\s+point (\d+)[^\n]*\n\s+worst\s+\S+\s+point (\d+)`).FindStringSubmatch(string(sum))
	if m == nil || m[1] != best[0] || m[2] != worst[0] {
		t.Errorf("best/worst attacks points %v, want %s and %s:\n%s", m, best[0], worst[0], sum)
	}
	// Two shards merged: the same summary.
	runArrayAndMerge(t, args, filepath.Join(tmp, "arr"), filepath.Join(tmp, "merged"), 2)
	merged, err := os.ReadFile(filepath.Join(tmp, "merged", "summary.txt"))
	if err != nil || string(merged) != string(sum) {
		t.Errorf("merged summary differs (%v):\n%s\n---\n%s", err, merged, sum)
	}
	// analyze with a threshold no point reaches says so, with the range.
	out, e, code = run(t, "analyze", whole, "--outcomes", "attacks_mean", "--prim-outcome", "attacks_mean", "--prim-threshold", "1e9")
	if code != 0 {
		t.Fatalf("analyze: %d %s", code, e)
	}
	if !regexp.MustCompile(`0 of 6 points are of interest \(attacks_mean ranges from [\d.]+ to [\d.]+ across the points\)`).MatchString(out) ||
		!strings.Contains(out, "choose a --prim-threshold inside the range above") {
		t.Errorf("analyze does not say why PRIM found nothing:\n%s", out)
	}
}

// TestUsageLinesListEveryFlag: each command's usage line names every flag
// its help lists, and names no flag it does not define.
func TestUsageLinesListEveryFlag(t *testing.T) {
	for _, cmd := range []string{"run", "compare", "sweep", "merge", "calibrate", "check", "analyze", "backtest", "serve"} {
		_, _, e := parley(t, cmd, "-h")
		var usage string
		for _, l := range strings.Split(e, "\n") {
			if u, ok := strings.CutPrefix(l, "usage: "); ok {
				usage = u
				break
			}
		}
		if usage == "" {
			t.Errorf("%s -h: no usage line:\n%s", cmd, e)
			continue
		}
		defined := map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^  -(\S+)`).FindAllStringSubmatch(e, -1) {
			defined[m[1]] = true
			if !regexp.MustCompile(`--` + regexp.QuoteMeta(m[1]) + `\b`).MatchString(usage) {
				t.Errorf("%s: flag --%s is not in the usage line %q", cmd, m[1], usage)
			}
		}
		for _, m := range regexp.MustCompile(`--([a-z][a-z-]*)`).FindAllStringSubmatch(usage, -1) {
			if !defined[m[1]] {
				t.Errorf("%s: the usage line names --%s, which is not defined", cmd, m[1])
			}
		}
	}
}

// TestCalibrateDefaultOutAndWarnings: the default output folder calibrate
// -h names is the one it writes; a search that did not move and a
// posterior of 2 draws are warned about in the summary and on stderr.
func TestCalibrateDefaultOutAndWarnings(t *testing.T) {
	_, _, help := parley(t, "calibrate", "-h")
	m := regexp.MustCompile(`-out string\n\s+output folder \(default: ([^)]*)\)`).FindStringSubmatch(help)
	if m == nil {
		t.Fatalf("calibrate -h names no default output folder:\n%s", help)
	}
	want := filepath.FromSlash(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "ceasefire-2021"))
	t.Chdir(t.TempDir())
	code, out, e := parley(t, "calibrate", "embedded:ceasefire-2021.toml", "--free", "attacks.background=0:2", "--method", "nelder-mead", "--evals", "1",
		"--runs", "10", "--check-runs", "20", "--workers", "2", "--quiet", "--format", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	sum, err := os.ReadFile(filepath.Join(want, "summary.txt"))
	if err != nil {
		t.Fatalf("the help's default folder %s was not written: %v\n%s", want, err, out)
	}
	for _, w := range []string{"attacks.background: the fit did not move from the start", "raise --evals"} {
		if !strings.Contains(string(sum), w) || !strings.Contains(e, "parley: warning: ") || !strings.Contains(e, w) {
			t.Errorf("%q missing from the summary or stderr:\nstderr: %s\nsummary:\n%s", w, e, sum)
		}
	}
	code, _, e = parley(t, "calibrate", "embedded:ceasefire-2021.toml", "--free", "attacks.background=0:2", "--method", "abc+nm", "--samples", "20", "--accept", "0.1",
		"--evals", "4", "--runs", "10", "--check-runs", "20", "--workers", "2", "--quiet", "--format", "", "--out", "abc")
	if code != 0 {
		t.Fatalf("abc+nm: exit %d: %s", code, e)
	}
	if !strings.Contains(e, "only 2 accepted draws") || !strings.Contains(e, "the intervals are unreliable; raise --samples") {
		t.Errorf("no warning of the 2 accepted draws on stderr:\n%s", e)
	}
}
