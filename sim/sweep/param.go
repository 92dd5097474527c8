// Package sweep runs batch parameter sweeps of a scenario: it builds a
// design (grid, Latin hypercube, Saltelli/Sobol, Halton or Morris) over
// numeric scenario keys, runs every design point's Monte Carlo runs with
// streams derived from (seed, point, run), and streams one row of outcome
// summaries per point to points.csv.
//
// Sweeps are deterministic (results do not depend on workers, order or
// sharding), streaming (memory is flat in points × runs) and resumable
// (completed points are checkpointed in DIR/.partial; after a crash, Resume
// finishes the sweep with output byte-identical to an uninterrupted one).
// A sweep can be split into shards (--shard i/n, Slurm array tasks,
// Kubernetes indexed jobs) whose outputs Merge joins into exactly the bytes
// a single-machine sweep writes.
package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// Dim is one swept parameter: a numeric scenario key with either a range
// (Lo to Hi, N grid levels) or an explicit list of values.
type Dim struct {
	Key    string    `json:"key"`
	Kind   string    `json:"kind"` // "float" or "int"
	Lo     float64   `json:"lo"`
	Hi     float64   `json:"hi"`
	N      int       `json:"n,omitempty"`      // grid levels of a range (0: DefaultLevels)
	Values []float64 `json:"values,omitempty"` // explicit values (a list instead of a range)
}

// DefaultLevels is the number of grid levels of a range given without :n.
const DefaultLevels = 5

// Levels returns the grid levels of the dimension: its list, or N evenly
// spaced values from Lo to Hi (rounded for whole-number keys, duplicates
// removed).
func (d Dim) Levels() []float64 {
	if len(d.Values) > 0 {
		return d.Values
	}
	n := d.N
	if n <= 0 {
		n = DefaultLevels
	}
	out := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		x := d.Lo + (d.Hi-d.Lo)*float64(i)/float64(n-1)
		if i == n-1 {
			x = d.Hi
		}
		if d.Kind == "int" {
			x = math.Round(x)
		}
		if len(out) > 0 && out[len(out)-1] == x {
			continue
		}
		out = append(out, x)
	}
	return out
}

// At maps u in [0, 1] to a value of the dimension: linearly onto the range,
// or onto one of the listed values (equal shares of [0, 1]). Whole-number
// keys are rounded.
func (d Dim) At(u float64) float64 {
	if len(d.Values) > 0 {
		i := int(u * float64(len(d.Values)))
		return d.Values[min(max(i, 0), len(d.Values)-1)]
	}
	x := d.Lo + u*(d.Hi-d.Lo)
	if d.Kind == "int" {
		x = math.Round(x)
	}
	return x
}

// ParseParam reads one --param specification against the scenario's schema:
//
//	key=lo:hi      a range (grid designs use DefaultLevels levels)
//	key=lo:hi:n    a range with n grid levels
//	key=v1,v2,...  a list of values (a single value fixes the key)
//
// The key must be a numeric key of the scenario (e.g. mediator.pressure or
// insurgent.factions.JuA.hardline) and every value must lie in its allowed
// range. Errors name the key and what is allowed.
func ParseParam(spec string, sc *sim.Scenario) (Dim, error) {
	key, val, ok := strings.Cut(spec, "=")
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	if !ok || key == "" {
		return Dim{}, fmt.Errorf("--param %q: want key=lo:hi[:n] or key=v1,v2,... (e.g. mediator.pressure=0.2:0.9:8)", spec)
	}
	var p *sim.Param
	params := sc.Params()
	for i := range params {
		if params[i].Key == key {
			p = &params[i]
			break
		}
	}
	if p == nil {
		_, err := sc.Float(key) // for its did-you-mean
		return Dim{}, fmt.Errorf("--param %s: %s", key, strings.TrimPrefix(err.Error(), "sim: "))
	}
	if p.Kind != "float" && p.Kind != "int" {
		return Dim{}, fmt.Errorf("--param %s: the key is a %s; only float and whole-number keys can be swept", key, p.Kind)
	}
	if strings.HasPrefix(key, "events.") || key == "runs" {
		return Dim{}, fmt.Errorf("--param %s: this key cannot be swept (sweep the keys of state, insurgent, mediator, rival, attacks, rules or settlement)", key)
	}
	allowed := "any finite number"
	if p.HasRange {
		allowed = fmt.Sprintf("%g to %g", p.Min, p.Max)
		if p.Unit != "" {
			allowed += " " + p.Unit
		}
	}
	num := func(s, what string) (float64, error) {
		s = strings.TrimSpace(s)
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("--param %s: %s %q is not a number (allowed: %s)", key, what, s, allowed)
		}
		if p.HasRange && (x < p.Min || x > p.Max) {
			return 0, fmt.Errorf("--param %s: %s %v is out of range (allowed: %s)", key, what, x, allowed)
		}
		if p.Kind == "int" && x != math.Trunc(x) {
			return 0, fmt.Errorf("--param %s: %s %v is not a whole number (the key is whole-numbered; allowed: %s)", key, what, x, allowed)
		}
		return x, nil
	}
	d := Dim{Key: key, Kind: p.Kind}
	if val == "" {
		return Dim{}, fmt.Errorf("--param %s: no values; want %s=lo:hi[:n] or %s=v1,v2,... (allowed: %s)", key, key, key, allowed)
	}
	if strings.Contains(val, ":") {
		parts := strings.Split(val, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return Dim{}, fmt.Errorf("--param %s: range %q: want lo:hi or lo:hi:n", key, val)
		}
		var err error
		if d.Lo, err = num(parts[0], "lower bound"); err != nil {
			return Dim{}, err
		}
		if d.Hi, err = num(parts[1], "upper bound"); err != nil {
			return Dim{}, err
		}
		if !(d.Lo < d.Hi) {
			return Dim{}, fmt.Errorf("--param %s: range %q: the lower bound must be below the upper bound", key, val)
		}
		if len(parts) == 3 {
			n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
			if err != nil || n < 2 {
				return Dim{}, fmt.Errorf("--param %s: range %q: the number of grid levels n must be a whole number >= 2", key, val)
			}
			d.N = n
		}
		return d, nil
	}
	for _, s := range strings.Split(val, ",") {
		x, err := num(s, "value")
		if err != nil {
			return Dim{}, err
		}
		d.Values = append(d.Values, x)
	}
	d.Lo, d.Hi = d.Values[0], d.Values[0]
	for _, x := range d.Values {
		d.Lo, d.Hi = min(d.Lo, x), max(d.Hi, x)
	}
	return d, nil
}
