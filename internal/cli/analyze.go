package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/tabular"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/sensitivity"
	"github.com/parley-sim/parley/sim/sweep"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// table is points.csv read into columns.
type table struct {
	header []string
	cols   map[string][]float64
	x      [][]float64 // parameter values per point
}

func readPoints(dir string, m sweep.Manifest) (*table, error) {
	f, err := os.Open(filepath.Join(dir, "points.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("points.csv: %w", err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("points.csv has no points")
	}
	t := &table{header: recs[0], cols: map[string][]float64{}}
	for i, r := range recs[1:] {
		for j, h := range t.header {
			v := math.NaN()
			if r[j] != "" {
				if v, err = strconv.ParseFloat(r[j], 64); err != nil {
					return nil, fmt.Errorf("points.csv line %d, %s: %w", i+2, h, err)
				}
			}
			t.cols[h] = append(t.cols[h], v)
		}
		x := make([]float64, len(m.Params))
		for k, d := range m.Params {
			x[k] = t.cols[d.Key][i]
		}
		t.x = append(t.x, x)
	}
	if n := len(t.x); n != m.Points {
		return nil, fmt.Errorf("points.csv has %d points, the manifest %d (a shard? merge the shards first)", n, m.Points)
	}
	return t, nil
}

func analyzeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", "parley analyze DIR [--out DIR/analysis] [--outcomes a,b] [--bootstrap B] [--prim-outcome p_hold_180 --prim-threshold 0.7 [--prim-below] [--min-coverage C]] [--force]", stderr)
	out := fs.String("out", "", "output folder (default: DIR/analysis)")
	outcomes := fs.String("outcomes", "p_ceasefire,cf_days_p50,p_hold_180,attacks_mean,defected_mean,p_settlement", "outcomes to analyse, comma-separated (any of points.csv's outcome columns)")
	boot := fs.Int("bootstrap", 200, "bootstrap resamples for Sobol confidence intervals")
	primOut := fs.String("prim-outcome", "p_hold_180", "PRIM: outcome defining the points of interest")
	primThr := fs.Float64("prim-threshold", 0.7, "PRIM: points with outcome >= threshold are of interest")
	primBelow := fs.Bool("prim-below", false, "PRIM: points with outcome < threshold are of interest instead")
	minCov := fs.Float64("min-coverage", 0.5, "PRIM: the chosen box is the densest with at least this coverage")
	force := fs.Bool("force", false, "replace an existing output folder")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("give one sweep folder")
	}
	dir := pos[0]
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		return err
	}
	t, err := readPoints(dir, m)
	if err != nil {
		return err
	}
	var names []string
	for _, o := range strings.Split(*outcomes, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if _, ok := t.cols[o]; !ok {
			return usageError("--outcomes: %q is not a column of points.csv (outcomes: %s)", o, strings.Join(sweep.Outcomes, ", "))
		}
		names = append(names, o)
	}
	if *out == "" {
		*out = filepath.Join(dir, "analysis")
	}
	od, err := createOut(*out, *force, stderr)
	if err != nil {
		return err
	}
	defer od.Abort()
	var sum bytes.Buffer
	fmt.Fprintf(&sum, "Sweep %s: %s design, %d points × %d runs of %s\n", dir, m.Design, m.Points, m.RunsPerPoint, m.Scenario)
	keys := make([]string, len(m.Params))
	lo, hi := make([]float64, len(m.Params)), make([]float64, len(m.Params))
	for i, d := range m.Params {
		keys[i], lo[i], hi[i] = d.Key, d.Lo, d.Hi
	}
	files := []string{"summary.txt"}
	k := len(keys)
	switch m.Design {
	case "sobol":
		rows := [][]string{{"outcome", "param", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi"}}
		fmt.Fprintf(&sum, "\nSobol indices (Jansen; %d bootstrap 95%% intervals)\n", *boot)
		for _, o := range names {
			idx, err := sensitivity.Sobol(t.cols[o], k, *boot, 0.95, m.Seed)
			if err != nil {
				fmt.Fprintf(&sum, "  %s: %v\n", o, err)
				continue
			}
			fmt.Fprintf(&sum, "  %s\n", o)
			s1, s1l, s1h, st, stl, sth := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
			for i, x := range idx {
				rows = append(rows, []string{o, keys[i], tabular.Num(x.S1), tabular.Num(x.S1Lo), tabular.Num(x.S1Hi), tabular.Num(x.ST), tabular.Num(x.STLo), tabular.Num(x.STHi)})
				fmt.Fprintf(&sum, "    %-40s S1 %6.3f [%6.3f, %6.3f]   ST %6.3f [%6.3f, %6.3f]\n", keys[i], x.S1, x.S1Lo, x.S1Hi, x.ST, x.STLo, x.STHi)
				s1[i], s1l[i], s1h[i], st[i], stl[i], sth[i] = x.S1, x.S1Lo, x.S1Hi, x.ST, x.STLo, x.STHi
			}
			if slices.ContainsFunc(s1, math.IsNaN) || slices.ContainsFunc(st, math.IsNaN) {
				fmt.Fprintf(&sum, "    (no chart: the outcome does not vary)\n")
				continue
			}
			p1, err := plots.Bars(plots.Options{Title: "First-order Sobol index: " + o, XLabel: "S1 (95% bootstrap interval)"}, keys, s1, s1l, s1h)
			if err != nil {
				return err
			}
			p2, err := plots.Bars(plots.Options{Title: "Total Sobol index: " + o, XLabel: "ST (95% bootstrap interval)"}, keys, st, stl, sth)
			if err != nil {
				return err
			}
			name := "sobol_" + o + ".png"
			if err := plots.Panel(od.Path(name), plots.Options{Width: 16 * vg.Centimeter, Height: vg.Length(6+2*k) * vg.Centimeter}, 2, 1, []*plot.Plot{p1, p2}); err != nil {
				return err
			}
			files = append(files, name)
		}
		if err := writeCSV(od, "sobol.csv", rows); err != nil {
			return err
		}
		files = append(files, "sobol.csv")
	case "morris":
		rows := [][]string{{"outcome", "param", "mu", "mu_star", "sigma", "r"}}
		fmt.Fprintf(&sum, "\nMorris elementary effects (per whole range of each parameter)\n")
		for _, o := range names {
			eff, err := sensitivity.Morris(t.x, t.cols[o], lo, hi)
			if err != nil {
				return err
			}
			fmt.Fprintf(&sum, "  %s\n", o)
			ms := make([]float64, k)
			for i, e := range eff {
				rows = append(rows, []string{o, keys[i], tabular.Num(e.Mu), tabular.Num(e.MuStar), tabular.Num(e.Sigma), strconv.Itoa(e.R)})
				fmt.Fprintf(&sum, "    %-40s mu* %9.4g  mu %9.4g  sigma %9.4g  (r=%d)\n", keys[i], e.MuStar, e.Mu, e.Sigma, e.R)
				ms[i] = e.MuStar
			}
			p, err := plots.Bars(plots.Options{Title: "Morris screening: " + o, XLabel: "μ* (mean |elementary effect| per range)"}, keys, ms, nil, nil)
			if err != nil {
				return err
			}
			name := "morris_" + o + ".png"
			if err := plots.Save(p, od.Path(name), plots.Options{Height: vg.Length(4+k) * vg.Centimeter}); err != nil {
				return err
			}
			files = append(files, name)
		}
		if err := writeCSV(od, "morris.csv", rows); err != nil {
			return err
		}
		files = append(files, "morris.csv")
	case "grid":
		var varied []int
		for i, d := range m.Params {
			if len(d.Levels()) > 1 {
				varied = append(varied, i)
			}
		}
		if len(varied) == 2 && k == 2 {
			xs, ys := m.Params[varied[1]].Levels(), m.Params[varied[0]].Levels()
			var drawn, notes []string
			for _, o := range names {
				z := make([][]float64, len(ys))
				for r := range z {
					z[r] = t.cols[o][r*len(xs) : (r+1)*len(xs)]
				}
				// An outcome that never varies gets a note, not a map of
				// one colour against a made-up scale.
				if v, ok := plots.Constant(z); ok {
					if math.IsNaN(v) {
						notes = append(notes, fmt.Sprintf("%s has no value at any point: no heat map", o))
					} else {
						notes = append(notes, fmt.Sprintf("%s constant at %s across all points: no heat map", o, strconv.FormatFloat(v, 'g', 4, 64)))
					}
					continue
				}
				name := "heatmap_" + o + ".png"
				if err := plots.SaveHeatMap(od.Path(name), plots.Options{Title: o, XLabel: keys[varied[1]], YLabel: keys[varied[0]]}, xs, ys, z); err != nil {
					return err
				}
				files = append(files, name)
				drawn = append(drawn, o)
			}
			if len(drawn) > 0 {
				fmt.Fprintf(&sum, "\nHeat maps of %s over %s × %s\n", strings.Join(drawn, ", "), keys[0], keys[1])
			}
			for _, n := range notes {
				fmt.Fprintf(&sum, "  %s\n", n)
			}
		}
	}

	// PRIM scenario discovery.
	ycol, ok := t.cols[*primOut]
	if !ok {
		return usageError("--prim-outcome %q is not a column of points.csv", *primOut)
	}
	var px [][]float64
	var py []bool
	for i, v := range ycol {
		if math.IsNaN(v) {
			continue
		}
		px = append(px, t.x[i])
		py = append(py, (v >= *primThr) != *primBelow)
	}
	rel := ">="
	if *primBelow {
		rel = "<"
	}
	fmt.Fprintf(&sum, "\nPRIM: points with %s %s %g\n", *primOut, rel, *primThr)
	interest, yLo, yHi := 0, math.Inf(1), math.Inf(-1)
	for _, in := range py {
		if in {
			interest++
		}
	}
	for _, v := range ycol {
		if !math.IsNaN(v) {
			yLo, yHi = math.Min(yLo, v), math.Max(yHi, v)
		}
	}
	if len(py) > 0 {
		fmt.Fprintf(&sum, "  %d of %d points are of interest (%s ranges from %.3g to %.3g across the points)\n", interest, len(py), *primOut, yLo, yHi)
	}
	traj, err := sensitivity.Prim(px, py, sensitivity.PrimOptions{})
	if err != nil {
		fmt.Fprintf(&sum, "  %s\n", strings.TrimPrefix(err.Error(), "sensitivity: "))
		if interest == 0 || interest == len(py) {
			fmt.Fprintf(&sum, "  choose a --prim-threshold inside the range above\n")
		}
	} else {
		best := sensitivity.ChooseBox(traj, *minCov)
		rows := [][]string{{"step", "coverage", "density", "support", "points"}}
		cov, den := make([]float64, len(traj)), make([]float64, len(traj))
		for i, b := range traj {
			rows = append(rows, []string{strconv.Itoa(i), tabular.Num(b.Coverage), tabular.Num(b.Density), tabular.Num(b.Support), strconv.Itoa(b.N)})
			cov[i], den[i] = b.Coverage, b.Density
		}
		if err := writeCSV(od, "prim_trajectory.csv", rows); err != nil {
			return err
		}
		b := traj[best]
		box := [][]string{{"param", "lo", "hi", "restricted"}}
		fmt.Fprintf(&sum, "  box %d of %d: coverage %.3f (share of the points of interest inside the box), density %.3f (share of the box's %d points that are of interest; of all points: %.3f)\n",
			best, len(traj)-1, b.Coverage, b.Density, b.N, traj[0].Density)
		for i, key := range keys {
			r := b.Lo[i] > traj[0].Lo[i] || b.Hi[i] < traj[0].Hi[i]
			box = append(box, []string{key, tabular.Num(b.Lo[i]), tabular.Num(b.Hi[i]), strconv.FormatBool(r)})
			if r {
				fmt.Fprintf(&sum, "    %-40s %g to %g\n", key, b.Lo[i], b.Hi[i])
			}
		}
		if err := writeCSV(od, "prim_box.csv", box); err != nil {
			return err
		}
		p, err := plots.Trajectory(plots.Options{Title: fmt.Sprintf("PRIM peeling: %s %s %g", *primOut, rel, *primThr), XLabel: "coverage", YLabel: "density"}, cov, den, best)
		if err != nil {
			return err
		}
		if err := plots.Save(p, od.Path("prim_trajectory.png"), plots.Options{}); err != nil {
			return err
		}
		files = append(files, "prim_trajectory.csv", "prim_box.csv", "prim_trajectory.png")
	}
	if err := od.WriteFile("summary.txt", sum.Bytes()); err != nil {
		return err
	}
	if err := od.Commit(); err != nil {
		return err
	}
	stdout.Write(sum.Bytes())
	fmt.Fprintf(stdout, "\nwrote %s/ (%s)\n", od.Final(), strings.Join(files, ", "))
	return nil
}

func writeCSV(od *outdir.Dir, name string, rows [][]string) error {
	return od.WriteWith(name, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	})
}
