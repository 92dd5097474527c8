// Package scenario loads Parley scenarios from TOML: strictly (unknown keys,
// wrong types, out-of-range values and bad references are errors naming the
// file, the line and the key, and saying what is allowed), with `extends`
// inheritance, `--set` overrides and the observations a scenario cites. It
// is the one loader every parley command uses.
package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Loaded is a scenario with where it came from.
type Loaded struct {
	Scenario *sim.Scenario
	Path     string    // the file named by the user, or "embedded:NAME" for a built-in
	Files    []string  // this file, then each file it extends, in order
	Observed *Observed // the observations it names, or nil
	Sets     []string  // --set overrides applied

	src *sources
}

// Observed holds the documented observations a scenario is tied to.
type Observed struct {
	Monthly []MonthObs // from observed.monthly_attacks
	Targets *Targets   // from observed.targets, or nil
}

// MonthObs is one month's documented attack count.
type MonthObs struct {
	Month   sim.Date // first day of the month
	Attacks float64
	Source  string
}

// Problem is one thing wrong with a scenario, located in its file.
type Problem struct {
	File string
	Line int // 0 when the key is not written in any file
	Key  string
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error lists every problem found, one per line.
type Error struct {
	Problems []Problem
	err      error // underlying error, if any
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the underlying decoder or validation error, if any.
func (e *Error) Unwrap() error { return e.err }

// Resolver reads the file named rel, relative to the file from. It returns
// the resolved name (for messages) and the contents.
type Resolver func(from, rel string) (name string, data []byte, err error)

// Load reads a scenario from disk. Every file it reads (the scenario, the
// files it extends, its targets and observations) must be a regular file
// within the size caps MaxFileSize and MaxCSVSize; see readFile.
func Load(file string) (*Loaded, error) {
	data, err := readFile(file, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("cannot read the scenario: %w", err)
	}
	return Parse(file, data, diskResolver)
}

// diskResolver reads files relative to the file that names them; a name
// "embedded:NAME" (and anything such a file names) comes from the scenarios
// built into the binary, so an overlay on disk can extend a built-in.
func diskResolver(from, rel string) (string, []byte, error) {
	if e, ok := strings.CutPrefix(rel, "embedded:"); ok {
		n, err := scenarios.Lookup(e)
		if err != nil {
			return rel, nil, err
		}
		b, err := fs.ReadFile(scenarios.FS, n)
		return "embedded:" + n, b, err
	}
	if e, ok := strings.CutPrefix(from, "embedded:"); ok {
		n := path.Join(path.Dir(e), rel)
		b, err := fs.ReadFile(scenarios.FS, n)
		return "embedded:" + n, b, err
	}
	name := rel
	if !filepath.IsAbs(rel) {
		name = filepath.Join(filepath.Dir(from), rel)
	}
	b, err := readFile(name, maxSize(name))
	return name, b, err
}

// LoadEmbedded reads the built-in scenario name, with or without its
// ".toml" extension ("ttp-2021" or "ttp-2021.toml"). An unknown name is an
// error listing the built-in scenarios. Its Path is "embedded:NAME.toml".
func LoadEmbedded(name string) (*Loaded, error) {
	n, err := scenarios.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("embedded:%s: %w", name, err)
	}
	return LoadFS(scenarios.FS, n)
}

// LoadFS reads a scenario from a file system, e.g. the embedded scenarios.
// Its Path is "embedded:NAME".
func LoadFS(fsys fs.FS, name string) (*Loaded, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("cannot read the scenario: %w", err)
	}
	l, err := Parse(name, data, func(from, rel string) (string, []byte, error) {
		n := path.Join(path.Dir(from), rel)
		b, err := fs.ReadFile(fsys, n)
		return n, b, err
	})
	if err != nil {
		return nil, err
	}
	l.Path = "embedded:" + name
	return l, nil
}

// fileSrc is one file of an extends chain.
type fileSrc struct {
	name    string
	entries []entry
}

// elemSrc says where a list element was written: file and ordinal there.
type elemSrc struct {
	file *fileSrc
	ord  int
}

// sources keeps where every key and list element came from, to put line
// numbers on validation errors.
type sources struct {
	files    []*fileSrc // most derived first
	factions [][]elemSrc
	demands  [][]elemSrc
	events   []elemSrc
}

var scenarioType = reflect.TypeFor[sim.Scenario]()
var dateType = reflect.TypeFor[sim.Date]()

// Parse decodes a scenario named name from data; resolve reads the files it
// extends and the observations it names.
func Parse(name string, data []byte, resolve Resolver) (*Loaded, error) {
	src := &sources{}
	var sc sim.Scenario
	chain, err := decodeChain(name, data, resolve, &sc, src, nil)
	if err != nil {
		return nil, err
	}
	// Events from every file, in date order (stable: file order on ties).
	idx := make([]int, len(sc.Events))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return sc.Events[idx[a]].Date < sc.Events[idx[b]].Date })
	evs := make([]sim.EventConfig, len(idx))
	esrc := make([]elemSrc, len(idx))
	for i, k := range idx {
		evs[i], esrc[i] = sc.Events[k], src.events[k]
	}
	sc.Events, src.events = evs, esrc
	sc.Extends = ""

	l := &Loaded{Scenario: &sc, Path: name, Files: chain, src: src}
	if err := l.validate(); err != nil {
		return nil, err
	}
	if sc.Observed.MonthlyAttacks != "" {
		obs, err := readObserved(chain, sc.Observed.MonthlyAttacks, resolve, src)
		if err != nil {
			return nil, err
		}
		l.Observed = obs
	}
	if sc.Observed.Targets != "" {
		t, err := readTargets(chain, sc.Observed.Targets, resolve, src)
		if err != nil {
			return nil, err
		}
		if l.Observed == nil {
			l.Observed = &Observed{}
		}
		l.Observed.Targets = t
	}
	return l, nil
}

// decodeChain decodes a file and, first, the files it extends, into sc.
// It returns the chain of file names, most derived first.
func decodeChain(name string, data []byte, resolve Resolver, sc *sim.Scenario, src *sources, seen []string) ([]string, error) {
	for _, s := range seen {
		if s == name {
			return nil, &Error{Problems: []Problem{{File: seen[0], Key: "extends", Msg: "extends cycle: " + strings.Join(append(seen, name), " -> ")}}}
		}
	}
	seen = append(seen, name)
	if err := checkUTF8(name, data); err != nil {
		return nil, err
	}
	text := string(data)
	var raw map[string]any
	md, err := toml.Decode(text, &raw)
	if err != nil {
		return nil, decodeError(name, err)
	}
	f := &fileSrc{name: name, entries: scanLines(text)}
	if probs := checkKeys(f, md); len(probs) > 0 {
		return nil, &Error{Problems: probs}
	}
	chain := []string{name}
	if ext, ok := raw["extends"].(string); ok && ext != "" {
		pname, pdata, err := resolve(name, ext)
		if err != nil {
			return nil, &Error{Problems: []Problem{{File: name, Line: f.line([]string{"extends"}), Key: "extends",
				Msg: fmt.Sprintf("cannot read %q: %v", ext, unwrapPath(err))}}, err: err}
		}
		parents, err := decodeChain(pname, pdata, resolve, sc, src, seen)
		if err != nil {
			return nil, err
		}
		chain = append(chain, parents...)
	}
	// This file's plain keys on top of its parents'; lists merge below.
	facs, dems, evs := sc.Insurgent.Factions, sc.Insurgent.Demands, sc.Events
	sc.Insurgent.Factions, sc.Insurgent.Demands, sc.Events = nil, nil, nil
	_, err = toml.Decode(text, sc)
	sc.Insurgent.Factions, sc.Insurgent.Demands, sc.Events = facs, dems, evs
	if err != nil {
		return nil, decodeError(name, err)
	}
	var lists struct {
		Insurgent struct {
			Factions []toml.Primitive `toml:"factions"`
			Demands  []toml.Primitive `toml:"demands"`
		} `toml:"insurgent"`
		Events []toml.Primitive `toml:"events"`
	}
	md2, err := toml.Decode(text, &lists)
	if err != nil {
		return nil, decodeError(name, err)
	}
	var dups []Problem
	for list, prims := range map[string][]toml.Primitive{"factions": lists.Insurgent.Factions, "demands": lists.Insurgent.Demands} {
		seen := map[string]int{}
		for j, p := range prims {
			var nm struct {
				Name string `toml:"name"`
			}
			md2.PrimitiveDecode(p, &nm)
			if k, ok := seen[nm.Name]; ok && nm.Name != "" {
				first := f.line([]string{"insurgent", list, "#" + strconv.Itoa(k), "name"})
				dups = append(dups, Problem{File: name, Line: f.line([]string{"insurgent", list, "#" + strconv.Itoa(j), "name"}),
					Key: "insurgent." + list + "." + nm.Name, Msg: fmt.Sprintf("duplicate name %q (first at line %d); names must be unique", nm.Name, first)})
			}
			seen[nm.Name] = j
		}
	}
	if len(dups) > 0 {
		sort.Slice(dups, func(a, b int) bool { return dups[a].Line < dups[b].Line })
		return nil, &Error{Problems: dups}
	}
	if len(chain) > 1 {
		if probs := checkNew(f, md2, chain[1], lists.Insurgent.Factions, lists.Insurgent.Demands, sc); len(probs) > 0 {
			return nil, &Error{Problems: probs}
		}
	}
	for j, p := range lists.Insurgent.Factions {
		if err := mergeByName(md2, p, &sc.Insurgent.Factions, &src.factions, elemSrc{f, j}); err != nil {
			return nil, decodeError(name, err)
		}
	}
	for j, p := range lists.Insurgent.Demands {
		if err := mergeByName(md2, p, &sc.Insurgent.Demands, &src.demands, elemSrc{f, j}); err != nil {
			return nil, decodeError(name, err)
		}
	}
	for j, p := range lists.Events {
		var e sim.EventConfig
		if err := md2.PrimitiveDecode(p, &e); err != nil {
			return nil, decodeError(name, err)
		}
		sc.Events = append(sc.Events, e)
		src.events = append(src.events, elemSrc{f, j})
	}
	src.files = append([]*fileSrc{f}, src.files...)
	return chain, nil
}

// checkNew checks the factions and demand items of a file that extends
// base: each must name one of the base's (it changes that one) or say
// new = true (it is added). A name that matches none is an error with the
// nearest name, not a silently added faction or item.
func checkNew(f *fileSrc, md toml.MetaData, base string, factions, demands []toml.Primitive, sc *sim.Scenario) []Problem {
	var probs []Problem
	check := func(list, what string, prims []toml.Primitive, have []string) {
		for j, p := range prims {
			var el struct {
				Name string `toml:"name"`
				New  bool   `toml:"new"`
			}
			if md.PrimitiveDecode(p, &el) != nil || el.Name == "" {
				continue // the decoder and validation report these
			}
			known := slices.Contains(have, el.Name)
			path := []string{"insurgent", list, "#" + strconv.Itoa(j)}
			switch {
			case !known && !el.New:
				msg := fmt.Sprintf("%s %q is not in the base scenario (%s)", what, el.Name, path2base(base))
				if s := closest(el.Name, have); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				} else {
					msg += fmt.Sprintf(" (it has %s)", quoteList(have))
				}
				msg += fmt.Sprintf(" To add a new %s, set new = true in its table", what)
				probs = append(probs, Problem{File: f.name, Line: f.line(append(path, "name")), Key: "insurgent." + list + "." + el.Name, Msg: msg})
			case known && el.New:
				probs = append(probs, Problem{File: f.name, Line: f.line(append(path, "new")), Key: "insurgent." + list + "." + el.Name,
					Msg: fmt.Sprintf("new = true, but the base scenario (%s) already has the %s %q; remove new = true to change it", path2base(base), what, el.Name)})
			}
		}
	}
	var names []string
	for _, x := range sc.Insurgent.Factions {
		names = append(names, x.Name)
	}
	check("factions", "faction", factions, names)
	names = nil
	for _, x := range sc.Insurgent.Demands {
		names = append(names, x.Name)
	}
	check("demands", "demand item", demands, names)
	return probs
}

// path2base is the base file's name as messages give it: its base name.
func path2base(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// quoteList quotes names and joins them with commas.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// mergeByName decodes one list element: into the existing element with the
// same name (only the keys it sets), or as a new element.
func mergeByName[T any](md toml.MetaData, p toml.Primitive, list *[]T, srcs *[][]elemSrc, es elemSrc) error {
	var nm struct {
		Name string `toml:"name"`
	}
	if err := md.PrimitiveDecode(p, &nm); err != nil {
		return err
	}
	if nm.Name != "" {
		for i := range *list {
			if reflect.ValueOf((*list)[i]).FieldByName("Name").String() == nm.Name {
				(*srcs)[i] = append((*srcs)[i], es)
				return md.PrimitiveDecode(p, &(*list)[i])
			}
		}
	}
	var v T
	if err := md.PrimitiveDecode(p, &v); err != nil {
		return err
	}
	*list = append(*list, v)
	*srcs = append(*srcs, []elemSrc{es})
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// decodeError turns a decoder error into a located problem.
func decodeError(file string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if msg == "" {
			msg = pe.Error()
		}
		if pe.Usage != "" {
			msg += " (" + strings.TrimSpace(pe.Usage) + ")"
		}
		return &Error{Problems: []Problem{{File: file, Line: pe.Position.Line, Key: pe.LastKey, Msg: msg}}, err: err}
	}
	// Type errors: `toml: line 3 (last key "state.capacity"): incompatible types: …`
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	if m := lineKeyRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Problems: []Problem{{File: file, Line: line, Key: m[2], Msg: m[3]}}, err: err}
	}
	return &Error{Problems: []Problem{{File: file, Msg: msg}}, err: err}
}

var lineKeyRE = regexp.MustCompile(`^line (\d+) \(last key "([^"]*)"\): (.*)$`)

// tagsOf lists a struct type's TOML keys.
func tagsOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if k := strings.Split(t.Field(i).Tag.Get("toml"), ",")[0]; k != "" && k != "-" {
			out = append(out, k)
		}
	}
	return out
}

// checkKeys rejects keys the schema does not have, including keys that
// differ only in case (which the decoder would otherwise accept).
func checkKeys(f *fileSrc, md toml.MetaData) []Problem {
	var probs []Problem
	count := map[string]int{}
	for _, k := range md.Keys() {
		key := k.String()
		n := count[key]
		count[key]++
		t := scenarioType
		for i, seg := range k {
			if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct {
				t = t.Elem()
			}
			if t.Kind() != reflect.Struct || t == dateType {
				probs = append(probs, Problem{File: f.name, Line: f.nthLine(k, n), Key: key,
					Msg: fmt.Sprintf("%s is a value, not a table", strings.Join(k[:i], "."))})
				break
			}
			if seg == "new" && i == 2 && len(k) == 3 && k[0] == "insurgent" && (k[1] == "factions" || k[1] == "demands") {
				break // new = true: an element a file that extends another adds (checkNew)
			}
			field, ok := fieldByTag(t, seg)
			if ok {
				t = field.Type
				continue
			}
			allowed := tagsOf(t)
			msg := "unknown key"
			if s := closest(seg, allowed); s != "" {
				if strings.EqualFold(s, seg) {
					msg = fmt.Sprintf("unknown key (keys are case-sensitive: did you mean %q?)", s)
				} else {
					msg = fmt.Sprintf("unknown key (did you mean %q?)", s)
				}
			}
			prefix := strings.Join(k[:i], ".")
			where := "here"
			if prefix != "" {
				where = "in [" + prefix + "]"
			}
			msg += fmt.Sprintf("; allowed %s: %s", where, strings.Join(allowed, ", "))
			probs = append(probs, Problem{File: f.name, Line: f.nthLine(k, n), Key: key, Msg: msg})
			break
		}
	}
	return probs
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if strings.Split(t.Field(i).Tag.Get("toml"), ",")[0] == tag {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// closest returns the allowed key nearest to k, if it is near enough.
func closest(k string, allowed []string) string { return sim.Closest(k, allowed) }

// stripOrd removes "#k" ordinals from a scanned path.
func stripOrd(p []string) []string {
	var out []string
	for _, s := range p {
		if !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nthLine is the line of the n-th occurrence of key path k (ignoring
// element ordinals), or 0.
func (f *fileSrc) nthLine(k toml.Key, n int) int {
	for _, e := range f.entries {
		if equal(stripOrd(e.path), k) {
			if n == 0 {
				return e.line
			}
			n--
		}
	}
	return 0
}

// line is the line of an exact scanned path (with ordinals), or 0.
func (f *fileSrc) line(p []string) int {
	for _, e := range f.entries {
		if equal(e.path, p) {
			return e.line
		}
	}
	return 0
}

// locate finds the file and line where a validated key is written.
func (l *Loaded) locate(key string) (string, int) {
	src := l.src
	parts := strings.Split(key, ".")
	elem := func(list string, srcs [][]elemSrc, idx int, field []string) (string, int) {
		if idx < 0 || idx >= len(srcs) {
			return src.files[0].name, 0
		}
		cs := srcs[idx]
		for i := len(cs) - 1; i >= 0; i-- {
			p := append(append(strings.Split(list, "."), "#"+strconv.Itoa(cs[i].ord)), field...)
			if ln := cs[i].file.line(p); ln > 0 {
				return cs[i].file.name, ln
			}
		}
		last := cs[len(cs)-1]
		return last.file.name, last.file.line(append(strings.Split(list, "."), "#"+strconv.Itoa(last.ord)))
	}
	switch {
	case len(parts) >= 3 && parts[0] == "insurgent" && (parts[1] == "factions" || parts[1] == "demands"):
		srcs := src.factions
		names := make([]string, len(l.Scenario.Insurgent.Factions))
		for i, f := range l.Scenario.Insurgent.Factions {
			names[i] = f.Name
		}
		if parts[1] == "demands" {
			srcs = src.demands
			names = names[:0]
			for _, d := range l.Scenario.Insurgent.Demands {
				names = append(names, d.Name)
			}
		}
		idx := -1
		for i, n := range names {
			if n == parts[2] {
				idx = i
			}
		}
		if idx < 0 {
			idx, _ = strconv.Atoi(parts[2])
		}
		return elem("insurgent."+parts[1], srcs, idx, parts[3:])
	case len(parts) >= 2 && parts[0] == "events":
		idx, err := strconv.Atoi(parts[1])
		if err != nil || idx >= len(src.events) {
			return src.files[0].name, 0
		}
		es := src.events[idx]
		field := parts[2:]
		p := append([]string{"events", "#" + strconv.Itoa(es.ord)}, field...)
		if ln := es.file.line(p); ln > 0 {
			return es.file.name, ln
		}
		return es.file.name, es.file.line([]string{"events", "#" + strconv.Itoa(es.ord)})
	}
	for _, f := range src.files { // most derived first
		if ln := f.line(parts); ln > 0 {
			return f.name, ln
		}
	}
	return src.files[0].name, 0
}

// eventKey rewrites the key of an event's issue ("events.10.value",
// where 10 is the event's place among the events of every file, in date
// order) into the event's place in the file that wrote it:
// "[[events]] #2 (2022-07-01 press).value" for the second [[events]] table
// of that file. Other keys are returned as they are.
func (l *Loaded) eventKey(key string) string {
	parts := strings.SplitN(key, ".", 3)
	if len(parts) < 2 || parts[0] != "events" {
		return key
	}
	i, err := strconv.Atoi(parts[1])
	if err != nil || i < 0 || i >= len(l.src.events) || i >= len(l.Scenario.Events) {
		return key
	}
	e := l.Scenario.Events[i]
	k := fmt.Sprintf("[[events]] #%d (%s %s)", l.src.events[i].ord+1, e.Date, e.Type)
	if len(parts) == 3 {
		k += "." + parts[2]
	}
	return k
}

// validate runs sim's validation and locates every issue.
func (l *Loaded) validate() error {
	err := l.Scenario.Validate()
	if err == nil {
		return nil
	}
	var ve *sim.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var probs []Problem
	for _, is := range ve.Issues {
		file, line := l.locate(is.Key)
		msg := is.Msg
		if line == 0 {
			msg += " (not set; add it)"
		}
		key := l.eventKey(is.Key)
		for _, s := range l.Sets {
			if k, _, _ := strings.Cut(s, "="); k == is.Key {
				file, line, msg, key = "--set "+s, 0, is.Msg, is.Key
			}
		}
		probs = append(probs, Problem{File: file, Line: line, Key: key, Msg: msg})
	}
	return &Error{Problems: probs, err: err}
}

// ApplySets applies --set key=value overrides and validates again.
func ApplySets(l *Loaded, sets []string) error {
	var probs []Problem
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			probs = append(probs, Problem{File: "--set " + s, Msg: "want key=value, e.g. --set mediator.pressure=0.8"})
			continue
		}
		if err := l.Scenario.Set(strings.TrimSpace(k), v); err != nil {
			probs = append(probs, Problem{File: "--set " + s, Msg: strings.TrimPrefix(err.Error(), "sim: ")})
		}
	}
	if len(probs) > 0 {
		return &Error{Problems: probs}
	}
	l.Sets = append(l.Sets, sets...)
	return l.validate()
}

// Canonical is the deterministic TOML encoding of the effective scenario
// (after extends and --set): what manifests hash and what "download as
// TOML" gives. Parsing it yields the same scenario.
func Canonical(s *sim.Scenario) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# Effective Parley scenario (all files merged, overrides applied).\n")
	if err := toml.NewEncoder(&b).Encode(s); err != nil {
		return nil, fmt.Errorf("scenario: encode: %w", err)
	}
	return b.Bytes(), nil
}

// Hash is the hex SHA-256 of Canonical(s).
func Hash(s *sim.Scenario) string {
	b, err := Canonical(s)
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
