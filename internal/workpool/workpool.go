// Package workpool runs independent tasks on a bounded number of
// goroutines and reports their errors in task order, so what a caller sees
// does not depend on how the tasks were scheduled.
package workpool

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Run calls task(i) for every i in [0, n) on at most workers goroutines
// (fewer than 2: one at a time, in the calling goroutine). Tasks start in
// the order given by start, a permutation of [0, n) (nil: ascending), e.g.
// the longest first, which shortens the whole when the costs are uneven.
//
// The error returned is that of the lowest-numbered task that failed,
// whatever the order tasks started or finished in: once task i has failed,
// tasks numbered above i that have not started are skipped, while every
// task numbered below i still runs. A panic in a task is a failure of that
// task; when the lowest-numbered failure is a panic, Run panics with its
// value in the calling goroutine. Run returns only when every task it
// started has returned.
func Run(n, workers int, start []int, task func(i int) error) error {
	if start != nil && len(start) != n {
		panic(fmt.Sprintf("workpool: %d start positions for %d tasks", len(start), n))
	}
	at := func(k int) int {
		if start == nil {
			return k
		}
		return start[k]
	}
	workers = min(workers, n)
	outcome := make([]error, n)
	var panics sync.Map // task → panic value
	call := func(i int) (err error) {
		defer func() {
			if v := recover(); v != nil {
				panics.Store(i, v)
				err = errPanicked
			}
		}()
		return task(i)
	}
	if workers < 2 {
		// Sequential: stop at the first failure in start order, after
		// running every lower-numbered task (which may fail first).
		failed := n
		for k := range n {
			if i := at(k); i < failed {
				if outcome[i] = call(i); outcome[i] != nil {
					failed = i
				}
			}
		}
	} else {
		var next atomic.Int64
		var failed atomic.Int64 // lowest failed task so far
		failed.Store(int64(n))
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					k := int(next.Add(1) - 1)
					if k >= n {
						return
					}
					i := at(k)
					if int64(i) > failed.Load() {
						continue // a lower-numbered task failed: skip
					}
					if outcome[i] = call(i); outcome[i] != nil {
						for f := failed.Load(); int64(i) < f && !failed.CompareAndSwap(f, int64(i)); f = failed.Load() {
						}
					}
				}
			})
		}
		wg.Wait()
	}
	for i, err := range outcome {
		if err == nil {
			continue
		}
		if v, ok := panics.Load(i); ok {
			panic(v)
		}
		return err
	}
	return nil
}

// errPanicked marks a task that panicked (Run re-panics with its value).
var errPanicked = fmt.Errorf("workpool: task panicked")
