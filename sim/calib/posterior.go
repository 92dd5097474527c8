package calib

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/floats"
)

// Posterior is a weighted sample of parameter vectors: the final
// population of ABC-SMC, as written to posterior.csv.
type Posterior struct {
	Keys   []string    // parameter keys, the columns of Theta
	Theta  [][]float64 // one row per particle
	Weight []float64   // importance weights, summing to 1
	Loss   []float64   // each particle's loss (NaN when the file has none)
}

// PosteriorHeader is the start of posterior.csv's header; the parameter
// keys follow.
var PosteriorHeader = []string{"weight", "loss"}

// WriteCSV writes the posterior as CSV: a header weight,loss,KEY... and one
// row per particle, numbers in the shortest form that reads back exactly.
func (p *Posterior) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string(nil), PosteriorHeader...), p.Keys...)); err != nil {
		return fmt.Errorf("calib: writing the posterior: %w", err)
	}
	for i, th := range p.Theta {
		row := []string{num(p.Weight[i]), num(p.lossAt(i))}
		for _, v := range th {
			row = append(row, num(v))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("calib: writing the posterior: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("calib: writing the posterior: %w", err)
	}
	return nil
}

func (p *Posterior) lossAt(i int) float64 {
	if i < len(p.Loss) {
		return p.Loss[i]
	}
	return math.NaN()
}

// ReadPosterior reads posterior.csv (as written by Posterior.WriteCSV and
// parley calibrate): a weight column, an optional loss column, then one
// column per parameter. Weights must be non-negative with a positive sum;
// they are normalised to sum to 1.
func ReadPosterior(r io.Reader) (*Posterior, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("calib: posterior: reading the header: %w", err)
	}
	if len(head) < 2 || head[0] != "weight" {
		return nil, fmt.Errorf("calib: posterior: the header must start with weight, have %q", head)
	}
	first := 1
	hasLoss := head[1] == "loss"
	if hasLoss {
		first = 2
	}
	p := &Posterior{Keys: append([]string(nil), head[first:]...)}
	if len(p.Keys) == 0 {
		return nil, errors.New("calib: posterior: no parameter column")
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("calib: posterior: %w", err)
		}
		vals := make([]float64, len(rec))
		for i, s := range rec {
			if vals[i], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("calib: posterior: line %d, column %s: %w", line, head[i], err)
			}
		}
		if !(vals[0] >= 0) || math.IsInf(vals[0], 0) {
			return nil, fmt.Errorf("calib: posterior: line %d: weight %g must be finite and non-negative", line, vals[0])
		}
		p.Weight = append(p.Weight, vals[0])
		if hasLoss {
			p.Loss = append(p.Loss, vals[1])
		} else {
			p.Loss = append(p.Loss, math.NaN())
		}
		p.Theta = append(p.Theta, vals[first:])
	}
	if len(p.Theta) == 0 {
		return nil, errors.New("calib: posterior: no particle")
	}
	s := floats.Sum(p.Weight)
	if !(s > 0) {
		return nil, errors.New("calib: posterior: the weights sum to zero")
	}
	floats.Scale(1/s, p.Weight)
	return p, nil
}

// Draw returns a copy of the particle selected by a uniform u in [0, 1):
// the first whose cumulative weight exceeds u. Drawing with u from a
// run's own stream gives each run a parameter set in proportion to its
// weight; with u = (k + v)/m for k = 0…m−1 it is systematic resampling.
func (p *Posterior) Draw(u float64) []float64 {
	cum := make([]float64, len(p.Weight))
	floats.CumSum(cum, p.Weight)
	return append([]float64(nil), p.Theta[pick(cum, u)]...)
}

// Quantile is the weighted p-quantile of parameter i.
func (p *Posterior) Quantile(i int, q float64) float64 {
	xs := make([]float64, len(p.Theta))
	for k, th := range p.Theta {
		xs[k] = th[i]
	}
	return weightedQuantile(xs, p.Weight, q)
}

// ESS is the effective sample size (Σw)²/Σw² of the weights.
func (p *Posterior) ESS() float64 { return ess(p.Weight) }
