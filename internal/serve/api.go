package serve

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parley-sim/parley/internal/report"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// nums is a series for the page: NaN becomes null, and numbers keep five
// significant digits, which is all a chart needs.
type nums []float64

// MarshalJSON writes the series as a JSON array.
func (n nums) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 8*len(n)+2)
	b = append(b, '[')
	for i, v := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNum(b, v)
	}
	return append(b, ']'), nil
}

// num is one number for the page (NaN becomes null).
type num float64

// MarshalJSON writes the number, or null for NaN.
func (n num) MarshalJSON() ([]byte, error) { return appendNum(nil, float64(n)), nil }

func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', 5, 64)
}

// band is a series across runs: mean and quantiles per period.
type band struct {
	Mean nums `json:"mean"`
	P10  nums `json:"p10"`
	P25  nums `json:"p25"`
	P50  nums `json:"p50"`
	P75  nums `json:"p75"`
	P90  nums `json:"p90"`
}

func newBand(s *mc.Series) band {
	// mc.Quantiles are 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95.
	return band{Mean: s.Mean, P10: s.Q[1], P25: s.Q[2], P50: s.Q[3], P75: s.Q[4], P90: s.Q[5]}
}

// survival is the Kaplan–Meier curve of one group of ceasefires.
type survival struct {
	Origin string `json:"origin"`
	Label  string `json:"label"`
	Runs   int    `json:"runs"`  // runs with at least one
	Count  int    `json:"count"` // ceasefires
	Median num    `json:"median"`
	Every  int    `json:"every"` // S[i] is the survival at day i*Every
	S      nums   `json:"s"`
	Lo     nums   `json:"lo"`
	Hi     nums   `json:"hi"`
}

// storyEntry is one line of a sample run's story.
type storyEntry struct {
	Date   string `json:"date"`
	Agent  string `json:"agent"`
	Rule   string `json:"rule"`
	Event  string `json:"event"`
	Detail string `json:"detail"`
}

// armJSON is what the page draws for one scenario (baseline or what-if).
type armJSON struct {
	Attacks  band            `json:"attacks"`
	Fighters map[string]band `json:"fighters"`
	Phase    map[string]nums `json:"phase"`
	Survival []survival      `json:"survival"`
	Story    []storyEntry    `json:"story"`
	StoryRun int             `json:"story_run"`
}

// survivalEvery is the resolution, in days, of the survival curves sent to
// the page: plenty for a chart, and a third of the bytes.
const survivalEvery = 2

func every(xs []float64) nums {
	out := make(nums, 0, len(xs)/survivalEvery+1)
	for i := 0; i < len(xs); i += survivalEvery {
		out = append(out, xs[i])
	}
	return out
}

func newArm(r *mc.Result) armJSON {
	a := armJSON{Attacks: newBand(r.SeriesByName("attacks")), Fighters: map[string]band{}, Phase: map[string]nums{}}
	for _, g := range []string{"insurgent", "splinter", "rival"} {
		a.Fighters[g] = newBand(r.SeriesByName("fighters_" + g))
	}
	for _, p := range sim.Phases() {
		a.Phase[p.String()] = r.Phase[p]
	}
	for _, g := range r.Groups {
		a.Survival = append(a.Survival, survival{Origin: g.Origin, Label: report.GroupTitle(&g), Runs: g.Runs, Count: g.Count,
			Median: num(g.Median), Every: survivalEvery, S: every(g.S), Lo: every(g.Lo), Hi: every(g.Hi)})
	}
	if len(r.Stories) > 0 {
		a.StoryRun = r.StoryRuns[0]
		for _, e := range r.Stories[0] {
			a.Story = append(a.Story, storyEntry{Date: e.Date.String(), Agent: e.Agent, Rule: e.Rule, Event: e.Event, Detail: e.Detail})
		}
	}
	return a
}

// headline is one outcome, baseline → what-if, with the paired effect.
type headline struct {
	Key            string `json:"key"`
	Label          string `json:"label"`
	Kind           string `json:"kind"`
	HigherIsBetter bool   `json:"higher_is_better"`
	Base           num    `json:"base"`   // mean over the baseline's runs where it exists
	WhatIf         num    `json:"whatif"` // the same for the what-if
	NBase          int    `json:"n_base"`
	NWhatIf        int    `json:"n_whatif"`
	N              int    `json:"n"`    // runs paired
	Diff           num    `json:"diff"` // mean paired difference, what-if − baseline
	Lo90           num    `json:"lo90"`
	Hi90           num    `json:"hi90"`
	Lo95           num    `json:"lo95"`
	Hi95           num    `json:"hi95"`
	Better         num    `json:"better"` // share of paired runs in which the what-if did better
	Worse          num    `json:"worse"`
}

func meanOf(xs []float64) (float64, int) {
	s, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN(), 0
	}
	return s / float64(n), n
}

func (c *comparison) headlines() []headline {
	out := make([]headline, len(outcomes))
	for i, o := range outcomes {
		ps := c.stats[i].Summary()
		bm, bn := meanOf(c.base.out[i])
		vm, vn := meanOf(c.varOut[i])
		h := headline{Key: o.Key, Label: o.Label, Kind: o.Kind, HigherIsBetter: o.HigherIsBetter,
			Base: num(bm), WhatIf: num(vm), NBase: bn, NWhatIf: vn, N: ps.N, Diff: num(ps.Diff),
			Lo95: num(ps.Lo), Hi95: num(ps.Hi), Lo90: num(ps.Diff - 1.645*ps.SE), Hi90: num(ps.Diff + 1.645*ps.SE),
			Better: num(ps.Better), Worse: num(ps.Worse)}
		if ps.N == 0 {
			h.Better, h.Worse = num(math.NaN()), num(math.NaN())
		}
		out[i] = h
	}
	return out
}

// ruleParam is one parameter of a rule, baseline → what-if.
type ruleParam struct {
	Key     string `json:"key"`
	Short   string `json:"short"`
	Base    string `json:"base"`
	WhatIf  string `json:"whatif"`
	Changed bool   `json:"changed"`
}

// ruleJSON is one rule of the "explain" view, from sim.RuleDocs (the source
// MODEL.md is generated from).
type ruleJSON struct {
	Name    string      `json:"name"`
	Agent   string      `json:"agent"`
	Summary string      `json:"summary"`
	When    string      `json:"when"`
	Formula string      `json:"formula"`
	Effect  string      `json:"effect"`
	Fact    string      `json:"fact"`
	Enabled *bool       `json:"enabled,omitempty"`
	Params  []ruleParam `json:"params"`
	Text    string      `json:"text"` // RuleDoc.Explain with the what-if's values
}

func explain(base, variant *sim.Scenario) []ruleJSON {
	docs := sim.RuleDocs()
	out := make([]ruleJSON, 0, len(docs))
	for _, d := range docs {
		r := ruleJSON{Name: d.Name, Agent: d.Agent, Summary: d.Summary, When: d.When, Formula: d.Formula, Effect: d.Effect,
			Fact: d.Fact, Text: d.Explain(variant)}
		if v, err := variant.Get("rules." + d.Name + ".enabled"); err == nil {
			if b, ok := v.(bool); ok {
				r.Enabled = &b
			}
		}
		for _, k := range d.Params {
			bv, err1 := base.Get(k)
			vv, err2 := variant.Get(k)
			if err1 != nil || err2 != nil {
				continue
			}
			bs, vs := fmt.Sprint(bv), fmt.Sprint(vv)
			r.Params = append(r.Params, ruleParam{Key: k, Short: strings.TrimPrefix(k, "rules."+d.Name+"."), Base: bs, WhatIf: vs, Changed: bs != vs})
		}
		out = append(out, r)
	}
	return out
}

// whatIfJSON is the answer to /api/whatif.
type whatIfJSON struct {
	Scenario string     `json:"scenario"`
	Title    string     `json:"title"`
	Runs     int        `json:"runs"`
	Seed     uint64     `json:"seed"`
	Changes  []string   `json:"changes"`
	Dates    []string   `json:"dates"`
	Full     []bool     `json:"full"`
	Observed nums       `json:"observed,omitempty"` // monthly attacks documented, aligned with dates
	Base     *armJSON   `json:"base"`
	WhatIf   armJSON    `json:"whatif"`
	Headline []headline `json:"headline"`
	Explain  []ruleJSON `json:"explain"`
	Timing   timingJSON `json:"timing"`
	Horizon  int        `json:"horizon_days"`
	Rival    string     `json:"rival"`
	Names    [3]string  `json:"names"` // state, insurgent, mediator
}

type timingJSON struct {
	BaselineCached bool    `json:"baseline_cached"`
	WhatIfCached   bool    `json:"whatif_cached"`
	BaselineMS     float64 `json:"baseline_ms"`
	WhatIfMS       float64 `json:"whatif_ms"`
	TotalMS        float64 `json:"total_ms"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/100) / 10 }

// response builds the page's data for a comparison.
func (c *comparison) response(start time.Time) *whatIfJSON {
	r := c.res
	sc := c.w.variant
	out := &whatIfJSON{Scenario: c.w.src.Name, Title: c.w.base.Name, Runs: c.w.runs, Seed: c.w.seed, Changes: c.w.changes(),
		Full: r.Full, Base: &c.base.arm, WhatIf: newArm(r), Headline: c.headlines(),
		Horizon: int(sc.End - sc.Start), Rival: sc.Rival.Name, Names: [3]string{sc.State.Name, sc.Insurgent.Name, sc.Mediator.Name}}
	if out.Changes == nil {
		out.Changes = []string{}
	}
	out.Dates = make([]string, len(r.Dates))
	for i, d := range r.Dates {
		out.Dates[i] = d.String()
	}
	if obs := c.w.src.Loaded.Observed; obs != nil && r.Period == mc.Month {
		m := map[sim.Date]float64{}
		for _, o := range obs.Monthly {
			m[o.Month] = o.Attacks
		}
		out.Observed = make(nums, len(r.Dates))
		for i, d := range r.Dates {
			if v, ok := m[d]; ok && r.Full[i] {
				out.Observed[i] = v
			} else {
				out.Observed[i] = math.NaN()
			}
		}
	}
	out.Timing = timingJSON{BaselineCached: c.cached, WhatIfCached: c.hit, BaselineMS: ms(c.baseTime), WhatIfMS: ms(c.simTime), TotalMS: ms(time.Since(start))}
	return out
}

func (s *Server) handleWhatIf(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	wi, err := s.parseWhatIf(r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	c, err := s.compare(r.Context(), wi)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c.response(start))
}

// handleExplain answers the "explain" view: every rule of the model with
// its baseline and what-if parameter values.
func (s *Server) handleExplain(w http.ResponseWriter, r *http.Request) {
	wi, err := s.parseWhatIf(r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": explain(wi.base, wi.variant), "changes": wi.changes()})
}

func (s *Server) handleTOML(w http.ResponseWriter, r *http.Request) {
	wi, err := s.parseWhatIf(r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	b, err := wi.download()
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", wi.base.Name+"-whatif.toml"))
	w.Write(b)
}

func (s *Server) handleCSV(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	arm := q.Get("arm")
	if arm != "" && arm != "whatif" && arm != "baseline" {
		writeError(w, badRequest("arm: %q is not allowed (allowed: whatif, baseline)", arm))
		return
	}
	wi, err := s.parseWhatIf(q)
	if err != nil {
		writeError(w, err)
		return
	}
	var res *mc.Result
	name := wi.base.Name + "-whatif-series.csv"
	if arm == "baseline" {
		b, err := s.baselineFor(r.Context(), wi)
		if err != nil {
			writeError(w, err)
			return
		}
		res, name = b.res, wi.base.Name+"-baseline-series.csv"
	} else {
		c, err := s.compare(r.Context(), wi)
		if err != nil {
			writeError(w, err)
			return
		}
		res = c.res
	}
	var buf bytes.Buffer
	if err := report.WriteSeries(&buf, res); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Write(buf.Bytes())
}
