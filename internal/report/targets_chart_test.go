package report

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/calib"
)

// sampleEvaluation has targets of every kind, among them a duration the
// simulation never produced (no median: it goes to the probability chart)
// and one with neither a median nor a probability (named in the title).
func sampleEvaluation(shift float64) *calib.Evaluation {
	nan := math.NaN()
	out := func(id, kind string, value, med, p float64, hit bool) calib.Outcome {
		return calib.Outcome{Target: calib.Target{ID: id, Kind: kind, Label: "target " + id, Observed: "x", Value: value, Low: value * 0.8, High: value * 1.2},
			Median: med, Lo: med * 0.8, Hi: med * 1.3, P: p, Hit: hit}
	}
	return &calib.Evaluation{Scenario: &sim.Scenario{Name: "ttp-2021"}, Outcomes: []calib.Outcome{
		out("E08", calib.KindDuration, 45, 50+shift, nan, true),
		out("E08.ended_by", calib.KindEndedBy, nan, nan, 0.9, true),
		out("E08.cause", calib.KindCause, nan, nan, 0.7, true),
		out("E09", calib.KindHeld, 184, nan, 0.3+shift/100, false),
		out("attacks 2022-02", calib.KindMonthly, 20, 41+shift, 0.01, false),
		out("UN-2022-02-TTP", calib.KindStrength, 5000, 7000, 0.1, false),
		out("F7", calib.KindOrdinal, nan, nan, 1, true),
		out("E10", calib.KindDuration, 30, nan, 0.2, false),
		out("E11", calib.KindDuration, 30, nan, nan, false),
	}}
}

// rows returns a chart's row labels (its nominal y axis), top first.
func rows(p *plot.Plot) []string {
	ct, _ := p.Y.Tick.Marker.(plot.ConstantTicks)
	var out []string
	for i := len(ct) - 1; i >= 0; i-- {
		out = append(out, strings.ReplaceAll(ct[i].Label, "\n", " "))
	}
	return out
}

// TestTargetChartsDrawEveryTarget: check's two charts and calibrate's two
// charts between them draw every target once (the one without any
// simulated value is named in both titles), and each title says how many
// targets it holds and where the others are.
func TestTargetChartsDrawEveryTarget(t *testing.T) {
	before, after := []*calib.Evaluation{sampleEvaluation(0)}, []*calib.Evaluation{sampleEvaluation(5)}
	ratio, err := CheckChart(after)
	if err != nil {
		t.Fatal(err)
	}
	prob, err := CheckProbabilityChart(after)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := TargetCharts(before, after)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 2 || targets[0].Name != "targets" || targets[1].Name != "targets-probabilities" {
		t.Fatalf("calibrate charts: %+v", targets)
	}
	for _, pair := range [][2]*Chart{{ratio, prob}, {&targets[0], &targets[1]}} {
		all := append(rows(pair[0].Plot), rows(pair[1].Plot)...)
		for _, o := range after[0].Outcomes {
			n := 0
			for _, r := range all {
				if r == "target "+o.ID || strings.HasPrefix(r, "target "+o.ID+" ") {
					n++
				}
			}
			want := 1
			if o.ID == "E11" {
				want = 0 // no simulated value: named in the titles instead
				for _, ch := range pair {
					if !strings.Contains(ch.Plot.Title.Text, "not drawn (no simulated value): E11") {
						t.Errorf("%s: title %q does not name E11", ch.Name, ch.Plot.Title.Text)
					}
				}
			}
			if n != want {
				t.Errorf("%s/%s: target %s drawn %d times in %q", pair[0].Name, pair[1].Name, o.ID, n, all)
			}
		}
		if got := len(rows(pair[0].Plot)); got != 3 {
			t.Errorf("%s: %d rows, want 3 (duration, monthly, strength)", pair[0].Name, got)
		}
		if !strings.Contains(pair[0].Plot.Title.Text, "3 of 9 targets; the other 5 in "+pair[1].Name) {
			t.Errorf("%s: title %q does not say where the other targets are", pair[0].Name, pair[0].Plot.Title.Text)
		}
		if !strings.Contains(pair[1].Plot.Title.Text, "5 of 9 targets; the other 3 in "+pair[0].Name) {
			t.Errorf("%s: title %q does not say where the other targets are", pair[1].Name, pair[1].Plot.Title.Text)
		}
	}
	// Before and after both drawn, the documented value in the legend, at 1.
	if !strings.Contains(targets[0].Plot.Title.Text, "before and after") {
		t.Errorf("targets title %q", targets[0].Plot.Title.Text)
	}
}
