package plots

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeatMapMaxIsAColour: the cell holding the grid's highest value is
// drawn in the palette's last colour, not white (which reads as a missing
// cell), and the lowest in the first; read from the rendered pixels at the
// cells' centres.
func TestHeatMapMaxIsAColour(t *testing.T) {
	xs, ys := []float64{0.3, 0.6, 0.9}, []float64{0.1, 0.3, 0.5, 0.7, 0.9}
	z := [][]float64{
		{0.05, 0.05, 0.05},
		{0.075, 0.05, 0},
		{0.1, 0.05, 0.1},
		{0.175, 0.05, 0.1},
		{0.24, 0.05, 0.24}, // the maximum twice, as in the issue
	}
	img, p, pc, err := heatMap(Options{Title: "p_hold_180"}, xs, ys, z)
	if err != nil {
		t.Fatal(err)
	}
	dc := p.DataCanvas(pc)
	trX, trY := p.Transforms(&dc)
	im := img.Image()
	hPx := im.Bounds().Dy()
	pixel := func(x, y float64) (r, g, b uint8) {
		px := int(math.Round(float64(trX(x)) / 72 * 150))
		py := hPx - int(math.Round(float64(trY(y))/72*150))
		c := im.At(px, py)
		R, G, B, _ := c.RGBA()
		return uint8(R >> 8), uint8(G >> 8), uint8(B >> 8)
	}
	cm := viridis()
	cm.SetMin(0)
	cm.SetMax(0.24)
	cols := cm.Palette(heatMapCells).Colors()
	near := func(r, g, b uint8, want int) bool {
		R, G, B, _ := cols[want].RGBA()
		d := math.Abs(float64(r)-float64(R>>8)) + math.Abs(float64(g)-float64(G>>8)) + math.Abs(float64(b)-float64(B>>8))
		return d < 12
	}
	for _, cell := range [][2]int{{4, 0}, {4, 2}} {
		r, g, b := pixel(xs[cell[1]], ys[cell[0]])
		if r > 235 && g > 235 && b > 235 {
			t.Errorf("max cell %v drawn white-ish (%d,%d,%d)", cell, r, g, b)
		}
		if !near(r, g, b, heatMapCells-1) {
			t.Errorf("max cell %v is (%d,%d,%d), want the palette's last colour %v", cell, r, g, b, cols[heatMapCells-1])
		}
	}
	if r, g, b := pixel(xs[2], ys[1]); !near(r, g, b, 0) {
		t.Errorf("min cell is (%d,%d,%d), want the palette's first colour %v", r, g, b, cols[0])
	}
	// No colour of the palette is near white.
	for i, c := range cols {
		R, G, B, _ := c.RGBA()
		if R>>8 > 235 && G>>8 > 235 && B>>8 > 235 {
			t.Fatalf("palette colour %d is white-ish: %v", i, c)
		}
	}
}

// TestHeatMapConstantRefused: a grid without variation (or without values)
// is reported by Constant and refused by SaveHeatMap, which writes nothing.
func TestHeatMapConstantRefused(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		z    [][]float64
		want float64
		ok   bool
	}{
		{[][]float64{{0.24, 0.24}, {0.24, 0.24}}, 0.24, true},
		{[][]float64{{1, nan}, {1, 1}}, 1, true},
		{[][]float64{{nan, nan}, {nan, nan}}, nan, true},
		{[][]float64{{0, 0}, {0, 1e-3}}, 0, false},
	} {
		v, ok := Constant(c.z)
		if ok != c.ok || ok && !(v == c.want || math.IsNaN(v) && math.IsNaN(c.want)) {
			t.Errorf("Constant(%v) = %v, %v; want %v, %v", c.z, v, ok, c.want, c.ok)
		}
	}
	path := filepath.Join(t.TempDir(), "h.png")
	err := SaveHeatMap(path, Options{}, []float64{1, 2}, []float64{1, 2}, [][]float64{{0.24, 0.24}, {0.24, 0.24}})
	if err == nil || !strings.Contains(err.Error(), "0.24") {
		t.Errorf("constant grid: err %v", err)
	}
	if _, e := os.Stat(path); e == nil {
		t.Errorf("a file was written for a constant grid")
	}
	if err := SaveHeatMap(path, Options{}, []float64{1, 2}, []float64{1, 2}, [][]float64{{0, 1}, {2, 3}}); err != nil {
		t.Fatal(err)
	}
}
