package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// grid is a regular grid of values for plotter.HeatMap.
type grid struct {
	xs, ys []float64
	z      [][]float64 // z[row][col]: row indexes ys, col indexes xs
}

func (g grid) Dims() (int, int)   { return len(g.xs), len(g.ys) }
func (g grid) Z(c, r int) float64 { return g.z[r][c] }
func (g grid) X(c int) float64    { return g.xs[c] }
func (g grid) Y(r int) float64    { return g.ys[r] }
func minMax(z [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range z {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// Constant reports whether the finite values of z are all the same (or
// there are none), and that value (NaN when there is none). A heat map of
// such a grid shows nothing: callers say so instead of drawing it.
func Constant(z [][]float64) (v float64, ok bool) {
	lo, hi := minMax(z)
	if lo > hi {
		return math.NaN(), true
	}
	if hi-lo <= 1e-12*math.Max(1, math.Abs(hi)) {
		return lo, true
	}
	return 0, false
}

// viridis is the colour map of the heat maps: dark violet (lowest) through
// blue and green to yellow (highest). Unlike the black-body maps it never
// reaches white, so no cell, the highest included, looks like a missing
// one (missing cells are mid grey), and it reads in grey and for
// colour-blind readers.
func viridis() palette.ColorMap {
	hex := []uint32{0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d, 0x27ad81, 0x5cc863, 0xaadc32, 0xfde725}
	cs := make([]color.Color, len(hex))
	for i, h := range hex {
		cs[i] = color.RGBA{uint8(h >> 16), uint8(h >> 8), uint8(h), 255}
	}
	cm, err := moreland.NewLuminance(cs)
	if err != nil {
		panic(err) // the control colours are fixed and increase in luminance
	}
	return cm
}

// heatMapCells is the number of colours of a heat map's palette.
const heatMapCells = 255

// gridTicks labels an axis at the grid's levels when there are few of
// them, else at NiceTicks.
func gridTicks(levels []float64) plot.Ticker {
	if len(levels) > 12 {
		return NiceTicks{}
	}
	ts := make(plot.ConstantTicks, len(levels))
	for i, v := range levels {
		ts[i] = plot.Tick{Value: v, Label: trimNum(v)}
	}
	return ts
}

// heatMap draws the heat map of SaveHeatMap into a 150 dpi image and
// returns the image, the plot of the map and the canvas it was drawn in
// (tests read cells' pixels through them).
func heatMap(o Options, xs, ys []float64, z [][]float64) (*vgimg.Canvas, *plot.Plot, draw.Canvas, error) {
	if len(xs) < 1 || len(ys) < 1 || len(z) != len(ys) {
		return nil, nil, draw.Canvas{}, fmt.Errorf("plots: heat map of %d × %d cells with %d rows", len(xs), len(ys), len(z))
	}
	for _, row := range z {
		if len(row) != len(xs) {
			return nil, nil, draw.Canvas{}, fmt.Errorf("plots: heat map row of %d cells, want %d", len(row), len(xs))
		}
	}
	if v, ok := Constant(z); ok {
		return nil, nil, draw.Canvas{}, fmt.Errorf("plots: no heat map of a grid whose every value is %g", v)
	}
	g := grid{xs: xs, ys: ys, z: z}
	lo, hi := minMax(z)
	cm := viridis()
	cm.SetMin(lo)
	cm.SetMax(hi)
	p := newPlot(o)
	p.X.Tick.Marker = gridTicks(xs)
	p.Y.Tick.Marker = gridTicks(ys)
	// The highest value takes the palette's last colour (HeatMap maps
	// [Min, Max] onto the whole palette, both ends included).
	hm := plotter.NewHeatMap(g, cm.Palette(heatMapCells))
	hm.Min, hm.Max = lo, hi
	hm.NaN = color.Gray{200}
	p.Add(hm)

	bar := plot.New()
	bar.Title.Text = ""
	bar.HideX()
	bar.Y.Tick.Marker = NiceTicks{}
	bar.Y.Tick.Label.Font.Size = vg.Points(8)
	bar.Y.Padding = 0
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})

	w, h := o.size()
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	dc := draw.New(img)
	barW := 2.2 * vg.Centimeter
	pc := draw.Crop(dc, 0, -barW, 0, 0)
	p.Draw(pc)
	// The bar spans the plot area's height: leave room for the title and
	// the x axis.
	bar.Draw(draw.Crop(dc, w-barW+4*vg.Millimeter, -8*vg.Millimeter, 14*vg.Millimeter, -10*vg.Millimeter))
	return img, p, pc, nil
}

// SaveHeatMap draws z over the 2-D grid xs × ys (z[i][j] is the value at
// ys[i], xs[j]; NaN cells are grey) with a colour bar on the right, as a
// PNG at 150 dpi. The colours run from dark violet (lowest) to yellow
// (highest). A grid without variation (see Constant) is an error: its map
// would show one colour against a made-up scale. Only PNG is offered:
// gonum/plot's SVG heat maps lose their aspect. The file appears complete
// or not at all.
func SaveHeatMap(path string, o Options, xs, ys []float64, z [][]float64) error {
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".png" {
		return fmt.Errorf("plots: heat maps are written as PNG only (got %q)", ext)
	}
	img, _, _, err := heatMap(o, xs, ys, z)
	if err != nil {
		return err
	}
	return writeAtomic(path, pngCanvas{img})
}

// Trajectory draws a PRIM peeling trajectory: density against coverage,
// one point per box, the chosen box highlighted.
func Trajectory(o Options, coverage, density []float64, chosen int) (*plot.Plot, error) {
	p := newPlot(o)
	p.X.Tick.Marker = NiceTicks{}
	pts := make(plotter.XYs, len(coverage))
	for i := range coverage {
		pts[i] = plotter.XY{X: coverage[i], Y: density[i]}
	}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, err
	}
	l.Color = Palette[0]
	s.Color = Palette[0]
	s.Radius = vg.Points(2)
	p.Add(l, s)
	if chosen >= 0 && chosen < len(pts) {
		c, err := plotter.NewScatter(plotter.XYs{pts[chosen]})
		if err != nil {
			return nil, err
		}
		c.Color = Palette[1]
		c.Radius = vg.Points(5)
		c.Shape = draw.RingGlyph{}
		p.Add(c)
		p.Legend.Add("chosen box", c)
	}
	return p, nil
}
