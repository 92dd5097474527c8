package mc

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/parley-sim/parley/sim"
)

// MonthCount is one observed monthly count of attacks of all groups (the
// "attacks" metric, in PICSS units).
type MonthCount struct {
	Month sim.Date // first day of the month
	Count float64  // attacks observed in the month; not negative
}

// PhaseFact is a known fact about the phase on a day, e.g. "a ceasefire was
// in force on 2022-06-15". It enters the filter as a likelihood: Prob for a
// run in that phase on that day, 1 − Prob otherwise. A Prob below 1 (0.99,
// say) keeps the filter from collapsing when few runs satisfy the fact.
type PhaseFact struct {
	Date  sim.Date
	Phase sim.Phase
	Not   bool    // the fact is that the phase was NOT Phase that day (e.g. a ceasefire had ended)
	Prob  float64 // in (0.5, 1]
}

// Filter conditions the runs on what was observed: a particle filter
// (sequential importance resampling) in which every run is a particle. See
// MODEL.md §3.6.
//
// Runs are filtered in blocks of Block consecutive run indices; within a
// block the runs step together to each observation time (the last day of an
// observed month, or a fact's day), are weighted by the likelihood of the
// observation, and are resampled (systematic resampling) when the effective
// sample size falls below half the block, and always at the last
// observation time, so that the runs reported are equally weighted draws
// from the conditioned model. A resampled copy inherits its ancestor's
// record up to then and continues on new random streams
// (sim.Model.Reseed). After Until every run continues freely to the end of
// the horizon.
type Filter struct {
	// Counts are observed monthly counts of all attacks. A month is used
	// when it lies wholly inside the horizon and ends on or before Until;
	// its likelihood is Poisson(Count; Λ), where Λ is the run's expected
	// attacks in that month (the sum of sim.Record.Intensity over its
	// steps): the model's own count distribution given the run's path.
	Counts []MonthCount
	// Facts are known phases on given days, used when on or before Until.
	Facts []PhaseFact
	// Until is the last day assimilated; 0 means the last day of the last
	// observation. It must lie inside the horizon.
	Until sim.Date
	// Block is the number of runs filtered together; 0 means 500 (or the
	// runs, if fewer). Memory grows with Block (one model and its full
	// record per run of a block), not with the number of runs. Results
	// depend on Block, not on the number of workers.
	Block int
	// ESSFloor: a warning is issued when the effective sample size of a
	// block falls below this share of its runs; 0 means 0.1.
	ESSFloor float64
}

// Filter defaults.
const (
	DefaultBlock    = 500
	DefaultESSFloor = 0.1
)

// FilterStep is the filter at one observation time, over all blocks.
type FilterStep struct {
	Date      sim.Date // the observation time: last day assimilated
	Label     string   // what was observed, e.g. "2022-03 (26 attacks)"
	ESS       float64  // effective sample size after weighting, mean over blocks
	MinESS    float64  // smallest effective sample size of a block
	MinShare  float64  // smallest ESS as a share of its block's runs
	Resampled int      // blocks that resampled at this time
	LogLik    float64  // log p(this observation | earlier ones), mean over blocks
}

// FilterStats describes a filtered job.
type FilterStats struct {
	Until    sim.Date
	Block    int // runs per block
	Blocks   int
	Counts   int     // monthly counts assimilated
	Facts    int     // phase facts assimilated
	ESSFloor float64 // warning threshold, as a share of the block
	Steps    []FilterStep
	MinESS   float64 // smallest ESS of any block at any time
	MinShare float64 // smallest ESS as a share of its block
	LogLik   float64 // log marginal likelihood of all observations: sum of Steps' LogLik
	Warnings []string
}

// obsTime is one observation time: the counts and facts assimilated after
// stepping through its day.
type obsTime struct {
	day    sim.Date
	done   int // steps a run has done once stepped through day (StepUntil(day+1))
	counts []obsCount
	facts  []obsFact
	label  string
}

type obsCount struct {
	from, to int // steps [from, to) of the month
	y, lgy   float64
	month    sim.Date
}

type obsFact struct {
	step  int
	phase sim.Phase
	not   bool       // matched when the phase is not phase
	lp    [2]float64 // log-likelihood if not matched, if matched
}

// schedule validates f against the model's horizon and returns the
// observation times in date order.
func (f *Filter) schedule(m *sim.Model, sc *sim.Scenario) (until sim.Date, times []obsTime, nCounts, nFacts int, err error) {
	stepOf := func(d sim.Date) int { return int(d-sc.Start) / m.StepDays() }
	until = f.Until
	if until == 0 {
		for _, c := range f.Counts {
			until = max(until, c.Month.MonthEnd())
		}
		for _, x := range f.Facts {
			until = max(until, x.Date)
		}
	}
	if until < sc.Start || until > sc.End {
		return 0, nil, 0, 0, fmt.Errorf("mc: filter: until %s is outside the horizon %s to %s", until, sc.Start, sc.End)
	}
	byDay := map[sim.Date]*obsTime{}
	at := func(d sim.Date) *obsTime {
		if t := byDay[d]; t != nil {
			return t
		}
		dt := m.StepDays()
		t := &obsTime{day: d, done: min(m.Steps(), (int(d+1-sc.Start)+dt-1)/dt)}
		byDay[d] = t
		return t
	}
	seen := map[sim.Date]bool{}
	for i, c := range f.Counts {
		end := c.Month.MonthEnd()
		switch {
		case c.Month != c.Month.MonthStart():
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: count %d: %s is not the first day of a month", i, c.Month)
		case !(c.Count >= 0) || math.IsInf(c.Count, 0):
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: count %d (%s): %v is not a count of attacks", i, c.Month, c.Count)
		case seen[c.Month]:
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: month %s is given twice", c.Month.String()[:7])
		case c.Month < sc.Start || end > sc.End:
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: month %s is not wholly inside the horizon %s to %s (give whole months only)", c.Month.String()[:7], sc.Start, sc.End)
		}
		seen[c.Month] = true
		if end > until {
			continue
		}
		// Steps whose first day lies in the month (as the monthly series count them).
		from := stepOf(c.Month + sim.Date(m.StepDays()-1))
		to := stepOf(end) + 1
		lg, _ := math.Lgamma(c.Count + 1)
		t := at(end)
		t.counts = append(t.counts, obsCount{from: from, to: to, y: c.Count, lgy: lg, month: c.Month})
		nCounts++
	}
	for i, x := range f.Facts {
		switch {
		case x.Date < sc.Start || x.Date > sc.End:
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: fact %d: %s is outside the horizon %s to %s", i, x.Date, sc.Start, sc.End)
		case x.Phase >= sim.NumPhases:
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: fact %d (%s): unknown phase %d", i, x.Date, x.Phase)
		case !(x.Prob > 0.5 && x.Prob <= 1):
			return 0, nil, 0, 0, fmt.Errorf("mc: filter: fact %d (%s): probability %v must be in (0.5, 1]", i, x.Date, x.Prob)
		}
		if x.Date > until {
			continue
		}
		t := at(x.Date)
		t.facts = append(t.facts, obsFact{step: stepOf(x.Date), phase: x.Phase, not: x.Not, lp: [2]float64{math.Log1p(-x.Prob), math.Log(x.Prob)}})
		nFacts++
	}
	if len(byDay) == 0 {
		return 0, nil, 0, 0, fmt.Errorf("mc: filter: no observation ends on or before %s", until)
	}
	for _, t := range byDay {
		var parts []string
		for _, c := range t.counts {
			parts = append(parts, fmt.Sprintf("%s (%g attacks)", c.month.String()[:7], c.y))
		}
		for _, x := range t.facts {
			parts = append(parts, fmt.Sprintf("%s in %s", t.day, x.phase))
		}
		t.label = strings.Join(parts, ", ")
		times = append(times, *t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].day < times[j].day })
	return until, times, nCounts, nFacts, nil
}

// logLik returns the log-likelihood of the observations of t under the
// record so far.
func (t *obsTime) logLik(rec *sim.Record) float64 {
	ll := 0.0
	for _, c := range t.counts {
		lam := 0.0
		for s := c.from; s < c.to; s++ {
			lam += rec.Intensity[s]
		}
		ll += poissonLogPMF(c.y, lam, c.lgy)
	}
	for _, x := range t.facts {
		if (rec.Phase[x.step] == x.phase) != x.not {
			ll += x.lp[1]
		} else {
			ll += x.lp[0]
		}
	}
	return ll
}

// poissonLogPMF is log Poisson(y; lam), with lgy = log y!. y need not be
// a whole number (PICSS units may be fractional): the formula is the same.
func poissonLogPMF(y, lam, lgy float64) float64 {
	if lam <= 0 {
		if y == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	return y*math.Log(lam) - lam - lgy
}

// PoissonLogLik returns log Poisson(y; lam), the log-likelihood of a monthly
// count y when the run expects lam attacks in that month.
func PoissonLogLik(y, lam float64) float64 {
	lg, _ := math.Lgamma(y + 1)
	return poissonLogPMF(y, lam, lg)
}

// logSumExp returns log Σ exp(x_i), or -Inf when every x_i is -Inf.
func logSumExp(x []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = max(mx, v)
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s)
}

// ess returns the effective sample size (Σw)²/Σw² of log-weights lw.
func ess(lw []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range lw {
		mx = max(mx, v)
	}
	var s, s2 float64
	for _, v := range lw {
		w := math.Exp(v - mx)
		s += w
		s2 += w * w
	}
	return s * s / s2
}

// systematic draws offspring counts by systematic resampling: n points
// (u + j)/n, j = 0…n−1, on the cumulative normalised weights. u is one
// uniform draw in [0, 1).
func systematic(lw []float64, u float64, counts []int) {
	n := len(lw)
	mx := math.Inf(-1)
	for _, v := range lw {
		mx = max(mx, v)
	}
	total := 0.0
	for _, v := range lw {
		total += math.Exp(v - mx)
	}
	for i := range counts {
		counts[i] = 0
	}
	cum, i := 0.0, 0
	for j := 0; j < n; j++ {
		p := (u + float64(j)) / float64(n) * total
		for i < n-1 && cum+math.Exp(lw[i]-mx) <= p {
			cum += math.Exp(lw[i] - mx)
			i++
		}
		counts[i]++
	}
}

// forEach calls fn(i) for i in [0, n) on up to workers goroutines. Each i is
// independent, so the result does not depend on the number of workers.
func forEach(workers, n int, fn func(i int)) {
	if workers <= 1 || n <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// filterRun is the filtered counterpart of RunMany's loop for one
// scenario: blocks of runs are filtered up to Until, then run to the end,
// reduced and aggregated in run order.
func filterRun(ctx context.Context, proto *sim.Model, sc *sim.Scenario, opt Options, runs int, seed uint64, workers int,
	lay *layout, agg *aggregate, onRuns func([]*RunResult) error) (*Result, error) {
	f := opt.Filter
	until, times, nCounts, nFacts, err := f.schedule(proto, sc)
	if err != nil {
		return nil, err
	}
	block := f.Block
	if block <= 0 {
		block = DefaultBlock
	}
	block = min(block, runs)
	floor := f.ESSFloor
	if floor <= 0 {
		floor = DefaultESSFloor
	}
	blocks := (runs + block - 1) / block
	st := &FilterStats{Until: until, Block: block, Blocks: blocks, Counts: nCounts, Facts: nFacts, ESSFloor: floor,
		Steps: make([]FilterStep, len(times)), MinESS: math.Inf(1), MinShare: math.Inf(1)}
	for j := range st.Steps {
		st.Steps[j] = FilterStep{Date: times[j].day, Label: times[j].label, MinESS: math.Inf(1), MinShare: math.Inf(1)}
	}

	models := make([]*sim.Model, block)
	models[0] = proto
	for i := 1; i < block; i++ {
		models[i], _ = newModel(sc, opt, 0) // validated by the caller
		lay.recordByPeriod(models[i])
	}
	// Two sets of results: a block's runs are aggregated, in run order, on
	// a goroutine of their own while the next block is filtered into the
	// other set.
	var sets [2][]*RunResult
	for j := range sets {
		sets[j] = make([]*RunResult, block)
		for i := range sets[j] {
			sets[j][i] = &RunResult{values: make([]float64, len(Metrics)*lay.n), periods: lay.n}
		}
	}
	var pending chan error // the aggregation of the block before, if any
	wait := func() error {
		if pending == nil {
			return nil
		}
		err := <-pending
		pending = nil
		return err
	}
	defer wait() // an early return leaves no goroutine behind
	lw := make([]float64, block)
	ll := make([]float64, block)
	tmp := make([]float64, block)
	counts := make([]int, block)
	pairs := make([][2]int, 0, block)
	worst := make([]float64, len(times)) // smallest ESS share at each time, for warnings
	for j := range worst {
		worst[j] = math.Inf(1)
	}
	expect := make([]float64, len(times)) // weighted mean expected count (first count of the time), worst block
	// A copy made at time j takes its ancestor's record from the first step
	// a later observation reads (a month's count reads back past a fact
	// assimilated mid-month) or the first step not yet reduced, whichever
	// comes first.
	reads := make([]int, len(times))
	next := math.MaxInt
	for j := len(times) - 1; j >= 0; j-- {
		reads[j] = next
		for _, c := range times[j].counts {
			next = min(next, c.from)
		}
		for _, x := range times[j].facts {
			next = min(next, x.step)
		}
	}
	one := make([]*RunResult, 1)
	done := 0

	for b := 0; b < blocks; b++ {
		lo := b * block
		n := min(block, runs-lo)
		ms := models[:n]
		rrs := sets[b%2]          // the block before last, whose set this was, is aggregated
		story := lo < opt.Stories // a block with story runs logs every run while filtering: copies inherit the story
		forEach(workers, n, func(i int) {
			ms[i].SetLogging(story)
			ms[i].Reset(seed, opt.First+lo+i)
		})
		for i := range lw[:n] {
			lw[i] = 0
		}
		gen := uint64(0)
		// Periods wholly stepped through are reduced at once, while the
		// runs' records are in cache, and a resampled copy takes its
		// ancestor's period values instead of its record's past.
		red := 0
		for j := range times {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			t := &times[j]
			hi := lay.complete(t.done) // periods every run of the block has stepped through
			forEach(workers, n, func(i int) {
				m := ms[i]
				m.StepUntil(t.day + 1)
				ll[i] = t.logLik(m.Record())
				lay.reducePeriods(m.Record(), rrs[i].values, red, hi)
			})
			// log p(y_t | y_<t) = log Σ W_i L_i with W the normalised weights.
			before := logSumExp(lw[:n])
			for i := 0; i < n; i++ {
				tmp[i] = lw[i] + ll[i]
			}
			after := logSumExp(tmp[:n])
			if math.IsInf(after, -1) {
				return nil, fmt.Errorf("mc: filter: no run of block %d (runs %d–%d) can produce the observations of %s: the model gives them probability 0",
					b, opt.First+lo, opt.First+lo+n-1, t.label)
			}
			copy(lw[:n], tmp[:n])
			e := ess(lw[:n])
			s := &st.Steps[j]
			s.ESS += e / float64(blocks)
			s.MinESS = min(s.MinESS, e)
			s.MinShare = min(s.MinShare, e/float64(n))
			s.LogLik += (after - before) / float64(blocks)
			if e/float64(n) < worst[j] && len(t.counts) > 0 {
				worst[j] = e / float64(n)
				// What the runs expected before this month was weighed.
				c := t.counts[0]
				var sw, sl float64
				for i := 0; i < n; i++ {
					w := math.Exp(lw[i] - ll[i] - before)
					lam := 0.0
					for k := c.from; k < c.to; k++ {
						lam += ms[i].Record().Intensity[k]
					}
					sw += w
					sl += w * lam
				}
				expect[j] = sl / sw
			}
			if e < float64(n)/2 || j == len(times)-1 {
				gen++
				a, _ := sim.StreamSeed(seed, 1<<63|uint64(b), gen)
				u := float64(a>>11) * 0x1p-53
				systematic(lw[:n], u, counts[:n])
				pairs = resample(ms, rrs, min(lay.bounds[hi], reads[j]), counts[:n], pairs, seed, opt.First+lo, gen, workers)
				for i := range lw[:n] {
					lw[i] = 0
				}
				s.Resampled++
			}
			red = hi
		}
		// Free running after Until; reduce in parallel, aggregate in order.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		forEach(workers, n, func(i int) {
			m := ms[i]
			keep := lo+i < opt.Stories
			m.SetLogging(keep)
			if !keep {
				m.Record().Log = m.Record().Log[:0]
			}
			for !m.Done() {
				m.Step()
			}
			m.Finish()
			lay.finish(m.Record(), rrs[i], red)
			rrs[i].Run = opt.First + lo + i
		})
		if err := wait(); err != nil {
			return nil, err
		}
		ch := make(chan error, 1)
		pending = ch
		go func(rrs []*RunResult) {
			for _, rr := range rrs {
				if onRuns != nil {
					one[0] = rr
					if err := onRuns(one); err != nil {
						ch <- err
						return
					}
				}
				agg.add(rr)
				done++
				if opt.Progress != nil {
					opt.Progress(done)
				}
			}
			ch <- nil
		}(rrs[:n])
	}
	if err := wait(); err != nil {
		return nil, err
	}

	for j := range st.Steps {
		s := &st.Steps[j]
		st.MinESS = min(st.MinESS, s.MinESS)
		st.MinShare = min(st.MinShare, s.MinShare)
		st.LogLik += s.LogLik
		if s.MinShare < floor {
			w := fmt.Sprintf("the observations of %s are unlikely under the model: ESS %.0f of %d", s.Label, s.MinESS, block)
			if blocks > 1 {
				w = fmt.Sprintf("the observations of %s are unlikely under the model: ESS %.0f of %d in the worst block (mean %.0f)", s.Label, s.MinESS, block, s.ESS)
			}
			if len(times[j].counts) > 0 {
				w += fmt.Sprintf("; the runs expected %.1f attacks", expect[j])
			}
			st.Warnings = append(st.Warnings, w)
		}
	}
	res := agg.result()
	res.Filter = st
	return res, nil
}

// resample replaces the runs of a block by their offspring, in place: a run
// with at least one offspring keeps its slot, and its extra copies overwrite,
// in slot order, the slots of runs with none. Each copy continues on new
// streams (seed, its run index, gen); the originals keep theirs. Sources are
// never overwritten, so the copies are made in parallel. The steps before
// from are already reduced into the runs' period values (rrs), which a copy
// takes instead of its ancestor's record of them, and no later observation
// reads them.
func resample(ms []*sim.Model, rrs []*RunResult, from int, counts []int, pairs [][2]int, seed uint64, first int, gen uint64, workers int) [][2]int {
	pairs = pairs[:0]
	dst := 0
	for i, c := range counts {
		for ; c > 1; c-- {
			for counts[dst] != 0 {
				dst++
			}
			pairs = append(pairs, [2]int{i, dst})
			counts[dst] = -1 // filled
		}
	}
	forEach(workers, len(pairs), func(k int) {
		src, dst := pairs[k][0], pairs[k][1]
		ms[dst].CopyRunFrom(ms[src], from)
		copy(rrs[dst].values, rrs[src].values)
		ms[dst].Reseed(seed, first+dst, gen)
	})
	return pairs
}
