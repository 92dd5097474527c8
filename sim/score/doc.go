// Package score verifies probabilistic forecasts: proper scoring rules,
// calibration checks and the naive baseline forecasters a model has to beat.
//
// The forecasts of interest are monthly attack counts and categorical
// outcomes (which phase holds on a date, which side ends a ceasefire). A count
// forecast is a [Counts]: a probability mass function on 0, 1, 2, … with its
// cumulative distribution, built from Monte Carlo samples ([FromSamples]), from
// a mass function ([FromPMF]) or in closed form ([Poisson], [NegBinomial]).
//
// Scores, all negatively oriented (lower is better):
//
//   - CRPS, the continuous ranked probability score, E|X − y| − ½E|X − X′|,
//     in the units of the observation. [Counts.CRPS] is exact, Σₖ (F(k) −
//     1{y ≤ k})²; [CRPSSamples] works on sorted Monte Carlo draws in O(n);
//     [CRPSNormal] is the Gaussian closed form.
//   - Pinball (quantile) loss, [Pinball] and [Counts.Pinball]; twice its
//     integral over the levels τ ∈ (0, 1) is the CRPS.
//   - Interval score of a central interval (Gneiting & Raftery 2007),
//     [IntervalScore] and [Counts.IntervalScore]: width plus 2/α times the
//     distance by which the observation falls outside.
//   - Log score, −log p(y), floored at [Floor]: [LogScore], [Counts.LogScore],
//     [Categorical.LogScore]; and the multi-category Brier score
//     [Categorical.Brier].
//
// Calibration: [Counts.PIT] gives the randomised probability integral
// transform of a count, uniform on (0, 1) when the forecast is calibrated;
// [Histogram] and [ChiSquareUniform] test a set of PIT values for uniformity.
//
// Baselines are the no-change forecasters of the ViEWS prediction challenges,
// built from the observed monthly series up to the forecast origin:
// [Persistence] (Poisson at the last observed count, ViEWS "hist"),
// [Boot] (the empirical distribution of the trailing months, ViEWS "boot")
// and [Climatology] (a negative binomial fitted to the trailing months by
// [FitNegBinomial]). In the 2020 ViEWS escalation challenge a no-change
// forecast beat every submitted model, so beating these is the real test.
//
// Skill compares mean scores: [Skill] is 1 − model/baseline, positive when
// the model is better; [BootstrapSkill] adds a percentile interval by
// resampling forecast origins.
//
// Randomness (the PIT's uniform draw, bootstrap resampling) is always passed
// in by the caller; nothing here uses a global generator.
package score
