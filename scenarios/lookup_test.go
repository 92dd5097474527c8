package scenarios

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{
		"ttp-2021":                  "ttp-2021.toml",
		"ttp-2021.toml":             "ttp-2021.toml",
		"./base":                    "base.toml",
		"history/picss_monthly.csv": "history/picss_monthly.csv",
	} {
		got, err := Lookup(in)
		if err != nil || got != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"ttp-2022", "history", "ttp-2021.toml.toml", ""} {
		_, err := Lookup(in)
		if err == nil {
			t.Errorf("Lookup(%q): no error", in)
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "ttp-2021, ") || !strings.Contains(err.Error(), "whatif-release-prisoners") {
			t.Errorf("Lookup(%q) error %q: want fs.ErrNotExist listing the built-in names", in, err)
		}
	}
}

func TestNames(t *testing.T) {
	names := Names()
	if len(names) < 10 || names[0] != "base" {
		t.Fatalf("Names() = %v", names)
	}
	for _, n := range names {
		if _, err := Lookup(n); err != nil {
			t.Errorf("Lookup(%q): %v", n, err)
		}
	}
}
