package serve

import (
	"errors"
	"net/url"
	"testing"
)

// FuzzParseWhatIf: the request parser behind every API call. Whatever a
// client sends, the parser must not panic, and must either accept it (a
// valid variant scenario within the limits) or refuse it with a 4xx and a
// message.
func FuzzParseWhatIf(f *testing.F) {
	s := newTestServer(f)
	for _, q := range []string{"", "s=ttp-2021.toml&runs=1000&seed=7&off=2,5&mediator.pressure=0.9", "runs=0", "runs=99999999999999999999",
		"seed=-1", "seed=0x10", "off=-1", "off=1,1,1", "mediator.pressure=NaN", "s=../../etc/passwd", "runs=1&runs=2",
		"end=2099-01-01", "insurgent.factions.0.hardline=1e309", "%zz", "events.0.date=2022-01-01", "state.capacity=Inf"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // net/http answers such a query string with what it could parse
		}
		w, err := s.parseWhatIf(q)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.status < 400 || ae.status > 499 || ae.msg == "" {
				t.Fatalf("%q: error %v is not a 4xx with a message", raw, err)
			}
			return
		}
		if w.runs < 1 || w.runs > s.lim.MaxRuns {
			t.Fatalf("%q: accepted runs=%d", raw, w.runs)
		}
		if err := w.variant.Validate(); err != nil {
			t.Fatalf("%q: accepted an invalid variant: %v", raw, err)
		}
	})
}
