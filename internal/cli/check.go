package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/sim/calib"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "parley check [SCENARIO...] [--runs N] [--seed S] [--workers W] [--out DIR] [--set key=value]... [--format png,svg,pdf] [--force] [--quiet]", stderr)
	var f runFlags
	f.register(fs, "out/check-<first scenario name>")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		pos = []string{""}
	}
	formats, err := f.formats()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.runs < 0 || f.workers < 0 {
		return fmt.Errorf("%w: --runs and --workers must not be negative", errUsage)
	}
	var loaded []*scenario.Loaded
	for _, p := range pos {
		l, err := loadScenario(p, f.sets)
		if err != nil {
			return err
		}
		loaded = append(loaded, l)
	}
	out := f.out
	if out == "" {
		out = filepath.Join("out", "check-"+loaded[0].Scenario.Name)
	}
	dir, err := createOut(out, f.force, stderr)
	if err != nil {
		return err
	}
	defer dir.Abort()

	start := time.Now()
	var evs []*calib.Evaluation
	for _, l := range loaded {
		ts, err := calib.Targets(l.Scenario, l.Observed)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			fmt.Fprintf(stderr, "parley check: %s has no documented target inside its horizon (name them in [observed])\n", l.Path)
			continue
		}
		total := f.runs
		if total == 0 {
			total = l.Scenario.Runs
		}
		bar := newProgress(stderr, !f.quiet && isTerminal(stderr), "checking "+l.Scenario.Name, total)
		e, err := calib.Evaluate(ctx, l.Scenario, ts, mc.Options{Runs: f.runs, Seed: f.seed, SeedSet: f.seedSet, Workers: f.workers, Progress: bar.Set})
		bar.Done()
		if err != nil {
			return err
		}
		evs = append(evs, e)
	}
	if len(evs) == 0 {
		return fmt.Errorf("no scenario with targets to check")
	}
	wall := time.Since(start)
	var sum bytes.Buffer
	report.CheckSummary(&sum, evs)
	jobs := []report.Job{
		report.BytesJob(dir, "summary.txt", sum.Bytes()),
		report.FileJob(dir, "check.csv", func(w io.Writer) error { return report.WriteCheck(w, evs) }),
	}
	var charts []report.Chart
	for _, mk := range []func([]*calib.Evaluation) (*report.Chart, error){report.CheckChart, report.CheckProbabilityChart} {
		ch, err := mk(evs)
		if err != nil {
			return err
		}
		if ch != nil {
			charts = append(charts, *ch)
		}
	}
	written, err := report.RunJobs(outputWorkers(f), append(jobs, report.ChartJobs(dir, charts, formats)...))
	if err != nil {
		return err
	}
	files := append([]string{"manifest.json"}, written...)
	l0, e0 := loaded[0], evs[0]
	man := report.NewManifest("check", l0.Path, l0.Files, scenario.Hash(l0.Scenario), l0.Scenario, e0.Result.Runs, e0.Result.Workers, e0.Result.Seed, "month", wall)
	man.Sets, man.Files = f.sets, files
	var cov []map[string]any
	for i, e := range evs {
		cov = append(cov, map[string]any{"scenario": loaded[i].Path, "scenario_sha256": scenario.Hash(e.Scenario), "targets": len(e.Outcomes), "hits": e.Hits, "loss": e.Loss})
	}
	man.Extra = map[string]any{"coverage": cov}
	return finishJob(dir, man, sum.Bytes(), f.quiet, wall, stdout)
}
