package scenarios

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Lookup returns the name in FS of the built-in file a user wrote after
// "embedded:". A scenario may be named with or without its ".toml"
// extension: "ttp-2021" and "ttp-2021.toml" are the same file. Other files
// of FS (the history under history/) are found by their full name. An
// unknown name is an error wrapping fs.ErrNotExist that lists the built-in
// scenarios.
func Lookup(name string) (string, error) {
	n := path.Clean(strings.TrimSpace(name))
	if fi, err := fs.Stat(FS, n); err == nil && !fi.IsDir() {
		return n, nil
	}
	if path.Ext(n) != ".toml" {
		if fi, err := fs.Stat(FS, n+".toml"); err == nil && !fi.IsDir() {
			return n + ".toml", nil
		}
	}
	return "", notFound(fmt.Sprintf("no built-in scenario %q (built in: %s)", name, strings.Join(Names(), ", ")))
}

// notFound is Lookup's error: it says what is built in, and is
// fs.ErrNotExist for errors.Is.
type notFound string

func (e notFound) Error() string        { return string(e) }
func (e notFound) Is(target error) bool { return target == fs.ErrNotExist }

// Names lists the built-in scenarios, sorted, without their ".toml"
// extension: the names "embedded:NAME" accepts.
func Names() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".toml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
