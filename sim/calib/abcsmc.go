package calib

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// LossFunc is a loss to calibrate on: a deterministic function of the
// parameter vector (in Free order), lower is better. Calibrate's loss is a
// weighted negative log-likelihood of the targets on common random
// numbers; tests use cheap synthetic ones.
type LossFunc func(theta []float64) (float64, error)

// Acceptance rules of ABCSMC.
const (
	// AcceptHard accepts a proposal when its loss is at most ε (Beaumont et
	// al. 2009): population t targets prior(θ)·1{loss(θ) ≤ εₜ}.
	AcceptHard = "hard"
	// AcceptSoft accepts it when its loss is at most ε, and otherwise with
	// probability exp(ε − loss): population t targets
	// prior(θ)·min(1, exp(εₜ − loss(θ))), which is the Bayesian posterior
	// prior(θ)·exp(−loss(θ)) once ε reaches the lowest loss. The default:
	// the hard rule shrinks to the best point as ε falls (MODEL.md §4.3).
	AcceptSoft = "soft"
)

// SMCOptions configure ABCSMC. A zero field takes its default.
type SMCOptions struct {
	Particles      int     // accepted particles per population (default 100)
	Quantile       float64 // εₜ is this weighted quantile of population t−1's losses (default 0.5, the median)
	MinAcceptance  float64 // stop once a population's acceptance rate falls below this (default 0.02)
	MinShrink      float64 // stop once ε shrinks by less than this relative change (default 0.01)
	Budget         int     // evaluations of the loss at most, over all populations (default 1000)
	MaxPopulations int     // populations at most, population 0 included (default 30)
	Acceptance     string  // AcceptSoft (default) or AcceptHard
	Seed           uint64  // every random draw comes from a PCG seeded with it
}

func (o *SMCOptions) defaults() error {
	if o.Particles <= 0 {
		o.Particles = 100
	}
	if o.Quantile <= 0 || o.Quantile >= 1 {
		o.Quantile = 0.5
	}
	if o.MinAcceptance <= 0 || o.MinAcceptance >= 1 {
		o.MinAcceptance = 0.02
	}
	if o.MinShrink <= 0 {
		o.MinShrink = 0.01
	}
	if o.Budget <= 0 {
		o.Budget = 1000
	}
	if o.MaxPopulations <= 0 {
		o.MaxPopulations = 30
	}
	switch o.Acceptance {
	case "":
		o.Acceptance = AcceptSoft
	case AcceptSoft, AcceptHard:
	default:
		return fmt.Errorf("calib: acceptance rule %q is not allowed (allowed: %s, %s)", o.Acceptance, AcceptSoft, AcceptHard)
	}
	if o.Budget < o.Particles {
		return fmt.Errorf("calib: a budget of %d evaluations cannot fill one population of %d particles", o.Budget, o.Particles)
	}
	return nil
}

// Population is one generation of ABCSMC.
type Population struct {
	T              int         // 0 for the draws from the prior
	Epsilon        float64     // tolerance (+Inf for population 0)
	Accepted       int         // particles accepted (= SMCOptions.Particles)
	Evaluations    int         // evaluations of the loss made for this population
	AcceptanceRate float64     // Accepted / Evaluations
	ESS            float64     // effective sample size (Σw)²/Σw² of the weights
	Theta          [][]float64 // the particles, in Free order
	Loss           []float64   // their losses
	Weight         []float64   // their importance weights, summing to 1
}

// SMC is the result of ABCSMC.
type SMC struct {
	Populations []Population // the complete populations; the last is the posterior
	Stop        string       // why it stopped, in words
	Evaluations int          // evaluations of the loss, all populations (a discarded one included)
	// Per evaluation, in order: its population and whether it was accepted.
	// An evaluation of a population left incomplete (budget, acceptance
	// floor) has Accepted false.
	EvalPopulation []int
	EvalAccepted   []bool
}

// Final is the last complete population: the posterior.
func (s *SMC) Final() *Population { return &s.Populations[len(s.Populations)-1] }

// Posterior returns the final population as a Posterior (copies).
func (s *SMC) Posterior(free []Free) *Posterior {
	f := s.Final()
	p := &Posterior{}
	for _, x := range free {
		p.Keys = append(p.Keys, x.Key)
	}
	for i := range f.Theta {
		p.Theta = append(p.Theta, append([]float64(nil), f.Theta[i]...))
	}
	p.Weight = append([]float64(nil), f.Weight...)
	p.Loss = append([]float64(nil), f.Loss...)
	return p
}

// ABCSMC is approximate Bayesian computation by population Monte Carlo
// (Beaumont, Cornuet, Marin & Robert 2009) on a deterministic loss.
//
// Population 0 draws from the priors of free (independent across
// parameters) until Particles finite losses are in hand. Population t ≥ 1
// sets εₜ to the weighted Quantile of population t−1's losses; draws a
// particle θⱼ by weight and perturbs it with a Gaussian kernel of twice
// population t−1's weighted covariance, drawing again (particle and
// perturbation) when the result leaves the prior's support, so that the
// proposal is Σⱼ wⱼ K(θ | θⱼ) on the support; evaluates the loss and
// accepts by the Acceptance rule; weights an accepted θ by
// prior(θ) / Σⱼ wⱼ K(θ | θⱼ), normalised. It stops when a population's
// acceptance rate falls below MinAcceptance, when ε shrinks by less than
// MinShrink (relative), when the Budget of evaluations or MaxPopulations
// is reached, or — under AcceptSoft — after the population whose ε is
// the lowest loss seen (it targets the posterior exactly). Under
// AcceptSoft, ε that stops shrinking above the lowest loss is followed by
// that last population. A population left incomplete is discarded.
//
// Given the options (seed included) and the loss, the result is
// deterministic: losses are asked for one at a time, in a fixed order.
func ABCSMC(ctx context.Context, free []Free, loss LossFunc, opt SMCOptions) (*SMC, error) {
	if len(free) == 0 {
		return nil, errors.New("calib: abc-smc: no free parameter")
	}
	for _, f := range free {
		if !(f.Lo < f.Hi) || math.IsInf(f.Lo, 0) || math.IsInf(f.Hi, 0) {
			return nil, fmt.Errorf("calib: abc-smc: %s: the prior needs finite bounds lo < hi, have %g:%g", f.Key, f.Lo, f.Hi)
		}
	}
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	d, n := len(free), opt.Particles
	rng := rand.New(rand.NewPCG(opt.Seed, 0xABC5AC))
	res := &SMC{}
	best := math.Inf(1)
	evaluate := func(t int, theta []float64) (float64, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		l, err := loss(theta)
		if err != nil {
			return 0, fmt.Errorf("calib: abc-smc: population %d, θ = %v: %w", t, theta, err)
		}
		res.Evaluations++
		res.EvalPopulation = append(res.EvalPopulation, t)
		res.EvalAccepted = append(res.EvalAccepted, false)
		if l < best {
			best = l
		}
		return l, nil
	}
	accept := func() { res.EvalAccepted[len(res.EvalAccepted)-1] = true }
	prior := func(theta []float64) float64 {
		p := 1.0
		for i, f := range free {
			p *= f.Density(theta[i])
		}
		return p
	}
	maxEvals := int(math.Ceil(float64(n) / opt.MinAcceptance))

	// Population 0: the prior.
	p0 := Population{T: 0, Epsilon: math.Inf(1)}
	for p0.Accepted < n {
		if res.Evaluations >= opt.Budget {
			res.Stop = fmt.Sprintf("budget of %d evaluations spent before population 0 was complete", opt.Budget)
			return nil, fmt.Errorf("calib: abc-smc: %s", res.Stop)
		}
		if p0.Evaluations >= maxEvals {
			return nil, fmt.Errorf("calib: abc-smc: population 0: only %d of %d draws from the prior have a finite loss", p0.Accepted, p0.Evaluations)
		}
		theta := make([]float64, d)
		for i, f := range free {
			theta[i] = f.Quantile(rng.Float64())
		}
		l, err := evaluate(0, theta)
		if err != nil {
			return nil, err
		}
		p0.Evaluations++
		if math.IsInf(l, 0) || math.IsNaN(l) {
			continue
		}
		accept()
		p0.Accepted++
		p0.Theta = append(p0.Theta, theta)
		p0.Loss = append(p0.Loss, l)
		p0.Weight = append(p0.Weight, 1) // drawn from the prior itself
	}
	finishPopulation(&p0)
	res.Populations = append(res.Populations, p0)

	final := false
	for t := 1; ; t++ {
		prev := &res.Populations[t-1]
		if t >= opt.MaxPopulations {
			res.Stop = fmt.Sprintf("reached %d populations", opt.MaxPopulations)
			break
		}
		eps := math.Min(weightedQuantile(prev.Loss, prev.Weight, opt.Quantile), prev.Epsilon)
		shrink := (prev.Epsilon - eps) / math.Abs(prev.Epsilon)
		if t > 1 && !(shrink >= opt.MinShrink) {
			if opt.Acceptance == AcceptSoft && prev.Epsilon > best {
				eps, final = best, true
			} else {
				res.Stop = fmt.Sprintf("ε stopped shrinking (%.3g%% < %.3g%%)", 100*shrink, 100*opt.MinShrink)
				break
			}
		}
		if opt.Acceptance == AcceptSoft && eps <= best {
			eps, final = best, true
		}
		kern, err := newKernel(prev, free)
		if err != nil {
			return nil, fmt.Errorf("calib: abc-smc: population %d: %w", t, err)
		}
		pop := Population{T: t, Epsilon: eps}
		cum := make([]float64, len(prev.Weight))
		floats.CumSum(cum, prev.Weight)
		incomplete := ""
		for pop.Accepted < n {
			if res.Evaluations >= opt.Budget {
				incomplete = fmt.Sprintf("budget of %d evaluations spent (population %d incomplete: %d of %d accepted, discarded)", opt.Budget, t, pop.Accepted, n)
				break
			}
			if pop.Evaluations >= maxEvals {
				incomplete = fmt.Sprintf("acceptance rate below %.3g in population %d (%d of %d accepted after %d evaluations, discarded)",
					opt.MinAcceptance, t, pop.Accepted, n, pop.Evaluations)
				break
			}
			theta, err := kern.propose(rng, cum, prior)
			if err != nil {
				return nil, fmt.Errorf("calib: abc-smc: population %d: %w", t, err)
			}
			l, err := evaluate(t, theta)
			if err != nil {
				return nil, err
			}
			pop.Evaluations++
			ok := l <= eps
			if !ok && opt.Acceptance == AcceptSoft && !math.IsInf(l, 0) && !math.IsNaN(l) {
				ok = rng.Float64() < math.Exp(eps-l)
			}
			if !ok {
				continue
			}
			accept()
			pop.Accepted++
			pop.Theta = append(pop.Theta, theta)
			pop.Loss = append(pop.Loss, l)
			pop.Weight = append(pop.Weight, prior(theta)/kern.mixture(theta))
		}
		if incomplete != "" {
			res.Stop = incomplete
			break
		}
		finishPopulation(&pop)
		res.Populations = append(res.Populations, pop)
		if final {
			res.Stop = fmt.Sprintf("ε reached the lowest loss seen (%.4g): the last population targets prior × exp(−loss)", pop.Epsilon)
			break
		}
		if pop.AcceptanceRate < opt.MinAcceptance {
			res.Stop = fmt.Sprintf("acceptance rate %.3g below %.3g", pop.AcceptanceRate, opt.MinAcceptance)
			break
		}
	}
	return res, nil
}

// finishPopulation normalises the weights and sets the acceptance rate and
// the effective sample size.
func finishPopulation(p *Population) {
	floats.Scale(1/floats.Sum(p.Weight), p.Weight)
	p.AcceptanceRate = float64(p.Accepted) / float64(p.Evaluations)
	p.ESS = ess(p.Weight)
}

// ess is the effective sample size (Σw)²/Σw².
func ess(w []float64) float64 {
	s, s2 := 0.0, 0.0
	for _, x := range w {
		s += x
		s2 += x * x
	}
	return s * s / s2
}

// kernel is the perturbation of ABC-PMC: a Gaussian of covariance Σ =
// twice the weighted covariance of the previous population, centred on
// each of its particles.
type kernel struct {
	prev  *Population
	chol  mat.Cholesky
	l     *mat.TriDense // lower Cholesky factor of Σ
	white [][]float64   // L⁻¹θⱼ for each particle of prev
	free  []Free
}

func newKernel(prev *Population, free []Free) (*kernel, error) {
	d := len(free)
	cov := weightedCov(prev.Theta, prev.Weight)
	cov.ScaleSym(2, cov)
	k := &kernel{prev: prev, free: free}
	// A population collapsed on one value in some direction has a
	// singular covariance: add a little of the prior's range until it is
	// positive definite.
	for jitter := 0.0; ; {
		s := mat.NewSymDense(d, nil)
		s.CopySym(cov)
		for i, f := range free {
			s.SetSym(i, i, s.At(i, i)+jitter*(f.Hi-f.Lo)*(f.Hi-f.Lo))
		}
		if k.chol.Factorize(s) {
			break
		}
		if jitter == 0 {
			jitter = 1e-12
		} else if jitter *= 100; jitter > 1e-2 {
			return nil, errors.New("the particles' covariance is not positive definite")
		}
	}
	k.l = mat.NewTriDense(d, mat.Lower, nil)
	k.chol.LTo(k.l)
	for _, th := range prev.Theta {
		k.white = append(k.white, k.whiten(th))
	}
	return k, nil
}

// weightedCov is the weighted covariance of the rows of x under weights
// w summing to 1, unbiased for reliability weights: Σ wᵢ (xᵢ−μ)(xᵢ−μ)ᵀ /
// (1 − Σ wᵢ²). (gonum's stat.CovarianceMatrix takes frequency weights and
// divides by Σw − 1, which is 0 here.)
func weightedCov(x [][]float64, w []float64) *mat.SymDense {
	d := len(x[0])
	mu := make([]float64, d)
	for i, row := range x {
		floats.AddScaled(mu, w[i], row)
	}
	cov := mat.NewSymDense(d, nil)
	for i, row := range x {
		for a := 0; a < d; a++ {
			for b := a; b < d; b++ {
				cov.SetSym(a, b, cov.At(a, b)+w[i]*(row[a]-mu[a])*(row[b]-mu[b]))
			}
		}
	}
	if s2 := floats.Dot(w, w); s2 < 1 {
		cov.ScaleSym(1/(1-s2), cov)
	}
	return cov
}

// propose draws a particle by weight (inverse transform on the cumulative
// weights cum) and perturbs it, again until it lands inside the prior's
// support.
func (k *kernel) propose(rng *rand.Rand, cum []float64, prior func([]float64) float64) ([]float64, error) {
	d := len(k.free)
	z := make([]float64, d)
	for try := 0; try < 100000; try++ {
		j := pick(cum, rng.Float64())
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		theta := make([]float64, d)
		for i := 0; i < d; i++ {
			s := 0.0
			for m := 0; m <= i; m++ {
				s += k.l.At(i, m) * z[m]
			}
			theta[i] = k.prev.Theta[j][i] + s
		}
		if prior(theta) > 0 {
			return theta, nil
		}
	}
	return nil, errors.New("100000 perturbed particles in a row left the prior's support")
}

// mixture is Σⱼ wⱼ K(θ | θⱼ), up to the kernel's normalising constant
// (the same for every θ): with Σ = LLᵀ, the Mahalanobis distance is
// |L⁻¹θ − L⁻¹θⱼ|, the particles transformed once in newKernel.
func (k *kernel) mixture(theta []float64) float64 {
	y := k.whiten(theta)
	s := 0.0
	for j, yj := range k.white {
		m2 := 0.0
		for i := range y {
			d := y[i] - yj[i]
			m2 += d * d
		}
		s += k.prev.Weight[j] * math.Exp(-m2/2)
	}
	return s
}

// whiten returns L⁻¹x by forward substitution.
func (k *kernel) whiten(x []float64) []float64 {
	y := make([]float64, len(x))
	for i := range x {
		s := x[i]
		for m := 0; m < i; m++ {
			s -= k.l.At(i, m) * y[m]
		}
		y[i] = s / k.l.At(i, i)
	}
	return y
}

// pick returns the first index whose cumulative weight exceeds u times the
// total: a draw by weight given a uniform u.
func pick(cum []float64, u float64) int {
	total := cum[len(cum)-1]
	i := sort.SearchFloat64s(cum, u*total)
	for i < len(cum)-1 && cum[i] <= u*total {
		i++
	}
	return min(i, len(cum)-1)
}

// weightedQuantile is the p-quantile of xs under weights w: the smallest x
// whose cumulative weight reaches p (gonum's empirical quantile).
func weightedQuantile(xs, w []float64, p float64) float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	sx, sw := make([]float64, len(xs)), make([]float64, len(xs))
	for k, i := range idx {
		sx[k], sw[k] = xs[i], w[i]
	}
	return stat.Quantile(p, stat.Empirical, sx, sw)
}
