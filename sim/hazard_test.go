package sim

import (
	"math"
	"testing"
)

// TestHazardHasNoFloor: the driver term is exactly 0 when the driver is
// absent (x ≤ 0), whatever the slope and threshold; it tends to the rate
// far above the threshold, is monotone in x, and is within 2% of half the
// rate at the threshold for the shipped slopes and thresholds.
func TestHazardHasNoFloor(t *testing.T) {
	for _, c := range []struct{ slope, thr float64 }{
		{8, 1}, {4, 1}, {10, 0.35}, {8, 1.0}, {10, 0.6}, {10, 0.5}, {8, 0.1}, {10, 0}, {8, -0.5},
	} {
		for _, x := range []float64{-1, -0.01, 0} {
			if h := hazard(0.05, c.slope, x, c.thr); h != 0 {
				t.Errorf("slope %g threshold %g: hazard at x = %g is %g, want 0", c.slope, c.thr, x, h)
			}
		}
		if h := hazard(0.05, c.slope, c.thr+50/c.slope, c.thr); math.Abs(h-0.05) > 1e-6 {
			t.Errorf("slope %g threshold %g: hazard far above the threshold %g, want the rate 0.05", c.slope, c.thr, h)
		}
		prev := 0.0
		for x := 0.0; x < 3; x += 0.01 {
			h := hazard(0.05, c.slope, x, c.thr)
			if h < prev-1e-12 {
				t.Fatalf("slope %g threshold %g: hazard falls from %g to %g at x = %g", c.slope, c.thr, prev, h, x)
			}
			prev = h
		}
		if c.slope*c.thr >= 3.5 {
			if h := hazard(0.05, c.slope, c.thr, c.thr); math.Abs(h/0.05-0.5) > 0.02 {
				t.Errorf("slope %g threshold %g: hazard at the threshold is %.3f of the rate, want ½ ± 0.02", c.slope, c.thr, h/0.05)
			}
		}
	}
	if h := hazard(0.05, 0, 2, 1); h != 0 {
		t.Errorf("slope 0: driver term %g, want 0 (a constant hazard is a baseline)", h)
	}
}

// TestFireRuleAttribution: when a rule fires, the share of firings
// attributed to its baseline is baseline/(baseline + driver).
func TestFireRuleAttribution(t *testing.T) {
	var s Stream
	s.Seed(1, 0, 0)
	var c Clock
	c.Arm(&s)
	base, drv := 0.01, 0.03
	var fired, byBase int
	for i := 0; i < 2_000_000; i++ {
		if f, b := fireRule(&c, &s, base, drv, 1); f {
			fired++
			if b {
				byBase++
			}
		}
	}
	p := float64(byBase) / float64(fired)
	se := math.Sqrt(0.25 * 0.75 / float64(fired))
	if math.Abs(p-0.25) > 4*se {
		t.Errorf("%d firings, %.4f by the baseline, want 0.25 ± %.4f", fired, p, 4*se)
	}
	if rate := float64(fired) / 2e6; math.Abs(rate-(1-math.Exp(-0.04))) > 0.002 {
		t.Errorf("firing rate %.4f per step, want %.4f", rate, 1-math.Exp(-0.04))
	}
	for _, tc := range []struct {
		base, drv float64
		want      bool
	}{{0, 1, false}, {1, 0, true}} {
		c.Arm(&s)
		for {
			if f, b := fireRule(&c, &s, tc.base, tc.drv, 1); f {
				if b != tc.want {
					t.Errorf("baseline %g driver %g: by baseline %v, want %v", tc.base, tc.drv, b, tc.want)
				}
				break
			}
		}
	}
}
