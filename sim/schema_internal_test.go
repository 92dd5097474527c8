package sim

import (
	"math"
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

// BenchmarkSetFloat is what --set pays per key: a lookup, then the set.
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

// BenchmarkSetterSet is what a sweep pays per point and dimension: the
// key resolved once, then only the set.
func BenchmarkSetterSet(b *testing.B) {
	sc := refScenario(b)
	st, err := sc.Setter("insurgent.factions." + sc.Insurgent.Factions[2].Name + ".hardline")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := st.Set(sc, 0.5); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSetterIsSetFloat: for every numeric key of the reference scenario, a
// setter resolved on one scenario and applied to another of the same shape
// sets exactly what SetFloat sets there (rounded for whole-number keys),
// and refuses what SetFloat refuses with the same message; a key that is
// not numeric, or not a key, is refused when resolved.
func TestSetterIsSetFloat(t *testing.T) {
	a := refScenario(t)
	clone := func(s *Scenario) *Scenario {
		c := *s
		c.Insurgent.Factions = append([]FactionConfig(nil), s.Insurgent.Factions...)
		c.Insurgent.Demands = append([]DemandConfig(nil), s.Insurgent.Demands...)
		c.Events = append([]EventConfig(nil), s.Events...)
		return &c
	}
	n := 0
	walk(reflect.ValueOf(a).Elem(), "", func(key string, f reflect.StructField, v reflect.Value) {
		p := paramOf(key, f, v)
		if p.Kind != "float" && p.Kind != "int" {
			if _, err := a.Setter(key); err == nil {
				t.Errorf("Setter(%q) of a %s key succeeded", key, p.Kind)
			}
			return
		}
		n++
		st, err := a.Setter(key)
		if err != nil {
			t.Fatalf("Setter(%q): %v", key, err)
		}
		if st.Key() != key {
			t.Errorf("Setter(%q).Key() = %q", key, st.Key())
		}
		xs := []float64{1.4, 2.6, -1e9, 1e9}
		if p.HasRange {
			xs = append(xs, p.Min, p.Max, p.Min+0.37*(p.Max-p.Min), p.Max+1)
		}
		for _, x := range xs {
			b, c := clone(a), clone(a)
			errB, errC := st.Set(b, x), c.SetFloat(key, x)
			if (errB == nil) != (errC == nil) || errB != nil && errB.Error() != errC.Error() {
				t.Errorf("%s = %v: Setter.Set says %v, SetFloat says %v", key, x, errB, errC)
			}
			if !reflect.DeepEqual(b, c) {
				t.Errorf("%s = %v: Setter.Set and SetFloat leave different scenarios", key, x)
			}
			want := x
			if p.Kind == "int" {
				want = math.Round(x)
			}
			if got, _ := b.Float(key); errB == nil && got != want {
				t.Errorf("%s = %v: the key holds %v, want %v", key, x, got, want)
			}
			if inRange := !p.HasRange || want >= p.Min && want <= p.Max; (errB == nil) != inRange {
				t.Errorf("%s = %v (range %v to %v): Set says %v", key, x, p.Min, p.Max, errB)
			}
		}
	})
	if n < 100 {
		t.Fatalf("only %d numeric keys", n)
	}
	if _, err := a.Setter("mediator.pressur"); err == nil {
		t.Error("Setter of an unknown key succeeded")
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
