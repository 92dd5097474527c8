package main

// The README's examples are tests. TestREADME reads README.md (at the root
// of the module) and, in a fresh temporary folder holding a copy of
// scenarios/, runs in order:
//
//   - every command of a ```sh, ```bash or ```console code block: a line
//     starting with "parley " (in a console block, "$ parley "), joined
//     with its "\"-continued lines, run by sh with the binary first on PATH;
//   - every sample: a block between "<!-- sample: COMMAND -->" and
//     "<!-- /sample -->" holds what COMMAND (run by sh, stderr merged into
//     stdout) prints; the test fails when the README's copy differs.
//     `make readme-samples` (go test -run '^TestREADME$' -args -update)
//     rewrites the blocks from the commands' real output. The COMMAND is
//     shown in a console block as "$ COMMAND" above the output;
//   - every file: a code block after "<!-- file: NAME -->" is written to
//     NAME, so an example can create the scenario the next commands use.
//
// A code block after "<!-- not-tested: REASON -->" is skipped (cluster
// submits, serve, make targets that would run this test again). Lines
// starting with "make " are not run (make runs in the repository, and `make
// test` runs this test), but each must name a target of the Makefile. Any
// other line in a tested block, except comments and a console block's
// output, is an error: a tested block holds only what the test runs.
//
// Long commands are scaled down (see scale) unless PARLEY_README_FULL=1
// is set, so the test takes about a minute; samples always run as written
// (so a sample must not depend on what a scaled command wrote). Output is
// compared with trailing blanks removed, the temporary folder's path
// removed and a duration at the end of a line ("wrote … in 2.4s") shown as
// "in …". A failure names the README line, the command as
// run and its output.

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite README.md's sample blocks from the commands' output (make readme-samples)")

const readmePath = "../../README.md"

// step is one thing the README asks the test to do, at a line of it.
type step struct {
	line    int    // 1-based line in README.md
	kind    string // "cmd", "sample" or "file"
	command string // cmd, sample: the shell command; file: the file name
	body    string // sample: the block's content; file: its content
	lang    string // sample: the block's language (console shows the command)
	start   int    // sample: index in lines of the opening fence
	end     int    // sample: index in lines of the closing fence
}

var (
	notTestedRe = regexp.MustCompile(`^<!--\s*not-tested:.*-->\s*$`)
	sampleRe    = regexp.MustCompile(`^<!--\s*sample:\s*(.*?)\s*-->\s*$`)
	sampleEndRe = regexp.MustCompile(`^<!--\s*/sample\s*-->\s*$`)
	fileRe      = regexp.MustCompile(`^<!--\s*file:\s*(\S+)\s*-->\s*$`)
	fenceRe     = regexp.MustCompile("^```\\s*([A-Za-z]*)\\s*$")
)

// parseREADME returns the steps of the README, in order, and the make
// targets it names.
func parseREADME(lines []string) (steps []step, makes []step, err error) {
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		var marker string
		var mline int
		switch {
		case notTestedRe.MatchString(l), sampleRe.MatchString(l), fileRe.MatchString(l):
			marker, mline = l, i+1
			i++
			for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
				i++
			}
			if i == len(lines) || !fenceRe.MatchString(lines[i]) {
				return nil, nil, fmt.Errorf("README.md:%d: %s must be followed by a code block", mline, marker)
			}
			l = lines[i]
		}
		m := fenceRe.FindStringSubmatch(l)
		if m == nil {
			if sampleEndRe.MatchString(l) {
				return nil, nil, fmt.Errorf("README.md:%d: <!-- /sample --> without a sample", i+1)
			}
			continue
		}
		lang, open := m[1], i
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], "```") {
			i++
		}
		if i == len(lines) {
			return nil, nil, fmt.Errorf("README.md:%d: code block never closed", open+1)
		}
		body := lines[open+1 : i]
		switch {
		case notTestedRe.MatchString(marker):
			continue
		case sampleRe.MatchString(marker):
			j := i + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j == len(lines) || !sampleEndRe.MatchString(lines[j]) {
				return nil, nil, fmt.Errorf("README.md:%d: a sample's code block must be followed by <!-- /sample -->", mline)
			}
			steps = append(steps, step{line: mline, kind: "sample", command: sampleRe.FindStringSubmatch(marker)[1],
				body: strings.Join(body, "\n"), lang: lang, start: open, end: i})
			i = j
			continue
		case fileRe.MatchString(marker):
			steps = append(steps, step{line: mline, kind: "file", command: fileRe.FindStringSubmatch(marker)[1], body: strings.Join(body, "\n") + "\n"})
			continue
		}
		if lang != "sh" && lang != "bash" && lang != "console" {
			continue
		}
		for k := 0; k < len(body); k++ {
			n, text := open+2+k, body[k]
			if lang == "console" {
				c, ok := strings.CutPrefix(text, "$ ")
				if !ok {
					continue // output
				}
				text = c
			}
			for strings.HasSuffix(text, `\`) && k+1 < len(body) {
				k++
				text = strings.TrimRight(strings.TrimSuffix(text, `\`), " ") + " " + strings.TrimSpace(body[k])
			}
			t := strings.TrimSpace(text)
			switch {
			case t == "" || strings.HasPrefix(t, "#"):
			case strings.HasPrefix(t, "parley "), t == "parley", strings.HasPrefix(t, "./parley "), t == "./parley":
				steps = append(steps, step{line: n, kind: "cmd", command: strings.TrimPrefix(t, "./")})
			case strings.HasPrefix(t, "make "), t == "make":
				makes = append(makes, step{line: n, kind: "make", command: t})
			default:
				return nil, nil, fmt.Errorf("README.md:%d: %q in a tested code block is neither a parley nor a make command; mark the block <!-- not-tested: why -->", n, t)
			}
		}
	}
	return steps, makes, nil
}

// scale caps the sizes of a command so the whole README runs in about a
// minute on 2 cores: Monte Carlo runs, sweep samples and runs per point,
// calibration particles, budget and check runs.
func scale(cmd string) string {
	caps := map[string]int{"--runs": 200, "--runs-per-point": 10, "--samples": 16, "--particles": 10, "--budget": 30, "--check-runs": 100}
	re := regexp.MustCompile(`(--runs|--runs-per-point|--samples|--particles|--budget|--check-runs)([ =])"?(\d+)"?`)
	return re.ReplaceAllStringFunc(cmd, func(s string) string {
		m := re.FindStringSubmatch(s)
		n, err := strconv.Atoi(m[3])
		if err != nil || n <= caps[m[1]] {
			return s
		}
		return m[1] + m[2] + strconv.Itoa(caps[m[1]])
	})
}

// normalize makes output comparable between runs: no trailing blanks, no
// timings, no temporary folder.
func normalize(out, dir string) string {
	out = strings.ReplaceAll(out, dir+string(filepath.Separator), "")
	out = strings.ReplaceAll(out, dir, ".")
	out = regexp.MustCompile(`(?m) in (\d+h)?(\d+m)?\d+(\.\d+)?(ns|µs|ms|s)$`).ReplaceAllString(out, " in …")
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		b.WriteString(strings.TrimRight(l, " \t"))
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// sampleBody is what a sample block holds for a command's output.
func sampleBody(s step, out string) string {
	if s.lang == "console" {
		return "$ " + s.command + "\n" + out
	}
	return out
}

func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example of the README (about a minute)")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skipf("the README's commands are shell commands, and there is no sh: %v", err)
	}
	start := time.Now()
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	steps, makes, err := parseREADME(lines)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 10 {
		t.Fatalf("only %d steps found in README.md: is the convention still followed?", len(steps))
	}
	checkMakeTargets(t, makes)

	work := t.TempDir()
	bin := filepath.Join(t.TempDir(), "bin")
	buildParley(t, bin)
	if err := copyDir("../../scenarios", filepath.Join(work, "scenarios")); err != nil {
		t.Fatal(err)
	}
	full := os.Getenv("PARLEY_README_FULL") == "1"
	// LC_ALL=C: the shell sorts a glob (scenarios/*.toml) the same way everywhere.
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "LC_ALL=C")

	run := func(command string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		c := exec.CommandContext(ctx, "sh", "-c", "{ "+command+"\n} 2>&1")
		c.Dir, c.Env = work, env
		out, err := c.Output()
		return normalize(string(out), work), err
	}

	var stale []step // samples to rewrite (with -update), body = the new content
	for _, s := range steps {
		switch s.kind {
		case "file":
			if err := os.WriteFile(filepath.Join(work, s.command), []byte(s.body), 0o644); err != nil {
				t.Fatal(err)
			}
		case "cmd":
			command := s.command
			if !full {
				command = scale(command)
			}
			t0 := time.Now()
			out, err := run(command)
			t.Logf("README.md:%d: %s (%.1f s)", s.line, command, time.Since(t0).Seconds())
			if err != nil {
				t.Fatalf("README.md:%d: %s\n%v\n%s", s.line, command, err, out)
			}
		case "sample":
			t0 := time.Now()
			out, _ := run(s.command) // a sample may show a failing command
			t.Logf("README.md:%d: sample: %s (%.1f s)", s.line, s.command, time.Since(t0).Seconds())
			want := sampleBody(s, out)
			if want == s.body {
				continue
			}
			if *update {
				s.body = want
				stale = append(stale, s)
				continue
			}
			t.Errorf("README.md:%d: the sample of %q is stale (make readme-samples rewrites it):\n%s", s.line, s.command, diff(s.body, want))
		}
	}
	if len(stale) > 0 {
		// From the last to the first, so that earlier indices stay valid.
		for k := len(stale) - 1; k >= 0; k-- {
			s := stale[k]
			lines = append(lines[:s.start+1], append(strings.Split(s.body, "\n"), lines[s.end:]...)...)
		}
		if err := os.WriteFile(readmePath, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %d stale sample(s) of README.md", len(stale))
	}
	t.Logf("README: %d steps in %.0f s", len(steps), time.Since(start).Seconds())
}

// checkMakeTargets fails for a "make X" in the README whose X is not a
// target of the Makefile.
func checkMakeTargets(t *testing.T, makes []step) {
	t.Helper()
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([A-Za-z][A-Za-z0-9_-]*):`).FindAllStringSubmatch(string(mk), -1) {
		targets[m[1]] = true
	}
	for _, s := range makes {
		f := strings.Fields(s.command)
		for _, a := range f[1:] {
			if strings.HasPrefix(a, "#") {
				break
			}
			if strings.Contains(a, "=") || strings.HasPrefix(a, "-") {
				continue
			}
			if !targets[a] {
				t.Errorf("README.md:%d: %q: the Makefile has no target %q", s.line, s.command, a)
			}
		}
	}
}

// buildParley builds this package's binary (without -race, whatever the
// test itself is built with, so the examples run at full speed) into
// dir/parley, with any further build flags, and returns its path.
func buildParley(t *testing.T, dir string, flags ...string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to build parley: %v", err)
	}
	bin := filepath.Join(dir, "parley")
	args := append(append([]string{"build"}, flags...), "-o", bin, ".")
	if out, err := exec.Command(goBin, args...).CombinedOutput(); err != nil {
		t.Fatalf("go build %v: %v\n%s", flags, err, out)
	}
	return bin
}

// copyDir copies the regular files of src into dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// diff shows the first lines where a and b differ, with a little context.
func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var w bytes.Buffer
	shown := 0
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x == y {
			continue
		}
		fmt.Fprintf(&w, "  line %d\n    README: %s\n    now:    %s\n", i+1, x, y)
		if shown++; shown == 8 {
			fmt.Fprintf(&w, "  …\n")
			break
		}
	}
	return w.String()
}
