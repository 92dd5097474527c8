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
	"regexp"
	"sort"
	"strings"
	"syscall"

	"github.com/parley-sim/parley/internal/version"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/scenario"
)

// command is one verb of the parley command.
type command struct {
	name    string
	summary string
	args    argKind // what its positional arguments are, for shell completion
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// argKind is what a command's positional arguments name.
type argKind int

const (
	argsNone     argKind = iota
	argsScenario         // scenario files or embedded:NAME
	argsDir              // output folders of earlier jobs
	argsShell            // a shell name (completion)
)

func commands() []command {
	return []command{
		{"run", "run a scenario's Monte Carlo simulation, write CSVs, plots and a summary", argsScenario, runCmd},
		{"calibrate", "fit free parameters to the documented history (ABC-SMC posterior on common random numbers)", argsScenario, calibrateCmd},
		{"check", "score scenarios against the documented history: observed vs simulated, hits and misses", argsScenario, checkCmd},
		{"backtest", "score forecasts from rolling origins against what happened: CRPS, PIT, coverage, skill vs naive baselines", argsScenario, backtestCmd},
		{"compare", "compare a base scenario with variants on paired runs (common random numbers)", argsScenario, compareCmd},
		{"sweep", "run a batch parameter sweep (grid, LHS, Sobol, Halton, Morris); resumable, shardable", argsScenario, sweepCmd},
		{"analyze", "sensitivity analysis of a sweep: Sobol indices, Morris effects, PRIM boxes, heat maps", argsDir, analyzeCmd},
		{"merge", "join the shard outputs of a sweep into the single-machine output", argsDir, mergeCmd},
		{"validate", "check scenario files without running them", argsScenario, validateCmd},
		{"init", "write a starter scenario (extends the built-in reference) into a folder", argsDir, initCmd},
		{"scenarios", "list the built-in scenarios", argsNone, scenariosCmd},
		{"serve", "explore what-ifs in the browser (charts, effects with intervals, stories)", argsScenario, serveCmd},
		{"completion", "print a shell completion script: parley completion bash|zsh|fish", argsShell, completionCmd},
		{"version", "print the version and the commit parley was built from", argsNone, versionCmd},
	}
}

// findCommand returns the command named name.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// commandNames lists the commands' names, in the order of the usage.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// errUsage marks a usage error (exit status 2): Main prints its message
// (after the "usage: " prefix), then a hint to the command's -h.
var errUsage = errors.New("usage")

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
	if len(args) == 0 {
		usage(stdout)
		return exitOK
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			c, ok := findCommand(args[1])
			if !ok {
				return unknownCommand(args[1], stderr)
			}
			c.run(ctx, []string{"-h"}, stdout, stdout)
			return exitOK
		}
		usage(stdout)
		return exitOK
	case "-version", "--version":
		args = []string{"version"}
	}
	c, ok := findCommand(args[0])
	if !ok {
		return unknownCommand(args[0], stderr)
	}
	err := c.run(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "parley %s: %s\n", c.name, userMessage(strings.TrimPrefix(err.Error(), "usage: ")))
		fmt.Fprintf(stderr, "run 'parley %s -h' for usage\n", c.name)
		return exitUsage
	case errors.Is(err, context.Canceled):
		var ie *interruptedErr
		if errors.As(err, &ie) {
			fmt.Fprintf(stderr, "parley %s: %v\n", c.name, ie)
		} else {
			fmt.Fprintf(stderr, "parley %s: interrupted; no output was written\n", c.name)
		}
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "parley %s: %s\n", c.name, userMessage(err.Error()))
	return exitFailure
}

// internalPrefix is the prefix a message of one of parley's own packages
// may carry ("outdir: ", "mc: ", "sim: "), at the start of a message or of
// a wrapped one.
var internalPrefix = regexp.MustCompile(`(^|: |\n\s*)(?:atomicfile|backtest|bargain|calib|columnar|compare|mc|outdir|plots|report|scenario|sensitivity|serve|sim|sweep): `)

// userMessage removes the internal package prefixes from an error message
// a user reads: they name code, not what was wrong. (Messages should not
// have them; this is the net for those that still do.)
func userMessage(msg string) string {
	for {
		m := internalPrefix.ReplaceAllString(msg, "$1")
		if m == msg {
			return m
		}
		msg = m
	}
}

// unknownCommand reports a word that is not a command (or a flag before
// any command), with the nearest command when one is close, and returns
// the usage exit status.
func unknownCommand(word string, stderr io.Writer) int {
	if strings.HasPrefix(word, "-") {
		fmt.Fprintf(stderr, "parley: unknown flag %s before the command; flags follow it: parley COMMAND [FLAGS]\n", word)
	} else {
		msg := fmt.Sprintf("unknown command %q", word)
		if s := sim.Closest(word, commandNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		fmt.Fprintf(stderr, "parley: %s\n", msg)
	}
	fmt.Fprintf(stderr, "run 'parley -h' for the list of commands\n")
	return exitUsage
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
		return err
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
			fmt.Fprintf(stderr, "%s\n", userMessage(err.Error()))
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

// embeddedScenarios lists the built-in scenarios' file names, sorted.
func embeddedScenarios() ([]string, error) {
	entries, err := scenarios.FS.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var list []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".toml") {
			list = append(list, e.Name())
		}
	}
	sort.Strings(list)
	return list, nil
}

func scenariosCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("scenarios", "parley scenarios", stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("takes no arguments (got %s); run one with: parley run embedded:NAME.toml", strings.Join(pos, " "))
	}
	list, err := embeddedScenarios()
	if err != nil {
		return err
	}
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

// versionCmd prints the module version, the commit and the toolchain
// (version.Info.Long); --version is the same.
func versionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "parley version  (or parley --version)", stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("takes no arguments (got %s)", strings.Join(pos, " "))
	}
	fmt.Fprintf(stdout, "parley %s\n", version.Current().Long())
	return nil
}

// loadVariant loads a --vary variant: the scenario at path with the --set
// overrides sets, then the variant's own settings vary. A problem with one
// of those is reported as the --vary setting it is, not as a --set.
func loadVariant(path string, sets, vary []string) (*scenario.Loaded, error) {
	l, err := loadScenario(path, sets)
	if err != nil {
		return nil, err
	}
	if err := scenario.ApplySets(l, vary); err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			for i, p := range se.Problems {
				for _, v := range vary {
					if p.File == "--set "+v {
						se.Problems[i].File = "--vary " + v
						se.Problems[i].Msg = strings.ReplaceAll(p.Msg, "e.g. --set ", "e.g. --vary ")
					}
				}
			}
		}
		return nil, setsError(err)
	}
	return l, nil
}

// setsError makes a --set (or --vary) problem a usage error (exit 2): a malformed
// setting, an unknown key or a value not allowed. Problems the setting
// causes elsewhere in the scenario stay failures (exit 1).
func setsError(err error) error {
	var se *scenario.Error
	if !errors.As(err, &se) {
		return err
	}
	for _, p := range se.Problems {
		if !strings.HasPrefix(p.File, "--set ") && !strings.HasPrefix(p.File, "--vary ") {
			return err
		}
	}
	return &usageErr{err.Error()}
}
