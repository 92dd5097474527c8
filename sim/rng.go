package sim

import (
	"math"
	"math/rand/v2"
)

// splitmix64 is the SplitMix64 finaliser: a bijective 64-bit mixer used to
// derive independent stream seeds from (seed, run, stream).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// StreamSeed derives the two PCG seed words of stream s of run r under the
// master seed. Runs and streams never share a generator, so a run's results
// do not depend on which worker computed it or in which order.
func StreamSeed(seed, run, stream uint64) (uint64, uint64) {
	a := splitmix64(seed ^ splitmix64(run+0x632be59bd9b4e019))
	b := splitmix64(a ^ splitmix64(stream+0x8cb92ba72f3d8dd7))
	return a ^ stream, b
}

// RunSeed is the seed reported for run r in runs.csv: the first word of the
// run's stream 0. It identifies the run's randomness; it is informative only.
func RunSeed(seed uint64, run int) uint64 {
	a, _ := StreamSeed(seed, uint64(run), 0)
	return a
}

// Stream is one random stream: a PCG generator with the helpers the model
// needs. The zero value must be seeded before use. A model holds its
// streams by value; once seeded, a Stream must not be copied to another
// place (its sampler points at its own generator).
type Stream struct {
	pcg rand.PCG
}

// Seed positions the stream for (seed, run, stream id).
func (s *Stream) Seed(seed, run, id uint64) {
	a, b := StreamSeed(seed, run, id)
	s.pcg.Seed(a, b)
}

// Uint64 returns 64 random bits. It lets *Stream serve as a rand.Source for
// gonum's distributions.
func (s *Stream) Uint64() uint64 { return s.pcg.Uint64() }

// Float64 returns a uniform number in [0, 1).
func (s *Stream) Float64() float64 { return float64(s.pcg.Uint64()>>11) * 0x1p-53 }

// Exp returns an exponential variate with mean 1 (ziggurat).
// The sampler over the generator lives on the stack: it holds nothing but
// the generator, so the stream carries no pointer to chase.
func (s *Stream) Exp() float64 { r := rand.New(&s.pcg); return r.ExpFloat64() }

// Normal returns a standard normal variate (ziggurat).
func (s *Stream) Normal() float64 { r := rand.New(&s.pcg); return r.NormFloat64() }

// Gamma returns a Gamma(shape, 1) variate (Marsaglia and Tsang 2000).
func (s *Stream) Gamma(shape float64) float64 {
	if shape < 1 {
		// Boost: Gamma(a) = Gamma(a+1) * U^(1/a).
		return s.Gamma(shape+1) * math.Pow(1-s.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := s.Normal()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := 1 - s.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// Poisson returns a Poisson(lam) variate: by inversion for small means and by
// Hörmann's transformed rejection (PTRS, 1993) for large ones, so the cost
// does not grow with the mean.
func (s *Stream) Poisson(lam float64) int {
	if !(lam > 0) {
		return 0
	}
	if lam < 10 {
		u := s.Float64()
		p := math.Exp(-lam)
		f := p
		k := 0
		for u > f && k < 1000 {
			k++
			p *= lam / float64(k)
			f += p
		}
		return k
	}
	slam, loglam := math.Sqrt(lam), math.Log(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := s.Float64() - 0.5
		v := s.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lam+k*loglam-lg {
			return int(k)
		}
	}
}

// Clock samples a non-homogeneous Poisson process, or the first firing of a
// hazard, by integrated hazard: it fires each time the accumulated hazard
// passes an Exp(1) threshold. One exponential draw per firing, none per
// quiet step, and a small change in the hazard moves the firing time a
// little rather than reshuffling every later draw (sharp paired runs).
type Clock struct {
	acc, next float64
}

// Arm draws the clock's first threshold.
func (c *Clock) Arm(s *Stream) { c.acc, c.next = 0, s.Exp() }

// Fire adds hazard h (per day) over dt days and reports whether the clock
// fired; it re-arms itself when it does. Use it for rules that fire once.
// The quiet path is small enough to inline.
func (c *Clock) Fire(s *Stream, h, dt float64) bool {
	c.acc += h * dt
	if c.acc < c.next {
		return false
	}
	return c.fire(s)
}

//go:noinline
func (c *Clock) fire(s *Stream) bool {
	c.acc, c.next = 0, s.Exp()
	return true
}

// Count adds rate (events per day) over dt days and returns how many events
// happened: a Poisson(rate*dt) count when the rate is constant. Rates must
// not be negative. The quiet path is small enough to inline.
func (c *Clock) Count(s *Stream, rate, dt float64) int {
	c.acc += rate * dt
	if c.acc < c.next {
		return 0
	}
	return c.count(s)
}

//go:noinline
func (c *Clock) count(s *Stream) int {
	if excess := c.acc - c.next; excess > 16 {
		// Many events in one step: by memorylessness the events after the
		// first are Poisson(excess), drawn in constant time.
		n := 1 + s.Poisson(excess)
		c.acc, c.next = 0, s.Exp()
		return n
	}
	n := 0
	for c.acc >= c.next {
		n++
		c.next += s.Exp()
	}
	// Keep the accumulator small so precision does not erode over long runs.
	c.next -= c.acc
	c.acc = 0
	return n
}

// sigmoid is the logistic function 1/(1+e^-z).
func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// The logistic switch of the rules is read from a table with linear
// interpolation on [-sigSpan, sigSpan]: exact to about 1e-6, deterministic,
// and several times cheaper than math.Exp on the daily path. Outside the
// table it is computed exactly.
const (
	sigSpan  = 16.0
	sigSteps = 4096
)

var sigTable = func() [sigSteps + 2]float64 {
	var t [sigSteps + 2]float64
	for i := range t {
		t[i] = sigmoid(-sigSpan + 2*sigSpan*float64(i)/sigSteps)
	}
	return t
}()

// fastSigmoid is sigmoid read from sigTable.
func fastSigmoid(z float64) float64 {
	if !(z > -sigSpan && z < sigSpan) {
		return sigmoid(z)
	}
	u := (z + sigSpan) * (sigSteps / (2 * sigSpan))
	i := int(u)
	f := u - float64(i)
	return sigTable[i] + f*(sigTable[i+1]-sigTable[i])
}

// memo caches a rule's last hazard: most drivers stay the same from one day
// to the next, and recomputing the logistic is most of a step's cost. The
// cache is exact: any change of an input recomputes. The rule's parameters
// (rate, slope, threshold) change only when an event sets a scenario value,
// and every such change bumps the model's parameter generation, so a hit
// compares the driver and the generation alone.
type memo struct {
	x, h                   float64
	gen                    uint32 // parameter generation of the entry; 0: empty
	rate, slope, threshold float64
	s0, inv                float64 // σ(−slope·threshold) and 1/(1 − s0), kept while slope and threshold hold
	ok                     bool
}

// at returns hazard(rate, slope, x, threshold), from the cache when the
// driver x is unchanged and no parameter has changed since (gen is the
// model's parameter generation, never 0). It inlines: a hit costs two
// comparisons.
func (c *memo) at(gen uint32, rate, slope, x, threshold float64) float64 {
	if c.x == x && c.gen == gen {
		return c.h
	}
	return c.miss(gen, rate, slope, x, threshold)
}

// miss recomputes the cached hazard (see hazard); σ(−slope·threshold)
// and 1/(1 − σ(−slope·threshold)) are kept while the slope and threshold
// hold, so a miss costs one logistic.
func (c *memo) miss(gen uint32, rate, slope, x, threshold float64) float64 {
	if !c.ok || c.slope != slope || c.threshold != threshold {
		c.s0 = fastSigmoid(-slope * threshold)
		c.inv = 0 // threshold far below 0: any driver switches the rule fully on
		if d := 1 - c.s0; d > 1e-12 {
			c.inv = 1 / d
		}
	}
	c.rate, c.slope, c.x, c.threshold, c.ok, c.gen = rate, slope, x, threshold, true, gen
	h := 0.0
	if rate > 0 && x > 0 && slope > 0 {
		if d := fastSigmoid(slope*(x-threshold)) - c.s0; d > 0 {
			h = rate
			if c.inv > 0 {
				h = rate * d * c.inv
			}
		}
	}
	c.h = h
	return h
}

// hazard is the driver term every probabilistic rule uses: a maximum daily
// rate times the floorless logistic switch
//
//	g(x) = max(0, σ(slope·(x − threshold)) − σ(−slope·threshold)) / (1 − σ(−slope·threshold)),
//
// the logistic with its value at x = 0 (no driver) subtracted and rescaled
// so that it still tends to 1 far above the threshold. The driver term is
// therefore exactly 0 when the driver is absent (x ≤ 0): a rule fires for
// no reason only through its explicit baseline (MODEL.md §3.1). With slope
// 0 the switch is off; a constant hazard is a baseline.
func hazard(rate, slope, x, threshold float64) float64 {
	var c memo // the rules' own path, uncached
	return c.miss(1, rate, slope, x, threshold)
}

// candidate adds a thinned clock's bound hmax (per day) over dt days and
// reports whether a candidate firing fell in the step (Lewis and Shedler
// 1979; Ogata 1981). A rule whose hazard never exceeds hmax runs its clock
// at hmax and computes its hazard only on a step with a candidate, where
// accept decides: its driver is not computed on quiet steps. The quiet path
// is small enough to inline.
func (c *Clock) candidate(hmax, dt float64) bool {
	c.acc += hmax * dt
	return c.acc >= c.next
}

// accept decides a step's candidates of a thinned clock (candidate): each is
// a firing with probability (base + drv)/hmax, base + drv ≤ hmax being the
// step's hazard, and the rule fires when one is. The step's candidates are
// a Poisson(hmax·dt) count, so the rule fires with probability
// 1 − e^(−(base+drv)·dt), as a clock run at base + drv would; and with
// probability base/(base + drv) the firing is the baseline's. Every
// candidate draws the same two numbers (the next candidate, its uniform)
// whether or not it fires, so paired runs stay aligned.
//
//go:noinline
func (c *Clock) accept(s *Stream, base, drv, hmax float64) (fired, byBase bool) {
	h := base + drv
	for c.acc >= c.next {
		c.next += s.Exp()
		if u := s.Float64() * hmax; !fired && u < h {
			fired, byBase = true, u < base
		}
	}
	c.next -= c.acc
	c.acc = 0
	return fired, byBase
}

// attribute re-arms a clock that fired and says whether its baseline fired:
// with probability baseline/(baseline + driver), drawing from the clock's
// stream only when both parts are positive.
//
//go:noinline
func (c *Clock) attribute(s *Stream, base, drv float64) bool {
	c.fire(s)
	switch {
	case base <= 0:
		return false
	case drv <= 0:
		return true
	}
	return s.Float64()*(base+drv) < base
}
