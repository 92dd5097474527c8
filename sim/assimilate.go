package sim

// Support for data assimilation (a particle filter over runs, in sim/mc):
// copy one run's state into another model, give a run fresh streams, and
// step to a date. MODEL.md §3.6 describes the filter.

// CopyRun makes m's current run an exact copy of src's current run: time,
// phase, every state variable, the parameters as events have changed them,
// factions, demands, pending reverts, moving windows, hazard caches, clocks
// and the record of the steps done (later entries are written by the steps
// to come before anything reads them). Both models must have been built by New from the same
// *Scenario. m keeps its own streams (a seeded Stream must not be copied),
// its storage and its logging switch; so that m and src do not repeat the
// same future, follow CopyRun with Reseed. CopyRun does not allocate once
// m's storage has grown to src's.
//
// The state is copied by value, so fields added to Model later are copied
// without touching this function; only fields that own storage (slices)
// or streams are restored below. TestCopyRunCopiesEveryField fails when a
// new field escapes.
func (m *Model) CopyRun(src *Model) { m.CopyRunFrom(src, 0) }

// CopyRunFrom is CopyRun, except that the record's per-step series are
// copied only from step from on: a caller that has already consumed the
// steps before from (a particle filter that reduced them into period
// sums) copies less. The entries of m's record before from are left as
// they are and must not be read.
func (m *Model) CopyRunFrom(src *Model, from int) {
	if m == src {
		return
	}
	if m.sc != src.sc {
		panic("sim: CopyRun between models of different scenarios")
	}
	// What m owns: slices it reuses and streams whose samplers point into m.
	facs, dems := m.facs, m.dems
	pf, pd := m.p.Insurgent.Factions, m.p.Insurgent.Demands
	events, reverts, rec, logging, slotOf := m.events, m.reverts, m.rec, m.logging, m.slotOf
	streams := [...]Stream{m.sTempo, m.sBg, m.sRival, m.sState, m.sIns, m.sMed, m.sConcede, m.sEvents, m.sAttacks, m.sDefect, m.sAttacksWho, m.sDefectWho}

	*m = *src

	m.sTempo, m.sBg, m.sRival, m.sState, m.sIns, m.sMed, m.sConcede, m.sEvents, m.sAttacks, m.sDefect, m.sAttacksWho, m.sDefectWho =
		streams[0], streams[1], streams[2], streams[3], streams[4], streams[5], streams[6], streams[7], streams[8], streams[9], streams[10], streams[11]
	for k := range facs {
		dec := facs[k].dec
		facs[k] = src.facs[k]
		facs[k].dec = dec
	}
	copy(dems, src.dems)
	copy(pf, src.p.Insurgent.Factions)
	copy(pd, src.p.Insurgent.Demands)
	m.facs, m.dems = facs, dems
	m.p.Insurgent.Factions, m.p.Insurgent.Demands = pf, pd
	m.events = events
	if len(slotOf) != len(src.slotOf) {
		panic("sim: CopyRun between a model recording by period and one recording by step")
	}
	m.slotOf = slotOf
	m.reverts = append(reverts[:0], src.reverts...)
	m.rec = rec
	m.rec.copyPrefix(&src.rec, min(from, src.t), src.t) // later entries are written before they are read
	m.logging = logging
}

// reseedMix derives the master seed of resampling generation gen: gen 0 is
// the seed itself (Reset's streams), later generations hash it, so that a
// copy made at generation gen never shares a stream with any run's
// original streams or another generation's.
func reseedMix(seed, gen uint64) uint64 {
	if gen == 0 {
		return seed
	}
	return splitmix64(seed ^ splitmix64(gen+0x2545f4914f6cdd1d))
}

// Reseed positions every stream of the current run at a new stream derived
// from (seed, run, gen) and re-arms every clock, leaving the state as it
// is. gen is the resampling generation: with gen 0 the streams are the
// ones Reset(seed, run) gives (freshly armed); each gen ≥ 1 gives streams
// no other (run, gen) shares. The record takes run as its index and the
// new streams' first word as its informative seed.
//
// Re-arming is exact: a clock fires when its accumulated hazard passes an
// Exp(1) threshold, and given that it has not fired yet, the remaining
// distance to the threshold is again Exp(1) (memorylessness), so drawing a
// fresh threshold from zero leaves the law of the future unchanged. The
// monthly attack tempo keeps its current draw and days left. Reseed does
// not allocate.
func (m *Model) Reseed(seed uint64, run int, gen uint64) {
	s := reseedMix(seed, gen)
	m.seed = seed
	r := uint64(run)
	m.seedStreams(s, r)
	m.rec.Run = run
	m.rec.Seed, _ = StreamSeed(s, r, 0)
}

// seedStreams positions every stream of the run at (s, r, stream id) and
// arms every clock, stream by stream: Reset and Reseed share it, so
// generation 0 of Reseed is Reset's randomness exactly.
func (m *Model) seedStreams(s, r uint64) {
	m.sTempo.Seed(s, r, streamTempo)
	m.sBg.Seed(s, r, streamBackground)
	m.sRival.Seed(s, r, streamRival)
	m.sState.Seed(s, r, streamState)
	m.sIns.Seed(s, r, streamInsurgent)
	m.sMed.Seed(s, r, streamMediator)
	m.sConcede.Seed(s, r, streamConcede)
	m.sEvents.Seed(s, r, streamEvents)
	m.sAttacks.Seed(s, r, streamAttacks)
	m.sDefect.Seed(s, r, streamDefect)
	m.sAttacksWho.Seed(s, r, streamAttacksWho)
	m.sDefectWho.Seed(s, r, streamDefectWho)
	m.cAttacks.Arm(&m.sAttacks)
	m.cDefect.Arm(&m.sDefect)
	for k := range m.facs {
		m.facs[k].dec.Seed(s, r, streamFaction+uint64(k))
	}
	m.rearmFacRules()
	for k := range m.dems {
		m.dems[k].clock.Arm(&m.sConcede)
	}
	m.rivalClock.Arm(&m.sRival)
	m.bgClock.Arm(&m.sBg)
	m.cStateEnds.Arm(&m.sState)
	m.cStateWalk.Arm(&m.sState)
	m.cStrike.Arm(&m.sState)
	m.cOperation.Arm(&m.sState)
	m.cInsWalk.Arm(&m.sIns)
	m.cDeclare.Arm(&m.sIns)
	m.cSettle.Arm(&m.sIns)
	m.cHostStop.Arm(&m.sMed)
	m.cTalks.Arm(&m.sMed)
}

// StepUntil steps the current run while its current day is before d (and
// the horizon is not reached): afterwards every day before d is recorded.
func (m *Model) StepUntil(d Date) {
	for m.t < m.steps && m.day < d {
		m.Step()
	}
}
