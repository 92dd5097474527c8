// Package scenarios holds the scenarios built into the parley binary and
// the documented history they are calibrated on.
package scenarios

import "embed"

// FS holds the scenario files (*.toml) and history/*.csv.
//
//go:embed *.toml history/*.csv history/*.toml
var FS embed.FS

// Default is the reference scenario that commands use when given no file.
const Default = "ttp-2021.toml"
