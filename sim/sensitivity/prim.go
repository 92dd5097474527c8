package sensitivity

import (
	"fmt"
	"math"
	"slices"
)

// Box is a PRIM box: a range per parameter, with how well it captures the
// points of interest.
type Box struct {
	Lo, Hi   []float64
	N        int     // points inside
	Coverage float64 // share of all points of interest that lie inside
	Density  float64 // share of the points inside that are of interest
	Support  float64 // share of all points that lie inside
}

// PrimOptions tune the peeling.
type PrimOptions struct {
	Alpha      float64 // share peeled per step (default 0.05)
	MinSupport float64 // stop when fewer points remain (default 0.05)
}

// Prim runs the Patient Rule Induction Method (Friedman and Fisher 1999)
// peeling: starting from the box holding every point, it repeatedly removes
// the alpha-quantile slice at the low or high end of one parameter —
// whichever leaves the highest density of points of interest — until the
// box's support falls below MinSupport or no peel raises the density. It
// returns the peeling trajectory, first box first.
func Prim(x [][]float64, y []bool, opt PrimOptions) ([]Box, error) {
	if len(x) == 0 || len(x) != len(y) {
		return nil, fmt.Errorf("sensitivity: PRIM needs as many outcomes as points (got %d and %d)", len(y), len(x))
	}
	if opt.Alpha <= 0 {
		opt.Alpha = 0.05
	}
	if opt.MinSupport <= 0 {
		opt.MinSupport = 0.05
	}
	k := len(x[0])
	total, interest := len(x), 0
	for _, v := range y {
		if v {
			interest++
		}
	}
	if interest == 0 {
		return nil, fmt.Errorf("sensitivity: no point is of interest; PRIM has nothing to find")
	}
	lo, hi := make([]float64, k), make([]float64, k)
	for j := 0; j < k; j++ {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for _, p := range x {
			lo[j], hi[j] = min(lo[j], p[j]), max(hi[j], p[j])
		}
	}
	in := make([]int, total)
	for i := range in {
		in[i] = i
	}
	box := func(idx []int) Box {
		n := 0
		for _, i := range idx {
			if y[i] {
				n++
			}
		}
		return Box{Lo: slices.Clone(lo), Hi: slices.Clone(hi), N: len(idx),
			Coverage: float64(n) / float64(interest), Density: float64(n) / float64(len(idx)),
			Support: float64(len(idx)) / float64(total)}
	}
	traj := []Box{box(in)}
	vals := make([]float64, 0, total)
	for {
		cur := traj[len(traj)-1]
		bestD, bestJ := cur.Density, -1
		var bestIdx []int
		for j := 0; j < k; j++ {
			vals = vals[:0]
			for _, i := range in {
				vals = append(vals, x[i][j])
			}
			slices.Sort(vals)
			for _, low := range []bool{true, false} {
				var cut float64
				var keep []int
				if low {
					cut = vals[int(opt.Alpha*float64(len(vals)))]
					for _, i := range in {
						if x[i][j] >= cut {
							keep = append(keep, i)
						}
					}
					if len(keep) == len(in) { // ties: peel the whole lowest value
						keep = keep[:0]
						for _, i := range in {
							if x[i][j] > cut {
								keep = append(keep, i)
							}
						}
					}
				} else {
					cut = vals[len(vals)-1-int(opt.Alpha*float64(len(vals)))]
					for _, i := range in {
						if x[i][j] <= cut {
							keep = append(keep, i)
						}
					}
					if len(keep) == len(in) {
						keep = keep[:0]
						for _, i := range in {
							if x[i][j] < cut {
								keep = append(keep, i)
							}
						}
					}
				}
				if len(keep) == 0 || float64(len(keep)) < opt.MinSupport*float64(total) {
					continue
				}
				n := 0
				for _, i := range keep {
					if y[i] {
						n++
					}
				}
				if d := float64(n) / float64(len(keep)); d > bestD+1e-12 {
					bestD, bestJ, bestIdx = d, j, keep
				}
			}
		}
		if bestJ < 0 {
			return traj, nil
		}
		in = bestIdx
		// The box's bound becomes the extreme of the remaining points.
		lo[bestJ], hi[bestJ] = math.Inf(1), math.Inf(-1)
		for _, i := range in {
			lo[bestJ], hi[bestJ] = min(lo[bestJ], x[i][bestJ]), max(hi[bestJ], x[i][bestJ])
		}
		traj = append(traj, box(in))
	}
}

// ChooseBox picks from a peeling trajectory the densest box whose coverage
// is at least minCoverage (ties: the larger coverage). It returns the index
// into traj.
func ChooseBox(traj []Box, minCoverage float64) int {
	best := 0
	for i, b := range traj {
		if b.Coverage+1e-12 < minCoverage {
			continue
		}
		if b.Density > traj[best].Density+1e-12 || (math.Abs(b.Density-traj[best].Density) <= 1e-12 && b.Coverage > traj[best].Coverage) {
			best = i
		}
	}
	return best
}
