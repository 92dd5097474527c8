package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/parley-sim/parley/sim"
)

// Targets are the documented observations a scenario is calibrated against
// and checked on, read from the TOML file named by observed.targets (format:
// scenarios/history/README.md). Monthly attack counts come from
// observed.monthly_attacks; Targets.Monthly only sets their weight.
type Targets struct {
	Monthly   MonthlyTarget     `toml:"monthly"`
	Ceasefire []CeasefireTarget `toml:"ceasefire"`
	Strength  []StrengthTarget  `toml:"strength"`
	Ordinal   []OrdinalTarget   `toml:"ordinal"`
}

// MonthlyTarget weights the monthly attack counts.
type MonthlyTarget struct {
	Weight float64 `toml:"weight"`
}

// CeasefireTarget is a documented ceasefire: how long it held, who ended it
// and why. Declared matches the ceasefire the scenario declares on that day.
type CeasefireTarget struct {
	ID       string   `toml:"id"`
	Declared sim.Date `toml:"declared"`
	Days     float64  `toml:"days"`     // observed duration; 0 if only MinDays is known
	MinDays  float64  `toml:"min_days"` // censored: held at least this long (data end)
	EndedBy  string   `toml:"ended_by"` // state, insurgent, mediator, or "" if unknown
	Cause    string   `toml:"cause"`    // a rule name (sim.Cause*), optional
	Weight   float64  `toml:"weight"`
	Source   string   `toml:"source"`
	Note     string   `toml:"note"`
}

// StrengthTarget is a documented range of a level metric (e.g. fighters)
// in the month of Date.
type StrengthTarget struct {
	ID     string   `toml:"id"`
	Date   sim.Date `toml:"date"`
	Metric string   `toml:"metric"`
	Low    float64  `toml:"low"`
	High   float64  `toml:"high"`
	Weight float64  `toml:"weight"`
	Source string   `toml:"source"`
	Note   string   `toml:"note"`
}

// OrdinalTarget is a documented ordering: the metric summed over the Lower
// window is below its sum over the Higher window, or its sum over Window
// is at least AtLeast (or at most AtMost).
type OrdinalTarget struct {
	ID      string     `toml:"id"`
	Text    string     `toml:"text"`
	Metric  string     `toml:"metric"`
	Lower   []sim.Date `toml:"lower"`
	Higher  []sim.Date `toml:"higher"`
	Window  []sim.Date `toml:"window"`
	AtLeast float64    `toml:"at_least"`
	AtMost  float64    `toml:"at_most"`
	Weight  float64    `toml:"weight"`
	Source  string     `toml:"source"`
	Note    string     `toml:"note"`
}

// readTargets reads and checks the targets file named by observed.targets.
func readTargets(chain []string, rel string, resolve Resolver, src *sources) (*Targets, error) {
	from := chain[0]
	for _, f := range src.files {
		if f.line([]string{"observed", "targets"}) > 0 {
			from = f.name
			break
		}
	}
	name, data, err := resolve(from, rel)
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: from, Line: lineIn(src, from, "observed", "targets"), Key: "observed.targets",
			Msg: fmt.Sprintf("cannot read %q: %v", rel, unwrapPath(err))}}, err: err}
	}
	return ParseTargets(name, data)
}

// ParseTargets decodes a targets file strictly: unknown keys, missing
// fields and impossible values are errors naming the file, line and key.
func ParseTargets(name string, data []byte) (*Targets, error) {
	if err := checkUTF8(name, data); err != nil {
		return nil, err
	}
	var t Targets
	f := &fileSrc{name: name, entries: scanLines(string(data))}
	md, err := toml.NewDecoder(strings.NewReader(string(data))).Decode(&t)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Problems: []Problem{{File: name, Line: pe.Position.Line, Msg: pe.Message}}, err: err}
		}
		return nil, &Error{Problems: []Problem{{File: name, Msg: err.Error()}}, err: err}
	}
	var probs []Problem
	for _, k := range md.Undecoded() {
		probs = append(probs, Problem{File: name, Line: f.nthLine(k, 0), Key: k.String(),
			Msg: "unknown key; allowed: [monthly] weight; [[ceasefire]] id, declared, days, min_days, ended_by, cause, weight, source, note; [[strength]] id, date, metric, low, high, weight, source, note; [[ordinal]] id, text, metric, lower, higher, window, at_least, at_most, weight, source, note"})
	}
	bad := func(table string, i int, key, msg string) {
		line := f.line([]string{table, "#" + strconv.Itoa(i), key})
		if line == 0 {
			line = f.line([]string{table, "#" + strconv.Itoa(i)})
		}
		k := fmt.Sprintf("%s.%d.%s", table, i+1, key)
		if table == "monthly" {
			line, k = f.line([]string{table, key}), table+"."+key
		}
		probs = append(probs, Problem{File: name, Line: line, Key: k, Msg: msg})
	}
	ids := map[string]bool{}
	id := func(table string, i int, v string) {
		if v == "" {
			bad(table, i, "id", "missing: every target needs an id")
		} else if ids[v] {
			bad(table, i, "id", fmt.Sprintf("duplicate id %q", v))
		}
		ids[v] = true
	}
	weight := func(table string, i int, w float64) {
		if !(w >= 0) || math.IsInf(w, 0) {
			bad(table, i, "weight", "must be a finite number ≥ 0")
		}
	}
	weight("monthly", 0, t.Monthly.Weight)
	for i := range t.Ceasefire {
		c := &t.Ceasefire[i]
		id("ceasefire", i, c.ID)
		weight("ceasefire", i, c.Weight)
		if c.Declared == 0 {
			bad("ceasefire", i, "declared", "missing: the day the ceasefire was declared")
		}
		if (c.Days > 0) == (c.MinDays > 0) {
			bad("ceasefire", i, "days", "give exactly one of days (observed duration, > 0) or min_days (held at least, > 0)")
		}
		switch c.EndedBy {
		case "", "state", "insurgent", "mediator":
		default:
			bad("ceasefire", i, "ended_by", fmt.Sprintf("%q is not allowed (allowed: state, insurgent, mediator)", c.EndedBy))
		}
		switch c.Cause {
		case "", sim.CauseViolations, sim.CauseStateWalkout, sim.CauseUnmet, sim.CauseLapse, sim.CauseMediator, sim.CauseOperation, sim.CauseEvent:
		default:
			bad("ceasefire", i, "cause", fmt.Sprintf("%q is not a cause (allowed: %s, %s, %s, %s, %s, %s, %s)", c.Cause,
				sim.CauseViolations, sim.CauseStateWalkout, sim.CauseUnmet, sim.CauseLapse, sim.CauseMediator, sim.CauseOperation, sim.CauseEvent))
		}
	}
	for i := range t.Strength {
		s := &t.Strength[i]
		id("strength", i, s.ID)
		weight("strength", i, s.Weight)
		if s.Date == 0 {
			bad("strength", i, "date", "missing")
		}
		if !strings.HasPrefix(s.Metric, "fighters_") {
			bad("strength", i, "metric", fmt.Sprintf("%q is not allowed (allowed: fighters_insurgent, fighters_splinter, fighters_rival)", s.Metric))
		}
		if !(s.Low >= 0 && s.High >= s.Low) {
			bad("strength", i, "low", "need 0 ≤ low ≤ high")
		}
	}
	for i := range t.Ordinal {
		o := &t.Ordinal[i]
		id("ordinal", i, o.ID)
		weight("ordinal", i, o.Weight)
		if o.Metric == "" {
			bad("ordinal", i, "metric", "missing (e.g. attacks)")
		}
		pair := len(o.Lower) > 0 || len(o.Higher) > 0
		thresh := len(o.Window) > 0
		switch {
		case pair == thresh:
			bad("ordinal", i, "window", "give either lower and higher (two windows) or window with at_least/at_most")
		case pair && (len(o.Lower) != 2 || len(o.Higher) != 2 || o.Lower[1] < o.Lower[0] || o.Higher[1] < o.Higher[0]):
			bad("ordinal", i, "lower", "lower and higher must each be [first day, last day]")
		case thresh && (len(o.Window) != 2 || o.Window[1] < o.Window[0]):
			bad("ordinal", i, "window", "window must be [first day, last day]")
		case thresh && (o.AtLeast > 0) == (o.AtMost > 0):
			bad("ordinal", i, "at_least", "give exactly one of at_least or at_most (> 0)")
		}
	}
	if len(probs) > 0 {
		return nil, &Error{Problems: probs}
	}
	return &t, nil
}
