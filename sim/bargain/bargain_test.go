package bargain

import (
	"fmt"
	"math"
	"testing"
)

// Rubinstein (1982): the first proposer's share in the unique subgame-perfect
// equilibrium is (1-δ2)/(1-δ1δ2); with equal factors δ it is 1/(1+δ).
func TestSplitClosedForm(t *testing.T) {
	for _, tc := range []struct{ d1, d2, want float64 }{
		{0.9, 0.9, 1 / 1.9},
		{0.5, 0.5, 1 / 1.5},
		{0.99, 0.9, 0.1 / (1 - 0.891)},
		{0, 0.7, 0.3}, // an impatient proposer still gets what the responder loses by waiting
		{0.7, 0, 1},   // a responder who values nothing later accepts nothing
		{1, 1, 0.5},   // the limit along d1 = d2
	} {
		got, err := Split(tc.d1, tc.d2)
		if err != nil || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Split(%g, %g) = %v, %v; want %v", tc.d1, tc.d2, got, err, tc.want)
		}
	}
	if _, err := Split(1.2, 0.5); err == nil {
		t.Error("Split accepted a discount factor above 1")
	}
}

// The finite-horizon game solved by backward induction converges to the
// closed form as the number of rounds grows (Ståhl 1972; Rubinstein 1982).
func TestFiniteSplitConverges(t *testing.T) {
	for _, d := range [][2]float64{{0.9, 0.8}, {0.95, 0.95}, {0.6, 0.99}} {
		want, _ := Split(d[0], d[1])
		if got := FiniteSplit(d[0], d[1], 2000); math.Abs(got-want) > 1e-9 {
			t.Errorf("FiniteSplit(%v) = %v, want %v", d, got, want)
		}
		// One round: ultimatum, the proposer takes all. Two: 1 - δ2.
		if FiniteSplit(d[0], d[1], 1) != 1 || math.Abs(FiniteSplit(d[0], d[1], 2)-(1-d[1])) > 1e-15 {
			t.Errorf("short games wrong for %v", d)
		}
	}
}

// The outside-option principle: an option binds only if it is worth more
// than the Rubinstein share; no zone of agreement when the state's maximum
// is below the reservation.
func TestAgree(t *testing.T) {
	for _, tc := range []struct {
		share, res, max float64
		want            Terms
	}{
		{0.6, 0.3, 0.8, Terms{Level: 0.6}},
		{0.2, 0.3, 0.8, Terms{Level: 0.3, Binding: "reservation"}},
		{0.9, 0.3, 0.8, Terms{Level: 0.8, Binding: "state_max"}},
		{0.5, 0.8, 0.3, Terms{Level: 0.3, Deadlock: true, Binding: "state_max"}},
	} {
		if got := Agree(tc.share, tc.res, tc.max); got != tc.want {
			t.Errorf("Agree(%v, %v, %v) = %+v, want %+v", tc.share, tc.res, tc.max, got, tc.want)
		}
	}
}

func ExampleSplit() {
	// A state losing 1% a week to delay against an insurgent losing 0.5%:
	// the insurgent, proposing first, gets about two thirds.
	share, _ := Split(Discount(0.005/7, 7), Discount(0.01/7, 7))
	fmt.Printf("%.2f\n", share)
	// Output: 0.67
}
