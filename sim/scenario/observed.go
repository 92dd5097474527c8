package scenario

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

// readObserved reads the monthly attack counts named by
// observed.monthly_attacks, relative to the file that names them. The CSV
// needs a header with `month` (YYYY-MM) and `attacks` (blank = not
// documented); `source_url` is kept when present.
func readObserved(chain []string, rel string, resolve Resolver, src *sources) (*Observed, error) {
	from := chain[0]
	for _, f := range src.files {
		if f.line([]string{"observed", "monthly_attacks"}) > 0 {
			from = f.name
			break
		}
	}
	name, data, err := resolve(from, rel)
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: from, Line: lineIn(src, from, "observed", "monthly_attacks"), Key: "observed.monthly_attacks",
			Msg: fmt.Sprintf("cannot read %q: %v", rel, unwrapPath(err))}}, err: err}
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: name, Msg: err.Error()}}, err: err}
	}
	if len(rows) == 0 {
		return nil, &Error{Problems: []Problem{{File: name, Msg: "empty file (want a header with month and attacks)"}}}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	mi, ok1 := col["month"]
	ai, ok2 := col["attacks"]
	if !ok1 || !ok2 {
		return nil, &Error{Problems: []Problem{{File: name, Line: 1, Msg: fmt.Sprintf("header %v lacks month or attacks", rows[0])}}}
	}
	si, hasSrc := col["source_url"]
	obs := &Observed{}
	for i, r := range rows[1:] {
		line := i + 2
		if strings.TrimSpace(r[ai]) == "" {
			continue
		}
		t, err := time.Parse("2006-01", strings.TrimSpace(r[mi]))
		if err != nil {
			return nil, &Error{Problems: []Problem{{File: name, Line: line, Key: "month", Msg: fmt.Sprintf("%q is not a month like 2021-11", r[mi])}}}
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(r[ai]), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) { // also NaN and Inf
			return nil, &Error{Problems: []Problem{{File: name, Line: line, Key: "attacks", Msg: fmt.Sprintf("%q is not a count of attacks", r[ai])}}}
		}
		o := MonthObs{Month: sim.DateOf(t.Year(), t.Month(), 1), Attacks: v}
		if hasSrc {
			o.Source = r[si]
		}
		obs.Monthly = append(obs.Monthly, o)
	}
	return obs, nil
}

func lineIn(src *sources, file string, path ...string) int {
	for _, f := range src.files {
		if f.name == file {
			return f.line(path)
		}
	}
	return 0
}

// MonthCounts returns the observed monthly attacks of the months lying
// wholly inside the horizon of sc and ending on or before until (0 = the
// end of the horizon), as the particle filter takes them (mc.Filter). A
// month the horizon only partly covers is left out: its count would be
// compared with part of a month.
func (o *Observed) MonthCounts(sc *sim.Scenario, until sim.Date) []mc.MonthCount {
	if o == nil {
		return nil
	}
	if until == 0 || until > sc.End {
		until = sc.End
	}
	var out []mc.MonthCount
	for _, m := range o.Monthly {
		end := m.Month.MonthEnd()
		if m.Month < sc.Start || end > until {
			continue
		}
		out = append(out, mc.MonthCount{Month: m.Month, Count: m.Attacks})
	}
	return out
}

// FactProb is the likelihood a documented phase gets in the particle filter
// when a run agrees with it (1 − FactProb when it does not): near 1, but
// soft, so that the filter does not collapse on the few runs that match
// every fact exactly (forecasting.md, "Data assimilation").
const FactProb = 0.99

// PhaseFacts returns what the documented ceasefires (observed.targets) say
// about the phase on days up to until, for the particle filter: a ceasefire
// that held at least N days was in force on day N; one that ended after D
// days was in force on its last day and no longer a day after it. Only days
// inside the scenario's horizon count.
func (o *Observed) PhaseFacts(sc *sim.Scenario, until sim.Date) []mc.PhaseFact {
	if o == nil || o.Targets == nil {
		return nil
	}
	if until == 0 || until > sc.End {
		until = sc.End
	}
	var out []mc.PhaseFact
	add := func(d sim.Date, not bool) {
		if d >= sc.Start && d <= until {
			out = append(out, mc.PhaseFact{Date: d, Phase: sim.Ceasefire, Not: not, Prob: FactProb})
		}
	}
	for _, c := range o.Targets.Ceasefire {
		switch {
		case c.Days > 0:
			end := c.Declared + sim.Date(c.Days)
			add(end-1, false)
			add(end+1, true)
		case c.MinDays > 0:
			add(c.Declared+sim.Date(c.MinDays), false)
		}
	}
	// Several targets may name one day (an extension documented as its own
	// target): keep the first fact of each day and kind.
	seen := map[[2]int64]bool{}
	uniq := out[:0]
	for _, f := range out {
		k := [2]int64{int64(f.Date), int64(b2i(f.Not))}
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, f)
		}
	}
	return uniq
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
