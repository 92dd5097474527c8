package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionScriptsLoad: each shell's script, written to a file, passes
// the shell's own syntax check (bash -n, zsh -n, fish --no-execute) and,
// loaded into a non-interactive shell with no user configuration, defines
// its completion without a word on stderr: bash registers `complete -F
// _parley parley`; zsh, after compinit, defines _parley and registers it
// for parley both when the script is sourced and when compinit finds it in
// $fpath (the two ways `parley completion` documents); fish lists parley's
// completions and completes a command, a flag and a shell name. A shell
// that is not installed skips its case; CI installs all three (.ci/run).
func TestCompletionScriptsLoad(t *testing.T) {
	// A load is a program run with the script's path as its first
	// argument ($1, or $argv[1] in fish), and what its output must contain.
	type load struct {
		prog string
		want []string
	}
	cases := []struct {
		shell  string
		file   string   // the script's file name (zsh's autoload needs _parley)
		syntax []string // the syntax check's arguments before the file
		loads  []load
	}{
		{"bash", "parley.bash", []string{"-n"}, []load{
			{`source "$1" && complete -p parley`, []string{"complete -F _parley parley\n"}},
		}},
		{"zsh", "_parley", []string{"-n"}, []load{
			{`autoload -Uz compinit && compinit -u -D && source "$1" && whence -w _parley _parley_scenarios && print -r -- "registered: ${_comps[parley]}"`,
				[]string{"_parley: function\n", "_parley_scenarios: function\n", "registered: _parley\n"}},
			{`fpath=(${1:h} $fpath) && autoload -Uz compinit && compinit -u -D && whence -w _parley && print -r -- "registered: ${_comps[parley]}"`,
				[]string{"_parley: function\n", "registered: _parley\n"}},
		}},
		{"fish", "parley.fish", []string{"--no-execute"}, []load{
			{`source $argv[1]; and complete -c parley; and complete -C 'parley ru'; and complete -C 'parley run --per'; and complete -C 'parley completion z'`,
				[]string{"complete parley -a 'bash zsh fish' -n '__fish_seen_subcommand_from completion'\n", " -l period ", "\nrun\t", "\n--period\t", "\nzsh\n"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.shell, func(t *testing.T) {
			sh, err := exec.LookPath(c.shell)
			if err != nil {
				t.Skipf("%s is not installed, so its completion script is not checked (CI installs it: .ci/run)", c.shell)
			}
			code, script, e := parley(t, "completion", c.shell)
			if code != 0 || e != "" || script == "" {
				t.Fatalf("parley completion %s: exit %d, %d bytes, stderr %q", c.shell, code, len(script), e)
			}
			tmp := t.TempDir()
			dir := filepath.Join(tmp, "completions")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, c.file)
			if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			// No user's configuration, history or caches in or out.
			env := append(os.Environ(), "HOME="+tmp, "ZDOTDIR="+tmp, "BASH_ENV=",
				"XDG_CONFIG_HOME="+filepath.Join(tmp, "config"), "XDG_DATA_HOME="+filepath.Join(tmp, "data"),
				"XDG_CACHE_HOME="+filepath.Join(tmp, "cache"))
			run := func(args ...string) (stdout, stderr string, err error) {
				cmd := exec.Command(sh, args...)
				cmd.Env = env
				cmd.Dir = tmp
				var o, e bytes.Buffer
				cmd.Stdout, cmd.Stderr = &o, &e
				err = cmd.Run()
				return o.String(), e.String(), err
			}
			if o, e, err := run(append(c.syntax, file)...); err != nil || o != "" || e != "" {
				t.Fatalf("%s %s: %v\n%s%s", c.shell, strings.Join(c.syntax, " "), err, o, e)
			}
			for _, l := range c.loads {
				var args []string
				switch c.shell {
				case "bash":
					args = []string{"--norc", "--noprofile", "-c", l.prog, "bash", file}
				case "zsh":
					args = []string{"-f", "-c", l.prog, "zsh", file}
				case "fish":
					args = []string{"--no-config", "-c", l.prog, file}
				}
				o, e, err := run(args...)
				if err != nil || e != "" {
					t.Errorf("%s -c %q: %v\nstdout:\n%s\nstderr:\n%s", c.shell, l.prog, err, o, e)
					continue
				}
				for _, w := range l.want {
					if !strings.Contains(o, w) {
						t.Errorf("%s -c %q: output lacks %q:\n%s", c.shell, l.prog, w, o)
					}
				}
			}
		})
	}
}
