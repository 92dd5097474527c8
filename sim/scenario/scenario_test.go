package scenario

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-sim/parley/sim"
)

// mapResolver serves files from a map, relative names as given.
func mapResolver(files map[string]string) Resolver {
	return func(from, rel string) (string, []byte, error) {
		s, ok := files[rel]
		if !ok {
			return rel, nil, fmt.Errorf("open %s: %w", rel, os.ErrNotExist)
		}
		return rel, []byte(s), nil
	}
}

func small(t *testing.T) string {
	b, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLoadSmall(t *testing.T) {
	l, err := Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := l.Scenario
	if s.Name != "small" || len(s.Insurgent.Factions) != 2 || s.Insurgent.Factions[1].Name != "Hard" {
		t.Fatalf("decoded %+v", s.Insurgent.Factions)
	}
	// Events come out in date order whatever the file order.
	if s.Events[0].Type != "fighters" || s.Events[1].Type != "open_talks" {
		t.Errorf("events not sorted by date: %v, %v", s.Events[0].Type, s.Events[1].Type)
	}
	if l.Observed == nil || len(l.Observed.Monthly) != 2 || l.Observed.Monthly[1].Attacks != 12 ||
		l.Observed.Monthly[1].Month != sim.DateOf(2022, 3, 1) || l.Observed.Monthly[0].Source != "https://example.org/a" {
		t.Errorf("observed = %+v", l.Observed)
	}
}

// TestBadScenarios is the table of mistakes and the error each gets: the
// file, the line, the key, and a phrase saying what is wrong.
func TestBadScenarios(t *testing.T) {
	base := small(t)
	child := func(body string) string { return "extends = \"small.toml\"\n" + body }
	cases := []struct {
		name, file string
		files      map[string]string
		wantFile   string
		wantLine   int
		wantKey    string
		wantMsg    string
	}{
		{"unknown top-level key", "c.toml", map[string]string{"c.toml": child("colour = \"red\"\n")}, "c.toml", 2, "colour", "unknown key"},
		{"misspelt nested key", "c.toml", map[string]string{"c.toml": child("[rules.state_ends_ceasefire]\ntolerence = 3\n")}, "c.toml", 3, "rules.state_ends_ceasefire.tolerence", `did you mean "tolerance"`},
		{"wrong case", "c.toml", map[string]string{"c.toml": child("SEED = 9\n")}, "c.toml", 2, "SEED", "case-sensitive"},
		{"string for a number", "c.toml", map[string]string{"c.toml": child("[state]\ncapacity = \"high\"\n")}, "c.toml", 3, "state.capacity", "incompatible types"},
		{"probability out of range", "c.toml", map[string]string{"c.toml": child("[mediator]\npressure = 1.5\n")}, "c.toml", 3, "mediator.pressure", "out of range (allowed: 0 to 1"},
		{"NaN", "c.toml", map[string]string{"c.toml": child("[state]\ncapacity = nan\n")}, "c.toml", 3, "state.capacity", "not a finite number"},
		{"infinity", "c.toml", map[string]string{"c.toml": child("[attacks]\nbackground = inf\n")}, "c.toml", 3, "attacks.background", "not a finite number"},
		{"event outside horizon", "c.toml", map[string]string{"c.toml": child("[[events]]\ndate = 2030-01-01\ntype = \"open_talks\"\n")}, "c.toml", 3, "[[events]] #1 (2030-01-01 open_talks).date", "outside the horizon"},
		{"second event of the file", "c.toml", map[string]string{"c.toml": child("[[events]]\ndate = 2022-01-10\ntype = \"press\"\nvalue = 0.5\n\n[[events]]\ndate = 2022-02-01\ntype = \"press\"\nvalue = 7\n")}, "c.toml", 10, "[[events]] #2 (2022-02-01 press).value", "got 7"},
		{"duplicate faction", "c.toml", map[string]string{"c.toml": child("[[insurgent.factions]]\nname = \"Extra\"\nnew = true\n[[insurgent.factions]]\nname = \"Extra\"\nnew = true\n")}, "c.toml", 6, "insurgent.factions.Extra", "duplicate name \"Extra\" (first at line 3)"},
		{"faction not in the base", "c.toml", map[string]string{"c.toml": child("[[insurgent.factions]]\nname = \"Hardd\"\nhardline = 0.9\n")}, "c.toml", 3, "insurgent.factions.Hardd",
			`faction "Hardd" is not in the base scenario (small.toml); did you mean "Hard"? To add a new faction, set new = true`},
		{"faction near no name of the base", "c.toml", map[string]string{"c.toml": child("[[insurgent.factions]]\nname = \"Zzzzzzzz\"\n")}, "c.toml", 3, "insurgent.factions.Zzzzzzzz",
			`is not in the base scenario (small.toml) (it has "Core", "Hard")`},
		{"new = true for a base faction", "c.toml", map[string]string{"c.toml": child("[[insurgent.factions]]\nname = \"Hard\"\nnew = true\n")}, "c.toml", 4, "insurgent.factions.Hard", "already has the faction \"Hard\""},
		{"demand item not in the base", "c.toml", map[string]string{"c.toml": child("[[insurgent.demands]]\nname = \"itme\"\nweight = 2\n")}, "c.toml", 3, "insurgent.demands.itme", `did you mean "item"? To add a new demand item, set new = true`},
		{"new in a table that has no such key", "c.toml", map[string]string{"c.toml": child("[state]\nnew = true\n")}, "c.toml", 3, "state.new", "unknown key"},
		{"event names unknown faction", "c.toml", map[string]string{"c.toml": child("[[events]]\ndate = 2022-03-01\ntype = \"split\"\ntarget = \"Nobody\"\n")}, "c.toml", 5, "[[events]] #1 (2022-03-01 split).target", "is not a faction"},
		{"set event with unknown key", "c.toml", map[string]string{"c.toml": child("[[events]]\ndate = 2022-03-01\ntype = \"set\"\nkey = \"mediator.presure\"\nvalue = 1\n")}, "c.toml", 5, "[[events]] #1 (2022-03-01 set).key", `did you mean "mediator.pressure"`},
		{"enum violation", "c.toml", map[string]string{"c.toml": child("step = \"hour\"\n")}, "c.toml", 2, "step", "allowed: day, week"},
		{"end before start", "c.toml", map[string]string{"c.toml": child("end = 2021-01-01\n")}, "c.toml", 2, "end", "must come after start"},
		{"batch larger than units", "c.toml", map[string]string{"c.toml": child("[[insurgent.demands]]\nname = \"item\"\nbatch = 50\n")}, "c.toml", 4, "insurgent.demands.item.batch", "larger than"},
		{"extends cycle", "a.toml", map[string]string{"a.toml": "extends = \"b.toml\"\n", "b.toml": "extends = \"a.toml\"\n"}, "a.toml", 0, "extends", "a.toml -> b.toml -> a.toml"},
		{"extends missing file", "c.toml", map[string]string{"c.toml": "name = \"c\"\nextends = \"nope.toml\"\n"}, "c.toml", 2, "extends", "cannot read"},
		{"syntax error", "c.toml", map[string]string{"c.toml": child("[state\ncapacity = 1\n")}, "c.toml", 3, "", "expected"},
		{"date-time for a date", "c.toml", map[string]string{"c.toml": child("start = 2022-01-01T10:00:00Z\n")}, "c.toml", 2, "start", "date-time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"small.toml": base, "obs.csv": "month,attacks\n"}
			for k, v := range c.files {
				files[k] = v
			}
			_, err := Parse(c.file, []byte(files[c.file]), mapResolver(files))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			for _, p := range e.Problems {
				if p.File == c.wantFile && (c.wantLine == 0 || p.Line == c.wantLine) && p.Key == c.wantKey && strings.Contains(p.String(), c.wantMsg) {
					return
				}
			}
			t.Errorf("no problem %s:%d: %s: …%s…; got:\n%v", c.wantFile, c.wantLine, c.wantKey, c.wantMsg, err)
		})
	}
}

// TestExtendsMerges: a child overrides one faction field by name, adds a
// faction and an event; everything else is inherited.
func TestExtendsMerges(t *testing.T) {
	files := map[string]string{"small.toml": small(t), "obs.csv": "month,attacks\n", "child.toml": `extends = "small.toml"
name = "child"

[mediator]
pressure = 0.9

[[insurgent.factions]]
name = "Hard"
hardline = 0.95

[[insurgent.factions]]
name = "New"
new = true
fighters = 50
hardline = 0.6
loyalty = 0.5
attack_rate = 0.1

[[events]]
date = 2022-01-10
type = "press"
value = 0.8
`}
	l, err := Parse("child.toml", []byte(files["child.toml"]), mapResolver(files))
	if err != nil {
		t.Fatal(err)
	}
	s := l.Scenario
	hard := s.Insurgent.Factions[1]
	if hard.Hardline != 0.95 || hard.Fighters != 500 || hard.Loyalty != 1 || hard.AttackRate != 0.5 {
		t.Errorf("Hard merged wrong: %+v", hard)
	}
	if len(s.Insurgent.Factions) != 3 || s.Insurgent.Factions[2].Name != "New" {
		t.Errorf("factions %v", s.Insurgent.Factions)
	}
	if s.Mediator.Pressure != 0.9 || s.Mediator.Sanctuary != 0.5 || s.Name != "child" || s.Seed != 7 {
		t.Errorf("plain keys merged wrong: %+v %v %v", s.Mediator, s.Name, s.Seed)
	}
	var types []string
	for _, e := range s.Events {
		types = append(types, e.Type)
	}
	if strings.Join(types, ",") != "press,fighters,open_talks" {
		t.Errorf("events %v, want press,fighters,open_talks (by date)", types)
	}
	if !reflect.DeepEqual(l.Files, []string{"child.toml", "small.toml"}) {
		t.Errorf("files %v", l.Files)
	}
}

func TestApplySets(t *testing.T) {
	l, err := Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := ApplySets(l, []string{"insurgent.factions.Hard.hardline=0.9", "runs=5"}); err != nil {
		t.Fatal(err)
	}
	if l.Scenario.Insurgent.Factions[1].Hardline != 0.9 || l.Scenario.Runs != 5 {
		t.Error("sets not applied")
	}
	for set, want := range map[string]string{
		"mediator.pressure=2":  "--set mediator.pressure=2: mediator.pressure: 2 is out of range",
		"mediator.presure=0.1": `did you mean "mediator.pressure"`,
		"nokey":                "want key=value",
		"end=2021-01-01":       "--set end=2021-01-01: end: end 2021-01-01 must come after start",
	} {
		l, _ := Load("testdata/small.toml")
		err := ApplySets(l, []string{set})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ApplySets(%q) = %v, want …%s…", set, err, want)
		}
	}
}

// TestCanonicalRoundTrip: the canonical encoding parses back to the same
// scenario and hash; changing one value changes the hash.
func TestCanonicalRoundTrip(t *testing.T) {
	l, err := Load("../../scenarios/ttp-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Canonical(l.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"history/picss_monthly.csv": "month,attacks\n", "history/targets.toml": "[monthly]\nweight = 1\n"}
	back, err := Parse("canon.toml", b, mapResolver(files))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if !reflect.DeepEqual(back.Scenario, l.Scenario) {
		t.Error("canonical form does not parse back to the same scenario")
	}
	if Hash(back.Scenario) != Hash(l.Scenario) || len(Hash(l.Scenario)) != 64 {
		t.Error("hash differs after a round trip")
	}
	l.Scenario.Mediator.Pressure += 0.01
	if Hash(back.Scenario) == Hash(l.Scenario) {
		t.Error("hash did not change with a parameter")
	}
}

// TestDatesIgnoreTimeZone: dates decode as calendar dates whatever TZ is.
func TestDatesIgnoreTimeZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	var got []sim.Date
	for _, tz := range []string{"UTC", "Pacific/Kiritimati", "America/Adak"} {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			t.Skipf("no tzdata: %v", err)
		}
		time.Local = loc
		l, err := Load("testdata/small.toml")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Scenario.Start, l.Scenario.Events[0].Date)
	}
	for i := 2; i < len(got); i++ {
		if got[i] != got[i%2] {
			t.Errorf("dates depend on the time zone: %v", got)
		}
	}
	if got[0] != sim.DateOf(2022, 1, 1) {
		t.Errorf("start = %v", got[0])
	}
}

func TestScanLines(t *testing.T) {
	src := "a = 1 # c\n[t]\nb.c = \"x = y\"\nm = \"\"\"\nq = 2\n\"\"\"\narr = [\n 1,\n]\n[[l]]\nk = 1\n[[l]]\nk = 2\n"
	var got []string
	for _, e := range scanLines(src) {
		got = append(got, fmt.Sprintf("%s@%d", strings.Join(e.path, "."), e.line))
	}
	want := "a@1 t@2 t.b.c@3 t.m@4 t.arr@7 l.#0@10 l.#0.k@11 l.#1@12 l.#1.k@13"
	if strings.Join(got, " ") != want {
		t.Errorf("scanLines:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(small(&testing.T{}))
	f.Add("extends = \"x\"\n[[events]]\ndate=2022-01-01")
	f.Add("[state\n")
	f.Fuzz(func(t *testing.T, s string) {
		Parse("f.toml", []byte(s), mapResolver(map[string]string{})) // must not panic
	})
}

func ExampleParse() {
	src := `extends = "testdata/small.toml"
[mediator]
pressure = 1.3
`
	_, err := Parse("whatif.toml", []byte(src), func(from, rel string) (string, []byte, error) {
		b, err := os.ReadFile(rel)
		return rel, b, err
	})
	fmt.Println(err)
	// Output: whatif.toml:3: mediator.pressure: 1.3 is out of range (allowed: 0 to 1 share)
}

// TestBadTargets: a targets file is as strict as a scenario: each mistake
// names the file, the line and the key.
func TestBadTargets(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-09\ndays = 30\nendedby = \"state\"\n", "t.toml:5: ceasefire.endedby: unknown key"},
		{"[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-09\ndays = 30\nended_by = \"rival\"\n", `t.toml:5: ceasefire.1.ended_by: "rival" is not allowed (allowed: state, insurgent, mediator)`},
		{"[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-09\n", "ceasefire.1.days: give exactly one of days"},
		{"[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-09\ndays = 3\n[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-10\ndays = 3\n", `t.toml:6: ceasefire.2.id: duplicate id "A"`},
		{"[[strength]]\nid = \"S\"\ndate = 2022-01-01\nmetric = \"attacks\"\nlow = 1\nhigh = 2\n", `t.toml:4: strength.1.metric: "attacks" is not allowed`},
		{"[[strength]]\nid = \"S\"\ndate = 2022-01-01\nmetric = \"fighters_rival\"\nlow = 5\nhigh = 2\n", "strength.1.low: need 0 ≤ low ≤ high"},
		{"[[ordinal]]\nid = \"O\"\nmetric = \"attacks\"\nwindow = [2022-01-01, 2022-02-01]\n", "ordinal.1.at_least: give exactly one of at_least or at_most"},
		{"[[ordinal]]\nid = \"O\"\nmetric = \"attacks\"\nlower = [2022-01-01]\nhigher = [2022-01-01, 2022-02-01]\n", "ordinal.1.lower: lower and higher must each be [first day, last day]"},
		{"[monthly]\nweight = -1\n", "t.toml:2: monthly.weight: must be a finite number ≥ 0"},
		{"[monthly\n", "t.toml:2: expected"},
	} {
		_, err := ParseTargets("t.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant …%s…", c.src, err, c.want)
		}
	}
	if _, err := ParseTargets("ok.toml", []byte("[[ceasefire]]\nid = \"A\"\ndeclared = 2021-11-09\nmin_days = 30\n")); err != nil {
		t.Errorf("valid targets: %v", err)
	}
}
