package score

// Categorical is a forecast over named outcomes, for example the phase in
// force on a date or the side that ends a ceasefire. P[i] is the probability
// of Labels[i]; the probabilities should sum to 1 and labels be distinct
// (only the first of repeated labels is used). Outcomes not listed have
// probability 0.
type Categorical struct {
	// Labels names the outcomes, e.g. "ceasefire", "fighting".
	Labels []string
	// P holds their probabilities, in the order of Labels; a missing entry
	// (P shorter than Labels) counts as 0.
	P []float64
}

// Prob is the forecast probability of label; 0 if it is not listed.
func (c Categorical) Prob(label string) float64 {
	for i, l := range c.Labels {
		if l == label {
			if i < len(c.P) {
				return c.P[i]
			}
			return 0
		}
	}
	return 0
}

// LogScore is −log of the probability of the observed label, floored at
// [Floor] (see [LogScore]).
func (c Categorical) LogScore(label string) float64 {
	return LogScore(c.Prob(label))
}

// Brier is the multi-category Brier score of the observed label,
// Σᵢ (P[i] − 1{Labels[i] = label})², between 0 (certain and right) and 2
// (certain and wrong). An observed label that is not listed counts as a
// category forecast with probability 0, adding 1.
func (c Categorical) Brier(label string) float64 {
	var s float64
	found := false
	for i, p := range c.P {
		if !found && i < len(c.Labels) && c.Labels[i] == label {
			found = true
			p = 1 - p
		}
		s += p * p
	}
	if !found {
		s++
	}
	return s
}
