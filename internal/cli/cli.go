// Package cli is the parley command: it parses flags and calls the
// library. Main is what cmd/parley runs, and what tests call in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/parley-sim/parley/internal/version"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/scenario"
)

// command is one verb of the parley command.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"run", "run a scenario's Monte Carlo simulation, write CSVs, plots and a summary", runCmd},
		{"calibrate", "fit free parameters to the documented history (ABC-SMC posterior on common random numbers)", calibrateCmd},
		{"check", "score scenarios against the documented history: observed vs simulated, hits and misses", checkCmd},
		{"backtest", "score forecasts from rolling origins against what happened: CRPS, PIT, coverage, skill vs naive baselines", backtestCmd},
		{"compare", "compare a base scenario with variants on paired runs (common random numbers)", compareCmd},
		{"sweep", "run a batch parameter sweep (grid, LHS, Sobol, Halton, Morris); resumable, shardable", sweepCmd},
		{"analyze", "sensitivity analysis of a sweep: Sobol indices, Morris effects, PRIM boxes, heat maps", analyzeCmd},
		{"merge", "join the shard outputs of a sweep into the single-machine output", mergeCmd},
		{"validate", "check scenario files without running them", validateCmd},
		{"init", "write a starter scenario (extends the built-in reference) into a folder", initCmd},
		{"scenarios", "list the built-in scenarios", scenariosCmd},
		{"serve", "explore what-ifs in the browser (charts, effects with intervals, stories)", serveCmd},
		{"version", "print the version", versionCmd},
	}
}

// errUsage marks a usage error (exit status 2). Its message, after the
// "usage: " prefix, is printed unless it is errPrinted (the flag package
// has already said what was wrong).
var errUsage = errors.New("usage")

// errPrinted is a usage error whose explanation is already on stderr.
var errPrinted = fmt.Errorf("%w: explained above", errUsage)

// Exit statuses of every verb, stated in the README.
const (
	exitOK          = 0   // the job succeeded
	exitFailure     = 1   // the job failed (a bad scenario file, a full disk, …)
	exitUsage       = 2   // the command line was wrong: a flag, a value, an argument
	exitInterrupted = 130 // Ctrl-C or SIGTERM stopped the job
)

// baseContext is the context Main's signal handling derives from; tests
// replace it with a cancelled one to see how each verb is interrupted.
var baseContext = context.Background

// Main runs the parley command with args (without the program name) and
// returns the exit status: 0 on success, 1 on failure, 2 on bad usage, 130
// when interrupted (Ctrl-C, SIGTERM).
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(baseContext(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					c.run(ctx, []string{"-h"}, stdout, stderr)
					return 0
				}
			}
		}
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errPrinted):
			return 2
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "parley %s: %s\n", c.name, strings.TrimPrefix(err.Error(), "usage: "))
			return 2
		case errors.Is(err, context.Canceled):
			var ie *interruptedErr
			if errors.As(err, &ie) {
				fmt.Fprintf(stderr, "parley %s: %v\n", c.name, ie)
			} else {
				fmt.Fprintf(stderr, "parley %s: interrupted; no output was written\n", c.name)
			}
			return 130
		}
		fmt.Fprintf(stderr, "parley %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(stderr, "parley: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "parley — agent-based simulation of negotiation and ceasefire dynamics")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: parley COMMAND [ARGS] [FLAGS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'parley COMMAND -h' for a command's flags. With no scenario file,")
	fmt.Fprintf(w, "commands use the built-in reference scenario %s.\n", scenarios.Default)
}

// loadScenario loads a file, or the built-in default when path is "", or a
// built-in scenario named "embedded:NAME".
func loadScenario(path string, sets []string) (*scenario.Loaded, error) {
	var (
		l   *scenario.Loaded
		err error
	)
	switch {
	case path == "":
		l, err = scenario.LoadFS(scenarios.FS, scenarios.Default)
	case strings.HasPrefix(path, "embedded:"):
		l, err = scenario.LoadEmbedded(strings.TrimPrefix(path, "embedded:"))
	default:
		l, err = scenario.Load(path)
	}
	if err != nil {
		return nil, err
	}
	if len(sets) > 0 {
		if err := scenario.ApplySets(l, sets); err != nil {
			return nil, setsError(err)
		}
	}
	return l, nil
}

func validateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "parley validate FILE... [--set key=value]", stderr)
	var sets multi
	fs.Var(&sets, "set", "override a scenario key, e.g. --set rules.state_ends_ceasefire.tolerance=25 (repeatable)")
	files, err := parse(fs, args)
	if err != nil {
		return errUsageOr(err)
	}
	if len(files) == 0 {
		files = []string{""}
	}
	bad := 0
	for _, f := range files {
		l, err := loadScenario(f, sets)
		if errors.Is(err, errUsage) {
			return err // a malformed --set is wrong for every file
		}
		name := f
		if name == "" {
			name = "embedded:" + scenarios.Default
		}
		if err != nil {
			bad++
			fmt.Fprintf(stderr, "%v\n", err)
			continue
		}
		s := l.Scenario
		fmt.Fprintf(stdout, "ok  %s  (%s: %s to %s, %d factions, %d events, sha256 %s)\n", name, s.Name, s.Start, s.End,
			len(s.Insurgent.Factions), len(s.Events), scenario.Hash(s)[:12])
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d scenario(s) invalid", bad, len(files))
	}
	return nil
}

func scenariosCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	entries, err := scenarios.FS.ReadDir(".")
	if err != nil {
		return err
	}
	var list []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".toml") {
			list = append(list, e.Name())
		}
	}
	sort.Strings(list)
	for _, n := range list {
		l, err := scenario.LoadFS(scenarios.FS, n)
		if err != nil {
			fmt.Fprintf(stdout, "  %-32s (invalid: %v)\n", n, err)
			continue
		}
		mark := " "
		if n == scenarios.Default {
			mark = "*"
		}
		fmt.Fprintf(stdout, "%s embedded:%-30s %s\n", mark, n, l.Scenario.Description)
	}
	fmt.Fprintln(stdout, "\n* the default. Run one with: parley run embedded:NAME.toml")
	return nil
}

func versionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "parley %s\n", version.String())
	return nil
}

func errUsageOr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errPrinted
}

// setsError makes a --set problem a usage error (exit 2): a malformed
// setting, an unknown key or a value not allowed. Problems the setting
// causes elsewhere in the scenario stay failures (exit 1).
func setsError(err error) error {
	var se *scenario.Error
	if !errors.As(err, &se) {
		return err
	}
	for _, p := range se.Problems {
		if !strings.HasPrefix(p.File, "--set ") {
			return err
		}
	}
	return &usageErr{err.Error()}
}
