package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/scenario"
	"github.com/parley-sim/parley/sim/sweep"
)

// short loads the embedded one-ceasefire episode (203 days).
func short(t testing.TB) *scenario.Loaded {
	t.Helper()
	l, err := scenario.LoadFS(scenarios.FS, "ceasefire-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func dims(t testing.TB, sc *sim.Scenario, specs ...string) []sweep.Dim {
	t.Helper()
	var out []sweep.Dim
	for _, s := range specs {
		d, err := sweep.ParseParam(s, sc)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func config(t testing.TB, kind string, samples int, out string) sweep.Config {
	l := short(t)
	sc := l.Scenario
	return sweep.Config{
		Scenario: sc, ScenarioPath: l.Path, ScenarioFiles: l.Files, ScenarioSHA: scenario.Hash(sc),
		Design: sweep.Design{Kind: kind, Samples: samples, Seed: 7,
			Dims: dims(t, sc, "mediator.pressure=0.1:0.9:3", "insurgent.factions.JuA.hardline=0.3,0.9")},
		RunsPerPoint: 6, Seed: 42, KeepRuns: true, Out: out, Workers: 2,
	}
}

func read(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameDirs(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := read(t, a), read(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("%s has %d files, %s has %d", a, len(fa), b, len(fb))
	}
	for name, x := range fa {
		if y, ok := fb[name]; !ok || !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s:\n%s\n---\n%s", name, a, b, x, y)
		}
	}
}

// TestDeterministic: workers 1 and 2, and three shards merged, give the
// same bytes in every output file.
func TestDeterministic(t *testing.T) {
	tmp := t.TempDir()
	c1 := config(t, "grid", 0, filepath.Join(tmp, "w1"))
	c1.Workers = 1
	if _, err := sweep.Run(context.Background(), c1); err != nil {
		t.Fatal(err)
	}
	c2 := config(t, "grid", 0, filepath.Join(tmp, "w2"))
	if _, err := sweep.Run(context.Background(), c2); err != nil {
		t.Fatal(err)
	}
	sameDirs(t, c1.Out, c2.Out)
	for i := 0; i < 3; i++ {
		c := config(t, "grid", 0, "")
		c.Shard = sweep.Shard{Index: i, Count: 3}
		c.Out = sweep.ShardDir(filepath.Join(tmp, "shards"), c.Shard)
		if _, err := sweep.Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sweep.Merge(filepath.Join(tmp, "merged"), []string{filepath.Join(tmp, "shards")}, false, nil); err != nil {
		t.Fatal(err)
	}
	sameDirs(t, c1.Out, filepath.Join(tmp, "merged"))

	pts := string(read(t, c1.Out)["points.csv"])
	lines := strings.Split(strings.TrimSpace(pts), "\n")
	if len(lines) != 1+6 {
		t.Fatalf("points.csv has %d lines, want header + 6 points:\n%s", len(lines), pts)
	}
	if !strings.HasPrefix(lines[0], "point,mediator.pressure,insurgent.factions.JuA.hardline,p_ceasefire,") {
		t.Errorf("header %q", lines[0])
	}
	if lines[1][:10] != "0,0.1,0.3," || lines[6][:10] != "5,0.9,0.9," {
		t.Errorf("grid rows out of order: %q ... %q", lines[1], lines[6])
	}
	runs := strings.Count(string(read(t, c1.Out)["runs.csv"]), "\n")
	if runs != 1+6*6 {
		t.Errorf("runs.csv has %d lines, want 37", runs)
	}
}

// TestMergeChecks: a missing shard and a shard of another sweep are refused.
func TestMergeChecks(t *testing.T) {
	tmp := t.TempDir()
	for i := 0; i < 2; i++ {
		c := config(t, "grid", 0, "")
		c.RunsPerPoint = 2
		c.Shard = sweep.Shard{Index: i, Count: 3}
		c.Out = sweep.ShardDir(filepath.Join(tmp, "s"), c.Shard)
		if _, err := sweep.Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	_, err := sweep.Merge(filepath.Join(tmp, "m"), []string{filepath.Join(tmp, "s")}, false, nil)
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("merge with a missing shard: %v", err)
	}
	c := config(t, "grid", 0, "")
	c.RunsPerPoint = 2
	c.Seed = 43
	c.Shard = sweep.Shard{Index: 2, Count: 3}
	c.Out = sweep.ShardDir(filepath.Join(tmp, "s"), c.Shard)
	if _, err := sweep.Run(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	_, err = sweep.Merge(filepath.Join(tmp, "m"), []string{filepath.Join(tmp, "s")}, false, nil)
	if err == nil || !strings.Contains(err.Error(), "different sweep") {
		t.Errorf("merge of shards of different sweeps: %v", err)
	}
}

// TestResume: a sweep cancelled after k points, then given a torn last line
// (as a kill -9 mid-write leaves), resumes to the same bytes as an
// uninterrupted one, computing only the missing points.
func TestResume(t *testing.T) {
	tmp := t.TempDir()
	full := config(t, "lhs", 9, filepath.Join(tmp, "full"))
	if _, err := sweep.Run(context.Background(), full); err != nil {
		t.Fatal(err)
	}
	c := config(t, "lhs", 9, filepath.Join(tmp, "cut"))
	ctx, cancel := context.WithCancel(context.Background())
	c.Progress = func(done, total int) {
		if done == 4 {
			cancel()
		}
	}
	if _, err := sweep.Run(ctx, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sweep returned %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Out, "points.csv")); err == nil {
		t.Fatal("an interrupted sweep wrote points.csv")
	}
	// Without --resume the folder is refused.
	c.Progress = nil
	if _, err := sweep.Run(context.Background(), c); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("rerun without --resume: %v", err)
	}
	// Tear the checkpoint's last line and leave half a runs row.
	part := filepath.Join(c.Out, ".partial")
	pts, _ := os.ReadFile(filepath.Join(part, "points.part"))
	k := bytes.Count(pts, []byte("\n"))
	if k < 4 {
		t.Fatalf("checkpoint has %d points, want >= 4", k)
	}
	appendTo(t, filepath.Join(part, "points.part"), strconv.Itoa(k)+",0.5,0.3")
	appendTo(t, filepath.Join(part, "runs.part"), strconv.Itoa(k)+",0,123")
	c.Resume = true
	var first = -1
	c.Progress = func(done, total int) {
		if first < 0 {
			first = done
		}
	}
	res, err := sweep.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if first != k || res.Computed != 9-k {
		t.Errorf("resume started at %d and computed %d points; want start %d, %d computed", first, res.Computed, k, 9-k)
	}
	sameDirs(t, full.Out, c.Out)
	// Resuming a complete sweep says so.
	if _, err := sweep.Run(context.Background(), c); !errors.Is(err, sweep.ErrComplete) {
		t.Errorf("resume of a complete sweep: %v", err)
	}
	// Resuming with other settings is refused.
	c2 := config(t, "lhs", 9, filepath.Join(tmp, "cut2"))
	ctx, cancel = context.WithCancel(context.Background())
	c2.Progress = func(done, total int) {
		if done == 2 {
			cancel()
		}
	}
	sweep.Run(ctx, c2)
	c2.Progress, c2.Resume, c2.RunsPerPoint = nil, true, 7
	if _, err := sweep.Run(context.Background(), c2); err == nil || !strings.Contains(err.Error(), "different settings") {
		t.Errorf("resume with different settings: %v", err)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestSweptKeyMatters: the swept key reaches the model (more background
// attacks, more attacks).
func TestSweptKeyMatters(t *testing.T) {
	l := short(t)
	sc := l.Scenario
	c := sweep.Config{Scenario: sc, ScenarioSHA: scenario.Hash(sc),
		Design:       sweep.Design{Kind: "grid", Dims: dims(t, sc, "attacks.background=0,20")},
		RunsPerPoint: 20, Seed: 1, Out: filepath.Join(t.TempDir(), "s")}
	if _, err := sweep.Run(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(c.Out, "points.csv"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	col := -1
	for i, h := range strings.Split(lines[0], ",") {
		if h == "attacks_mean" {
			col = i
		}
	}
	lo := strings.Split(lines[1], ",")[col]
	hi := strings.Split(lines[2], ",")[col]
	if !(parse(t, lo) < parse(t, hi)) {
		t.Errorf("attacks_mean with background 0 is %s, with 20 is %s", lo, hi)
	}
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestShardRange(t *testing.T) {
	for _, n := range []int{1, 7, 10, 100} {
		for _, k := range []int{1, 3, 4, 8} {
			next := 0
			for i := 0; i < k; i++ {
				lo, hi := sweep.Shard{Index: i, Count: k}.Range(n)
				if lo != next || hi < lo {
					t.Fatalf("n=%d k=%d shard %d: [%d,%d) after %d", n, k, i, lo, hi, next)
				}
				next = hi
			}
			if next != n {
				t.Fatalf("n=%d k=%d: shards end at %d", n, k, next)
			}
		}
	}
	if _, err := sweep.ParseShard("3/3"); err == nil {
		t.Error("3/3 accepted")
	}
	if s, err := sweep.ParseShard("2/5"); err != nil || s != (sweep.Shard{Index: 2, Count: 5}) {
		t.Errorf("2/5: %v %v", s, err)
	}
}
