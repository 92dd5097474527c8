// Command parley simulates negotiation and ceasefire dynamics between a
// state, an insurgent umbrella, a mediator and a rival. See README.md.
package main

import (
	"os"

	"github.com/parley-sim/parley/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
