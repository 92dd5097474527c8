// Package outdir writes a command's outputs atomically: everything goes
// into a hidden staging folder beside the target, which replaces the target
// in one rename when the job succeeds. An interrupted or failed job leaves
// the target as it was and no half-written files behind.
//
// A job killed outright (kill -9, a power cut) cannot clean up after
// itself, so its staging folder .NAME.partial-XXXX stays beside the
// target. While a job runs it holds an advisory lock (flock) on the file
// .NAME.partial-XXXX.lock next to its staging folder; the next Create of the
// same target removes every staging folder of that target whose lock can be
// taken (the job that made it is gone), and reports them in Dir.Removed.
package outdir

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrExists is returned by Create when the target exists and force is off.
var ErrExists = errors.New("the output folder exists")

// Dir is an output folder being written.
type Dir struct {
	final   string
	tmp     string
	lock    *os.File // holds the flock on tmp + ".lock" while the job runs
	force   bool
	done    bool
	removed []string
}

// Create starts writing the folder final. It refuses to proceed if final
// exists, unless force is set (the old folder is then replaced at Commit,
// not before); even with force it replaces only what Replaceable allows.
// It first removes stale staging folders of final left by killed jobs (see
// Removed).
func Create(final string, force bool) (*Dir, error) {
	final = filepath.Clean(final)
	if err := checkTarget(final); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(final); err == nil {
		if !force {
			return nil, fmt.Errorf("%w: %s (use --force to replace it)", ErrExists, final)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("%s exists and is not a folder", final)
		}
		if err := Replaceable(final); err != nil {
			return nil, err
		}
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	removed, err := CleanStale(final)
	if err != nil {
		return nil, err
	}
	prefix := stagingPrefix(final)
	// The lock comes first, so a staging folder never exists unlocked while
	// its job runs.
	lock, err := os.CreateTemp(parent, prefix+"*.lock")
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		os.Remove(lock.Name())
		return nil, fmt.Errorf("output folder: cannot lock %s: %w", lock.Name(), err)
	}
	tmp := strings.TrimSuffix(lock.Name(), ".lock")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		unlock(lock)
		return nil, fmt.Errorf("output folder: %w", err)
	}
	return &Dir{final: final, tmp: tmp, lock: lock, force: force, removed: removed}, nil
}

// Removed lists the stale staging folders Create removed: those of the
// same target left by jobs that were killed.
func (d *Dir) Removed() []string { return d.removed }

// stagingPrefix is the name prefix of final's staging folders.
func stagingPrefix(final string) string { return "." + filepath.Base(final) + ".partial-" }

// checkTarget refuses targets that can never be an output folder: the root
// of the file system (whose base name is no folder name).
func checkTarget(final string) error {
	abs, err := filepath.Abs(final)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", final, err)
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("%s is the root of the file system; choose a folder for the output (e.g. --out out/NAME)", final)
	}
	return nil
}

// Replaceable returns nil if the existing folder dir may be replaced by
// --force: it is empty, or it is a previous parley output (it holds
// manifest.json or summary.txt, which every parley output folder has, or a
// sweep's checkpoint .partial/sweep.json). Anything else is refused, so a
// mistyped --out cannot delete a home folder, a source tree or /.
func Replaceable(dir string) error {
	if err := checkTarget(dir); err != nil {
		return err
	}
	for _, marker := range []string{"manifest.json", "summary.txt", filepath.Join(".partial", "sweep.json")} {
		if fi, err := os.Stat(filepath.Join(dir, marker)); err == nil && fi.Mode().IsRegular() {
			return nil
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	return fmt.Errorf("refusing to replace %s: it is not a parley output folder (no manifest.json or summary.txt); remove it yourself or choose another --out", dir)
}

// CleanStale removes the staging folders of final (.NAME.partial-XXXX and
// .NAME.partial-XXXX.old beside it) whose job is gone: their lock file can
// be locked, or is missing (a folder from a parley without locks). Folders
// of a job still running are left alone, as is anything else in the parent.
// It returns the folders removed.
func CleanStale(final string) ([]string, error) {
	parent, prefix := filepath.Dir(final), stagingPrefix(final)
	entries, err := os.ReadDir(parent)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("output folder: %w", err)
	}
	var removed []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		dir := filepath.Join(parent, name)
		lockPath := strings.TrimSuffix(dir, ".old") + ".lock"
		lock, err := os.OpenFile(lockPath, os.O_RDWR, 0)
		switch {
		case errors.Is(err, os.ErrNotExist):
			// No lock: the job removed it when it finished (and this folder
			// is a leftover), or the folder predates locks.
		case err != nil:
			continue
		default:
			if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
				lock.Close() // in use by a running job
				continue
			}
		}
		if err := os.RemoveAll(dir); err != nil {
			if lock != nil {
				lock.Close()
			}
			return removed, fmt.Errorf("output folder: cannot remove a stale staging folder: %w", err)
		}
		removed = append(removed, dir)
		if lock != nil {
			if !strings.HasSuffix(name, ".old") {
				os.Remove(lockPath)
			}
			lock.Close()
		}
	}
	return removed, nil
}

// unlock removes the lock file and releases its lock.
func unlock(lock *os.File) {
	if lock == nil {
		return
	}
	os.Remove(lock.Name())
	lock.Close()
}

// Final returns the folder the outputs will end up in.
func (d *Dir) Final() string { return d.final }

// Path returns the staging path of a file name inside the folder.
func (d *Dir) Path(name string) string { return filepath.Join(d.tmp, name) }

// Create creates a file inside the staging folder.
func (d *Dir) Create(name string) (*os.File, error) {
	if strings.Contains(name, "..") {
		return nil, fmt.Errorf("output file name %q is not a plain file name", name)
	}
	return os.Create(d.Path(name))
}

// WriteWith creates the file name inside the staging folder and writes it
// with fn; an error of fn is wrapped with the file name.
func (d *Dir) WriteWith(name string, fn func(io.Writer) error) error {
	f, err := d.Create(name)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	return f.Close()
}

// WriteFile writes a whole file inside the staging folder.
func (d *Dir) WriteFile(name string, data []byte) error {
	return os.WriteFile(d.Path(name), data, 0o644)
}

// Commit moves the staging folder into place, replacing an old folder only
// if force was given.
func (d *Dir) Commit() error {
	if d.done {
		return errors.New("output folder already committed or aborted (a bug)")
	}
	d.done = true
	defer unlock(d.lock)
	var old string
	if _, err := os.Stat(d.final); err == nil {
		if !d.force {
			os.RemoveAll(d.tmp)
			return fmt.Errorf("%w: %s appeared while the job ran (use --force to replace it)", ErrExists, d.final)
		}
		old = d.tmp + ".old"
		if err := os.Rename(d.final, old); err != nil {
			os.RemoveAll(d.tmp)
			return fmt.Errorf("output folder: %w", err)
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final)
		}
		os.RemoveAll(d.tmp)
		return fmt.Errorf("output folder: %w", err)
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
	unlock(d.lock)
}
