package report

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/mc"
)

func TestLargestRemainder(t *testing.T) {
	for _, c := range []struct {
		counts []int
		total  int
		want   []int
	}{
		{[]int{1, 1, 1}, 3, []int{34, 33, 33}},
		{[]int{279, 18, 3}, 300, []int{93, 6, 1}},
		{[]int{199, 1}, 200, []int{100, 0}}, // 99.5 and 0.5: equal remainders, the point goes to the first
		{[]int{5, 5}, 10, []int{50, 50}},
		{[]int{0, 7}, 7, []int{0, 100}},
		{nil, 0, []int{}},
		{[]int{1, 1}, 4, []int{25, 25}}, // not a partition: each on its own
	} {
		got := LargestRemainder(c.counts, c.total)
		if len(got) != len(c.want) {
			t.Errorf("LargestRemainder(%v, %d) = %v, want %v", c.counts, c.total, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("LargestRemainder(%v, %d) = %v, want %v", c.counts, c.total, got, c.want)
				break
			}
		}
	}
	// Shares of a partition always add up to 100.
	for n := 1; n < 60; n++ {
		for k := 0; k <= n; k++ {
			counts := []int{k, (n - k) / 3, n - k - (n-k)/3}
			sum := 0
			for _, p := range LargestRemainder(counts, n) {
				sum += p
			}
			if sum != 100 {
				t.Fatalf("LargestRemainder(%v, %d) adds up to %d", counts, n, sum)
			}
		}
	}
}

// block returns the lines of the summary's ceasefire block that belong to
// the group whose title line contains title: the title line and the lines
// indented deeper than it.
func block(out, title string) []string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.Contains(l, title) {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		var b []string
		for _, m := range lines[i+1:] {
			if strings.TrimSpace(m) == "" || len(m)-len(strings.TrimLeft(m, " ")) <= ind {
				break
			}
			b = append(b, m)
		}
		return b
	}
	return nil
}

// TestSummaryCeasefires: ceasefires are listed in date order; the reference
// scenario's extend_ceasefire events are reported under the truce they
// extend (never as a ceasefire declared at the top level); every share says
// what it is a share of, and the shares of the ended ceasefires add up to
// 100%.
func TestSummaryCeasefires(t *testing.T) {
	res, err := mc.Run(context.Background(), reference(t), mc.Options{Runs: 120, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The rules' own ceasefires, made up: three ended ones split evenly,
	// which naive rounding gives as 33+33+33.
	groups := res.Groups[:0]
	for _, g := range res.Groups {
		if g.Origin != "rule" {
			groups = append(groups, g)
		}
	}
	res.Groups = append(groups, mc.CeasefireGroup{Origin: "rule", Count: 3, Runs: 3,
		EndedBy: []mc.Share{{Label: "insurgent", Count: 1}, {Label: "state", Count: 1}, {Label: "mediator", Count: 1}},
		Causes:  []mc.Share{{Label: sim.CauseLapse, Count: 1}, {Label: sim.CauseViolations, Count: 1}, {Label: sim.CauseMediator, Count: 1}},
		S:       []float64{1}})
	var b bytes.Buffer
	if err := Summary(&b, res, nil, SummaryInfo{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	top := regexp.MustCompile(`(?m)^  declared (\d{4}-\d\d-\d\d)`).FindAllStringSubmatch(out, -1)
	var dates []string
	for _, m := range top {
		dates = append(dates, m[1])
	}
	if strings.Join(dates, " ") != "2021-11-09 2022-04-30" {
		t.Errorf("top-level ceasefires %v, want the two declared ones in date order:\n%s", dates, out)
	}
	truce := strings.Join(block(out, "declared 2022-04-30"), "\n")
	if !regexp.MustCompile(`(?m)^    extended 2022-05-18 \(scenario event\) in \d+% of runs \(\d+ runs?\)$`).MatchString(truce) {
		t.Errorf("the 2022-05-18 extension is not reported under the truce it extends:\n%s", truce)
	}
	if strings.Contains(out, "\n  declared 2022-05-18") || strings.Contains(out, "\n  declared 2022-06-02") {
		t.Errorf("an extension is reported as a new ceasefire:\n%s", out)
	}
	if !strings.Contains(out, "declared by the rules") || strings.Index(out, "declared by the rules") < strings.Index(out, "declared 2022-04-30") {
		t.Errorf("the rules' own ceasefires should come last:\n%s", out)
	}
	rule := strings.Join(block(out, "declared by the rules"), "\n")
	for _, want := range []string{
		"ended by (of 3 ended): insurgent 34% · state 33% · mediator 33%",
		"ending rule fired by (of 3 ended by a rule): its driver 100% · its baseline hazard 0%",
		"still holding, days after declaration: +30 d",
	} {
		if !strings.Contains(rule, want) {
			t.Errorf("rule group lacks %q:\n%s", want, rule)
		}
	}
	// Every "ended by" line adds up to 100%.
	for _, m := range regexp.MustCompile(`ended by \(of \d+ ended\): (.*)`).FindAllStringSubmatch(out, -1) {
		sum := 0
		for _, p := range regexp.MustCompile(`(\d+)%`).FindAllStringSubmatch(m[1], -1) {
			sum += atoi(p[1])
		}
		if sum != 100 {
			t.Errorf("ended by shares add up to %d%%: %s", sum, m[0])
		}
	}
	for _, want := range []string{"fighters defecting to ISKP (fighters)", "attacks, all groups (PICSS units)", "SHARE OF THE 120 RUNS"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = 10*n + int(c-'0')
	}
	return n
}

// TestSummaryHeaderOverrides: the --set overrides and the posterior are in
// the header, and a plain run's header has neither.
func TestSummaryHeaderOverrides(t *testing.T) {
	res, err := mc.Run(context.Background(), reference(t), mc.Options{Runs: 5})
	if err != nil {
		t.Fatal(err)
	}
	var plain, set bytes.Buffer
	Summary(&plain, res, nil, SummaryInfo{})
	Summary(&set, res, nil, SummaryInfo{Sets: []string{"mediator.pressure=0.8", "insurgent.patience=60"}, Posterior: "fit/posterior.csv", Particles: 500})
	head := strings.SplitN(set.String(), "CEASEFIRES", 2)[0]
	for _, want := range []string{"overrides (--set): mediator.pressure=0.8 · insurgent.patience=60", "posterior fit/posterior.csv (500 particles)"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
	if strings.Contains(plain.String(), "overrides") || strings.Contains(plain.String(), "posterior") {
		t.Errorf("a plain run's header mentions overrides or a posterior:\n%s", plain.String())
	}
}
