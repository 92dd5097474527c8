package score

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSkill(t *testing.T) {
	for _, c := range []struct{ model, base, want float64 }{
		{1, 2, 0.5}, {2, 2, 0}, {3, 2, -0.5}, {0, 4, 1},
	} {
		if got := Skill(c.model, c.base); got != c.want {
			t.Errorf("Skill(%v, %v) = %v, want %v", c.model, c.base, got, c.want)
		}
	}
	if !math.IsNaN(Skill(1, 0)) {
		t.Error("Skill against a zero baseline is not NaN")
	}
}

// TestPersistenceAgainstItself scores the persistence forecast at each origin
// of a simulated series against the next month, as both model and baseline:
// every resample then has skill 1 − s/s = 0, so the point skill and both ends
// of the interval are exactly 0.
func TestPersistenceAgainstItself(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	series := make([]float64, 60)
	for i := range series {
		series[i] = float64(nbDraw(8, 2, rng))
	}
	var model, base []float64
	for origin := 12; origin < len(series); origin++ {
		y := int(series[origin])
		model = append(model, Persistence(series[:origin]).CRPS(y))
		base = append(base, Persistence(series[:origin]).CRPS(y))
	}
	skill, lo, hi := BootstrapSkill(model, base, 500, 0.9, rand.New(rand.NewPCG(1, 2)))
	if skill != 0 || lo != 0 || hi != 0 {
		t.Errorf("persistence against itself: skill %v in [%v, %v], want exactly 0 in [0, 0]", skill, lo, hi)
	}
}

func TestBootstrapSkill(t *testing.T) {
	base := []float64{3, 1.5, 8, 0.2, 4, 6.5, 2, 2}
	// A model that is 20% better at every origin has skill 0.2 in every
	// resample.
	scaled := make([]float64, len(base))
	for i, b := range base {
		scaled[i] = 0.8 * b
	}
	skill, lo, hi := BootstrapSkill(scaled, base, 200, 0.9, rand.New(rand.NewPCG(4, 4)))
	for _, v := range []float64{skill, lo, hi} {
		if math.Abs(v-0.2) > 1e-12 {
			t.Errorf("proportional model: (%v, %v, %v), want 0.2 throughout", skill, lo, hi)
		}
	}

	// A model better at some origins and worse at others: the point skill is
	// the pooled one, inside a proper interval; the same seed repeats it.
	model := []float64{2, 2.5, 5, 0.1, 4.5, 3, 2.2, 1}
	var sm, sb float64
	for i := range model {
		sm += model[i]
		sb += base[i]
	}
	s1, lo1, hi1 := BootstrapSkill(model, base, 1000, 0.9, rand.New(rand.NewPCG(5, 6)))
	s2, lo2, hi2 := BootstrapSkill(model, base, 1000, 0.9, rand.New(rand.NewPCG(5, 6)))
	if s1 != 1-sm/sb {
		t.Errorf("point skill %v, want 1 − Σmodel/Σbase = %v", s1, 1-sm/sb)
	}
	if !(lo1 < s1 && s1 < hi1) {
		t.Errorf("interval [%v, %v] does not surround the skill %v", lo1, hi1, s1)
	}
	if s1 != s2 || lo1 != lo2 || hi1 != hi2 {
		t.Errorf("same seed, different results: (%v, %v, %v) and (%v, %v, %v)", s1, lo1, hi1, s2, lo2, hi2)
	}
	_, lo50, hi50 := BootstrapSkill(model, base, 1000, 0.5, rand.New(rand.NewPCG(5, 6)))
	if !(lo1 <= lo50 && hi50 <= hi1) {
		t.Errorf("50%% interval [%v, %v] not inside the 90%% one [%v, %v]", lo50, hi50, lo1, hi1)
	}
}

func TestBootstrapSkillDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if s, lo, hi := BootstrapSkill(nil, nil, 100, 0.9, rng); !math.IsNaN(s) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no origins: (%v, %v, %v), want NaN", s, lo, hi)
	}
	if s, lo, hi := BootstrapSkill([]float64{1, 2}, []float64{2, 2}, 0, 0.9, rng); s != 0.25 || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no resamples: (%v, %v, %v), want (0.25, NaN, NaN)", s, lo, hi)
	}
	if s, lo, hi := BootstrapSkill([]float64{1, 2}, []float64{0, 0}, 50, 0.9, rng); !math.IsNaN(s) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("zero baseline: (%v, %v, %v), want NaN", s, lo, hi)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic on different lengths")
		}
	}()
	BootstrapSkill([]float64{1}, []float64{1, 2}, 10, 0.9, rng)
}

func TestQuantile7(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	for _, c := range []struct{ p, want float64 }{{0, 1}, {1, 4}, {0.5, 2.5}, {1.0 / 3, 2}, {0.9, 3.7}} {
		if got := quantile7(x, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile7(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}
