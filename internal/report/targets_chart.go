package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/calib"
)

// beforeGrey is the colour of the targets before calibration.
var beforeGrey = color.Gray{150}

// hitText says whether a target was hit before and after calibration.
func hitText(b, a bool) string {
	w := func(h bool) string {
		if h {
			return "hit"
		}
		return "MISS"
	}
	return w(b) + " before, " + w(a) + " after"
}

// TargetCharts draws calibrate's targets before (start values, grey) and
// after (fitted values, blue) on the runs that checked them: "targets"
// holds the numeric targets as simulated median and 80% interval scaled to
// the documented value (at 1), "targets-probabilities" the probability the
// simulation gave what was documented, with the hit threshold of one half
// (the same split as check's two charts). Each row's label ends with
// whether it was hit before and after; each title says how many targets
// the chart holds and where the others are. before and after hold the
// same targets in the same order.
func TargetCharts(before, after []*calib.Evaluation) ([]Chart, error) {
	var out []Chart
	nan := math.NaN()
	// Numeric targets, scaled to the documented value.
	var labels []string
	bs := plots.ForestSeries{Name: "before (start values)", Color: beforeGrey}
	as := plots.ForestSeries{Name: "after (fitted values)", Color: plots.Palette[0], Shape: draw.BoxGlyph{}}
	var plabels []string
	pb := plots.ForestSeries{Name: "before (start values)", Color: beforeGrey}
	pa := plots.ForestSeries{Name: "after (fitted values)", Color: plots.Palette[0], Shape: draw.BoxGlyph{}}
	for i, e := range after {
		for j, a := range e.Outcomes {
			b := before[i].Outcomes[j]
			pa1, ref := targetPlace(a)
			pb1, refB := targetPlace(b)
			switch {
			case pa1 == placeRatio || pb1 == placeRatio && pa1 != placeProbability:
				labels = append(labels, checkLabel(after, e, a)+" ("+hitText(b.Hit, a.Hit)+")")
				if math.IsNaN(ref) {
					ref = refB
				}
				add := func(s *plots.ForestSeries, o calib.Outcome, place int) {
					lo, med, hi := nan, nan, nan
					if place == placeRatio {
						lo, med, hi = ratioRow(o, ref)
					}
					s.Values, s.Lo, s.Hi = append(s.Values, med), append(s.Lo, lo), append(s.Hi, hi)
				}
				add(&bs, b, pb1)
				add(&as, a, pa1)
			case pa1 == placeProbability || pb1 == placeProbability:
				plabels = append(plabels, probLabel(after, e, a)+" ("+hitText(b.Hit, a.Hit)+")")
				pb.Values, pb.Lo, pb.Hi = append(pb.Values, b.P), append(pb.Lo, 0), append(pb.Hi, b.P)
				pa.Values, pa.Lo, pa.Hi = append(pa.Values, a.P), append(pa.Lo, 0), append(pa.Hi, a.P)
			}
		}
	}
	if len(labels) > 0 {
		title := "Targets before and after calibration (documented = 1)\n" + placeNote(after, placeRatio, "targets-probabilities")
		p, err := plots.ForestGroups(plots.Options{Title: title, XLabel: "simulated / documented (capped at 4): median and 80% interval"}, labels, []plots.ForestSeries{bs, as},
			plots.ForestStyle{Ref: 1, RefName: "documented value"})
		if err != nil {
			return nil, err
		}
		out = append(out, Chart{Name: "targets", Plot: p, Size: plots.Options{Width: 26 * vg.Centimeter, Height: vg.Length(3.5+1.1*rowHeight(labels)*float64(len(labels))) * vg.Centimeter}})
	}
	if len(plabels) > 0 {
		title := "Probability the simulation gave what was documented, before and after calibration\n" + placeNote(after, placeProbability, "targets")
		p, err := plots.ForestGroups(plots.Options{Title: title, XLabel: "share of runs (hit: at least one half)"}, plabels, []plots.ForestSeries{pb, pa},
			plots.ForestStyle{Ref: 0.5, RefName: "hit threshold (1/2)"})
		if err != nil {
			return nil, err
		}
		p.X.Min, p.X.Max = 0, 1
		out = append(out, Chart{Name: "targets-probabilities", Plot: p, Size: plots.Options{Width: 26 * vg.Centimeter, Height: vg.Length(3.5+1.1*rowHeight(plabels)*float64(len(plabels))) * vg.Centimeter}})
	}
	return out, nil
}
