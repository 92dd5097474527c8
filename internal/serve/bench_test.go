package serve

import (
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user + system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation: on a shared machine it is the
// figure that does not depend on the other processes (wall time on an idle
// machine with W cores is about cpu-ms/op ÷ W).
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkServeWhatIf measures what the page waits for when a control
// moves: 1,000 runs of the reference what-if on the cached baseline's
// streams, the paired headline and the chart JSON, through the handler.
// Every iteration asks for a different what-if, so nothing but the baseline
// is reused.
func BenchmarkServeWhatIf(b *testing.B) {
	s := newTestServer(b)
	if rec := get(b, s, "/api/whatif?runs=1000"); rec.Code != http.StatusOK {
		b.Fatal(rec.Body.String())
	}
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		rec := get(b, s, fmt.Sprintf("/api/whatif?runs=1000&mediator.pressure=%.4f", 0.5+float64(i%1000)/2500))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
	reportCPU(b, c0)
}

// BenchmarkServeWhatIfCold is the first request for a scenario, runs and
// seed: the baseline and the what-if, 1,000 runs each.
func BenchmarkServeWhatIfCold(b *testing.B) {
	s := newTestServer(b)
	c0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		rec := get(b, s, fmt.Sprintf("/api/whatif?runs=1000&seed=%d&mediator.pressure=0.8", i))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
	}
	reportCPU(b, c0)
}
