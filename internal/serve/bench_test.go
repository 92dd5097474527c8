package serve

import (
	"fmt"
	"net/http"
	"testing"
)

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
	for i := 0; b.Loop(); i++ {
		rec := get(b, s, fmt.Sprintf("/api/whatif?runs=1000&mediator.pressure=%.4f", 0.5+float64(i%1000)/2500))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}

// BenchmarkServeWhatIfCold is the first request for a scenario, runs and
// seed: the baseline and the what-if, 1,000 runs each.
func BenchmarkServeWhatIfCold(b *testing.B) {
	s := newTestServer(b)
	for i := 0; b.Loop(); i++ {
		rec := get(b, s, fmt.Sprintf("/api/whatif?runs=1000&seed=%d&mediator.pressure=0.8", i))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
	}
}
