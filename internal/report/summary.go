package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// HoldDays are the offsets (days after a ceasefire starts) at which the
// summary gives the probability that it still holds.
var HoldDays = []int{30, 90, 180, 365}

var causeText = map[string]string{
	sim.CauseViolations:   "violations beyond the state's tolerance",
	sim.CauseStateWalkout: "the state walked out (concessions and its unmet demands cost more than the talks relieve)",
	sim.CauseUnmet:        "the insurgent walked out (demands unmet)",
	sim.CauseLapse:        "term ended, not extended",
	sim.CauseMediator:     "the mediator stopped hosting",
	sim.CauseSettlement:   "became a settlement",
	sim.CauseEvent:        "a scenario event",
	sim.CauseOperation:    "a state operation",
}

// CauseText explains a cause in words.
func CauseText(c string) string {
	if t, ok := causeText[c]; ok {
		return t
	}
	return c
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "  n/a"
	}
	return fmt.Sprintf("%3.0f%%", 100*x)
}

func days(x float64, horizon int) string {
	if math.IsNaN(x) {
		return fmt.Sprintf(">%d d", horizon)
	}
	return fmt.Sprintf("%.0f d", x)
}

// GroupLabel describes a ceasefire group for people.
func GroupLabel(origin string) string {
	if strings.HasPrefix(origin, "event ") {
		return "declared " + strings.TrimPrefix(origin, "event ") + " (scenario event)"
	}
	return "declared by the rules (model's own ceasefires)"
}

// Summary prints what an analyst can quote: for each ceasefire, the chance
// it holds at given dates, its duration and who ended it; attacks per
// period against what was observed; defections, splits and settlement.
func Summary(w io.Writer, r *mc.Result, observed map[sim.Date]float64) error {
	sc := r.Scenario
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	horizon := int(sc.End - sc.Start)
	p("Parley — %s\n", sc.Name)
	if sc.Description != "" {
		p("%s\n", sc.Description)
	}
	p("%d runs · seed %d · %s to %s · %s steps\n\n", r.Runs, r.Seed, sc.Start, sc.End, sc.Step)
	if f := r.Filter; f != nil {
		FilterLine(w, f)
		p("\n")
	}

	p("CEASEFIRES\n")
	if len(r.Groups) == 0 {
		p("  none in any run\n")
	}
	for _, g := range r.Groups {
		p("  %s — in %s of runs\n", GroupLabel(g.Origin), pct(float64(g.Runs)/float64(r.Runs)))
		var holds []string
		for _, d := range HoldDays {
			if d > horizon {
				continue
			}
			label := fmt.Sprintf("+%dd", d)
			if g.Start != 0 {
				label = (g.Start + sim.Date(d)).String()
			}
			holds = append(holds, fmt.Sprintf("%s %s", label, strings.TrimSpace(pct(g.Holds(d)))))
		}
		p("    still holding:  %s\n", strings.Join(holds, " · "))
		p("    duration:       median %s (80%% interval %s – %s)\n", days(g.Median, horizon), days(g.P10, horizon), days(g.P90, horizon))
		ended := g.Count - g.Open
		if ended > 0 {
			var by []string
			for _, s := range g.EndedBy {
				by = append(by, fmt.Sprintf("%s %s", s.Label, strings.TrimSpace(pct(s.Share))))
			}
			p("    ended by:       %s\n", strings.Join(by, " · "))
			for _, s := range g.Causes {
				p("      %s  %s\n", pct(s.Share), CauseText(s.Label))
			}
			p("    fired by:       driver %s · baseline hazard %s\n", strings.TrimSpace(pct(1-g.Baseline)), strings.TrimSpace(pct(g.Baseline)))
		}
		if g.Open > 0 {
			p("    outlived the horizon: %s\n", strings.TrimSpace(pct(float64(g.Open)/float64(g.Count))))
		}
	}

	att := r.SeriesByName("attacks")
	p("\nATTACKS PER %s (all groups, PICSS units): median [80%% band]", strings.ToUpper(r.Period.String()))
	if len(observed) > 0 {
		p(" · observed")
	}
	p("\n")
	for i, d := range r.Dates {
		mark := ""
		if !r.Full[i] {
			mark = fmt.Sprintf("  (partial: %d days)", r.Days[i])
		}
		line := fmt.Sprintf("  %s  %5.0f [%4.0f – %4.0f]", periodLabel(d, r.Period), att.Q[3][i], att.Q[1][i], att.Q[5][i])
		if v, ok := observed[d]; ok && r.Period == mc.Month && r.Full[i] {
			hit := "outside"
			if v >= att.Q[1][i] && v <= att.Q[5][i] {
				hit = "inside"
			}
			line += fmt.Sprintf("  · %4.0f (%s)", v, hit)
		}
		p("%s%s\n", line, mark)
	}

	p("\nOUTCOMES OVER THE HORIZON (median [80%% band])\n")
	for _, t := range r.Totals {
		p("  %-22s %8s [%s – %s]  mean %s\n", strings.ReplaceAll(t.Name, "_", " "), tabular.Num(t.P50), tabular.Num(t.P10), tabular.Num(t.P90), tabular.Num(math.Round(t.Mean*10)/10))
	}
	p("  runs with a split:          %s\n", pct(r.PSplit))
	p("  runs with a faction going over to %s: %s\n", sc.Rival.Name, pct(r.PFactionDefection))
	p("  runs with a state strike:   %s\n", pct(r.PStrike))
	p("  runs with a large operation: %s\n", pct(r.POperation))
	p("  settlement signed:          %s   (collapsed again: %s)\n", pct(r.PSettlement), pct(r.PSettlementFailed))
	return nil
}

func periodLabel(d sim.Date, p mc.Period) string {
	if p == mc.Month {
		return d.String()[:7]
	}
	return d.String()
}

// FilterLine prints one line on how the runs were conditioned on the
// observations, then one line per warning.
func FilterLine(w io.Writer, f *mc.FilterStats) {
	what := fmt.Sprintf("%d observed months", f.Counts)
	if f.Facts > 0 {
		what += fmt.Sprintf(" and %d facts", f.Facts)
	}
	fmt.Fprintf(w, "CONDITIONED on %s up to %s (particle filter, blocks of %d runs): min ESS %.0f of %d (%.0f%%); the past is filtered, what follows %s is a forecast\n",
		what, f.Until, f.Block, f.MinESS, f.Block, 100*f.MinShare, f.Until)
	for _, x := range f.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", x)
	}
}
