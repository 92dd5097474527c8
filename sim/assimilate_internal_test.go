package sim

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/BurntSushi/toml"
)

func refScenario(t testing.TB) *Scenario {
	t.Helper()
	var sc Scenario
	for _, f := range []string{"../scenarios/base.toml", "../scenarios/ttp-2021.toml"} {
		if _, err := toml.DecodeFile(f, &sc); err != nil {
			t.Fatal(err)
		}
	}
	return &sc
}

// randomness collects pointers to every Stream and Clock inside v, in field
// order, so that a test can compare the random state of two models without
// listing the fields (a stream or clock added later is included).
func randomness(v reflect.Value, streams *[]*Stream, clocks *[]*Clock) {
	switch v.Kind() {
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeFor[Stream]():
			*streams = append(*streams, (*Stream)(unsafe.Pointer(v.UnsafeAddr())))
			return
		case reflect.TypeFor[Clock]():
			*clocks = append(*clocks, (*Clock)(unsafe.Pointer(v.UnsafeAddr())))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			randomness(v.Field(i), streams, clocks)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			randomness(v.Index(i), streams, clocks)
		}
	}
}

// sameRandomness reports whether a and b have their streams at the same
// positions and their clocks in the same state.
func sameRandomness(t *testing.T, a, b *Model) bool {
	t.Helper()
	var sa, sb []*Stream
	var ca, cb []*Clock
	randomness(reflect.ValueOf(a).Elem(), &sa, &ca)
	randomness(reflect.ValueOf(b).Elem(), &sb, &cb)
	if len(sa) != len(sb) || len(ca) != len(cb) || len(sa) < 8 || len(ca) < 10 {
		t.Fatalf("found %d/%d streams and %d/%d clocks", len(sa), len(sb), len(ca), len(cb))
	}
	for i := range sa {
		if sa[i].pcg != sb[i].pcg {
			t.Logf("stream %d differs", i)
			return false
		}
	}
	for i := range ca {
		if *ca[i] != *cb[i] {
			t.Logf("clock %d differs: %+v vs %+v", i, *ca[i], *cb[i])
			return false
		}
	}
	return true
}

// TestReseedGenerationZeroIsReset: Reseed(seed, run, 0) in the middle of a
// run puts every stream and clock where Reset(seed, run) puts them; a
// stream or clock that Reseed forgets (one added to Reset later) fails it.
// Later generations and other runs give other streams.
func TestReseedGenerationZeroIsReset(t *testing.T) {
	sc := refScenario(t)
	a, _ := New(sc)
	b, _ := New(sc)
	for _, c := range []struct {
		run, steps int
	}{{0, 0}, {3, 150}, {11, 600}} {
		a.Reset(5, c.run+1)
		for i := 0; i < c.steps; i++ {
			a.Step()
		}
		a.Reseed(5, c.run, 0)
		b.Reset(5, c.run)
		if !sameRandomness(t, a, b) {
			t.Errorf("run %d after %d steps: Reseed(gen 0) differs from Reset", c.run, c.steps)
		}
		if a.rec.Run != c.run || a.rec.Seed != RunSeed(5, c.run) {
			t.Errorf("run %d: record says run %d seed %d, want %d %d", c.run, a.rec.Run, a.rec.Seed, c.run, RunSeed(5, c.run))
		}
		a.Reseed(5, c.run, 1)
		if sameRandomness(t, a, b) {
			t.Errorf("run %d: generation 1 has the streams of generation 0", c.run)
		}
		b.Reseed(5, c.run+1, 1)
		if sameRandomness(t, a, b) {
			t.Errorf("run %d: generation 1 of runs %d and %d share streams", c.run, c.run, c.run+1)
		}
	}
}

// TestCopyRunCopiesEveryField: after CopyRun and the same Reseed on both,
// the two models are equal field by field (so a field added to Model or
// faction and not copied fails here), and they step to the same record.
func TestCopyRunCopiesEveryField(t *testing.T) {
	sc := refScenario(t)
	for _, cut := range []int{0, 90, 300, 700} {
		src, _ := New(sc)
		dst, _ := New(sc)
		src.Reset(9, 4)
		for src.t < cut {
			src.Step()
		}
		// dst somewhere else entirely: another run, another day.
		dst.Reset(9, 17)
		for dst.t < (cut+400)%800 {
			dst.Step()
		}
		dst.CopyRun(src)
		src.Reseed(9, 4, 3)
		dst.Reseed(9, 4, 3)
		// The record's entries from the current step on are not state: they
		// are written before they are read. Compare them once stepped.
		srcRec, dstRec := src.rec, dst.rec
		src.rec, dst.rec = Record{}, Record{}
		equal := reflect.DeepEqual(src, dst)
		src.rec, dst.rec = srcRec, dstRec
		if !equal {
			t.Errorf("cut %d: models differ after CopyRun and the same Reseed", cut)
			sv, dv := reflect.ValueOf(src).Elem(), reflect.ValueOf(dst).Elem()
			for i := 0; i < sv.NumField(); i++ {
				if !reflect.DeepEqual(sv.Field(i), dv.Field(i)) {
					t.Logf("  field %s differs", sv.Type().Field(i).Name)
				}
			}
		}
		for !src.Done() {
			src.Step()
			dst.Step()
		}
		src.finish()
		dst.finish()
		if !reflect.DeepEqual(src.rec, dst.rec) {
			t.Errorf("cut %d: the copy's future differs from the original's", cut)
		}
		// Storage is the copy's own.
		if &dst.rec.Attacks[0] == &src.rec.Attacks[0] || &dst.facs[0] == &src.facs[0] ||
			&dst.p.Insurgent.Factions[0] == &src.p.Insurgent.Factions[0] {
			t.Errorf("cut %d: CopyRun shares storage with its source", cut)
		}
	}
}

// TestAssimilationDoesNotAllocate: CopyRun and Reseed reuse storage.
func TestAssimilationDoesNotAllocate(t *testing.T) {
	sc := refScenario(t)
	a, _ := New(sc)
	b, _ := New(sc)
	a.Reset(1, 1)
	b.Reset(1, 2)
	a.StepUntil(sc.Start + 200)
	b.CopyRun(a) // grow once
	gen := uint64(1)
	if n := testing.AllocsPerRun(20, func() {
		b.CopyRun(a)
		b.Reseed(1, 2, gen)
		gen++
	}); n != 0 {
		t.Errorf("CopyRun+Reseed allocate %v times", n)
	}
}

// TestIntensityIsTheAttackMean: Record.Intensity is the Poisson mean of the
// attacks drawn, so over many runs the attacks and the summed intensity
// agree within sampling error (the difference is a martingale: its
// variance is the summed intensity itself, whatever the tempo).
func TestIntensityIsTheAttackMean(t *testing.T) {
	sc := refScenario(t)
	m, _ := New(sc)
	var attacks, lam float64
	for run := 0; run < 50; run++ {
		rec := m.Run(3, run)
		for i := range rec.Intensity {
			if rec.Intensity[i] < 0 {
				t.Fatalf("run %d step %d: negative intensity", run, i)
			}
			lam += rec.Intensity[i]
		}
		attacks += rec.AttacksTotal
	}
	// Four standard deviations of a Poisson total.
	if d := attacks - lam; d*d > 16*lam || lam == 0 {
		t.Errorf("attacks %.0f, summed intensity %.1f", attacks, lam)
	}
}
