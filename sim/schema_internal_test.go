package sim

import (
	"reflect"
	"testing"
)

// TestDescendMatchesWalk: the direct descent finds, for every key the full
// walk visits, the very same field; and it finds nothing for what is not a
// leaf (a table, a list element, a key one segment too long or too short).
func TestDescendMatchesWalk(t *testing.T) {
	sc := refScenario(t)
	root := reflect.ValueOf(sc).Elem()
	n := 0
	walk(root, "", func(key string, f reflect.StructField, v reflect.Value) {
		n++
		gf, gv, ok := descend(root, key)
		if !ok {
			t.Errorf("descend(%q) found nothing", key)
			return
		}
		if gf.Name != f.Name || gv.Addr().Pointer() != v.Addr().Pointer() {
			t.Errorf("descend(%q) = field %s at %x, walk has %s at %x", key, gf.Name, gv.Addr().Pointer(), f.Name, v.Addr().Pointer())
		}
	})
	if n < 100 {
		t.Fatalf("walk visited %d keys; the reference scenario has more", n)
	}
	name := sc.Insurgent.Factions[1].Name
	for _, key := range []string{
		"", "mediator", "insurgent.factions", "insurgent.factions." + name,
		"insurgent.factions.NoSuch.fighters", "insurgent.factions." + name + ".fighters.x",
		"mediator.pressure.x", "mediator.pressur", "start.day",
	} {
		if _, _, ok := descend(root, key); ok {
			t.Errorf("descend(%q) found a leaf; walk visits none", key)
		}
		if _, _, err := sc.lookup(key); err == nil {
			t.Errorf("lookup(%q) succeeded", key)
		}
	}
}

// BenchmarkSetFloat is what a sweep pays per point and dimension.
func BenchmarkSetFloat(b *testing.B) {
	sc := refScenario(b)
	key := "insurgent.factions." + sc.Insurgent.Factions[2].Name + ".hardline"
	b.ReportAllocs()
	for b.Loop() {
		if err := sc.SetFloat(key, 0.5); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRetargetIsNew: a model retargeted to another scenario of the same
// shape runs exactly as a model built for it (every series of several
// runs), and one of another shape is refused.
func TestRetargetIsNew(t *testing.T) {
	a, b := refScenario(t), refScenario(t)
	if err := b.SetFloat("mediator.pressure", 0.9); err != nil {
		t.Fatal(err)
	}
	if err := b.SetFloat("insurgent.factions."+b.Insurgent.Factions[2].Name+".hardline", 0.95); err != nil {
		t.Fatal(err)
	}
	m, err := New(a)
	if err != nil {
		t.Fatal(err)
	}
	m.Run(3, 0) // dirty its state and buffers
	if err := m.Retarget(b); err != nil {
		t.Fatal(err)
	}
	fresh, err := New(b)
	if err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 5; run++ {
		x, y := m.Run(3, run), fresh.Run(3, run)
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("run %d: the retargeted model's record differs from a new model's", run)
		}
	}
	short := refScenario(t)
	short.End = short.Start + 100
	if err := m.Retarget(short); err == nil {
		t.Error("retargeting to a scenario with another horizon succeeded")
	}
}
