package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitAbortForce(t *testing.T) {
	base := t.TempDir()
	target := filepath.Join(base, "out", "run")

	d, err := Create(target, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a.csv", []byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("manifest.json", []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("target visible before commit: %v", err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(target, "a.csv")); err != nil || string(b) != "x\n" {
		t.Fatalf("committed file = %q, %v", b, err)
	}

	// Existing target without force: refused, nothing touched.
	if _, err := Create(target, false); !errors.Is(err, ErrExists) {
		t.Fatalf("Create over existing = %v, want ErrExists", err)
	}

	// Aborted job leaves the old output as it was, and no staging folder.
	d, err = Create(target, true)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("a.csv", []byte("half"))
	d.Abort()
	if b, _ := os.ReadFile(filepath.Join(target, "a.csv")); string(b) != "x\n" {
		t.Fatalf("abort changed the target: %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	if len(entries) != 1 {
		t.Fatalf("leftovers after abort: %v", entries)
	}

	// Force replaces the whole folder at commit.
	d, _ = Create(target, true)
	d.WriteFile("b.csv", []byte("y\n"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, "a.csv")); !os.IsNotExist(err) {
		t.Fatalf("old file survived a forced replace")
	}
	entries, _ = os.ReadDir(filepath.Dir(target))
	if len(entries) != 1 {
		t.Fatalf("leftovers after forced commit: %v", entries)
	}
}

// TestStaleStaging: staging folders of the same target left by killed jobs
// (unlocked, or without a lock file) are removed by the next Create and
// reported; the folder of a job still running (locked), other targets'
// staging folders and unrelated files are left alone.
func TestStaleStaging(t *testing.T) {
	base := t.TempDir()
	target := filepath.Join(base, "x")
	running, err := Create(target, false) // holds its lock, like a live job
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string) string {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(p, "runs.csv"), []byte("half"), 0o644)
		return p
	}
	// A killed job: its folder and its (unlocked) lock file.
	killed := mk(".x.partial-111")
	os.WriteFile(killed+".lock", nil, 0o644)
	legacy := mk(".x.partial-222") // from a parley without locks
	other := mk(".xy.partial-333") // another target's
	mk("keep")

	d, err := Create(target, false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	got := d.Removed()
	if len(got) != 2 || got[0] != killed || got[1] != legacy {
		t.Fatalf("removed %v, want %s and %s", got, killed, legacy)
	}
	for _, p := range []string{killed, killed + ".lock", legacy} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived: %v", p, err)
		}
	}
	for _, p := range []string{running.tmp, other, filepath.Join(base, "keep")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	running.Abort()
	d.Abort()
	entries, _ := os.ReadDir(base)
	if len(entries) != 2 { // .xy.partial-333 and keep
		t.Errorf("left after both jobs ended: %v", entries)
	}
}

// TestReplaceable: --force replaces only an empty folder or a previous
// parley output, never / or a folder of other files.
func TestReplaceable(t *testing.T) {
	base := t.TempDir()
	if _, err := Create("/", true); err == nil || !strings.Contains(err.Error(), "root of the file system") {
		t.Errorf("Create(/) = %v", err)
	}
	src := filepath.Join(base, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "main.go"), []byte("package main"), 0o644)
	if _, err := Create(src, true); err == nil || !strings.Contains(err.Error(), "not a parley output folder") {
		t.Errorf("Create(src, force) = %v", err)
	}
	if _, err := os.Stat(filepath.Join(src, "main.go")); err != nil {
		t.Fatal("the folder was touched")
	}
	empty := filepath.Join(base, "empty")
	os.MkdirAll(empty, 0o755)
	if err := Replaceable(empty); err != nil {
		t.Errorf("empty folder: %v", err)
	}
	sw := filepath.Join(base, "sweep", ".partial")
	os.MkdirAll(sw, 0o755)
	os.WriteFile(filepath.Join(sw, "sweep.json"), []byte("{}"), 0o644)
	if err := Replaceable(filepath.Dir(sw)); err != nil {
		t.Errorf("interrupted sweep: %v", err)
	}
}
