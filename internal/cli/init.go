package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/parley-sim/parley/internal/atomicfile"
)

// starterFile is the file parley init writes into its folder.
const starterFile = "scenario.toml"

// starterScenario is what parley init writes: an overlay of the built-in
// reference, so it runs from any folder (its history comes with the
// binary), with the keys users change most as commented examples. %s is
// the scenario's name.
const starterScenario = `# %[1]s — a scenario of your own, written by "parley init".
#
# It extends the built-in reference scenario (parley scenarios lists the
# others; "embedded:NAME" needs no .toml) and, as written, runs exactly like
# it. Every key you set below overrides the reference's; every [[events]]
# block is added to its events. Uncomment and edit, then:
#
#   parley validate %[2]s
#   parley run %[2]s --runs 200
#   parley compare embedded:ttp-2021 %[2]s    # your changes against the reference
#
# Every key, its range and meaning: parley validate lists the allowed values
# in its messages, and sim/MODEL.md §3.5 lists them all.

extends = "embedded:ttp-2021"
# The name is used for the default output folder, out/<name>.
name = "%[1]s"
description = "My scenario: the reference with my changes"

# ---- horizon, runs and seed -------------------------------------------------
# start = 2021-08-15          # the reference's first day; events before it are errors
# end = 2024-06-30            # the last simulated day (reference: 2023-12-31)
# runs = 1000                 # Monte Carlo runs (--runs overrides)
# seed = 20210815             # master seed (--seed overrides)

# ---- parameters (each is also a --set key: --set mediator.pressure=0.8) ----
# [mediator]
# pressure = 0.8              # 0 to 1; reference 0.4: "will not coerce TTP"

# [insurgent]
# patience = 120              # days of frustration before walking out is likely; reference 240

# [rules.state_ends_ceasefire]
# tolerance = 30              # attacks a month the state tolerates during a ceasefire; reference 38.3

# A faction, by name (factions merge by name; a new name adds a faction):
# [[insurgent.factions]]
# name = "JuA"
# hardline = 0.9              # 0 to 1

# ---- events (added to the reference's; dates inside start..end) ------------
# [[events]]
# date = 2021-12-01
# type = "concede"            # concede units of a demand item
# target = "prisoners"
# units = 102
# note = "What-if: the 102 prisoners released via the Afghan Taliban"

# [[events]]
# date = 2022-06-02
# type = "press"              # the mediator presses with value for days (0: for good)
# value = 0.9
# days = 180
# note = "What-if: the mediator presses hard for six months"
`

// initCmd writes a starter scenario into a folder: parley init DIR.
func initCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlags("init", "parley init DIR [--force]", stderr)
	force := fset.Bool("force", false, "replace an existing "+starterFile+" in DIR")
	pos, err := parse(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("init needs one folder (got %d arguments), e.g. parley init my-study", len(pos))
	}
	dir := pos[0]
	file := filepath.Join(dir, starterFile)
	if _, err := os.Lstat(file); err == nil && !*force {
		return fmt.Errorf("%s exists (use --force to replace it)", file)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("init: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	text := fmt.Sprintf(starterScenario, starterName(dir), file)
	if err := atomicfile.Write(file, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	}); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (extends the built-in ttp-2021; edit it, then: parley run %s)\n", file, file)
	return nil
}

// starterName is the scenario name for a folder: its base name, with
// anything but letters, digits, '-', '_' and '.' replaced by '-'.
func starterName(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	n := strings.Trim(regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(filepath.Base(abs), "-"), "-.")
	if n == "" {
		return "my-scenario"
	}
	return n
}
