package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/calib"
)

// Overlay writes a scenario overlay that extends base and sets the fitted
// values, each with its interval as a comment. header lines become comments
// at the top (provenance). Faction and demand keys
// (insurgent.factions.NAME.field) become [[insurgent.factions]] entries
// merged by name.
func Overlay(base, name string, header []string, free []calib.Free, values, lo, hi []float64) []byte {
	var b bytes.Buffer
	for _, h := range header {
		fmt.Fprintf(&b, "# %s\n", h)
	}
	fmt.Fprintf(&b, "\nextends = %q\nname = %q\n", base, name)
	type kv struct {
		key, comment string
		v            float64
	}
	tables := map[string][]kv{}
	var order []string
	lists := map[string]map[string][]kv{} // list → element name → keys
	var listOrder []string
	for i, f := range free {
		comment := fmt.Sprintf("fitted in [%g, %g]", f.Lo, f.Hi)
		if f.Dist == calib.PriorNormal {
			comment = "fitted with prior " + f.PriorText()
		}
		if lo != nil && !math.IsNaN(lo[i]) {
			comment += fmt.Sprintf("; ABC 90%% interval %.4g – %.4g", lo[i], hi[i])
		}
		parts := strings.Split(f.Key, ".")
		if len(parts) == 4 && parts[0] == "insurgent" && (parts[1] == "factions" || parts[1] == "demands") {
			list := parts[0] + "." + parts[1]
			if lists[list] == nil {
				lists[list] = map[string][]kv{}
				listOrder = append(listOrder, list)
			}
			lists[list][parts[2]] = append(lists[list][parts[2]], kv{parts[3], comment, values[i]})
			continue
		}
		table, key := "", f.Key
		if j := strings.LastIndex(f.Key, "."); j >= 0 {
			table, key = f.Key[:j], f.Key[j+1:]
		}
		if _, ok := tables[table]; !ok {
			order = append(order, table)
		}
		tables[table] = append(tables[table], kv{key, comment, values[i]})
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, t := range order {
		b.WriteString("\n")
		if t != "" {
			fmt.Fprintf(&b, "[%s]\n", t)
		}
		for _, e := range tables[t] {
			fmt.Fprintf(&b, "%s = %s  # %s\n", e.key, num(e.v), e.comment)
		}
	}
	for _, l := range listOrder {
		names := make([]string, 0, len(lists[l]))
		for n := range lists[l] {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&b, "\n[[%s]]\nname = %q\n", l, n)
			for _, e := range lists[l][n] {
				fmt.Fprintf(&b, "%s = %s  # %s\n", e.key, num(e.v), e.comment)
			}
		}
	}
	return b.Bytes()
}

// ParamsHeader is the header of params.csv.
var ParamsHeader = []string{"key", "lo", "hi", "start", "fitted", "abc_median", "abc_p05", "abc_p95", "prior"}

// WriteParams writes params.csv: each free parameter's bounds, start,
// fitted value, ABC posterior summary (weighted under ABC-SMC) and prior.
func WriteParams(w io.Writer, f *calib.Fit) error {
	cw := csv.NewWriter(w)
	cw.Write(ParamsHeader)
	for i, p := range f.Free {
		med, lo, hi := math.NaN(), math.NaN(), math.NaN()
		if f.PostMedian != nil {
			med, lo, hi = f.PostMedian[i], f.PostLo[i], f.PostHi[i]
		}
		cw.Write([]string{p.Key, tabular.Num(p.Lo), tabular.Num(p.Hi), tabular.Num(f.Start[i]), tabular.Num(f.Best[i]), tabular.Num(med), tabular.Num(lo), tabular.Num(hi), p.PriorText()})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTrace writes trace.csv: every evaluation, its phase, values and
// loss, whether it is in the posterior (accepted by ABC, or in ABC-SMC's
// final population) and its ABC-SMC population (empty outside ABC-SMC).
func WriteTrace(w io.Writer, f *calib.Fit) error {
	cw := csv.NewWriter(w)
	h := []string{"eval", "phase"}
	for _, p := range f.Free {
		h = append(h, p.Key)
	}
	cw.Write(append(h, "loss", "accepted", "population"))
	for _, e := range f.Trace {
		row := []string{strconv.Itoa(e.N), e.Phase}
		for _, v := range e.Theta {
			row = append(row, tabular.Num(v))
		}
		pop := ""
		if e.Population >= 0 {
			pop = strconv.Itoa(e.Population)
		}
		cw.Write(append(row, tabular.Num(e.Loss), strconv.FormatBool(e.Accepted), pop))
	}
	cw.Flush()
	return cw.Error()
}

// PopulationsHeader is the header of populations.csv.
var PopulationsHeader = []string{"t", "epsilon", "accepted", "evaluations", "acceptance_rate", "ess"}

// WritePopulations writes populations.csv: per ABC-SMC population its
// tolerance, particles accepted, evaluations, acceptance rate and
// effective sample size.
func WritePopulations(w io.Writer, f *calib.Fit) error {
	cw := csv.NewWriter(w)
	cw.Write(PopulationsHeader)
	for _, p := range f.Populations {
		cw.Write([]string{strconv.Itoa(p.T), strconv.FormatFloat(p.Epsilon, 'g', 8, 64), strconv.Itoa(p.Accepted), strconv.Itoa(p.Evaluations),
			strconv.FormatFloat(p.AcceptanceRate, 'g', 6, 64), strconv.FormatFloat(p.ESS, 'g', 6, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// CalibrationHeader is the header of calibration.csv.
var CalibrationHeader = []string{"scenario", "id", "kind", "label", "observed", "before_median", "before_p10", "before_p90", "before_loss", "before_hit",
	"after_median", "after_p10", "after_p90", "after_loss", "after_hit", "weight", "source"}

// WriteCalibration writes calibration.csv: each target before and after.
func WriteCalibration(w io.Writer, before, after []*calib.Evaluation) error {
	cw := csv.NewWriter(w)
	cw.Write(CalibrationHeader)
	for i := range before {
		for j, b := range before[i].Outcomes {
			a := after[i].Outcomes[j]
			cw.Write([]string{before[i].Scenario.Name, b.ID, b.Kind, b.Label, b.Observed,
				tabular.Num(finite(b.Median)), tabular.Num(finite(b.Lo)), tabular.Num(finite(b.Hi)), tabular.Num(b.Loss), strconv.FormatBool(b.Hit),
				tabular.Num(finite(a.Median)), tabular.Num(finite(a.Lo)), tabular.Num(finite(a.Hi)), tabular.Num(a.Loss), strconv.FormatBool(a.Hit), tabular.Num(b.Weight), b.Source})
		}
	}
	cw.Flush()
	return cw.Error()
}

// CalibrationSummary prints the fitted values and the loss and coverage
// before and after.
func CalibrationSummary(w io.Writer, f *calib.Fit, before, after []*calib.Evaluation) {
	stop := ""
	if f.Stop != "" {
		stop = "; stopped: " + f.Stop
	}
	fmt.Fprintf(w, "PARAMETERS (%s, %d evaluations%s)\n", f.Method, len(f.Trace), stop)
	fmt.Fprintf(w, "  fitted = %s\n", f.Point)
	fmt.Fprintf(w, "  %-46s %10s %10s   %s\n", "key", "start", "fitted", "ABC posterior median [90% interval] (prior)")
	for i, p := range f.Free {
		post := "—"
		if f.PostMedian != nil {
			post = fmt.Sprintf("%.4g [%.4g – %.4g]", f.PostMedian[i], f.PostLo[i], f.PostHi[i])
		}
		fmt.Fprintf(w, "  %-46s %10.4g %10.4g   %s (%s)\n", p.Key, f.Start[i], f.Best[i], post, p.PriorText())
	}
	if len(f.Populations) > 0 {
		fmt.Fprintf(w, "\nABC-SMC POPULATIONS (posterior: the last, ESS %.1f)\n", f.Posterior.ESS())
		fmt.Fprintf(w, "  %3s %12s %9s %12s %11s %7s\n", "t", "epsilon", "accepted", "evaluations", "acceptance", "ESS")
		for _, p := range f.Populations {
			fmt.Fprintf(w, "  %3d %12.5g %9d %12d %11.3f %7.1f\n", p.T, p.Epsilon, p.Accepted, p.Evaluations, p.AcceptanceRate, p.ESS)
		}
	}
	if len(f.Warnings) > 0 {
		fmt.Fprintln(w, "\nWARNINGS (what the calibration did not learn)")
		for _, s := range f.Warnings {
			fmt.Fprintf(w, "  ! %s\n", s)
		}
	}
	low := math.Inf(1)
	for _, e := range f.Trace {
		low = math.Min(low, e.Loss)
	}
	fmt.Fprintf(w, "\nLOSS (calibration runs): start %.3f → fitted %.3f (lowest seen %.3f)\n", f.StartLoss, f.BestLoss, low)
	fmt.Fprintln(w, "\nTARGETS, before → after (checked on fresh runs):")
	for i := range before {
		fmt.Fprintf(w, "  %s: loss %.2f → %.2f, hits %d → %d of %d\n", before[i].Scenario.Name, before[i].Loss, after[i].Loss,
			before[i].Hits, after[i].Hits, len(after[i].Outcomes))
		for j, b := range before[i].Outcomes {
			a := after[i].Outcomes[j]
			mark := func(h bool) string {
				if h {
					return "hit "
				}
				return "MISS"
			}
			fmt.Fprintf(w, "    %-16s %-22s %-26s %s → %-26s %s  loss %6.2f → %6.2f\n", clip(b.ID, 16), clip(b.Observed, 22), simText(b), mark(b.Hit), simText(a), mark(a.Hit), b.Loss, a.Loss)
		}
	}
}

// CalibrationCharts draws the loss trace and the ABC posterior of each
// parameter.
func CalibrationCharts(f *calib.Fit) ([]Chart, error) {
	var out []Chart
	pts := make(plotter.XYs, 0, len(f.Trace))
	best := math.Inf(1)
	bestPts := make(plotter.XYs, 0, len(f.Trace))
	for _, e := range f.Trace {
		if math.IsInf(e.Loss, 0) || math.IsNaN(e.Loss) {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(e.N), Y: e.Loss})
		best = math.Min(best, e.Loss)
		bestPts = append(bestPts, plotter.XY{X: float64(e.N), Y: best})
	}
	if len(pts) > 1 {
		xl := "evaluation (ABC draws, then Nelder–Mead)"
		if f.Method == calib.PMC {
			xl = "evaluation (ABC-SMC populations in turn)"
		}
		p, err := plots.Scatter(plots.Options{Title: "Calibration loss by evaluation", XLabel: xl, YLabel: "loss (weighted NLL)"},
			pts, bestPts, "evaluation", "best so far")
		if err != nil {
			return nil, err
		}
		out = append(out, Chart{Name: "trace", Plot: p})
	}
	if len(f.Accepted) > 1 {
		// Under ABC-SMC the posterior is weighted: draw 1000 systematic
		// resamples to histogram; the prior is population 0.
		sample := f.Accepted
		if f.Posterior != nil {
			sample = make([][]float64, 1000)
			for k := range sample {
				sample[k] = f.Posterior.Draw((float64(k) + 0.5) / 1000)
			}
		}
		for i, p := range f.Free {
			vals := make([]float64, len(sample))
			for k, a := range sample {
				vals[k] = a[i]
			}
			all := make([]float64, 0, len(f.Trace))
			for _, e := range f.Trace {
				if e.Phase == "abc" || e.Phase == "abc-smc" && e.Population == 0 {
					all = append(all, e.Theta[i])
				}
			}
			pl, err := plots.Histogram(plots.Options{Title: "ABC posterior of " + p.Key, XLabel: p.Key, YLabel: "share of draws"}, all, vals, p.Lo, p.Hi, f.Best[i])
			if err != nil {
				return nil, err
			}
			out = append(out, Chart{Name: fmt.Sprintf("posterior-%d", i+1), Plot: pl, Size: plots.Options{Width: 14 * vg.Centimeter, Height: 8 * vg.Centimeter}})
		}
	}
	return out, nil
}
