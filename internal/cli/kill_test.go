package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the parley command: with
// PARLEY_TEST_AS_PARLEY=1 in its environment it runs Main on its arguments
// and exits with its status. The kill tests start it as a child process.
func TestMain(m *testing.M) {
	if os.Getenv("PARLEY_TEST_AS_PARLEY") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// parleyCmd returns the parley command (this test binary) with args, run
// in dir.
func parleyCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(exe, args...)
	c.Dir = dir
	c.Env = append(os.Environ(), "PARLEY_TEST_AS_PARLEY=1")
	return c
}

// runParley runs parley in dir to the end and returns its exit status and
// stderr.
func runParley(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	c := parleyCmd(t, dir, args...)
	var e bytes.Buffer
	c.Stderr = &e
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), e.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, e.String()
}

// startAndSignal starts parley in dir, waits until ready() says the job is
// under way, then sends sig. It fails the test if the job ends first or
// never gets under way (a minute: a hang detector).
func startAndSignal(t *testing.T, dir string, sig syscall.Signal, ready func() bool, args ...string) (int, string) {
	t.Helper()
	c := parleyCmd(t, dir, args...)
	var e bytes.Buffer
	c.Stderr = &e
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	deadline := time.After(time.Minute)
	for !ready() {
		select {
		case err := <-exited:
			t.Fatalf("%v ended (%v) before it could be interrupted; make the job longer\n%s", args, err, e.String())
		case <-deadline:
			c.Process.Kill()
			t.Fatalf("%v: never got under way", args)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := c.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal()), e.String()
		}
		return ee.ExitCode(), e.String()
	}
	return 0, e.String()
}

// nonEmpty reports whether a file matching the glob pattern has more than
// min bytes.
func nonEmpty(pattern string, min int64) func() bool {
	return func() bool {
		m, _ := filepath.Glob(pattern)
		for _, f := range m {
			if fi, err := os.Stat(f); err == nil && fi.Size() > min {
				return true
			}
		}
		return false
	}
}

// leftovers lists staging folders, lock files and checkpoints in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		n := d.Name()
		if strings.Contains(n, ".partial") || strings.HasSuffix(n, ".lock") || strings.HasSuffix(n, ".checkpoint") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// sameOutput compares two output folders: every file byte for byte, except
// the manifest (compared without its volatile keys) and the files named in
// normalize (compared after the function).
func sameOutput(t *testing.T, want, got string, volatile []string, normalize map[string]func([]byte) []byte) {
	t.Helper()
	fw, fg := readDir(t, want), readDir(t, got)
	if len(fw) != len(fg) {
		t.Errorf("%d files after the kill and rerun, %d uninterrupted", len(fg), len(fw))
	}
	for name, b := range fw {
		g, ok := fg[name]
		if !ok {
			t.Errorf("%s missing after the kill and rerun", name)
			continue
		}
		if name == "manifest.json" {
			var mw, mg map[string]any
			json.Unmarshal(b, &mw)
			json.Unmarshal(g, &mg)
			for _, k := range volatile {
				for _, m := range []map[string]any{mw, mg} {
					delete(m, k)
					if x, ok := m["extra"].(map[string]any); ok {
						delete(x, k)
					}
				}
			}
			if !reflect.DeepEqual(mw, mg) {
				t.Errorf("manifest.json differs beyond %v:\nwant %v\n got %v", volatile, mw, mg)
			}
			continue
		}
		for suffix, fn := range normalize {
			if strings.HasSuffix(name, suffix) {
				b, g = fn(b), fn(g)
			}
		}
		if !bytes.Equal(b, g) {
			t.Errorf("%s differs from the uninterrupted run's (%s)", name, firstDiff(b, g))
		}
	}
}

// TestKill9: kill -9 in the middle of run, sweep and calibrate, then the
// same command again (with --resume where the verb checkpoints): the output
// is complete and identical to an uninterrupted run's (CSVs byte for byte;
// manifests differ in wall time only), and no staging folder, lock file or
// checkpoint remains.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills parley jobs (about 20 s; a minute with -race)")
	}
	t.Run("run", func(t *testing.T) {
		dir := t.TempDir()
		args := []string{"run", "embedded:ceasefire-2021.toml", "--runs", "2500", "--seed", "5", "--quiet", "--workers", "2"}
		if code, e := runParley(t, dir, append(args, "--out", "ref")...); code != 0 {
			t.Fatalf("uninterrupted: exit %d: %s", code, e)
		}
		killArgs := append(args, "--out", "out/x")
		if code, e := startAndSignal(t, dir, syscall.SIGKILL, nonEmpty(filepath.Join(dir, "out", ".x.partial-*", "runs.csv"), 0), killArgs...); code != -int(syscall.SIGKILL) {
			t.Fatalf("killed job: status %d: %s", code, e)
		}
		if len(leftovers(t, dir)) == 0 {
			t.Fatal("the killed job left no staging folder: the test did not kill it mid-job")
		}
		code, e := runParley(t, dir, killArgs...)
		if code != 0 {
			t.Fatalf("rerun: exit %d: %s", code, e)
		}
		if !strings.Contains(e, "removed 1 stale staging folder of out/x from an interrupted run") {
			t.Errorf("rerun did not say it removed the stale staging folder: %q", e)
		}
		sameOutput(t, filepath.Join(dir, "ref"), filepath.Join(dir, "out", "x"), []string{"wall_seconds"}, nil)
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("sweep", func(t *testing.T) {
		dir := t.TempDir()
		args := []string{"sweep", "embedded:ceasefire-2021.toml", "--param", "mediator.pressure=0.2:0.9:6", "--runs-per-point", "300", "--keep-runs", "--quiet", "--workers", "2"}
		if code, e := runParley(t, dir, append(args, "--out", "ref")...); code != 0 {
			t.Fatalf("uninterrupted: exit %d: %s", code, e)
		}
		killArgs := append(args, "--out", "out/s")
		if code, e := startAndSignal(t, dir, syscall.SIGKILL, nonEmpty(filepath.Join(dir, "out", "s", ".partial", "points.part"), 0), killArgs...); code != -int(syscall.SIGKILL) {
			t.Fatalf("killed job: status %d: %s", code, e)
		}
		if code, e := runParley(t, dir, append(killArgs, "--resume")...); code != 0 {
			t.Fatalf("rerun with --resume: exit %d: %s", code, e)
		}
		sameOutput(t, filepath.Join(dir, "ref"), filepath.Join(dir, "out", "s"), []string{"wall_seconds"}, nil)
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("sweep SIGINT", func(t *testing.T) {
		dir := t.TempDir()
		args := []string{"sweep", "embedded:ceasefire-2021.toml", "--param", "mediator.pressure=0.2:0.9:8", "--runs-per-point", "400", "--quiet", "--out", "s"}
		code, e := startAndSignal(t, dir, syscall.SIGINT, nonEmpty(filepath.Join(dir, "s", ".partial", "points.part"), 0), args...)
		if code != 130 || !strings.Contains(e, "interrupted; completed points are kept in s/.partial") {
			t.Fatalf("interrupted sweep: status %d, stderr %q; want 130 and where the points are kept", code, e)
		}
	})
	t.Run("calibrate", func(t *testing.T) {
		dir := t.TempDir()
		args := []string{"calibrate", "embedded:ceasefire-2021.toml", "--free", "mediator.pressure", "--runs", "40", "--samples", "24", "--evals", "12",
			"--check-runs", "200", "--seed", "3", "--format", "", "--quiet", "--workers", "2"}
		if code, e := runParley(t, dir, append(args, "--out", "ref")...); code != 0 {
			t.Fatalf("uninterrupted: exit %d: %s", code, e)
		}
		killArgs := append(args, "--out", "out/c")
		// Kill once a few evaluations are checkpointed (header + 3 lines).
		ready := func() bool {
			b, _ := os.ReadFile(filepath.Join(dir, "out", "c.checkpoint"))
			return bytes.Count(b, []byte("\n")) >= 4
		}
		if code, e := startAndSignal(t, dir, syscall.SIGKILL, ready, killArgs...); code != -int(syscall.SIGKILL) {
			t.Fatalf("killed job: status %d: %s", code, e)
		}
		code, e := runParley(t, dir, append(killArgs, "--resume")...)
		if code != 0 {
			t.Fatalf("rerun with --resume: exit %d: %s", code, e)
		}
		if !strings.Contains(e, "removed 1 stale staging folder of out/c") {
			t.Errorf("rerun did not say it removed the stale staging folder: %q", e)
		}
		// The overlay's provenance line quotes the command (other --out, --resume).
		dropProvenance := func(b []byte) []byte {
			var keep [][]byte
			for _, l := range bytes.Split(b, []byte("\n")) {
				if !bytes.Contains(l, []byte("Provenance: parley calibrate")) {
					keep = append(keep, l)
				}
			}
			return bytes.Join(keep, []byte("\n"))
		}
		sameOutput(t, filepath.Join(dir, "ref"), filepath.Join(dir, "out", "c"), []string{"wall_seconds", "command", "resumed_evaluations"},
			map[string]func([]byte) []byte{".calibrated.toml": dropProvenance})
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
}
