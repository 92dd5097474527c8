package sim_test

// Validation against published results (issue 3, section 5). The Poisson and
// negative-binomial moments of the attack process are in analytic_test.go
// and Rubinstein's split in sim/bargain; this file adds the war of
// attrition's exponential duration and Walter's base rate of settlement
// implementation.

import (
	"math"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/scenario"
)

// TestCeasefireIsAWarOfAttrition reproduces the war of attrition's
// closed form. In the symmetric war of attrition with a prize V and a cost c
// per day of holding out (Maynard Smith 1974, J. Theor. Biol. 47:209–221;
// Bishop & Cannings 1978, J. Theor. Biol. 70:85–124), the evolutionarily
// stable strategy holds out for an exponential time with rate c/V; the
// contest ends when the first side quits, so its duration is exponential
// with rate 2c/V and mean V/(2c).
//
// The mapping onto the model: a ceasefire declared on the first day of the
// unit scenario, every rule off except the two ways a side walks away from a
// ceasefire — the state ends it (state_ends_ceasefire) and the insurgent
// walks out (insurgent_walks_out). A rule's hazard is its explicit baseline
// plus its driver term; with the driver term off (rate 0) it is the constant
// baseline whatever its driver, so each side quits at the daily hazard c/V
// when its rule's baseline is c/V.
// A one-sided case (only the state's rule) checks a single constant hazard h:
// mean 1/h.
//
// The model counts whole days: the integrated-hazard clock fires on the
// first day d at which (d+1)·h passes an Exp(1) threshold, so the recorded
// length D = End − Start is floor(T) with T exponential, and
// P(D ≥ k) = e^(−Hk) exactly at whole days (H = total hazard). The checks:
//   - Kaplan–Meier survival at ½, 1 and 2 means against e^(−Ht) (every
//     ceasefire starts on day 0 and the only censoring is the common horizon,
//     so Kaplan–Meier reduces to the empirical survival and Greenwood's
//     standard error to the binomial one);
//   - the mean, estimated from the censored data as 1/Ĥ with Ĥ the maximum
//     likelihood daily hazard (events over days at risk), against V/(2c);
//   - the mean days held within the horizon against its exact discrete form
//     Σ_{k=1..364} e^(−Hk) ≈ V/(2c) − ½;
//   - in the symmetric case, each side quits first half the time (state:
//     q/(1 − e^(−H)) with q = 1 − e^(−c/V), since the state's rule runs first
//     on a day both would quit).
//
// Every tolerance is 4 standard errors of the estimate.
func TestCeasefireIsAWarOfAttrition(t *testing.T) {
	runs := 2500
	if testing.Short() {
		runs = 1000
	}
	for _, tc := range []struct {
		name           string
		hState, hInsur float64 // daily quitting hazards of the two sides
	}{
		// Symmetric: each side quits at c/V; mean V/(2c) = 60 and 20 days.
		{"symmetric V/c=120", 1.0 / 120, 1.0 / 120},
		{"symmetric V/c=40", 1.0 / 40, 1.0 / 40},
		// One constant hazard h = 1/50: mean 1/h = 50 days.
		{"state only h=1/50", 1.0 / 50, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := unit(t)
			noAttacks(s)
			twoSided := tc.hInsur > 0
			s.Rules.StateEndsCeasefire.Enabled = true
			s.Rules.StateEndsCeasefire.Rate = 0
			s.Rules.StateEndsCeasefire.Baseline = tc.hState
			if twoSided {
				s.Rules.InsurgentWalksOut.Enabled = true
				s.Rules.InsurgentWalksOut.Rate = 0
				s.Rules.InsurgentWalksOut.Baseline = tc.hInsur
			}
			H := tc.hState + tc.hInsur
			ceasefireAtStart(0)(s)
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			m, err := sim.New(s)
			if err != nil {
				t.Fatal(err)
			}
			horizon := int(s.End - s.Start) // an open ceasefire records this many days
			origin := "event " + s.Start.String()
			days := make([]float64, 0, runs)
			var ended, byState, atRisk float64
			for run := 0; run < runs; run++ {
				r := m.Run(s.Seed, run)
				if len(r.Ceasefires) != 1 || r.Ceasefires[0].Origin != origin {
					t.Fatalf("run %d: want the one ceasefire declared on day 0, got %+v", run, r.Ceasefires)
				}
				c := r.Ceasefires[0]
				d := c.Days()
				days = append(days, float64(d))
				atRisk += float64(d + 1) // days 0..d were at risk
				if c.Open {
					continue
				}
				ended++
				switch c.Cause {
				case sim.CauseViolations:
					byState++
				case sim.CauseUnmet:
					if !twoSided {
						t.Fatalf("run %d: the insurgent walked out with its rule off", run)
					}
				default:
					t.Fatalf("run %d: ceasefire ended by %s, want one of the two constant hazards", run, c.Cause)
				}
			}
			n := float64(runs)
			meanWoA := 1 / H // V/(2c) symmetric, 1/h one-sided

			// Kaplan–Meier survival at whole days against e^(−Ht).
			for _, k := range []int{int(meanWoA / 2), int(meanWoA), int(2 * meanWoA)} {
				var alive float64
				for _, d := range days {
					if int(d) >= k {
						alive++
					}
				}
				got, want := alive/n, math.Exp(-H*float64(k))
				se := math.Sqrt(want * (1 - want) / n)
				if math.Abs(got-want) > 4*se {
					t.Errorf("S(%d days) = %.4f, want e^(-Ht) = %.4f ± %.4f", k, got, want, 4*se)
				}
			}

			// Mean duration from the censored data: the daily hazard's MLE.
			p := ended / atRisk
			Hhat := -math.Log1p(-p)
			meanHat := 1 / Hhat
			// Var(p̂) ≈ p²(1−p)/events (geometric); dĤ/dp = 1/(1−p); mean = 1/Ĥ.
			seMean := p / math.Sqrt((1-p)*ended) / (Hhat * Hhat)
			t.Logf("mean duration (MLE) %.2f days, war of attrition V/(2c) = %.2f ± %.2f; %d of %d ended", meanHat, meanWoA, 4*seMean, int(ended), runs)
			if math.Abs(meanHat-meanWoA) > 4*seMean {
				t.Errorf("mean duration %.2f days, want V/(2c) = %.2f ± %.2f", meanHat, meanWoA, 4*seMean)
			}

			// Mean days held within the horizon, against its exact form.
			var want float64
			for k := 1; k <= horizon; k++ {
				want += math.Exp(-H * float64(k))
			}
			got, v := meanVar(days)
			if se := math.Sqrt(v / n); math.Abs(got-want) > 4*se {
				t.Errorf("mean days held %.2f, want Σe^(-Hk) = %.2f ± %.2f", got, want, 4*se)
			}

			// Who quits first.
			wantState := 1.0
			if twoSided {
				wantState = -math.Expm1(-tc.hState) / -math.Expm1(-H)
			}
			share := byState / ended
			se := math.Sqrt(wantState * (1 - wantState) / ended)
			if math.Abs(share-wantState) > 4*se {
				t.Errorf("share ended by the state %.4f, want %.4f ± %.4f", share, wantState, 4*se)
			}
		})
	}
}

// TestWalterBaseRate: "about half of negotiated settlements are
// implemented" — Barbara F. Walter, Committing to Peace: The Successful
// Settlement of Civil Wars (Princeton, 2002); on the durability of
// negotiated settlements in the years after signing see also Hartzell &
// Hoddie (2003, "Institutionalizing Peace", AJPS 47:318–332). The five-year
// horizon is the one base.toml states. The shipped rule carries it: base.toml sets
// settlement_collapses.rate = 0.0004/day, "about half ... (~5 years)", and
// adds spoiler_gain × the hard-line share of the umbrella.
//
// The test signs a settlement on the first day under every parameter of
// scenarios/base.toml — only the demands are opened (each item's state_max
// raised to 1 and its fulfilment set to 1) so that a settlement can be
// signed at all; none of those enter the collapse hazard — and follows it
// for five years with all the base rules on (splits, defections and
// spoilers move the hard-line share that drives the hazard). The share
// still standing after five years must lie, with its 95% interval, in the
// band 0.35–0.65 around Walter's one half. For reference, the hazard alone
// gives e^(−0.0004·1825) = 0.48 without spoilers, and 0.42 at the base
// hard-line share (JuA, 900 of 4,700 fighters).
func TestWalterBaseRate(t *testing.T) {
	l, err := scenario.LoadFS(scenarios.FS, "base.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := l.Scenario
	s.Start = day("2022-01-01")
	s.End = s.Start + 5*365
	for i := range s.Insurgent.Demands {
		s.Insurgent.Demands[i].StateMax = 1
		s.Insurgent.Demands[i].Fulfilment = 1
	}
	e := event("2022-01-01", "declare_ceasefire")
	e.Indefinite = true
	s.Events = append(s.Events, e)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	m, err := sim.New(s)
	if err != nil {
		t.Fatal(err)
	}
	runs := 600
	if testing.Short() {
		runs = 300
	}
	var signed, standing, again float64
	for run := 0; run < runs; run++ {
		r := m.Run(s.Seed, run)
		// The record follows the run's first settlement: after a collapse
		// talks may reopen and sign another, which must not overwrite the
		// first one's dates (it did before this test: a run could read
		// "signed 2023-03-08, collapsed 2022-07-13").
		if r.SettlementFailed != 0 && r.SettlementFailed < r.Settlement {
			t.Fatalf("run %d: settlement signed %s but collapsed %s", run, r.Settlement, r.SettlementFailed)
		}
		n := 0
		for _, c := range r.Ceasefires {
			if c.Cause == sim.CauseSettlement {
				n++
			}
		}
		if n > 1 {
			again++
			if r.SettlementFailed == 0 {
				t.Fatalf("run %d: %d settlements signed but none recorded as collapsed", run, n)
			}
		}
		if r.Settlement != s.Start {
			continue // the state walked out on day 0, before the signature
		}
		signed++
		if r.SettlementFailed == 0 {
			standing++
		}
	}
	if signed < 0.9*float64(runs) {
		t.Fatalf("only %v of %d runs signed the settlement on day 0", signed, runs)
	}
	share := standing / signed
	half := 1.96 * math.Sqrt(share*(1-share)/signed)
	t.Logf("settlements standing after 5 years: %.3f [%.3f, %.3f] of %v signed (Walter: about 0.5); %v runs signed a second one after a collapse", share, share-half, share+half, signed, again)
	if share-half < 0.35 || share+half > 0.65 {
		t.Errorf("settlements standing after 5 years: %.3f [%.3f, %.3f], want within 0.35–0.65 (Walter 2002: about half)", share, share-half, share+half)
	}
}
