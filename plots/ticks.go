package plots

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot"
)

// NiceTicks places about five major ticks at 1-2-2.5-5 steps.
type NiceTicks struct{}

// NiceStep returns a 1-2-2.5-5 step giving at most 6 intervals over span.
func NiceStep(span float64) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// Ticks implements plot.Ticker.
func (NiceTicks) Ticks(lo, hi float64) []plot.Tick {
	step := NiceStep(hi - lo)
	var ts []plot.Tick
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ts = append(ts, plot.Tick{Value: v, Label: trimNum(v)})
		// minor ticks halfway
		if m := v + step/2; m < hi {
			ts = append(ts, plot.Tick{Value: m})
		}
	}
	return ts
}

func trimNum(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	if math.Abs(v) >= 10000 {
		return fmt.Sprintf("%.0fk", v/1000)
	}
	return s
}

// DateTicks labels a time axis (Unix seconds) with months, choosing a month
// step so there are at most eight labels.
type DateTicks struct{}

// Ticks implements plot.Ticker.
func (DateTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1
	step := 1
	for _, s := range []int{1, 2, 3, 4, 6, 12, 24, 60, 120} {
		step = s
		if months/s <= 6 {
			break
		}
	}
	if months <= 1 {
		// under a month: weekly day labels
		var ts []plot.Tick
		for d := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC); !d.After(b); d = d.AddDate(0, 0, 7) {
			ts = append(ts, plot.Tick{Value: float64(d.Unix()), Label: d.Format("2 Jan")})
		}
		return ts
	}
	start := time.Date(a.Year(), a.Month(), 1, 0, 0, 0, 0, time.UTC)
	if start.Before(a) {
		start = start.AddDate(0, 1, 0)
	}
	if step >= 12 {
		start = time.Date(start.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
		if a.Month() == 1 && a.Day() == 1 {
			start = a
		}
	} else if step > 1 {
		// align to calendar quarters/halves when possible
		for (int(start.Month())-1)%step != 0 {
			start = start.AddDate(0, 1, 0)
		}
	}
	var ts []plot.Tick
	for d := start; !d.After(b); d = d.AddDate(0, step, 0) {
		label := d.Format("Jan 2006")
		if step >= 12 {
			label = d.Format("2006")
		}
		ts = append(ts, plot.Tick{Value: float64(d.Unix()), Label: label})
	}
	return ts
}

// DayTicks labels an axis of days with whole numbers at steps an analyst
// counts in (1, 2, 5, 7, 10, 14, then 30, 60, 90, 180, 365 and multiples
// of a year), choosing the smallest step that gives at most seven labels.
type DayTicks struct{}

// dayStep returns the smallest DayTicks step with at most seven labels over
// [lo, hi].
func dayStep(lo, hi float64) float64 {
	steps := []float64{1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730, 1825, 3650}
	for _, s := range steps {
		if math.Floor(hi/s)-math.Ceil(lo/s)+1 <= 7 {
			return s
		}
	}
	return NiceStep(hi-lo) * 2
}

// Ticks implements plot.Ticker.
func (DayTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	step := dayStep(lo, hi)
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
		if m := v + step/2; step >= 2 && step == math.Round(step) && m < hi && m == math.Round(m) {
			ts = append(ts, plot.Tick{Value: m})
		}
	}
	return ts
}
