// Command flamegraph turns the text of `go tool pprof -traces` into a flame
// graph SVG (roots at the bottom, width proportional to samples), with the
// standard library only. Hover a frame for its full name and share.
//
//	go tool pprof -traces BINARY PROFILE | go run ./scripts/flamegraph -title TITLE > out.svg
//
// With -folded it writes the folded stacks (root;...;leaf value) instead,
// for other flame graph tools. `make profile` uses it for docs/.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// node is a frame of the merged call tree.
type node struct {
	name     string
	value    int64 // samples (nanoseconds of CPU) in this frame and below
	children []*node
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	c := &node{name: name}
	n.children = append(n.children, c)
	return c
}

var valueRE = regexp.MustCompile(`^\s*([0-9.]+)(ns|us|µs|ms|s|min|h)?\s+(.*)$`)

// parse reads pprof -traces text into folded stacks (root first).
func parse(r io.Reader) (map[string]int64, error) {
	stacks := map[string]int64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var frames []string
	var value int64
	flush := func() {
		if len(frames) > 0 {
			slices.Reverse(frames)
			stacks[strings.Join(frames, ";")] += value
		}
		frames, value = nil, 0
	}
	inTrace := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			inTrace = true
			continue
		}
		if !inTrace || strings.TrimSpace(line) == "" {
			continue
		}
		name := strings.TrimSpace(line)
		if len(frames) == 0 {
			m := valueRE.FindStringSubmatch(line)
			if m == nil {
				return nil, fmt.Errorf("flamegraph: cannot read a sample from %q", line)
			}
			v, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				return nil, err
			}
			unit := m[2]
			if unit == "µs" {
				unit = "us"
			}
			d, err := time.ParseDuration("1" + unit)
			if unit == "" || err != nil {
				d = 1 // plain counts
			}
			value = int64(v * float64(d))
			name = strings.TrimSpace(m[3])
		}
		frames = append(frames, strings.TrimSuffix(name, " (inline)"))
	}
	flush()
	return stacks, sc.Err()
}

func main() {
	title := flag.String("title", "CPU flame graph", "title of the graph")
	width := flag.Float64("width", 1600, "width of the SVG in pixels")
	minWidth := flag.Float64("min", 0.5, "frames narrower than this many pixels are left out")
	folded := flag.Bool("folded", false, "write folded stacks instead of an SVG")
	flag.Parse()
	stacks, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	keys := make([]string, 0, len(stacks))
	for k := range stacks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if *folded {
		for _, k := range keys {
			fmt.Fprintf(w, "%s %d\n", k, stacks[k])
		}
		return
	}
	root := &node{name: "all"}
	for _, k := range keys {
		v := stacks[k]
		n := root
		n.value += v
		for _, f := range strings.Split(k, ";") {
			n = n.child(f)
			n.value += v
		}
	}
	writeSVG(w, root, *title, *width, *minWidth)
}

const (
	frameH = 16.0
	top    = 40.0
)

// writeSVG draws the tree, children sorted by name (as flamegraph.pl does).
func writeSVG(w io.Writer, root *node, title string, width, minWidth float64) {
	depth := 0
	var walk func(n *node, d int)
	walk = func(n *node, d int) {
		depth = max(depth, d)
		for _, c := range n.children {
			walk(c, d+1)
		}
	}
	walk(root, 0)
	height := top + float64(depth+1)*frameH + 10
	scale := (width - 20) / float64(root.value)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Verdana, sans-serif" font-size="11">
<rect width="100%%" height="100%%" fill="#f8f8f0"/>
<text x="%.0f" y="22" font-size="16" text-anchor="middle">%s</text>
<text x="10" y="%.0f" font-size="10" fill="#555">total %s of CPU samples; width = share of samples, bottom = roots; hover a frame for its name</text>
`, width, height, width, height, width/2, html.EscapeString(title), top-6, time.Duration(root.value))
	var draw func(n *node, x float64, d int)
	draw = func(n *node, x float64, d int) {
		wd := float64(n.value) * scale
		if wd < minWidth {
			return
		}
		y := height - 10 - float64(d+1)*frameH
		pct := 100 * float64(n.value) / float64(root.value)
		fmt.Fprintf(w, `<g><title>%s (%s, %.2f%%)</title><rect x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s" rx="2"/>`,
			html.EscapeString(n.name), time.Duration(n.value), pct, x, y, wd, frameH-1, colour(n.name))
		if label := fit(short(n.name), wd); label != "" {
			fmt.Fprintf(w, `<text x="%.2f" y="%.1f">%s</text>`, x+3, y+frameH-5, html.EscapeString(label))
		}
		fmt.Fprintln(w, `</g>`)
		slices.SortFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
		cx := x
		for _, c := range n.children {
			draw(c, cx, d+1)
			cx += float64(c.value) * scale
		}
	}
	draw(root, 10, 0)
	fmt.Fprintln(w, `</svg>`)
}

// short drops the module path of a function name.
func short(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[i+1:]
	}
	return name
}

// fit cuts a label to the frame's width (about 6.5 px a character).
func fit(s string, w float64) string {
	n := int((w - 6) / 6.5)
	switch {
	case n < 3:
		return ""
	case len(s) <= n:
		return s
	default:
		return s[:n-2] + ".."
	}
}

// colour is a warm colour fixed by the name; the project's own frames are
// orange-red, the runtime grey-blue, other libraries yellow.
func colour(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	switch {
	case strings.HasPrefix(name, "runtime.") || strings.HasPrefix(name, "internal/") || strings.HasPrefix(name, "syscall."):
		return fmt.Sprintf("rgb(%d,%d,%d)", 150+v%40, 170+v%40, 200+v%40)
	case strings.Contains(name, "parley-sim/parley"):
		return fmt.Sprintf("rgb(%d,%d,%d)", 230+v%25, 90+v%90, 40+v%40)
	default:
		return fmt.Sprintf("rgb(%d,%d,%d)", 220+v%35, 180+v%60, 60+v%50)
	}
}
