package calib_test

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/parley-sim/parley/sim/calib"
)

// ABC-SMC on a loss that is a negative log-likelihood: 40 counts averaging
// 6.2 under a Poisson rate with a uniform prior on 1 to 20. The posterior
// of the rate is close to Gamma(249, 40): mean 6.2, sd 0.39.
func ExampleABCSMC() {
	const n, mean = 40, 6.2
	nll := func(theta []float64) (float64, error) {
		lam := theta[0]
		return n * (lam - mean*math.Log(lam)), nil // up to a constant
	}
	free := []calib.Free{{Key: "rate", Lo: 1, Hi: 20}}
	res, err := calib.ABCSMC(context.Background(), free, nll, calib.SMCOptions{Particles: 400, Budget: 20000, Seed: 1})
	if err != nil {
		panic(err)
	}
	post := res.Posterior(free)
	fmt.Printf("populations %d, stop: %s\n", len(res.Populations), res.Stop[:26])
	fmt.Printf("rate %.1f, 90%% interval %.1f – %.1f\n", post.Quantile(0, 0.5), post.Quantile(0, 0.05), post.Quantile(0, 0.95))
	// Output:
	// populations 6, stop: ε reached the lowest loss
	// rate 6.2, 90% interval 5.6 – 6.9
}

// A forecast that carries parameter uncertainty draws one parameter set
// per run from posterior.csv, by weight, with a uniform from the run's own
// stream.
func ExamplePosterior_Draw() {
	const file = `weight,loss,attacks.background,rules.insurgent_extends.base
0.5,20.7,0.45,1.1
0.3,20.9,0.52,0.4
0.2,21.4,0.38,2.0
`
	post, err := calib.ReadPosterior(strings.NewReader(file))
	if err != nil {
		panic(err)
	}
	for _, u := range []float64{0.1, 0.6, 0.95} { // u: a run's uniform draw
		fmt.Println(post.Keys[0], "=", post.Draw(u)[0])
	}
	// Output:
	// attacks.background = 0.45
	// attacks.background = 0.52
	// attacks.background = 0.38
}
