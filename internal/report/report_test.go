package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

func reference(t *testing.T) *sim.Scenario {
	var s sim.Scenario
	for _, f := range []string{"../../scenarios/base.toml", "../../scenarios/ttp-2021.toml"} {
		if _, err := toml.DecodeFile(f, &s); err != nil {
			t.Fatal(err)
		}
	}
	return &s
}

// TestFilesAgree: runs.csv, ceasefires.csv and series.csv written from one
// job tell the same story: total attacks, ceasefire counts per run, and
// ceasefire-days against p_ceasefire.
func TestFilesAgree(t *testing.T) {
	s := reference(t)
	var runsBuf, cfBuf, serBuf bytes.Buffer
	rw, err := NewRunWriter(&runsBuf, &cfBuf)
	if err != nil {
		t.Fatal(err)
	}
	const runs = 50
	res, err := mc.Run(context.Background(), s, mc.Options{Runs: runs, Period: mc.Day, OnRun: rw.Write})
	if err != nil {
		t.Fatal(err)
	}
	rw.Flush()
	if err := WriteSeries(&serBuf, res); err != nil {
		t.Fatal(err)
	}
	read := func(b *bytes.Buffer) [][]string {
		rows, err := csv.NewReader(b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	runRows, cfRows, serRows := read(&runsBuf), read(&cfBuf), read(&serBuf)
	if len(runRows) != runs+1 || strings.Join(runRows[0], ",") != strings.Join(RunsHeader, ",") {
		t.Fatalf("runs.csv: %d rows, header %v", len(runRows), runRows[0])
	}
	var attacks float64
	perRun := map[string]int{}
	for _, r := range runRows[1:] {
		a, _ := strconv.ParseFloat(r[2], 64)
		attacks += a
		n, _ := strconv.Atoi(r[10])
		perRun[r[0]] = n
	}
	cfDays := 0.0
	for _, r := range cfRows[1:] {
		perRun[r[0]]--
		d, _ := strconv.Atoi(r[4])
		cfDays += float64(d)
		if r[3] == "" { // open at the horizon: its last day counts too
			cfDays++
		}
	}
	for run, left := range perRun {
		if left != 0 {
			t.Errorf("run %s: runs.csv and ceasefires.csv disagree by %d ceasefires", run, left)
		}
	}
	var serAttacks, serCf float64
	for _, r := range serRows[1:] {
		mean, _ := strconv.ParseFloat(r[2], 64)
		switch r[1] {
		case "attacks":
			serAttacks += mean * runs
		case "p_ceasefire":
			serCf += mean * runs
		}
	}
	// series.csv rounds means to 6 significant digits.
	if d := serAttacks - attacks; d*d > 1e-6*attacks*attacks {
		t.Errorf("attacks: series.csv %v, runs.csv %v", serAttacks, attacks)
	}
	if d := serCf - cfDays; d*d > 1e-6*cfDays*cfDays+1 {
		t.Errorf("ceasefire days: series.csv %v, ceasefires.csv %v", serCf, cfDays)
	}
}

func TestSummaryAndManifest(t *testing.T) {
	s := reference(t)
	res, err := mc.Run(context.Background(), s, mc.Options{Runs: 40})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	obs := map[sim.Date]float64{sim.DateOf(2021, 9, 1): 23}
	Summary(&b, res, obs, SummaryInfo{})
	out := b.String()
	for _, want := range []string{"CEASEFIRES", "declared 2021-11-09 (scenario event)", "still holding, days after declaration:", "duration:", "ended by (of ", "ATTACKS PER MONTH", "2021-09", "23 (", "settlement signed"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	m := NewManifest("run", "x.toml", []string{"x.toml"}, "abc", s, 40, 2, 7, "month", 0)
	var j bytes.Buffer
	if err := WriteManifest(&j, m); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "go_version", "scenario", "scenario_sha256", "parameters", "seed", "runs", "workers", "start", "end", "step", "wall_seconds"} {
		if _, ok := back[k]; !ok {
			t.Errorf("manifest lacks %q", k)
		}
	}
	params := back["parameters"].(map[string]any)
	tol, _ := s.Float("rules.state_ends_ceasefire.tolerance")
	if params["rules.state_ends_ceasefire.tolerance"] != tol || params["start"] != "2021-08-15" {
		t.Errorf("manifest parameters wrong: tolerance %v start %v", params["rules.state_ends_ceasefire.tolerance"], params["start"])
	}
}
