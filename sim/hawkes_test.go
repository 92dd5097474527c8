package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
)

// hawkesUnit is unit.toml over two years with only the attack process on:
// the umbrella attacks at μ = 0.75/day (Core 0.5 + Hard 0.25), no tempo.
func hawkesUnit(t *testing.T) *sim.Scenario {
	s := unit(t)
	s.End = day("2023-12-31")
	s.Attacks.Hawkes.DecayDays = 14
	return s
}

// dailyMeans runs the scenario and returns the mean daily insurgent and
// rival attacks after a burn-in, and the concatenated post-burn-in series.
func dailyMeans(t *testing.T, s *sim.Scenario, runs, burn int) (ins, riv float64, series [][]float64) {
	t.Helper()
	m, err := sim.New(s)
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for run := 0; run < runs; run++ {
		r := m.Run(s.Seed, run)
		for i := burn; i < len(r.Attacks); i++ {
			ins += r.AttacksInsurgent[i]
			riv += r.AttacksRival[i]
			n++
		}
		series = append(series, append([]float64(nil), r.AttacksInsurgent[burn:]...))
	}
	return ins / n, riv / n, series
}

// TestHawkesStationaryMean: a univariate Hawkes process with immigrant rate
// μ and branching ratio n has the stationary mean rate μ/(1 − n). The
// discrete recursion A(t+dt) = e^{−βdt}(A(t) + N(t)) with the weight
// (e^{βdt} − 1)/dt gives every attack exactly n offspring in expectation,
// so the closed form holds for the daily step too. 120 days of burn-in
// leave e^{−(1−n)β·120} < 3% of the start-up deficit.
func TestHawkesStationaryMean(t *testing.T) {
	for _, n := range []float64{0, 0.3, 0.6} {
		s := hawkesUnit(t)
		s.Attacks.Hawkes.Self = n
		runs := 200
		if testing.Short() {
			runs = 80
		}
		got, _, _ := dailyMeans(t, s, runs, 240)
		want := 0.75 / (1 - n)
		if math.Abs(got-want)/want > 0.03 {
			t.Errorf("n = %g: stationary mean %.4f/day, want μ/(1−n) = %.4f", n, got, want)
		}
	}
}

// TestHawkesBranchingRatioRecovered: regressing the daily count on the
// kernel-weighted past, N(t) = μ + n·w·A(t) + noise with A the decayed sum
// of past attacks, recovers the branching ratio n and the immigrant rate μ
// from simulated series (least squares; the conditional mean is linear in
// A, so OLS is unbiased).
func TestHawkesBranchingRatioRecovered(t *testing.T) {
	const n = 0.4
	s := hawkesUnit(t)
	s.Attacks.Hawkes.Self = n
	runs := 100
	if testing.Short() {
		runs = 40
	}
	_, _, series := dailyMeans(t, s, runs, 0)
	beta := 1 / s.Attacks.Hawkes.DecayDays
	decay, w := math.Exp(-beta), math.Expm1(beta)
	var sx, sy, sxx, sxy, k float64
	for _, xs := range series {
		a := 0.0
		for i, y := range xs {
			if i >= 120 {
				x := w * a
				sx, sy, sxx, sxy, k = sx+x, sy+y, sxx+x*x, sxy+x*y, k+1
			}
			a = decay * (a + y)
		}
	}
	slope := (k*sxy - sx*sy) / (k*sxx - sx*sx)
	icept := (sy - slope*sx) / k
	if math.Abs(slope-n) > 0.05 {
		t.Errorf("branching ratio recovered %.3f, want %.2f ± 0.05", slope, n)
	}
	if math.Abs(icept-0.75)/0.75 > 0.08 {
		t.Errorf("immigrant rate recovered %.3f, want 0.75 ± 8%%", icept)
	}
}

// TestHawkesCrossExcitation: with cross-excitation (outbidding) the
// stationary means of the umbrella and the rival are (I − A)^{-1}μ, A the
// excitation matrix [[self, outbid], [rival_outbid, rival_self]].
func TestHawkesCrossExcitation(t *testing.T) {
	s := hawkesUnit(t)
	s.Rival.AttackRate = 0.5 // 0.5/day at 1,000 fighters
	h := &s.Attacks.Hawkes
	h.Self, h.Outbid, h.RivalOutbid, h.RivalSelf = 0.3, 0.2, 0.15, 0.25
	mu1, mu2 := 0.75, 0.5
	// (I − A)^{-1} μ for the 2×2 case.
	a, b, c, d := 1-h.Self, -h.Outbid, -h.RivalOutbid, 1-h.RivalSelf
	det := a*d - b*c
	want1, want2 := (d*mu1-b*mu2)/det, (-c*mu1+a*mu2)/det
	runs := 200
	if testing.Short() {
		runs = 80
	}
	got1, got2, _ := dailyMeans(t, s, runs, 240)
	if math.Abs(got1-want1)/want1 > 0.03 || math.Abs(got2-want2)/want2 > 0.04 {
		t.Errorf("stationary means (%.4f, %.4f), want (I−A)^-1 μ = (%.4f, %.4f)", got1, got2, want1, want2)
	}
}

// h2 is the case's excitation matrix with self lowered to 0, so that the
// set event restoring self makes the matrix what the case asks for.
func h2(outbid, rivalOutbid, rivalSelf float64) sim.HawkesConfig {
	return sim.HawkesConfig{DecayDays: 14, Self: 0, Outbid: outbid, RivalOutbid: rivalOutbid, RivalSelf: rivalSelf}
}

// TestHawkesStabilityIsValidated: Validate rejects an excitation matrix with
// spectral radius ≥ 1 and says which key and what is allowed.
func TestHawkesStabilityIsValidated(t *testing.T) {
	for _, tc := range []struct {
		self, outbid, rivalOutbid, rivalSelf float64
		ok                                   bool
	}{
		{0.35, 0.1, 0.02, 0.2, true},
		{0.9, 0, 0, 0.9, true},
		{0.6, 0.5, 0.5, 0.6, false}, // radius 1.1
		{0.5, 0.7, 0.72, 0.5, false},
	} {
		s := unit(t)
		h := &s.Attacks.Hawkes
		h.Self, h.Outbid, h.RivalOutbid, h.RivalSelf = tc.self, tc.outbid, tc.rivalOutbid, tc.rivalSelf
		err := s.Validate()
		// The same matrix reached by set events during the run is caught too.
		s2 := unit(t)
		for k, v := range map[string]float64{"self": tc.self, "outbid": tc.outbid, "rival_outbid": tc.rivalOutbid, "rival_self": tc.rivalSelf} {
			e := event("2022-06-01", "set")
			e.Key, e.Value = "attacks.hawkes."+k, v
			s2.Events = append(s2.Events, e)
		}
		s2.Attacks.Hawkes = h2(tc.outbid, tc.rivalOutbid, tc.rivalSelf)
		if err2 := s2.Validate(); (err2 == nil) != tc.ok {
			t.Errorf("%+v via set events: Validate() = %v, want ok=%v", tc, err2, tc.ok)
		}
		if tc.ok != (err == nil) {
			t.Errorf("%+v: Validate() = %v, want ok=%v", tc, err, tc.ok)
			continue
		}
		if err != nil && (!strings.Contains(err.Error(), "attacks.hawkes") || !strings.Contains(err.Error(), "spectral radius")) {
			t.Errorf("%+v: error %q should name attacks.hawkes and the spectral radius", tc, err)
		}
	}
}

// TestBackgroundTrend: the background is its own process with the rate
// background·exp(trend·(year − background_year)); Record.Intensity, the sum
// of the per-step Poisson means, shows it exactly when nothing else attacks.
func TestBackgroundTrend(t *testing.T) {
	s := unit(t)
	noAttacks(s)
	s.Attacks.Background, s.Attacks.BackgroundTrend, s.Attacks.BackgroundYear = 0.5, 0.3, 2022.5
	m, err := sim.New(s)
	if err != nil {
		t.Fatal(err)
	}
	r := m.Run(1, 0)
	for i, got := range r.Intensity {
		year := 1970 + float64(m.StepDate(i))/365.25
		want := 0.5 * math.Exp(0.3*(year-2022.5))
		if math.Abs(got-want) > 1e-9*want {
			t.Fatalf("step %d (%s): background intensity %.12f, want %.12f", i, m.StepDate(i), got, want)
		}
	}
}

// TestBackgroundDoesNotDriveTheState: attacks by groups the model does not
// include add to the state's pain (and so its hurt, L[insurgent→state])
// only through background_attributed (issue 10, point 8).
func TestBackgroundDoesNotDriveTheState(t *testing.T) {
	hurt := func(share float64) float64 {
		s := unit(t)
		noAttacks(s)
		s.Attacks.Background, s.Attacks.BackgroundAttributed = 2, share
		m, err := sim.New(s)
		if err != nil {
			t.Fatal(err)
		}
		r := m.Run(1, 0)
		return r.Lev[sim.LevInsurgentState][len(r.Attacks)-1]
	}
	for _, tc := range []struct {
		share      float64
		lo, hi     float64
		attributed string
	}{
		{0, 0, 0, "none"},
		// pain ≈ 2·share·30/ln 2 with a 30-day half-life and scale 10:
		// hurt 43/53 = 0.81 for half, 87/97 = 0.90 for all (± Poisson noise).
		{0.5, 0.75, 0.86, "half"},
		{1, 0.86, 0.93, "all"},
	} {
		if h := hurt(tc.share); h < tc.lo || h > tc.hi {
			t.Errorf("%s of the background attributed: the state's hurt is %.3f, want within [%g, %g]", tc.attributed, h, tc.lo, tc.hi)
		}
	}
}

// TestIntensityIsThePoissonMean: Record.Intensity is the expected number
// of attacks of all groups in each step given the run's state (the mean fed
// to the clocks), so over many runs of the reference scenario, at its
// shipped values, the total attacks and the summed intensities agree within
// 1% (leaving out the excitation or the tempo would break this).
func TestIntensityIsThePoissonMean(t *testing.T) {
	s := shipped(t, "ttp-2021.toml")
	m, err := sim.New(s)
	if err != nil {
		t.Fatal(err)
	}
	runs := 400
	if testing.Short() {
		runs = 150
	}
	var att, in float64
	for run := 0; run < runs; run++ {
		r := m.Run(s.Seed, run)
		if len(r.Intensity) != len(r.Attacks) {
			t.Fatalf("Intensity has %d steps, Attacks %d", len(r.Intensity), len(r.Attacks))
		}
		for i := range r.Attacks {
			att += r.Attacks[i]
			in += r.Intensity[i]
		}
	}
	// The total is a sum of ~300,000 counts: its relative standard error is
	// well under 1% even with the tempo's month-to-month spread.
	if math.Abs(att-in)/in > 0.01 {
		t.Errorf("attacks %.0f against summed intensity %.0f over %d runs: the intensity is not the Poisson mean", att, in, runs)
	}
}
