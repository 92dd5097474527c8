package score

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// nbPMF is the negative binomial mass function written out directly,
// Γ(k+r)/(Γ(r) k!) (r/(r+m))^r (m/(r+m))^k, independent of the recurrence in
// NegBinomial.
func nbPMF(k int, m, r float64) float64 {
	lk, _ := math.Lgamma(float64(k) + r)
	lr, _ := math.Lgamma(r)
	lf, _ := math.Lgamma(float64(k) + 1)
	return math.Exp(lk - lr - lf + r*math.Log(r/(r+m)) + float64(k)*math.Log(m/(r+m)))
}

// nbDraw draws from NB(m, r) as a Poisson count with a gamma-distributed rate
// (shape r, mean m), using gonum's samplers rather than this package.
func nbDraw(m, r float64, rng *rand.Rand) int {
	lambda := distuv.Gamma{Alpha: r, Beta: r / m, Src: rng}.Rand()
	return int(distuv.Poisson{Lambda: lambda, Src: rng}.Rand())
}

// checkCDF asserts the invariants every Counts must keep: a non-negative pmf
// summing to 1 with positive mass at the top, a cdf that is its running sum,
// non-decreasing and exactly 1 at the top.
func checkCDF(t *testing.T, d Counts) {
	t.Helper()
	n := d.Len()
	if n == 0 {
		t.Fatal("empty distribution")
	}
	if d.PMF(n-1) <= 0 {
		t.Errorf("top of support %d has mass %v", n-1, d.PMF(n-1))
	}
	if d.CDF(n-1) != 1 || d.CDF(n) != 1 || d.CDF(-1) != 0 {
		t.Errorf("CDF(-1), CDF(top), CDF(top+1) = %v, %v, %v; want 0, 1, 1", d.CDF(-1), d.CDF(n-1), d.CDF(n))
	}
	var acc float64
	for k := range n {
		if d.PMF(k) < 0 {
			t.Fatalf("PMF(%d) = %v", k, d.PMF(k))
		}
		acc += d.PMF(k)
		if math.Abs(d.CDF(k)-acc) > 1e-12 {
			t.Fatalf("CDF(%d) = %v, running sum %v", k, d.CDF(k), acc)
		}
		if k > 0 && d.CDF(k) < d.CDF(k-1) {
			t.Fatalf("CDF decreases at %d", k)
		}
	}
	if math.Abs(acc-1) > 1e-12 {
		t.Errorf("mass sums to %v", acc)
	}
}

func TestPoissonMatchesGonum(t *testing.T) {
	for _, lambda := range []float64{0.05, 1, 3.7, 20, 150, 2000} {
		d := Poisson(lambda)
		checkCDF(t, d)
		ref := distuv.Poisson{Lambda: lambda}
		for k := range d.Len() {
			// Relative agreement, also deep in the tails (the recurrence
			// accumulates a rounding error per step, ~1e-16·k).
			if got, want := d.PMF(k), ref.Prob(float64(k)); math.Abs(got-want) > 1e-9*want+1e-300 {
				t.Fatalf("λ=%v: PMF(%d) = %v, gonum %v", lambda, k, got, want)
			}
		}
		// The cut is where the tail drops below 1e-12.
		if tail := ref.Survival(float64(d.Len() - 1)); tail >= 1e-12 {
			t.Errorf("λ=%v: cut at %d leaves a tail of %v", lambda, d.Len()-1, tail)
		}
		if got := d.Mean(); math.Abs(got-lambda) > 1e-9*math.Max(1, lambda) {
			t.Errorf("λ=%v: Mean = %v", lambda, got)
		}
	}
}

func TestNegBinomial(t *testing.T) {
	for _, c := range []struct{ m, r float64 }{
		{20, 3}, {5, 0.5}, {0.3, 0.1}, {40, 100}, {2, 1}, {100, 1e12},
	} {
		d := NegBinomial(c.m, c.r)
		checkCDF(t, d)
		var mean, sq float64
		for k := range d.Len() {
			p := d.PMF(k)
			if c.r < 1e6 { // the Lgamma reference loses precision for huge r
				if want := nbPMF(k, c.m, c.r); math.Abs(p-want) > 1e-10*math.Max(want, 1e-3) {
					t.Fatalf("NB(%v, %v): PMF(%d) = %v, formula %v", c.m, c.r, k, p, want)
				}
			}
			mean += float64(k) * p
			sq += float64(k) * float64(k) * p
		}
		if c.r < 1e6 {
			// The cut is where the tail drops below 1e-12 (summed far out).
			var tail float64
			for k := d.Len(); k < d.Len()+100_000; k++ {
				tail += nbPMF(k, c.m, c.r)
			}
			if tail >= 1e-12 {
				t.Errorf("NB(%v, %v): cut at %d leaves a tail of %v", c.m, c.r, d.Len()-1, tail)
			}
		}
		variance := sq - mean*mean
		wantVar := c.m + c.m*c.m/c.r
		if math.Abs(mean-c.m) > 1e-8*c.m || math.Abs(variance-wantVar) > 1e-6*wantVar {
			t.Errorf("NB(%v, %v): mean %v variance %v, want %v and %v", c.m, c.r, mean, variance, c.m, wantVar)
		}
	}
}

// TestNegBinomialExtremeDispersionStopsAtMaxCount: with size 1e-4 the tail
// decays like (1 − 1e-6)^k, so the 1e-12 cut would lie beyond MaxCount; the
// support stops there instead, still a proper distribution.
func TestNegBinomialExtremeDispersionStopsAtMaxCount(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2-million-point distribution")
	}
	d := NegBinomial(100, 1e-4)
	if d.Len() != MaxCount+1 {
		t.Errorf("Len = %d, want MaxCount+1 = %d", d.Len(), MaxCount+1)
	}
	checkCDF(t, d)
	// Renormalising the cut distribution keeps the shape: ratios of masses
	// are the formula's. Near MaxCount the formula's Lgamma values are ~3e7,
	// so it is itself only good to ~1e-8 relative; hence 1e-7.
	for _, k := range []int{1, 5, 1000, MaxCount} {
		got, want := d.PMF(k)/d.PMF(0), nbPMF(k, 100, 1e-4)/nbPMF(0, 100, 1e-4)
		if math.Abs(got-want) > 1e-7*want {
			t.Errorf("PMF(%d)/PMF(0) = %v, formula %v", k, got, want)
		}
	}
}

func TestNegBinomialWithoutOverdispersionIsPoisson(t *testing.T) {
	p := Poisson(6.5)
	for _, size := range []float64{math.Inf(1), 0, -2, math.NaN()} {
		d := NegBinomial(6.5, size)
		if !slices.Equal(d.pmf, p.pmf) || !slices.Equal(d.cdf, p.cdf) {
			t.Errorf("size %v: not the Poisson distribution", size)
		}
	}
}

func TestPointMassForNonPositiveMean(t *testing.T) {
	for _, d := range []Counts{Poisson(0), Poisson(-3), NegBinomial(0, 2), NegBinomial(-1, 0.5)} {
		if d.Len() != 1 || d.PMF(0) != 1 {
			t.Errorf("got pmf %v, want a point mass at 0", d.pmf)
		}
	}
}

func TestConstructorsPanicOnBadInput(t *testing.T) {
	for name, f := range map[string]func(){
		"Poisson NaN":        func() { Poisson(math.NaN()) },
		"Poisson Inf":        func() { Poisson(math.Inf(1)) },
		"NegBinomial huge":   func() { NegBinomial(MaxCount+1, 2) },
		"FromPMF negative":   func() { FromPMF([]float64{0.5, -0.1}) },
		"FromPMF NaN":        func() { FromPMF([]float64{math.NaN()}) },
		"FromSamples beyond": func() { FromSamples([]float64{1, 1e9}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestFromSamples(t *testing.T) {
	for _, c := range []struct {
		name string
		xs   []float64
		want []float64 // pmf
	}{
		{"integers", []float64{0, 2, 2, 3}, []float64{0.25, 0, 0.5, 0.25}},
		{"rounding", []float64{1.4, 1.6, 2.5, 0.49}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"negatives clamp", []float64{-3, -0.2, 1}, []float64{2.0 / 3, 1.0 / 3}},
		{"NaN and Inf ignored", []float64{math.NaN(), 1, math.Inf(1), 1, math.Inf(-1)}, []float64{0, 1}},
		{"nothing finite", []float64{math.NaN()}, nil},
		{"no samples", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := FromSamples(c.xs)
			if d.Len() != len(c.want) {
				t.Fatalf("Len = %d, want %d", d.Len(), len(c.want))
			}
			for k, w := range c.want {
				if math.Abs(d.PMF(k)-w) > 1e-15 {
					t.Errorf("PMF(%d) = %v, want %v", k, d.PMF(k), w)
				}
			}
			if d.Len() > 0 {
				checkCDF(t, d)
			}
		})
	}
}

func TestFromPMF(t *testing.T) {
	in := []float64{1, 0, 3, 0, 0}
	d := FromPMF(in)
	checkCDF(t, d)
	if d.Len() != 3 || d.PMF(0) != 0.25 || d.PMF(2) != 0.75 {
		t.Errorf("got %v, want [0.25 0 0.75] (normalised, trailing zeros trimmed)", d.pmf)
	}
	in[0] = 100
	if d.PMF(0) != 0.25 {
		t.Error("FromPMF aliases its argument")
	}
	if e := FromPMF([]float64{0, 0}); e.Len() != 0 {
		t.Errorf("all-zero weights: Len = %d, want 0", e.Len())
	}
}

func TestEmptyDistribution(t *testing.T) {
	var d Counts
	if d.Len() != 0 || d.PMF(0) != 0 || d.CDF(3) != 0 || d.Quantile(0.5) != -1 || d.Covered(0, 0.9) {
		t.Error("empty distribution: wrong Len, PMF, CDF, Quantile or Covered")
	}
	for name, v := range map[string]float64{
		"Mean": d.Mean(), "CRPS": d.CRPS(1), "Pinball": d.Pinball(1, 0.5),
		"IntervalScore": d.IntervalScore(1, 0.9), "PIT": d.PIT(1, 0.5), "LogScore": d.LogScore(1),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %v, want NaN", name, v)
		}
	}
}

// TestCRPSPoissonDoubleSum checks the exact CRPS against its other form,
// E|X − y| − ½E|X − X′|, by direct single and double sums over gonum's
// Poisson pmf carried far past the 1e-12 cut.
func TestCRPSPoissonDoubleSum(t *testing.T) {
	for _, lambda := range []float64{0.2, 1, 4.5, 12, 30} {
		ref := distuv.Poisson{Lambda: lambda}
		top := int(lambda + 20*math.Sqrt(lambda) + 30)
		p := make([]float64, top+1)
		for k := range p {
			p[k] = ref.Prob(float64(k))
		}
		var halfSpread float64
		for i := range p {
			for j := range p {
				halfSpread += p[i] * p[j] * math.Abs(float64(i-j))
			}
		}
		halfSpread /= 2
		d := Poisson(lambda)
		for _, y := range []int{0, 1, 3, int(lambda), int(2*lambda) + 5, 90, -2} {
			var abs float64
			for k := range p {
				abs += p[k] * math.Abs(float64(k-y))
			}
			want := abs - halfSpread
			if got := d.CRPS(y); math.Abs(got-want) > 1e-9 {
				t.Errorf("λ=%v y=%d: CRPS %v, double sum %v", lambda, y, got, want)
			}
		}
	}
}

// TestCRPSPointMass: for a point forecast the CRPS is the absolute error,
// on either side of the support.
func TestCRPSPointMass(t *testing.T) {
	d := FromSamples([]float64{4})
	for _, y := range []int{-3, 0, 4, 5, 11} {
		if got, want := d.CRPS(y), math.Abs(float64(y-4)); got != want {
			t.Errorf("CRPS(%d) = %v, want %v", y, got, want)
		}
	}
}

// TestCRPSSamplesMatchesCounts: on integer samples the O(n) sample formula and
// the exact sum over the empirical distribution are the same number.
func TestCRPSSamplesMatchesCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		n    int
		mean float64
	}{{1, 3}, {2, 3}, {50, 0.7}, {1000, 8}, {999, 40}} {
		xs := make([]float64, c.n)
		for i := range xs {
			xs[i] = float64(nbDraw(c.mean, 2, rng))
		}
		slices.Sort(xs)
		d := FromSamples(xs)
		for _, y := range []int{-1, 0, 1, 5, 17, 200} {
			if got, want := CRPSSamples(xs, float64(y)), d.CRPS(y); math.Abs(got-want) > 1e-9 {
				t.Errorf("n=%d y=%d: CRPSSamples %v, Counts.CRPS %v", c.n, y, got, want)
			}
		}
	}
	if !math.IsNaN(CRPSSamples(nil, 1)) {
		t.Error("CRPSSamples of no samples is not NaN")
	}
}

// TestPinballIntegratesToCRPS: CRPS = 2∫₀¹ pinball_τ dτ, so twice the mean
// over τ = 1/1000 … 999/1000 approximates it. The integrand is linear in τ
// between jumps of the quantile function, so the rule errs only in the cells
// with a jump and in the two end cells; each error is at most h = 1/1000
// times 2(|Q − y| + 1) at worst, summing to below h·4·(span + |y − median| +
// 2), span the range of quantiles visited.
func TestPinballIntegratesToCRPS(t *testing.T) {
	for _, d := range []Counts{Poisson(0.4), Poisson(6), NegBinomial(20, 3), FromPMF([]float64{1, 0, 0, 2, 1})} {
		for _, y := range []int{0, 2, 7, 25, 60} {
			const m = 999
			var s float64
			for j := 1; j <= m; j++ {
				s += d.Pinball(y, float64(j)/(m+1))
			}
			approx := 2 * s / m
			span := float64(d.Quantile(0.999) - d.Quantile(0.001))
			tol := 4 * (span + math.Abs(float64(y-d.Quantile(0.5))) + 2) / (m + 1)
			if got := d.CRPS(y); math.Abs(approx-got) > tol {
				t.Errorf("mean %.1f y=%d: 2·mean pinball %v, CRPS %v (tol %v)", d.Mean(), y, approx, got, tol)
			}
		}
	}
}

func TestQuantileIntervalCovered(t *testing.T) {
	point := FromSamples([]float64{5, 5})
	d := FromPMF([]float64{0, 0.2, 0.3, 0.5}) // CDF 0, .2, .5, 1
	for _, c := range []struct {
		name string
		d    Counts
		p    float64
		want int
	}{
		{"point p=0", point, 0, 5},
		{"point p=0.5", point, 0.5, 5},
		{"point p=1", point, 1, 5},
		{"p=0 is the lowest point with mass", d, 0, 1},
		{"p<0 likewise", d, -1, 1},
		{"tiny p", d, 1e-9, 1},
		{"at a step", d, 0.2, 1},
		{"just above a step", d, 0.2000001, 2},
		{"median on a step", d, 0.5, 2},
		{"p=1", d, 1, 3},
		{"p>1 clamps", d, 2, 3},
		{"NaN", d, math.NaN(), -1},
	} {
		if got := c.d.Quantile(c.p); got != c.want {
			t.Errorf("%s: Quantile(%v) = %d, want %d", c.name, c.p, got, c.want)
		}
	}

	for _, c := range []struct {
		name   string
		d      Counts
		level  float64
		lo, hi int
	}{
		{"point mass", point, 0.9, 5, 5},
		{"level 1 spans the support", d, 1, 1, 3},
		{"level 0 is the median", d, 0, 2, 2},
		{"level 0.5", d, 0.5, 2, 3}, // Quantile(0.25) = 2, Quantile(0.75) = 3
		{"level 0.6", d, 0.6, 1, 3}, // Quantile(0.2) = 1 on the step
		{"level above 1 clamps", d, 1.5, 1, 3},
	} {
		lo, hi := c.d.Interval(c.level)
		if lo != c.lo || hi != c.hi {
			t.Errorf("%s: Interval(%v) = [%d, %d], want [%d, %d]", c.name, c.level, lo, hi, c.lo, c.hi)
		}
		for y := -1; y <= 7; y++ {
			if got, want := c.d.Covered(y, c.level), c.lo <= y && y <= c.hi; got != want {
				t.Errorf("%s: Covered(%d, %v) = %v", c.name, y, c.level, got)
			}
		}
	}

	// A 90% interval of a Poisson forecast has at least 90% probability and
	// would drop below it without either end.
	p := Poisson(12)
	lo, hi := p.Interval(0.9)
	if in := p.CDF(hi) - p.CDF(lo-1); in < 0.9 {
		t.Errorf("Poisson(12) 90%% interval [%d, %d] holds %v", lo, hi, in)
	}
	if p.CDF(lo) < 0.05 || p.CDF(lo-1) >= 0.05 || p.CDF(hi) < 0.95 || p.CDF(hi-1) >= 0.95 {
		t.Errorf("Poisson(12) 90%% interval [%d, %d] is not the central one", lo, hi)
	}
}

func TestCountsIntervalScore(t *testing.T) {
	d := FromPMF([]float64{0, 0.2, 0.3, 0.5}) // 50% interval [2, 3]
	for _, c := range []struct {
		y    int
		want float64
	}{
		{2, 1},            // inside: the width
		{3, 1},            // on the edge
		{1, 1 + 2/0.5*1},  // one below
		{6, 1 + 2/0.5*3},  // three above
		{-2, 1 + 2/0.5*4}, // below the support
	} {
		if got := d.IntervalScore(c.y, 0.5); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("IntervalScore(%d, 0.5) = %v, want %v", c.y, got, c.want)
		}
	}
	if got := d.IntervalScore(7, 1); !math.IsInf(got, 1) {
		t.Errorf("miss of a 100%% interval scores %v, want +Inf", got)
	}
	if got := d.IntervalScore(2, 1); got != 2 {
		t.Errorf("hit of the 100%% interval scores %v, want its width 2", got)
	}
}

func TestCountsLogScoreAndPIT(t *testing.T) {
	d := FromPMF([]float64{0.25, 0, 0.75})
	for _, c := range []struct {
		y    int
		want float64
	}{
		{0, math.Log(4)},
		{2, -math.Log(0.75)},
		{1, -math.Log(Floor)}, // zero mass inside the support
		{9, -math.Log(Floor)}, // beyond it
		{-1, -math.Log(Floor)},
	} {
		if got := d.LogScore(c.y); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("LogScore(%d) = %v, want %v", c.y, got, c.want)
		}
	}
	for _, c := range []struct {
		y       int
		v, want float64
	}{
		{0, 0, 0}, {0, 0.5, 0.125}, {2, 0, 0.25}, {2, 0.5, 0.625}, {1, 0.7, 0.25}, {-1, 0.3, 0}, {5, 0.3, 1},
	} {
		if got := d.PIT(c.y, c.v); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("PIT(%d, %v) = %v, want %v", c.y, c.v, got, c.want)
		}
	}
}

// TestCountsMethodsDoNotAllocate keeps the per-observation scoring path free
// of garbage.
func TestCountsMethodsDoNotAllocate(t *testing.T) {
	d := NegBinomial(20, 3)
	var sink float64
	allocs := testing.AllocsPerRun(100, func() {
		sink += d.PMF(3) + d.CDF(30) + d.Mean() + float64(d.Quantile(0.3)+d.Len())
		lo, hi := d.Interval(0.9)
		sink += float64(lo + hi)
		if d.Covered(25, 0.9) {
			sink++
		}
		sink += d.CRPS(25) + d.Pinball(25, 0.9) + d.IntervalScore(25, 0.9) + d.PIT(25, 0.4) + d.LogScore(25)
	})
	if allocs != 0 {
		t.Errorf("Counts methods allocate %v times per call", allocs)
	}
	_ = sink
}
