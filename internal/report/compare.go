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
	"gonum.org/v1/plot/vg"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/compare"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// CompareHeader is the header of compare.csv.
var CompareHeader = []string{"variant", "outcome", "ceasefire", "date", "unit", "n", "base", "variant_value", "diff", "diff_lo", "diff_hi", "se",
	"p_better", "p_worse", "p_same", "var_paired", "var_unpaired"}

// CausesHeader is the header of causes.csv.
var CausesHeader = []string{"variant", "ceasefire", "kind", "value", "n", "base_share", "variant_share", "diff", "diff_lo", "diff_hi"}

// WriteCompare writes compare.csv: one row per variant and outcome (the
// headline outcomes, then attacks per period), paired differences variant −
// base with 95% intervals and the shares of runs the variant did better,
// worse or the same.
func WriteCompare(w io.Writer, c *compare.Comparison) error {
	cw := csv.NewWriter(w)
	cw.Write(CompareHeader)
	for _, v := range c.Variants {
		for _, e := range append(append([]compare.Effect(nil), v.Effects...), v.Monthly...) {
			cw.Write([]string{v.Name, e.Outcome, e.Ceasefire, date(e.Date), e.Unit, strconv.Itoa(e.N),
				tabular.Num(e.Base), tabular.Num(e.Variant), tabular.Num(e.Diff), tabular.Num(e.Lo), tabular.Num(e.Hi), tabular.Num(e.SE),
				tabular.Num(e.Better), tabular.Num(e.Worse), tabular.Num(e.Same), tabular.Num(e.VarPaired), tabular.Num(e.VarUnpaired)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCauses writes causes.csv: for each variant and ceasefire group, the
// share of runs whose first ceasefire of the group ended by each cause and
// each actor (or was still open), under the base and the variant, with the
// paired difference.
func WriteCauses(w io.Writer, c *compare.Comparison) error {
	cw := csv.NewWriter(w)
	cw.Write(CausesHeader)
	for _, v := range c.Variants {
		for _, s := range v.Shifts {
			cw.Write([]string{v.Name, s.Ceasefire, s.Kind, s.Value, strconv.Itoa(s.N),
				tabular.Num(s.Base), tabular.Num(s.Variant), tabular.Num(s.Diff), tabular.Num(s.Lo), tabular.Num(s.Hi)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// signed formats a difference with its sign and a precision suited to its
// unit and size: whole numbers from 100, one decimal down to 0.05, two
// significant digits below that (so a small effect never reads -0.0), and
// 0 for exactly zero.
func signed(x float64, unit string) string {
	if unit == "probability" {
		if math.IsNaN(x) {
			return "n/a"
		}
		return signed(100*x, "") + " pp"
	}
	switch a := math.Abs(x); {
	case math.IsNaN(x):
		return "n/a"
	case x == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%+.0f", x)
	case a >= 0.05:
		return fmt.Sprintf("%+.1f", x)
	}
	return fmt.Sprintf("%+.2g", x)
}

// signedDec formats x with its sign and dec decimals; a value that rounds
// to zero has no sign.
func signedDec(x float64, dec int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := fmt.Sprintf("%+.*f", dec, x)
	if strings.Trim(s, "+-0.") == "" {
		return s[1:]
	}
	return s
}

// decimals is the precision of a row's difference and interval: two
// significant digits of the interval's half-width, at most 4 decimals.
func decimals(halfWidth float64) int {
	if !(halfWidth > 0) {
		return 1
	}
	return min(4, max(0, 1-int(math.Floor(math.Log10(halfWidth)))))
}

func plain(x float64, unit string) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case unit == "probability":
		return fmt.Sprintf("%.0f%%", 100*x)
	case math.Abs(x) >= 100:
		return fmt.Sprintf("%.0f", x)
	case x == 0:
		return "0"
	case math.Abs(x) < 0.05:
		return fmt.Sprintf("%.2g", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// NoChangeText is what the summary prints for an effect that is exactly 0
// in every paired run.
const NoChangeText = "0 (no change in any pair)"

// verdict says whether the interval excludes zero.
func verdict(e compare.Effect) string {
	switch {
	case e.NoChange():
		return ""
	case e.N < 2 || math.IsNaN(e.Lo):
		return ""
	case e.Lo > 0 || e.Hi < 0:
		return "clear"
	}
	return "within noise"
}

// interval formats an effect's difference and 95% interval.
func interval(e compare.Effect) string {
	switch {
	case e.NoChange():
		return NoChangeText
	case e.N < 2 || math.IsNaN(e.Lo):
		return signed(e.Diff, e.Unit)
	}
	scale, unit := 1.0, ""
	if e.Unit == "probability" {
		scale, unit = 100, " pp"
	}
	dec := decimals(scale * (e.Hi - e.Lo) / 2)
	if dec == 0 && scale*math.Max(math.Abs(e.Lo), math.Abs(e.Hi)) < 100 {
		dec = 1
	}
	f := func(x float64) string { return signedDec(scale*x, dec) + unit }
	return fmt.Sprintf("%s [%s, %s]", f(e.Diff), f(e.Lo), f(e.Hi))
}

// betterIf says which direction of an outcome counts as better.
func betterIf(higher bool) string {
	if higher {
		return "higher"
	}
	return "lower"
}

// clip shortens s to at most n runes, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// shortGroup names a ceasefire group briefly.
func shortGroup(origin string) string {
	if d, ok := strings.CutPrefix(origin, "event "); ok {
		return "ceasefire of " + d
	}
	return "rule-declared ceasefires"
}

// groupNames names the ceasefire groups of a comparison briefly, saying
// when a group is a ceasefire an extension event declared again after the
// one it meant to extend had ended.
func groupNames(c *compare.Comparison) map[string]string {
	names := map[string]string{}
	results := []*mc.Result{c.Base}
	for _, v := range c.Variants {
		results = append(results, v.Result)
	}
	for _, r := range results {
		for _, g := range r.Groups {
			if _, ok := names[g.Origin]; ok {
				continue
			}
			names[g.Origin] = shortGroup(g.Origin)
			if g.Event == "extend_ceasefire" {
				d := strings.TrimPrefix(g.Origin, "event ")
				if g.Parent != "" {
					names[g.Origin] = shortGroup(g.Parent) + " declared again " + d
				} else {
					names[g.Origin] = "ceasefire declared by the extension of " + d
				}
			}
		}
	}
	return names
}

// effectLabel names an outcome, with its ceasefire when it has one.
func effectLabel(e compare.Effect, names map[string]string) string {
	if e.Ceasefire == "" {
		return e.Label
	}
	g := names[e.Ceasefire]
	if g == "" {
		g = shortGroup(e.Ceasefire)
	}
	return g + ": " + e.Label
}

// CompareSummary prints, for every variant, the paired effects on the
// headline outcomes, how the causes of ceasefire endings shift, and the
// attacks per period.
func CompareSummary(w io.Writer, c *compare.Comparison) error {
	b := c.Base
	names := groupNames(c)
	fmt.Fprintf(w, "Parley compare — base %s\n", c.BaseName)
	fmt.Fprintf(w, "%d paired runs (common random numbers) · seed %d · %s to %s · %s steps\n",
		c.Runs, c.Seed, b.Scenario.Start, b.Scenario.End, b.Scenario.Step)
	fmt.Fprint(w, `Difference: variant − base, the mean over the paired runs, with its 95% interval: "clear" when
  the interval excludes 0, "within noise" when it does not; "0 (no change in any pair)" when
  every paired run gave the same value under both.
better / worse: share of the paired runs in which the variant did better / worse than the base,
  "better" being the direction in the "better if" column (more days under a ceasefire, fewer
  attacks); the rest are ties. Many small gains can come with a mean loss, and the reverse.
Per-ceasefire outcomes: over the runs in which the ceasefire occurred under both (the number of
  runs is shown when it is not every run).
`)
	for _, v := range c.Variants {
		fmt.Fprintf(w, "\nVARIANT %s\n", v.Name)
		width := len("outcome")
		for _, e := range v.Effects {
			width = max(width, len([]rune(effectLabel(e, names))))
		}
		row := func(format string, args ...any) {
			fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf(format, args...), " "))
		}
		row("  %-*s %9s %9s  %-30s %-13s %-9s", width, "outcome", "base", "variant", "difference [95% interval]", "better/worse", "better if")
		for _, e := range v.Effects {
			if e.N == 0 {
				continue
			}
			note := verdict(e)
			if e.N < c.Runs {
				note = strings.TrimSpace(note + " (" + plural(e.N, "run") + ")")
			}
			bw := fmt.Sprintf("%3.0f%% / %3.0f%%", 100*e.Better, 100*e.Worse)
			row("  %-*s %9s %9s  %-30s %-13s %-9s %s", width, effectLabel(e, names), plain(e.Base, e.Unit), plain(e.Variant, e.Unit), interval(e),
				bw, betterIf(e.HigherIsBetter), note)
		}
		origin := ""
		var block []compare.Shift
		flush := func() {
			if len(block) == 0 {
				return
			}
			tw := 0
			for _, s := range block {
				tw = max(tw, len([]rune(shiftText(s.Value))))
			}
			fmt.Fprintf(w, "\n  How the %s ended (share of the runs in which it occurred, base → variant):\n", names[origin])
			for _, s := range block {
				d := interval(compare.Effect{PairedSummary: s.PairedSummary, Unit: "probability"})
				fmt.Fprintf(w, "    %-*s %4.0f%% → %4.0f%%   %s\n", tw, shiftText(s.Value), 100*s.Base, 100*s.Variant, d)
			}
			block = block[:0]
		}
		for _, s := range v.Shifts {
			if s.Kind != "cause" {
				continue
			}
			if s.Ceasefire != origin {
				flush()
				origin = s.Ceasefire
			}
			block = append(block, s)
		}
		flush()
		fmt.Fprintf(w, "\n  Attacks per %s (all groups, PICSS units), mean base → variant, difference [95%% interval]:\n", b.Period)
		for i, e := range v.Monthly {
			part := ""
			if !b.Full[i] {
				part = "  (partial)"
			}
			fmt.Fprintf(w, "    %-8s %6.1f → %6.1f   %s%s\n", periodLabel(e.Date, b.Period), e.Base, e.Variant, interval(e), part)
		}
	}
	return nil
}

// shiftText names a cause of a ceasefire's end, or "open".
func shiftText(cause string) string {
	if cause == "open" {
		return "still holding at the end of the horizon"
	}
	return CauseText(cause)
}

var baseGrey = color.Gray{120}

// CompareCharts builds the comparison's charts by file stem: overlaid fan
// charts of attacks, overlaid survival curves per scenario-declared
// ceasefire, a forest plot of the paired effects and the shift in causes.
func CompareCharts(c *compare.Comparison, obs *scenario.Observed) (charts []Chart, err error) {
	size := plots.Options{}
	add := func(name string, p *plot.Plot, e error) {
		if e != nil && err == nil {
			err = fmt.Errorf("report: %s: %w", name, e)
		}
		if e == nil {
			charts = append(charts, Chart{Name: name, Plot: p, Size: size})
		}
	}
	colors := func(k int) color.Color { return plots.Palette[k%len(plots.Palette)] }

	bands := []plots.Band{Band(c.BaseName+" (base)", c.Base, c.Base.SeriesByName("attacks"))}
	bands[0].Color = baseGrey
	for k, v := range c.Variants {
		b := Band(plots.Wrap(v.Name, 40), v.Result, v.Result.SeriesByName("attacks"))
		b.Color = colors(k)
		bands = append(bands, b)
	}
	p, e := plots.Fan(plots.Options{Title: fmt.Sprintf("Attacks per %s: base and variants (median, 80%% of runs)", c.Base.Period), YLabel: "attacks (PICSS units)"},
		bands, ObservedPoints(c.Base, obs))
	add("attacks", p, e)

	for gi, g := range c.Base.Groups {
		if !strings.HasPrefix(g.Origin, "event ") {
			continue
		}
		var curves []plots.Curve
		cur := func(name string, r *mc.Result, col color.Color) {
			for _, h := range r.Groups {
				if h.Origin == g.Origin {
					x := make([]float64, len(h.S))
					for d := range x {
						x[d] = float64(d)
					}
					curves = append(curves, plots.Curve{Name: name, X: x, Y: h.S, Color: col})
				}
			}
		}
		cur(c.BaseName+" (base)", c.Base, baseGrey)
		for k, v := range c.Variants {
			cur(plots.Wrap(v.Name, 40), v.Result, colors(k))
		}
		// Cut the days after every curve is below 1% (as the run's chart).
		last := 30
		for _, cv := range curves {
			for d, y := range cv.Y {
				if y > 0.01 {
					last = max(last, d)
				}
			}
		}
		for i, cv := range curves {
			n := min(len(cv.X), last+last/10+1)
			curves[i].X, curves[i].Y = cv.X[:n], cv.Y[:n]
		}
		p, e := plots.Survival(plots.Options{Title: "Survival of the " + shortGroup(g.Origin),
			XLabel: "days since the ceasefire began", YLabel: "share still holding"}, curves)
		add(fmt.Sprintf("survival-%d", gi+1), p, e)
	}

	// Forest plot of the effects measured in days and counts, as % of the
	// base mean (probabilities are in the table and the survival charts: a
	// relative change of a small probability reads as a huge effect). One
	// row per outcome, every ceasefire's included; one colour per variant.
	var labels []string
	row := map[string]int{}
	names := groupNames(c)
	for _, v := range c.Variants {
		for _, e := range v.Effects {
			if d, _, _ := e.Relative(); e.Unit == "probability" || math.IsNaN(d) || e.N < 2 {
				continue
			}
			if l := effectLabel(e, names); row[l] == 0 {
				labels = append(labels, l)
				row[l] = len(labels) // 1-based: 0 is "not yet seen"
			}
		}
	}
	if len(labels) > 0 {
		nan := func() []float64 {
			out := make([]float64, len(labels))
			for i := range out {
				out[i] = math.NaN()
			}
			return out
		}
		var series []plots.ForestSeries
		for k, v := range c.Variants {
			s := plots.ForestSeries{Name: v.Name, Values: nan(), Lo: nan(), Hi: nan(), Color: colors(k)}
			for _, e := range v.Effects {
				i := row[effectLabel(e, names)] - 1
				d, l, h := e.Relative()
				if i < 0 || e.Unit == "probability" || math.IsNaN(d) || e.N < 2 {
					continue
				}
				s.Values[i], s.Lo[i], s.Hi[i] = 100*d, 100*l, 100*h
			}
			series = append(series, s)
		}
		rowH := 0.35 + 0.3*float64(len(series))
		size = plots.Options{Width: 22 * vg.Centimeter, Height: vg.Length(3+rowH*float64(len(labels))) * vg.Centimeter}
		p, e := plots.ForestGroups(plots.Options{Title: "Paired effects of each variant: mean difference, 95% interval", XLabel: "difference, % of the base mean"},
			labels, series, plots.ForestStyle{Ref: 0, RefName: "no effect"})
		add("effects", p, e)
	}

	// How each ceasefire ended, base against variants: causes.png for the
	// first group (scenario-declared ones sort first), causes-2.png … for
	// the others.
	var origins []string
	seen := map[string]bool{}
	for _, v := range c.Variants {
		for _, s := range v.Shifts {
			if s.Kind == "cause" && !seen[s.Ceasefire] {
				seen[s.Ceasefire] = true
				origins = append(origins, s.Ceasefire)
			}
		}
	}
	for oi, origin := range origins {
		// Causes present under any variant, in the fixed order of compare.Causes.
		base := map[string]float64{}
		vals := make([]map[string]float64, len(c.Variants))
		for k, v := range c.Variants {
			vals[k] = map[string]float64{}
			for _, s := range v.Shifts {
				if s.Ceasefire == origin && s.Kind == "cause" {
					base[s.Value] = 100 * s.Base
					vals[k][s.Value] = 100 * s.Variant
				}
			}
		}
		var cats []string
		series := []string{c.BaseName + " (base)"}
		values := [][]float64{nil}
		cols := []color.Color{baseGrey}
		for k, v := range c.Variants {
			series, values, cols = append(series, v.Name), append(values, nil), append(cols, colors(k))
		}
		for _, cause := range compare.Causes {
			if _, ok := base[cause]; !ok {
				continue
			}
			text := CauseText(cause)
			if cause == "open" {
				text = "still holding"
			}
			cats = append(cats, text)
			values[0] = append(values[0], base[cause])
			for k := range c.Variants {
				values[k+1] = append(values[k+1], vals[k][cause])
			}
		}
		size = plots.Options{Width: 18 * vg.Centimeter, Height: vg.Length(3+0.3*float64(len(cats)*len(series))) * vg.Centimeter}
		p, e := plots.GroupedBars(plots.Options{Title: "How the " + shortGroup(origin) + " ended",
			XLabel: "% of the runs in which it occurred"}, cats, series, values, cols)
		name := "causes"
		if oi > 0 {
			name = fmt.Sprintf("causes-%d", oi+1)
		}
		add(name, p, e)
	}
	return charts, err
}

// CompareChartJobs returns the jobs rendering the comparison's charts into
// dir in each format (see RunJobs); none without formats.
func CompareChartJobs(dir *outdir.Dir, c *compare.Comparison, obs *scenario.Observed, formats []string) ([]Job, error) {
	if len(formats) == 0 {
		return nil, nil
	}
	charts, err := CompareCharts(c, obs)
	if err != nil {
		return nil, err
	}
	return ChartJobs(dir, charts, formats), nil
}
