package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/palette"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
	"gonum.org/v1/plot"
)

func times(ds []sim.Date) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = d.Time()
	}
	return out
}

// Band converts a series into a plots.Band. Counts in periods cut by the
// horizon (a month that starts mid-month) are left out: they would show as
// dips that are not in the model.
func Band(name string, r *mc.Result, s *mc.Series) plots.Band {
	cut := func(v []float64) []float64 {
		if s.Kind != "count" {
			return v
		}
		out := append([]float64(nil), v...)
		for i := range out {
			if !r.Full[i] {
				out[i] = math.NaN()
			}
		}
		return out
	}
	return plots.Band{Name: name, Dates: times(r.Dates), Mean: cut(s.Mean),
		P05: cut(s.Q[0]), P10: cut(s.Q[1]), P25: cut(s.Q[2]), P50: cut(s.Q[3]), P75: cut(s.Q[4]), P90: cut(s.Q[5]), P95: cut(s.Q[6])}
}

// ObservedPoints returns the observed monthly attacks that fall on whole
// months of the result (partial months are not comparable).
func ObservedPoints(r *mc.Result, obs *scenario.Observed) []plots.Observed {
	if obs == nil || r.Period != mc.Month {
		return nil
	}
	full := map[sim.Date]bool{}
	for i, d := range r.Dates {
		if r.Full[i] {
			full[d] = true
		}
	}
	var out []plots.Observed
	for _, o := range obs.Monthly {
		if full[o.Month] {
			out = append(out, plots.Observed{Date: o.Month.Time(), Value: o.Attacks, Label: "observed (PICSS)"})
		}
	}
	return out
}

// HistoryEnd returns the last day of the last documented month of obs, or
// 0 without observations.
func HistoryEnd(obs *scenario.Observed) sim.Date {
	if obs == nil || len(obs.Monthly) == 0 {
		return 0
	}
	last := obs.Monthly[0].Month
	for _, m := range obs.Monthly {
		last = max(last, m.Month)
	}
	return last.MonthEnd()
}

// SurvivalCurves converts the ceasefire groups into Kaplan–Meier curves,
// cut shortly after the last day any of them is above 1%.
func SurvivalCurves(r *mc.Result, prefix string) []plots.Curve {
	last := 30
	for _, g := range r.Groups {
		for d, v := range g.S {
			if v > 0.01 {
				last = max(last, d)
			}
		}
	}
	var out []plots.Curve
	for _, g := range r.Groups {
		n := min(len(g.S), last+last/10+1)
		x := make([]float64, n)
		for d := range x {
			x[d] = float64(d)
		}
		name := strings.TrimPrefix(GroupLabel(g.Origin), "declared ")
		if g.Event == "extend_ceasefire" { // an extension that found no ceasefire in force declares one (see GroupTitle)
			name = strings.TrimPrefix(g.Origin, "event ") + " (extension event, declared again)"
			if g.Parent == "" {
				name = strings.TrimPrefix(g.Origin, "event ") + " (extension event, none in force)"
			}
		}
		if prefix != "" {
			name = prefix + ": " + name
		}
		out = append(out, plots.Curve{Name: name, X: x, Y: g.S[:n], Lower: g.Lo[:n], Upper: g.Hi[:n]})
	}
	return out
}

// Charts builds the standard charts of a result, by file stem.
func Charts(r *mc.Result, obs *scenario.Observed) (names []string, ps []*plot.Plot, err error) {
	sc := r.Scenario
	per := r.Period.String()
	add := func(name string, p *plot.Plot, e error) {
		if e != nil && err == nil {
			err = fmt.Errorf("report: %s: %w", name, e)
		}
		if e == nil {
			names, ps = append(names, name), append(ps, p)
		}
	}

	att := r.SeriesByName("attacks")
	fo := plots.Options{Title: fmt.Sprintf("Attacks per %s — %s", per, sc.Name), YLabel: "attacks (PICSS units)"}
	if end := HistoryEnd(obs); end > sc.Start && end < sc.End {
		fo.Divider, fo.DividerLabel = (end + 1).Time(), "history ends, forecast begins"
	}
	p, e := plots.Fan(fo, []plots.Band{Band("simulated", r, att)}, ObservedPoints(r, obs))
	add("attacks", p, e)

	p, e = plots.Survival(plots.Options{Title: "Ceasefire survival (Kaplan–Meier across runs)", XLabel: "days since the ceasefire began", YLabel: "share still holding"},
		SurvivalCurves(r, ""))
	add("survival", p, e)

	stack := plots.Stack{Dates: times(r.Dates)}
	for _, ph := range sim.Phases() {
		stack.Names = append(stack.Names, ph.String())
		stack.Shares = append(stack.Shares, r.Phase[ph])
	}
	p, e = plots.Occupancy(plots.Options{Title: "Phase occupancy (share of runs and days)", YLabel: "share"}, stack)
	add("phases", p, e)

	var lines []plots.Line
	for _, m := range []struct{ metric, name, colour string }{
		{"fighters_insurgent", sc.Insurgent.Name + " (members)", "insurgent"},
		{"fighters_splinter", "splinters", "splinter"},
		{"fighters_rival", sc.Rival.Name, "rival"},
	} {
		s := r.SeriesByName(m.metric)
		lines = append(lines, plots.Line{Name: m.name, Dates: times(r.Dates), Y: s.Q[3], Lo: s.Q[1], Hi: s.Q[5], Color: palette.Color(m.colour)})
	}
	p, e = plots.Lines(plots.Options{Title: "Fighters (median, 80% band)", YLabel: "fighters"}, lines)
	add("fighters", p, e)

	lines = nil
	for l := sim.Leverage(0); l < sim.NumLeverage; l++ {
		s := r.SeriesByName(l.String())
		name := strings.ReplaceAll(strings.TrimPrefix(l.String(), "leverage_"), "_", " → ")
		lines = append(lines, plots.Line{Name: name, Dates: times(r.Dates), Y: s.Mean})
	}
	p, e = plots.Lines(plots.Options{Title: "Leverage L[i → j] (mean across runs)", YLabel: "leverage (0–1)"}, lines)
	add("leverage", p, e)
	return names, ps, err
}

// Chart is a plot with its file stem and size (zero: 16 cm × 9 cm).
type Chart struct {
	Name string
	Plot *plot.Plot
	Size plots.Options
}

// SaveCharts saves each chart in each format into dir, on at most workers
// goroutines, and returns the file names written (see RunJobs).
func SaveCharts(dir *outdir.Dir, charts []Chart, formats []string, workers int) ([]string, error) {
	return RunJobs(workers, ChartJobs(dir, charts, formats))
}
