package cli

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/version"
)

// TestVersion: `parley --version`, `parley -version` and `parley version`
// print the same line: the module version, the commit (or why it is not
// known) and the toolchain.
func TestVersion(t *testing.T) {
	want := "parley " + version.Current().Long() + "\n"
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, o, e := parley(t, args...)
		if code != 0 || o != want || e != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0 and %q", args, code, o, e, want)
		}
	}
	if code, _, e := parley(t, "version", "extra"); code != 2 || !strings.Contains(e, "takes no arguments") {
		t.Errorf("version extra: exit %d, %q", code, e)
	}
}

// TestVersionInfo: the version line is read from the build information:
// Main.Version, vcs.revision, vcs.modified and vcs.time.
func TestVersionInfo(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	cases := []struct {
		name      string
		bi        *debug.BuildInfo
		short     string
		long      []string // substrings of Long
		longNot   string
		modified  bool
		goVersion string
	}{
		{"no build info", nil, "devel", []string{"devel (commit unknown"}, "", false, ""},
		{"go build without VCS", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"devel", []string{"devel (commit unknown: built outside a git clone or with -buildvcs=false", "go1.26.8"}, "", false, "go1.26.8"},
		{"go build in a clean clone", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20260101120000-0123456789ab"},
			Settings: settings("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-01-01T12:00:00Z", "vcs.modified", "false")},
			"v0.0.0-20260101120000-0123456789ab+0123456789ab", []string{"v0.0.0-20260101120000-0123456789ab (commit " + rev + " of 2026-01-01T12:00:00Z; go1.26.8"}, "uncommitted", false, "go1.26.8"},
		{"go build with local changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", rev, "vcs.modified", "true")},
			"devel+0123456789ab", []string{"devel (commit " + rev + " with uncommitted changes"}, "", true, ""},
		{"go install of a release", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			"v1.2.3", []string{"v1.2.3 (commit unknown"}, "", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := version.FromBuildInfo(c.bi)
			if in.String() != c.short {
				t.Errorf("String() = %q, want %q", in.String(), c.short)
			}
			if in.Modified != c.modified {
				t.Errorf("Modified = %v, want %v", in.Modified, c.modified)
			}
			if c.goVersion != "" && in.GoVersion != c.goVersion {
				t.Errorf("GoVersion = %q, want %q", in.GoVersion, c.goVersion)
			}
			l := in.Long()
			for _, w := range c.long {
				if !strings.Contains(l, w) {
					t.Errorf("Long() = %q, lacks %q", l, w)
				}
			}
			if c.longNot != "" && strings.Contains(l, c.longNot) {
				t.Errorf("Long() = %q, says %q", l, c.longNot)
			}
		})
	}
}

// TestDidYouMean: a mistyped command or flag is a usage error (exit 2)
// naming the nearest command or flag; a word near nothing gets no guess.
func TestDidYouMean(t *testing.T) {
	cases := []struct {
		args []string
		want string // regexp of stderr
		not  string // a phrase stderr must not have
	}{
		{[]string{"ruin"}, `unknown command "ruin" \(did you mean run\?\)`, ""},
		{[]string{"compre"}, `did you mean compare\?`, ""},
		{[]string{"valdiate"}, `did you mean validate\?`, ""},
		{[]string{"version2"}, `did you mean version\?`, ""},
		{[]string{"help", "swep"}, `did you mean sweep\?`, ""},
		{[]string{"xyzzyplugh"}, `unknown command "xyzzyplugh"`, "did you mean"},
		{[]string{"run", "--perod", "month"}, `unknown flag --perod \(did you mean --period\?\)`, ""},
		{[]string{"run", "-perod=month"}, `unknown flag --perod \(did you mean --period\?\)`, ""},
		{[]string{"compare", "--vray", "mediator.pressure=0.9"}, `did you mean --vary\?`, ""},
		{[]string{"sweep", "--runs", "5"}, `did you mean --runs-per-point\?`, ""},
		{[]string{"calibrate", "--particle", "5"}, `did you mean --particles\?`, ""},
		{[]string{"serve", "--adr", ":0"}, `did you mean --addr\?`, ""},
		{[]string{"run", "--zzzzzzzz"}, `unknown flag --zzzzzzzz`, "did you mean"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, o, e := parley(t, c.args...)
			if code != 2 || o != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing on stdout", code, o)
			}
			if !regexp.MustCompile(c.want).MatchString(e) {
				t.Errorf("stderr lacks %q:\n%s", c.want, e)
			}
			if c.not != "" && strings.Contains(e, c.not) {
				t.Errorf("stderr says %q:\n%s", c.not, e)
			}
		})
	}
}

// TestUsageErrors: a usage error is printed once, first, followed by a
// one-line hint to -h, not by the flag listing; -h prints the full usage
// and exits 0.
func TestUsageErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "never")
	cases := []struct {
		args []string
		msg  string // the first line of stderr
	}{
		{[]string{"run", "--perod", "month"}, "parley run: unknown flag --perod (did you mean --period?)"},
		{[]string{"run", "--runs", "0"}, "parley run: --runs 0: must be at least 1 (leave the flag out for the default)"},
		{[]string{"run", "--stories", "many"}, "parley run: --stories many: want a whole number"},
		{[]string{"run", "--quiet=perhaps"}, "parley run: --quiet=perhaps: want true or false (or leave the value out: --quiet)"},
		{[]string{"run", "--out"}, "parley run: --out needs a value"},
		{[]string{"run", "a.toml", "b.toml"}, "parley run: one scenario at a time (got 2: a.toml, b.toml)"},
		{[]string{"compare", "--out", out}, "parley compare: nothing to compare: give a VARIANT file after the base, or --vary key=value"},
		{[]string{"calibrate", "--out", out}, "parley calibrate: name the parameters to fit with --free key[=lo:hi]"},
		{[]string{"sweep", "--out", out}, "parley sweep: give at least one --param key=lo:hi"},
		{[]string{"merge", "x"}, "parley merge: give shard folders (or folders holding shard-* folders) and --out"},
		{[]string{"analyze"}, "parley analyze: give one sweep folder"},
		{[]string{"serve", "--timeout", "5"}, "parley serve: --timeout 5: want a duration, e.g. 90s, 5m or 1h30m"},
		{[]string{"completion", "tcsh"}, `parley completion: unknown shell "tcsh": want bash, zsh or fish`},
		{[]string{"scenarios", "extra"}, "parley scenarios: takes no arguments (got extra); run one with: parley run embedded:NAME.toml"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, o, e := parley(t, c.args...)
			cmd := c.args[0]
			want := c.msg + "\nrun 'parley " + cmd + " -h' for usage\n"
			if code != 2 || o != "" || e != want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and stderr:\n%s", code, o, e, want)
			}
		})
	}
	for _, c := range commands() {
		t.Run(c.name+" -h", func(t *testing.T) {
			code, o, e := parley(t, c.name, "-h")
			if code != 0 || o != "" || !strings.HasPrefix(e, "usage: parley "+c.name) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and the usage on stderr", code, o, e)
			}
			fs := commandFlags(c)
			fs.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(e, "  -"+f.Name+" ") && !strings.Contains(e, "  -"+f.Name+"\n") {
					t.Errorf("-h does not list -%s:\n%s", f.Name, e)
				}
			})
			// parley help COMMAND: the same usage, on stdout.
			code, o, e = parley(t, "help", c.name)
			if code != 0 || e != "" || !strings.HasPrefix(o, "usage: parley "+c.name) {
				t.Errorf("help %s: exit %d, stdout %q, stderr %q", c.name, code, o, e)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused job wrote %s", out)
	}
}

// TestCompletion: each shell's script names every command and every flag
// of each command (both made from the tables the commands parse with) and
// the built-in scenarios. TestCompletionScriptsLoad checks the scripts
// with the shells themselves.
func TestCompletion(t *testing.T) {
	embedded, err := embeddedScenarios()
	if err != nil || len(embedded) == 0 {
		t.Fatalf("no embedded scenarios: %v", err)
	}
	flagsOf := map[string][]string{}
	for _, c := range commands() {
		commandFlags(c).VisitAll(func(f *flag.Flag) { flagsOf[c.name] = append(flagsOf[c.name], f.Name) })
	}
	if len(flagsOf["run"]) < 10 || len(flagsOf["sweep"]) < 10 {
		t.Fatalf("flags not collected: run %v, sweep %v", flagsOf["run"], flagsOf["sweep"])
	}
	// How each shell writes that flag F belongs to command C.
	flagRE := map[string]func(cmd, f string) string{
		"bash": func(cmd, f string) string {
			return `(?m)^\s+` + cmd + `\) flags='[^']*--` + regexp.QuoteMeta(f) + `[ ']`
		},
		"zsh": func(cmd, f string) string {
			return `\n        ` + cmd + `\)\n            _arguments -S \\\n(                '.*' \\\n)*                '\*?--` + regexp.QuoteMeta(f) + `\[`
		},
		"fish": func(cmd, f string) string {
			return `(?m)^complete -c parley -n '__fish_seen_subcommand_from ` + cmd + `' -l ` + regexp.QuoteMeta(f) + ` `
		},
	}
	cmdRE := map[string]func(cmd string) string{
		"bash": func(cmd string) string { return `local commands='[^']*\b` + cmd + `\b` },
		"zsh":  func(cmd string) string { return `'` + cmd + `:` },
		"fish": func(cmd string) string { return `__fish_use_subcommand -a ` + cmd + ` ` },
	}
	for shell := range shells {
		t.Run(shell, func(t *testing.T) {
			code, script, e := parley(t, "completion", shell)
			if code != 0 || e != "" {
				t.Fatalf("exit %d: %s", code, e)
			}
			for _, c := range commands() {
				if !regexp.MustCompile(cmdRE[shell](c.name)).MatchString(script) {
					t.Errorf("the %s script does not complete the command %s", shell, c.name)
				}
				for _, f := range flagsOf[c.name] {
					if !regexp.MustCompile(flagRE[shell](c.name, f)).MatchString(script) {
						t.Errorf("the %s script does not complete %s --%s", shell, c.name, f)
					}
				}
			}
			for _, n := range embedded {
				if !strings.Contains(script, "embedded:"+n) {
					t.Errorf("the %s script does not complete embedded:%s", shell, n)
				}
			}
		})
	}
}

// TestBashCompletionCompletes: the bash script, loaded into bash, completes
// a command, a flag, an embedded scenario (split at the colon as bash
// does) and a shell name.
func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	_, script, _ := parley(t, "completion", "bash")
	f := filepath.Join(t.TempDir(), "parley.bash")
	os.WriteFile(f, []byte(script), 0o644)
	cases := []struct {
		words []string
		want  string
	}{
		{[]string{"parley", "ru"}, "run"},
		{[]string{"parley", "run", "--per"}, "--period"},
		{[]string{"parley", "compare", "--va"}, "--vary"},
		{[]string{"parley", "run", "embedded", ":", "ttp"}, "ttp-2021.toml"},
		{[]string{"parley", "validate", "embedded:ceasefire-2022"}, "embedded:ceasefire-2022.toml"},
		{[]string{"parley", "completion", "z"}, "zsh"},
	}
	for _, c := range cases {
		var q []string
		for _, w := range c.words {
			q = append(q, "'"+w+"'")
		}
		prog := "source " + f + "\nCOMP_WORDS=(" + strings.Join(q, " ") + ")\nCOMP_CWORD=$((${#COMP_WORDS[@]}-1))\n_parley\necho \"${COMPREPLY[*]}\"\n"
		b, err := exec.Command(bash, "-c", prog).CombinedOutput()
		if err != nil || strings.TrimSpace(string(b)) != c.want {
			t.Errorf("%v: got %q (%v), want %q", c.words, b, err, c.want)
		}
	}
}

// TestVaryReportedAsVary: a bad --vary setting is reported as that --vary
// (a usage error), not as the --set it is applied like; a bad --set
// beside it is still a --set.
func TestVaryReportedAsVary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "never")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--vary", "=5"}, "parley compare: --vary =5: want key=value, e.g. --vary mediator.pressure=0.8\n"},
		{[]string{"--vary", "mediator.presure=0.9"}, `parley compare: --vary mediator.presure=0.9: unknown key "mediator.presure" (did you mean "mediator.pressure"?)` + "\n"},
		{[]string{"--vary", "mediator.pressure=0.5,mediator.pressure=2"}, "parley compare: --vary mediator.pressure=2: mediator.pressure: 2 is out of range"},
		{[]string{"--vary", "mediator.pressure=0.5", "--set", "mediator.pressure=2"}, "parley compare: --set mediator.pressure=2: mediator.pressure: 2 is out of range"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, e := parley(t, append([]string{"compare", "embedded:ceasefire-2021.toml", "--out", out}, c.args...)...)
			if code != 2 || !strings.HasPrefix(e, c.want) || strings.Contains(e, "--vary") != strings.Contains(c.want, "--vary") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and stderr starting %q", code, e, c.want)
			}
		})
	}
}

// internalPrefixRE matches a parley package name used as a message prefix.
var internalPrefixRE = regexp.MustCompile(`(^|: |\n)(atomicfile|backtest|bargain|calib|columnar|compare|mc|outdir|plots|report|scenario|sensitivity|serve|sim|sweep): `)

// TestNoPackagePrefixes: messages a user reads do not name parley's
// internal packages ("outdir: ", "mc: ", "sim: "); they say what was wrong.
func TestNoPackagePrefixes(t *testing.T) {
	tmp := t.TempDir()
	junk := filepath.Join(tmp, "junk")
	os.MkdirAll(junk, 0o755)
	os.WriteFile(filepath.Join(junk, "notes.txt"), []byte("mine"), 0o644)
	file := filepath.Join(tmp, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	exists := filepath.Join(tmp, "exists")
	os.MkdirAll(exists, 0o755)
	badPost := filepath.Join(tmp, "posterior.csv")
	os.WriteFile(badPost, []byte("not,a,posterior\n1,2,3\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		want string // a phrase of the message
	}{
		{"root as --out", []string{"run", "--runs", "2", "--out", "/", "--force"}, 1, "/ is the root of the file system"},
		{"--force over other files", []string{"run", "--runs", "2", "--out", junk, "--force"}, 1, "refusing to replace"},
		{"--out exists", []string{"run", "embedded:ceasefire-2021.toml", "--runs", "2", "--out", exists}, 1, "output folder exists"},
		{"--out is a file", []string{"run", "embedded:ceasefire-2021.toml", "--runs", "2", "--out", file, "--force"}, 1, "is not a folder"},
		{"paired horizons differ", []string{"compare", "embedded:ceasefire-2022.toml", "embedded:whatif-mediator-presses.toml", "--runs", "2", "--out", filepath.Join(tmp, "c")}, 1, "paired runs need the same horizon and step"},
		{"bad --period", []string{"run", "--period", "year", "--out", filepath.Join(tmp, "p")}, 2, `period "year" is not allowed`},
		{"bad --param", []string{"sweep", "--param", "mediator.pressure=x:y", "--out", filepath.Join(tmp, "s")}, 2, "mediator.pressure"},
		{"bad --free", []string{"calibrate", "embedded:ceasefire-2021.toml", "--free", "mediator.presure", "--out", filepath.Join(tmp, "k")}, 1, "mediator.presure"},
		{"bad --posterior", []string{"run", "embedded:ceasefire-2021.toml", "--runs", "2", "--posterior", badPost, "--out", filepath.Join(tmp, "q")}, 1, "--posterior"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, e := parley(t, c.args...)
			if code != c.code || !strings.Contains(e, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, e, c.code, c.want)
			}
			msg := strings.TrimPrefix(e, "parley "+c.args[0]+": ")
			if m := internalPrefixRE.FindString(msg); m != "" {
				t.Errorf("the message names an internal package (%q):\n%s", m, e)
			}
		})
	}
}

// TestUserMessage: the net for internal prefixes removes them at the
// start and inside wrapped messages, and leaves other text alone.
func TestUserMessage(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"outdir: refusing to replace x", "refusing to replace x"},
		{"mc: sim: key \"a\" is not numeric", "key \"a\" is not numeric"},
		{"--posterior p.csv: calib: bad header", "--posterior p.csv: bad header"},
		{"a.toml:3: x\n  sweep: y", "a.toml:3: x\n  y"},
		{"nothing to compare: give a VARIANT", "nothing to compare: give a VARIANT"},
		{"simulation: 3 runs", "simulation: 3 runs"},
	} {
		if got := userMessage(c.in); got != c.want {
			t.Errorf("userMessage(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestScenarioErrorsInUserTerms: in a file that extends a built-in, an
// event's error names its place in that file (not among the merged
// events), and a faction name the base does not have is an error with the
// nearest name, unless the file says new = true.
func TestScenarioErrorsInUserTerms(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("extends = \"embedded:ttp-2021.toml\"\nname = \"mine\"\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, body string
		code       int
		want       string
	}{
		{"second event", "\n[[events]]\ndate = 2022-06-02\ntype = \"press\"\nvalue = 0.9\n\n[[events]]\ndate = 2022-07-01\ntype = \"press\"\nvalue = 7\n",
			1, "ev.toml:12: [[events]] #2 (2022-07-01 press).value: a press event's value is the pressure, 0 to 1 (got 7)"},
		{"faction typo", "\n[[insurgent.factions]]\nname = \"JuAA\"\nhardline = 0.95\n",
			1, `fac.toml:5: insurgent.factions.JuAA: faction "JuAA" is not in the base scenario (embedded:ttp-2021.toml); did you mean "JuA"? To add a new faction, set new = true in its table`},
		{"new faction", "\n[[insurgent.factions]]\nname = \"JuAA\"\nnew = true\nfighters = 100\nhardline = 0.95\nloyalty = 0.5\nattack_rate = 0.2\n", 0, "8 factions"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := write([]string{"ev.toml", "fac.toml", "new.toml"}[i], c.body)
			code, o, e := parley(t, "validate", f)
			if code != c.code || !strings.Contains(o+e, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, o, e, c.code, c.want)
			}
			if strings.Contains(e, "events.1") {
				t.Errorf("the message gives the merged index:\n%s", e)
			}
		})
	}
}
