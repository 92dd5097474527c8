package serve

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// A what-if is encoded in a query string, the same one the page keeps in its
// URL so that a what-if can be shared:
//
//	s=ttp-2021.toml&runs=1000&seed=7&off=2,5&mediator.pressure=0.9
//
// s names the scenario, runs and seed the Monte Carlo job (default: the
// scenario's), off the indices of the scenario events the what-if removes,
// and every other parameter is a scenario key (see sim.Scenario.Params) with
// its new value.

// whatIf is a parsed what-if request.
type whatIf struct {
	src     *Source
	runs    int
	seed    uint64
	sets    [][2]string // key, value, sorted by key
	off     []int       // removed events, ascending
	base    *sim.Scenario
	variant *sim.Scenario
}

// reserved query parameters (not scenario keys).
var reserved = map[string]bool{"s": true, "runs": true, "seed": true, "off": true, "arm": true}

// keyParams are the parameters the page shows first, in this order; faction
// hard-line scores follow them.
var keyParams = []string{
	"mediator.pressure", "mediator.interest", "mediator.bias", "mediator.sanctuary",
	"state.audience_cost", "state.capacity", "state.distraction",
	"rules.state_ends_ceasefire.tolerance", "rules.state_ends_ceasefire.attribution",
	"insurgent.hardline", "insurgent.patience", "insurgent.expect_days",
	"rival.appeal", "rules.mediator_presses.fear_defections", "rules.insurgent_extends.base",
}

// settable reports whether the explorer may change a parameter: numbers and
// switches, but not the horizon, the job (runs, seed have their own inputs),
// names, files or the events (toggled as a whole).
func settable(p sim.Param) bool {
	switch p.Kind {
	case "float", "int", "bool":
	default:
		return false
	}
	return p.Key != "runs" && !strings.HasPrefix(p.Key, "events.")
}

// clone deep-copies a scenario (its slices are the only shared state).
func clone(sc *sim.Scenario) *sim.Scenario {
	c := *sc
	c.Insurgent.Factions = append([]sim.FactionConfig(nil), sc.Insurgent.Factions...)
	c.Insurgent.Demands = append([]sim.DemandConfig(nil), sc.Insurgent.Demands...)
	c.Events = append([]sim.EventConfig(nil), sc.Events...)
	return &c
}

// parseWhatIf reads a what-if from a query string and builds the variant
// scenario. Every mistake is a 400 (404 for an unknown scenario) whose
// message names the key and what is allowed.
func (s *Server) parseWhatIf(q url.Values) (*whatIf, error) {
	for k, v := range q {
		if len(v) > 1 {
			return nil, badRequest("%s is given %d times; give it once", k, len(v))
		}
	}
	src, err := s.source(q.Get("s"))
	if err != nil {
		return nil, err
	}
	base := src.Loaded.Scenario
	if h := int(base.End - base.Start); h > s.lim.MaxHorizonDays {
		return nil, badRequest("scenario %s runs %d days; this server simulates at most %d", src.Name, h, s.lim.MaxHorizonDays)
	}
	w := &whatIf{src: src, runs: min(base.Runs, s.lim.MaxRuns), seed: base.Seed, base: base}
	if v := q.Get("runs"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > s.lim.MaxRuns {
			return nil, badRequest("runs: %q is not allowed (allowed: a whole number from 1 to %d)", v, s.lim.MaxRuns)
		}
		w.runs = n
	}
	if v := q.Get("seed"); v != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, badRequest("seed: %q is not allowed (allowed: a whole number from 0 to %d)", v, uint64(math.MaxUint64))
		}
		w.seed = n
	}
	variant := clone(base)
	if v := strings.TrimSpace(q.Get("off")); v != "" {
		seen := map[int]bool{}
		for _, f := range strings.Split(v, ",") {
			i, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || i < 0 || i >= len(base.Events) {
				return nil, badRequest("off: %q is not an event of %s (allowed: 0 to %d)", f, src.Name, len(base.Events)-1)
			}
			if !seen[i] {
				seen[i] = true
				w.off = append(w.off, i)
			}
		}
		sort.Ints(w.off)
		variant.Events = variant.Events[:0]
		for i, e := range base.Events {
			if !seen[i] {
				variant.Events = append(variant.Events, e)
			}
		}
	}
	params := map[string]sim.Param{}
	for _, p := range base.Params() {
		params[p.Key] = p
	}
	for k, v := range q {
		if reserved[k] {
			continue
		}
		p, ok := params[k]
		if !ok {
			// Let the schema name the closest key.
			if err := variant.Set(k, v[0]); err != nil {
				return nil, badRequest("%s", strings.TrimPrefix(err.Error(), "sim: "))
			}
			return nil, badRequest("%s: not a parameter the explorer can change", k)
		}
		if !settable(p) {
			return nil, badRequest("%s: not a parameter the explorer can change (numbers and switches only; the horizon, runs and seed are fixed)", k)
		}
		if err := variant.Set(k, v[0]); err != nil {
			return nil, badRequest("%s", strings.TrimPrefix(err.Error(), "sim: "))
		}
		w.sets = append(w.sets, [2]string{k, strings.TrimSpace(v[0])})
	}
	sort.Slice(w.sets, func(i, j int) bool { return w.sets[i][0] < w.sets[j][0] })
	if err := variant.Validate(); err != nil {
		var ve *sim.ValidationError
		if errors.As(err, &ve) {
			msgs := make([]string, len(ve.Issues))
			for i, is := range ve.Issues {
				msgs[i] = is.Error()
			}
			return nil, badRequest("the what-if is not a valid scenario: %s", strings.Join(msgs, "; "))
		}
		return nil, badRequest("the what-if is not a valid scenario: %v", err)
	}
	w.variant = variant
	return w, nil
}

// changes describes the what-if in words, one line per change.
func (w *whatIf) changes() []string {
	var out []string
	for _, kv := range w.sets {
		old, _ := w.base.Get(kv[0])
		nv, _ := w.variant.Get(kv[0])
		if fmt.Sprint(old) == fmt.Sprint(nv) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %v → %v", kv[0], old, nv))
	}
	for _, i := range w.off {
		out = append(out, "without event "+eventLabel(i, w.base.Events[i]))
	}
	return out
}

func eventLabel(i int, e sim.EventConfig) string {
	s := fmt.Sprintf("#%d %s %s", i, e.Date, e.Type)
	if e.Target != "" {
		s += " " + e.Target
	}
	if e.Key != "" {
		s += " " + e.Key
	}
	return s
}

// paramInfo is one control of the page.
type paramInfo struct {
	Key       string   `json:"key"`
	Kind      string   `json:"kind"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	SliderMin float64  `json:"slider_min"`
	SliderMax float64  `json:"slider_max"`
	Step      float64  `json:"step"`
	Unit      string   `json:"unit"`
	Doc       string   `json:"doc"`
	Value     any      `json:"value"`
	Key1      bool     `json:"key_param"`
	Group     string   `json:"group"`
}

// eventInfo is one toggle of the page.
type eventInfo struct {
	Index  int     `json:"index"`
	Date   string  `json:"date"`
	Type   string  `json:"type"`
	Target string  `json:"target,omitempty"`
	Key    string  `json:"key,omitempty"`
	Value  float64 `json:"value,omitempty"`
	Days   int     `json:"days,omitempty"`
	Note   string  `json:"note"`
}

// sliderRange picks a slider range that is useful for people: the schema's
// range when it is narrow, otherwise a few times the current value (the
// number box next to the slider still accepts the whole range).
func sliderRange(p sim.Param, v float64) (lo, hi, step float64) {
	lo, hi = p.Min, p.Max
	if !p.HasRange {
		lo, hi = math.Min(0, 2*v), math.Max(1, 2*math.Abs(v))
	}
	if hi-lo > 20 && p.HasRange {
		top := niceCeil(math.Max(4*math.Abs(v), 10*math.Max(math.Abs(lo), 1)))
		hi = math.Min(hi, top)
		if lo < -hi {
			lo = -hi
		}
	}
	step = (hi - lo) / 200
	if p.Kind == "int" {
		step = math.Max(1, math.Round(step))
	} else {
		step = niceStep(step)
	}
	return lo, hi, step
}

func niceCeil(x float64) float64 {
	if x <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*e >= x {
			return m * e
		}
	}
	return 10 * e
}

func niceStep(x float64) float64 {
	if x <= 0 {
		return 0.01
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5} {
		if m*e >= x {
			return m * e
		}
	}
	return 10 * e
}

func groupOf(key string) string {
	parts := strings.Split(key, ".")
	switch {
	case parts[0] == "rules" && len(parts) > 1:
		return "rules · " + strings.ReplaceAll(parts[1], "_", " ")
	case (parts[0] == "insurgent") && len(parts) > 2:
		return "insurgent · " + parts[1] + " · " + parts[2]
	}
	return parts[0]
}

func (s *Server) handleSchema(w http.ResponseWriter, r *http.Request) {
	src, err := s.source(r.URL.Query().Get("s"))
	if err != nil {
		writeError(w, err)
		return
	}
	sc := src.Loaded.Scenario
	isKey := map[string]int{}
	for i, k := range keyParams {
		isKey[k] = i + 1
	}
	var params []paramInfo
	for _, p := range sc.Params() {
		if !settable(p) {
			continue
		}
		pi := paramInfo{Key: p.Key, Kind: p.Kind, Unit: p.Unit, Doc: p.Doc, Value: p.Value, Group: groupOf(p.Key)}
		if v, ok := p.Value.(float64); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			continue
		}
		if p.Kind != "bool" {
			v, _ := sc.Float(p.Key)
			pi.SliderMin, pi.SliderMax, pi.Step = sliderRange(p, v)
			if p.HasRange {
				lo, hi := p.Min, p.Max
				pi.Min, pi.Max = &lo, &hi
			}
		}
		pi.Key1 = isKey[p.Key] > 0 || (strings.HasPrefix(p.Key, "insurgent.factions.") && path.Ext(p.Key) == ".hardline")
		params = append(params, pi)
	}
	// Key parameters first, in the order of keyParams, then faction scores.
	sort.SliceStable(params, func(i, j int) bool {
		ri, rj := rank(params[i], isKey), rank(params[j], isKey)
		return ri < rj
	})
	events := make([]eventInfo, len(sc.Events))
	for i, e := range sc.Events {
		events[i] = eventInfo{Index: i, Date: e.Date.String(), Type: e.Type, Target: e.Target, Key: e.Key, Value: e.Value, Days: e.Days, Note: e.Note}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": src.Name, "title": sc.Name, "description": sc.Description, "start": sc.Start.String(), "end": sc.End.String(),
		"runs": min(sc.Runs, s.lim.MaxRuns), "seed": sc.Seed, "max_runs": s.lim.MaxRuns,
		"params": params, "events": events,
	})
}

func rank(p paramInfo, isKey map[string]int) int {
	if r := isKey[p.Key]; r > 0 {
		return r
	}
	if p.Key1 {
		return len(keyParams) + 1
	}
	return len(keyParams) + 2
}
