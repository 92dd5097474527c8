package calib

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Prior distributions of a free parameter.
const (
	PriorUniform = "uniform" // uniform on [Lo, Hi] (the default)
	PriorNormal  = "normal"  // normal(Mu, SD) truncated to [Lo, Hi]
)

// normalReach is how far, in standard deviations, a normal prior reaches
// on a side where the schema sets no bound: the mass beyond is below 1e-15.
const normalReach = 8

// dist returns the prior's distribution name: PriorUniform when Free.Dist
// is empty.
func (f Free) dist() string {
	if f.Dist == "" {
		return PriorUniform
	}
	return f.Dist
}

// Density is the prior density at x, up to a constant factor shared by
// every x: zero outside [Lo, Hi].
func (f Free) Density(x float64) float64 {
	if !(x >= f.Lo && x <= f.Hi) {
		return 0
	}
	if f.dist() == PriorNormal {
		z := (x - f.Mu) / f.SD
		return math.Exp(-z * z / 2)
	}
	return 1
}

// Quantile is the prior's p-quantile (0 ≤ p ≤ 1): the value drawn from a
// uniform u = p by inverse transform, so a draw is Quantile(u).
func (f Free) Quantile(p float64) float64 {
	if f.dist() != PriorNormal {
		return f.Lo + p*(f.Hi-f.Lo)
	}
	n := distuv.Normal{Mu: f.Mu, Sigma: f.SD}
	a, b := n.CDF(f.Lo), n.CDF(f.Hi)
	x := n.Quantile(a + p*(b-a))
	return math.Min(math.Max(x, f.Lo), f.Hi)
}

// Spec writes the parameter back in the form ParseFree reads.
func (f Free) Spec() string {
	if f.dist() == PriorNormal {
		return fmt.Sprintf("%s=normal(%s,%s)", f.Key, num(f.Mu), num(f.SD))
	}
	return fmt.Sprintf("%s=%s:%s", f.Key, num(f.Lo), num(f.Hi))
}

// PriorText describes the prior in words, e.g. "uniform 0.1 to 0.9" or
// "normal(0.5, 0.1) on 0 to 1".
func (f Free) PriorText() string {
	if f.dist() == PriorNormal {
		return fmt.Sprintf("normal(%s, %s) on %s to %s", num(f.Mu), num(f.SD), num(f.Lo), num(f.Hi))
	}
	return fmt.Sprintf("uniform %s to %s", num(f.Lo), num(f.Hi))
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// parseNormal reads "normal(mu,sd)".
func parseNormal(s string) (mu, sd float64, ok bool) {
	inner, found := strings.CutPrefix(s, "normal(")
	if !found {
		return 0, 0, false
	}
	inner, found = strings.CutSuffix(inner, ")")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(inner, ",")
	if !found {
		return 0, 0, false
	}
	mu, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	sd, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || !(sd > 0) || math.IsInf(sd, 0) || math.IsInf(mu, 0) {
		return 0, 0, false
	}
	return mu, sd, true
}
