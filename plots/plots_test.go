package plots

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ span, want float64 }{
		{100, 20}, {97, 20}, {50, 10}, {12, 2.5}, {1, 0.2}, {0.3, 0.1}, {1200, 250}, {3, 1},
		{0, 1}, {-5, 1}, {math.Inf(1), 1}, {math.NaN(), 1},
	} {
		if got := NiceStep(c.span); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("NiceStep(%v) = %v, want %v", c.span, got, c.want)
		}
	}
}

// TestNiceTicks: labelled ticks are multiples of the step, inside the
// range, between 3 and 6 of them, with clean labels.
func TestNiceTicks(t *testing.T) {
	for _, r := range [][2]float64{{0, 97}, {-3, 41}, {0, 1}, {12.5, 13.1}, {0, 25000}} {
		ts := NiceTicks{}.Ticks(r[0], r[1])
		step := NiceStep(r[1] - r[0])
		n := 0
		for _, tk := range ts {
			if tk.Value < r[0]-1e-9 || tk.Value > r[1]+1e-9 {
				t.Errorf("%v: tick %v outside the range", r, tk.Value)
			}
			if tk.Label == "" {
				continue
			}
			n++
			if q := tk.Value / step; math.Abs(q-math.Round(q)) > 1e-6 {
				t.Errorf("%v: labelled tick %v is not a multiple of %v", r, tk.Value, step)
			}
			if strings.Contains(tk.Label, "e") || strings.HasSuffix(tk.Label, ".") || strings.HasSuffix(tk.Label, "0") && strings.Contains(tk.Label, ".") {
				t.Errorf("%v: untidy label %q", r, tk.Label)
			}
		}
		if n < 3 || n > 7 {
			t.Errorf("%v: %d labelled ticks, want 3–7", r, n)
		}
	}
}

// TestDateTicks: month labels on calendar boundaries, at most seven (so
// they do not collide in a chart beside its legend), in
// order, inside the range; years for long spans.
func TestDateTicks(t *testing.T) {
	day := func(s string) float64 {
		d, _ := time.Parse("2006-01-02", s)
		return float64(d.Unix())
	}
	for _, c := range []struct {
		lo, hi     string
		firstLabel string
	}{
		{"2021-08-15", "2023-12-31", "Jan 2022"}, // 29 months: every 6 months, aligned to Jan/Jul
		{"2021-11-09", "2022-05-31", "Jan 2022"}, // 7 months: every 2 months, aligned to Jan/Mar/May
		{"2004-01-01", "2023-12-31", "2005"},
		{"2022-06-01", "2022-06-20", "1 Jun"},
	} {
		ts := DateTicks{}.Ticks(day(c.lo), day(c.hi))
		if len(ts) == 0 || len(ts) > 7 {
			t.Fatalf("%s–%s: %d ticks", c.lo, c.hi, len(ts))
		}
		if !strings.HasPrefix(ts[0].Label, c.firstLabel[:3]) && ts[0].Label != c.firstLabel {
			t.Errorf("%s–%s: first label %q, want like %q", c.lo, c.hi, ts[0].Label, c.firstLabel)
		}
		for i, tk := range ts {
			if tk.Value < day(c.lo) || tk.Value > day(c.hi) {
				t.Errorf("%s–%s: tick %s outside", c.lo, c.hi, tk.Label)
			}
			if i > 0 && tk.Value <= ts[i-1].Value {
				t.Errorf("%s–%s: ticks out of order", c.lo, c.hi)
			}
		}
	}
}

func sampleBand() Band {
	b := Band{Name: "simulated"}
	start := time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 29; i++ {
		m := 20 + 10*math.Sin(float64(i)/4)
		b.Dates = append(b.Dates, start.AddDate(0, i, 0))
		for _, s := range []struct {
			p *[]float64
			d float64
		}{{&b.Mean, 0}, {&b.P05, -12}, {&b.P10, -9}, {&b.P25, -5}, {&b.P50, 0}, {&b.P75, 5}, {&b.P90, 9}, {&b.P95, 12}} {
			*s.p = append(*s.p, m+s.d)
		}
	}
	return b
}

// TestSaveFormats: PNG has the requested size at 150 dpi; SVG carries the
// title text; PDF works with a non-ASCII title (gonum/plot garbles those,
// so Save writes ASCII); no temporary files are left behind.
func TestSaveFormats(t *testing.T) {
	dir := t.TempDir()
	o := Options{Title: "Attacks per month – fan chart", YLabel: "attacks", Width: 10 * vg.Centimeter, Height: 6 * vg.Centimeter}
	for _, ext := range []string{"png", "svg", "pdf"} {
		p, err := Fan(o, []Band{sampleBand()}, []Observed{{Date: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Value: 24, Label: "observed"}})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "fan."+ext)
		if err := Save(p, path, o); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		switch ext {
		case "png":
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			// 10 cm × 6 cm at 150 dpi = 591 × 354 px.
			if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 591 || h != 354 {
				t.Errorf("PNG is %d×%d, want 591×354", w, h)
			}
		case "svg":
			if !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("fan chart")) {
				t.Errorf("SVG lacks the title")
			}
		case "pdf":
			if !bytes.HasPrefix(b, []byte("%PDF")) {
				t.Errorf("not a PDF")
			}
			// The PDF's ASCII texts do not leak into the plot, which is
			// drawn again (the overview panel) after its files.
			if p.Title.Text != o.Title {
				t.Errorf("saving a PDF changed the title to %q", p.Title.Text)
			}
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("want exactly 3 files, got %v", names)
	}
	if err := Save(nil, filepath.Join(dir, "x.gif"), o); err == nil || !strings.Contains(err.Error(), ".png, .svg or .pdf") {
		t.Errorf("unknown format: got %v", err)
	}
}

// TestPDFSameBytes: the same chart saved as PDF several times, in
// different wall-clock seconds, gives the same bytes. fpdf stamps the time
// of writing (to the second) as CreationDate and ModDate and, unless told
// to sort, writes its font catalog in Go's random map order; Save fixes
// both (see pdfDate). The later saves wait for the next second, so a date
// taken from the clock would differ, and the fixed date is checked too.
// The chart uses three typefaces, so an unsorted catalog would come out
// in another order in most of the saves.
func TestPDFSameBytes(t *testing.T) {
	dir := t.TempDir()
	o := Options{Title: "Attacks per month", YLabel: "attacks", Width: 10 * vg.Centimeter, Height: 6 * vg.Centimeter}
	save := func(name string) []byte {
		t.Helper()
		p, err := Fan(o, []Band{sampleBand()}, []Observed{{Date: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Value: 24, Label: "observed"}})
		if err != nil {
			t.Fatal(err)
		}
		p.Title.TextStyle.Font.Variant = "Mono"
		p.Y.Label.TextStyle.Font.Variant = "Serif"
		path := filepath.Join(dir, name)
		if err := Save(p, path, o); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := save("first.pdf")
	if n := bytes.Count(want, []byte("/Type /FontDescriptor")); n != 3 {
		t.Errorf("the chart has %d fonts, want 3 (the catalog order goes untested)", n)
	}
	now := time.Now()
	time.Sleep(now.Truncate(time.Second).Add(time.Second + 10*time.Millisecond).Sub(now))
	for k := range 6 {
		got := save("again-" + strconv.Itoa(k) + ".pdf")
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("save %d differs from the first (%d and %d bytes), first at byte %d: %q vs %q",
				k+2, len(got), len(want), i, got[i:min(i+40, len(got))], want[i:min(i+40, len(want))])
		}
	}
	date := "(D:" + pdfDate.Format("20060102150405") + ")"
	for _, key := range []string{"/CreationDate ", "/ModDate "} {
		if !bytes.Contains(want, []byte(key+date)) {
			t.Errorf("PDF lacks %s%s", key, date)
		}
	}
}

func TestASCII(t *testing.T) {
	for in, want := range map[string]string{
		"2021–2023":     "2021-2023",
		"a → b ≤ c · d": "a -> b <= c . d",
		"plain":         "plain",
		"30 °C":         "30 ?C",
	} {
		if got := ASCII(in); got != want {
			t.Errorf("ASCII(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSurvivalRejectsBadCurves: survival values must lie in [0, 1] and the
// X and Y lengths agree.
func TestSurvivalRejectsBadCurves(t *testing.T) {
	good := Curve{Name: "ok", X: []float64{0, 10, 20}, Y: []float64{1, 0.5, 0.2}}
	if _, err := Survival(Options{}, []Curve{good}); err != nil {
		t.Fatalf("good curve: %v", err)
	}
	for _, c := range []Curve{
		{Name: "short", X: []float64{0, 1}, Y: []float64{1}},
		{Name: "above one", X: []float64{0, 1}, Y: []float64{1.2, 0.5}},
	} {
		if _, err := Survival(Options{}, []Curve{c}); err == nil {
			t.Errorf("%s: no error", c.Name)
		}
	}
}

// TestLegendsNeverCoverData: every chart kind with a legend draws it beside
// the plotting area, so the two rectangles never intersect — at the default
// size and at a small one.
func TestLegendsNeverCoverData(t *testing.T) {
	days := []time.Time{time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)}
	v := []float64{10, 20, 30}
	band := Band{Name: "simulated", Dates: days, P05: v, P10: v, P25: v, P50: v, P75: v, P90: v, P95: v, Mean: v}
	fan, err := Fan(Options{Divider: days[1], DividerLabel: "history ends"}, []Band{band}, []Observed{{Date: days[0], Value: 12}})
	if err != nil {
		t.Fatal(err)
	}
	surv, err := Survival(Options{}, []Curve{{Name: "a ceasefire with a long name", X: []float64{0, 10, 20}, Y: []float64{1, 0.5, 0.2}}})
	if err != nil {
		t.Fatal(err)
	}
	occ, err := Occupancy(Options{}, Stack{Dates: days, Names: []string{"conflict", "ceasefire"}, Shares: [][]float64{{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}}})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Lines(Options{}, []Line{{Name: "TTP", Dates: days, Y: v, Lo: v, Hi: v}, {Name: "ISKP", Dates: days, Y: v}})
	if err != nil {
		t.Fatal(err)
	}
	rel, err := ReliabilityDiagram(Options{}, []Reliability{{Name: "parley", Nominal: []float64{0.5, 0.8, 0.9}, Observed: []float64{0.4, 0.8, 1}, N: 30}})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []Options{{}, {Width: 9 * vg.Centimeter, Height: 6 * vg.Centimeter}} {
		for name, p := range map[string]*plot.Plot{"fan": fan, "survival": surv, "occupancy": occ, "lines": lines, "reliability": rel} {
			leg, data, ok := LegendRect(p, size)
			if !ok {
				t.Errorf("%s: no legend", name)
				continue
			}
			if leg.Min.X < data.Max.X && leg.Max.X > data.Min.X && leg.Min.Y < data.Max.Y && leg.Max.Y > data.Min.Y {
				t.Errorf("%s at %v×%v: legend %v overlaps the data %v", name, size.Width, size.Height, leg, data)
			}
			if leg.Min.X < 0 {
				t.Errorf("%s: legend runs off the left edge", name)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	for in, want := range map[string]string{
		"mediator.pressure=0.9": "mediator.pressure=0.9",
		"rules.state_ends_ceasefire.tolerance=40, insurgent.patience=60": "rules.state_ends_ceasefire.tolerance=40,\ninsurgent.patience=60",
		"rules.state_ends_ceasefire.tolerance=40 and a longer tail":      "rules.state_ends_ceasefire.tolerance=40\nand a longer tail",
		"rules.state_ends_ceasefire.tolerance_of_the_state=40":           "rules.state_ends_ceasefire\n.tolerance_of_the_state=40",
		"averyveryveryveryveryveryveryverylongword":                      "averyveryveryveryveryveryveryverylongword",
	} {
		if got := Wrap(in, 40); got != want {
			t.Errorf("Wrap(%q) = %q, want %q", in, got, want)
		}
	}
}
