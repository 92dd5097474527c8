package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestStrictNumbers: --seed, --runs and --workers are parsed by one strict
// parser in every verb: a malformed value is a usage error (exit 2) naming
// the flag, never a silently different number.
func TestStrictNumbers(t *testing.T) {
	verbs := map[string][]string{
		"run":       {"run"},
		"check":     {"check"},
		"compare":   {"compare", "--vary", "mediator.pressure=0.9"},
		"calibrate": {"calibrate", "--free", "mediator.pressure"},
		"sweep":     {"sweep", "--param", "mediator.pressure=0:1"},
		"backtest":  {"backtest"},
	}
	out := filepath.Join(t.TempDir(), "never")
	for verb, args := range verbs {
		for _, v := range []string{"5abc", "0x10", "1_000", "-1", "", " 5", "+5", "18446744073709551616"} {
			t.Run(verb+" --seed "+v, func(t *testing.T) {
				code, _, e := parley(t, append(append([]string(nil), args...), "--seed="+v, "--out", out)...)
				if code != 2 || !strings.Contains(e, "-seed") {
					t.Errorf("exit %d, want 2 naming -seed; stderr: %s", code, e)
				}
			})
		}
		runsFlag := "--runs"
		if verb == "sweep" {
			runsFlag = "--runs-per-point"
		}
		for _, v := range []string{"0", "5abc", "-3"} {
			t.Run(verb+" "+runsFlag+" "+v, func(t *testing.T) {
				code, _, e := parley(t, append(append([]string(nil), args...), runsFlag, v, "--out", out)...)
				if code != 2 || !strings.Contains(e, strings.TrimPrefix(runsFlag, "-")) {
					t.Errorf("exit %d, want 2 naming %s; stderr: %s", code, runsFlag, e)
				}
			})
		}
		t.Run(verb+" --workers 0x4", func(t *testing.T) {
			if code, _, e := parley(t, append(append([]string(nil), args...), "--workers", "0x4", "--out", out)...); code != 2 || !strings.Contains(e, "-workers") {
				t.Errorf("exit %d, want 2 naming -workers; stderr: %s", code, e)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused job wrote %s", out)
	}
	if v, err := parseSeed("18446744073709551615"); err != nil || v != 1<<64-1 {
		t.Errorf("parseSeed(max) = %d, %v", v, err)
	}
}

// TestLimits: --runs above MaxRuns is refused with an estimate of the time
// it would take; --workers above the maximum is clamped with a notice and
// the job runs.
func TestLimits(t *testing.T) {
	tmp := t.TempDir()
	code, _, e := parley(t, "run", "--runs", "1000000000000", "--out", filepath.Join(tmp, "never"))
	if code != 2 || !strings.Contains(e, "above the maximum of 100000000") || !regexp.MustCompile(`about [0-9.e+]+ (years|days|hours|minutes)`).MatchString(e) {
		t.Errorf("--runs 10^12: exit %d, stderr %q; want 2 with a time estimate", code, e)
	}
	if code, _, e := parley(t, "run", "--runs", "100000000", "--seed", "x", "--out", filepath.Join(tmp, "never")); code != 2 || strings.Contains(e, "runs is above") {
		t.Errorf("--runs at the maximum is allowed: exit %d, %q", code, e)
	}
	code, _, e = parley(t, small(filepath.Join(tmp, "w"), "--workers", "100000", "--format", "")...)
	if code != 0 || strings.Count(e, "\n") != 1 || !strings.Contains(e, "--workers 100000 is above the maximum of") {
		t.Errorf("--workers 100000: exit %d, stderr %q; want 0 and a one-line notice", code, e)
	}
}

// TestExitCodes: every verb keeps to the same exit statuses — 0 ok, 1
// failure, 2 usage, 130 interrupted — with a message that says what
// happened and what was kept.
func TestExitCodes(t *testing.T) {
	tmp := t.TempDir()
	junk := filepath.Join(tmp, "junk")
	os.MkdirAll(junk, 0o755)
	os.WriteFile(filepath.Join(junk, "notes.txt"), []byte("mine"), 0o644)
	fifo := filepath.Join(tmp, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		cancel bool // run under a cancelled context: Ctrl-C at the start
		code   int
		want   []string // regexps of stderr
		not    string   // a phrase stderr must not have
	}{
		{"ok", []string{"validate"}, false, 0, nil, ""},
		{"missing file", []string{"run", filepath.Join(tmp, "nope.toml")}, false, 1, []string{`nope\.toml`}, ""},
		{"unknown command", []string{"rum"}, false, 2, []string{`unknown command`}, ""},
		{"--set =5", []string{"run", "--set", "=5", "--out", filepath.Join(tmp, "o1")}, false, 2, []string{`--set =5: want key=value`}, ""},
		{"--set =5 in validate", []string{"validate", "--set", "=5"}, false, 2, []string{`--set =5`}, ""},
		{"--vary =5", []string{"compare", "--vary", "=5", "--out", filepath.Join(tmp, "o2")}, false, 2, []string{`want key=value`}, ""},
		{"sweep --set =5", []string{"sweep", "--param", "mediator.pressure=0:1", "--set", "=5", "--out", filepath.Join(tmp, "o3")}, false, 2, []string{`want key=value`}, ""},
		{"--out / --force", []string{"run", "--runs", "2", "--out", "/", "--force"}, false, 1, []string{`/ is the root of the file system`}, "pattern"},
		{"--force over other files", []string{"run", "--runs", "2", "--out", junk, "--force"}, false, 1, []string{`refusing to replace .*junk: it is not a parley output folder`}, ""},
		{"sweep --force over other files", []string{"sweep", "--param", "mediator.pressure=0:1", "--out", junk, "--force"}, false, 1, []string{`not a parley output folder`}, ""},
		{"serve --max-runs above the maximum", []string{"serve", "--addr", "127.0.0.1:0", "--max-runs", "1000000000"}, false, 2, []string{`--max-runs 1000000000 is above the maximum`}, ""},
		{"serve interrupted", []string{"serve", "--addr", "127.0.0.1:0", "embedded:ceasefire-2021.toml"}, true, 0, []string{`shutting down`}, ""},
		{"check interrupted", []string{"check", "embedded:ceasefire-2021.toml", "--runs", "5", "--quiet", "--out", filepath.Join(tmp, "k")}, true, 130, []string{`parley check: interrupted; no output was written`}, ""},
		{"compare interrupted", []string{"compare", "embedded:ceasefire-2021.toml", "--vary", "mediator.pressure=0.9", "--runs", "5", "--quiet", "--out", filepath.Join(tmp, "m")}, true, 130, []string{`parley compare: interrupted; no output was written`}, ""},
		{"backtest interrupted", []string{"backtest", "embedded:ttp-2021.toml", "--runs", "5", "--quiet", "--out", filepath.Join(tmp, "b")}, true, 130, []string{`parley backtest: interrupted; no output was written`}, ""},
		{"FIFO as the scenario", []string{"run", fifo, "--out", filepath.Join(tmp, "f")}, false, 1, []string{`fifo\.toml is a named pipe \(FIFO\), not a regular file`}, ""},
		{"run interrupted", small(filepath.Join(tmp, "r")), true, 130, []string{`parley run: interrupted; no output was written`}, ""},
		{"sweep interrupted", []string{"sweep", "embedded:ceasefire-2021.toml", "--param", "mediator.pressure=0:1:3", "--runs-per-point", "5", "--quiet", "--out", filepath.Join(tmp, "s")}, true, 130,
			[]string{`parley sweep: interrupted; completed points are kept in .*/s/\.partial`, `--resume`}, ""},
		{"calibrate interrupted", []string{"calibrate", "embedded:ceasefire-2021.toml", "--free", "mediator.pressure", "--runs", "5", "--quiet", "--out", filepath.Join(tmp, "c")}, true, 130,
			[]string{`parley calibrate: interrupted; .*kept in .*/c\.checkpoint`, `--resume`}, "no output was written"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.cancel {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				baseContext = func() context.Context { return ctx }
				defer func() { baseContext = context.Background }()
			}
			code, _, e := parley(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, e)
			}
			for _, w := range c.want {
				if !regexp.MustCompile(w).MatchString(e) {
					t.Errorf("stderr lacks %q:\n%s", w, e)
				}
			}
			if c.not != "" && strings.Contains(e, c.not) {
				t.Errorf("stderr says %q:\n%s", c.not, e)
			}
		})
	}
	if b, err := os.ReadFile(filepath.Join(junk, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("--force touched a folder that is not a parley output: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(tmp, "c.checkpoint")); err != nil {
		t.Errorf("interrupted calibration left no checkpoint: %v", err)
	}
}
