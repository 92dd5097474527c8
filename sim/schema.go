package sim

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Param describes one leaf of the scenario schema: its key path, its kind,
// its allowed range and its documentation, all read from struct tags.
//
// Key paths join TOML keys with dots. Elements of the faction and demand
// lists are addressed by name (insurgent.factions.JuA.hardline), events by
// index (events.3.date).
type Param struct {
	Key      string   // e.g. "rules.state_ends_ceasefire.tolerance"
	Kind     string   // "float", "int", "uint", "bool", "string" or "date"
	Min, Max float64  // allowed range (numeric kinds with HasRange)
	HasRange bool     // whether Min and Max apply
	Enum     []string // allowed values of a string, if restricted
	Unit     string   // unit, e.g. "days"
	Doc      string   // one-line description
	Value    any      // current value
}

// Issue is one problem found in a scenario, located by its key path.
type Issue struct {
	Key string // key path, e.g. "insurgent.factions.JuA.hardline"
	Msg string // what is wrong and what is allowed
}

func (i Issue) Error() string {
	if i.Key == "" {
		return i.Msg
	}
	return i.Key + ": " + i.Msg
}

// ValidationError lists every problem found in a scenario.
type ValidationError struct {
	Issues []Issue
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		parts[i] = is.Error()
	}
	return "sim: invalid scenario: " + strings.Join(parts, "; ")
}

var (
	typeDate = reflect.TypeFor[Date]()
)

// walk visits every leaf field of v (a struct) with its key path and tags.
func walk(v reflect.Value, prefix string, visit func(key string, f reflect.StructField, v reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("toml"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		key := name
		if prefix != "" {
			key = prefix + "." + name
		}
		fv := v.Field(i)
		switch {
		case f.Type == typeDate:
			visit(key, f, fv)
		case f.Type.Kind() == reflect.Struct:
			walk(fv, key, visit)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			for j := 0; j < fv.Len(); j++ {
				el := fv.Index(j)
				id := strconv.Itoa(j)
				if nf := el.FieldByName("Name"); nf.IsValid() && nf.Kind() == reflect.String && nf.String() != "" {
					id = nf.String()
				}
				walk(el, key+"."+id, visit)
			}
		default:
			visit(key, f, fv)
		}
	}
}

// tomlFields maps a struct type's toml names to field indices.
var tomlFields sync.Map // reflect.Type → map[string]int

func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := tomlFields.Load(t); ok {
		return m.(map[string]int)
	}
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	tomlFields.Store(t, m)
	return m
}

// descend finds the leaf that walk would visit under key, without walking
// the rest of the struct. A list element is named by its Name when it has
// one, else by its index (as in walk); with duplicate names the last wins.
func descend(v reflect.Value, key string) (reflect.StructField, reflect.Value, bool) {
	for {
		seg, rest, more := strings.Cut(key, ".")
		i, ok := fieldsOf(v.Type())[seg]
		if !ok {
			return reflect.StructField{}, reflect.Value{}, false
		}
		f, fv := v.Type().Field(i), v.Field(i)
		switch {
		case f.Type == typeDate:
		case f.Type.Kind() == reflect.Struct:
			if !more {
				return f, fv, false // a table, not a value
			}
			v, key = fv, rest
			continue
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			if !more {
				return f, fv, false
			}
			id, after, deeper := strings.Cut(rest, ".")
			if !deeper {
				return f, fv, false // an element, not a value
			}
			el := -1
			for j := 0; j < fv.Len(); j++ {
				name := strconv.Itoa(j)
				if nf := fv.Index(j).FieldByName("Name"); nf.IsValid() && nf.Kind() == reflect.String && nf.String() != "" {
					name = nf.String()
				}
				if name == id {
					el = j
				}
			}
			if el < 0 {
				return f, fv, false
			}
			v, key = fv.Index(el), after
			continue
		}
		return f, fv, !more
	}
}

func kindOf(t reflect.Type) string {
	if t == typeDate {
		return "date"
	}
	switch t.Kind() {
	case reflect.Float64:
		return "float"
	case reflect.Int:
		return "int"
	case reflect.Uint64:
		return "uint"
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	}
	return t.Kind().String()
}

func paramOf(key string, f reflect.StructField, v reflect.Value) Param {
	p := Param{Key: key, Kind: kindOf(f.Type), Unit: f.Tag.Get("unit"), Doc: f.Tag.Get("doc"), Value: v.Interface()}
	if lo, hi := f.Tag.Get("min"), f.Tag.Get("max"); lo != "" && hi != "" {
		p.Min, _ = strconv.ParseFloat(lo, 64)
		p.Max, _ = strconv.ParseFloat(hi, 64)
		p.HasRange = true
	}
	if e := f.Tag.Get("enum"); e != "" {
		p.Enum = strings.Split(e, ",")
	}
	return p
}

// Params lists every leaf of the scenario with its current value, in
// declaration order.
func (s *Scenario) Params() []Param {
	var out []Param
	walk(reflect.ValueOf(s).Elem(), "", func(key string, f reflect.StructField, v reflect.Value) {
		out = append(out, paramOf(key, f, v))
	})
	return out
}

// lookup finds the field addressed by key. It descends the struct along
// the key's segments (a table of toml names per struct type, built once);
// only an unknown key walks the whole scenario, to suggest a spelling.
func (s *Scenario) lookup(key string) (reflect.StructField, reflect.Value, error) {
	if f, v, ok := descend(reflect.ValueOf(s).Elem(), key); ok {
		return f, v, nil
	}
	var (
		found bool
		field reflect.StructField
		value reflect.Value
		keys  []string
	)
	walk(reflect.ValueOf(s).Elem(), "", func(k string, f reflect.StructField, v reflect.Value) {
		if k == key {
			found, field, value = true, f, v
		}
		keys = append(keys, k)
	})
	if !found {
		return field, value, fmt.Errorf("sim: unknown key %q%s", key, suggest(key, keys))
	}
	return field, value, nil
}

// suggest names the closest known key, for error messages.
func suggest(key string, keys []string) string {
	if best := Closest(key, keys); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// Closest returns the candidate nearest to key by edit distance, ignoring
// case, when it is near enough to be the likely intended spelling (at most
// a third of the key's length, and at least 2, edits away); else "".
func Closest(key string, candidates []string) string {
	best, bestD := "", 1<<30
	lk := strings.ToLower(key)
	for _, c := range candidates {
		if d := editDistance(lk, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" && bestD <= max(2, len(key)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Get returns the current value of a scenario key.
func (s *Scenario) Get(key string) (any, error) {
	_, v, err := s.lookup(key)
	if err != nil {
		return nil, err
	}
	return v.Interface(), nil
}

// Float returns the value of a numeric scenario key as a float64.
func (s *Scenario) Float(key string) (float64, error) {
	_, v, err := s.lookup(key)
	if err != nil {
		return 0, err
	}
	switch v.Kind() {
	case reflect.Float64:
		return v.Float(), nil
	case reflect.Int, reflect.Int32:
		return float64(v.Int()), nil
	case reflect.Uint64:
		return float64(v.Uint()), nil
	}
	return 0, fmt.Errorf("sim: key %q is not numeric (it is a %s)", key, kindOf(v.Type()))
}

// Set parses value for the key's type and assigns it, checking the key's
// range. It is what `--set key=value` and sweeps use.
func (s *Scenario) Set(key, value string) error {
	f, v, err := s.lookup(key)
	if err != nil {
		return err
	}
	p := paramOf(key, f, v)
	value = strings.TrimSpace(value)
	switch p.Kind {
	case "float":
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Errorf("sim: %s: %q is not a number", key, value)
		}
		if err := checkFloat(p, x); err != nil {
			return fmt.Errorf("sim: %s: %w", key, err)
		}
		v.SetFloat(x)
	case "int":
		x, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("sim: %s: %q is not a whole number", key, value)
		}
		if err := checkFloat(p, float64(x)); err != nil {
			return fmt.Errorf("sim: %s: %w", key, err)
		}
		v.SetInt(int64(x))
	case "uint":
		x, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return fmt.Errorf("sim: %s: %q is not a non-negative whole number", key, value)
		}
		v.SetUint(x)
	case "bool":
		x, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("sim: %s: %q is not true or false", key, value)
		}
		v.SetBool(x)
	case "date":
		d, err := ParseDate(value)
		if err != nil {
			return fmt.Errorf("sim: %s: %w", key, err)
		}
		v.SetInt(int64(d))
	case "string":
		value = strings.Trim(value, `"`)
		if len(p.Enum) > 0 && !contains(p.Enum, value) {
			return fmt.Errorf("sim: %s: %q is not allowed (allowed: %s)", key, value, strings.Join(p.Enum, ", "))
		}
		v.SetString(value)
	default:
		return fmt.Errorf("sim: %s: cannot set a %s", key, p.Kind)
	}
	return nil
}

// SetFloat assigns a numeric key from a float64 (rounding for whole-number
// keys), checking its range.
func (s *Scenario) SetFloat(key string, x float64) error {
	st, err := s.Setter(key)
	if err != nil {
		return err
	}
	return st.Set(s, x)
}

// A Setter assigns one numeric key of a scenario, resolved once
// (Scenario.Setter): a sweep applies each point's values through setters
// instead of looking its keys up point after point. It applies to any
// scenario of the same shape as the one it was resolved on (the same
// factions, demand items and events, in the same order), as a sweep's
// points are.
type Setter struct {
	ref valueRef
	p   Param // the key, its kind and its range
}

// Setter resolves a numeric key for Setter.Set; an unknown or non-numeric
// key is an error.
func (s *Scenario) Setter(key string) (Setter, error) {
	f, v, err := s.lookup(key)
	if err != nil {
		return Setter{}, err
	}
	p := paramOf(key, f, v)
	if p.Kind != "float" && p.Kind != "int" {
		return Setter{}, fmt.Errorf("sim: key %q is not numeric (it is a %s)", key, p.Kind)
	}
	ref, err := resolveRef(s, key)
	if err != nil {
		return Setter{}, err
	}
	p.Value = nil // the value it had when resolved is not the setter's business
	return Setter{ref: ref, p: p}, nil
}

// Key returns the key the setter assigns.
func (st Setter) Key() string { return st.p.Key }

// Set assigns x to the setter's key in sc, rounded for a whole-number key,
// checking its range, as SetFloat does.
func (st Setter) Set(sc *Scenario, x float64) error {
	if st.p.Kind == "int" {
		x = math.Round(x)
	}
	if err := checkFloat(st.p, x); err != nil {
		return fmt.Errorf("sim: %s: %w", st.p.Key, err)
	}
	st.ref.set(sc, x)
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func checkFloat(p Param, x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("%v is not a finite number (allowed: %s)", x, rangeText(p))
	}
	if p.HasRange && (x < p.Min || x > p.Max) {
		return fmt.Errorf("%v is out of range (allowed: %s)", x, rangeText(p))
	}
	return nil
}

func rangeText(p Param) string {
	if !p.HasRange {
		return "any finite number"
	}
	s := fmt.Sprintf("%g to %g", p.Min, p.Max)
	if p.Unit != "" {
		s += " " + p.Unit
	}
	return s
}

// Agents that events and keys may name besides factions and demand items.
var agentNames = []string{"state", "insurgent", "mediator", "rival"}

// Validate checks the whole scenario before the first step: every range,
// every enum, the horizon, unique names, and every event's target and key.
// It returns a *ValidationError listing all problems, or nil.
func (s *Scenario) Validate() error {
	var iss []Issue
	add := func(key, format string, args ...any) {
		iss = append(iss, Issue{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	var path [8]string // deep enough for every key: no allocation on the way down
	checkLeaves(reflect.ValueOf(s).Elem(), path[:0], add)
	if s.End <= s.Start {
		add("end", "end %s must come after start %s", s.End, s.Start)
	}
	if len(s.Insurgent.Factions) == 0 {
		add("insurgent.factions", "at least one faction is needed")
	}
	names := map[string]string{}
	for _, a := range agentNames {
		names[a] = "agent"
	}
	// The keys of names are built only for an error.
	fkey := func(i int) string { return fmt.Sprintf("insurgent.factions.%d.name", i) }
	dkey := func(i int) string { return fmt.Sprintf("insurgent.demands.%d.name", i) }
	for i, f := range s.Insurgent.Factions {
		switch {
		case f.Name == "":
			add(fkey(i), "a faction needs a name")
		case strings.ContainsAny(f.Name, ". =,"):
			add(fkey(i), "faction name %q may not contain dots, spaces, '=' or ','", f.Name)
		case names[f.Name] != "":
			add(fkey(i), "duplicate name %q (already used by %s)", f.Name, names[f.Name])
		default:
			names[f.Name] = "a faction"
		}
	}
	items := map[string]bool{}
	for i, d := range s.Insurgent.Demands {
		switch {
		case d.Name == "":
			add(dkey(i), "a demand item needs a name")
		case strings.ContainsAny(d.Name, ". =,"):
			add(dkey(i), "demand name %q may not contain dots, spaces, '=' or ','", d.Name)
		case items[d.Name] || names[d.Name] != "":
			add(dkey(i), "duplicate name %q", d.Name)
		default:
			items[d.Name] = true
		}
		if d.Batch > d.Units {
			add(fmt.Sprintf("insurgent.demands.%s.batch", d.Name), "batch %d is larger than the item's %d units", d.Batch, d.Units)
		}
	}
	if key, msg := s.checkHawkes(); msg != "" {
		add(key, "%s", msg)
	}
	for i, e := range s.Events {
		if e.Date < s.Start || e.Date > s.End {
			add("events."+strconv.Itoa(i)+".date", "%s is outside the horizon %s to %s", e.Date, s.Start, s.End)
		}
		if field, msg := s.checkEvent(e, names, items); msg != "" {
			key := "events." + strconv.Itoa(i)
			if field != "" {
				key += "." + field
			}
			add(key, "%s", msg)
		}
	}
	if len(iss) == 0 {
		return nil
	}
	return &ValidationError{Issues: iss}
}

// fieldMeta is what Validate needs of a struct field, parsed once per type.
type fieldMeta struct {
	name  string // the TOML key; "" to skip
	kind  int    // leaf kinds below, or metaStruct / metaSlice
	param Param  // Min, Max, HasRange, Enum, Unit (Key and Value unset)
}

const (
	metaOther = iota
	metaFloat
	metaInt
	metaString
	metaStruct
	metaSlice
)

var metaCache sync.Map // reflect.Type → []fieldMeta

func metaOf(t reflect.Type) []fieldMeta {
	if m, ok := metaCache.Load(t); ok {
		return m.([]fieldMeta)
	}
	ms := make([]fieldMeta, t.NumField())
	for i := range ms {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("toml"), ",")[0]
		if name == "-" {
			name = ""
		}
		m := fieldMeta{name: name, param: paramOf("", f, reflect.Zero(f.Type))}
		switch {
		case f.Type == typeDate:
			m.kind = metaOther
		case f.Type.Kind() == reflect.Struct:
			m.kind = metaStruct
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			m.kind = metaSlice
		case f.Type.Kind() == reflect.Float64:
			m.kind = metaFloat
		case f.Type.Kind() == reflect.Int:
			m.kind = metaInt
		case f.Type.Kind() == reflect.String:
			m.kind = metaString
		}
		ms[i] = m
	}
	metaCache.Store(t, ms)
	return ms
}

// checkLeaves checks every range and enum under v, whose key is path (its
// segments), building a key only for a value that fails: Validate runs for
// every model, e.g. every point of a sweep, so it must be cheap.
func checkLeaves(v reflect.Value, path []string, add func(key, format string, args ...any)) {
	key := func(name string) string { return strings.Join(append(path, name), ".") }
	for i, m := range metaOf(v.Type()) {
		if m.name == "" {
			continue
		}
		fv := v.Field(i)
		switch m.kind {
		case metaStruct:
			checkLeaves(fv, append(path, m.name), add)
		case metaSlice:
			name := nameField(fv.Type().Elem()) // an element's key is its name, else its index
			for j := 0; j < fv.Len(); j++ {
				el := fv.Index(j)
				id := strconv.Itoa(j)
				if name >= 0 {
					if n := el.Field(name).String(); n != "" {
						id = n
					}
				}
				checkLeaves(el, append(path, m.name, id), add)
			}
		case metaFloat:
			if x := fv.Float(); math.IsNaN(x) || math.IsInf(x, 0) || m.param.HasRange && (x < m.param.Min || x > m.param.Max) {
				add(key(m.name), "%v", checkFloat(m.param, x))
			}
		case metaInt:
			if x := float64(fv.Int()); m.param.HasRange && (x < m.param.Min || x > m.param.Max) {
				add(key(m.name), "%v", checkFloat(m.param, x))
			}
		case metaString:
			if len(m.param.Enum) > 0 && !contains(m.param.Enum, fv.String()) {
				add(key(m.name), "%q is not allowed (allowed: %s)", fv.String(), strings.Join(m.param.Enum, ", "))
			}
		}
	}
}

// nameField returns the index of struct type t's string field Name, or -1.
func nameField(t reflect.Type) int {
	if f, ok := t.FieldByName("Name"); ok && len(f.Index) == 1 && f.Type.Kind() == reflect.String {
		return f.Index[0]
	}
	return -1
}

// eventTargets says which targets each event type accepts.
var eventTargets = map[string]string{
	"open_talks":        "none",
	"end_talks":         "side",
	"declare_ceasefire": "none",
	"extend_ceasefire":  "none",
	"end_ceasefire":     "side",
	"concede":           "demand",
	"fighters":          "faction|rival",
	"strike":            "none",
	"operation":         "none",
	"leader_killed":     "faction",
	"split":             "faction",
	"merge":             "faction",
	"defect":            "faction",
	"press":             "none",
	"host":              "none",
	"set":               "key",
	"scale":             "key",
}

// checkEvent returns the event's offending field (or "") and what is wrong.
func (s *Scenario) checkEvent(e EventConfig, names map[string]string, items map[string]bool) (string, string) {
	want, ok := eventTargets[e.Type]
	if !ok {
		return "", "" // reported by the enum check
	}
	factions := func() string { // for an error's message
		var b strings.Builder
		for i, f := range s.Insurgent.Factions {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name)
		}
		return b.String()
	}
	switch want {
	case "side":
		if e.Target != "" && e.Target != "state" && e.Target != "insurgent" && e.Target != "mediator" {
			return "target", fmt.Sprintf("target %q: a %s event is made by state, insurgent or mediator", e.Target, e.Type)
		}
	case "demand":
		if !items[e.Target] {
			return "target", fmt.Sprintf("target %q is not a demand item (known: %s)", e.Target, strings.Join(sortedKeys(items), ", "))
		}
		if e.Units <= 0 {
			return "units", "a concede event needs units > 0"
		}
	case "faction":
		if names[e.Target] != "a faction" {
			return "target", fmt.Sprintf("target %q is not a faction (known: %s)", e.Target, factions())
		}
	case "faction|rival":
		if e.Target != "rival" && names[e.Target] != "a faction" {
			return "target", fmt.Sprintf("target %q is not a faction or the rival (known: rival, %s)", e.Target, factions())
		}
	case "key":
		if e.Key == "" {
			return "key", fmt.Sprintf("a %s event needs a key, e.g. key = \"mediator.pressure\"", e.Type)
		}
		if strings.HasPrefix(e.Key, "events.") || !isDynamicKey(e.Key) {
			return "key", fmt.Sprintf("key %q cannot change during a run (allowed: numeric keys of state, insurgent, mediator, rival, attacks, rules, settlement)", e.Key)
		}
		if strings.HasSuffix(e.Key, ".fighters") || strings.HasSuffix(e.Key, ".fulfilment") || strings.HasSuffix(e.Key, ".split") {
			return "key", fmt.Sprintf("key %q is a starting value; use a fighters, concede or split event instead", e.Key)
		}
		f, v, err := s.lookup(e.Key)
		if err != nil {
			return "key", strings.TrimPrefix(err.Error(), "sim: ")
		}
		p := paramOf(e.Key, f, v)
		if p.Kind != "float" && p.Kind != "int" {
			return "key", fmt.Sprintf("key %q is not numeric (it is a %s)", e.Key, p.Kind)
		}
		x := e.Value
		if e.Type == "scale" {
			cur, _ := s.Float(e.Key)
			x = cur * e.Value
		}
		if err := checkFloat(p, x); err != nil {
			return "value", fmt.Sprintf("%s %s: %v", e.Type, e.Key, err)
		}
	}
	if e.Type == "declare_ceasefire" && !e.Indefinite && e.Days <= 0 {
		return "days", "a declare_ceasefire event needs days > 0 or indefinite = true"
	}
	if e.Type == "operation" && e.Days <= 0 {
		return "days", "an operation event needs days > 0"
	}
	if e.Type == "press" && (e.Value < 0 || e.Value > 1) {
		return "value", fmt.Sprintf("a press event's value is the pressure, 0 to 1 (got %g)", e.Value)
	}
	if e.Type == "strike" && (e.Value < 0 || e.Value > 1) {
		return "value", fmt.Sprintf("a strike event's value is the share of fighters killed, 0 to 1 (got %g)", e.Value)
	}
	if e.Type == "leader_killed" && e.Value < 0 {
		return "value", fmt.Sprintf("a leader_killed event's value is the fighters lost, >= 0 (got %g)", e.Value)
	}
	return "", ""
}

func isDynamicKey(key string) bool {
	for _, p := range []string{"state.", "insurgent.", "mediator.", "rival.", "attacks.", "rules.", "settlement."} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Clone returns a deep copy of the scenario, so that one can be changed
// (e.g. by SetFloat) without touching the other.
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Insurgent.Factions = append([]FactionConfig(nil), s.Insurgent.Factions...)
	c.Insurgent.Demands = append([]DemandConfig(nil), s.Insurgent.Demands...)
	c.Events = append([]EventConfig(nil), s.Events...)
	return &c
}
