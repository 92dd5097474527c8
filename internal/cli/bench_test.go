package cli

import (
	"context"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/internal/yardstick"
	"github.com/parley-sim/parley/sim/mc"
)

// benchRun times the whole `parley run` command on the reference scenario:
// loading, simulation, aggregation, CSVs, charts and the summary.
func benchRun(b *testing.B, runs int, extra ...string) {
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(dir, strconv.Itoa(i))
		args := append([]string{"run", "embedded:ttp-2021.toml", "--runs", strconv.Itoa(runs), "--seed", "1", "--quiet", "--out", out}, extra...)
		if code := Main(args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(runs), "runs/op")
}

// BenchmarkRunCommand is issue 12's headline figure: 10,000 runs of the
// reference scenario, conditioned on the documented history (the default).
func BenchmarkRunCommand(b *testing.B) { benchRun(b, 10000) }

// BenchmarkRunCommandVsYardstick runs the headline command and then the
// naive yardstick (internal/yardstick) for the same 10,000 runs × 869 days
// × 7 factions, back to back, and reports their ratio: the status of
// issue 12's headline target on any machine, whatever its speed that hour.
// The target, 1.0 s for the command where the yardstick took 1.69 s, is a
// ratio of 0.59.
func BenchmarkRunCommandVsYardstick(b *testing.B) {
	dir := b.TempDir()
	yardstick.Against(b, "command", 10000, 869, 7, func(i int) {
		args := []string{"run", "embedded:ttp-2021.toml", "--runs", "10000", "--seed", "1", "--quiet", "--out", filepath.Join(dir, strconv.Itoa(i))}
		if code := Main(args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	})
}

// BenchmarkRunCommandNoFilter is the same without the particle filter.
func BenchmarkRunCommandNoFilter(b *testing.B) { benchRun(b, 10000, "--no-filter") }

// BenchmarkRunCommand1k and its unfiltered twin are small enough to count
// instructions under callgrind (the filter's overhead per run).
func BenchmarkRunCommand1k(b *testing.B)         { benchRun(b, 1000) }
func BenchmarkRunCommand1kNoFilter(b *testing.B) { benchRun(b, 1000, "--no-filter") }

// BenchmarkRunOutputs times run's output phase alone (summary, series.csv,
// events.csv and the PNG charts with the overview panel, on GOMAXPROCS
// goroutines) on a fixed result: 1,000 conditioned runs of the reference
// scenario, simulated once. What it writes does not grow with the runs.
func BenchmarkRunOutputs(b *testing.B) { benchOutputs(b, runtime.GOMAXPROCS(0)) }

// BenchmarkRunOutputs1Worker is the same on one goroutine.
func BenchmarkRunOutputs1Worker(b *testing.B) { benchOutputs(b, 1) }

func benchOutputs(b *testing.B, workers int) {
	l, err := loadScenario("embedded:ttp-2021.toml", nil)
	if err != nil {
		b.Fatal(err)
	}
	res, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: 1000, Seed: 1, SeedSet: true,
		Period: mc.Month, Stories: 3, Filter: filterFor(l)})
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	for i := 0; b.Loop(); i++ {
		dir, err := outdir.Create(filepath.Join(tmp, strconv.Itoa(i)), false)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := runOutputs(dir, res, l, report.SummaryInfo{}, []string{"png"}, workers); err != nil {
			b.Fatal(err)
		}
		dir.Abort()
	}
}
