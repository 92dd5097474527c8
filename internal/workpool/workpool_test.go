package workpool

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunAll: every task runs exactly once, whatever the workers and the
// start order, and never on more goroutines than asked.
func TestRunAll(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 4, 16} {
		for _, start := range [][]int{nil, {7, 6, 5, 4, 3, 2, 1, 0}, {3, 0, 7, 1, 6, 2, 5, 4}} {
			var ran [8]atomic.Int32
			var busy, peak atomic.Int32
			err := Run(8, workers, start, func(i int) error {
				b := busy.Add(1)
				for p := peak.Load(); b > p && !peak.CompareAndSwap(p, b); p = peak.Load() {
				}
				time.Sleep(time.Millisecond)
				busy.Add(-1)
				ran[i].Add(1)
				return nil
			})
			if err != nil {
				t.Fatalf("workers %d: %v", workers, err)
			}
			for i := range ran {
				if n := ran[i].Load(); n != 1 {
					t.Errorf("workers %d, start %v: task %d ran %d times", workers, start, i, n)
				}
			}
			if p := peak.Load(); p > int32(max(workers, 1)) {
				t.Errorf("workers %d: %d tasks at once", workers, p)
			}
		}
	}
}

// TestRunFirstErrorByOrder: the error returned is the lowest-numbered
// task's, however long each task takes (so whichever finishes first), and
// every task below it has run.
func TestRunFirstErrorByOrder(t *testing.T) {
	errAt := func(i int) error { return fmt.Errorf("task %d: %w", i, errBoom) }
	for trial := range 50 {
		rng := rand.New(rand.NewPCG(uint64(trial), 1))
		n := 12
		fails := map[int]bool{rng.IntN(n): true, rng.IntN(n): true, rng.IntN(n): true}
		first := n
		for i := range fails {
			first = min(first, i)
		}
		delays := make([]time.Duration, n)
		for i := range delays {
			delays[i] = time.Duration(rng.IntN(2000)) * time.Microsecond
		}
		var start []int
		if trial%2 == 1 {
			start = rng.Perm(n)
		}
		for _, workers := range []int{1, 3, 8} {
			var mu sync.Mutex
			ran := map[int]bool{}
			err := Run(n, workers, start, func(i int) error {
				time.Sleep(delays[i])
				mu.Lock()
				ran[i] = true
				mu.Unlock()
				if fails[i] {
					return errAt(i)
				}
				return nil
			})
			if !errors.Is(err, errBoom) || err.Error() != errAt(first).Error() {
				t.Fatalf("trial %d, workers %d, failing %v: got %v, want %v", trial, workers, fails, err, errAt(first))
			}
			for i := 0; i <= first; i++ {
				if !ran[i] {
					t.Errorf("trial %d, workers %d: task %d below the first failure %d did not run", trial, workers, i, first)
				}
			}
		}
	}
}

var errBoom = errors.New("boom")

// TestRunPanic: a panic in a task reaches the caller (when it is the first
// failure by task order), after every task that started has returned.
func TestRunPanic(t *testing.T) {
	for _, workers := range []int{1, 4} {
		var started, done atomic.Int32
		func() {
			defer func() {
				if v := recover(); v != "bad chart" {
					t.Errorf("workers %d: recovered %v, want the task's panic", workers, v)
				}
				if s, d := started.Load(), done.Load(); s != d {
					t.Errorf("workers %d: %d tasks started, %d returned before Run panicked", workers, s, d)
				}
			}()
			Run(4, workers, nil, func(i int) error {
				started.Add(1)
				defer done.Add(1)
				if i == 1 {
					panic("bad chart")
				}
				if i > 1 && workers == 1 {
					t.Errorf("task %d ran after the panic of task 1 (one worker)", i)
				}
				time.Sleep(5 * time.Millisecond)
				return nil
			})
		}()
	}
}

// TestRunStartLength: a start order of the wrong length is a bug.
func TestRunStartLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a start order of the wrong length")
		}
	}()
	Run(3, 2, []int{0, 1}, func(int) error { return nil })
}
