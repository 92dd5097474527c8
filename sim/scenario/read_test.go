package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadWithin loads file in a goroutine and fails the test if it has not
// returned after limit: a hang detector, not a measure of speed.
func loadWithin(t *testing.T, file string, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Load(file)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("Load(%s) hung (no answer after %v)", file, limit)
		return nil
	}
}

// TestOddFiles: each odd file a careless or hostile user can name, as the
// scenario or as what it extends, gets a clear error naming the file, at
// once: no hang on a FIFO, no memory growth on /dev/zero.
func TestOddFiles(t *testing.T) {
	dir := t.TempDir()
	base, err := filepath.Abs("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop.toml")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	bigCSV := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(bigCSV, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(bigCSV, MaxCSVSize+1); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "folder.toml"), 0o755)

	cases := []struct {
		name string
		file string   // loaded
		want []string // phrases of the error
		not  string   // a phrase the error must not have
	}{
		{"fifo", fifo, []string{fifo, "named pipe (FIFO), not a regular file"}, ""},
		{"fifo as extends", write("ext-fifo.toml", "extends = \"fifo.toml\"\n"), []string{"ext-fifo.toml:1: extends", fifo, "named pipe"}, ""},
		{"/dev/zero as extends", write("ext-zero.toml", "extends = \"/dev/zero\"\n"), []string{"ext-zero.toml:1: extends", "/dev/zero is a character device, not a regular file"}, ""},
		{"folder", filepath.Join(dir, "folder.toml"), []string{"folder.toml is a folder, not a regular file"}, ""},
		{"symlink loop", loop, []string{loop, "symlink loop"}, ""},
		{"symlink loop as extends", write("ext-loop.toml", "extends = \"loop.toml\"\n"), []string{"ext-loop.toml:1: extends", "symlink loop"}, ""},
		{"oversize", big, []string{big, "1048577 bytes, over the cap of 1 MiB"}, ""},
		{"oversize observations", write("obs-big.toml", "extends = \""+base+"\"\n[observed]\nmonthly_attacks = \"big.csv\"\n"),
			[]string{"obs-big.toml:3: observed.monthly_attacks", "big.csv is 16777217 bytes, over the cap of 16 MiB"}, ""},
		{"non-UTF-8 in a comment", write("latin1.toml", "extends = \""+base+"\"\n[[events]]\ndate = 2022-02-01\ntype = \"open_talks\"\n# caf\xe9\n"),
			[]string{"latin1.toml:5: invalid UTF-8 byte 0xe9 at column 6"}, "events"},
	}
	_, noZero := os.Stat("/dev/zero")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if noZero != nil && strings.Contains(c.name, "/dev/zero") {
				t.Skip("no /dev/zero here")
			}
			err := loadWithin(t, c.file, 5*time.Second)
			if err == nil {
				t.Fatalf("Load(%s) = nil error", c.file)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if c.not != "" && strings.Contains(err.Error(), c.not) {
				t.Errorf("error %q mentions %q", err, c.not)
			}
		})
	}
}

// TestReadFileCap: a file exactly at the cap is read; the cap covers what
// is read, not only what stat says.
func TestReadFileCap(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.toml")
	if err := os.WriteFile(p, []byte(strings.Repeat("#", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := readFile(p, 100); err != nil || len(b) != 100 {
		t.Fatalf("at the cap: %d bytes, %v", len(b), err)
	}
	if _, err := readFile(p, 99); err == nil {
		t.Fatal("over the cap: no error")
	}
}
