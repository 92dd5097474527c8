package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/backtest"
)

// BacktestHeader is the header of backtest.csv.
var BacktestHeader = []string{"model", "origin", "horizon", "target", "kind", "date", "observed", "crps", "pinball", "is80", "log_score", "brier", "pit",
	"covered50", "covered80", "covered90", "median", "lo80", "hi80", "p_observed"}

func cov(c int) string {
	if c < 0 {
		return ""
	}
	return strconv.Itoa(c)
}

// WriteBacktest writes backtest.csv: one row per forecaster, origin,
// horizon and target (tidy).
func WriteBacktest(w io.Writer, r *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(BacktestHeader)
	for _, x := range r.Rows {
		cw.Write([]string{x.Model, x.Origin.String()[:7], strconv.Itoa(x.Horizon), x.Target, x.Kind, x.Date.String()[:7], x.Observed,
			tabular.Num(x.CRPS), tabular.Num(x.Pinball), tabular.Num(x.IS80), tabular.Num(x.LogScore), tabular.Num(x.Brier), tabular.Num(x.PIT),
			cov(x.Covered[0]), cov(x.Covered[1]), cov(x.Covered[2]), tabular.Num(x.Median), tabular.Num(x.Lo80), tabular.Num(x.Hi80), tabular.Num(x.P)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteSkill writes skill.csv: the model's skill against each baseline per
// score, target and horizon (0 = pooled), with its 90% bootstrap interval.
func WriteSkill(w io.Writer, r *backtest.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"model", "baseline", "target", "score", "horizon", "skill", "lo90", "hi90", "origins"})
	for _, s := range r.Skills {
		cw.Write([]string{s.Model, s.Baseline, s.Target, s.Score, strconv.Itoa(s.Horizon), tabular.Num(s.Value), tabular.Num(s.Lo), tabular.Num(s.Hi), strconv.Itoa(s.Origins)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteForecasts writes forecast.csv: the model's monthly attacks from every
// origin (quantiles), with what was documented, for the months before and
// after the origin.
func WriteForecasts(w io.Writer, r *backtest.Result) error {
	cw := csv.NewWriter(w)
	head := []string{"origin", "month", "forecast"}
	for _, q := range backtest.Quantiles {
		head = append(head, fmt.Sprintf("p%02.0f", 100*q))
	}
	cw.Write(append(head, "observed"))
	for _, f := range r.Fans {
		for i, m := range f.Months {
			row := []string{f.Origin.String()[:7], m.String()[:7], strconv.FormatBool(f.Forecast[i])}
			for _, q := range f.Q[i] {
				row = append(row, tabular.Num(q))
			}
			cw.Write(append(row, tabular.Num(f.Observed[i])))
		}
	}
	cw.Flush()
	return cw.Error()
}

func signedPct(x float64) string {
	if math.IsNaN(x) {
		return "  n/a"
	}
	return fmt.Sprintf("%+.0f%%", 100*x)
}

// BacktestSummary writes the text summary: skill against each baseline,
// calibration of each forecaster, and the forecast from the last origin.
func BacktestSummary(w io.Writer, r *backtest.Result) {
	o0, o1 := r.Origins[0], r.Origins[len(r.Origins)-1]
	hs := make([]string, len(r.Horizons))
	for i, h := range r.Horizons {
		hs[i] = strconv.Itoa(h)
	}
	fmt.Fprintf(w, "BACKTEST of %s — %d origins %s … %s, horizons %s months, %d runs per origin (seed %d)\n",
		r.Scenario.Name, len(r.Origins), o0.String()[:7], o1.String()[:7], strings.Join(hs, ", "), r.Runs, r.Seed)
	fmt.Fprintf(w, "  information rule: %s\n", backtest.Cutoff)
	fmt.Fprintf(w, "  documented history ends %s\n", r.DataEnd)
	if r.Conditioned {
		minShare, worst := 1.0, ""
		var warns []string
		for i, st := range r.Filter {
			if st == nil {
				continue
			}
			if st.MinShare < minShare {
				minShare, worst = st.MinShare, r.Origins[i].String()[:7]
			}
			warns = append(warns, st.Warnings...)
		}
		fmt.Fprintf(w, "  conditioned: each forecast starts from runs filtered on the months documented up to its origin (smallest ESS %.0f%% of a block, origin %s)\n", 100*minShare, worst)
		for _, x := range warns {
			fmt.Fprintf(w, "  warning: %s\n", x)
		}
	} else {
		fmt.Fprintln(w, "  unconditioned: forecasts start from every state the model reaches (--no-filter)")
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "SKILL of parley against naive baselines: 1 − score/score_baseline (positive = better than the baseline)")
	fmt.Fprintln(w, "  90% intervals resample origins; pooled = all horizons")
	for _, sc := range []struct{ target, score, label string }{
		{backtest.TargetAttacks, "crps", "monthly attacks, CRPS"},
		{backtest.TargetAttacks, "pinball", "monthly attacks, quantile (pinball) loss"},
		{backtest.TargetCeasefire, "brier", "ceasefire in force most of the month, Brier score"},
	} {
		var lines []string
		for _, s := range r.Skills {
			if s.Target != sc.target || s.Score != sc.score {
				continue
			}
			h := "pooled"
			if s.Horizon > 0 {
				h = fmt.Sprintf("h=%d", s.Horizon)
			}
			lines = append(lines, fmt.Sprintf("    vs %-12s %-7s %5s [%s, %s]  (%d origins)", s.Baseline, h, signedPct(s.Value), signedPct(s.Lo), signedPct(s.Hi), s.Origins))
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s\n%s\n", sc.label, strings.Join(lines, "\n"))
	}

	fmt.Fprintln(w, "\nCALIBRATION on monthly attacks (a calibrated forecaster covers 50/80/90% and has uniform PIT values)")
	fmt.Fprintf(w, "  %-12s %5s %8s %8s %22s %10s %8s\n", "forecaster", "n", "CRPS", "pinball", "coverage 50/80/90%", "PIT χ²", "p")
	for _, c := range r.Calibration {
		fmt.Fprintf(w, "  %-12s %5d %8.2f %8.2f %8.0f%% %4.0f%% %4.0f%% %10.1f %8.3f\n", c.Model, c.N, c.CRPS, c.Pinball,
			100*c.Coverage[0], 100*c.Coverage[1], 100*c.Coverage[2], c.ChiSq, c.P)
	}

	// Other targets: mean log score per forecaster.
	type agg struct {
		sum float64
		n   int
	}
	logs := map[string]map[string]*agg{}
	var order []string
	for _, x := range r.Rows {
		if x.Kind == backtest.KindCount {
			continue
		}
		t := x.Target
		if i := strings.IndexByte(t, ':'); i >= 0 {
			t = t[:i+1] + "*"
		}
		if logs[t] == nil {
			logs[t] = map[string]*agg{}
			order = append(order, t)
		}
		if logs[t][x.Model] == nil {
			logs[t][x.Model] = &agg{}
		}
		logs[t][x.Model].sum += x.LogScore
		logs[t][x.Model].n++
	}
	if len(order) > 0 {
		fmt.Fprintln(w, "\nOTHER TARGETS: mean log score (lower is better; −log of the probability given to what happened)")
		for _, t := range order {
			var parts []string
			for _, m := range append([]string{backtest.Model}, backtest.Baselines...) {
				if a := logs[t][m]; a != nil {
					parts = append(parts, fmt.Sprintf("%s %.2f (n=%d)", m, a.sum/float64(a.n), a.n))
				}
			}
			fmt.Fprintf(w, "  %-18s %s\n", t, strings.Join(parts, " · "))
		}
	}

	last := r.Fans[len(r.Fans)-1]
	fmt.Fprintf(w, "\nFORECAST from %s (median [80%% interval] · documented)\n", last.Origin.String()[:7])
	for i, m := range last.Months {
		if !last.Forecast[i] {
			continue
		}
		q := last.Q[i]
		obs := "—"
		if !math.IsNaN(last.Observed[i]) {
			obs = fmt.Sprintf("%.0f", last.Observed[i])
		}
		fmt.Fprintf(w, "  %s  %4.0f [%4.0f – %4.0f]  · %s\n", m.String()[:7], q[3], q[1], q[5], obs)
	}
}

// BacktestCharts draws the verification charts that are single plots: the
// reliability diagram (observed against nominal coverage) and the skill by
// horizon with intervals. BacktestPanelJobs draws the small multiples.
func BacktestCharts(r *backtest.Result) ([]Chart, error) {
	var out []Chart
	var rel []plots.Reliability
	for _, c := range r.Calibration {
		rel = append(rel, plots.Reliability{Name: c.Model, Nominal: backtest.Levels, Observed: c.Coverage, N: c.N})
	}
	if len(rel) > 0 {
		p, err := plots.ReliabilityDiagram(plots.Options{Title: "Reliability — central intervals of monthly attacks", XLabel: "nominal coverage", YLabel: "observed coverage"}, rel)
		if err != nil {
			return nil, fmt.Errorf("report: reliability: %w", err)
		}
		out = append(out, Chart{Name: "reliability", Plot: p})
	}
	var sk []plots.SkillSeries
	for _, b := range backtest.Baselines {
		s := plots.SkillSeries{Name: "vs " + b}
		for _, x := range r.Skills {
			if x.Baseline == b && x.Target == backtest.TargetAttacks && x.Score == "crps" && x.Horizon > 0 {
				s.X = append(s.X, float64(x.Horizon))
				s.Y = append(s.Y, x.Value)
				s.Lo = append(s.Lo, x.Lo)
				s.Hi = append(s.Hi, x.Hi)
			}
		}
		if len(s.X) > 0 {
			sk = append(sk, s)
		}
	}
	if len(sk) > 0 {
		p, err := plots.SkillByHorizon(plots.Options{Title: "CRPS skill of parley by horizon (90% bootstrap intervals)", XLabel: "months ahead", YLabel: "skill (1 − CRPS/CRPS baseline)"}, sk)
		if err != nil {
			return nil, fmt.Errorf("report: skill: %w", err)
		}
		out = append(out, Chart{Name: "skill", Plot: p})
	}
	return out, nil
}

// BacktestPanelJobs returns the jobs drawing the small multiples into dir
// as PNG: pit.png (one PIT histogram per forecaster) and fans.png (the fan
// from every origin, documented months as dots, the origin as a dashed
// vertical line). The plots are built here; the jobs draw and encode them.
func BacktestPanelJobs(dir *outdir.Dir, r *backtest.Result) ([]Job, error) {
	var jobs []Job
	var hs []plots.Hist
	for _, c := range r.Calibration {
		hs = append(hs, plots.Hist{Name: fmt.Sprintf("%s — PIT χ² p = %.2f (n = %d)", c.Model, c.P, c.N), Values: c.PIT})
	}
	if len(hs) > 0 {
		ps, err := plots.PITHistograms(plots.Options{XLabel: "PIT value (monthly attacks)", YLabel: "density (1 = flat)"}, hs, 10)
		if err != nil {
			return nil, fmt.Errorf("report: pit: %w", err)
		}
		cols := min(len(ps), 2)
		rows := (len(ps) + cols - 1) / cols
		jobs = append(jobs, PanelJob(dir, "pit.png", plots.Options{Width: vg.Length(cols) * 11 * vg.Centimeter, Height: vg.Length(rows) * 7 * vg.Centimeter}, rows, cols, ps, nil))
	}
	fans, err := backtestFans(dir, r)
	if err != nil {
		return nil, err
	}
	return append(jobs, fans), nil
}

func backtestFans(dir *outdir.Dir, r *backtest.Result) (Job, error) {
	var ps []*plot.Plot
	var key plot.Legend
	for _, f := range r.Fans {
		b := plots.Band{Name: "parley"}
		var obs []plots.Observed
		for i, m := range f.Months {
			b.Dates = append(b.Dates, m.Time())
			q := f.Q[i]
			b.P05, b.P10, b.P25 = append(b.P05, q[0]), append(b.P10, q[1]), append(b.P25, q[2])
			b.P50, b.P75, b.P90, b.P95 = append(b.P50, q[3]), append(b.P75, q[4]), append(b.P90, q[5]), append(b.P95, q[6])
			if !math.IsNaN(f.Observed[i]) {
				obs = append(obs, plots.Observed{Date: m.Time(), Value: f.Observed[i], Label: "documented (PICSS)"})
			}
		}
		p, err := plots.OriginFan(plots.Options{Title: "from " + f.Origin.String()[:7]}, b, obs, f.Origin.Time().AddDate(0, 1, 0))
		if err != nil {
			return Job{}, fmt.Errorf("report: fans: %w", err)
		}
		ps = append(ps, p)
		if len(ps) == 1 {
			if key, err = plots.OriginFanKey(b, obs); err != nil {
				return Job{}, fmt.Errorf("report: fans: %w", err)
			}
		}
	}
	cols := 3
	if len(ps) <= 3 {
		cols = 2
	}
	rows := len(ps)/cols + 1 // a free tile for the key
	o := plots.Options{Width: vg.Length(cols) * 11 * vg.Centimeter, Height: vg.Length(rows) * 7 * vg.Centimeter}
	return PanelJob(dir, "fans.png", o, rows, cols, ps, &key), nil
}
