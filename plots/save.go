package plots

import (
	"fmt"
	"image/png"
	"io"
	"path/filepath"
	"strings"

	"github.com/parley-sim/parley/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// asciiReplacer maps the non-ASCII characters our texts use to ASCII, for
// PDF output (gonum/plot v0.17 garbles them in PDF).
var asciiReplacer = strings.NewReplacer("–", "-", "—", "-", "→", "->", "≤", "<=", "≥", ">=", "×", "x", "·", ".", "…", "...", "’", "'")

// ASCII replaces non-ASCII characters with ASCII look-alikes, dropping any
// other non-ASCII rune.
func ASCII(s string) string {
	s = asciiReplacer.Replace(s)
	return strings.Map(func(r rune) rune {
		if r > 127 {
			return '?'
		}
		return r
	}, s)
}

// Save writes a plot to path; the format follows the extension (.png at
// 150 dpi, .svg, .pdf). The file appears complete or not at all. Save does
// not modify p (it draws a copy), so several Saves (and Panels) of the same
// plot may run concurrently.
func Save(p *plot.Plot, path string, o Options) error {
	w, h := o.size()
	ext := strings.ToLower(filepath.Ext(path))
	var canvas vg.CanvasWriterTo
	switch ext {
	case ".png":
		canvas = pngCanvas{vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))}
	case ".svg":
		canvas = vgsvg.New(w, h)
	case ".pdf":
		canvas = vgpdf.New(w, h)
	default:
		return fmt.Errorf("plots: unknown format %q (want .png, .svg or .pdf)", ext)
	}
	// Drawing sets the axes' ranges (gonum/plot's sanitizeRange, the same
	// on every draw): a shallow copy keeps that out of the caller's plot,
	// and the PDF's ASCII texts too. The plotters are shared and only read.
	q := *p
	if ext == ".pdf" {
		q.Title.Text = ASCII(p.Title.Text)
		q.X.Label.Text = ASCII(p.X.Label.Text)
		q.Y.Label.Text = ASCII(p.Y.Label.Text)
	}
	p = &q
	drawPlot(p, draw.New(canvas))
	return writeAtomic(path, canvas)
}

// legendGap is the space between the plotting area and the legend strip.
const legendGap = 6 // points

// edgeMargin is the blank margin left and right of every chart.
const edgeMargin = 3 // points

// legendShare is the largest share of a chart's width a legend strip beside
// the plotting area may take, and minDataShare the least share the data
// must keep beside it; otherwise the legend goes below the plot.
const (
	legendShare  = 0.45
	minDataShare = 0.4
)

// layout splits c into the canvas the plot is drawn in and, when p has
// legend entries, the strip that holds the legend: right of the plot below
// the title, or, when that strip would take more than legendShare of the
// width or leave the data less than minDataShare of it, along the bottom. Either way a legend never covers data or the
// title.
func layout(p *plot.Plot, c draw.Canvas) (pc, lc draw.Canvas, ok bool) {
	// gonum/plot lays text out to the canvas edge and measures some glyphs
	// a little short: a thin margin keeps the longest tick label whole.
	c = draw.Crop(c, vg.Points(edgeMargin), -vg.Points(edgeMargin), 0, 0)
	lr := p.Legend.Rectangle(c).Size()
	if lr.X <= 0 {
		return c, draw.Canvas{}, false
	}
	// Text extents are measured a little short for some glyphs: keep a
	// margin at the right edge so the last letters are never clipped.
	w := lr.X*1.04 + vg.Points(4)
	pc = draw.Crop(c, 0, -(w + vg.Points(legendGap)), 0, 0)
	q := *p
	q.Legend = plot.Legend{TextStyle: p.Legend.TextStyle}
	if w > legendShare*c.Size().X || q.DataCanvas(pc).Size().X < minDataShare*c.Size().X {
		h := lr.Y + vg.Points(legendGap)
		pc = draw.Crop(c, 0, 0, h+vg.Points(legendGap), 0)
		lc = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Min.X, Y: c.Min.Y},
			Max: vg.Point{X: c.Max.X, Y: c.Min.Y + h},
		}}
		return pc, lc, true
	}
	top := c.Max.Y
	if p.Title.Text != "" {
		top -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
	}
	lc = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Max.X - w, Y: c.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: top},
	}}
	return pc, lc, true
}

// drawPlot draws p into c with its legend in a strip right of (or below)
// the plotting area, so a legend can never cover data (see layout). A plot
// without legend entries uses the whole canvas (less a thin margin).
func drawPlot(p *plot.Plot, c draw.Canvas) {
	pc, lc, ok := layout(p, c)
	if !ok {
		p.Draw(pc)
		return
	}
	lg := p.Legend
	q := *p
	q.Legend = plot.Legend{TextStyle: lg.TextStyle, YPosition: lg.YPosition}
	q.Draw(pc)
	lg.Top, lg.Left, lg.XOffs, lg.YOffs = true, true, 0, 0
	lg.Draw(lc)
}

// LegendRect returns where drawPlot puts p's legend and its plotting area
// (the data rectangle) when p is drawn into a canvas of the given size; for
// tests that check a legend never covers data. ok is false without legend.
func LegendRect(p *plot.Plot, o Options) (legend, data vg.Rectangle, ok bool) {
	w, h := o.size()
	c := draw.New(vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(72)))
	pc, lc, ok := layout(p, c)
	q := *p
	q.Legend = plot.Legend{TextStyle: p.Legend.TextStyle}
	data = q.DataCanvas(pc).Rectangle
	if !ok {
		return legend, data, false
	}
	lr := p.Legend.Rectangle(c).Size()
	legend = vg.Rectangle{Min: vg.Point{X: lc.Min.X, Y: lc.Max.Y - lr.Y}, Max: vg.Point{X: lc.Min.X + lr.X, Y: lc.Max.Y}}
	return legend, data, true
}

func writeAtomic(path string, wt io.WriterTo) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := wt.WriteTo(w); return err }); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// pngCanvas is a raster canvas written as a PNG with zlib's fastest
// compression: the charts are large flat-colour images, which its
// run-length matching compresses nearly as well as the default level, at a
// fraction of the time (encoding was half of a run's output phase). The
// bytes depend only on the image, so outputs stay reproducible.
type pngCanvas struct{ *vgimg.Canvas }

// WriteTo writes the canvas as a PNG.
func (c pngCanvas) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err := enc.Encode(cw, c.Image())
	return cw.n, err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Panel draws plots tiled in rows × cols into one PNG at 150 dpi. Like
// Save, it does not modify the plots (it draws copies).
func Panel(path string, o Options, rows, cols int, ps []*plot.Plot) error {
	return PanelWithKey(path, o, rows, cols, ps, nil)
}

// PanelWithKey is Panel with a shared legend (the key of every tile) drawn
// in the first free tile; rows × cols must leave one.
func PanelWithKey(path string, o Options, rows, cols int, ps []*plot.Plot, key *plot.Legend) error {
	if key != nil && len(ps) >= rows*cols {
		return fmt.Errorf("plots: %s: no free tile for the key (%d charts in %d×%d)", path, len(ps), rows, cols)
	}
	w, h := o.size()
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	dc := draw.New(img)
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if i := r*cols + c; i < len(ps) && ps[i] != nil {
				q := *ps[i]
				grid[r][c] = &q
			}
		}
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(grid, tiles, dc)
	for r := range grid {
		for c := range grid[r] {
			if grid[r][c] != nil {
				drawPlot(grid[r][c], canvases[r][c])
			} else if i := r*cols + c; key != nil && i == len(ps) {
				k := *key
				k.Top, k.Left, k.XOffs, k.YOffs = true, true, vg.Millimeter*6, -vg.Millimeter*10
				k.Draw(canvases[r][c])
			}
		}
	}
	return writeAtomic(path, pngCanvas{img})
}
