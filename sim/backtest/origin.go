package backtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/scenario"
)

// addMonths returns the first day of the month n months after d's month.
func addMonths(d sim.Date, n int) sim.Date {
	t := d.Time()
	return sim.DateOf(t.Year(), t.Month()+time.Month(n), 1)
}

// month formats a month as YYYY-MM.
func month(d sim.Date) string { return d.String()[:7] }

// parseMonth reads YYYY-MM into the first day of that month.
func parseMonth(s string) (sim.Date, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a month (want YYYY-MM)", s)
	}
	return sim.DateOf(t.Year(), t.Month(), 1), nil
}

// ParseOrigins reads forecast origins: a range of months "2021-12..2022-10"
// (every month in between), a comma-separated list "2021-12,2022-04", or
// both mixed ("2021-12..2022-02,2022-06"). Each origin is returned as the
// first day of its month; the forecast from it knows everything up to the
// month's last day. The result is sorted and without duplicates.
func ParseOrigins(s string) ([]sim.Date, error) {
	seen := map[sim.Date]bool{}
	var out []sim.Date
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, isRange := strings.Cut(part, "..")
		from, err := parseMonth(a)
		if err != nil {
			return nil, fmt.Errorf("origins: %w", err)
		}
		to := from
		if isRange {
			if to, err = parseMonth(b); err != nil {
				return nil, fmt.Errorf("origins: %w", err)
			}
			if to < from {
				return nil, fmt.Errorf("origins: range %q runs backwards", part)
			}
		}
		for d := from; d <= to; d = addMonths(d, 1) {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("origins: none given (want e.g. 2021-12..2022-10)")
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// ParseHorizons reads forecast horizons in months: "1,2,3,6" or "1-6" or
// both mixed. Horizons are at least 1 (the month after the origin) and at
// most 120; the result is sorted and without duplicates.
func ParseHorizons(s string) ([]int, error) {
	seen := map[int]bool{}
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, isRange := strings.Cut(part, "-")
		lo, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil {
			return nil, fmt.Errorf("horizons: %q is not a number of months", a)
		}
		hi := lo
		if isRange {
			if hi, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
				return nil, fmt.Errorf("horizons: %q is not a number of months", b)
			}
		}
		if lo < 1 || hi > 120 || hi < lo {
			return nil, fmt.Errorf("horizons: %q is outside 1–120 months", part)
		}
		for h := lo; h <= hi; h++ {
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("horizons: none given (want e.g. 1,2,3,6)")
	}
	sort.Ints(out)
	return out, nil
}

// AtOrigin returns what was known at the end of day last: the scenario
// without the events dated after last, running to end, and the
// observations documented by last (monthly counts of whole months up to
// last; ceasefires as far as they were known — one still holding at last
// becomes "held at least so long", its end and who ended it unknown;
// strength estimates dated up to last; ordinal facts whose windows close by
// last). Neither input is modified.
func AtOrigin(sc *sim.Scenario, obs *scenario.Observed, last, end sim.Date) (*sim.Scenario, *scenario.Observed) {
	c := *sc
	c.Events = nil
	for _, e := range sc.Events {
		if e.Date <= last {
			c.Events = append(c.Events, e)
		}
	}
	c.End = min(end, sc.End)
	// Declarations after the origin are undocumented at the origin: the
	// rule's baseline, which stands for them, applies from the day after.
	if d := &c.Rules.InsurgentDeclaresCeasefire; d.BaselineFrom > last+1 {
		d.BaselineFrom = last + 1
	}
	if obs == nil {
		return &c, nil
	}
	o := &scenario.Observed{}
	for _, m := range obs.Monthly {
		if m.Month.MonthEnd() <= last {
			o.Monthly = append(o.Monthly, m)
		}
	}
	if t := obs.Targets; t != nil {
		k := &scenario.Targets{Monthly: t.Monthly}
		for _, cf := range t.Ceasefire {
			if cf.Declared > last {
				continue
			}
			held := cf.Days
			if held == 0 {
				held = cf.MinDays
			}
			if cf.Declared+sim.Date(held) > last {
				// Still holding at the origin: only a lower bound is known.
				cf.Days, cf.EndedBy, cf.Cause = 0, "", ""
				cf.MinDays = float64(last - cf.Declared)
			}
			k.Ceasefire = append(k.Ceasefire, cf)
		}
		for _, s := range t.Strength {
			if s.Date <= last {
				k.Strength = append(k.Strength, s)
			}
		}
		for _, od := range t.Ordinal {
			closes := sim.Date(0)
			for _, w := range [][]sim.Date{od.Window, od.Lower, od.Higher} {
				for _, d := range w {
					closes = max(closes, d)
				}
			}
			if closes <= last {
				k.Ordinal = append(k.Ordinal, od)
			}
		}
		o.Targets = k
	}
	return &c, o
}
