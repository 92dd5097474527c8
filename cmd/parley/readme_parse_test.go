package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestParseREADME: the conventions TestREADME relies on, on a small
// README: commands with continuations, console prompts and output, files,
// samples, skipped blocks, make lines, and the mistakes it refuses.
func TestParseREADME(t *testing.T) {
	readme := "# t\n" +
		"```sh\n" + // 2
		"parley run --runs 5000 \\\n" + // 3
		"    --seed 7   # a comment\n" +
		"# only a comment\n" +
		"./parley validate x.toml\n" + // 6
		"make test   # the suite\n" + // 7
		"```\n" +
		"<!-- not-tested: runs until stopped -->\n" +
		"```sh\n" +
		"parley serve\n" +
		"```\n" +
		"<!-- file: my.toml -->\n" + // 13
		"```toml\n" +
		"name = \"x\"\n" +
		"```\n" +
		"```console\n" +
		"$ parley check my.toml\n" + // 18
		"ok  my.toml\n" +
		"```\n" +
		"<!-- sample: parley validate my.toml -->\n" + // 21
		"```console\n" +
		"$ parley validate my.toml\n" +
		"ok\n" +
		"```\n" +
		"<!-- /sample -->\n" +
		"```go\n" +
		"parley is not run from a go block\n" +
		"```\n"
	steps, makes, err := parseREADME(strings.Split(readme, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, s.kind+"@"+strconv.Itoa(s.line)+": "+s.command)
	}
	want := []string{
		"cmd@3: parley run --runs 5000 --seed 7   # a comment",
		"cmd@6: parley validate x.toml",
		"file@13: my.toml",
		"cmd@18: parley check my.toml",
		"sample@21: parley validate my.toml",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if steps[2].body != "name = \"x\"\n" || steps[4].body != "$ parley validate my.toml\nok" || steps[4].lang != "console" {
		t.Errorf("file body %q, sample body %q (%s)", steps[2].body, steps[4].body, steps[4].lang)
	}
	if len(makes) != 1 || makes[0].line != 7 {
		t.Errorf("make lines: %+v", makes)
	}

	for name, bad := range map[string]string{
		"a stranger in a tested block": "```sh\nrm -rf /\n```\n",
		"a sample without its end":     "<!-- sample: parley version -->\n```\nparley dev\n```\n",
		"a marker without a block":     "<!-- not-tested: x -->\ntext\n",
		"an end without a sample":      "<!-- /sample -->\n",
		"an unclosed block":            "```sh\nparley run\n",
	} {
		if _, _, err := parseREADME(strings.Split(bad, "\n")); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestScale(t *testing.T) {
	for in, want := range map[string]string{
		"parley run --runs 10000 --seed 7":                                       "parley run --runs 200 --seed 7",
		"parley run --runs=50":                                                   "parley run --runs=50",
		"parley sweep --samples 512 --runs-per-point 100":                        "parley sweep --samples 16 --runs-per-point 10",
		"parley calibrate --particles 40 --budget 300 --check-runs 200 --seed 1": "parley calibrate --particles 10 --budget 30 --check-runs 100 --seed 1",
		"parley run --seed 10000":                                                "parley run --seed 10000",
	} {
		if got := scale(in); got != want {
			t.Errorf("scale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	got := normalize("a  \n/tmp/x/out/y written\nwrote out/y/ (a, b) in 2.4s\ndone in 1m3.5s\n\n", "/tmp/x")
	want := "a\nout/y written\nwrote out/y/ (a, b) in …\ndone in …"
	if got != want {
		t.Errorf("normalize: %q, want %q", got, want)
	}
}
