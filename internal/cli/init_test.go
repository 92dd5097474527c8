package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInit: parley init writes a starter scenario that validates and runs
// from a folder outside the repository (its extends and history come with
// the binary), refuses to overwrite without --force, and whose commented
// examples are all valid keys when uncommented.
func TestInit(t *testing.T) {
	tmp := t.TempDir()
	study := filepath.Join(tmp, "my study")
	code, o, e := parley(t, "init", study)
	if code != 0 || !strings.Contains(o, "scenario.toml") {
		t.Fatalf("init: status %d\n%s%s", code, o, e)
	}
	file := filepath.Join(study, "scenario.toml")
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `extends = "embedded:ttp-2021"`) || !strings.Contains(string(text), `name = "my-study"`) {
		t.Errorf("starter scenario:\n%s", text)
	}

	// From another folder, by a relative path.
	elsewhere := filepath.Join(tmp, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(elsewhere)
	rel := filepath.Join("..", "my study", "scenario.toml")
	if code, o, e := parley(t, "validate", rel); code != 0 || !strings.Contains(o, "ok  ") || !strings.Contains(o, "my-study: 2021-08-15 to 2023-12-31") {
		t.Fatalf("validate: status %d\n%s%s", code, o, e)
	}
	if code, o, e := parley(t, "run", rel, "--runs", "20", "--quiet", "--format", "svg"); code != 0 || !strings.Contains(o, "my-study") {
		t.Fatalf("run: status %d\n%s%s", code, o, e)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "out", "my-study", "summary.txt")); err != nil {
		t.Errorf("run did not write out/my-study/summary.txt in the current folder: %v", err)
	}

	// Never overwrite without --force.
	if err := os.WriteFile(file, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, e := parley(t, "init", study); code != 1 || !strings.Contains(e, "exists (use --force") {
		t.Errorf("init over an existing file: status %d, stderr %q", code, e)
	}
	if b, _ := os.ReadFile(file); string(b) != "# mine\n" {
		t.Errorf("init without --force changed the file: %q", b)
	}
	if code, _, e := parley(t, "init", study, "--force"); code != 0 {
		t.Errorf("init --force: status %d, %s", code, e)
	}
	if code, _, _ := parley(t, "init"); code != 2 {
		t.Errorf("init without a folder: status %d, want 2", code)
	}

	// Every commented example, uncommented, is a valid scenario.
	example := regexp.MustCompile(`(?m)^# ((\[|[a-z_]+ = ).*)$`).ReplaceAllString(string(text), "$1")
	if strings.Count(example, "\n[") < 5 {
		t.Fatalf("too few examples uncommented:\n%s", example)
	}
	full := filepath.Join(tmp, "all.toml")
	if err := os.WriteFile(full, []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, o, e := parley(t, "validate", full); code != 0 || !strings.Contains(o, "2021-08-15 to 2024-06-30") || !strings.Contains(o, "13 events") {
		t.Errorf("the starter with every example uncommented: status %d\n%s%s\n%s", code, o, e, example)
	}
}
