package calib

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// Free is a parameter to fit and its prior: uniform on [Lo, Hi] (Dist
// empty or PriorUniform), or normal(Mu, SD) truncated to [Lo, Hi]
// (PriorNormal). Lo and Hi are always finite.
type Free struct {
	Key    string
	Lo, Hi float64
	Dist   string  // PriorUniform (default when empty) or PriorNormal
	Mu, SD float64 // mean and standard deviation of a normal prior
}

// ParseFree reads a parameter to fit and its prior, checking the key and
// the bounds against sc:
//
//	key                 uniform on the schema's range
//	key=lo:hi           uniform on [lo, hi]
//	key=normal(mu,sd)   normal, truncated to the schema's range (and to
//	                    mu ± 8 sd where the schema sets no bound)
func ParseFree(sc *sim.Scenario, s string) (Free, error) {
	key, bounds, hasBounds := strings.Cut(strings.TrimSpace(s), "=")
	f := Free{Key: key}
	if _, err := sc.Float(key); err != nil {
		return f, fmt.Errorf("--free %s: %w", s, err)
	}
	p := sim.Param{Min: math.Inf(-1), Max: math.Inf(1)}
	for _, q := range sc.Params() {
		if q.Key == key && q.HasRange {
			p = q
		}
	}
	finite := func(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }
	switch {
	case hasBounds && strings.HasPrefix(bounds, "normal"):
		mu, sd, ok := parseNormal(bounds)
		if !ok {
			return f, fmt.Errorf("--free %s: a normal prior is normal(mu,sd) with sd > 0, e.g. %s=normal(0.5,0.1)", s, key)
		}
		f.Dist, f.Mu, f.SD = PriorNormal, mu, sd
		f.Lo, f.Hi = mu-normalReach*sd, mu+normalReach*sd
		if finite(p.Min) {
			f.Lo = math.Max(f.Lo, p.Min)
		}
		if finite(p.Max) {
			f.Hi = math.Min(f.Hi, p.Max)
		}
		if !(f.Lo < f.Hi) || !(f.Quantile(0.95) > f.Quantile(0.05)) {
			return f, fmt.Errorf("--free %s: the prior has no mass inside the allowed range %g to %g", s, p.Min, p.Max)
		}
		return f, nil
	case hasBounds:
		a, b, ok := strings.Cut(bounds, ":")
		lo, err1 := strconv.ParseFloat(a, 64)
		hi, err2 := strconv.ParseFloat(b, 64)
		if !ok || err1 != nil || err2 != nil || !(lo < hi) || !finite(lo) || !finite(hi) {
			return f, fmt.Errorf("--free %s: bounds must be lo:hi with lo < hi, e.g. %s=0.1:0.9, or a prior normal(mu,sd)", s, key)
		}
		f.Lo, f.Hi = lo, hi
	default:
		if !finite(p.Min) || !finite(p.Max) {
			return f, fmt.Errorf("--free %s: the key has no finite range in the schema; give bounds, e.g. %s=lo:hi", s, key)
		}
		f.Lo, f.Hi = p.Min, p.Max
	}
	if f.Lo < p.Min || f.Hi > p.Max {
		return f, fmt.Errorf("--free %s: bounds %g:%g leave the allowed range %g to %g", s, f.Lo, f.Hi, p.Min, p.Max)
	}
	return f, nil
}

// Problem is one scenario and its targets; several are fitted jointly
// (their losses add up) with the same free parameters.
type Problem struct {
	Scenario *sim.Scenario
	Targets  []Target
}

// Methods of Calibrate.
const (
	PMC        = "abc-smc"     // ABC by population Monte Carlo: a weighted posterior (the default)
	NelderMead = "nelder-mead" // point estimate by Nelder–Mead
	ABC        = "abc"         // rejection ABC over the prior box: posterior intervals
	Both       = "abc+nm"      // ABC, then Nelder–Mead from the best accepted point
)

// Options configure a calibration.
type Options struct {
	Runs    int    // runs per scenario per evaluation (default 200)
	Seed    uint64 // master seed: every evaluation uses the same streams (common random numbers)
	Workers int
	Method  string  // PMC (default), NelderMead, ABC or Both
	Evals   int     // Nelder–Mead budget of evaluations (default 120)
	Samples int     // ABC draws from the prior (default 120)
	Accept  float64 // ABC: share of draws accepted, those with the lowest loss (default 0.1)
	// SMC configures ABC-SMC (method PMC); its Seed is ignored (Seed
	// above is used).
	SMC SMCOptions

	// Cache holds evaluations already made (from a checkpoint): an
	// evaluation found there is not simulated again (nor is a point
	// evaluated twice within a calibration).
	Cache map[string]float64
	// OnEval, if set, is called after every new evaluation (to checkpoint).
	OnEval func(e Eval) error
	// Progress, if set, is called with evaluations done and the budget.
	Progress func(done, total int)
}

// Eval is one evaluation of the loss.
type Eval struct {
	N          int       // 1-based evaluation number
	Phase      string    // "start", "abc", "nelder-mead", "abc-smc" or "point"
	Population int       // ABC-SMC population (-1 outside ABC-SMC)
	Accepted   bool      // accepted into the ABC or ABC-SMC posterior
	Theta      []float64 // parameter values, in Free order
	Loss       float64
	Cached     bool // taken from Options.Cache
}

// PointMedian says how ABC-SMC's point estimate is chosen.
const PointMedian = "weighted posterior median of each parameter"

// Fit is the result of Calibrate.
type Fit struct {
	Method    string
	Free      []Free
	Start     []float64 // the scenario's values
	StartLoss float64
	Best      []float64 // the fitted values (ABC-SMC: the point estimate, see Point)
	BestLoss  float64   // the loss at Best
	Point     string    // how Best was chosen
	Trace     []Eval
	// ABC posterior (nil without ABC): the accepted draws (ABC-SMC: the
	// final population's particles), and per parameter the median and
	// 5th and 95th percentiles (weighted under ABC-SMC).
	Accepted                   [][]float64
	PostMedian, PostLo, PostHi []float64
	Tolerance                  float64 // largest accepted loss (ABC-SMC: the final ε)
	Stop                       string  // why the search stopped (Nelder–Mead; ABC-SMC)
	// ABC-SMC only: the populations and the weighted posterior.
	Populations []Population
	Posterior   *Posterior
	// Warnings say where the calibration found nothing (see Warn).
	Warnings []string
}

// Key is the cache key of a parameter vector.
func Key(theta []float64) string {
	parts := make([]string, len(theta))
	for i, v := range theta {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// Apply returns a copy of sc with the free parameters set to theta.
func Apply(sc *sim.Scenario, free []Free, theta []float64) (*sim.Scenario, error) {
	c := sc.Clone()
	for i, f := range free {
		if err := c.SetFloat(f.Key, theta[i]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Loss evaluates the joint loss of the problems at theta on common random
// numbers.
func Loss(ctx context.Context, problems []Problem, free []Free, theta []float64, opt Options) (float64, []*Evaluation, error) {
	total := 0.0
	var evs []*Evaluation
	for _, p := range problems {
		sc, err := Apply(p.Scenario, free, theta)
		if err != nil {
			return 0, nil, err
		}
		e, err := Evaluate(ctx, sc, p.Targets, mc.Options{Runs: opt.Runs, Seed: opt.Seed, SeedSet: true, Workers: opt.Workers})
		if err != nil {
			return 0, nil, err
		}
		total += e.Loss
		evs = append(evs, e)
	}
	return total, evs, nil
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Calibrate fits the free parameters jointly over the problems.
func Calibrate(ctx context.Context, problems []Problem, free []Free, opt Options) (*Fit, error) {
	if len(free) == 0 {
		return nil, errors.New("calib: no free parameter")
	}
	if len(problems) == 0 {
		return nil, errors.New("calib: no scenario")
	}
	if opt.Runs <= 0 {
		opt.Runs = 200
	}
	if opt.Method == "" {
		opt.Method = PMC
	}
	if opt.Evals <= 0 {
		opt.Evals = 120
	}
	if opt.Samples <= 0 {
		opt.Samples = 120
	}
	if opt.Accept <= 0 || opt.Accept > 1 {
		opt.Accept = 0.1
	}
	useSMC := opt.Method == PMC
	useABC := opt.Method == ABC || opt.Method == Both
	useNM := opt.Method == NelderMead || opt.Method == Both
	if !useABC && !useNM && !useSMC {
		return nil, fmt.Errorf("calib: method %q is not allowed (allowed: %s, %s, %s, %s)", opt.Method, PMC, NelderMead, ABC, Both)
	}
	smcOpt := opt.SMC
	smcOpt.Seed = opt.Seed
	if useSMC {
		if err := smcOpt.defaults(); err != nil {
			return nil, err
		}
	}
	budget := Budget(opt)

	fit := &Fit{Method: opt.Method, Free: free}
	memo := make(map[string]float64, len(opt.Cache))
	for k, v := range opt.Cache {
		memo[k] = v
	}
	done := 0
	var failed error
	eval := func(phase string, theta []float64) float64 {
		if failed != nil {
			return math.Inf(1)
		}
		k := Key(theta)
		e := Eval{N: len(fit.Trace) + 1, Phase: phase, Population: -1, Theta: append([]float64(nil), theta...)}
		if v, ok := memo[k]; ok {
			e.Loss, e.Cached = v, true
		} else {
			l, _, err := Loss(ctx, problems, free, theta, opt)
			if err != nil {
				failed = fmt.Errorf("calib: evaluating %s at %v: %w", phase, theta, err)
				return math.Inf(1)
			}
			e.Loss = l
			memo[k] = l
			if opt.OnEval != nil {
				if err := opt.OnEval(e); err != nil {
					failed = fmt.Errorf("calib: recording evaluation %d: %w", e.N, err)
					return math.Inf(1)
				}
			}
		}
		fit.Trace = append(fit.Trace, e)
		done++
		if opt.Progress != nil {
			opt.Progress(done, budget)
		}
		return e.Loss
	}

	// The starting point: the scenario's values, inside the bounds.
	start := make([]float64, len(free))
	for i, f := range free {
		v, _ := problems[0].Scenario.Float(f.Key)
		start[i] = math.Min(math.Max(v, f.Lo), f.Hi)
	}
	fit.Start = start
	fit.StartLoss = eval("start", start)
	if failed != nil {
		return nil, failed
	}
	fit.Best, fit.BestLoss = append([]float64(nil), start...), fit.StartLoss
	fit.Point = "the start (nothing fitted)"

	better := func(theta []float64, l float64) {
		if l < fit.BestLoss {
			fit.Best, fit.BestLoss = append([]float64(nil), theta...), l
		}
	}

	if useSMC {
		first := len(fit.Trace)
		res, err := ABCSMC(ctx, free, func(theta []float64) (float64, error) {
			l := eval("abc-smc", theta)
			return l, failed
		}, smcOpt)
		if failed != nil {
			return nil, failed
		}
		if err != nil {
			return nil, err
		}
		for i := range res.EvalPopulation {
			fit.Trace[first+i].Population = res.EvalPopulation[i]
			fit.Trace[first+i].Accepted = res.EvalAccepted[i]
		}
		// Only the final population's acceptances make the posterior.
		last := res.Final().T
		for i := first; i < len(fit.Trace); i++ {
			fit.Trace[i].Accepted = fit.Trace[i].Accepted && fit.Trace[i].Population == last
		}
		fit.Populations, fit.Stop, fit.Tolerance = res.Populations, res.Stop, res.Final().Epsilon
		post := res.Posterior(free)
		fit.Posterior = post
		fit.Accepted = post.Theta
		k := len(free)
		fit.PostMedian, fit.PostLo, fit.PostHi = make([]float64, k), make([]float64, k), make([]float64, k)
		for j := range free {
			fit.PostMedian[j], fit.PostLo[j], fit.PostHi[j] = post.Quantile(j, 0.5), post.Quantile(j, 0.05), post.Quantile(j, 0.95)
		}
		point := append([]float64(nil), fit.PostMedian...)
		l := eval("point", point)
		if failed != nil {
			return nil, failed
		}
		fit.Best, fit.BestLoss, fit.Point = point, l, PointMedian
	}

	if useABC {
		draws := latinHypercube(free, opt.Samples, opt.Seed)
		type scored struct {
			theta []float64
			loss  float64
			n     int
		}
		var all []scored
		for _, th := range draws {
			l := eval("abc", th)
			if failed != nil {
				return nil, failed
			}
			all = append(all, scored{th, l, len(fit.Trace) - 1})
			better(th, l)
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].loss < all[j].loss })
		nAcc := max(2, int(math.Round(opt.Accept*float64(len(all)))))
		nAcc = min(nAcc, len(all))
		fit.Tolerance = all[nAcc-1].loss
		k := len(free)
		fit.PostMedian, fit.PostLo, fit.PostHi = make([]float64, k), make([]float64, k), make([]float64, k)
		for _, s := range all[:nAcc] {
			fit.Accepted = append(fit.Accepted, s.theta)
			fit.Trace[s.n].Accepted = true
		}
		for j := 0; j < k; j++ {
			xs := make([]float64, nAcc)
			for i := range xs {
				xs[i] = fit.Accepted[i][j]
			}
			sort.Float64s(xs)
			fit.PostMedian[j], fit.PostLo[j], fit.PostHi[j] = quantile(xs, 0.5), quantile(xs, 0.05), quantile(xs, 0.95)
		}
		fit.Point = "the accepted draw with the lowest loss"
	}

	if useNM {
		// Nelder–Mead in logit coordinates, so every point is inside the
		// bounds; from the best point so far.
		x0 := make([]float64, len(free))
		for i, f := range free {
			u := (fit.Best[i] - f.Lo) / (f.Hi - f.Lo)
			u = math.Min(math.Max(u, 0.01), 0.99)
			x0[i] = math.Log(u / (1 - u))
		}
		toTheta := func(x []float64) []float64 {
			th := make([]float64, len(x))
			for i, f := range free {
				th[i] = f.Lo + (f.Hi-f.Lo)*sigmoid(x[i])
			}
			return th
		}
		n := 0
		prob := optimize.Problem{Func: func(x []float64) float64 {
			th := toTheta(x)
			if n >= opt.Evals {
				return math.Inf(1)
			}
			n++
			l := eval("nelder-mead", th)
			better(th, l)
			return l
		}}
		settings := &optimize.Settings{FuncEvaluations: opt.Evals,
			Converger: &optimize.FunctionConverge{Absolute: 1e-3, Relative: 1e-4, Iterations: 25}}
		res, err := optimize.Minimize(prob, x0, settings, &optimize.NelderMead{SimplexSize: 0.8})
		if failed != nil {
			return nil, failed
		}
		// The best point seen is kept whatever stopped the search; say why.
		switch {
		case err != nil:
			fit.Stop = err.Error()
		case res != nil:
			fit.Stop = res.Status.String()
		}
		fit.Point = "the lowest loss seen (Nelder–Mead)"
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fit.Warnings = Warn(fit)
	return fit, nil
}

// Budget is the most evaluations Calibrate makes with these options (the
// start and, under ABC-SMC, the point estimate included), for progress
// bars.
func Budget(opt Options) int {
	n := 1
	switch opt.Method {
	case "", PMC:
		b := opt.SMC.Budget
		if b <= 0 {
			b = 1000
		}
		return n + b + 1
	case ABC:
		return n + max(opt.Samples, 0)
	case NelderMead:
		return n + max(opt.Evals, 0)
	}
	return n + max(opt.Samples, 0) + max(opt.Evals, 0)
}

// latinHypercube draws n points in the box, one per stratum of every
// parameter, deterministically from the seed.
func latinHypercube(free []Free, n int, seed uint64) [][]float64 {
	var s sim.Stream
	s.Seed(seed, 0, 0xABC)
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, len(free))
	}
	perm := make([]int, n)
	for j, f := range free {
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- {
			k := int(s.Uint64() % uint64(i+1))
			perm[i], perm[k] = perm[k], perm[i]
		}
		for i := range pts {
			u := (float64(perm[i]) + s.Float64()) / float64(n)
			pts[i][j] = f.Lo + u*(f.Hi-f.Lo)
		}
	}
	return pts
}
