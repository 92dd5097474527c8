package mc_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"sort"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

func reference(t testing.TB) *sim.Scenario {
	t.Helper()
	var s sim.Scenario
	for _, f := range []string{"../../scenarios/base.toml", "../../scenarios/ttp-2021.toml"} {
		if _, err := toml.DecodeFile(f, &s); err != nil {
			t.Fatal(err)
		}
	}
	return &s
}

func TestHistQuantilesExactForCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var h mc.Hist
	xs := make([]float64, 5001)
	for i := range xs {
		xs[i] = float64(rng.IntN(120))
		h.Add(xs[i])
	}
	sort.Float64s(xs)
	for _, p := range []float64{0.05, 0.1, 0.5, 0.9, 0.95} {
		// Lower empirical quantile: the ceil(p·n)-th smallest value.
		want := xs[int(math.Ceil(p*float64(len(xs))))-1]
		if got := h.Quantile(p); got != want {
			t.Errorf("Quantile(%v) = %v, want %v", p, got, want)
		}
	}
	// Large values: within the bucket's relative width (1/64).
	var g mc.Hist
	for i := 1; i <= 1000; i++ {
		g.Add(float64(i) * 37.3)
	}
	if q := g.Quantile(0.5); math.Abs(q-500*37.3)/(500*37.3) > 1.0/64 {
		t.Errorf("median of large values %v, want ~%v", q, 500*37.3)
	}
	// Shares in [0,1) resolve to 0.001.
	var s mc.Hist
	s.Add(0.25)
	s.Add(0.75)
	if s.Quantile(0.5) != 0.25 || s.Quantile(1) != 0.75 {
		t.Errorf("share quantiles %v %v", s.Quantile(0.5), s.Quantile(1))
	}
	// Merge is the same as adding everything to one histogram.
	var a, b, all mc.Hist
	for i := 0; i < 300; i++ {
		v := rng.Float64() * 5000
		all.Add(v)
		if i%2 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
	}
	a.Merge(&b)
	for _, p := range []float64{0.1, 0.5, 0.9} {
		if a.Quantile(p) != all.Quantile(p) {
			t.Errorf("merged quantile differs at %v", p)
		}
	}
}

// Kaplan–Meier without censoring is the empirical survival function; with
// exponential durations censored at random it recovers the median ln2/λ.
func TestKaplanMeier(t *testing.T) {
	ev := make([]float64, 11)
	for _, d := range []int{1, 2, 2, 5, 10} {
		ev[d]++
	}
	s, _, _ := mc.KaplanMeier(ev, make([]float64, 11))
	for d, want := range map[int]float64{0: 1, 1: 0.8, 2: 0.4, 4: 0.4, 5: 0.2, 10: 0} {
		if math.Abs(s[d]-want) > 1e-12 {
			t.Errorf("S(%d) = %v, want %v", d, s[d], want)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const lambda = 1.0 / 60
	n := 1000
	events, cens := make([]float64, 1001), make([]float64, 1001)
	for i := 0; i < 20000; i++ {
		x := rng.ExpFloat64() / lambda
		c := rng.Float64() * 300
		if x <= c {
			events[min(int(x), n)]++
		} else {
			cens[min(int(c), n)]++
		}
	}
	s, lo, hi := mc.KaplanMeier(events, cens)
	med := 0
	for s[med] > 0.5 {
		med++
	}
	if want := math.Ln2 / lambda; math.Abs(float64(med)-want) > 3 {
		t.Errorf("median %d, want %.1f", med, want)
	}
	if !(lo[60] < s[60] && s[60] < hi[60]) {
		t.Errorf("Greenwood band does not bracket S: %v %v %v", lo[60], s[60], hi[60])
	}
}

// TestDeterministicAcrossWorkers: the same seed gives the same aggregates
// and the same per-run stream, whatever the number of workers.
func TestDeterministicAcrossWorkers(t *testing.T) {
	s := reference(t)
	runs := 200
	if testing.Short() {
		runs = 60
	}
	var results []*mc.Result
	var streams [][]float64
	for _, w := range []int{1, 4} {
		var seen []float64
		res, err := mc.Run(context.Background(), s, mc.Options{Runs: runs, Workers: w, Stories: 2,
			OnRun: func(r *mc.RunResult) error {
				seen = append(seen, float64(r.Run), r.AttacksTotal, r.DefectedFighters, float64(len(r.Ceasefires)))
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		res.Workers = 0
		results = append(results, res)
		streams = append(streams, seen)
	}
	if !reflect.DeepEqual(streams[0], streams[1]) {
		t.Error("per-run results differ between 1 and 4 workers")
	}
	// Printed, so that NaN (a quantile beyond the horizon) equals NaN.
	if a, b := fmt.Sprintf("%+v", *results[0]), fmt.Sprintf("%+v", *results[1]); a != b {
		t.Error("aggregates differ between 1 and 4 workers")
	}
	// And a different seed gives different results.
	res, _ := mc.Run(context.Background(), s, mc.Options{Runs: runs, Seed: 99, SeedSet: true})
	if reflect.DeepEqual(res.Series[0].Mean, results[0].Series[0].Mean) {
		t.Error("a different seed gave identical series")
	}
}

// TestAggregatesAgreeWithRuns: totals in the streamed runs agree with the
// series' means (the same numbers reach runs.csv and series.csv).
func TestAggregatesAgreeWithRuns(t *testing.T) {
	s := reference(t)
	const runs = 100
	var total float64
	res, err := mc.Run(context.Background(), s, mc.Options{Runs: runs, OnRun: func(r *mc.RunResult) error {
		total += r.AttacksTotal
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, v := range res.SeriesByName("attacks").Mean {
		sum += v * runs
	}
	if math.Abs(sum-total) > 1e-6*total {
		t.Errorf("series attacks sum to %v, runs to %v", sum, total)
	}
	for i := range res.Dates {
		tot := 0.0
		for _, ph := range sim.Phases() {
			tot += res.Phase[ph][i]
		}
		if math.Abs(tot-1) > 1e-9 {
			t.Errorf("phase shares of period %d sum to %v", i, tot)
		}
	}
}

func TestCancel(t *testing.T) {
	s := reference(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := mc.Run(ctx, s, mc.Options{Runs: 100000, Progress: func(done int) {
		n = done
		if done == 50 {
			cancel()
		}
	}})
	if err == nil || n >= 100000 {
		t.Fatalf("cancelled run returned %v after %d runs", err, n)
	}
}

// BenchmarkMonteCarlo runs the reference scenario (870 days, daily steps)
// and reports runs per second and the peak heap in use, which must not
// grow with the number of runs.
func BenchmarkMonteCarlo(b *testing.B) {
	s := reference(b)
	for _, runs := range []int{1000, 10000} {
		b.Run(map[int]string{1000: "runs=1000", 10000: "runs=10000"}[runs], func(b *testing.B) {
			var peak uint64
			var ms runtime.MemStats
			for b.Loop() {
				_, err := mc.Run(context.Background(), s, mc.Options{Runs: runs, Progress: func(done int) {
					if done%500 == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(runs)*float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
