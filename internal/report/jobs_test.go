package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parley-sim/parley/internal/outdir"
)

var errDisk = errors.New("disk on fire")

// TestRunJobsFirstErrorByOrder: the error reported is the first failing
// job's in job order, wrapped with its file name, even when a later job
// fails first and costlier jobs start first; the files list keeps the job
// order; a failed job leaves nothing once the folder is aborted.
func TestRunJobsFirstErrorByOrder(t *testing.T) {
	for _, workers := range []int{1, 4} {
		dir, err := outdir.Create(filepath.Join(t.TempDir(), "out"), false)
		if err != nil {
			t.Fatal(err)
		}
		slow := func(d time.Duration, fail error) func(io.Writer) error {
			return func(w io.Writer) error {
				time.Sleep(d)
				io.WriteString(w, "half")
				return fail
			}
		}
		jobs := []Job{
			FileJob(dir, "a.csv", slow(0, nil)),
			FileJob(dir, "b.csv", slow(30*time.Millisecond, errDisk)), // fails last
			FileJob(dir, "c.csv", slow(0, errors.New("later"))),       // fails first
			{Files: []string{"d.png"}, Cost: costPanel, Write: func() error { return nil }},
		}
		_, err = RunJobs(workers, jobs)
		if !errors.Is(err, errDisk) || err.Error() != "b.csv: disk on fire" {
			t.Errorf("%d workers: got %v, want b.csv's error", workers, err)
		}
		staging := filepath.Dir(dir.Path("x"))
		dir.Abort()
		if _, err := os.Stat(staging); !os.IsNotExist(err) {
			t.Errorf("%d workers: staging folder left after abort: %v", workers, err)
		}

		dir, err = outdir.Create(filepath.Join(t.TempDir(), "ok"), false)
		if err != nil {
			t.Fatal(err)
		}
		jobs = []Job{
			BytesJob(dir, "summary.txt", []byte("s")),
			{Files: []string{"runs.csv", "ceasefires.csv"}},
			FileJob(dir, "a.csv", slow(20*time.Millisecond, nil)),
			{Files: []string{"big.png"}, Cost: costPanel, Write: func() error { return nil }},
		}
		files, err := RunJobs(workers, jobs)
		want := []string{"summary.txt", "runs.csv", "ceasefires.csv", "a.csv", "big.png"}
		if err != nil || !slices.Equal(files, want) {
			t.Errorf("%d workers: got %v, %v; want %v", workers, files, err, want)
		}
		dir.Abort()
	}
}
