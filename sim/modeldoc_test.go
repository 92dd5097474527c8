package sim_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated sections of MODEL.md")

// modelRules renders the rule section of MODEL.md from sim.RuleDocs.
func modelRules(s *sim.Scenario) string {
	var b strings.Builder
	for i, d := range sim.RuleDocs() {
		fmt.Fprintf(&b, "#### 3.4.%d `%s` (%s)\n\n%s\n\n", i+1, d.Name, d.Agent, d.Summary)
		fmt.Fprintf(&b, "- **When:** %s.\n- **Rule:** %s.\n- **Effect:** %s.\n- **Basis:** %s\n", d.When, d.Formula, d.Effect, d.Fact)
		var ps []string
		for _, k := range d.Params {
			v, _ := s.Get(k)
			ps = append(ps, fmt.Sprintf("`%s` (%v)", k, v))
		}
		fmt.Fprintf(&b, "- **Parameters** (reference value): %s.\n\n", strings.Join(ps, ", "))
	}
	return b.String()
}

// modelParams renders the parameter tables from the scenario schema.
func modelParams(s *sim.Scenario) string {
	var b strings.Builder
	section := ""
	for _, p := range s.Params() {
		if p.Kind == "string" && len(p.Enum) == 0 || strings.HasPrefix(p.Key, "events.") {
			continue
		}
		parts := strings.Split(p.Key, ".")
		sec := parts[0]
		if len(parts) == 1 {
			sec = "top level"
		}
		if sec == "rules" && len(parts) > 2 {
			sec = "rules." + parts[1]
		}
		if sec == "insurgent" && len(parts) > 2 && (parts[1] == "factions" || parts[1] == "demands") {
			sec = "insurgent." + parts[1] + " (per element)"
			if section == sec {
				continue
			}
		}
		if sec != section {
			section = sec
			fmt.Fprintf(&b, "\n**%s**\n\n| key | range | unit | meaning |\n|---|---|---|---|\n", sec)
		}
		key := p.Key
		if strings.HasSuffix(sec, "(per element)") {
			key = strings.Join(parts[3:], ".")
		}
		if strings.HasSuffix(sec, "(per element)") {
			// list every field of the element once
			el := parts[0] + "." + parts[1] + "." + parts[2] + "."
			for _, q := range s.Params() {
				if strings.HasPrefix(q.Key, el) {
					fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", strings.TrimPrefix(q.Key, el), rangeOf(q), q.Unit, q.Doc)
				}
			}
			continue
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", key, rangeOf(p), p.Unit, p.Doc)
	}
	return b.String()
}

func rangeOf(p sim.Param) string {
	switch {
	case p.HasRange:
		return fmt.Sprintf("%g – %g", p.Min, p.Max)
	case len(p.Enum) > 0:
		return strings.Join(p.Enum, ", ")
	}
	return p.Kind
}

func replaceBlock(doc, name, body string) (string, error) {
	begin, end := "<!-- BEGIN "+name+" -->\n", "<!-- END "+name+" -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers for %s not found", name)
	}
	return doc[:i+len(begin)] + body + doc[j:], nil
}

// TestModelDoc: the generated sections of MODEL.md match the code. Run with
// -update after changing a rule or a parameter.
func TestModelDoc(t *testing.T) {
	s := loadRef(t)
	raw, err := os.ReadFile("MODEL.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := replaceBlock(string(raw), "RULES", modelRules(s))
	if err != nil {
		t.Fatal(err)
	}
	doc, err = replaceBlock(doc, "PARAMS", modelParams(s))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("MODEL.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if doc != string(raw) {
		t.Error("MODEL.md is out of date with the rules or the schema: run go test ./sim -run TestModelDoc -update")
	}
}

// TestRuleDocs: every rule is documented once, in the order the model runs
// them, and every parameter a rule's doc names exists.
func TestRuleDocs(t *testing.T) {
	s := loadRef(t)
	seen := map[string]bool{}
	for _, d := range sim.RuleDocs() {
		if seen[d.Name] {
			t.Errorf("rule %s documented twice", d.Name)
		}
		seen[d.Name] = true
		if d.Summary == "" || d.Formula == "" || d.Fact == "" {
			t.Errorf("rule %s lacks a summary, formula or basis", d.Name)
		}
		for _, k := range d.Params {
			if _, err := s.Get(k); err != nil {
				t.Errorf("rule %s names %s: %v", d.Name, k, err)
			}
		}
		if out := d.Explain(s); !strings.Contains(out, "values:") {
			t.Errorf("Explain(%s) shows no values", d.Name)
		}
	}
	// Every rule table of the scenario is documented.
	for _, p := range s.Params() {
		if strings.HasPrefix(p.Key, "rules.") && strings.HasSuffix(p.Key, ".enabled") {
			name := strings.TrimSuffix(strings.TrimPrefix(p.Key, "rules."), ".enabled")
			if name == "settlement_collapses" {
				name = "settlement"
			}
			if !seen[name] {
				t.Errorf("rule %s has no RuleDoc", name)
			}
		}
	}
}
