package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/sim/backtest"
	"github.com/parley-sim/parley/sim/scenario"
)

func backtestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backtest", "parley backtest [FILE|embedded:NAME] [--origins 2021-12..2022-10] [--horizons 1,2,3,6] [--baselines persistence,climatology,boot] [--trailing N] [--no-filter] [--posterior FILE] [--runs N] [--seed S] [--workers W] [--out DIR] [--set key=value]... [--format png,svg,pdf] [--force] [--quiet]", stderr)
	var f runFlags
	f.register(fs, "out/backtest-<scenario name>")
	fs.Lookup("runs").Usage = "Monte Carlo runs per origin, 1 to 100000000 (default: the scenario's)"
	origins := fs.String("origins", "2021-12..2022-10", "forecast origins: months, a range A..B and/or a comma list; each forecast knows what was documented up to its month's last day")
	horizons := fs.String("horizons", "1,2,3,6", "months ahead to score, e.g. 1,2,3,6 or 1-6")
	baselines := fs.String("baselines", strings.Join(backtest.Baselines, ","), "naive baselines to score against: persistence, climatology, boot")
	trailing := fs.Int("trailing", 12, "months of history the climatology and boot baselines use")
	posterior := fs.String("posterior", "", "draw each run's parameters from a calibration posterior (posterior.csv of parley calibrate)")
	noFilter := fs.Bool("no-filter", false, "do not condition each forecast on the monthly attacks documented up to its origin (by default a particle filter does)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	path, err := oneScenario(pos)
	if err != nil {
		return err
	}
	formats, err := f.formats()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.runs < 0 || f.workers < 0 || *trailing < 1 {
		return fmt.Errorf("%w: --runs and --workers must not be negative, --trailing must be at least 1", errUsage)
	}
	origs, err := backtest.ParseOrigins(*origins)
	if err != nil {
		return fmt.Errorf("%w: --%v", errUsage, err)
	}
	hs, err := backtest.ParseHorizons(*horizons)
	if err != nil {
		return fmt.Errorf("%w: --%v", errUsage, err)
	}
	var bases []string
	for _, b := range strings.Split(*baselines, ",") {
		if b = strings.TrimSpace(b); b != "" {
			bases = append(bases, b)
		}
	}
	l, err := loadScenario(path, f.sets)
	if err != nil {
		return err
	}
	if l.Observed == nil || len(l.Observed.Monthly) == 0 {
		return fmt.Errorf("%s has no observed monthly attacks to score forecasts on (name them in [observed] monthly_attacks)", l.Path)
	}
	sc := l.Scenario
	out := f.out
	if out == "" {
		out = filepath.Join("out", "backtest-"+sc.Name)
	}
	dir, err := createOut(out, f.force, stderr)
	if err != nil {
		return err
	}
	defer dir.Abort()

	draws, err := loadDraws(*posterior, sc)
	if err != nil {
		return err
	}
	runs := f.runs
	if runs == 0 {
		runs = sc.Runs
	}
	start := time.Now()
	bar := newProgress(stderr, !f.quiet && isTerminal(stderr), "backtesting "+sc.Name, runs*len(origs))
	res, err := backtest.Run(ctx, sc, l.Observed, backtest.Options{Origins: origs, Horizons: hs, Baselines: bases, Trailing: *trailing,
		Runs: f.runs, Seed: f.seed, SeedSet: f.seedSet, Workers: f.workers, Condition: !*noFilter, Posterior: draws,
		Progress: func(done, _ int) { bar.Set(done) }})
	bar.Done()
	if err != nil {
		return err
	}
	wall := time.Since(start)

	var sum bytes.Buffer
	report.BacktestSummary(&sum, res)
	jobs := []report.Job{report.BytesJob(dir, "summary.txt", sum.Bytes())}
	for _, w := range []struct {
		name string
		fn   func(io.Writer, *backtest.Result) error
	}{{"backtest.csv", report.WriteBacktest}, {"skill.csv", report.WriteSkill}, {"forecast.csv", report.WriteForecasts}} {
		jobs = append(jobs, report.FileJob(dir, w.name, func(out io.Writer) error { return w.fn(out, res) }))
	}
	if len(formats) > 0 {
		charts, err := report.BacktestCharts(res)
		if err != nil {
			return err
		}
		panels, err := report.BacktestPanelJobs(dir, res)
		if err != nil {
			return err
		}
		jobs = append(append(jobs, report.ChartJobs(dir, charts, formats)...), panels...)
	}
	written, err := report.RunJobs(outputWorkers(f), jobs)
	if err != nil {
		return err
	}
	files := append([]string{"manifest.json"}, written...)
	man := report.NewManifest("backtest", l.Path, l.Files, scenario.Hash(sc), sc, res.Runs, res.Workers, res.Seed, "month", wall)
	man.Sets, man.Files = f.sets, files
	var on []string
	for _, o := range origs {
		on = append(on, o.String()[:7])
	}
	man.Extra = map[string]any{
		"information_cutoff": backtest.Cutoff,
		"origins":            on,
		"horizons":           hs,
		"baselines":          bases,
		"trailing_months":    *trailing,
		"data_end":           res.DataEnd.String(),
		"runs_per_origin":    res.Runs,
		"conditioned":        res.Conditioned,
	}
	if res.Conditioned {
		var fl []map[string]any
		for i, st := range res.Filter {
			if st != nil {
				fl = append(fl, map[string]any{"origin": on[i], "filter": filterManifest(st)})
			}
		}
		man.Extra["filter"] = fl
	}
	return finishJob(dir, man, sum.Bytes(), f.quiet, wall, stdout)
}
