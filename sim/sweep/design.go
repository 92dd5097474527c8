package sweep

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// Designs lists the supported designs.
var Designs = []string{"grid", "lhs", "sobol", "halton", "morris"}

// MorrisLevels is the number of levels p of the Morris design; its step is
// Δ = p / (2(p−1)).
const MorrisLevels = 4

// MorrisDelta is the Morris step in unit coordinates.
const MorrisDelta = float64(MorrisLevels) / (2 * (MorrisLevels - 1))

// Design is a set of design points over some dimensions.
//
//   - grid: the full factorial of every dimension's levels (Samples unused).
//   - lhs: Samples points of a Latin hypercube.
//   - halton: Samples points of an Owen-scrambled Halton sequence.
//   - sobol: the Saltelli design for Sobol indices from a Sobol sequence of
//     2k dimensions (first point skipped): for each of Samples base rows,
//     k+2 points in the order A, B, AB_1, ..., AB_k, where AB_i is A with
//     column i taken from B. Samples·(k+2) points.
//   - morris: Samples Morris trajectories of k+1 points each, on a
//     MorrisLevels-level grid; step s of a trajectory moves one dimension
//     by +MorrisDelta (unit coordinates).
type Design struct {
	Kind    string
	Dims    []Dim
	Samples int
	Seed    uint64 // randomises lhs, halton and morris designs
}

// Validate checks the design's kind, dimensions and sample count.
func (d Design) Validate() error {
	k := len(d.Dims)
	if k == 0 {
		return fmt.Errorf("sweep: no parameters to sweep (give --param key=lo:hi)")
	}
	seen := map[string]bool{}
	for _, dm := range d.Dims {
		if seen[dm.Key] {
			return fmt.Errorf("sweep: --param %s given twice", dm.Key)
		}
		seen[dm.Key] = true
	}
	switch d.Kind {
	case "grid":
		return nil
	case "lhs", "halton", "sobol", "morris":
		if d.Samples < 1 {
			return fmt.Errorf("sweep: a %s design needs --samples N >= 1", d.Kind)
		}
	default:
		return fmt.Errorf("sweep: design %q is not allowed (allowed: %s)", d.Kind, strings.Join(Designs, ", "))
	}
	if d.Kind == "sobol" && 2*k > MaxSobolDim {
		return fmt.Errorf("sweep: a sobol design supports at most %d parameters (got %d)", MaxSobolDim/2, k)
	}
	return nil
}

// Len returns the number of design points.
func (d Design) Len() int {
	k := len(d.Dims)
	switch d.Kind {
	case "grid":
		n := 1
		for _, dm := range d.Dims {
			n *= len(dm.Levels())
		}
		return n
	case "sobol":
		return d.Samples * (k + 2)
	case "morris":
		return d.Samples * (k + 1)
	}
	return d.Samples
}

// Points returns every design point's parameter values (one row per point,
// one column per dimension). It is deterministic in the design.
func (d Design) Points() ([][]float64, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	k, n := len(d.Dims), d.Len()
	out := make([][]float64, n)
	flat := make([]float64, n*k)
	for i := range out {
		out[i] = flat[i*k : (i+1)*k : (i+1)*k]
	}
	src := rand.NewPCG(d.Seed, 0x5eedde5169)
	switch d.Kind {
	case "grid":
		levels := make([][]float64, k)
		for j, dm := range d.Dims {
			levels[j] = dm.Levels()
		}
		idx := make([]int, k)
		for i := range out {
			for j := range idx {
				out[i][j] = levels[j][idx[j]]
			}
			// The last dimension varies fastest.
			for j := k - 1; j >= 0; j-- {
				idx[j]++
				if idx[j] < len(levels[j]) {
					break
				}
				idx[j] = 0
			}
		}
		return out, nil
	case "lhs", "halton":
		m := mat.NewDense(n, k, nil) // zeroed: Halton adds into it
		q := distmv.NewUnitUniform(k, src)
		if d.Kind == "lhs" {
			samplemv.LatinHypercube{Q: q, Src: src}.Sample(m)
		} else {
			samplemv.Halton{Kind: samplemv.Owen, Q: q, Src: src}.Sample(m)
		}
		for i := range out {
			for j, dm := range d.Dims {
				out[i][j] = dm.At(m.At(i, j))
			}
		}
		return out, nil
	case "sobol":
		s, err := NewSobol(2 * k)
		if err != nil {
			return nil, err
		}
		u := make([]float64, 2*k)
		s.Next(u) // skip the origin
		for b := 0; b < d.Samples; b++ {
			s.Next(u)
			a, bb := u[:k], u[k:]
			rows := out[b*(k+2) : (b+1)*(k+2)]
			for j, dm := range d.Dims {
				rows[0][j] = dm.At(a[j])
				rows[1][j] = dm.At(bb[j])
				for i := 0; i < k; i++ {
					x := a[j]
					if i == j {
						x = bb[j]
					}
					rows[2+i][j] = dm.At(x)
				}
			}
		}
		return out, nil
	case "morris":
		rng := rand.New(src)
		x := make([]float64, k)
		for t := 0; t < d.Samples; t++ {
			for j := range x {
				// Base levels 0 .. p/2-1 of the grid {0, 1/(p-1), ..., 1}, so
				// that x + Δ stays inside [0, 1].
				x[j] = float64(rng.IntN(MorrisLevels/2)) / (MorrisLevels - 1)
			}
			perm := rng.Perm(k)
			rows := out[t*(k+1) : (t+1)*(k+1)]
			for s := 0; s <= k; s++ {
				if s > 0 {
					x[perm[s-1]] += MorrisDelta
				}
				for j, dm := range d.Dims {
					rows[s][j] = dm.At(x[j])
				}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("sweep: design %q is not allowed", d.Kind)
}
