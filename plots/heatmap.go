package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
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
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		return 0, 1
	}
	if lo == hi {
		return lo - 0.5, hi + 0.5
	}
	return lo, hi
}

// SaveHeatMap draws z over the 2-D grid xs × ys (z[i][j] is the value at
// ys[i], xs[j]; NaN cells are grey) with a colour bar on the right, as a
// PNG at 150 dpi. Only PNG is offered: gonum/plot's SVG heat maps lose
// their aspect. The file appears complete or not at all.
func SaveHeatMap(path string, o Options, xs, ys []float64, z [][]float64) error {
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".png" {
		return fmt.Errorf("plots: heat maps are written as PNG only (got %q)", ext)
	}
	if len(xs) < 1 || len(ys) < 1 || len(z) != len(ys) {
		return fmt.Errorf("plots: heat map of %d × %d cells with %d rows", len(xs), len(ys), len(z))
	}
	for _, row := range z {
		if len(row) != len(xs) {
			return fmt.Errorf("plots: heat map row of %d cells, want %d", len(row), len(xs))
		}
	}
	g := grid{xs: xs, ys: ys, z: z}
	lo, hi := minMax(z)
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(lo)
	cm.SetMax(hi)
	p := newPlot(o)
	p.X.Tick.Marker = NiceTicks{}
	hm := plotter.NewHeatMap(g, cm.Palette(255))
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
	p.Draw(draw.Crop(dc, 0, -barW, 0, 0))
	// The bar spans the plot area's height: leave room for the title and
	// the x axis.
	bar.Draw(draw.Crop(dc, w-barW+4*vg.Millimeter, -8*vg.Millimeter, 14*vg.Millimeter, -10*vg.Millimeter))
	return writeAtomic(path, vgimg.PngCanvas{Canvas: img})
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
