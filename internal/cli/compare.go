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
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/compare"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

func compareCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare", "parley compare BASE [VARIANT...] [--vary key=value[,key=value...]]... [--runs N] [--seed S] [--workers W] [--out DIR] [--set key=value]... [--period day|week|month] [--stories N] [--format png,svg,pdf] [--force] [--quiet]", stderr)
	var f runFlags
	f.register(fs, "out/compare-<base scenario name>")
	f.registerSeries(fs)
	var vary multi
	fs.Var(&vary, "vary", "a variant made from the base by --set style changes, e.g. --vary mediator.pressure=0.9 (repeatable; comma-separate several keys)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		pos = []string{""} // the built-in reference as the base
	}
	if len(pos) < 2 && len(vary) == 0 {
		return fmt.Errorf("%w: nothing to compare: give a VARIANT file after the base, or --vary key=value", errUsage)
	}
	period, err := mc.ParsePeriod(f.period)
	if err != nil {
		return fmt.Errorf("%w: --period: %v", errUsage, err)
	}
	formats, err := f.formats()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.runs < 0 || f.workers < 0 {
		return fmt.Errorf("%w: --runs and --workers must not be negative", errUsage)
	}

	// The scenarios: the base, variant files, then --vary variants of the base.
	type entry struct {
		name string
		l    *scenario.Loaded
		sets []string
	}
	var entries []entry
	for _, p := range pos {
		l, err := loadScenario(p, f.sets)
		if err != nil {
			return err
		}
		entries = append(entries, entry{name: l.Scenario.Name, l: l})
	}
	for _, v := range vary {
		sets := splitSets(v)
		l, err := loadVariant(pos[0], f.sets, sets)
		if err != nil {
			return err
		}
		entries = append(entries, entry{name: strings.Join(sets, ", "), l: l, sets: sets})
	}
	seen := map[string]int{}
	for i := range entries {
		n := entries[i].name
		if seen[n]++; seen[n] > 1 {
			entries[i].name = fmt.Sprintf("%s #%d", n, seen[n])
		}
	}
	base := entries[0].l
	var variants []*sim.Scenario
	names := []string{entries[0].name}
	for _, e := range entries[1:] {
		variants = append(variants, e.l.Scenario)
		names = append(names, e.name)
	}

	out := f.out
	if out == "" {
		out = filepath.Join("out", "compare-"+base.Scenario.Name)
	}
	dir, err := createOut(out, f.force, stderr)
	if err != nil {
		return err
	}
	defer dir.Abort()

	total := f.runs
	if total == 0 {
		total = base.Scenario.Runs
	}
	bar := newProgress(stderr, !f.quiet && isTerminal(stderr), "comparing", total)
	start := time.Now()
	c, err := compare.Run(ctx, base.Scenario, variants, names, compare.Options{Options: mc.Options{
		Runs: f.runs, Seed: f.seed, SeedSet: f.seedSet, Workers: f.workers, Period: period, Progress: bar.Set}})
	bar.Done()
	if err != nil {
		return err
	}
	wall := time.Since(start)

	var sum bytes.Buffer
	report.CompareSummary(&sum, c)
	jobs := []report.Job{
		report.BytesJob(dir, "summary.txt", sum.Bytes()),
		report.FileJob(dir, "compare.csv", func(w io.Writer) error { return report.WriteCompare(w, c) }),
		report.FileJob(dir, "causes.csv", func(w io.Writer) error { return report.WriteCauses(w, c) }),
	}
	charts, err := report.CompareChartJobs(dir, c, base.Observed, formats)
	if err != nil {
		return err
	}
	written, err := report.RunJobs(outputWorkers(f), append(jobs, charts...))
	if err != nil {
		return err
	}
	files := append([]string{"manifest.json"}, written...)

	man := report.NewManifest("compare", base.Path, base.Files, scenario.Hash(base.Scenario), base.Scenario, c.Runs, c.Workers, c.Seed, period.String(), wall)
	man.Sets = f.sets
	man.Files = files
	var vs []map[string]any
	for i, e := range entries[1:] {
		vs = append(vs, map[string]any{"name": names[i+1], "scenario": e.l.Path, "scenario_files": e.l.Files,
			"scenario_sha256": scenario.Hash(e.l.Scenario), "vary": e.sets})
	}
	man.Extra = map[string]any{"base_name": names[0], "variants": vs}
	return finishJob(dir, man, sum.Bytes(), f.quiet, wall, stdout)
}

// splitSets splits "a=1,b=2" into its key=value settings.
func splitSets(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
