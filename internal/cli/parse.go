package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"time"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// Limits of the job flags, stated in the README ("Reproducibility and
// safety").
const (
	// MaxRuns is the most Monte Carlo runs one job may ask for (--runs,
	// --runs-per-point, --check-runs): the scenario schema's maximum of
	// runs. Larger jobs are refused with an estimate of how long they
	// would take.
	MaxRuns = 100_000_000
	// MinMaxWorkers is the least maximum of --workers; the maximum is
	// 4 × the CPUs when that is larger (maxWorkers). More workers than
	// that only cost memory: a larger --workers is clamped, with a notice.
	MinMaxWorkers = 256
)

// maxWorkers is the largest --workers honoured on this machine.
func maxWorkers() int { return max(MinMaxWorkers, 4*runtime.NumCPU()) }

// parseCount parses a whole number strictly: decimal digits only (no
// sign, no 0x, no underscores, no spaces), and it must fit a uint64.
func parseCount(s string) (uint64, error) {
	if s == "" {
		return 0, errors.New("empty; want a whole number in decimal digits")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a whole number in decimal digits (no sign, 0x, _ or spaces)", s)
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large (at most %d)", s, uint64(1<<64-1))
	}
	return v, nil
}

// parseSeed is the one parser of --seed for every verb: a whole number
// from 0 to 2⁶⁴−1 in decimal digits. "5abc", "0x10", "1_000", "-1" and ""
// are errors, never a different seed.
func parseSeed(s string) (uint64, error) { return parseCount(s) }

// seedVar registers --seed: the master seed, set only when given.
func seedVar(fs *flag.FlagSet, seed *uint64, set *bool) {
	fs.Func("seed", "master seed, a whole number from 0 to 2^64-1 (default: the scenario's)", func(s string) error {
		v, err := parseSeed(s)
		if err != nil {
			return err
		}
		*seed, *set = v, true
		return nil
	})
}

// workersVar registers --workers (0, the default, means all CPUs). A value
// above maxWorkers is clamped, with a one-line notice on the flag set's
// output (stderr); results do not depend on the number of workers.
func workersVar(fs *flag.FlagSet, workers *int) {
	fs.Func("workers", fmt.Sprintf("parallel workers (default: all CPUs; at most %d); results do not depend on it", maxWorkers()), func(s string) error {
		v, err := parseCount(s)
		if err != nil {
			return err
		}
		if m := maxWorkers(); v > uint64(m) {
			fmt.Fprintf(noticeOutput(fs), "parley: --workers %d is above the maximum of %d; using %d (results do not depend on it)\n", v, m, m)
			v = uint64(m)
		}
		*workers = int(v)
		return nil
	})
}

// runsVar registers a count of Monte Carlo runs: at least 1 and at most
// MaxRuns. Leaving the flag out keeps *runs (0 meaning the scenario's
// default); --runs 0 is an error, not the default.
func runsVar(fs *flag.FlagSet, runs *int, name, usage string) {
	fs.Func(name, usage, func(s string) error {
		v, err := parseCount(s)
		if err != nil {
			return err
		}
		if v == 0 {
			return errors.New("must be at least 1 (leave the flag out for the default)")
		}
		if v > MaxRuns {
			return fmt.Errorf("above the maximum of %d runs per job%s; pass --%s %d or fewer, or split the work (parley sweep --shard)", MaxRuns, estimate(v), name, MaxRuns)
		}
		*runs = int(v)
		return nil
	})
}

// estimate says how long n runs would take, from a quick measurement: 200
// runs of the built-in reference scenario on all CPUs. It returns "" if
// the measurement fails.
func estimate(n uint64) string {
	l, err := scenario.LoadFS(scenarios.FS, scenarios.Default)
	if err != nil {
		return ""
	}
	const pilot = 200
	start := time.Now()
	if _, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: pilot}); err != nil {
		return ""
	}
	perRun := time.Since(start).Seconds() / pilot
	return fmt.Sprintf(" (it would take about %s here: the reference scenario runs at %.0f runs/s on this machine's %d CPUs)",
		humanDuration(float64(n)*perRun), 1/perRun, runtime.NumCPU())
}

// humanDuration writes a duration in seconds in the largest fitting unit.
func humanDuration(s float64) string {
	switch {
	case s >= 365.25*86400:
		return fmt.Sprintf("%.3g years", s/(365.25*86400))
	case s >= 86400:
		return fmt.Sprintf("%.3g days", s/86400)
	case s >= 3600:
		return fmt.Sprintf("%.3g hours", s/3600)
	}
	return fmt.Sprintf("%.3g minutes", s/60)
}

// usageErr is a usage error (exit status 2) whose message Main prints as
// it is.
type usageErr struct{ msg string }

func (e *usageErr) Error() string        { return e.msg }
func (e *usageErr) Is(target error) bool { return target == errUsage }

// interruptedErr is an interruption (exit status 130) with a message
// saying what was kept and how to continue.
type interruptedErr struct{ msg string }

func (e *interruptedErr) Error() string        { return "interrupted; " + e.msg }
func (e *interruptedErr) Is(target error) bool { return target == context.Canceled }

// createOut starts writing the output folder out (outdir.Create) and says
// on stderr which stale staging folders of it, left by a killed job, it
// removed.
func createOut(out string, force bool, stderr io.Writer) (*outdir.Dir, error) {
	d, err := outdir.Create(out, force)
	if err != nil {
		return nil, err
	}
	if n := len(d.Removed()); n > 0 {
		s := "s"
		if n == 1 {
			s = ""
		}
		fmt.Fprintf(stderr, "parley: removed %d stale staging folder%s of %s from an interrupted run\n", n, s, d.Final())
	}
	return d, nil
}
