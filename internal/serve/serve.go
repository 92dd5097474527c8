// Package serve is the HTTP server behind `parley serve`: a what-if explorer
// in the browser. The page (embedded HTML, CSS and JavaScript, nothing
// fetched from outside) lists the scenarios it was given, generates
// controls from the scenario schema (sim.Param), and asks the server to
// simulate the what-if against the unchanged scenario on common random
// numbers. The server answers with chart data, paired headline effects with
// their confidence intervals, the story of a sample run and the model's
// rules explained with their current values.
//
// The server serves only its embedded assets and the scenarios loaded when
// it started; every simulation is bounded in runs, horizon, concurrency and
// time.
package serve

import (
	"bytes"

	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/parley-sim/parley/internal/palette"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/scenario"
)

//go:embed assets
var assetFS embed.FS

// Limits bound what one request may cost.
type Limits struct {
	MaxRuns        int           // most Monte Carlo runs per request
	MaxHorizonDays int           // longest scenario horizon simulated
	MaxConcurrent  int           // simulations running at once, server-wide
	Timeout        time.Duration // longest a simulation request may take
}

// DefaultLimits are the limits `parley serve` uses.
var DefaultLimits = Limits{MaxRuns: 5000, MaxHorizonDays: 20 * 366, MaxConcurrent: 2, Timeout: 30 * time.Second}

// Source is one scenario the server offers, under a unique name.
type Source struct {
	Name   string           // what the page and the URL call it, e.g. "ttp-2021.toml"
	Loaded *scenario.Loaded // the scenario as loaded at start-up
}

// Server is the what-if explorer. Create it with New; it is an
// http.Handler.
type Server struct {
	srcs   map[string]*Source
	order  []string
	lim    Limits
	sem    chan struct{}
	cache  *baseCache
	recent *recentCache
	mux    *http.ServeMux
	static http.Handler

	closing   chan struct{} // closed by Drain
	drainOnce sync.Once
	waiting   atomic.Int64 // requests waiting for a simulation slot
}

// New returns a server offering srcs (the first is selected by default).
func New(srcs []Source, lim Limits) (*Server, error) {
	if len(srcs) == 0 {
		return nil, errors.New("serve: no scenario to serve")
	}
	if lim.MaxRuns <= 0 || lim.MaxHorizonDays <= 0 || lim.MaxConcurrent <= 0 || lim.Timeout <= 0 {
		return nil, fmt.Errorf("serve: every limit must be positive (got %+v)", lim)
	}
	s := &Server{srcs: map[string]*Source{}, lim: lim, sem: make(chan struct{}, lim.MaxConcurrent), closing: make(chan struct{}), cache: newBaseCache(16), recent: &recentCache{max: 32}}
	for i := range srcs {
		src := srcs[i]
		if _, dup := s.srcs[src.Name]; dup {
			return nil, fmt.Errorf("serve: two scenarios are named %q", src.Name)
		}
		s.srcs[src.Name] = &src
		s.order = append(s.order, src.Name)
	}
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		return nil, fmt.Errorf("serve: assets: %w", err)
	}
	s.static = http.FileServerFS(sub)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", s.static))
	mux.HandleFunc("GET /api/scenarios", s.handleScenarios)
	mux.HandleFunc("GET /api/schema", s.handleSchema)
	mux.HandleFunc("GET /api/whatif", s.handleWhatIf)
	mux.HandleFunc("GET /api/explain", s.handleExplain)
	mux.HandleFunc("GET /api/toml", s.handleTOML)
	mux.HandleFunc("GET /api/csv", s.handleCSV)
	s.mux = mux
	return s, nil
}

// ServeHTTP serves the page, its assets and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
	s.mux.ServeHTTP(w, r)
}

// Warm simulates the baseline of the first scenario in the background, so
// that the page's first what-if only simulates the what-if.
func (s *Server) Warm(ctx context.Context) {
	wi, err := s.parseWhatIf(nil)
	if err != nil {
		return
	}
	go s.baselineFor(ctx, wi)
}

// NewHTTPServer wraps h in an http.Server with the timeouts `parley serve`
// uses.
func NewHTTPServer(addr string, h http.Handler, lim Limits) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      lim.Timeout + 10*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	b, err := assetFS.ReadFile("assets/index.html")
	if err != nil {
		http.Error(w, "missing page", http.StatusInternalServerError)
		return
	}
	// The page's colours come from the same palette as the PNG charts.
	b = bytes.Replace(b, []byte(`<script src="/assets/app.js">`), []byte("<script>"+palette.Script()+"</script>\n<script src=\"/assets/app.js\">"), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// apiError is an error with its HTTP status; its message is shown on the
// page.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

// writeError answers err as JSON {"error": message}: 4xx for the client's
// mistakes, 503 when busy or too slow, 500 otherwise.
func writeError(w http.ResponseWriter, err error) {
	status, msg := http.StatusInternalServerError, err.Error()
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		status = ae.status
	case errors.Is(err, context.DeadlineExceeded):
		status, msg = http.StatusServiceUnavailable, "the simulation took longer than the server allows; try fewer runs"
	case errors.Is(err, context.Canceled):
		status, msg = 499, "request cancelled"
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// scenarioInfo is one entry of /api/scenarios.
type scenarioInfo struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Runs        int    `json:"runs"`
	Seed        uint64 `json:"seed"`
}

func (s *Server) handleScenarios(w http.ResponseWriter, r *http.Request) {
	out := make([]scenarioInfo, 0, len(s.order))
	for _, n := range s.order {
		sc := s.srcs[n].Loaded.Scenario
		out = append(out, scenarioInfo{Name: n, Title: sc.Name, Description: sc.Description, Start: sc.Start.String(),
			End: sc.End.String(), Runs: min(sc.Runs, s.lim.MaxRuns), Seed: sc.Seed})
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": out, "max_runs": s.lim.MaxRuns})
}

// source returns the named scenario, or a 404.
func (s *Server) source(name string) (*Source, error) {
	if name == "" {
		name = s.order[0]
	}
	src, ok := s.srcs[name]
	if !ok {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("no scenario named %q (this server offers: %s)", name, strings.Join(s.order, ", "))}
	}
	return src, nil
}

// Load loads the scenarios named on the command line: files, directories
// (every *.toml in them that loads; the others are reported in skipped) and
// embedded:NAME. With no argument it offers every built-in scenario, the
// reference first.
func Load(args []string) (srcs []Source, skipped []string, err error) {
	add := func(name string, l *scenario.Loaded) {
		n := name
		for k := 2; ; k++ {
			if !hasName(srcs, n) {
				break
			}
			n = fmt.Sprintf("%s~%d", name, k)
		}
		srcs = append(srcs, Source{Name: n, Loaded: l})
	}
	if len(args) == 0 {
		entries, err := fs.ReadDir(scenarios.FS, ".")
		if err != nil {
			return nil, nil, fmt.Errorf("serve: built-in scenarios: %w", err)
		}
		names := []string{scenarios.Default}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".toml") && e.Name() != scenarios.Default {
				names = append(names, e.Name())
			}
		}
		for _, n := range names {
			l, err := scenario.LoadFS(scenarios.FS, n)
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("embedded:%s: %v", n, err))
				continue
			}
			add(n, l)
		}
		return srcs, skipped, nil
	}
	for _, a := range args {
		if n, ok := strings.CutPrefix(a, "embedded:"); ok {
			l, err := scenario.LoadEmbedded(n)
			if err != nil {
				return nil, nil, err
			}
			add(strings.TrimPrefix(l.Path, "embedded:"), l)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("serve: %w", err)
		}
		if !fi.IsDir() {
			l, err := scenario.Load(a)
			if err != nil {
				return nil, nil, err
			}
			add(filepath.Base(a), l)
			continue
		}
		files, err := filepath.Glob(filepath.Join(a, "*.toml"))
		if err != nil {
			return nil, nil, fmt.Errorf("serve: %w", err)
		}
		sort.Strings(files)
		n0 := len(srcs)
		for _, f := range files {
			l, err := scenario.Load(f)
			if err != nil {
				skipped = append(skipped, err.Error())
				continue
			}
			add(filepath.Base(f), l)
		}
		if len(srcs) == n0 {
			return nil, skipped, fmt.Errorf("serve: no valid *.toml scenario in %s", a)
		}
	}
	return srcs, skipped, nil
}

func hasName(srcs []Source, n string) bool {
	for _, s := range srcs {
		if s.Name == n {
			return true
		}
	}
	return false
}
