package calib

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// poissonNLL is the negative log-likelihood of counts ys under Poisson
// means λₖ = exp(a + b·xₖ), xₖ centred month indices: the shape of
// calib's monthly-attacks loss with the simulation noise gone.
func poissonNLL(ys []float64) LossFunc {
	m := float64(len(ys))
	return func(theta []float64) (float64, error) {
		s := 0.0
		for k, y := range ys {
			x := (float64(k) - (m-1)/2) / m
			lam := math.Exp(theta[0] + theta[1]*x)
			lg, _ := math.Lgamma(y + 1)
			s += lam - y*math.Log(lam) + lg
		}
		return s, nil
	}
}

// simulateCounts draws Poisson counts at theta (the model behind
// poissonNLL).
func simulateCounts(rng *rand.Rand, theta []float64, months int) []float64 {
	ys := make([]float64, months)
	for k := range ys {
		x := (float64(k) - float64(months-1)/2) / float64(months)
		ys[k] = distuv.Poisson{Lambda: math.Exp(theta[0] + theta[1]*x), Src: rng}.Rand()
	}
	return ys
}

// TestABCSMCPopulations: ε never grows, weights sum to 1, ESS and the
// acceptance rate are consistent with the counts, every particle is in
// the prior's support, the evaluations add up, and the run is the same
// twice for a seed and different for another.
func TestABCSMCPopulations(t *testing.T) {
	free := []Free{{Key: "a", Lo: 0, Hi: 5}, {Key: "b", Lo: -2, Hi: 2}}
	ys := simulateCounts(rand.New(rand.NewPCG(3, 4)), []float64{2.5, 0.8}, 24)
	for _, c := range []struct {
		name string
		opt  SMCOptions
	}{
		{"soft", SMCOptions{Particles: 150, Budget: 6000, Seed: 7}},
		{"hard", SMCOptions{Particles: 150, Budget: 6000, Seed: 7, Acceptance: AcceptHard}},
		{"quantile 0.3, small budget", SMCOptions{Particles: 100, Budget: 500, Seed: 7, Quantile: 0.3}},
		{"normal prior", SMCOptions{Particles: 150, Budget: 6000, Seed: 7}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fr := free
			if c.name == "normal prior" {
				fr = []Free{{Key: "a", Lo: 0, Hi: 5, Dist: PriorNormal, Mu: 2, SD: 1}, free[1]}
			}
			res, err := ABCSMC(context.Background(), fr, poissonNLL(ys), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			evals := 0
			for i, p := range res.Populations {
				t.Logf("t=%d ε=%.4g accepted=%d evals=%d rate=%.3f ESS=%.1f", p.T, p.Epsilon, p.Accepted, p.Evaluations, p.AcceptanceRate, p.ESS)
				if i > 0 && p.Epsilon > res.Populations[i-1].Epsilon {
					t.Errorf("population %d: ε grew", i)
				}
				if s := sum(p.Weight); math.Abs(s-1) > 1e-9 {
					t.Errorf("population %d: weights sum to %v", i, s)
				}
				if p.ESS < 1 || p.ESS > float64(p.Accepted)+1e-9 {
					t.Errorf("population %d: ESS %v outside [1, %d]", i, p.ESS, p.Accepted)
				}
				if p.AcceptanceRate != float64(p.Accepted)/float64(p.Evaluations) {
					t.Errorf("population %d: acceptance rate %v", i, p.AcceptanceRate)
				}
				for _, th := range p.Theta {
					for j, f := range fr {
						if th[j] < f.Lo || th[j] > f.Hi {
							t.Errorf("population %d: particle %v outside the prior", i, th)
						}
					}
				}
				evals += p.Evaluations
			}
			if evals > res.Evaluations || res.Evaluations > c.opt.Budget || len(res.EvalAccepted) != res.Evaluations {
				t.Errorf("evaluations: populations %d, total %d, budget %d, recorded %d", evals, res.Evaluations, c.opt.Budget, len(res.EvalAccepted))
			}
			t.Logf("stop: %s", res.Stop)
			again, _ := ABCSMC(context.Background(), fr, poissonNLL(ys), c.opt)
			if !reflect.DeepEqual(res, again) {
				t.Error("not deterministic for a seed")
			}
			o := c.opt
			o.Seed++
			other, _ := ABCSMC(context.Background(), fr, poissonNLL(ys), o)
			if reflect.DeepEqual(res.Final().Theta, other.Final().Theta) {
				t.Error("another seed gave the same particles")
			}
		})
	}
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// TestABCSMCStops: each stopping rule is reached and said.
func TestABCSMCStops(t *testing.T) {
	free := []Free{{Key: "x", Lo: -10, Hi: 10}}
	quad := func(theta []float64) (float64, error) { return 50 * theta[0] * theta[0], nil }
	flat := func([]float64) (float64, error) { return 3, nil }
	// A cusp with ε at the 2% quantile: the accepted region shrinks far
	// faster than the kernel, until almost no proposal is accepted.
	cusp := func(theta []float64) (float64, error) { return 1 + math.Abs(theta[0]), nil }
	for _, c := range []struct {
		name string
		loss LossFunc
		opt  SMCOptions
		stop string
	}{
		{"soft reaches the posterior", quad, SMCOptions{Particles: 100, Budget: 10000}, "reached the lowest loss"},
		{"hard: ε stops shrinking", flat, SMCOptions{Particles: 50, Budget: 10000, Acceptance: AcceptHard}, "stopped shrinking"},
		{"budget", quad, SMCOptions{Particles: 100, Budget: 250}, "budget of 250"},
		{"populations", quad, SMCOptions{Particles: 50, Budget: 10000, MaxPopulations: 3, Acceptance: AcceptHard}, "reached 3 populations"},
		{"acceptance floor", cusp, SMCOptions{Particles: 50, Budget: 100000, Acceptance: AcceptHard, Quantile: 0.02}, "acceptance rate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ABCSMC(context.Background(), free, c.loss, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Stop, c.stop) {
				t.Errorf("stop %q, want one saying %q", res.Stop, c.stop)
			}
		})
	}
}

// TestABCSMCErrors: bad options and a failing loss are reported, the
// loss's error wrapped.
func TestABCSMCErrors(t *testing.T) {
	free := []Free{{Key: "x", Lo: 0, Hi: 1}}
	boom := errors.New("boom")
	ok := func([]float64) (float64, error) { return 1, nil }
	for _, c := range []struct {
		name string
		free []Free
		loss LossFunc
		opt  SMCOptions
		want string
	}{
		{"no parameter", nil, ok, SMCOptions{}, "no free parameter"},
		{"unbounded", []Free{{Key: "x", Lo: 0, Hi: math.Inf(1)}}, ok, SMCOptions{}, "finite bounds"},
		{"rule", free, ok, SMCOptions{Acceptance: "fuzzy"}, "not allowed"},
		{"budget below one population", free, ok, SMCOptions{Particles: 50, Budget: 20}, "cannot fill"},
		{"loss fails", free, func([]float64) (float64, error) { return 0, boom }, SMCOptions{}, "boom"},
		{"loss never finite", free, func([]float64) (float64, error) { return math.Inf(1), nil }, SMCOptions{Particles: 10, Budget: 10000}, "finite loss"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ABCSMC(context.Background(), c.free, c.loss, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
			if c.name == "loss fails" && !errors.Is(err, boom) {
				t.Errorf("the loss's error is not wrapped: %v", err)
			}
		})
	}
}

// TestPosteriorRoundTrip: posterior.csv reads back exactly; Draw follows
// the weights; bad files are refused with the line.
func TestPosteriorRoundTrip(t *testing.T) {
	p := &Posterior{Keys: []string{"a.b", "c"}, Theta: [][]float64{{0.1, -3}, {1.0 / 3, 2e-17}, {7, 8}},
		Weight: []float64{0.25, 0.75, 0}, Loss: []float64{12.5, math.Pi, math.Inf(1)}}
	var b bytes.Buffer
	if err := p.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	q, err := ReadPosterior(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip:\n%+v\n%+v", p, q)
	}
	for _, c := range []struct {
		u    float64
		want int
	}{{0, 0}, {0.2499, 0}, {0.25, 1}, {0.9999, 1}} {
		if got := q.Draw(c.u); !reflect.DeepEqual(got, p.Theta[c.want]) {
			t.Errorf("Draw(%v) = %v, want particle %d", c.u, got, c.want)
		}
	}
	// Systematic draws land in proportion to the weights.
	count := 0
	for k := 0; k < 1000; k++ {
		if q.Draw((float64(k) + 0.5) / 1000)[0] == 0.1 {
			count++
		}
	}
	if count != 250 {
		t.Errorf("%d of 1000 systematic draws took the particle of weight 0.25", count)
	}
	noLoss, err := ReadPosterior(strings.NewReader("weight,x\n1,2\n3,4\n"))
	if err != nil || noLoss.Weight[1] != 0.75 || !math.IsNaN(noLoss.Loss[0]) || noLoss.Keys[0] != "x" {
		t.Errorf("a file without loss: %+v, %v", noLoss, err)
	}
	for _, c := range []struct{ in, want string }{
		{"", "header"},
		{"w,loss,x\n1,2,3\n", "start with weight"},
		{"weight,loss\n1,2\n", "no parameter"},
		{"weight,loss,x\n", "no particle"},
		{"weight,loss,x\n1,2,abc\n", "line 2, column x"},
		{"weight,loss,x\n-1,2,3\n", "non-negative"},
		{"weight,loss,x\n0,2,3\n", "sum to zero"},
		{"weight,loss,x\n1,2\n", "wrong number of fields"},
	} {
		if _, err := ReadPosterior(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one saying %q", c.in, err, c.want)
		}
	}
}

// TestWarn: each way a calibration finds nothing is named; a good fit
// gets no warning.
func TestWarn(t *testing.T) {
	free := []Free{{Key: "x", Lo: 0, Hi: 10}}
	good := func() *Fit {
		return &Fit{Free: free, Start: []float64{1}, Best: []float64{5}, PostMedian: []float64{5}, PostLo: []float64{4}, PostHi: []float64{6},
			Accepted: make([][]float64, 100), Posterior: &Posterior{Weight: uniformWeights(100)}}
	}
	for _, c := range []struct {
		name   string
		change func(*Fit)
		want   string
	}{
		{"good", func(*Fit) {}, ""},
		{"start", func(f *Fit) { f.Best[0] = 1; f.PostLo[0] = 0.5 }, "fit did not move from the start (1)"},
		{"start, Nelder–Mead", func(f *Fit) { f.Method = NelderMead; f.Best[0] = 1; f.PostLo[0] = 0.5 }, "raise --evals"},
		{"few accepted", func(f *Fit) { f.Accepted = f.Accepted[:5]; f.Posterior.Weight = uniformWeights(5) }, "only 5 accepted draws"},
		{"few accepted, ABC-SMC", func(f *Fit) {
			f.Method = PMC
			f.Accepted = f.Accepted[:2]
			f.Posterior.Weight = uniformWeights(2)
		}, "the intervals are unreliable; raise --budget"},
		{"low ESS", func(f *Fit) { f.Posterior.Weight = append([]float64{0.9}, uniformWeights(99)...) }, "effective sample size of 4.4"},
		{"worse than the start", func(f *Fit) { f.StartLoss, f.BestLoss = 10.367, 10.762 }, "do worse than the start: loss 10.76 against 10.37"},
		{"prior sample", func(f *Fit) {
			f.Method = PMC
			f.Populations = []Population{{Epsilon: math.Inf(1)}}
		}, "the posterior is the prior sample"},
		{"outside interval", func(f *Fit) { f.Best[0] = 7 }, "the fitted value 7 lies outside the ABC 90% interval"},
		{"as wide as the prior", func(f *Fit) { f.PostLo[0], f.PostHi[0] = 0.4, 8.8 }, "do not inform"},
		{"normal prior, as wide", func(f *Fit) {
			f.Free = []Free{{Key: "x", Lo: 0, Hi: 10, Dist: PriorNormal, Mu: 5, SD: 1}}
			f.PostLo[0], f.PostHi[0] = 3.5, 6.5
		}, "do not inform"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := good()
			c.change(f)
			w := Warn(f)
			if c.want == "" && len(w) > 0 || c.want != "" && (len(w) != 1 || !strings.Contains(w[0], c.want)) {
				t.Errorf("warnings %q, want one saying %q", w, c.want)
			}
		})
	}
}

func uniformWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w
}

// TestParsePrior: priors on the command line, normal ones truncated to
// the schema's range.
func TestParsePrior(t *testing.T) {
	sc := load(t, "ceasefire-2021.toml").Scenario
	for _, c := range []struct {
		in       string
		dist     string
		lo, hi   float64
		mu, sd   float64
		wantErr  string
		quantile float64 // the prior median
	}{
		{in: "mediator.pressure=0.2:0.6", dist: "", lo: 0.2, hi: 0.6, quantile: 0.4},
		{in: "mediator.pressure=normal(0.5,0.1)", dist: PriorNormal, lo: 0, hi: 1, mu: 0.5, sd: 0.1, quantile: 0.5},
		{in: "mediator.pressure=normal(0.9, 0.2)", dist: PriorNormal, lo: 0, hi: 1, mu: 0.9, sd: 0.2, quantile: 0.8206},
		{in: "mediator.pressure=normal(0.5,0)", wantErr: "sd > 0"},
		{in: "mediator.pressure=normal(0.5)", wantErr: "normal(mu,sd)"},
		{in: "mediator.pressure=normal(9,0.01)", wantErr: "no mass"},
	} {
		f, err := ParseFree(sc, c.in)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: error %v, want one saying %q", c.in, err, c.wantErr)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if f.Dist != c.dist || f.Lo != c.lo || f.Hi != c.hi || f.Mu != c.mu || f.SD != c.sd {
			t.Errorf("%s: %+v", c.in, f)
		}
		if q := f.Quantile(0.5); math.Abs(q-c.quantile) > 1e-3 {
			t.Errorf("%s: prior median %v, want %v", c.in, q, c.quantile)
		}
		if back, err := ParseFree(sc, f.Spec()); err != nil || back != f {
			t.Errorf("%s: Spec %q reads back as %+v (%v)", c.in, f.Spec(), back, err)
		}
	}
}
