package serve

import (
	"encoding/json"
	"github.com/parley-sim/parley/internal/palette"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/scenario"
)

var (
	refOnce sync.Once
	refSrc  []Source
	refErr  error
)

// newTestServer serves the embedded reference scenario.
func newTestServer(t testing.TB) *Server {
	t.Helper()
	refOnce.Do(func() {
		var l *scenario.Loaded
		l, refErr = scenario.LoadFS(scenarios.FS, scenarios.Default)
		refSrc = []Source{{Name: scenarios.Default, Loaded: l}}
	})
	if refErr != nil {
		t.Fatal(refErr)
	}
	s, err := New(refSrc, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	return rec
}

func whatIfOf(t *testing.T, h http.Handler, query string) *whatIfJSON {
	t.Helper()
	rec := get(t, h, "/api/whatif?"+query)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/whatif?%s: %d %s", query, rec.Code, rec.Body.String())
	}
	var out whatIfJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return &out
}

func headlineOf(t *testing.T, r *whatIfJSON, key string) headline {
	t.Helper()
	for _, h := range r.Headline {
		if h.Key == key {
			return h
		}
	}
	t.Fatalf("no headline %q", key)
	return headline{}
}

// An unchanged what-if runs on the baseline's streams, so every paired
// difference is exactly zero and the charts are identical.
func TestIdenticalWhatIfHasZeroEffect(t *testing.T) {
	s := newTestServer(t)
	r := whatIfOf(t, s, "runs=200&seed=11")
	if len(r.Changes) != 0 {
		t.Errorf("changes = %v, want none", r.Changes)
	}
	for _, h := range r.Headline {
		if h.N > 0 && (h.Diff != 0 || h.Lo95 != 0 || h.Hi95 != 0 || h.Base != h.WhatIf) {
			t.Errorf("%s: base %v what-if %v diff %v [%v, %v], want exactly equal", h.Key, h.Base, h.WhatIf, h.Diff, h.Lo95, h.Hi95)
		}
		if h.Better != 0 || h.Worse != 0 {
			t.Errorf("%s: better %v worse %v, want 0", h.Key, h.Better, h.Worse)
		}
	}
	b, _ := json.Marshal(r.Base)
	v, _ := json.Marshal(r.WhatIf)
	if string(b) != string(v) {
		t.Error("baseline and identical what-if charts differ")
	}
	// A second request is served from the baseline cache.
	r2 := whatIfOf(t, s, "runs=200&seed=11")
	if !r2.Timing.BaselineCached {
		t.Error("second request did not reuse the cached baseline")
	}
	if r2.Headline[2].Base != r.Headline[2].Base {
		t.Error("cached baseline differs")
	}
}

// Raising the state's tolerance of violations can only make ceasefires
// last longer; a mediator with no interest at all can only make the state
// sign fewer settlements... The first is checked on paired runs.
func TestMonotoneWhatIfMovesHeadline(t *testing.T) {
	s := newTestServer(t)
	r := whatIfOf(t, s, "runs=300&seed=3&rules.state_ends_ceasefire.tolerance=10000&rules.state_ends_ceasefire.attribution=0")
	h := headlineOf(t, r, "cf_days")
	if !(float64(h.Diff) > 0 && float64(h.Lo95) > 0) {
		t.Errorf("days under ceasefire: diff %v [%v, %v], want a clearly positive effect", h.Diff, h.Lo95, h.Hi95)
	}
	if float64(h.WhatIf) <= float64(h.Base) {
		t.Errorf("days under ceasefire: %v -> %v, want more", h.Base, h.WhatIf)
	}
	if len(r.Changes) != 2 || !strings.Contains(r.Changes[0]+r.Changes[1], "tolerance") {
		t.Errorf("changes = %v", r.Changes)
	}
	// Removing every event of talks and ceasefires: fewer days under ceasefire.
	r = whatIfOf(t, s, "runs=300&seed=3&off=1,2,5,7,8&rules.insurgent_declares_ceasefire.enabled=false")
	h = headlineOf(t, r, "cf_days")
	if !(float64(h.Diff) < 0 && float64(h.Hi95) < 0) {
		t.Errorf("without ceasefire events: diff %v [%v, %v], want a clearly negative effect", h.Diff, h.Lo95, h.Hi95)
	}
}

func TestBadValuesAre400WithMessage(t *testing.T) {
	s := newTestServer(t)
	cases := []struct{ query, want string }{
		{"mediator.pressure=1.5", "mediator.pressure: 1.5 is out of range (allowed: 0 to 1 share)"},
		{"mediator.pressure=lots", `mediator.pressure: "lots" is not a number`},
		{"mediator.presure=0.5", `did you mean "mediator.pressure"`},
		{"runs=0", "runs: \"0\" is not allowed (allowed: a whole number from 1 to 5000)"},
		{"runs=5001", "allowed: a whole number from 1 to 5000"},
		{"seed=-1", "seed:"},
		{"off=99", "off: \"99\" is not an event"},
		{"start=2020-01-01", "start: not a parameter the explorer can change"},
		{"mediator.pressure=0.5&mediator.pressure=0.6", "given 2 times"},
	}
	for _, c := range cases {
		for _, path := range []string{"/api/whatif?", "/api/toml?"} {
			rec := get(t, s, path+c.query)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s%s: status %d, want 400", path, c.query, rec.Code)
				continue
			}
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, c.want) {
				t.Errorf("%s%s: error %q, want it to contain %q", path, c.query, e.Error, c.want)
			}
		}
	}
}

// The downloaded what-if is a scenario the loader accepts, equal to the
// what-if (after the changes) with the chosen runs and seed.
func TestTOMLDownloadRoundTrips(t *testing.T) {
	s := newTestServer(t)
	q := "runs=123&seed=77&mediator.pressure=0.9&insurgent.factions.JuA.hardline=0.3&off=3&rules.faction_splits.enabled=false"
	rec := get(t, s, "/api/toml?"+q)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "ttp-2021-whatif.toml") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	l, err := scenario.Parse("whatif.toml", rec.Body.Bytes(), nil)
	if err != nil {
		t.Fatalf("downloaded TOML does not load: %v\n%s", err, rec.Body.String())
	}
	sc := l.Scenario
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	ref := refSrc[0].Loaded.Scenario
	if sc.Runs != 123 || sc.Seed != 77 || sc.Mediator.Pressure != 0.9 || sc.Rules.FactionSplits.Enabled {
		t.Errorf("runs %d seed %d pressure %v splits %v", sc.Runs, sc.Seed, sc.Mediator.Pressure, sc.Rules.FactionSplits.Enabled)
	}
	if len(sc.Events) != len(ref.Events)-1 || sc.Events[3] != ref.Events[4] {
		t.Errorf("events: %d, want %d without #3", len(sc.Events), len(ref.Events)-1)
	}
	for _, f := range sc.Insurgent.Factions {
		if f.Name == "JuA" && f.Hardline != 0.3 {
			t.Errorf("JuA hardline = %v", f.Hardline)
		}
	}
	// Loading it again and parsing the what-if of the same query agree.
	wi, err := s.parseWhatIf(mustQuery(t, q))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := scenario.Canonical(wi.variant)
	sc.Name, sc.Description, sc.Runs, sc.Seed = wi.variant.Name, wi.variant.Description, wi.variant.Runs, wi.variant.Seed
	sc.Observed = wi.variant.Observed
	got, _ := scenario.Canonical(sc)
	if string(got) != string(want) {
		t.Error("downloaded scenario differs from the what-if")
	}
}

func mustQuery(t *testing.T, q string) url.Values {
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCSVDownloadIsSeriesCSV(t *testing.T) {
	s := newTestServer(t)
	for _, arm := range []string{"", "baseline"} {
		rec := get(t, s, "/api/csv?runs=50&mediator.pressure=0.2&arm="+arm)
		if rec.Code != http.StatusOK {
			t.Fatalf("arm %q: status %d %s", arm, rec.Code, rec.Body.String())
		}
		lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
		if lines[0] != "date,metric,mean,p05,p10,p25,p50,p75,p90,p95" || len(lines) < 100 {
			t.Errorf("arm %q: header %q, %d lines", arm, lines[0], len(lines))
		}
	}
	if rec := get(t, s, "/api/csv?arm=other"); rec.Code != http.StatusBadRequest {
		t.Errorf("arm=other: %d", rec.Code)
	}
}

// Only the embedded assets and the scenarios given are served.
func TestNoTraversal(t *testing.T) {
	s := newTestServer(t)
	for _, p := range []string{
		"/assets/../serve.go", "/assets/..%2fserve.go", "/../../etc/passwd", "/assets/%2e%2e/%2e%2e/go.mod",
		"/serve.go", "/assets/../../../../etc/passwd", "/api/../serve_test.go",
	} {
		rec := get(t, s, p)
		body := rec.Body.String()
		if rec.Code == http.StatusOK || strings.Contains(body, "package serve") || strings.Contains(body, "root:") || strings.Contains(body, "module github.com") {
			t.Errorf("GET %s: %d, body %.60q", p, rec.Code, body)
		}
	}
	for _, q := range []string{"s=../ttp-2021.toml", "s=/etc/passwd", "s=base.toml", "s=..%2F..%2Fgo.mod"} {
		for _, api := range []string{"/api/whatif?", "/api/schema?", "/api/toml?"} {
			rec := get(t, s, api+q)
			if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "no scenario named") {
				t.Errorf("GET %s%s: %d %s", api, q, rec.Code, rec.Body.String())
			}
		}
	}
	rec := get(t, s, "/assets/app.js")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("assets/app.js: %d, CSP %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
	}
}

func TestSchemaAndScenarios(t *testing.T) {
	s := newTestServer(t)
	rec := get(t, s, "/api/schema")
	if rec.Code != http.StatusOK {
		t.Fatal(rec.Code)
	}
	var sch struct {
		Params []paramInfo
		Events []eventInfo
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &sch); err != nil {
		t.Fatal(err)
	}
	if len(sch.Params) < 100 || sch.Params[0].Key != keyParams[0] || !sch.Params[0].Key1 {
		t.Errorf("%d params, first %+v", len(sch.Params), sch.Params[0])
	}
	for _, p := range sch.Params {
		if p.Kind != "bool" && (p.SliderMin >= p.SliderMax || p.Step <= 0 || p.Min != nil && (p.SliderMin < *p.Min || p.SliderMax > *p.Max)) {
			t.Errorf("%s: slider %v..%v step %v, range %v..%v", p.Key, p.SliderMin, p.SliderMax, p.Step, p.Min, p.Max)
		}
		if p.Doc == "" {
			t.Errorf("%s has no doc", p.Key)
		}
	}
	if len(sch.Events) != len(refSrc[0].Loaded.Scenario.Events) {
		t.Errorf("%d events", len(sch.Events))
	}
	rec = get(t, s, "/api/scenarios")
	if !strings.Contains(rec.Body.String(), `"ttp-2021.toml"`) {
		t.Errorf("scenarios: %s", rec.Body.String())
	}
	rec = get(t, s, "/")
	b, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || !strings.Contains(string(b), "<html") {
		t.Errorf("index: %d", rec.Code)
	}
}

func TestLoadArgs(t *testing.T) {
	srcs, skipped, err := Load(nil)
	if err != nil || len(srcs) < 2 || srcs[0].Name != scenarios.Default {
		t.Fatalf("Load(nil): %d sources, skipped %v, err %v", len(srcs), skipped, err)
	}
	if _, _, err := Load([]string{"no/such/file.toml"}); err == nil {
		t.Error("missing file: no error")
	}
	srcs, _, err = Load([]string{"../../sim/scenario/testdata"})
	if err != nil {
		t.Logf("testdata dir: %v", err)
	} else {
		for _, s := range srcs {
			if !strings.HasSuffix(s.Name, ".toml") && !strings.Contains(s.Name, "~") {
				t.Errorf("name %q", s.Name)
			}
		}
	}
}

// Limits: a simulation that outlives the timeout is a 503 with a message,
// and a horizon beyond the limit is a 400.
func TestLimits(t *testing.T) {
	newTestServer(t)
	lim := DefaultLimits
	lim.Timeout = time.Millisecond
	fast, err := New(refSrc, lim)
	if err != nil {
		t.Fatal(err)
	}
	rec := get(t, fast, "/api/whatif?runs=5000&seed=99")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "fewer runs") && !strings.Contains(rec.Body.String(), "busy") {
		t.Errorf("timeout: %d %s", rec.Code, rec.Body.String())
	}
	lim = DefaultLimits
	lim.MaxHorizonDays = 100
	short, err := New(refSrc, lim)
	if err != nil {
		t.Fatal(err)
	}
	rec = get(t, short, "/api/whatif?runs=10")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "at most 100") {
		t.Errorf("horizon: %d %s", rec.Code, rec.Body.String())
	}
	if _, err := New(refSrc, Limits{}); err == nil {
		t.Error("zero limits accepted")
	}
}

// Asking again for a what-if returns the same numbers from the cache.
func TestRecentWhatIfCached(t *testing.T) {
	s := newTestServer(t)
	a := whatIfOf(t, s, "runs=100&seed=5&mediator.pressure=0.7")
	b := whatIfOf(t, s, "seed=5&mediator.pressure=0.7&runs=100")
	if a.Timing.WhatIfCached || !b.Timing.WhatIfCached {
		t.Errorf("cached: first %v, second %v", a.Timing.WhatIfCached, b.Timing.WhatIfCached)
	}
	ja, _ := json.Marshal(a.Headline)
	jb, _ := json.Marshal(b.Headline)
	if string(ja) != string(jb) {
		t.Error("cached what-if differs")
	}
}

// TestPageSharesThePalette: the page gets the phase and group colours of
// the PNG charts (internal/palette), before app.js runs.
func TestPageSharesThePalette(t *testing.T) {
	rec := get(t, newTestServer(t), "/")
	body := rec.Body.String()
	i, j := strings.Index(body, "window.PALETTE"), strings.Index(body, `src="/assets/app.js"`)
	if rec.Code != http.StatusOK || i < 0 || j < 0 || i > j {
		t.Fatalf("GET /: %d; palette at %d, app.js at %d", rec.Code, i, j)
	}
	for name, hex := range palette.Hex {
		if !strings.Contains(body, `"`+name+`":"`+hex+`"`) {
			t.Errorf("page lacks %s = %s", name, hex)
		}
	}
}
