package sim

import (
	"fmt"
	"math"
)

// Draws give every run its own values of some parameters, drawn from a
// weighted set of parameter vectors — typically the particles of a
// calibration posterior — so that Monte Carlo bands include parameter
// uncertainty, not only the randomness of one parameter set. Draws are
// immutable once made and may be shared by any number of models of their
// scenario.
type Draws struct {
	sc     *Scenario
	keys   []string
	refs   []valueRef
	values [][]float64
	cum    []float64 // cumulative normalised weights
}

// streamDraws is the stream id of the parameter draw of a run: far above
// the per-faction streams, so adding factions never moves it.
const streamDraws = 1 << 40

// NewDraws checks parameter vectors against sc and compiles them: keys are
// scenario keys as for --set (e.g. rules.insurgent_extends.base), values
// one vector per particle with a value per key, weights their relative
// weights (nil: equal). Every vector must make a valid scenario (ranges,
// the stability of the attack process); the error names the first that
// does not.
func NewDraws(sc *Scenario, keys []string, values [][]float64, weights []float64) (*Draws, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("parameter draws: no vectors")
	}
	if weights != nil && len(weights) != len(values) {
		return nil, fmt.Errorf("parameter draws: %d weights for %d vectors", len(weights), len(values))
	}
	d := &Draws{sc: sc, keys: keys, values: values, cum: make([]float64, len(values))}
	for _, k := range keys {
		ref, err := resolveRef(sc, k)
		if err != nil {
			return nil, fmt.Errorf("parameter draws: %w", err)
		}
		d.refs = append(d.refs, ref)
	}
	total := 0.0
	for i, v := range values {
		if len(v) != len(keys) {
			return nil, fmt.Errorf("parameter draws: vector %d has %d values for %d keys", i+1, len(v), len(keys))
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("parameter draws: vector %d has weight %v (want a finite weight ≥ 0)", i+1, w)
		}
		total += w
		d.cum[i] = total
		c := *sc
		c.Insurgent.Factions = append([]FactionConfig(nil), sc.Insurgent.Factions...)
		c.Insurgent.Demands = append([]DemandConfig(nil), sc.Insurgent.Demands...)
		for j, ref := range d.refs {
			ref.set(&c, v[j])
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("parameter draws: vector %d: %w", i+1, err)
		}
	}
	if !(total > 0) {
		return nil, fmt.Errorf("parameter draws: the weights sum to %v", total)
	}
	for i := range d.cum {
		d.cum[i] /= total
	}
	return d, nil
}

// For returns the same draws made for another scenario (e.g. the scenario
// truncated at a forecast origin), checked against it.
func (d *Draws) For(sc *Scenario) (*Draws, error) {
	if sc == d.sc {
		return d, nil
	}
	var w []float64
	prev := 0.0
	for _, c := range d.cum {
		w = append(w, c-prev)
		prev = c
	}
	return NewDraws(sc, d.keys, d.values, w)
}

// Len returns the number of parameter vectors.
func (d *Draws) Len() int { return len(d.values) }

// Keys returns the keys the vectors set.
func (d *Draws) Keys() []string { return d.keys }

// pick returns the vector run r draws under the master seed: one uniform
// hashed from (seed, r) — no stream state, so a particle filter copying
// runs has nothing to carry — inverted through the cumulative weights.
func (d *Draws) pick(seed uint64, run int) int {
	a, _ := StreamSeed(seed, uint64(run), streamDraws)
	u := float64(a>>11) * 0x1p-53
	i := 0
	for i < len(d.cum)-1 && d.cum[i] <= u {
		i++
	}
	return i
}

// UseDraws makes every later run of m draw its parameter vector from d
// (nil turns draws off). d must have been made for m's scenario.
func (m *Model) UseDraws(d *Draws) error {
	if d != nil && d.sc != m.sc {
		return fmt.Errorf("parameter draws: made for another scenario")
	}
	m.draws = d
	return nil
}

// applyDraw sets this run's drawn parameters into m.p (Reset calls it after
// restoring the scenario's parameters). It does not allocate.
func (m *Model) applyDraw(seed uint64, run int) {
	i := m.draws.pick(seed, run)
	for j, ref := range m.draws.refs {
		ref.set(&m.p, m.draws.values[i][j])
	}
	m.drawn = i
}

// Drawn returns the index of the parameter vector the current run drew
// (see UseDraws), or -1 without draws.
func (m *Model) Drawn() int {
	if m.draws == nil {
		return -1
	}
	return m.drawn
}
