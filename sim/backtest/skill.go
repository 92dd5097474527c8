package backtest

import (
	"math"
	"math/rand/v2"

	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/score"
)

// skillScores lists, per target, the scores whose skill is reported.
var skillScores = []struct{ target, score string }{
	{TargetAttacks, "crps"},
	{TargetAttacks, "pinball"},
	{TargetCeasefire, "brier"},
}

func scoreOf(r *Row, name string) float64 {
	switch name {
	case "crps":
		return r.CRPS
	case "pinball":
		return r.Pinball
	case "brier":
		return r.Brier
	}
	return math.NaN()
}

// skills computes the model's skill against each baseline per horizon and
// pooled (Horizon 0), with a 90% bootstrap interval over origins: each
// origin's mean score is resampled, so months forecast from one origin
// (which share its errors) stay together.
func skills(rows []Row, origins []sim.Date, horizons []int, bases []string, reps int, seed uint64) []Skill {
	type key struct {
		model, target string
		origin        sim.Date
		horizon       int
	}
	idx := map[key]*Row{}
	for i := range rows {
		r := &rows[i]
		idx[key{r.Model, r.Target, r.Origin, r.Horizon}] = r
	}
	var out []Skill
	for _, ss := range skillScores {
		for _, b := range bases {
			for _, h := range append([]int{0}, horizons...) {
				var ms, bs []float64
				for _, o := range origins {
					var m, bsum float64
					n := 0
					for _, hh := range horizons {
						if h != 0 && hh != h {
							continue
						}
						mr, ok1 := idx[key{Model, ss.target, o, hh}]
						br, ok2 := idx[key{b, ss.target, o, hh}]
						if !ok1 || !ok2 {
							continue
						}
						m += scoreOf(mr, ss.score)
						bsum += scoreOf(br, ss.score)
						n++
					}
					if n > 0 {
						ms = append(ms, m/float64(n))
						bs = append(bs, bsum/float64(n))
					}
				}
				if len(ms) == 0 {
					continue
				}
				rng := rand.New(rand.NewPCG(seed, uint64(h)+0x51ed27))
				v, lo, hi := score.BootstrapSkill(ms, bs, reps, 0.9, rng)
				out = append(out, Skill{Model: Model, Baseline: b, Target: ss.target, Score: ss.score, Horizon: h,
					Value: v, Lo: lo, Hi: hi, Origins: len(ms)})
			}
		}
	}
	return out
}

// calibration summarises each forecaster's monthly attack forecasts:
// interval coverage, PIT uniformity and mean scores. The chi-square test
// uses up to 10 bins and at least 5 expected values per bin.
func calibration(rows []Row, models []string) []Calibration {
	var out []Calibration
	for _, m := range models {
		c := Calibration{Model: m, Coverage: make([]float64, len(Levels))}
		for i := range rows {
			r := &rows[i]
			if r.Model != m || r.Target != TargetAttacks {
				continue
			}
			c.N++
			c.PIT = append(c.PIT, r.PIT)
			c.CRPS += r.CRPS
			c.Pinball += r.Pinball
			for j := range Levels {
				c.Coverage[j] += float64(r.Covered[j])
			}
		}
		if c.N == 0 {
			continue
		}
		c.CRPS /= float64(c.N)
		c.Pinball /= float64(c.N)
		for j := range c.Coverage {
			c.Coverage[j] /= float64(c.N)
		}
		c.Bins = max(2, min(10, c.N/5))
		c.ChiSq, c.P = score.ChiSquareUniform(c.PIT, c.Bins)
		out = append(out, c)
	}
	return out
}
