package outdir

import (
	"errors"
	"os"
	"path/filepath"
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
