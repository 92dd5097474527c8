package palette

import (
	"image/color"
	"regexp"
	"strings"
	"testing"
)

func TestColorsParseAndDiffer(t *testing.T) {
	hex := regexp.MustCompile(`^#[0-9A-F]{6}$`)
	seen := map[string]string{}
	for name, h := range Hex {
		if !hex.MatchString(h) {
			t.Errorf("%s: %q is not #RRGGBB", name, h)
		}
		r, g, b, _ := Color(name).RGBA()
		got := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
		if want := (color.RGBA{A: 255}); got == want && h != "#000000" {
			t.Errorf("%s: %q parsed as black", name, h)
		}
		for _, group := range [][]string{{"conflict", "talks", "ceasefire", "settlement", "operation"}, {"insurgent", "splinter", "rival"}} {
			in := false
			for _, g := range group {
				in = in || g == name
			}
			if !in {
				continue
			}
			key := strings.Join(group, ",") + h
			if other, dup := seen[key]; dup {
				t.Errorf("%s and %s share %s in one chart", name, other, h)
			}
			seen[key] = name
		}
	}
	if !strings.Contains(Script(), `"ceasefire":"#009E73"`) {
		t.Errorf("script lacks the ceasefire colour: %s", Script())
	}
}
