package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/sim/sweep"
)

// sweepOutcome describes a column of points.csv for people.
type sweepOutcome struct {
	name, label string
	share       bool // a share of runs (printed as %)
	// better is +1 when higher is better, -1 when lower is, 0 when the
	// outcome is not ranked among the best and worst points.
	better int
}

// sweepOutcomes are the outcomes the sweep summary shows, in order; those
// with a direction are ranked for the best and worst points.
var sweepOutcomes = []sweepOutcome{
	{"p_ceasefire", "runs with a ceasefire (share of runs)", true, 0},
	{"cf_days_p50", "first ceasefire's median duration (days)", false, +1},
	{"p_hold_180", fmt.Sprintf("first ceasefire still holding after %d days (share of first ceasefires)", sweep.HoldDays), true, +1},
	{"attacks_mean", "attacks per run, mean (PICSS units)", false, -1},
	{"defected_mean", "fighters defecting to the rival per run, mean", false, -1},
	{"p_faction_defection", "runs with a faction going over (share)", true, 0},
	{"p_split", "runs with a faction splitting off (share)", true, 0},
	{"p_settlement", "runs with a settlement signed (share)", true, +1},
}

// ReadPoints reads points.csv: its header and rows.
func ReadPoints(r io.Reader) (header []string, rows [][]string, err error) {
	all, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("points.csv: %w", err)
	}
	if len(all) == 0 {
		return nil, nil, fmt.Errorf("points.csv: empty")
	}
	return all[0], all[1:], nil
}

// SweepSummary prints a sweep's results from its manifest and points.csv:
// the range of each outcome across the points, and the best and worst
// points for the main outcomes with their parameter values.
func SweepSummary(w io.Writer, m sweep.Manifest, header []string, rows [][]string) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var dims []string
	for _, d := range m.Params {
		if len(d.Values) > 0 {
			dims = append(dims, fmt.Sprintf("%s ∈ {%s}", d.Key, joinNums(d.Values)))
		} else {
			levels := ""
			if m.Design == "grid" {
				levels = fmt.Sprintf(" (%d levels)", len(d.Levels()))
			}
			dims = append(dims, fmt.Sprintf("%s %s–%s%s", d.Key, tabular.Num(d.Lo), tabular.Num(d.Hi), levels))
		}
	}
	p("Parley sweep — %s\n", strings.TrimSuffix(lastElem(m.Scenario), ".toml"))
	p("%s design over %s\n", m.Design, strings.Join(dims, ", "))
	shard := ""
	if m.Shard != "" {
		shard = fmt.Sprintf(" (shard %s)", m.Shard)
	}
	p("%s%s · %d runs per point · seed %d · %s to %s · %s steps\n", plural(len(rows), "point"), shard, m.RunsPerPoint, m.Seed, m.Start, m.End, m.Step)
	if len(m.Sets) > 0 {
		p("overrides (--set): %s\n", strings.Join(m.Sets, " · "))
	}
	if len(rows) == 0 {
		p("\nno points\n")
		return nil
	}
	value := func(row []string, name string) float64 {
		i, ok := col[name]
		if !ok || i >= len(row) || row[i] == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(row[i], 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	show := func(o sweepOutcome, v float64) string {
		switch {
		case math.IsNaN(v):
			return "n/a"
		case o.share:
			return fmt.Sprintf("%.0f%%", 100*v)
		}
		return tabular.Num(math.Round(v*10) / 10)
	}
	p("\nOUTCOMES ACROSS THE POINTS (each point's value is over its %d runs): min · median · max\n", m.RunsPerPoint)
	width := 0
	for _, o := range sweepOutcomes {
		width = max(width, len([]rune(o.label)))
	}
	for _, o := range sweepOutcomes {
		if _, ok := col[o.name]; !ok {
			continue
		}
		var vs []float64
		for _, r := range rows {
			if v := value(r, o.name); !math.IsNaN(v) {
				vs = append(vs, v)
			}
		}
		line := fmt.Sprintf("  %-*s  %-20s", width, o.label, o.name)
		if len(vs) == 0 {
			line += "  n/a at every point"
		} else {
			sort.Float64s(vs)
			line += fmt.Sprintf("  %s · %s · %s", show(o, vs[0]), show(o, vs[len(vs)/2]), show(o, vs[len(vs)-1]))
			if vs[0] == vs[len(vs)-1] {
				line += "  (the same at every point)"
			}
		}
		if miss := len(rows) - len(vs); miss > 0 && len(vs) > 0 {
			line += fmt.Sprintf("  (n/a at %s: %s)", plural(miss, "point"), missingWhy(o.name))
		}
		p("%s\n", strings.TrimRight(line, " "))
	}

	p("\nBEST AND WORST POINTS\n")
	params := header[1 : len(header)-len(sweep.Outcomes)]
	where := func(r []string) string {
		var kv []string
		for i, k := range params {
			kv = append(kv, k+"="+r[1+i])
		}
		return "point " + r[0] + " (" + strings.Join(kv, ", ") + ")"
	}
	for _, o := range sweepOutcomes {
		if o.better == 0 {
			continue
		}
		if _, ok := col[o.name]; !ok {
			continue
		}
		best, worst := -1, -1
		for i, r := range rows {
			v := value(r, o.name)
			if math.IsNaN(v) {
				continue
			}
			if best < 0 || float64(o.better)*(v-value(rows[best], o.name)) > 0 {
				best = i
			}
			if worst < 0 || float64(o.better)*(v-value(rows[worst], o.name)) < 0 {
				worst = i
			}
		}
		dir := "higher"
		if o.better < 0 {
			dir = "lower"
		}
		p("  %s — %s is better\n", o.label, dir)
		if best < 0 {
			p("    n/a at every point\n")
			continue
		}
		bv, wv := value(rows[best], o.name), value(rows[worst], o.name)
		if bv == wv {
			p("    the same at every point: %s\n", show(o, bv))
			continue
		}
		ties := func(v float64) string {
			n := 0
			for _, r := range rows {
				if value(r, o.name) == v {
					n++
				}
			}
			if n > 1 {
				return fmt.Sprintf("  (%d more %s the same)", n-1, map[bool]string{true: "point has", false: "points have"}[n == 2])
			}
			return ""
		}
		p("    best  %6s  %s%s\n", show(o, bv), where(rows[best]), ties(bv))
		p("    worst %6s  %s%s\n", show(o, wv), where(rows[worst]), ties(wv))
	}
	p("\nEvery point's outcomes are in points.csv; parley analyze DIR draws heat maps and finds the boxes of parameters where an outcome is high.\n")
	return nil
}

// missingWhy says why an outcome of points.csv can be empty.
func missingWhy(name string) string {
	switch {
	case strings.HasPrefix(name, "cf_days"):
		return "no ceasefire, or longer than the horizon"
	case name == "p_hold_180":
		return fmt.Sprintf("no ceasefire followed %d days", sweep.HoldDays)
	}
	return "no value"
}

func joinNums(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = tabular.Num(x)
	}
	return strings.Join(s, ", ")
}

func lastElem(path string) string {
	if i := strings.LastIndexAny(path, `/\:`); i >= 0 {
		return path[i+1:]
	}
	return path
}
