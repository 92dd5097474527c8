package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/calib"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// runFlags are the flags shared by commands that run simulations.
type runFlags struct {
	runs    int
	seed    uint64
	seedSet bool
	workers int
	out     string
	sets    multi
	period  string
	format  string
	force   bool
	quiet   bool
	stories int
}

// register defines the flags every simulating command has; defaultOut is
// the output folder used when --out is not given, as the help shows it.
func (f *runFlags) register(fsx *flag.FlagSet, defaultOut string) {
	runsVar(fsx, &f.runs, "runs", "Monte Carlo runs, 1 to 100000000 (default: the scenario's)")
	seedVar(fsx, &f.seed, &f.seedSet)
	workersVar(fsx, &f.workers)
	fsx.StringVar(&f.out, "out", "", "output folder (default: "+defaultOut+")")
	fsx.Var(&f.sets, "set", "override a scenario key, e.g. --set mediator.pressure=0.8 (repeatable)")
	fsx.StringVar(&f.format, "format", "png", "plot formats, comma-separated: png, svg, pdf")
	fsx.BoolVar(&f.force, "force", false, "replace an existing output folder")
	fsx.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	f.period = "month"
}

// registerSeries defines the flags of the commands that write series and
// stories (run, compare).
func (f *runFlags) registerSeries(fsx *flag.FlagSet) {
	fsx.StringVar(&f.period, "period", "month", "aggregation period of series and plots: day, week or month")
	fsx.IntVar(&f.stories, "stories", 3, "runs whose story is written to events.csv")
}

func (f *runFlags) formats() ([]string, error) {
	var out []string
	for _, x := range strings.Split(f.format, ",") {
		x = strings.TrimSpace(strings.ToLower(x))
		switch x {
		case "png", "svg", "pdf":
			out = append(out, x)
		case "":
		default:
			return nil, fmt.Errorf("--format %q: allowed formats are png, svg, pdf", x)
		}
	}
	return out, nil
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "parley run [FILE|embedded:NAME] [--runs N] [--seed S] [--workers W] [--out DIR] [--set key=value]... [--period day|week|month] [--stories N] [--format png,svg,pdf] [--posterior FILE] [--no-filter] [--force] [--quiet]", stderr)
	var f runFlags
	f.register(fs, "out/<scenario name>")
	f.registerSeries(fs)
	posterior := fs.String("posterior", "", "draw each run's parameters from a calibration posterior (posterior.csv of parley calibrate), so the bands include parameter uncertainty")
	noFilter := fs.Bool("no-filter", false, "do not condition the runs on the scenario's observed monthly attacks (by default a particle filter does, up to the last observed month)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	path, err := oneScenario(pos)
	if err != nil {
		return err
	}
	period, err := mc.ParsePeriod(f.period)
	if err != nil {
		return fmt.Errorf("%w: --period: %v", errUsage, err)
	}
	formats, err := f.formats()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.runs < 0 || f.workers < 0 || f.stories < 0 {
		return fmt.Errorf("%w: --runs, --workers and --stories must not be negative", errUsage)
	}
	l, err := loadScenario(path, f.sets)
	if err != nil {
		return err
	}
	sc := l.Scenario
	out := f.out
	if out == "" {
		out = filepath.Join("out", sc.Name)
	}
	dir, err := createOut(out, f.force, stderr)
	if err != nil {
		return err
	}
	defer dir.Abort()

	var filt *mc.Filter
	if !*noFilter {
		filt = filterFor(l)
	}
	draws, err := loadDraws(*posterior, sc)
	if err != nil {
		return err
	}
	res, wall, err := simulate(ctx, l, f, period, filt, draws, dir, stderr)
	if err != nil {
		return err
	}
	info := report.SummaryInfo{Sets: f.sets}
	if draws != nil {
		info.Posterior, info.Particles = *posterior, draws.Len()
	}
	files, sum, err := runOutputs(dir, res, l, info, formats, outputWorkers(f))
	if err != nil {
		return err
	}
	man := report.NewManifest("run", l.Path, l.Files, scenario.Hash(sc), sc, res.Runs, res.Workers, res.Seed, period.String(), wall)
	man.Sets = f.sets
	man.Files = append([]string{"manifest.json"}, files...)
	man.Extra = map[string]any{"filter": filterManifest(res.Filter)}
	if draws != nil {
		man.Extra["posterior"] = map[string]any{"file": *posterior, "particles": draws.Len(), "keys": draws.Keys()}
	}
	return finishJob(dir, man, sum, f.quiet, wall, stdout)
}

// runOutputs writes what run produces from a finished job into dir (all
// but runs.csv and ceasefires.csv, which simulate streams, and the
// manifest): summary.txt, series.csv, events.csv and the charts in each
// format, on at most workers goroutines (see report.RunJobs). It returns
// the files of the folder in the order they are listed (manifest.json
// aside) and the summary text.
func runOutputs(dir *outdir.Dir, res *mc.Result, l *scenario.Loaded, info report.SummaryInfo, formats []string, workers int) ([]string, []byte, error) {
	var sum bytes.Buffer
	report.Summary(&sum, res, observedMap(l), info)
	jobs := []report.Job{
		report.BytesJob(dir, "summary.txt", sum.Bytes()),
		{Files: []string{"runs.csv", "ceasefires.csv"}}, // streamed by simulate
		report.FileJob(dir, "series.csv", func(w io.Writer) error { return report.WriteSeries(w, res) }),
		report.FileJob(dir, "events.csv", func(w io.Writer) error { return report.WriteEvents(w, res) }),
	}
	plots, err := report.PlotJobs(dir, res, l.Observed, formats)
	if err != nil {
		return nil, nil, err
	}
	files, err := report.RunJobs(workers, append(jobs, plots...))
	if err != nil {
		return nil, nil, err
	}
	return files, sum.Bytes(), nil
}

// outputWorkers is how many goroutines write a command's outputs: --workers
// when given, at most GOMAXPROCS.
func outputWorkers(f runFlags) int {
	n := runtime.GOMAXPROCS(0)
	if f.workers > 0 {
		n = min(n, f.workers)
	}
	return n
}

// simulate runs the Monte Carlo job (conditioned by filt unless nil),
// streaming runs.csv and ceasefires.csv into dir.
func simulate(ctx context.Context, l *scenario.Loaded, f runFlags, period mc.Period, filt *mc.Filter, draws *sim.Draws, dir *outdir.Dir, stderr io.Writer) (*mc.Result, time.Duration, error) {
	sc := l.Scenario
	runsF, err := dir.Create("runs.csv")
	if err != nil {
		return nil, 0, err
	}
	defer runsF.Close()
	cfF, err := dir.Create("ceasefires.csv")
	if err != nil {
		return nil, 0, err
	}
	defer cfF.Close()
	rw, err := report.NewRunWriter(runsF, cfF)
	if err != nil {
		return nil, 0, err
	}
	total := f.runs
	if total == 0 {
		total = sc.Runs
	}
	bar := newProgress(stderr, !f.quiet && isTerminal(stderr), "simulating", total)
	start := time.Now()
	res, err := mc.Run(ctx, sc, mc.Options{Runs: f.runs, Seed: f.seed, SeedSet: f.seedSet, Workers: f.workers,
		Period: period, Stories: f.stories, Progress: bar.Set, OnRun: rw.Write, Filter: filt, Draws: draws})
	bar.Done()
	if err != nil {
		return nil, 0, err
	}
	wall := time.Since(start)
	if err := rw.Flush(); err != nil {
		return nil, 0, err
	}
	return res, wall, nil
}

// finishJob writes the manifest, moves the output folder into place, then
// prints the summary and (unless quiet) what was written where.
func finishJob(dir *outdir.Dir, man report.Manifest, summary []byte, quiet bool, wall time.Duration, stdout io.Writer) error {
	if err := writeManifest(dir, man); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	stdout.Write(summary)
	if !quiet {
		fmt.Fprintf(stdout, "\nwrote %s/ (%s) in %.1fs\n", dir.Final(), strings.Join(man.Files, ", "), wall.Seconds())
	}
	return nil
}

func writeManifest(dir *outdir.Dir, m report.Manifest) error {
	return dir.WriteWith("manifest.json", func(w io.Writer) error { return report.WriteManifest(w, m) })
}

// observedMap returns the scenario's observed monthly attacks by month.
func observedMap(l *scenario.Loaded) map[sim.Date]float64 {
	if l.Observed == nil {
		return nil
	}
	m := map[sim.Date]float64{}
	for _, o := range l.Observed.Monthly {
		m[o.Month] = o.Attacks
	}
	return m
}

// filterFor returns the particle filter conditioning a run on the
// scenario's observed monthly attacks (whole months inside the horizon) and
// on the phases its documented ceasefires imply, up to the end of the last
// observed month; nil when there are no counts.
func filterFor(l *scenario.Loaded) *mc.Filter {
	counts := l.Observed.MonthCounts(l.Scenario, 0)
	if len(counts) == 0 {
		return nil
	}
	last := counts[len(counts)-1].Month
	for _, c := range counts {
		last = max(last, c.Month)
	}
	until := last.MonthEnd()
	return &mc.Filter{Counts: counts, Facts: l.Observed.PhaseFacts(l.Scenario, until), Until: until}
}

// filterManifest is what the manifest records of the conditioning.
func filterManifest(f *mc.FilterStats) map[string]any {
	if f == nil {
		return map[string]any{"on": false}
	}
	type step struct {
		Date      string  `json:"date"`
		Observed  string  `json:"observed"`
		ESS       float64 `json:"ess_mean"`
		MinESS    float64 `json:"ess_min"`
		Resampled int     `json:"blocks_resampled"`
		LogLik    float64 `json:"log_likelihood"`
	}
	r2 := func(x float64) float64 { return math.Round(x*100) / 100 }
	steps := make([]step, len(f.Steps))
	for i, s := range f.Steps {
		steps[i] = step{s.Date.String(), s.Label, r2(s.ESS), r2(s.MinESS), s.Resampled, r2(s.LogLik)}
	}
	return map[string]any{"on": true, "until": f.Until.String(), "block": f.Block, "blocks": f.Blocks,
		"months": f.Counts, "facts": f.Facts, "ess_floor": f.ESSFloor, "ess_min": r2(f.MinESS),
		"log_likelihood": r2(f.LogLik), "steps": steps, "warnings": append([]string{}, f.Warnings...)}
}

// loadDraws reads a calibration posterior (posterior.csv) into parameter
// draws for sc, or returns nil for an empty path.
func loadDraws(path string, sc *sim.Scenario) (*sim.Draws, error) {
	if path == "" {
		return nil, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--posterior: %w", err)
	}
	defer fh.Close()
	p, err := calib.ReadPosterior(io.LimitReader(fh, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("--posterior %s: %w", path, err)
	}
	d, err := sim.NewDraws(sc, p.Keys, p.Theta, p.Weight)
	if err != nil {
		return nil, fmt.Errorf("--posterior %s: %w", path, err)
	}
	return d, nil
}
