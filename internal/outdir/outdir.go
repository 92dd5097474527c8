// Package outdir writes a command's outputs atomically: everything goes
// into a hidden staging folder beside the target, which replaces the target
// in one rename when the job succeeds. An interrupted or failed job leaves
// the target as it was and no half-written files behind.
package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned by Create when the target exists and force is off.
var ErrExists = errors.New("outdir: output folder exists")

// Dir is an output folder being written.
type Dir struct {
	final string
	tmp   string
	force bool
	done  bool
}

// Create starts writing the folder final. It refuses to proceed if final
// exists, unless force is set (the old folder is then replaced at Commit,
// not before).
func Create(final string, force bool) (*Dir, error) {
	final = filepath.Clean(final)
	if fi, err := os.Stat(final); err == nil {
		if !force {
			return nil, fmt.Errorf("%w: %s (use --force to replace it)", ErrExists, final)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("outdir: %s exists and is not a folder", final)
		}
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("outdir: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".partial-")
	if err != nil {
		return nil, fmt.Errorf("outdir: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("outdir: %w", err)
	}
	return &Dir{final: final, tmp: tmp, force: force}, nil
}

// Final returns the folder the outputs will end up in.
func (d *Dir) Final() string { return d.final }

// Path returns the staging path of a file name inside the folder.
func (d *Dir) Path(name string) string { return filepath.Join(d.tmp, name) }

// Create creates a file inside the staging folder.
func (d *Dir) Create(name string) (*os.File, error) {
	if strings.Contains(name, "..") {
		return nil, fmt.Errorf("outdir: bad file name %q", name)
	}
	return os.Create(d.Path(name))
}

// WriteFile writes a whole file inside the staging folder.
func (d *Dir) WriteFile(name string, data []byte) error {
	return os.WriteFile(d.Path(name), data, 0o644)
}

// Commit moves the staging folder into place, replacing an old folder only
// if force was given.
func (d *Dir) Commit() error {
	if d.done {
		return errors.New("outdir: already committed or aborted")
	}
	d.done = true
	var old string
	if _, err := os.Stat(d.final); err == nil {
		if !d.force {
			os.RemoveAll(d.tmp)
			return fmt.Errorf("%w: %s appeared while the job ran (use --force to replace it)", ErrExists, d.final)
		}
		old = d.tmp + ".old"
		if err := os.Rename(d.final, old); err != nil {
			os.RemoveAll(d.tmp)
			return fmt.Errorf("outdir: %w", err)
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final)
		}
		os.RemoveAll(d.tmp)
		return fmt.Errorf("outdir: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Abort removes the staging folder; the target is left as it was. It is
// safe to call after Commit (it then does nothing).
func (d *Dir) Abort() {
	if d.done {
		return
	}
	d.done = true
	os.RemoveAll(d.tmp)
}
