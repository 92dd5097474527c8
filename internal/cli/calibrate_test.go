package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-sim/parley/sim/calib"
)

// calArgs is a quick ABC-SMC calibration of the November 2021 ceasefire.
func calArgs(out string, extra ...string) []string {
	return append([]string{"embedded:ceasefire-2021.toml", "--free", "attacks.background=0:2,rules.state_ends_ceasefire.tolerance=normal(20,10)",
		"--particles", "12", "--budget", "60", "--runs", "20", "--check-runs", "40", "--seed", "3", "--workers", "2", "--quiet", "--format", "png", "--out", out}, extra...)
}

// TestCalibrateABCSMCOutputsAndResume: parley calibrate (ABC-SMC by
// default) writes posterior.csv (read back by calib.ReadPosterior),
// populations.csv and the warnings in the manifest; a run interrupted
// part-way and resumed from its checkpoint writes the same bytes as one
// run straight through (the manifest aside: it records wall time and the
// evaluations resumed).
func TestCalibrateABCSMCOutputsAndResume(t *testing.T) {
	tmp := t.TempDir()
	a := filepath.Join(tmp, "a")
	if code, _, e := parley(t, append([]string{"calibrate"}, calArgs(a)...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	fa := readDir(t, a)
	for _, name := range []string{"posterior.csv", "populations.csv", "params.csv", "trace.csv", "summary.txt", "manifest.json", "ceasefire-2021.calibrated.toml"} {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s not written", name)
		}
	}
	post, err := calib.ReadPosterior(bytes.NewReader(fa["posterior.csv"]))
	if err != nil {
		t.Fatal(err)
	}
	if len(post.Theta) != 12 || strings.Join(post.Keys, ",") != "attacks.background,rules.state_ends_ceasefire.tolerance" {
		t.Errorf("posterior: %d particles, keys %v", len(post.Theta), post.Keys)
	}
	if !strings.HasPrefix(string(fa["populations.csv"]), "t,epsilon,accepted,evaluations,acceptance_rate,ess\n0,+Inf,12,") {
		t.Errorf("populations.csv:\n%s", fa["populations.csv"])
	}
	var man struct {
		Extra struct {
			Method   string   `json:"method"`
			Warnings []string `json:"warnings"`
			Point    string   `json:"point_estimate"`
			ABC      struct {
				Populations []map[string]any `json:"populations"`
			} `json:"abc_smc"`
		} `json:"extra"`
	}
	if err := json.Unmarshal(fa["manifest.json"], &man); err != nil {
		t.Fatal(err)
	}
	if man.Extra.Method != "abc-smc" || man.Extra.Point != calib.PointMedian || len(man.Extra.ABC.Populations) == 0 || man.Extra.Warnings == nil {
		t.Errorf("manifest extra: %+v", man.Extra)
	}
	// 12 particles: the posterior is too thin, and the summary says so.
	sum := string(fa["summary.txt"])
	if !strings.Contains(sum, "WARNINGS") || !strings.Contains(sum, "too few to trust") || !strings.Contains(sum, "ABC-SMC POPULATIONS") {
		t.Errorf("summary lacks the populations or the warning:\n%s", sum)
	}
	if len(man.Extra.Warnings) == 0 || !strings.Contains(string(fa["ceasefire-2021.calibrated.toml"]), "# WARNING: ") {
		t.Error("the warnings are not in the manifest and the overlay")
	}

	// Interrupt a second run once its checkpoint holds 25 evaluations.
	b := filepath.Join(tmp, "b")
	ck := b + ".checkpoint"
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		for ctx.Err() == nil {
			if n := countLines(ck); n > 25 {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err = calibrateCmd(ctx, calArgs(b), io.Discard, io.Discard)
	cancel()
	if err == nil {
		t.Skip("the run finished before it could be interrupted")
	}
	n := countLines(ck)
	if n < 10 {
		t.Fatalf("interrupted with %d checkpoint lines (%v)", n, err)
	}
	t.Logf("interrupted after %d evaluations: %v", n-1, err)
	if err := calibrateCmd(context.Background(), calArgs(b, "--resume"), io.Discard, io.Discard); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if _, err := os.Stat(ck); !os.IsNotExist(err) {
		t.Error("the checkpoint outlived the job")
	}
	fb := readDir(t, b)
	for name, want := range fa {
		if name == "manifest.json" {
			continue
		}
		got := fb[name]
		if name == "ceasefire-2021.calibrated.toml" { // its provenance line names the command
			want, got = dropLines(want, "# Provenance"), dropLines(got, "# Provenance")
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs after an interruption and --resume", name)
		}
	}
}

func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		n++
	}
	return n
}

func dropLines(b []byte, prefix string) []byte {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

// TestCalibrateFlags: bad ABC-SMC flags and priors are usage errors that
// say what is allowed.
func TestCalibrateFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--method", "simplex"}, "allowed are abc-smc"},
		{[]string{"--particles", "50", "--budget", "10"}, "--budget at least --particles"},
		{[]string{"--quantile", "1"}, "--quantile"},
		{[]string{"--acceptance", "fuzzy"}, "soft or hard"},
		{[]string{"--free", "attacks.background=normal(1)"}, "normal(mu,sd)"},
	} {
		args := append([]string{"calibrate", "embedded:ceasefire-2021.toml", "--out", out, "--quiet"}, c.args...)
		if !containsFlag(c.args, "--free") {
			args = append(args, "--free", "attacks.background=0:2")
		}
		code, _, e := parley(t, args...)
		if code == 0 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want one saying %q", c.args, code, e, c.want)
		}
	}
}

func containsFlag(args []string, f string) bool {
	for _, a := range args {
		if a == f {
			return true
		}
	}
	return false
}

func TestSplitFree(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"a=0:1,b", []string{"a=0:1", "b"}},
		{"a=normal(0.5,0.1), b=1:2", []string{"a=normal(0.5,0.1)", "b=1:2"}},
		{" a ,, ", []string{"a"}},
	} {
		if got := splitFree(c.in); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("splitFree(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
