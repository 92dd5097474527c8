// Package mc is the Monte Carlo runner: it runs a scenario many times in
// parallel, one random stream per (seed, run), and streams every run into
// aggregates (quantile histograms per metric and period, Kaplan–Meier counts
// per ceasefire, totals) in run order. Outputs are therefore identical
// whatever the number of workers, and memory does not grow with the number
// of runs.
package mc

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/parley-sim/parley/sim"
)

// Period is the length of the periods series are aggregated over.
type Period int

// Periods.
const (
	Month Period = iota
	Week
	Day
)

// ParsePeriod reads "day", "week" or "month".
func ParsePeriod(s string) (Period, error) {
	switch s {
	case "month", "":
		return Month, nil
	case "week":
		return Week, nil
	case "day":
		return Day, nil
	}
	return 0, fmt.Errorf("period %q is not allowed (allowed: day, week, month)", s)
}

// String returns day, week or month.
func (p Period) String() string { return [...]string{"month", "week", "day"}[p] }

// Options configure a Monte Carlo run. The zero value runs the scenario's
// runs with its seed on every CPU, aggregated by month.
type Options struct {
	Runs    int    // runs; 0 means the scenario's
	Seed    uint64 // master seed; used only when SeedSet
	SeedSet bool   // whether Seed overrides the scenario's seed
	Workers int    // parallel workers; 0 means GOMAXPROCS
	Period  Period // aggregation period of the series
	Stories int    // how many runs (the first ones) keep their story log
	First   int    // index of the first run (for resuming or sharding); runs First..First+Runs-1

	// Draws, if set, gives each run its own parameter vector (e.g. from a
	// calibration posterior; sim.NewDraws). It must be made for the
	// scenario being run; RunMany applies it to the first scenario only.
	Draws *sim.Draws

	// Progress, if set, is called from the aggregating goroutine after
	// every run with the number of runs done.
	Progress func(done int)
	// OnRun, if set, is called for every run in run order, before it is
	// aggregated. The RunResult is only valid during the call. An error
	// stops the whole job.
	OnRun func(r *RunResult) error
	// Filter, if set, conditions the runs on observations (a particle
	// filter; see Filter). Only Run and RunMany with one scenario accept
	// it. nil runs the unconditioned model.
	Filter *Filter
}

// RunResult is one run reduced to what writers and aggregates need.
type RunResult struct {
	Run               int
	Seed              uint64
	AttacksTotal      float64
	DefectedFighters  float64
	FactionDefections int
	Splits            int
	Merges            int
	Strikes           int
	Operations        int
	TalksRounds       int
	Settlement        sim.Date // 0 if none
	SettlementFailed  sim.Date // 0 if none
	Ceasefires        []sim.CeasefireRecord
	Renewals          []sim.Renewal  // scenario events that extended a ceasefire in force
	Story             []sim.LogEntry // only for story runs

	values  []float64 // [metric*periods + period]
	periods int
}

// Value returns the run's value of metric index k in period i (see Metrics).
func (r *RunResult) Value(k, i int) float64 { return r.values[k*r.periods+i] }

// FirstCeasefire returns the run's first ceasefire of the given origin
// ("event YYYY-MM-DD" or "rule"), or nil if it had none.
func (r *RunResult) FirstCeasefire(origin string) *sim.CeasefireRecord {
	for i := range r.Ceasefires {
		if r.Ceasefires[i].Origin == origin {
			return &r.Ceasefires[i]
		}
	}
	return nil
}

// Periods returns the number of output periods of the run's series.
func (r *RunResult) Periods() int { return r.periods }

// newModel builds a model of sc with the options' parameter draws (for
// the first of paired scenarios only).
func newModel(sc *sim.Scenario, opt Options, j int) (*sim.Model, error) {
	m, err := sim.New(sc)
	if err != nil {
		return nil, err
	}
	if j == 0 && opt.Draws != nil {
		if err := m.UseDraws(opt.Draws); err != nil {
			return nil, fmt.Errorf("posterior draws: %w", err)
		}
	}
	return m, nil
}

// Run simulates sc under opt and returns the aggregates.
func Run(ctx context.Context, sc *sim.Scenario, opt Options) (*Result, error) {
	var onRuns func([]*RunResult) error
	if opt.OnRun != nil {
		onRuns = func(rs []*RunResult) error { return opt.OnRun(rs[0]) }
	}
	res, err := RunMany(ctx, []*sim.Scenario{sc}, opt, onRuns)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// RunMany simulates several scenarios in lockstep: run i of every scenario
// uses the same streams (seed, i, ·) — common random numbers — so their
// differences are the scenarios' effect, not noise. onRuns, if set, gets run
// i of every scenario together, in run order (valid during the call only).
// All scenarios must have the same horizon and step. opt.OnRun is ignored.
func RunMany(ctx context.Context, scs []*sim.Scenario, opt Options, onRuns func([]*RunResult) error) ([]*Result, error) {
	if len(scs) == 0 {
		return nil, fmt.Errorf("mc: no scenario")
	}
	k := len(scs)
	protos := make([]*sim.Model, k)
	for j, sc := range scs {
		m, err := newModel(sc, opt, j)
		if err != nil {
			return nil, err
		}
		if j > 0 && (sc.Start != scs[0].Start || sc.End != scs[0].End || sc.Step != scs[0].Step) {
			return nil, fmt.Errorf("scenario %q runs %s to %s by %s, but %q runs %s to %s by %s: paired runs need the same horizon and step",
				sc.Name, sc.Start, sc.End, sc.Step, scs[0].Name, scs[0].Start, scs[0].End, scs[0].Step)
		}
		protos[j] = m
	}
	if opt.Filter != nil && k > 1 {
		return nil, fmt.Errorf("mc: the filter conditions one scenario at a time; paired runs (%d scenarios) are not filtered", k)
	}
	sc := scs[0]
	runs := opt.Runs
	if runs <= 0 {
		runs = sc.Runs
	}
	seed := sc.Seed
	if opt.SeedSet {
		seed = opt.Seed
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, runs)
	lay := newLayout(protos[0], opt.Period)
	for _, m := range protos {
		lay.recordByPeriod(m)
	}
	aggs := make([]*aggregate, k)
	for j := range scs {
		aggs[j] = newAggregate(scs[j], lay, runs, seed, workers, opt.Period, opt.Stories)
	}
	if opt.Filter != nil {
		res, err := filterRun(ctx, protos[0], sc, opt, runs, seed, workers, lay, aggs[0], onRuns)
		if err != nil {
			return nil, err
		}
		return []*Result{res}, nil
	}

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Bounded reorder window: a worker may run ahead of the aggregator by at
	// most `window` runs, so memory is flat in the number of runs.
	type item struct {
		run int
		rs  []*RunResult
	}
	window := 4 * workers
	free := make(chan *item, window)
	for i := 0; i < window; i++ {
		it := &item{rs: make([]*RunResult, k)}
		for j := range it.rs {
			it.rs[j] = &RunResult{values: make([]float64, len(Metrics)*lay.n), periods: lay.n}
		}
		free <- it
	}
	results := make(chan *item, window)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		models := protos
		if w > 0 {
			models = make([]*sim.Model, k)
			for j := range scs {
				models[j], _ = newModel(scs[j], opt, j) // validated above
				lay.recordByPeriod(models[j])
			}
		}
		wg.Add(1)
		go func(models []*sim.Model) {
			defer wg.Done()
			for {
				var it *item
				select {
				case <-ctx.Done():
					return
				case it = <-free:
				}
				i := int(next.Add(1) - 1)
				if i >= runs {
					free <- it
					return
				}
				run := opt.First + i
				for j, m := range models {
					m.SetLogging(i < opt.Stories)
					lay.reduce(m.Run(seed, run), it.rs[j])
					it.rs[j].Run = run
				}
				it.run = run
				select {
				case results <- it:
				case <-ctx.Done():
					return
				}
			}
		}(models)
	}
	go func() { wg.Wait(); close(results) }()

	pending := make(map[int]*item, window)
	done := 0
	var failed error
	for it := range results {
		if failed != nil {
			continue
		}
		pending[it.run] = it
		for {
			cur, ok := pending[opt.First+done]
			if !ok {
				break
			}
			delete(pending, opt.First+done)
			if onRuns != nil {
				if err := onRuns(cur.rs); err != nil {
					failed = err
					cancel()
					break
				}
			}
			for j := range aggs {
				aggs[j].add(cur.rs[j])
			}
			done++
			free <- cur
			if opt.Progress != nil {
				opt.Progress(done)
			}
		}
	}
	if failed != nil {
		return nil, failed
	}
	// An interrupted job is interrupted even if its last runs raced the
	// cancellation to the finish: callers report interruptions the same way
	// whatever the timing.
	if err := parent.Err(); err != nil {
		return nil, err
	}
	if done < runs {
		return nil, fmt.Errorf("only %d of %d runs completed", done, runs)
	}
	out := make([]*Result, k)
	for j := range aggs {
		out[j] = aggs[j].result()
	}
	return out, nil
}
