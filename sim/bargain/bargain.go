// Package bargain implements the alternating-offers bargaining protocol
// (Rubinstein 1982) that fixes the terms of each demand item, with the
// outside-option principle (Binmore, Shaked and Sutton 1989) for the
// parties' reservation levels.
//
// Two players split a pie of size 1. Player 1 proposes first; the responder
// accepts or rejects; after a rejection the roles swap and the pie is
// discounted by the players' discount factors δ1, δ2 per round. The unique
// subgame-perfect equilibrium gives the first proposer the share
// (1−δ2)/(1−δ1δ2), agreed at once.
package bargain

import (
	"fmt"
	"math"
)

// Split returns the first proposer's equilibrium share (1−δ2)/(1−δ1δ2) of the
// infinite-horizon alternating-offers game with discount factors d1 (the
// first proposer) and d2. Both must lie in [0, 1) unless both are 1, where
// the share is 1/2 by continuity along d1 = d2.
func Split(d1, d2 float64) (float64, error) {
	if !(d1 >= 0 && d1 <= 1 && d2 >= 0 && d2 <= 1) {
		return 0, fmt.Errorf("bargain: discount factors must lie in [0, 1], got %g and %g", d1, d2)
	}
	den := 1 - d1*d2
	if den == 0 {
		return 0.5, nil
	}
	return (1 - d2) / den, nil
}

// FiniteSplit solves the alternating-offers game with a final round by
// backward induction: in the last round the proposer takes everything; in
// each earlier round the proposer offers the responder exactly what the
// responder would get as proposer next round, discounted. It returns the
// first proposer's share. As rounds grows it converges to Split.
func FiniteSplit(d1, d2 float64, rounds int) float64 {
	if rounds < 1 {
		return 0
	}
	// v is the share of whoever proposes in the current round, solved from
	// the last round back. Rounds alternate: the proposer of round k is
	// player 1 when k is even.
	v := 1.0
	for k := rounds - 2; k >= 0; k-- {
		// Next round's proposer is the current responder; the responder's
		// discount factor applies to what it would get then.
		dResp := d2
		if k%2 == 1 {
			dResp = d1
		}
		v = 1 - dResp*v
	}
	return v
}

// Discount converts a cost of delay (per day) and the days between offers
// into a per-round discount factor exp(−cost·days).
func Discount(costPerDay, roundDays float64) float64 {
	return math.Exp(-costPerDay * roundDays)
}

// Terms is the outcome of bargaining over one item, as the insurgent's
// fulfilment level in [0, 1].
type Terms struct {
	Level    float64 // agreed fulfilment level
	Deadlock bool    // no zone of agreement: the state's maximum is below the insurgent's reservation
	Binding  string  // "", "reservation" or "state_max": which outside option binds
}

// Agree applies the outside-option principle to the insurgent's Rubinstein
// share: the agreed level is the share unless it falls below the
// insurgent's reservation (then the state concedes the reservation) or above
// the state's maximum (then the state stops at its maximum). When the
// state's maximum is below the reservation there is no zone of agreement.
func Agree(share, reservation, stateMax float64) Terms {
	if stateMax < reservation {
		return Terms{Level: stateMax, Deadlock: true, Binding: "state_max"}
	}
	switch {
	case share < reservation:
		return Terms{Level: reservation, Binding: "reservation"}
	case share > stateMax:
		return Terms{Level: stateMax, Binding: "state_max"}
	}
	return Terms{Level: share}
}
