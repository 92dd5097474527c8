package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPGOSameOutputs: the binary is built with profile-guided optimisation
// (default.pgo in this directory), which changes what is inlined and how
// code is laid out, never the arithmetic on amd64 at Go's default level
// (GOAMD64=v1, which has no fused multiply-add: from v3 on, and on arm64,
// the compiler fuses x·y + z where it sees one, and inlining can show it
// new ones). The same runs by a binary built with it and one built without
// it (-pgo=off) must write byte-identical outputs: filtered and unfiltered
// runs, by month and by week.
func TestPGOSameOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds parley twice")
	}
	if _, err := os.Stat("default.pgo"); err != nil {
		t.Fatalf("the build's profile: %v", err)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to build parley: %v", err)
	}
	env, err := exec.Command(goBin, "env", "GOARCH", "GOAMD64").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	if target := strings.Fields(string(env)); len(target) != 2 || target[0] != "amd64" || target[1] != "v1" && target[1] != "v2" {
		t.Skipf("the build fuses multiply-adds (GOARCH GOAMD64 = %q): with and without the profile may round differently", strings.TrimSpace(string(env)))
	}
	dir := t.TempDir()
	runs := [][]string{
		{"run", "embedded:ttp-2021.toml", "--runs", "200", "--seed", "3"},
		{"run", "embedded:ttp-2021.toml", "--runs", "200", "--seed", "7", "--no-filter"},
		{"run", "embedded:talks-2014.toml", "--runs", "200", "--seed", "5", "--period", "week"},
	}
	outputs := func(pgo string) [][]byte {
		bin := buildParley(t, filepath.Join(dir, "pgo-"+pgo), "-pgo="+pgo)
		var got [][]byte
		for i, args := range runs {
			out := filepath.Join(dir, "out-"+pgo, string(rune('a'+i)))
			c := exec.Command(bin, append(args, "--quiet", "--format", "svg", "--out", out)...)
			if b, err := c.CombinedOutput(); err != nil {
				t.Fatalf("parley %v (pgo %s): %v\n%s", args, pgo, err, b)
			}
			for _, f := range []string{"runs.csv", "series.csv", "ceasefires.csv", "events.csv", "summary.txt"} {
				b, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, b)
			}
		}
		return got
	}
	with, without := outputs("auto"), outputs("off")
	for i := range with {
		if !bytes.Equal(with[i], without[i]) {
			t.Errorf("output %d of run %v differs between the binary built with default.pgo and the one without", i%5, runs[i/5])
		}
	}
}
