package report

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/calib"
)

// CheckHeader is the header of check.csv.
var CheckHeader = []string{"scenario", "id", "kind", "label", "observed", "value", "n", "sim_median", "sim_p10", "sim_p90", "width80", "p_observed", "log_score", "crps", "pit", "weight", "hit", "explains", "source"}

// WriteCheck writes check.csv: one row per target of each evaluation.
func WriteCheck(w io.Writer, evs []*calib.Evaluation) error {
	cw := csv.NewWriter(w)
	cw.Write(CheckHeader)
	for _, e := range evs {
		for _, o := range e.Outcomes {
			cw.Write([]string{e.Scenario.Name, o.ID, o.Kind, o.Label, o.Observed, tabular.Num(o.Value), strconv.Itoa(o.N),
				tabular.Num(finite(o.Median)), tabular.Num(finite(o.Lo)), tabular.Num(finite(o.Hi)), tabular.Num(finite(o.Width)), tabular.Num(o.P), tabular.Num(o.Loss),
				tabular.Num(o.CRPS), tabular.Num(o.PIT), tabular.Num(o.Weight),
				strconv.FormatBool(o.Hit), o.Explains, o.Source})
		}
	}
	cw.Flush()
	return cw.Error()
}

// finite maps ±Inf (censored durations) to NaN, written as empty.
func finite(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	return x
}

func simText(o calib.Outcome) string {
	switch {
	case o.Missing:
		return "never occurs"
	case !math.IsNaN(o.Median):
		f := func(x float64) string {
			if math.IsInf(x, 1) {
				return "beyond horizon"
			}
			return fmt.Sprintf("%.0f", x)
		}
		return fmt.Sprintf("%s [%s – %s]", f(o.Median), f(o.Lo), f(o.Hi))
	}
	return fmt.Sprintf("P = %.0f%%", 100*o.P)
}

// CheckSummary prints observed against simulated for every target, hit or
// miss, and the coverage.
func CheckSummary(w io.Writer, evs []*calib.Evaluation) {
	hits, total := 0, 0
	for _, e := range evs {
		fmt.Fprintf(w, "%s — %d runs, seed %d: mean log score %.2f over %d targets", e.Scenario.Name, e.Result.Runs, e.Result.Seed, e.MeanLogScore, len(e.Outcomes))
		if e.MonthlyN > 0 {
			fmt.Fprintf(w, ", monthly attacks CRPS %.2f (%d months)", e.MonthlyCRPS, e.MonthlyN)
		}
		fmt.Fprintf(w, "; %d of %d hits under the strict rules (%.0f%%), weighted loss %.2f\n", e.Hits, len(e.Outcomes), 100*e.Coverage(), e.Loss)
		fmt.Fprintf(w, "  %-4s  %-16s %-52s %-22s %-26s %6s %6s\n", "", "target", "what", "observed", "simulated median [80%]", "width", "log sc")
		for _, o := range e.Outcomes {
			mark := "hit "
			if !o.Hit {
				mark = "MISS"
			}
			width := "     —"
			if !math.IsNaN(o.Width) && !math.IsInf(o.Width, 0) {
				width = fmt.Sprintf("%6.0f", o.Width)
			} else if math.IsInf(o.Width, 1) {
				width = "   inf"
			}
			fmt.Fprintf(w, "  %-4s  %-16s %-52s %-22s %-26s %s %6.2f  %s\n", mark, clip(o.ID, 16), clip(o.Label, 52), clip(o.Observed, 22), simText(o), width, o.Loss, o.Explains)
		}
		fmt.Fprintln(w)
		hits += e.Hits
		total += len(e.Outcomes)
	}
	fmt.Fprintln(w, "Hit rules (strict):")
	for _, k := range []string{calib.KindDuration, calib.KindHeld, calib.KindEndedBy, calib.KindCause, calib.KindMonthly, calib.KindStrength, calib.KindOrdinal} {
		fmt.Fprintf(w, "  %-18s %s\n", k, calib.HitRule[k])
	}
	fmt.Fprintln(w, "Log scores are −log of the probability the simulation gave the observation (lower is better); they, not the hits, are what calibrate minimises.")
	if len(evs) > 1 && total > 0 {
		fmt.Fprintf(w, "ALL: %d of %d targets hit (%.0f%%)\n", hits, total, 100*float64(hits)/float64(total))
	}
}

// Where a target is drawn: as a ratio to its documented value, as the
// probability of what was documented, or in neither chart.
const (
	placeRatio = iota
	placeProbability
	placeNone
)

// targetPlace says which chart draws o and, for the ratio chart, the
// documented value the simulation is scaled to. Probabilities (who ended a
// ceasefire, why, that it held so long, ordinal facts) go to the
// probability chart, and so does a numeric target the ratio chart cannot
// draw (the simulation never produced it, or its documented value is 0)
// when it has a probability; placeNone is left for a target with neither.
func targetPlace(o calib.Outcome) (place int, ref float64) {
	switch o.Kind {
	case calib.KindEndedBy, calib.KindCause, calib.KindHeld, calib.KindOrdinal:
		return placeProbability, math.NaN()
	}
	ref = o.Value
	if o.Kind == calib.KindStrength {
		ref = (o.Low + o.High) / 2
	}
	if !math.IsNaN(o.Median) && !math.IsNaN(ref) && ref != 0 {
		return placeRatio, ref
	}
	if !math.IsNaN(o.P) {
		return placeProbability, math.NaN()
	}
	return placeNone, math.NaN()
}

// placeNote is the second title line of a target chart: how many of the
// targets it draws and where the others are, so none is left out
// silently.
func placeNote(evs []*calib.Evaluation, place int, other string) string {
	n, total := 0, 0
	var none []string
	for _, e := range evs {
		for _, o := range e.Outcomes {
			total++
			switch pl, _ := targetPlace(o); pl {
			case place:
				n++
			case placeNone:
				none = append(none, o.ID)
			}
		}
	}
	note := fmt.Sprintf("%d of %d targets", n, total)
	if rest := total - n - len(none); rest > 0 {
		note += fmt.Sprintf("; the other %d in %s", rest, other)
	}
	if len(none) > 0 {
		note += fmt.Sprintf("; not drawn (no simulated value): %s", strings.Join(none, ", "))
	}
	return note
}

// ratioRow is a target of the ratio chart scaled to its documented value
// (capped at 4).
func ratioRow(o calib.Outcome, ref float64) (lo, med, hi float64) {
	capv := func(x float64) float64 { return math.Min(x/ref, 4) }
	return capv(o.Lo), capv(o.Median), capv(o.Hi)
}

// CheckChart draws every target with a numeric observation as its
// simulated 80% interval and median, with the observation at 1: a black
// ring for a hit, a red cross for a miss (the median stays visible inside
// the ring). Values are scaled to the observation so that days, attacks and
// fighters share one axis. Targets that are probabilities (who ended a
// ceasefire, why, whether it held so long, ordinal facts) are in
// CheckProbabilityChart; the title says how many targets each chart holds.
func CheckChart(evs []*calib.Evaluation) (*Chart, error) {
	var labels []string
	type row struct {
		lo, med, hi float64
		hit         bool
	}
	var rows []row
	for _, e := range evs {
		for _, o := range e.Outcomes {
			place, ref := targetPlace(o)
			if place != placeRatio {
				continue
			}
			labels = append(labels, checkLabel(evs, e, o))
			lo, med, hi := ratioRow(o, ref)
			rows = append(rows, row{lo, med, hi, o.Hit})
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	los, meds, his := make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		los[i], meds[i], his[i] = r.lo, r.med, r.hi
	}
	title := "Simulated vs documented (documented = 1)\n" + placeNote(evs, placeRatio, "check-probabilities")
	p, err := plots.Forest(plots.Options{Title: title, XLabel: "simulated / documented (capped at 4)"}, labels, meds, los, his,
		plots.ForestStyle{Ref: 1, RefName: "documented value", ValueName: "simulated median", RangeName: "simulated 80% interval"})
	if err != nil {
		return nil, err
	}
	n := len(rows)
	var hitPts, missPts plotter.XYs
	for i, r := range rows {
		pt := plotter.XY{X: 1, Y: float64(n - 1 - i)}
		if r.hit {
			hitPts = append(hitPts, pt)
		} else {
			missPts = append(missPts, pt)
		}
	}
	if err := addMarks(p, hitPts, color.Black, draw.RingGlyph{}, "hit: inside the 80% interval"); err != nil {
		return nil, err
	}
	if err := addMarks(p, missPts, color.RGBA{200, 0, 0, 255}, draw.CrossGlyph{}, "MISS: outside it"); err != nil {
		return nil, err
	}
	return &Chart{Name: "check", Plot: p, Size: plots.Options{Width: 24 * vg.Centimeter, Height: vg.Length(3.5+rowHeight(labels)*float64(n)) * vg.Centimeter}}, nil
}

// probLabel labels a target of the probability chart.
func probLabel(evs []*calib.Evaluation, e *calib.Evaluation, o calib.Outcome) string {
	label := checkLabel(evs, e, o)
	if o.Kind == calib.KindEndedBy || o.Kind == calib.KindCause {
		label += " " + o.Observed
	}
	return clip(label, 160)
}

// rowHeight is the height in cm of a row of a chart with these row labels:
// room for the longest once wrapped (rows are evenly spaced).
func rowHeight(labels []string) float64 {
	lines := 1
	for _, l := range labels {
		lines = max(lines, strings.Count(plots.Wrap(l, plots.LabelWrap), "\n")+1)
	}
	return math.Max(0.55, 0.42*float64(lines))
}

// CheckProbabilityChart draws the targets scored as probabilities: the
// share of runs in which what was documented happened (who ended a
// ceasefire, why, that it held at least so long, an ordinal fact), with the
// strict hit threshold of one half.
func CheckProbabilityChart(evs []*calib.Evaluation) (*Chart, error) {
	var labels []string
	var ps, zeros []float64
	var hits []bool
	for _, e := range evs {
		for _, o := range e.Outcomes {
			if place, _ := targetPlace(o); place != placeProbability {
				continue
			}
			labels = append(labels, probLabel(evs, e, o))
			ps, zeros, hits = append(ps, o.P), append(zeros, 0), append(hits, o.Hit)
		}
	}
	if len(labels) == 0 {
		return nil, nil
	}
	title := "Probability the simulation gave what was documented\n" + placeNote(evs, placeProbability, "check")
	p, err := plots.Forest(plots.Options{Title: title, XLabel: "share of runs (hit: at least one half)"}, labels, ps, zeros, ps,
		plots.ForestStyle{Ref: 0.5, RefName: "hit threshold (1/2)", ValueName: "P(documented outcome)"})
	if err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max = 0, 1
	n := len(labels)
	var missPts plotter.XYs
	for i, h := range hits {
		if !h {
			missPts = append(missPts, plotter.XY{X: ps[i], Y: float64(n - 1 - i)})
		}
	}
	if err := addMarks(p, missPts, color.RGBA{200, 0, 0, 255}, draw.CrossGlyph{}, "MISS"); err != nil {
		return nil, err
	}
	return &Chart{Name: "check-probabilities", Plot: p, Size: plots.Options{Width: 24 * vg.Centimeter, Height: vg.Length(3.5+rowHeight(labels)*float64(n)) * vg.Centimeter}}, nil
}

func checkLabel(evs []*calib.Evaluation, e *calib.Evaluation, o calib.Outcome) string {
	label := o.Label
	if len(evs) > 1 {
		label = e.Scenario.Name + ": " + label
	}
	return clip(label, 160)
}

func addMarks(p *plot.Plot, pts plotter.XYs, c color.Color, shape draw.GlyphDrawer, name string) error {
	if len(pts) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(5), shape
	p.Add(sc)
	p.Legend.Add(name, sc)
	return nil
}
