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

// TestThinnedRuleLaw: a rule run by thinning (candidate firings at the
// bound hmax, each accepted with probability h/hmax) fires on a step with
// probability 1 − e^(−h·dt), as a clock run at h would, whatever the bound
// (tight, loose, or several candidates a step), and attributes to its
// baseline the share baseline/(baseline + driver) of its firings.
func TestThinnedRuleLaw(t *testing.T) {
	base, drv := 0.01, 0.03
	for _, hmax := range []float64{0.04, 0.1, 3} {
		var s Stream
		s.Seed(1, 0, 0)
		var c Clock
		c.Arm(&s)
		const steps = 1_000_000
		var fired, byBase int
		for i := 0; i < steps; i++ {
			if !c.candidate(hmax, 1) {
				continue
			}
			if f, b := c.accept(&s, base, drv, hmax); f {
				fired++
				if b {
					byBase++
				}
			}
		}
		p := float64(byBase) / float64(fired)
		se := math.Sqrt(0.25 * 0.75 / float64(fired))
		if math.Abs(p-0.25) > 4*se {
			t.Errorf("bound %g: %d firings, %.4f by the baseline, want 0.25 ± %.4f", hmax, fired, p, 4*se)
		}
		want := 1 - math.Exp(-(base + drv))
		if rate, se := float64(fired)/steps, math.Sqrt(want*(1-want)/steps); math.Abs(rate-want) > 4*se {
			t.Errorf("bound %g: firing rate %.5f per step, want %.5f ± %.5f", hmax, rate, want, 4*se)
		}
	}
	for _, tc := range []struct {
		base, drv float64
		want      bool
	}{{0, 1, false}, {1, 0, true}} {
		var s Stream
		s.Seed(2, 0, 0)
		var c Clock
		c.Arm(&s)
		for {
			if !c.candidate(1, 1) {
				continue
			}
			if f, b := c.accept(&s, tc.base, tc.drv, 1); f {
				if b != tc.want {
					t.Errorf("baseline %g driver %g: by baseline %v, want %v", tc.base, tc.drv, b, tc.want)
				}
				break
			}
		}
	}
}
