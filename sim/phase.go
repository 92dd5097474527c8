package sim

// Phase is the negotiation phase of a run.
type Phase uint8

// The phases. A ceasefire implies that talks go on behind it.
const (
	Conflict   Phase = iota // open conflict, no talks
	Talks                   // talks hosted by the mediator, no ceasefire
	Ceasefire               // a declared ceasefire, talks continue
	Settlement              // a signed settlement being implemented
	Operation               // a large state military operation
	NumPhases               // number of phases
)

var phaseNames = [NumPhases]string{"conflict", "talks", "ceasefire", "settlement", "operation"}

// String returns the phase's name as used in outputs.
func (p Phase) String() string {
	if p < NumPhases {
		return phaseNames[p]
	}
	return "unknown"
}

// Phases lists the phases in order.
func Phases() []Phase { return []Phase{Conflict, Talks, Ceasefire, Settlement, Operation} }

// legal[from][to] says which transitions the phase machine allows.
var legal = [NumPhases][NumPhases]bool{
	Conflict:   {Talks: true, Ceasefire: true, Operation: true},
	Talks:      {Conflict: true, Ceasefire: true, Operation: true},
	Ceasefire:  {Conflict: true, Settlement: true, Operation: true},
	Settlement: {Conflict: true, Operation: true},
	Operation:  {Conflict: true, Talks: true, Ceasefire: true},
}

// Legal reports whether the phase machine allows going from one phase to
// another. Staying in the same phase is not a transition.
func Legal(from, to Phase) bool {
	if from >= NumPhases || to >= NumPhases {
		return false
	}
	return legal[from][to]
}
