package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/internal/version"
	"github.com/parley-sim/parley/sim/calib"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// calFlags are the flags of calibrate.
type calFlags struct {
	runFlags
	free      multi
	method    string
	evals     int
	samples   int
	accept    float64
	checkRuns int
	resume    bool
	// ABC-SMC
	particles     int
	budget        int
	quantile      float64
	minAcceptance float64
	acceptance    string
}

// calibrateOutHelp is calibrate's default output folder as its help shows
// it; calibrateOut makes it.
const calibrateOutHelp = "out/calibrate-<scenario names joined by +>"

// calibrateOut is the default output folder of a calibration of the named
// scenarios.
func calibrateOut(names []string) string {
	return filepath.Join("out", "calibrate-"+strings.Join(names, "+"))
}

func calibrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "parley calibrate SCENARIO... --free key[=lo:hi|=normal(mu,sd)][,key...] [--method abc-smc|abc+nm|nelder-mead|abc] [--particles N] [--budget N] [--quantile Q] [--min-acceptance R] [--acceptance soft|hard] [--runs N] [--evals N] [--samples N] [--accept SHARE] [--check-runs N] [--seed S] [--workers W] [--out DIR] [--set key=value]... [--format png,svg,pdf] [--force] [--resume] [--quiet]", stderr)
	var f calFlags
	f.register(fs, calibrateOutHelp)
	fs.Lookup("runs").Usage = "runs per scenario per evaluation of the loss (default 200)"
	fs.Var(&f.free, "free", "a parameter to fit and its prior: key (uniform on its allowed range), key=lo:hi (uniform), key=normal(mu,sd) (normal truncated to the allowed range); repeatable or comma-separated")
	fs.StringVar(&f.method, "method", calib.PMC, "abc-smc (ABC by population Monte Carlo: a weighted posterior), abc+nm (rejection ABC, then Nelder–Mead from its best point), nelder-mead, or abc")
	fs.IntVar(&f.particles, "particles", 100, "abc-smc: accepted particles per population")
	fs.IntVar(&f.budget, "budget", 1000, "abc-smc: loss evaluations at most, all populations")
	fs.Float64Var(&f.quantile, "quantile", 0.5, "abc-smc: each tolerance is this weighted quantile of the previous population's losses")
	fs.Float64Var(&f.minAcceptance, "min-acceptance", 0.02, "abc-smc: stop when a population's acceptance rate falls below this")
	fs.StringVar(&f.acceptance, "acceptance", calib.AcceptSoft, "abc-smc: soft (loss ≤ ε, else with probability exp(ε − loss): ends on the posterior prior × exp(−loss)) or hard (loss ≤ ε only)")
	fs.IntVar(&f.evals, "evals", 120, "nelder-mead, abc+nm: Nelder–Mead budget of loss evaluations")
	fs.IntVar(&f.samples, "samples", 120, "abc, abc+nm: ABC draws from the prior box (Latin hypercube)")
	fs.Float64Var(&f.accept, "accept", 0.1, "abc, abc+nm: share of draws accepted (lowest loss)")
	f.checkRuns = 1000
	runsVar(fs, &f.checkRuns, "check-runs", "runs of the before/after check on fresh streams (default 1000)")
	fs.BoolVar(&f.resume, "resume", false, "continue an interrupted calibration from its checkpoint")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		pos = []string{""}
	}
	if len(f.free) == 0 {
		return fmt.Errorf("%w: name the parameters to fit with --free key[=lo:hi]", errUsage)
	}
	formats, err := f.formats()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.runs < 0 || f.workers < 0 || f.evals < 0 || f.samples < 0 || f.checkRuns <= 0 || !(f.accept > 0 && f.accept <= 1) {
		return fmt.Errorf("%w: --runs, --workers, --evals, --samples must not be negative, --check-runs must be positive, --accept in (0, 1]", errUsage)
	}
	switch f.method {
	case calib.PMC, calib.Both, calib.NelderMead, calib.ABC:
	default:
		return fmt.Errorf("%w: --method %q: allowed are %s, %s, %s, %s", errUsage, f.method, calib.PMC, calib.Both, calib.NelderMead, calib.ABC)
	}
	if f.particles <= 0 || f.budget < f.particles || !(f.quantile > 0 && f.quantile < 1) || !(f.minAcceptance > 0 && f.minAcceptance < 1) ||
		(f.acceptance != calib.AcceptSoft && f.acceptance != calib.AcceptHard) {
		return fmt.Errorf("%w: --particles must be positive, --budget at least --particles, --quantile and --min-acceptance in (0, 1), --acceptance soft or hard", errUsage)
	}
	var loaded []*scenario.Loaded
	var problems []calib.Problem
	for _, p := range pos {
		l, err := loadScenario(p, f.sets)
		if err != nil {
			return err
		}
		ts, err := calib.Targets(l.Scenario, l.Observed)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return fmt.Errorf("%s: no documented target inside its horizon; name the observations in [observed] (see scenarios/history/README.md)", l.Path)
		}
		loaded = append(loaded, l)
		problems = append(problems, calib.Problem{Scenario: l.Scenario, Targets: ts})
	}
	var free []calib.Free
	for _, spec := range f.free {
		for _, s := range splitFree(spec) {
			fr, err := calib.ParseFree(loaded[0].Scenario, s)
			if err != nil {
				return err
			}
			free = append(free, fr)
		}
	}
	seed := loaded[0].Scenario.Seed
	if f.seedSet {
		seed = f.seed
	}
	runs := f.runs
	if runs == 0 {
		runs = 200
	}
	opt := calib.Options{Runs: runs, Seed: seed, Workers: f.workers, Method: f.method, Evals: f.evals, Samples: f.samples, Accept: f.accept,
		SMC: calib.SMCOptions{Particles: f.particles, Budget: f.budget, Quantile: f.quantile, MinAcceptance: f.minAcceptance, Acceptance: f.acceptance}}

	names := make([]string, len(loaded))
	for i, l := range loaded {
		names[i] = l.Scenario.Name
	}
	out := f.out
	if out == "" {
		out = calibrateOut(names)
	}
	// The checkpoint lives beside the output folder under a stable name.
	ckPath := filepath.Clean(out) + ".checkpoint"
	fp := fingerprint(loaded, free, opt)
	cache, err := openCheckpoint(ckPath, fp, f.resume, f.force)
	if err != nil {
		return err
	}
	dir, err := createOut(out, f.force, stderr)
	if err != nil {
		return err
	}
	defer dir.Abort()
	ck, err := os.OpenFile(ckPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer ck.Close()
	if fi, err := ck.Stat(); err != nil {
		return err
	} else if fi.Size() == 0 {
		fmt.Fprintf(ck, "# parley calibrate checkpoint %s\n", fp)
	} else if b, err := os.ReadFile(ckPath); err == nil && b[len(b)-1] != '\n' {
		ck.WriteString("\n") // end a line torn by the interruption
	}
	opt.Cache = cache
	opt.OnEval = func(e calib.Eval) error {
		if _, err := fmt.Fprintf(ck, "%s\t%s\n", calib.Key(e.Theta), strconv.FormatFloat(e.Loss, 'g', -1, 64)); err != nil {
			return err
		}
		return ck.Sync()
	}
	bar := newProgress(stderr, !f.quiet && isTerminal(stderr), "calibrating", calib.Budget(opt))
	opt.Progress = func(done, total int) { bar.Set(done) }
	start := time.Now()
	fit, err := calib.Calibrate(ctx, problems, free, opt)
	bar.Done()
	if err != nil {
		return keptCheckpoint(err, ckPath)
	}
	if len(cache) > 0 && !f.quiet {
		fmt.Fprintf(stderr, "resumed: %d evaluations taken from %s\n", len(cache), ckPath)
	}

	// Before and after, on fresh streams and more runs.
	check := func(theta []float64) ([]*calib.Evaluation, error) {
		var evs []*calib.Evaluation
		for _, p := range problems {
			sc, err := calib.Apply(p.Scenario, free, theta)
			if err != nil {
				return nil, err
			}
			e, err := calib.Evaluate(ctx, sc, p.Targets, mc.Options{Runs: f.checkRuns, Seed: seed + 1, SeedSet: true, Workers: f.workers})
			if err != nil {
				return nil, err
			}
			evs = append(evs, e)
		}
		return evs, nil
	}
	before, err := check(fit.Start)
	if err != nil {
		return keptCheckpoint(err, ckPath)
	}
	after, err := check(fit.Best)
	if err != nil {
		return keptCheckpoint(err, ckPath)
	}
	wall := time.Since(start)

	files := []string{"manifest.json", "summary.txt", "params.csv", "trace.csv", "calibration.csv"}
	if fit.Posterior != nil {
		files = append(files, "posterior.csv", "populations.csv")
	}
	var sum bytes.Buffer
	report.CalibrationSummary(&sum, fit, before, after)
	if err := dir.WriteFile("summary.txt", sum.Bytes()); err != nil {
		return err
	}
	for _, w := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"params.csv", func(w io.Writer) error { return report.WriteParams(w, fit) }},
		{"trace.csv", func(w io.Writer) error { return report.WriteTrace(w, fit) }},
		{"calibration.csv", func(w io.Writer) error { return report.WriteCalibration(w, before, after) }},
		{"posterior.csv", func(w io.Writer) error { return fit.Posterior.WriteCSV(w) }},
		{"populations.csv", func(w io.Writer) error { return report.WritePopulations(w, fit) }},
	} {
		if fit.Posterior == nil && (w.name == "posterior.csv" || w.name == "populations.csv") {
			continue
		}
		if err := dir.WriteWith(w.name, w.fn); err != nil {
			return fmt.Errorf("calibrate: writing %s: %w", w.name, err)
		}
	}
	// One overlay per scenario: extends it and sets the fitted values.
	cmdline := "parley calibrate " + strings.Join(args, " ")
	for i, l := range loaded {
		base := l.Path
		if !strings.HasPrefix(base, "embedded:") {
			abs, _ := filepath.Abs(base)
			absOut, _ := filepath.Abs(out)
			if rel, err := filepath.Rel(absOut, abs); err == nil {
				base = filepath.ToSlash(rel)
			}
		}
		name := names[i] + "-calibrated"
		header := []string{
			name + ": " + names[i] + " with parameters fitted to the documented history.",
			"Provenance: " + cmdline,
			fmt.Sprintf("seed %d, %d runs per evaluation, %d evaluations, loss %.4g -> %.4g; parley %s", seed, runs, len(fit.Trace), fit.StartLoss, fit.BestLoss, version.String()),
			"targets: " + l.Scenario.Observed.Targets + " (sha256 " + targetsHash(l) + ")",
			"method " + f.method + "; fitted value = " + fit.Point,
		}
		for _, w := range fit.Warnings {
			header = append(header, "WARNING: "+w)
		}
		ov := report.Overlay(base, name, header, free, fit.Best, fit.PostLo, fit.PostHi)
		file := names[i] + ".calibrated.toml"
		if err := dir.WriteFile(file, ov); err != nil {
			return err
		}
		files = append(files, file)
	}
	if len(formats) > 0 {
		charts, err := report.CalibrationCharts(fit)
		if err != nil {
			return err
		}
		targets, err := report.TargetCharts(before, after)
		if err != nil {
			return err
		}
		charts = append(charts, targets...)
		plotted, err := report.SaveCharts(dir, charts, formats, outputWorkers(f.runFlags))
		if err != nil {
			return err
		}
		files = append(files, plotted...)
	}
	l0 := loaded[0]
	man := report.NewManifest("calibrate", l0.Path, l0.Files, scenario.Hash(l0.Scenario), l0.Scenario, runs, f.workers, seed, "month", wall)
	man.Sets, man.Files = f.sets, files
	var scs []map[string]any
	for _, l := range loaded {
		scs = append(scs, map[string]any{"scenario": l.Path, "scenario_sha256": scenario.Hash(l.Scenario), "targets_sha256": targetsHash(l)})
	}
	var fr []map[string]any
	for i, p := range free {
		e := map[string]any{"key": p.Key, "lo": p.Lo, "hi": p.Hi, "prior": p.PriorText(), "start": fit.Start[i], "fitted": fit.Best[i]}
		if fit.PostMedian != nil {
			e["posterior_median"], e["posterior_p05"], e["posterior_p95"] = fit.PostMedian[i], fit.PostLo[i], fit.PostHi[i]
		}
		fr = append(fr, e)
	}
	warnings := fit.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	man.Extra = map[string]any{"command": cmdline, "method": f.method, "evaluations": len(fit.Trace), "check_runs": f.checkRuns,
		"loss_start": fit.StartLoss, "loss_fitted": fit.BestLoss, "point_estimate": fit.Point, "stop": fit.Stop,
		"scenarios": scs, "free": fr, "resumed_evaluations": len(cache), "warnings": warnings}
	if fit.Posterior != nil {
		var pops []map[string]any
		for _, p := range fit.Populations {
			pops = append(pops, map[string]any{"t": p.T, "epsilon": jsonNum(p.Epsilon), "accepted": p.Accepted, "evaluations": p.Evaluations,
				"acceptance_rate": p.AcceptanceRate, "ess": p.ESS})
		}
		man.Extra["abc_smc"] = map[string]any{"particles": f.particles, "budget": f.budget, "quantile": f.quantile, "min_acceptance": f.minAcceptance,
			"acceptance": f.acceptance, "populations": pops, "posterior_ess": fit.Posterior.ESS()}
	}
	if err := finishJob(dir, man, sum.Bytes(), f.quiet, wall, stdout); err != nil {
		return err
	}
	// The warnings are in the summary; stderr gets them too, so that a
	// script that keeps only the files still sees them.
	for _, w := range fit.Warnings {
		fmt.Fprintf(stderr, "parley: warning: %s\n", w)
	}
	ck.Close()
	os.Remove(ckPath)
	return nil
}

// fingerprint identifies a calibration job: the scenarios, the free
// parameters and every option that changes the loss.
func fingerprint(loaded []*scenario.Loaded, free []calib.Free, o calib.Options) string {
	h := sha256.New()
	for _, l := range loaded {
		fmt.Fprintln(h, scenario.Hash(l.Scenario), targetsHash(l))
	}
	for _, f := range free {
		fmt.Fprintln(h, f.Key, f.Lo, f.Hi, f.Dist, f.Mu, f.SD)
	}
	fmt.Fprintln(h, o.Runs, o.Seed, o.Method, o.Evals, o.Samples, o.Accept)
	fmt.Fprintf(h, "%+v\n", o.SMC)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// targetsHash hashes the scenario's observations (targets and monthly data).
func targetsHash(l *scenario.Loaded) string {
	h := sha256.New()
	if l.Observed != nil {
		fmt.Fprintf(h, "%v", l.Observed.Monthly)
		if l.Observed.Targets != nil {
			fmt.Fprintf(h, "%+v", *l.Observed.Targets)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// openCheckpoint reads the evaluations of an interrupted calibration.
func openCheckpoint(path, fp string, resume, force bool) (map[string]float64, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if resume {
			return nil, fmt.Errorf("--resume: no checkpoint %s to resume from", path)
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !resume {
		if !force {
			return nil, fmt.Errorf("an interrupted calibration left %s: rerun with --resume to continue it, or --force to start over", path)
		}
		f.Close()
		return nil, os.Remove(path)
	}
	cache := map[string]float64{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			if line != "# parley calibrate checkpoint "+fp {
				return nil, fmt.Errorf("--resume: %s belongs to another calibration (different scenario, parameters or options)", path)
			}
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			continue // a line torn by the interruption: evaluated again
		}
		cache[k] = x
	}
	return cache, sc.Err()
}

// keptCheckpoint says, for an interrupted calibration, where its checkpoint
// is and that --resume continues it (no output folder was written).
func keptCheckpoint(err error, ckPath string) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	return &interruptedErr{fmt.Sprintf("the evaluations done so far are kept in %s (no output folder yet); continue with the same command and --resume", ckPath)}
}

// splitFree splits a --free value at the commas that separate parameters,
// not at those inside a prior's parentheses (normal(mu,sd)).
func splitFree(v string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range v {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				if s := strings.TrimSpace(v[start:i]); s != "" {
					out = append(out, s)
				}
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(v[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// jsonNum keeps ±Inf out of JSON (population 0's tolerance): as a string.
func jsonNum(x float64) any {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return x
}
