package scenario

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmbeddedWithoutExtension: "embedded:ttp-2021" is "embedded:ttp-2021.toml",
// as an argument and in extends; an unknown name lists the built-in names.
func TestEmbeddedWithoutExtension(t *testing.T) {
	want, err := LoadEmbedded("ttp-2021.toml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadEmbedded("ttp-2021")
	if err != nil {
		t.Fatal(err)
	}
	if Hash(got.Scenario) != Hash(want.Scenario) || got.Path != "embedded:ttp-2021.toml" {
		t.Errorf("embedded:ttp-2021 loaded %s (hash %s), want %s (hash %s)", got.Path, Hash(got.Scenario), want.Path, Hash(want.Scenario))
	}
	if got.Observed == nil || len(got.Observed.Monthly) == 0 {
		t.Error("embedded:ttp-2021 lost its observations")
	}

	dir := t.TempDir()
	for _, ext := range []string{"embedded:ttp-2021", "embedded:ttp-2021.toml"} {
		f := filepath.Join(dir, "overlay.toml")
		if err := os.WriteFile(f, []byte("extends = \""+ext+"\"\nname = \"ttp-2021\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := Load(f)
		if err != nil {
			t.Fatalf("extends = %q: %v", ext, err)
		}
		if Hash(l.Scenario) != Hash(want.Scenario) {
			t.Errorf("extends = %q: scenario differs from the built-in", ext)
		}
		if l.Files[1] != "embedded:ttp-2021.toml" {
			t.Errorf("extends = %q: files %v", ext, l.Files)
		}
	}

	_, err = LoadEmbedded("ttp-2022")
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), `"ttp-2022"`) || !strings.Contains(err.Error(), "ttp-2021, ") {
		t.Errorf("unknown embedded name: %v", err)
	}
	f := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(f, []byte("extends = \"embedded:ttp-2022\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(f)
	if err == nil || !strings.Contains(err.Error(), "bad.toml:1: extends:") || !strings.Contains(err.Error(), "ceasefire-2021, ") {
		t.Errorf("extends an unknown embedded name: %v", err)
	}
}
