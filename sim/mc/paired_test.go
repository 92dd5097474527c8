package mc_test

import (
	"context"
	"math"
	"testing"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// TestPairedStatMoments checks the streaming statistics against direct
// two-pass formulas.
func TestPairedStatMoments(t *testing.T) {
	base := []float64{3, 5, 8, 13, 21, 34}
	vari := []float64{4, 5, 6, 15, 25, 30}
	p := mc.PairedStat{Name: "x", HigherIsBetter: true}
	for i := range base {
		p.Add(base[i], vari[i])
	}
	p.Add(math.NaN(), 1) // skipped
	s := p.Summary()
	var d []float64
	for i := range base {
		d = append(d, vari[i]-base[i])
	}
	mean, v := 0.0, 0.0
	for _, x := range d {
		mean += x
	}
	mean /= float64(len(d))
	for _, x := range d {
		v += (x - mean) * (x - mean)
	}
	v /= float64(len(d) - 1)
	if s.N != 6 || math.Abs(s.Diff-mean) > 1e-12 || math.Abs(s.VarPaired-v) > 1e-9 {
		t.Errorf("summary %+v, want diff %v var %v", s, mean, v)
	}
	if s.Better != 3.0/6 || s.Worse != 2.0/6 || math.Abs(s.Same-1.0/6) > 1e-12 {
		t.Errorf("better/worse/same = %v/%v/%v", s.Better, s.Worse, s.Same)
	}
}

// TestRunManySharesStreams: a scenario compared with itself under common
// random numbers gives exactly zero differences in every run; a variant
// with a monotone effect (a more tolerant state) never makes the first
// ceasefire end sooner; and pairing cuts the variance of the difference far
// below that of independent runs.
func TestRunManySharesStreams(t *testing.T) {
	base := reference(t)
	variant := *base
	variant.Rules.StateEndsCeasefire.Tolerance *= 3
	same := mc.PairedStat{Name: "attacks"}
	dur := mc.PairedStat{Name: "first ceasefire days", HigherIsBetter: true}
	runs := 300
	_, err := mc.RunMany(context.Background(), []*sim.Scenario{base, base, &variant}, mc.Options{Runs: runs},
		func(rs []*mc.RunResult) error {
			same.Add(rs[0].AttacksTotal, rs[1].AttacksTotal)
			first := func(r *mc.RunResult) float64 {
				for _, c := range r.Ceasefires {
					if c.Origin == "event 2021-11-09" {
						return float64(c.Days())
					}
				}
				return math.NaN()
			}
			dur.Add(first(rs[0]), first(rs[2]))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if s := same.Summary(); s.Diff != 0 || s.VarPaired != 0 || s.Same != 1 {
		t.Errorf("self-comparison: %+v", s)
	}
	s := dur.Summary()
	if s.Worse != 0 {
		t.Errorf("a more tolerant state ended the first ceasefire sooner in %.1f%% of runs", 100*s.Worse)
	}
	if !(s.Diff >= 0) {
		t.Errorf("mean effect of tolerance on duration %v, want >= 0", s.Diff)
	}
}
