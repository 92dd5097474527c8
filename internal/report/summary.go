package report

import (
	"fmt"
	"io"
	"math"
	"sort"
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

// GroupTitle describes a ceasefire group for people, saying when its
// ceasefires are one an extension event declared again after the ceasefire
// it meant to extend had ended.
func GroupTitle(g *mc.CeasefireGroup) string {
	if g.Event == "extend_ceasefire" {
		d := strings.TrimPrefix(g.Origin, "event ")
		if g.Parent == "" {
			return "declared " + d + " by an extension event (scenario event), no ceasefire being in force"
		}
		return "declared again " + d + " by the extension event (scenario event), the ceasefire having ended before"
	}
	return GroupLabel(g.Origin)
}

// LargestRemainder rounds the shares counts[i]/total to whole percentages
// that add up to 100 (when the counts add up to total): each share is
// rounded down, then the points left over go to the largest remainders
// (ties to the earlier entry).
func LargestRemainder(counts []int, total int) []int {
	out := make([]int, len(counts))
	if total <= 0 {
		return out
	}
	type rem struct {
		i int
		r int // remainder of 100*count mod total
	}
	rems := make([]rem, len(counts))
	left := 100
	sum := 0
	for i, c := range counts {
		out[i] = 100 * c / total
		rems[i] = rem{i, 100 * c % total}
		left -= out[i]
		sum += c
	}
	if sum != total {
		// Not a partition of total: round each share on its own.
		for i, c := range counts {
			out[i] = int(math.Round(100 * float64(c) / float64(total)))
		}
		return out
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; k < left && k < len(rems); k++ {
		out[rems[k].i]++
	}
	return out
}

// shareList formats labelled shares of total as "label 93% · label 7%",
// rounded so that they add up to 100%.
func shareList(ss []mc.Share, total int, label func(string) string) []string {
	counts := make([]int, len(ss))
	for i, s := range ss {
		counts[i] = s.Count
	}
	p := LargestRemainder(counts, total)
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%s %d%%", label(s.Label), p[i])
	}
	return out
}

// SummaryInfo is what the summary's header says of how the job was run
// beyond the scenario: overrides and parameter draws.
type SummaryInfo struct {
	Sets      []string // --set overrides, key=value, as given
	Posterior string   // calibration posterior the runs drew their parameters from, "" if none
	Particles int      // its particles
}

// Summary prints what an analyst can quote: for each ceasefire, the chance
// it holds at given dates, its duration, who ended it and the scenario's
// extensions of it; attacks per period against what was observed;
// defections, splits and settlement. Every number says its unit, and every
// share what it is a share of.
func Summary(w io.Writer, r *mc.Result, observed map[sim.Date]float64, info SummaryInfo) error {
	sc := r.Scenario
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	horizon := int(sc.End - sc.Start)
	p("Parley — %s\n", sc.Name)
	if sc.Description != "" {
		p("%s\n", sc.Description)
	}
	p("%d runs · seed %d · %s to %s · %s steps\n", r.Runs, r.Seed, sc.Start, sc.End, sc.Step)
	if len(info.Sets) > 0 {
		p("overrides (--set): %s\n", strings.Join(info.Sets, " · "))
	}
	if info.Posterior != "" {
		p("parameters drawn from the posterior %s (%d particles)\n", info.Posterior, info.Particles)
	}
	p("\n")
	if f := r.Filter; f != nil {
		FilterLine(w, f)
		p("\n")
	}

	p("CEASEFIRES, in order of declaration (\"in N%% of runs\": share of the %d runs)\n", r.Runs)
	if len(r.Groups) == 0 {
		p("  none in any run\n")
	}
	// Ceasefires an extension event declared again are shown under the
	// ceasefire it meant to extend.
	present := map[string]bool{}
	for _, g := range r.Groups {
		present[g.Origin] = true
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		if g.Parent != "" && present[g.Parent] {
			continue
		}
		summaryGroup(w, r, g, horizon, "  ")
		for j := range r.Groups {
			if c := &r.Groups[j]; c.Parent == g.Origin {
				summaryGroup(w, r, c, horizon, "    ")
			}
		}
	}

	att := r.SeriesByName("attacks")
	p("\nATTACKS PER %s (all groups, PICSS units): median [80%% band] across runs", strings.ToUpper(r.Period.String()))
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

	p("\nOUTCOMES OVER THE HORIZON, per run: median [80%% band] · mean\n")
	for _, t := range r.Totals {
		p("  %-42s %6s [%s – %s] · mean %s\n", TotalLabel(t.Name, sc), tabular.Num(t.P50), tabular.Num(t.P10), tabular.Num(t.P90), tabular.Num(math.Round(t.Mean*10)/10))
	}
	p("\nSHARE OF THE %d RUNS\n", r.Runs)
	share := func(label string, x float64) { p("  %-47s %s\n", label+":", pct(x)) }
	share("with a faction splitting from the umbrella", r.PSplit)
	share("with a faction going over to "+sc.Rival.Name, r.PFactionDefection)
	share("with a state strike", r.PStrike)
	share("with a large state operation", r.POperation)
	share("with a settlement signed", r.PSettlement)
	share("with a settlement signed that collapsed again", r.PSettlementFailed)
	return nil
}

// TotalLabel names a run-level outcome of mc.Result.Totals with its unit.
func TotalLabel(name string, sc *sim.Scenario) string {
	switch name {
	case "attacks_total":
		return "attacks, all groups (PICSS units)"
	case "defections_to_rival":
		return "fighters defecting to " + sc.Rival.Name + " (fighters)"
	case "faction_defections":
		return "factions going over to " + sc.Rival.Name + " (factions)"
	case "splits":
		return "factions splitting from the umbrella"
	case "strikes":
		return "state strikes"
	case "operations":
		return "large state operations"
	}
	return strings.ReplaceAll(name, "_", " ")
}

// plural writes n and a noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// summaryGroup prints one ceasefire group of the summary, indented.
func summaryGroup(w io.Writer, r *mc.Result, g *mc.CeasefireGroup, horizon int, in string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, in+format, args...) }
	p("%s — in %s of runs (%s)\n", GroupTitle(g), strings.TrimSpace(pct(float64(g.Runs)/float64(r.Runs))), plural(g.Runs, "run"))
	var holds []string
	for _, d := range HoldDays {
		if d > horizon {
			continue
		}
		label := fmt.Sprintf("+%d d", d)
		if g.Start != 0 {
			label += " (" + (g.Start + sim.Date(d)).String() + ")"
		}
		holds = append(holds, fmt.Sprintf("%s %s", label, strings.TrimSpace(pct(g.Holds(d)))))
	}
	p("  still holding, days after declaration: %s\n", strings.Join(holds, " · "))
	p("  duration:       median %s (80%% interval %s – %s)\n", days(g.Median, horizon), days(g.P10, horizon), days(g.P90, horizon))
	ended := g.Count - g.Open
	if ended > 0 {
		p("  ended by (of %d ended): %s\n", ended, strings.Join(shareList(g.EndedBy, ended, func(s string) string { return s }), " · "))
		counts := make([]int, len(g.Causes))
		for i, s := range g.Causes {
			counts[i] = s.Count
		}
		for i, share := range LargestRemainder(counts, ended) {
			few := ""
			if share == 0 && counts[i] > 0 {
				few = " (" + plural(counts[i], "ceasefire") + ")"
			}
			p("    %3d%%  %s%s\n", share, CauseText(g.Causes[i].Label), few)
		}
		// Events, settlements and operations end a ceasefire without a
		// hazard rule firing.
		byRule := ended
		for _, s := range g.Causes {
			if s.Label == sim.CauseEvent || s.Label == sim.CauseSettlement || s.Label == sim.CauseOperation {
				byRule -= s.Count
			}
		}
		if byRule > 0 {
			base := int(math.Round(g.Baseline * float64(ended)))
			fired := LargestRemainder([]int{byRule - base, base}, byRule)
			p("  ending rule fired by (of %d ended by a rule): its driver %d%% · its baseline hazard %d%%\n", byRule, fired[0], fired[1])
		}
	}
	if g.Open > 0 {
		p("  outlived the horizon: %s of its %d ceasefires\n", strings.TrimSpace(pct(float64(g.Open)/float64(g.Count))), g.Count)
	}
	for _, x := range g.Extensions {
		verb := "extended"
		if x.Event == "declare_ceasefire" {
			verb = "renewed"
		}
		p("  %s %s (scenario event) in %s of runs (%s)\n", verb, x.Date, strings.TrimSpace(pct(float64(x.Runs)/float64(r.Runs))), plural(x.Runs, "run"))
	}
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
		what += " and " + plural(f.Facts, "fact")
	}
	fmt.Fprintf(w, "CONDITIONED on %s up to %s (particle filter, blocks of %d runs): min ESS %.0f of %d (%.0f%%); the past is filtered, what follows %s is a forecast\n",
		what, f.Until, f.Block, f.MinESS, f.Block, 100*f.MinShare, f.Until)
	for _, x := range f.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", x)
	}
}
