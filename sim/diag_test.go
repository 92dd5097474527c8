package sim_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/scenario"
)

func TestDiag(t *testing.T) {
	name := os.Getenv("DIAG")
	if name == "" {
		t.Skip()
	}
	l, err := scenario.Load("../scenarios/" + name + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	sc := l.Scenario
	for _, kv := range strings.Fields(os.Getenv("SET")) {
		i := strings.Index(kv, "=")
		if err := sc.Set(kv[:i], kv[i+1:]); err != nil {
			t.Fatal(err)
		}
	}
	m, err := sim.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	causes := map[string]int{}
	var n, base, open int
	var days []int
	for run := 0; run < 1000; run++ {
		r := m.Run(3, run)
		for i, c := range r.Ceasefires {
			key := fmt.Sprintf("cf%d %s", i, c.Cause)
			if c.Open {
				key = fmt.Sprintf("cf%d open", i)
			}
			causes[key]++
			if i == len(r.Ceasefires)-1 {
				days = append(days, c.Days())
			}
			if !c.Open {
				n++
				if c.ByBaseline {
					base++
				}
			} else {
				open++
			}
		}
	}
	keys := []string{}
	for k := range causes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, causes[k])
	}
	sort.Ints(days)
	fmt.Println("ended", n, "by baseline", base, "open", open, "last cf days q10/50/90", days[len(days)/10], days[len(days)/2], days[9*len(days)/10])
	if os.Getenv("STORY") == "" {
		return
	}
	m.SetLogging(true)
	r := m.Run(3, 1)
	for _, e := range r.Log {
		if e.Rule == "fighters_defect" && e.Agent != "Mehsud" {
			continue
		}
		fmt.Println(e.Date, e.Agent, e.Rule, e.Event, e.Detail)
	}
}
