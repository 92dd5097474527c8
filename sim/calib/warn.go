package calib

import (
	"fmt"
	"math"
)

// Thresholds of Warn.
const (
	MinESS          = 20  // a posterior with a smaller effective sample size is too thin
	MinAccepted     = 10  // a posterior of fewer accepted draws is too thin
	MaxWidthOfPrior = 0.9 // a 90% interval wider than this share of the prior's is uninformed
)

// Warn lists what a calibration failed to learn, in words, one warning a
// line:
//   - a fitted value equal to its start (the search did not move it);
//   - fitted values with a higher loss than the start's;
//   - an ABC-SMC posterior that is still the prior sample (population 0);
//   - a posterior of fewer than MinAccepted accepted draws or an effective
//     sample size below MinESS;
//   - a point estimate outside its own 90% interval;
//   - a posterior 90% interval wider than MaxWidthOfPrior of the prior's
//     own 90% interval (the targets do not inform the parameter).
//
// The last compares like with like: a posterior equal to a uniform prior
// has a 90% interval of about 90% of the range, so a bar at 90% of the
// range would miss half of such cases. The first two say which flag of
// parley calibrate to raise for the fit's Method.
func Warn(f *Fit) []string {
	var out []string
	for i, p := range f.Free {
		if len(f.Best) > i && len(f.Start) > i && math.Abs(f.Best[i]-f.Start[i]) <= 1e-9*(p.Hi-p.Lo) {
			out = append(out, fmt.Sprintf("%s: the fit did not move from the start (%.4g): the search made no progress (the fitted value is the start value); %s",
				p.Key, f.Start[i], remedy(f.Method, false)))
		}
	}
	if f.BestLoss > f.StartLoss && !math.IsInf(f.BestLoss, 0) {
		out = append(out, fmt.Sprintf("the fitted values do worse than the start: loss %.4g against %.4g at the start (calibration runs); %s",
			f.BestLoss, f.StartLoss, remedy(f.Method, false)))
	}
	if f.PostMedian == nil {
		return out
	}
	if n := len(f.Populations); n > 0 && math.IsInf(f.Populations[n-1].Epsilon, 1) {
		out = append(out, fmt.Sprintf("the posterior is the prior sample (population 0, no tolerance applied): the observations have not constrained the parameters; %s",
			remedy(f.Method, true)))
	}
	n, e := len(f.Accepted), float64(len(f.Accepted))
	if f.Posterior != nil {
		e = f.Posterior.ESS()
	}
	if n < MinAccepted || e < MinESS {
		out = append(out, fmt.Sprintf("only %d accepted draws, with an effective sample size of %.1f (want at least %d and %d): too few to trust, the intervals are unreliable; %s",
			n, e, MinAccepted, MinESS, remedy(f.Method, true)))
	}
	for i, p := range f.Free {
		if f.Best[i] < f.PostLo[i] || f.Best[i] > f.PostHi[i] {
			out = append(out, fmt.Sprintf("%s: the fitted value %.4g lies outside the ABC 90%% interval %.4g – %.4g: fit and posterior disagree",
				p.Key, f.Best[i], f.PostLo[i], f.PostHi[i]))
		}
	}
	for i, p := range f.Free {
		prior := p.Quantile(0.95) - p.Quantile(0.05)
		if w := f.PostHi[i] - f.PostLo[i]; prior > 0 && w > MaxWidthOfPrior*prior {
			out = append(out, fmt.Sprintf("%s: the posterior 90%% interval %.4g – %.4g is %.0f%% as wide as the prior's (%s): the targets do not inform it",
				p.Key, f.PostLo[i], f.PostHi[i], 100*w/prior, p.PriorText()))
		}
	}
	return out
}

// remedy says which flag of parley calibrate buys a method more search
// (posterior: more accepted draws).
func remedy(method string, posterior bool) string {
	switch {
	case method == PMC:
		return "raise --budget (and --particles)"
	case posterior:
		return "raise --samples (or --accept)"
	case method == ABC:
		return "raise --samples"
	}
	return "raise --evals"
}
