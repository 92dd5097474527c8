package serve

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
)

// outcome is one run-level result the headline compares, per run, between
// the baseline and the what-if.
type outcome struct {
	Key            string
	Label          string
	Kind           string // "share" (a 0/1 indicator per run), "count" or "days"
	HigherIsBetter bool
	value          func(r *mc.RunResult) float64 // NaN when it does not exist in the run
}

// holdDays is the horizon of the "first ceasefire holds" headline.
const holdDays = 90

// outcomes are the headline numbers, in display order.
var outcomes = []outcome{
	{"holds90", fmt.Sprintf("First ceasefire still holds after %d days", holdDays), "share", true, func(r *mc.RunResult) float64 {
		if len(r.Ceasefires) == 0 {
			return math.NaN()
		}
		c := r.Ceasefires[0]
		switch {
		case c.Days() > holdDays:
			return 1
		case c.Open:
			return math.NaN() // censored before holdDays: unknown
		}
		return 0
	}},
	{"cf_days", "Days under ceasefire", "days", true, func(r *mc.RunResult) float64 {
		d := 0
		for _, c := range r.Ceasefires {
			d += c.Days()
		}
		return float64(d)
	}},
	{"attacks", "Attacks over the horizon", "count", false, func(r *mc.RunResult) float64 { return r.AttacksTotal }},
	{"defections", "Fighters defecting to the rival", "count", false, func(r *mc.RunResult) float64 { return r.DefectedFighters }},
	{"split", "A faction splits off", "share", false, func(r *mc.RunResult) float64 { return b2f(r.Splits > 0) }},
	{"settlement", "A settlement is signed", "share", true, func(r *mc.RunResult) float64 { return b2f(r.Settlement != 0) }},
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// baseline is the unchanged scenario's result for one (scenario, runs,
// seed), with every run's outcomes kept for pairing.
type baseline struct {
	res  *mc.Result
	out  [][]float64 // out[k][run]: outcomes[k] of each run
	arm  armJSON
	time time.Duration
}

// baseKey identifies a baseline. Results are deterministic in it, so a
// cached baseline is exact.
type baseKey struct {
	name string
	runs int
	seed uint64
}

// baseCache keeps the most recent baselines and computes each only once,
// however many requests ask for it at the same time.
type baseCache struct {
	mu    sync.Mutex
	max   int
	m     map[baseKey]*cacheEntry
	order []baseKey
}

type cacheEntry struct {
	ready chan struct{}
	b     *baseline
	err   error
}

func newBaseCache(max int) *baseCache {
	return &baseCache{max: max, m: map[baseKey]*cacheEntry{}}
}

// get returns the cached baseline for k, or computes it with compute.
func (c *baseCache) get(ctx context.Context, k baseKey, compute func() (*baseline, error)) (*baseline, error) {
	for {
		c.mu.Lock()
		e, ok := c.m[k]
		if !ok {
			e = &cacheEntry{ready: make(chan struct{})}
			c.m[k] = e
			c.order = append(c.order, k)
			if len(c.order) > c.max {
				delete(c.m, c.order[0])
				c.order = c.order[1:]
			}
			c.mu.Unlock()
			e.b, e.err = compute()
			if e.err != nil {
				c.mu.Lock()
				if c.m[k] == e {
					delete(c.m, k)
					for i, o := range c.order {
						if o == k {
							c.order = append(c.order[:i], c.order[i+1:]...)
							break
						}
					}
				}
				c.mu.Unlock()
			}
			close(e.ready)
			return e.b, e.err
		}
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, errWaited
			}
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.b, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The computing request failed (e.g. it was cancelled): try again.
	}
}

// acquire takes a simulation slot, waiting at most until ctx is done or,
// for a request that has not started simulating (!started), until the
// server shuts down (Drain). A request that has started (it simulated its
// baseline) may finish during the shutdown's grace period.
func (s *Server) acquire(ctx context.Context, started bool) (func(), error) {
	closing := s.closing
	if started {
		closing = nil // a nil channel never fires
	}
	select {
	case <-closing:
		return nil, errShuttingDown
	default:
	}
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	select {
	case s.sem <- struct{}{}:
		return func() { <-s.sem }, nil
	case <-closing:
		return nil, errShuttingDown
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, errWaited
		}
		return nil, ctx.Err()
	}
}

// baselineFor returns the baseline of w, from the cache or simulated. It is
// simulated under its own deadline, not the request's, so a request the
// page cancels (the user moved on) still leaves the baseline cached.
func (s *Server) baselineFor(ctx context.Context, w *whatIf) (*baseline, error) {
	k := baseKey{w.src.Name, w.runs, w.seed}
	return s.cache.get(ctx, k, func() (*baseline, error) {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.lim.Timeout)
		defer cancel()
		release, err := s.acquire(bctx, false)
		if err != nil {
			return nil, err
		}
		defer release()
		start := time.Now()
		b := &baseline{out: make([][]float64, len(outcomes))}
		for i := range b.out {
			b.out[i] = make([]float64, w.runs)
		}
		res, err := mc.Run(bctx, w.base, mc.Options{Runs: w.runs, Seed: w.seed, SeedSet: true, Stories: 1,
			OnRun: func(r *mc.RunResult) error {
				for i, o := range outcomes {
					b.out[i][r.Run] = o.value(r)
				}
				return nil
			}})
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		b.res = res
		b.arm = newArm(res)
		b.time = time.Since(start)
		return b, nil
	})
}

// comparison is a what-if simulated against its baseline.
type comparison struct {
	w        *whatIf
	base     *baseline
	res      *mc.Result
	stats    []mc.PairedStat
	varOut   [][]float64
	cached   bool // whether the baseline came from the cache
	hit      bool // whether the whole comparison came from the cache
	simTime  time.Duration
	baseTime time.Duration
}

// compare simulates the what-if on the baseline's random streams (run i of
// both uses the streams (seed, i)) and pairs every run's outcomes.
func (s *Server) compare(ctx context.Context, w *whatIf) (*comparison, error) {
	key := fmt.Sprint(w.src.Name, "|", w.runs, "|", w.seed, "|", w.sets, "|", w.off)
	if c := s.recent.get(key); c != nil {
		hit := *c // results are deterministic in the key, so the copy is exact
		hit.w, hit.cached, hit.hit, hit.baseTime, hit.simTime = w, true, true, 0, 0
		return &hit, nil
	}
	c, err := s.simulate(ctx, w)
	if err == nil {
		s.recent.put(key, c)
	}
	return c, err
}

// recentCache keeps the last few comparisons, so that going back to a
// setting, reloading a shared link or downloading the CSV of what is on
// the page costs no simulation.
type recentCache struct {
	mu    sync.Mutex
	max   int
	m     map[string]*comparison
	order []string
}

func (r *recentCache) get(k string) *comparison {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[k]
}

func (r *recentCache) put(k string, c *comparison) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]*comparison{}
	}
	if _, ok := r.m[k]; ok {
		return
	}
	r.m[k] = c
	r.order = append(r.order, k)
	if len(r.order) > r.max {
		delete(r.m, r.order[0])
		r.order = r.order[1:]
	}
}

// testHookSimulating, when set by a test, runs once a what-if holds its
// simulation slot, before it simulates.
var testHookSimulating func()

// simulate runs the what-if against its baseline.
func (s *Server) simulate(ctx context.Context, w *whatIf) (*comparison, error) {
	ctx, cancel := context.WithTimeout(ctx, s.lim.Timeout)
	defer cancel()
	t0 := time.Now()
	cached := s.cache.has(baseKey{w.src.Name, w.runs, w.seed})
	base, err := s.baselineFor(ctx, w)
	if err != nil {
		return nil, err
	}
	baseTime := time.Since(t0)
	release, err := s.acquire(ctx, !cached)
	if err != nil {
		return nil, err
	}
	defer release()
	if testHookSimulating != nil {
		testHookSimulating()
	}
	c := &comparison{w: w, base: base, stats: make([]mc.PairedStat, len(outcomes)), varOut: make([][]float64, len(outcomes)), cached: cached, baseTime: baseTime}
	for i, o := range outcomes {
		c.stats[i] = mc.PairedStat{Name: o.Key, HigherIsBetter: o.HigherIsBetter}
		c.varOut[i] = make([]float64, w.runs)
	}
	t1 := time.Now()
	res, err := mc.Run(ctx, w.variant, mc.Options{Runs: w.runs, Seed: w.seed, SeedSet: true, Stories: 1,
		OnRun: func(r *mc.RunResult) error {
			for i, o := range outcomes {
				v := o.value(r)
				c.varOut[i][r.Run] = v
				c.stats[i].Add(base.out[i][r.Run], v)
			}
			return nil
		}})
	if err != nil {
		return nil, fmt.Errorf("what-if: %w", err)
	}
	c.res = res
	c.simTime = time.Since(t1)
	return c, nil
}

// has reports whether k is cached and computed.
func (c *baseCache) has(k baseKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return false
	}
	select {
	case <-e.ready:
		return e.err == nil
	default:
		return false
	}
}

// download returns the what-if as a scenario `parley run` accepts: the
// canonical TOML of the variant, named after it, with the job's runs and
// seed. The observations file is dropped (its path is relative to the
// original file).
func (w *whatIf) download() ([]byte, error) {
	sc := clone(w.variant)
	sc.Name = w.base.Name + "-whatif"
	sc.Runs, sc.Seed = w.runs, w.seed
	sc.Observed = sim.ObservedConfig{}
	desc := "What-if of " + w.base.Name
	if ch := w.changes(); len(ch) > 0 {
		desc += ": " + joinChanges(ch)
	} else {
		desc += " (unchanged)"
	}
	sc.Description = desc
	b, err := scenario.Canonical(sc)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf("# Downloaded from parley serve: %s, %d runs, seed %d.\n# Run it with: parley run %s.toml\n", w.src.Name, w.runs, w.seed, sc.Name)
	return append([]byte(head), b...), nil
}

func joinChanges(ch []string) string {
	out := ""
	for i, c := range ch {
		if i > 0 {
			out += "; "
		}
		out += c
	}
	return out
}
