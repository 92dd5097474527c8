package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/internal/atomicfile"
	"github.com/parley-sim/parley/internal/columnar"
	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/sim/scenario"
	"github.com/parley-sim/parley/sim/sweep"
)

// getenv is os.Getenv, replaceable in tests.
var getenv = os.Getenv

// shardFromEnv reads the shard of an array job: Slurm's
// SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN) of SLURM_ARRAY_TASK_COUNT,
// or Kubernetes' JOB_COMPLETION_INDEX of count (--shards). ok is false when
// neither is set.
func shardFromEnv(count int) (sweep.Shard, bool, error) {
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		i, err1 := strconv.Atoi(id)
		n, err2 := strconv.Atoi(getenv("SLURM_ARRAY_TASK_COUNT"))
		if err1 != nil || err2 != nil {
			return sweep.Shard{}, false, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q, SLURM_ARRAY_TASK_COUNT=%q: want whole numbers", id, getenv("SLURM_ARRAY_TASK_COUNT"))
		}
		if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
			lo, err := strconv.Atoi(m)
			if err != nil {
				return sweep.Shard{}, false, fmt.Errorf("SLURM_ARRAY_TASK_MIN=%q: want a whole number", m)
			}
			i -= lo
		}
		if i < 0 || i >= n {
			return sweep.Shard{}, false, fmt.Errorf("Slurm array task %d of %d: use a contiguous --array=0-%d", i, n, n-1)
		}
		return sweep.Shard{Index: i, Count: n}, true, nil
	}
	if id := getenv("JOB_COMPLETION_INDEX"); id != "" {
		i, err := strconv.Atoi(id)
		if err != nil {
			return sweep.Shard{}, false, fmt.Errorf("JOB_COMPLETION_INDEX=%q: want a whole number", id)
		}
		if count < 1 {
			return sweep.Shard{}, false, fmt.Errorf("JOB_COMPLETION_INDEX is set: give the job's completions with --shards N")
		}
		if i < 0 || i >= count {
			return sweep.Shard{}, false, fmt.Errorf("JOB_COMPLETION_INDEX=%d is outside 0..%d (--shards %d)", i, count-1, count)
		}
		return sweep.Shard{Index: i, Count: count}, true, nil
	}
	return sweep.Shard{}, false, nil
}

type sweepFlags struct {
	params, sets          multi
	design                string
	samples, runs         int
	seed                  uint64
	seedSet               bool
	out                   string
	workers               int
	resume, force, quiet  bool
	keepRuns              bool
	format                string
	shard                 string
	shards                int
	slurm, submit         bool
	tasks                 int
	slurmTime, slurmExtra string
	cpus                  int
}

func sweepCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep", "parley sweep [FILE|embedded:NAME] --param key=lo:hi[:n]|key=v1,v2,... [--param ...] [--design grid|lhs|sobol|halton|morris] [--samples N] [--runs-per-point R] [--seed S] [--set key=value]... [--out DIR] [--workers W] [--format csv|parquet] [--keep-runs] [--resume] [--force] [--quiet] [--shard i/n | --shards N] [--slurm [--tasks N] [--cpus-per-task N] [--time T] [--sbatch OPTS] [--submit]]", stderr)
	var f sweepFlags
	fs.Var(&f.params, "param", "swept key: key=lo:hi[:n] (range, n grid levels) or key=v1,v2,... (list); repeatable")
	fs.Var(&f.sets, "set", "override a scenario key before sweeping (repeatable)")
	fs.StringVar(&f.design, "design", "grid", "design: grid, lhs, sobol (Saltelli design for Sobol indices), halton, morris (elementary effects)")
	fs.IntVar(&f.samples, "samples", 0, "points (lhs, halton), base samples N (sobol: N·(k+2) points) or trajectories (morris: r·(k+1) points)")
	f.runs = 100
	runsVar(fs, &f.runs, "runs-per-point", "Monte Carlo runs per design point, 1 to 100000000 (default 100)")
	seedVar(fs, &f.seed, &f.seedSet)
	fs.StringVar(&f.out, "out", "", "output folder (default: out/sweep-<scenario name>)")
	workersVar(fs, &f.workers)
	fs.BoolVar(&f.resume, "resume", false, "finish an interrupted sweep in --out (or start it); output is byte-identical to an uninterrupted run")
	fs.BoolVar(&f.force, "force", false, "replace an existing output folder")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&f.keepRuns, "keep-runs", false, "also write runs.csv, one row per run")
	fs.StringVar(&f.format, "format", "csv", "output format: csv, or parquet (Parquet files as well as the CSVs)")
	fs.StringVar(&f.shard, "shard", "", "compute shard i of n (0-based), into DIR/shard-IIII-of-NNNN (default: from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX)")
	fs.IntVar(&f.shards, "shards", 0, "shard count for a Kubernetes indexed job (JOB_COMPLETION_INDEX)")
	fs.BoolVar(&f.slurm, "slurm", false, "write DIR/sweep.sbatch, a Slurm array job running this sweep, instead of running it")
	fs.BoolVar(&f.submit, "submit", false, "with --slurm: submit the script with sbatch")
	fs.IntVar(&f.tasks, "tasks", 4, "with --slurm: array tasks (shards)")
	fs.IntVar(&f.cpus, "cpus-per-task", 2, "with --slurm: CPUs per array task")
	fs.StringVar(&f.slurmTime, "time", "", "with --slurm: time limit per task, e.g. 02:00:00")
	fs.StringVar(&f.slurmExtra, "sbatch", "", "with --slurm: extra #SBATCH options, comma-separated, e.g. --partition=long,--mem=4G")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	path, err := oneScenario(pos)
	if err != nil {
		return err
	}
	if f.runs < 1 || f.workers < 0 || f.samples < 0 {
		return usageError("--runs-per-point must be >= 1, --workers and --samples not negative")
	}
	if len(f.params) == 0 {
		return usageError("give at least one --param key=lo:hi")
	}
	if f.format != "csv" && f.format != "parquet" {
		return usageError("--format %q: allowed formats are csv, parquet (Parquet as well as CSV)", f.format)
	}
	l, err := loadScenario(path, f.sets)
	if err != nil {
		return err
	}
	sc := l.Scenario
	var dims []sweep.Dim
	var bad []string
	for _, p := range f.params {
		d, err := sweep.ParseParam(p, sc)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		dims = append(dims, d)
	}
	if len(bad) > 0 {
		return usageError("%s", strings.Join(bad, "\n  "))
	}
	seed := sc.Seed
	if f.seedSet {
		seed = f.seed
	}
	design := sweep.Design{Kind: f.design, Dims: dims, Samples: f.samples, Seed: seed}
	if err := design.Validate(); err != nil {
		return usageError("%s", strings.TrimPrefix(err.Error(), "sweep: "))
	}
	out := f.out
	if out == "" {
		out = filepath.Join("out", "sweep-"+sc.Name)
	}
	if f.slurm {
		return writeSlurm(ctx, f, path, out, stdout)
	}
	var shard sweep.Shard
	if f.shard != "" {
		if shard, err = sweep.ParseShard(f.shard); err != nil {
			return usageError("%v", err)
		}
	} else if s, ok, err := shardFromEnv(f.shards); err != nil {
		return usageError("%v", err)
	} else if ok {
		shard = s
	}
	dir := out
	if shard.Count > 0 {
		dir = sweep.ShardDir(out, shard)
	}
	if f.force {
		if _, err := os.Stat(dir); err == nil {
			if err := outdir.Replaceable(dir); err != nil {
				return err
			}
		}
	}
	lo, hi := shard.Range(design.Len())
	bar := newProgress(stderr, !f.quiet && isTerminal(stderr), "sweeping", hi-lo)
	cfg := sweep.Config{Scenario: sc, ScenarioPath: l.Path, ScenarioFiles: l.Files, ScenarioSHA: scenario.Hash(sc), Sets: f.sets,
		Design: design, RunsPerPoint: f.runs, Seed: seed, KeepRuns: f.keepRuns, Parquet: f.format == "parquet", ToParquet: columnar.FromCSV, Shard: shard,
		Out: dir, Workers: f.workers, Resume: f.resume, Force: f.force,
		Progress: func(done, total int) { bar.Set(done) }}
	res, err := sweep.Run(ctx, cfg)
	bar.Done()
	if errors.Is(err, sweep.ErrComplete) {
		fmt.Fprintf(stdout, "%s is already complete\n", dir)
		return nil
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return &interruptedErr{fmt.Sprintf("completed points are kept in %s/.partial — finish with the same command and --resume", dir)}
		}
		return err
	}
	if err := sweepSummary(dir, stdout); err != nil {
		return err
	}
	if !f.quiet {
		rate := 0.0
		if s := res.Wall.Seconds(); s > 0 {
			rate = float64(res.RunDays) / s
		}
		what := ""
		if shard.Count > 0 {
			what = fmt.Sprintf(" (shard %s: points %d to %d of %d)", shard, lo, hi-1, design.Len())
		}
		fmt.Fprintf(stdout, "\nwrote %s/ (%s, summary.txt)%s: %d points × %d runs; computed %d points in %.1fs, %.3g run-days/s\n",
			dir, strings.Join(res.Manifest.Files, ", "), what, res.Points, f.runs, res.Computed, res.Wall.Seconds(), rate)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// sweepArgs returns the arguments that repeat this sweep in an array task:
// the same scenario (absolute path), keys, design and seed, the absolute
// output folder and --resume (so a requeued task continues).
func sweepArgs(f sweepFlags, path, out string) []string {
	args := []string{}
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			if abs, err := filepath.Abs(path); err == nil {
				path = abs
			}
		}
		args = append(args, path)
	}
	for _, p := range f.params {
		args = append(args, "--param", p)
	}
	for _, s := range f.sets {
		args = append(args, "--set", s)
	}
	args = append(args, "--design", f.design)
	if f.samples > 0 {
		args = append(args, "--samples", strconv.Itoa(f.samples))
	}
	args = append(args, "--runs-per-point", strconv.Itoa(f.runs))
	if f.seedSet {
		args = append(args, "--seed", strconv.FormatUint(f.seed, 10))
	}
	if f.workers > 0 {
		args = append(args, "--workers", strconv.Itoa(f.workers))
	}
	if f.keepRuns {
		args = append(args, "--keep-runs")
	}
	if f.format != "csv" {
		args = append(args, "--format", f.format)
	}
	return append(args, "--out", out, "--resume", "--quiet")
}

// writeSlurm writes out/sweep.sbatch: an array job of f.tasks tasks, each
// running one shard of this sweep (the shard comes from
// SLURM_ARRAY_TASK_ID), with --resume so a requeued task continues.
func writeSlurm(ctx context.Context, f sweepFlags, path, out string, stdout io.Writer) error {
	if f.tasks < 1 {
		return fmt.Errorf("%w: --tasks must be >= 1", errUsage)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	cmd := append([]string{exe, "sweep"}, sweepArgs(f, path, absOut)...)
	quoted := make([]string, len(cmd))
	for i, c := range cmd {
		quoted[i] = shellQuote(c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n# Parley sweep as a Slurm array job: task i computes shard i of %d into\n# %s/shard-IIII-of-NNNN. Re-submitting resumes unfinished shards.\n", f.tasks, absOut)
	fmt.Fprintf(&b, "# When all tasks are done, join them into the single-machine output:\n#   %s merge %s --out %s\n", shellQuote(exe), shellQuote(absOut), shellQuote(absOut+"-merged"))
	fmt.Fprintf(&b, "#SBATCH --job-name=parley-sweep\n#SBATCH --array=0-%d\n#SBATCH --cpus-per-task=%d\n#SBATCH --ntasks=1\n", f.tasks-1, f.cpus)
	fmt.Fprintf(&b, "#SBATCH --chdir=%s\n#SBATCH --output=%s/logs/%%A_%%a.out\n", wd, absOut)
	if f.slurmTime != "" {
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", f.slurmTime)
	}
	for _, x := range strings.Split(f.slurmExtra, ",") {
		if x = strings.TrimSpace(x); x != "" {
			fmt.Fprintf(&b, "#SBATCH %s\n", x)
		}
	}
	fmt.Fprintf(&b, "set -euo pipefail\nexport GOMAXPROCS=\"${SLURM_CPUS_PER_TASK:-%d}\"\nexec %s\n", f.cpus, strings.Join(quoted, " "))
	if err := os.MkdirAll(filepath.Join(absOut, "logs"), 0o755); err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	script := filepath.Join(absOut, "sweep.sbatch")
	if err := os.WriteFile(script, []byte(b.String()), 0o755); err != nil {
		return fmt.Errorf("slurm: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (array of %d tasks)\n", script, f.tasks)
	if !f.submit {
		fmt.Fprintf(stdout, "submit it with: sbatch %s\nthen merge with: parley merge %s --out %s-merged\n", script, out, out)
		return nil
	}
	c := exec.CommandContext(ctx, "sbatch", "--parsable", script)
	c.Stderr = os.Stderr
	id, err := c.Output()
	if err != nil {
		return fmt.Errorf("slurm: sbatch: %w", err)
	}
	fmt.Fprintf(stdout, "submitted array job %s; when it finishes: parley merge %s --out %s-merged\n", strings.TrimSpace(string(id)), out, out)
	return nil
}

func mergeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "parley merge DIR... --out DIR [--force]", stderr)
	out := fs.String("out", "", "merged output folder (required)")
	force := fs.Bool("force", false, "replace an existing output folder")
	dirs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 || *out == "" {
		return usageError("give shard folders (or folders holding shard-* folders) and --out")
	}
	m, err := sweep.Merge(*out, dirs, *force, columnar.FromCSV)
	if err != nil {
		return err
	}
	if err := sweepSummary(*out, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nmerged %d points into %s/ (%s, summary.txt)\n", m.Points, *out, strings.Join(m.Files, ", "))
	return nil
}

// sweepSummary writes dir/summary.txt, the sweep's results table (outcome
// ranges, best and worst points) from its manifest and points.csv, and
// prints it.
func sweepSummary(dir string, stdout io.Writer) error {
	man, err := sweep.ReadManifest(dir)
	if err != nil {
		return err
	}
	pf, err := os.Open(filepath.Join(dir, "points.csv"))
	if err != nil {
		return err
	}
	header, rows, err := report.ReadPoints(pf)
	pf.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	var b bytes.Buffer
	if err := report.SweepSummary(&b, man, header, rows); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "summary.txt"), func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	}); err != nil {
		return fmt.Errorf("summary.txt: %w", err)
	}
	_, err = stdout.Write(b.Bytes())
	return err
}

// usageError is a usage problem (exit status 2), which Main prints once,
// followed by a hint to the command's -h.
func usageError(format string, args ...any) error {
	return &usageErr{fmt.Sprintf(format, args...)}
}
