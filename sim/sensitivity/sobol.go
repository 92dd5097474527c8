// Package sensitivity analyses sweep outputs: Sobol first-order and total
// indices (Saltelli design, Jansen estimators) with bootstrap confidence
// intervals, Morris elementary effects, and PRIM scenario discovery.
package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// SobolIndex is one parameter's Sobol indices with bootstrap percentile
// confidence intervals.
type SobolIndex struct {
	S1, S1Lo, S1Hi float64 // first-order index
	ST, STLo, STHi float64 // total index
}

// Sobol estimates first-order and total Sobol indices of k parameters from
// model outputs y on a Saltelli design: for each base row j, k+2 values in
// the order f(A_j), f(B_j), f(AB_1,j), ..., f(AB_k,j), where AB_i is A with
// column i from B (sweep's "sobol" design). It uses Jansen's estimators
// (Saltelli et al. 2010, table 2):
//
//	V   = variance of f(A) and f(B) pooled
//	S_i = (V − 1/(2N) Σ_j (f(B)_j − f(AB_i)_j)²) / V
//	ST_i = 1/(2N) Σ_j (f(A)_j − f(AB_i)_j)² / V
//
// Base rows with a NaN output are dropped. Confidence intervals are
// percentile intervals of level conf over boot bootstrap resamples of the
// base rows (boot 0: none, bounds NaN), seeded by seed.
func Sobol(y []float64, k, boot int, conf float64, seed uint64) ([]SobolIndex, error) {
	if k < 1 || len(y)%(k+2) != 0 {
		return nil, fmt.Errorf("sensitivity: %d outputs do not form a Saltelli design of %d parameters (want a multiple of %d)", len(y), k, k+2)
	}
	var rows [][]float64
	for j := 0; j+k+2 <= len(y); j += k + 2 {
		r := y[j : j+k+2]
		if !slices.ContainsFunc(r, math.IsNaN) {
			rows = append(rows, r)
		}
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("sensitivity: fewer than 2 complete base rows")
	}
	s1, st := jansen(rows, k)
	out := make([]SobolIndex, k)
	for i := range out {
		out[i] = SobolIndex{S1: s1[i], ST: st[i], S1Lo: math.NaN(), S1Hi: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}
	}
	if boot <= 0 {
		return out, nil
	}
	rng := rand.New(rand.NewPCG(seed, 0x50b01))
	bs1 := make([][]float64, k)
	bst := make([][]float64, k)
	res := make([][]float64, len(rows))
	for b := 0; b < boot; b++ {
		for j := range res {
			res[j] = rows[rng.IntN(len(rows))]
		}
		s1, st := jansen(res, k)
		for i := 0; i < k; i++ {
			bs1[i] = append(bs1[i], s1[i])
			bst[i] = append(bst[i], st[i])
		}
	}
	a := (1 - conf) / 2
	for i := range out {
		out[i].S1Lo, out[i].S1Hi = percentile(bs1[i], a), percentile(bs1[i], 1-a)
		out[i].STLo, out[i].STHi = percentile(bst[i], a), percentile(bst[i], 1-a)
	}
	return out, nil
}

func jansen(rows [][]float64, k int) (s1, st []float64) {
	n := float64(len(rows))
	var mean float64
	for _, r := range rows {
		mean += r[0] + r[1]
	}
	mean /= 2 * n
	var v float64
	for _, r := range rows {
		v += (r[0]-mean)*(r[0]-mean) + (r[1]-mean)*(r[1]-mean)
	}
	v /= 2*n - 1
	s1, st = make([]float64, k), make([]float64, k)
	for i := 0; i < k; i++ {
		var a, b float64
		for _, r := range rows {
			d := r[1] - r[2+i]
			a += d * d
			e := r[0] - r[2+i]
			b += e * e
		}
		if v == 0 {
			s1[i], st[i] = math.NaN(), math.NaN()
			continue
		}
		s1[i] = (v - a/(2*n)) / v
		st[i] = b / (2 * n) / v
	}
	return s1, st
}

// percentile returns the p-quantile of xs (NaNs ignored), sorting xs.
func percentile(xs []float64, p float64) float64 {
	xs = slices.DeleteFunc(xs, math.IsNaN)
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	h := p * float64(len(xs)-1)
	i := int(h)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// MorrisEffect summarises one parameter's elementary effects.
type MorrisEffect struct {
	Mu, MuStar, Sigma float64 // mean, mean of absolute values, standard deviation
	R                 int     // effects measured
}

// Morris computes elementary effects from trajectories of k+1 points each
// (sweep's "morris" design): between consecutive points exactly one
// parameter moves, and its effect is Δy / (Δx / (hi − lo)) — the output's
// change per whole range of the parameter. x holds the points' parameter
// values, lo and hi the parameters' ranges. Steps where no parameter moved
// (a listed parameter whose two levels map to one value) or an output is
// NaN are skipped.
func Morris(x [][]float64, y []float64, lo, hi []float64) ([]MorrisEffect, error) {
	k := len(lo)
	if len(x) != len(y) || len(x)%(k+1) != 0 {
		return nil, fmt.Errorf("sensitivity: %d points do not form Morris trajectories of %d parameters (want a multiple of %d)", len(x), k, k+1)
	}
	ees := make([][]float64, k)
	for t := 0; t < len(x); t += k + 1 {
		for s := 1; s <= k; s++ {
			a, b := x[t+s-1], x[t+s]
			moved := -1
			for i := range a {
				if a[i] != b[i] {
					if moved >= 0 {
						return nil, fmt.Errorf("sensitivity: point %d moves more than one parameter from point %d: not a Morris design", t+s, t+s-1)
					}
					moved = i
				}
			}
			if moved < 0 || math.IsNaN(y[t+s]) || math.IsNaN(y[t+s-1]) || hi[moved] == lo[moved] {
				continue
			}
			dx := (b[moved] - a[moved]) / (hi[moved] - lo[moved])
			ees[moved] = append(ees[moved], (y[t+s]-y[t+s-1])/dx)
		}
	}
	out := make([]MorrisEffect, k)
	for i, e := range ees {
		m := MorrisEffect{R: len(e), Mu: math.NaN(), MuStar: math.NaN(), Sigma: math.NaN()}
		if len(e) > 0 {
			m.Mu, m.MuStar = 0, 0
			for _, v := range e {
				m.Mu += v
				m.MuStar += math.Abs(v)
			}
			m.Mu /= float64(len(e))
			m.MuStar /= float64(len(e))
		}
		if len(e) > 1 {
			ss := 0.0
			for _, v := range e {
				ss += (v - m.Mu) * (v - m.Mu)
			}
			m.Sigma = math.Sqrt(ss / float64(len(e)-1))
		}
		out[i] = m
	}
	return out, nil
}
