package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestSweepMergeAnalyze: a sweep run whole, and as three array tasks whose
// shard comes from SLURM_ARRAY_TASK_ID, merge to the same bytes; analyze
// writes its heat maps and PRIM box.
func TestSweepMergeAnalyze(t *testing.T) {
	tmp := t.TempDir()
	args := []string{"sweep", "embedded:ceasefire-2021.toml", "--param", "mediator.pressure=0.1:0.9:3",
		"--param", "insurgent.factions.JuA.hardline=0.2,0.8", "--runs-per-point", "8", "--quiet"}
	if _, e, code := run(t, append(args, "--out", filepath.Join(tmp, "whole"))...); code != 0 {
		t.Fatalf("sweep: %d %s", code, e)
	}
	runArrayAndMerge(t, args, filepath.Join(tmp, "arr"), filepath.Join(tmp, "merged"), 3)
	for _, f := range []string{"points.csv", "manifest.json"} {
		a, _ := os.ReadFile(filepath.Join(tmp, "whole", f))
		b, _ := os.ReadFile(filepath.Join(tmp, "merged", f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after merging the array tasks", f)
		}
	}
	out, e, code := run(t, "analyze", filepath.Join(tmp, "whole"), "--outcomes", "attacks_mean", "--prim-outcome", "attacks_mean", "--prim-threshold", "0")
	if code != 0 {
		t.Fatalf("analyze: %d %s", code, e)
	}
	for _, f := range []string{"heatmap_attacks_mean.png", "prim_box.csv", "summary.txt"} {
		if _, err := os.Stat(filepath.Join(tmp, "whole", "analysis", f)); err != nil {
			t.Errorf("analyze did not write %s: %v\n%s", f, err, out)
		}
	}
}

func TestSweepUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--out", "x"}, "give at least one --param"},
		{[]string{"sweep", "--param", "mediator.presure=0:1"}, `did you mean "mediator.pressure"`},
		{[]string{"sweep", "--param", "mediator.pressure=0:1", "--design", "lhs"}, "needs --samples"},
		{[]string{"sweep", "--param", "mediator.pressure=0:1", "--shard", "4/4"}, "0 <= i < n"},
		{[]string{"merge", "somewhere"}, "--out"},
	} {
		_, e, code := run(t, tc.args...)
		if code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, e, tc.want)
		}
	}
	getenv = func(k string) string { return map[string]string{"JOB_COMPLETION_INDEX": "1"}[k] }
	defer func() { getenv = os.Getenv }()
	if _, e, code := run(t, "sweep", "--param", "mediator.pressure=0:1", "--out", filepath.Join(t.TempDir(), "k")); code != 2 || !strings.Contains(e, "--shards") {
		t.Errorf("JOB_COMPLETION_INDEX without --shards: %d %q", code, e)
	}
}

// TestSweepParquet: --format parquet writes Parquet beside the CSVs, listed
// in the manifest, and a sharded-and-merged sweep gives the same Parquet
// bytes as a whole one.
func TestSweepParquet(t *testing.T) {
	tmp := t.TempDir()
	args := func(out string, extra ...string) []string {
		return append([]string{"sweep", "embedded:ceasefire-2021.toml", "--param", "mediator.pressure=0.1:0.9:3",
			"--runs-per-point", "8", "--format", "parquet", "--keep-runs", "--quiet", "--out", out}, extra...)
	}
	whole := filepath.Join(tmp, "whole")
	if code, _, e := parley(t, args(whole)...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, e)
	}
	shards := filepath.Join(tmp, "shards")
	for _, s := range []string{"0/2", "1/2"} {
		if code, _, e := parley(t, args(shards, "--shard", s)...); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", s, code, e)
		}
	}
	merged := filepath.Join(tmp, "merged")
	if code, _, e := parley(t, "merge", shards, "--out", merged); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, e)
	}
	for _, name := range []string{"points.parquet", "runs.parquet", "points.csv", "manifest.json"} {
		a, err1 := os.ReadFile(filepath.Join(whole, name))
		b, err2 := os.ReadFile(filepath.Join(merged, name))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", name, err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the whole and the merged sweep", name)
		}
		if name == "points.parquet" && !bytes.HasPrefix(a, []byte("PAR1")) {
			t.Errorf("%s is not a Parquet file", name)
		}
	}
	m, _ := os.ReadFile(filepath.Join(whole, "manifest.json"))
	if !bytes.Contains(m, []byte(`"points.parquet"`)) || !bytes.Contains(m, []byte(`"parquet": true`)) {
		t.Errorf("manifest does not list the Parquet output:\n%s", m)
	}
	if code, _, e := parley(t, "sweep", "--param", "mediator.pressure=0:1:2", "--format", "xlsx", "--out", filepath.Join(tmp, "x")); code != 2 || !strings.Contains(e, "allowed formats are csv, parquet") {
		t.Errorf("bad format: exit %d, %q", code, e)
	}
}

// runArrayAndMerge runs the sweep args as an array job of tasks shards into
// arr (each task sees its SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT),
// then merges the shards into merged.
func runArrayAndMerge(t *testing.T, args []string, arr, merged string, tasks int) {
	t.Helper()
	defer func() { getenv = os.Getenv }()
	for i := 0; i < tasks; i++ {
		env := map[string]string{"SLURM_ARRAY_TASK_ID": strconv.Itoa(i), "SLURM_ARRAY_TASK_COUNT": strconv.Itoa(tasks)}
		getenv = func(k string) string { return env[k] }
		if _, e, code := run(t, append(args, "--out", arr)...); code != 0 {
			t.Fatalf("task %d: %d %s", i, code, e)
		}
	}
	getenv = os.Getenv
	if _, e, code := run(t, "merge", arr, "--out", merged); code != 0 {
		t.Fatalf("merge: %d %s", code, e)
	}
}
