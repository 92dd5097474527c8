package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// parley runs the command in-process and returns its exit status and output.
func parley(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

// small is a quick job on a built-in episode scenario: 40 runs of the
// November 2021 ceasefire (about 200 days).
func small(out string, extra ...string) []string {
	return append([]string{"run", "embedded:ceasefire-2021.toml", "--runs", "40", "--seed", "11", "--quiet", "--out", out}, extra...)
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// TestRunSameBytesWhateverWorkers: same scenario and seed give
// byte-identical outputs (CSVs, summary, plots in PNG, SVG and PDF) with 1
// and 4 workers; only the manifest differs (it records the workers and the
// wall time).
func TestRunSameBytesWhateverWorkers(t *testing.T) {
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "w1"), filepath.Join(tmp, "w4")
	if code, _, e := parley(t, small(a, "--workers", "1", "--format", "png,svg,pdf")...); code != 0 {
		t.Fatalf("workers 1: exit %d: %s", code, e)
	}
	if code, _, e := parley(t, small(b, "--workers", "4", "--format", "png,svg,pdf")...); code != 0 {
		t.Fatalf("workers 4: exit %d: %s", code, e)
	}
	fa, fb := readDir(t, a), readDir(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("different file sets: %d vs %d", len(fa), len(fb))
	}
	for _, want := range []string{"manifest.json", "summary.txt", "runs.csv", "ceasefires.csv", "series.csv", "events.csv", "attacks.png", "survival.png", "phases.png", "fighters.png", "leverage.png", "overview.png", "attacks.svg", "attacks.pdf"} {
		if _, ok := fa[want]; !ok {
			t.Errorf("%s missing from the output", want)
		}
	}
	for name, x := range fa {
		if name == "manifest.json" {
			continue
		}
		if !bytes.Equal(x, fb[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
	for _, m := range []string{string(fa["manifest.json"]), string(fb["manifest.json"])} {
		for _, key := range []string{`"version"`, `"go_version"`, `"scenario_sha256"`, `"seed": 11`, `"runs": 40`, `"start": "2021-11-09"`, `"step": "day"`, `"wall_seconds"`, `"parameters"`} {
			if !strings.Contains(m, key) {
				t.Errorf("manifest lacks %s", key)
			}
		}
	}
}

// TestGolden pins the outputs of a small job. The model is stochastic but
// seeded; these files change only when the model, its parameters or the
// writers change. When a change is intended, run
//
//	go test ./internal/cli -run TestGolden -update
//
// and review the diff of testdata/golden/ like any other code change.
func TestGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "g")
	// --no-filter: these files pin the unconditioned model (and prove that
	// the particle filter left its path byte for byte as it was).
	if code, _, e := parley(t, small(out, "--format", "png", "--stories", "1", "--no-filter")...); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	got := readDir(t, out)
	for _, name := range []string{"runs.csv", "ceasefires.csv", "series.csv", "events.csv", "summary.txt"} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got[name], want) {
			t.Errorf("%s differs from %s; if the change is intended, rerun with -update and review the diff\n%s", name, path, firstDiff(want, got[name]))
		}
	}
}

// TestRunConditions: by default run conditions the runs on the scenario's
// observed months and says so in the summary and the manifest; --no-filter
// turns it off. (TestRunSameBytesWhateverWorkers covers the filtered run's
// independence of the workers.)
func TestRunConditions(t *testing.T) {
	tmp := t.TempDir()
	for _, c := range []struct {
		name     string
		extra    []string
		summary  []string // substrings of summary.txt (regexps); empty: must not say CONDITIONED
		manifest []string
	}{
		{"filtered", nil, []string{`CONDITIONED on 6 observed months and 2 facts up to 2022-05-31`, `min ESS \d+ of 40`},
			[]string{`"on": true`, `"until": "2022-05-31"`, `"block": 40`, `"ess_min"`, `"date": "2021-12-31"`}},
		{"free", []string{"--no-filter"}, nil, []string{`"on": false`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(tmp, c.name)
			if code, _, e := parley(t, small(out, append([]string{"--format", "svg"}, c.extra...)...)...); code != 0 {
				t.Fatalf("exit %d: %s", code, e)
			}
			got := readDir(t, out)
			sum, man := string(got["summary.txt"]), string(got["manifest.json"])
			if len(c.summary) == 0 && strings.Contains(sum, "CONDITIONED") {
				t.Errorf("unconditioned summary says CONDITIONED:\n%s", sum)
			}
			for _, w := range c.summary {
				if !regexp.MustCompile(w).MatchString(sum) {
					t.Errorf("summary lacks %q:\n%s", w, sum)
				}
			}
			for _, w := range c.manifest {
				if !strings.Contains(man, w) {
					t.Errorf("manifest lacks %s", w)
				}
			}
		})
	}
}

func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] != gl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + wl[i] + "\n  got  " + gl[i]
		}
	}
	return "lengths differ: want " + strconv.Itoa(len(wl)) + " lines, got " + strconv.Itoa(len(gl))
}

// TestRunNeverClobbers: an existing folder is left alone without --force,
// and replaced with it.
func TestRunNeverClobbers(t *testing.T) {
	out := filepath.Join(t.TempDir(), "keep")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	precious := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(precious, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e := parley(t, small(out)...)
	if code != 1 || !strings.Contains(e, "exists") || !strings.Contains(e, "--force") {
		t.Fatalf("want exit 1 naming the folder and --force, got %d: %q", code, e)
	}
	if b, err := os.ReadFile(precious); err != nil || string(b) != "mine" {
		t.Fatalf("existing output was touched: %q %v", b, err)
	}
	// --force replaces only a previous parley output, not a folder of other files.
	code, _, e = parley(t, small(out, "--force")...)
	if code != 1 || !strings.Contains(e, "not a parley output folder") {
		t.Fatalf("--force over a folder of other files: want exit 1 saying it is not a parley output, got %d: %q", code, e)
	}
	if b, err := os.ReadFile(precious); err != nil || string(b) != "mine" {
		t.Fatalf("existing folder was touched: %q %v", b, err)
	}
	os.Remove(precious)
	if code, _, e := parley(t, small(out)...); code != 1 {
		t.Fatalf("over an empty folder without --force: exit %d: %s", code, e)
	}
	if code, _, e := parley(t, small(out, "--force")...); code != 0 {
		t.Fatalf("--force over an empty folder: exit %d: %s", code, e)
	}
	if code, _, e := parley(t, small(out, "--force")...); code != 0 {
		t.Fatalf("--force over a previous output: exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(out, "runs.csv")); err != nil {
		t.Fatalf("--force did not write: %v", err)
	}
	// No staging folders left behind.
	ents, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range ents {
		if strings.Contains(e.Name(), ".partial-") {
			t.Errorf("staging folder %s left behind", e.Name())
		}
	}
}

// TestBadInput: usage errors exit 2, scenario errors exit 1 and name the
// file, the line and the key; nothing is written.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("extends = \"embedded:base.toml\"\nname = \"x\"\nrunz = 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "typo.toml")
	os.WriteFile(typo, []byte("name = \"t\"\nstart = 2021-01-01\nend = 2021-02-01\n\n[mediator]\npressure = 1.7\n"), 0o644)
	out := filepath.Join(dir, "out")
	cases := []struct {
		name string
		args []string
		code int
		want []string // substrings of stderr (regexps)
	}{
		{"unknown flag", []string{"run", "--runz", "3"}, 2, []string{`unknown flag --runz \(did you mean --runs\?\)`}},
		{"bad period", []string{"run", "--period", "year", "--out", out}, 2, []string{`period "year" is not allowed`, `day, week, month`}},
		{"bad format", []string{"run", "--format", "gif", "--out", out}, 2, []string{`allowed formats are png, svg, pdf`}},
		{"two files", []string{"run", bad, typo}, 2, []string{`one scenario at a time`}},
		{"unknown command", []string{"rum"}, 2, []string{`unknown command "rum"`}},
		{"bad set key", []string{"run", "--set", "mediator.presure=0.5", "--out", out}, 2, []string{`mediator\.presure`, `mediator\.pressure`}},
		{"bad set value", []string{"run", "--set", "mediator.pressure=2", "--out", out}, 2, []string{`mediator\.pressure`, `0`, `1`}},
		{"missing file", []string{"validate", filepath.Join(dir, "nope.toml")}, 1, []string{`nope\.toml`}},
		{"out of range", []string{"validate", typo}, 1, []string{`typo\.toml:6`, `mediator\.pressure`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, e := parley(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, e)
			}
			for _, w := range c.want {
				if !regexp.MustCompile(w).MatchString(e) {
					t.Errorf("stderr lacks %q:\n%s", w, e)
				}
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed job wrote %s", out)
	}
}

// TestValidateShipped: every shipped scenario validates, and each is named
// in the output with its hash.
func TestValidateShipped(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(files) < 7 {
		t.Fatalf("want at least 7 shipped scenarios, got %d (%v)", len(files), err)
	}
	code, o, e := parley(t, append([]string{"validate"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if n := strings.Count(o, "\nok  ") + btoi(strings.HasPrefix(o, "ok  ")); n != len(files) {
		t.Errorf("%d ok lines for %d files:\n%s", n, len(files), o)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestFlagsAfterFile: flags may follow the scenario file; --set values
// reach the manifest.
func TestFlagsAfterFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	code, o, e := parley(t, "run", "embedded:ceasefire-2021.toml", "--runs", "12", "--out", out, "--set", "mediator.pressure=0.9", "--format", "svg")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if !strings.Contains(o, "12 runs") {
		t.Errorf("summary does not say 12 runs:\n%s", o)
	}
	m, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if !strings.Contains(string(m), "mediator.pressure=0.9") || !strings.Contains(string(m), `"runs": 12`) {
		t.Errorf("manifest does not record the set and runs:\n%s", m)
	}
	if _, err := os.Stat(filepath.Join(out, "attacks.svg")); err != nil {
		t.Errorf("--format svg: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "attacks.png")); err == nil {
		t.Errorf("--format svg also wrote PNG")
	}
}

// TestCompare: a scenario compared with itself gives exactly zero in every
// difference column of compare.csv; outputs do not depend on the workers;
// the manifest names every variant.
func TestCompare(t *testing.T) {
	tmp := t.TempDir()
	self := filepath.Join(tmp, "self")
	code, o, e := parley(t, "compare", "embedded:ceasefire-2021.toml", "embedded:ceasefire-2021.toml", "--runs", "50", "--seed", "5", "--quiet", "--out", self, "--format", "png")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if !strings.Contains(o, "VARIANT ceasefire-2021 #2") || !strings.Contains(o, "0 (no change in any pair)") {
		t.Errorf("summary does not show the self-comparison:\n%s", o)
	}
	b, err := os.ReadFile(filepath.Join(self, "compare.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 10 || lines[0] != strings.Join([]string{"variant", "outcome", "ceasefire", "date", "unit", "n", "base", "variant_value", "diff", "diff_lo", "diff_hi", "se", "p_better", "p_worse", "p_same", "var_paired", "var_unpaired"}, ",") {
		t.Fatalf("compare.csv header or length wrong: %d lines, %q", len(lines), lines[0])
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if f[5] == "0" {
			continue // outcome absent in every run
		}
		for _, col := range []int{8, 12, 13} { // diff, p_better, p_worse
			if f[col] != "0" {
				t.Errorf("self-comparison: column %d is %q in %s", col, f[col], l)
			}
		}
		if f[6] != f[7] {
			t.Errorf("self-comparison: base %s ≠ variant %s in %s", f[6], f[7], l)
		}
	}

	// --vary variants, workers 1 vs 3: same bytes.
	var outs []map[string][]byte
	for _, w := range []string{"1", "3"} {
		dir := filepath.Join(tmp, "vary"+w)
		code, _, e := parley(t, "compare", "embedded:ceasefire-2021.toml", "--vary", "mediator.pressure=0.9", "--vary", "rules.state_ends_ceasefire.tolerance=40,insurgent.patience=60",
			"--runs", "40", "--quiet", "--out", dir, "--workers", w, "--format", "png")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
		outs = append(outs, readDir(t, dir))
	}
	for name, x := range outs[0] {
		if name != "manifest.json" && !bytes.Equal(x, outs[1][name]) {
			t.Errorf("%s differs between 1 and 3 workers", name)
		}
	}
	for _, want := range []string{"compare.csv", "causes.csv", "summary.txt", "attacks.png", "survival-1.png", "effects.png", "causes.png"} {
		if _, ok := outs[0][want]; !ok {
			t.Errorf("%s missing", want)
		}
	}
	m := string(outs[0]["manifest.json"])
	for _, want := range []string{`"command": "compare"`, `"mediator.pressure=0.9"`, `"insurgent.patience=60"`, `"variants"`} {
		if !strings.Contains(m, want) {
			t.Errorf("manifest lacks %s", want)
		}
	}

	// Nothing to compare; a variant with another horizon.
	if code, _, e := parley(t, "compare", "embedded:ceasefire-2021.toml", "--out", filepath.Join(tmp, "x")); code != 2 || !strings.Contains(e, "nothing to compare") {
		t.Errorf("no variant: exit %d, %q", code, e)
	}
	if code, _, e := parley(t, "compare", "embedded:ceasefire-2021.toml", "embedded:ceasefire-2022.toml", "--out", filepath.Join(tmp, "y")); code != 1 || !strings.Contains(e, "same horizon") {
		t.Errorf("different horizons: exit %d, %q", code, e)
	}
}
