// Package report writes what a Monte Carlo job produced: the CSV files,
// the manifest and the analyst's summary. Every parley command that runs
// simulations writes through it, so the formats are defined once.
package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"time"

	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/internal/version"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

func date(d sim.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// RunsHeader is the header of runs.csv.
var RunsHeader = []string{"run", "seed", "attacks_total", "defections_to_rival", "faction_defections", "splits", "merges", "strikes", "operations", "talks_rounds", "ceasefires", "settlement_date", "settlement_failed"}

// CeasefiresHeader is the header of ceasefires.csv.
var CeasefiresHeader = []string{"run", "origin", "start", "end", "days", "ended_by", "cause", "extensions", "driver"}

// RunWriter streams runs.csv and ceasefires.csv, one run at a time, in run
// order (use it as mc.Options.OnRun).
type RunWriter struct {
	runs, cfs *csv.Writer
	bufs      []*bufio.Writer
	row       []string
}

// NewRunWriter writes the headers and returns a writer.
func NewRunWriter(runs, ceasefires io.Writer) (*RunWriter, error) {
	br, bc := bufio.NewWriterSize(runs, 1<<16), bufio.NewWriterSize(ceasefires, 1<<16)
	w := &RunWriter{runs: csv.NewWriter(br), cfs: csv.NewWriter(bc), bufs: []*bufio.Writer{br, bc}}
	if err := w.runs.Write(RunsHeader); err != nil {
		return nil, err
	}
	if err := w.cfs.Write(CeasefiresHeader); err != nil {
		return nil, err
	}
	return w, nil
}

// Write adds one run.
func (w *RunWriter) Write(r *mc.RunResult) error {
	run := strconv.Itoa(r.Run)
	w.row = append(w.row[:0], run, strconv.FormatUint(r.Seed, 10), tabular.Num(r.AttacksTotal), tabular.Num(r.DefectedFighters),
		strconv.Itoa(r.FactionDefections), strconv.Itoa(r.Splits), strconv.Itoa(r.Merges), strconv.Itoa(r.Strikes),
		strconv.Itoa(r.Operations), strconv.Itoa(r.TalksRounds), strconv.Itoa(len(r.Ceasefires)),
		date(r.Settlement), date(r.SettlementFailed))
	if err := w.runs.Write(w.row); err != nil {
		return err
	}
	for _, c := range r.Ceasefires {
		end, by, cause, driver := c.End.String(), c.EndedBy, c.Cause, "driver"
		switch {
		case c.Open:
			end, by, cause, driver = "", "", "", ""
		case c.ByBaseline:
			driver = "baseline"
		case c.Cause == sim.CauseEvent || c.Cause == sim.CauseSettlement || c.Cause == sim.CauseOperation:
			driver = "" // not a hazard rule
		}
		w.row = append(w.row[:0], run, c.Origin, c.Start.String(), end, strconv.Itoa(c.Days()), by, cause, strconv.Itoa(c.Extensions), driver)
		if err := w.cfs.Write(w.row); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes out buffered rows.
func (w *RunWriter) Flush() error {
	w.runs.Flush()
	w.cfs.Flush()
	for _, b := range w.bufs {
		if err := b.Flush(); err != nil {
			return err
		}
	}
	if err := w.runs.Error(); err != nil {
		return err
	}
	return w.cfs.Error()
}

// SeriesHeader is the header of series.csv.
var SeriesHeader = []string{"date", "metric", "mean", "p05", "p10", "p25", "p50", "p75", "p90", "p95"}

// WriteSeries writes series.csv: one row per period and metric (tidy).
func WriteSeries(w io.Writer, r *mc.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SeriesHeader); err != nil {
		return err
	}
	row := make([]string, 0, len(SeriesHeader))
	for i, d := range r.Dates {
		for _, s := range r.Series {
			row = append(row[:0], d.String(), s.Name, tabular.Num(s.Mean[i]))
			for j := range mc.Quantiles {
				row = append(row, tabular.Num(s.Q[j][i]))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteEvents writes events.csv: the story of the sample runs.
func WriteEvents(w io.Writer, r *mc.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"run", "date", "agent", "rule", "event", "detail"})
	for k, story := range r.Stories {
		run := strconv.Itoa(r.StoryRuns[k])
		for _, e := range story {
			if err := cw.Write([]string{run, e.Date.String(), e.Agent, e.Rule, e.Event, e.Detail}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Manifest describes an output folder: what produced it and from what.
type Manifest struct {
	Version        string         `json:"version"`
	GoVersion      string         `json:"go_version"`
	Command        string         `json:"command"`
	Scenario       string         `json:"scenario"`
	ScenarioFiles  []string       `json:"scenario_files"`
	ScenarioSHA256 string         `json:"scenario_sha256"`
	Sets           []string       `json:"sets,omitempty"`
	Seed           uint64         `json:"seed"`
	Runs           int            `json:"runs"`
	Workers        int            `json:"workers"`
	Start          string         `json:"start"`
	End            string         `json:"end"`
	Step           string         `json:"step"`
	Period         string         `json:"period"`
	WallSeconds    float64        `json:"wall_seconds"`
	Files          []string       `json:"files"`
	Parameters     map[string]any `json:"parameters"`
	Extra          map[string]any `json:"extra,omitempty"`
}

// NewManifest fills the fields common to every command.
func NewManifest(command, scenarioPath string, files []string, sha string, sc *sim.Scenario, runs, workers int, seed uint64, period string, wall time.Duration) Manifest {
	params := map[string]any{}
	for _, p := range sc.Params() {
		switch v := p.Value.(type) {
		case sim.Date:
			params[p.Key] = v.String()
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				params[p.Key] = nil
			} else {
				params[p.Key] = v
			}
		default:
			params[p.Key] = v
		}
	}
	return Manifest{Version: version.String(), GoVersion: runtime.Version(), Command: command, Scenario: scenarioPath,
		ScenarioFiles: files, ScenarioSHA256: sha, Seed: seed, Runs: runs, Workers: workers,
		Start: sc.Start.String(), End: sc.End.String(), Step: sc.Step, Period: period,
		WallSeconds: math.Round(wall.Seconds()*1000) / 1000, Parameters: params}
}

// WriteManifest writes the manifest as indented JSON.
func WriteManifest(w io.Writer, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("report: manifest: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
