package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// TestRunOutputsSameBytesWhateverOutputWorkers: run's output phase
// (summary, series.csv, events.csv, the charts in PNG, SVG and PDF, the
// overview panel, then the manifest) writes the same bytes and lists the
// same files in the same order on 1 and on 4 goroutines, whatever order the
// jobs finish in (the 4-goroutine case is repeated to meet several
// schedules). The result and the manifest's inputs are fixed, so every byte
// of every file is compared, manifest.json included; PDFs carry a fixed
// creation date (plots.pdfDate), not the wall-clock time.
func TestRunOutputsSameBytesWhateverOutputWorkers(t *testing.T) {
	l, err := loadScenario("embedded:ceasefire-2021.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := mc.Run(context.Background(), l.Scenario, mc.Options{Runs: 40, Seed: 11, SeedSet: true,
		Period: mc.Month, Stories: 3, Filter: filterFor(l)})
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	write := func(name string, workers int) ([]string, map[string][]byte) {
		t.Helper()
		dir, err := outdir.Create(filepath.Join(tmp, name), false)
		if err != nil {
			t.Fatal(err)
		}
		defer dir.Abort()
		files, sum, err := runOutputs(dir, res, l, report.SummaryInfo{Sets: []string{"runs=40"}}, []string{"png", "svg", "pdf"}, workers)
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		man := report.NewManifest("run", l.Path, l.Files, scenario.Hash(l.Scenario), l.Scenario, res.Runs, res.Workers, res.Seed, "month", 1500*time.Millisecond)
		man.Files = append([]string{"manifest.json"}, files...)
		if err := finishJob(dir, man, sum, true, 0, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		return man.Files, readDir(t, dir.Final())
	}
	wantFiles, want := write("w1", 1)
	for _, f := range []string{"summary.txt", "series.csv", "events.csv", "attacks.png", "attacks.svg", "attacks.pdf", "leverage.svg", "leverage.pdf", "overview.png"} {
		if len(want[f]) == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	// runs.csv and ceasefires.csv are streamed by simulate, not here.
	if listed := len(wantFiles); listed != len(want)+2 {
		t.Errorf("%d files listed, %d written (want 2 fewer: runs.csv, ceasefires.csv)", listed, len(want))
	}
	for k := range 3 {
		name := "w4-" + strconv.Itoa(k)
		files, got := write(name, 4)
		if !slices.Equal(files, wantFiles) {
			t.Errorf("%s lists %v, one worker %v", name, files, wantFiles)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d files, one worker %d", name, len(got), len(want))
		}
		for f, b := range want {
			if !bytes.Equal(got[f], b) {
				t.Errorf("%s: %s differs from one worker's", name, f)
			}
		}
	}
}
