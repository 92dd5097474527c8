// Package palette names the colours that every chart (PNG, SVG, PDF) and
// the browser page share, so a phase or an agent has one colour wherever an
// analyst sees it. Colours are from the Okabe–Ito colour-blind-safe set.
package palette

import (
	"encoding/json"
	"fmt"
	"image/color"
	"sort"
)

// Hex maps a semantic name to its colour as #RRGGBB: the phases of talks
// and the groups whose fighters and attacks are charted.
var Hex = map[string]string{
	// Phases: grey background of open conflict, blue-green family for the
	// calm phases (green = a ceasefire holds), dark grey for an operation.
	"conflict":   "#BBBBBB",
	"talks":      "#56B4E9",
	"ceasefire":  "#009E73",
	"settlement": "#0072B2",
	"operation":  "#444444",
	// Groups.
	"insurgent": "#E69F00", // the umbrella (TTP)
	"splinter":  "#CC79A7", // factions that split off
	"rival":     "#D55E00", // the rival (ISKP)
}

// Color returns the named colour; it panics on an unknown name (a
// programming error: every name used is in Hex).
func Color(name string) color.Color {
	h, ok := Hex[name]
	if !ok {
		panic(fmt.Sprintf("palette: no colour named %q", name))
	}
	var r, g, b uint8
	fmt.Sscanf(h, "#%02x%02x%02x", &r, &g, &b)
	return color.RGBA{r, g, b, 255}
}

// Script returns a JavaScript statement that sets window.PALETTE to Hex,
// for the browser page.
func Script() string {
	keys := make([]string, 0, len(Hex))
	for k := range Hex {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := make(map[string]string, len(Hex))
	for _, k := range keys {
		m[k] = Hex[k]
	}
	b, _ := json.Marshal(m)
	return "window.PALETTE = " + string(b) + ";"
}
