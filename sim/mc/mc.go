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
	return 0, fmt.Errorf("mc: period %q is not allowed (allowed: day, week, month)", s)
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

	// Progress, if set, is called from the aggregating goroutine after
	// every run with the number of runs done.
	Progress func(done int)
	// OnRun, if set, is called for every run in run order, before it is
	// aggregated. The RunResult is only valid during the call. An error
	// stops the whole job.
	OnRun func(r *RunResult) error
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
	Story             []sim.LogEntry // only for story runs

	values  []float64 // [metric*periods + period]
	periods int
}

// Value returns the run's value of metric index k in period i (see Metrics).
func (r *RunResult) Value(k, i int) float64 { return r.values[k*r.periods+i] }

// Run simulates sc under opt and returns the aggregates.
func Run(ctx context.Context, sc *sim.Scenario, opt Options) (*Result, error) {
	proto, err := sim.New(sc)
	if err != nil {
		return nil, err
	}
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
	lay := newLayout(proto, opt.Period)
	agg := newAggregate(sc, lay, runs, seed, workers, opt.Period, opt.Stories)

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Bounded reorder window: a worker may run ahead of the aggregator by at
	// most `window` runs, so memory is flat in the number of runs.
	window := 4 * workers
	free := make(chan *RunResult, window)
	for i := 0; i < window; i++ {
		free <- &RunResult{values: make([]float64, len(Metrics)*lay.n), periods: lay.n}
	}
	results := make(chan *RunResult, window)
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		m := proto
		if w > 0 {
			m, _ = sim.New(sc) // validated above
		}
		wg.Add(1)
		go func(m *sim.Model) {
			defer wg.Done()
			for {
				var rr *RunResult
				select {
				case <-ctx.Done():
					return
				case rr = <-free:
				}
				i := int(next.Add(1) - 1)
				if i >= runs {
					free <- rr
					return
				}
				run := opt.First + i
				m.SetLogging(i < opt.Stories)
				rec := m.Run(seed, run)
				lay.reduce(rec, rr)
				rr.Run = run
				select {
				case results <- rr:
				case <-ctx.Done():
					return
				}
			}
		}(m)
	}
	go func() { wg.Wait(); close(results) }()

	pending := make(map[int]*RunResult, window)
	done := 0
	for rr := range results {
		pending[rr.Run] = rr
		for {
			r, ok := pending[opt.First+done]
			if !ok {
				break
			}
			delete(pending, opt.First+done)
			if opt.OnRun != nil {
				if err := opt.OnRun(r); err != nil {
					cancel()
					errc <- err
					break
				}
			}
			agg.add(r)
			done++
			free <- r
			if opt.Progress != nil {
				opt.Progress(done)
			}
		}
		if len(errc) > 0 {
			break
		}
	}
	cancel()
	for range results {
		// drain so workers can exit
	}
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	if err := parent.Err(); done < runs && err != nil {
		return nil, err
	}
	if done < runs {
		return nil, fmt.Errorf("mc: only %d of %d runs completed", done, runs)
	}
	return agg.result(), nil
}
