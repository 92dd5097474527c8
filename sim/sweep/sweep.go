package sweep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-sim/parley/internal/atomicfile"
	"github.com/parley-sim/parley/internal/version"
	"github.com/parley-sim/parley/sim"
)

// Shard is a slice of a design: shard Index of Count (0-based). The zero
// value (Count 0) means the whole design.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n" (0 <= i < n).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: want i/n with 0 <= i < n, e.g. 0/4", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// String returns "i/n", or "" for the whole design.
func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Range returns the points [lo, hi) of a design of n points that the shard
// computes: contiguous blocks, so merging shards is concatenation.
func (s Shard) Range(n int) (lo, hi int) {
	if s.Count == 0 {
		return 0, n
	}
	return s.Index * n / s.Count, (s.Index + 1) * n / s.Count
}

// Config is a sweep to run.
type Config struct {
	Scenario      *sim.Scenario // base scenario (validated); not modified
	ScenarioPath  string        // where it came from (for the manifest)
	ScenarioFiles []string      // files it was read from
	ScenarioSHA   string        // scenario.Hash of the base scenario
	Sets          []string      // --set overrides already applied

	Design       Design
	RunsPerPoint int    // runs per design point
	Seed         uint64 // master seed
	KeepRuns     bool   // also write runs.csv
	Parquet      bool   // also write points.parquet (and runs.parquet)
	// ToParquet converts a CSV file into a Parquet file (needed with
	// Parquet; the command passes columnar.FromCSV, so the engine's
	// packages do not depend on a Parquet library).
	ToParquet Converter
	Shard     Shard // slice of the design to compute

	Out     string // output folder
	Workers int    // parallel workers (0: GOMAXPROCS); results do not depend on it
	Resume  bool   // finish an interrupted sweep in Out (or start one)
	Force   bool   // replace an existing Out

	// Progress, if set, is called after every completed point with the
	// points done and the shard's total (including points done before a
	// resume).
	Progress func(done, total int)
}

// Manifest describes a sweep's output folder. Everything in it is
// deterministic in the sweep's inputs (no wall times, no worker counts), so
// a resumed, sharded-and-merged or re-run sweep writes the same bytes.
type Manifest struct {
	Version        string    `json:"version"`
	GoVersion      string    `json:"go_version"`
	Command        string    `json:"command"`
	Scenario       string    `json:"scenario"`
	ScenarioFiles  []string  `json:"scenario_files"`
	ScenarioSHA256 string    `json:"scenario_sha256"`
	Sets           []string  `json:"sets,omitempty"`
	Start          string    `json:"start"`
	End            string    `json:"end"`
	Step           string    `json:"step"`
	Design         string    `json:"design"`
	Samples        int       `json:"samples,omitempty"`
	RunsPerPoint   int       `json:"runs_per_point"`
	Seed           uint64    `json:"seed"`
	KeepRuns       bool      `json:"keep_runs"`
	Params         []Dim     `json:"params"`
	Points         int       `json:"points"`
	RunDays        int64     `json:"run_days"`
	Shard          string    `json:"shard,omitempty"`
	PointLo        int       `json:"point_lo,omitempty"`
	PointHi        int       `json:"point_hi,omitempty"`
	Outcomes       []string  `json:"outcomes"`
	Files          []string  `json:"files"`
	Parquet        bool      `json:"parquet,omitempty"`
	Seeds          SeedNotes `json:"seeds"`
}

// SeedNotes documents how streams are derived.
type SeedNotes struct {
	Point string `json:"point"`
	Run   string `json:"run"`
}

// PointSeed derives the master seed of design point p from the sweep's seed:
// run r of point p then uses the streams sim.StreamSeed(PointSeed(seed, p),
// r, ·). It depends only on (seed, p).
func PointSeed(seed uint64, p int) uint64 {
	a, b := sim.StreamSeed(seed, uint64(p), 0x73776565702d7074) // "sweep-pt"
	return a ^ (b >> 1)
}

// Result reports what a sweep did.
type Result struct {
	Dir       string
	Points    int           // points of the shard
	Computed  int           // points computed by this call (the rest were checkpointed)
	RunDays   int64         // run-days computed by this call
	Wall      time.Duration // time spent computing
	Manifest  Manifest
	Completed bool // false only if the folder was already complete
}

const partialDir = ".partial"

// ErrComplete is returned (wrapped) when resuming a sweep that is already
// complete.
var ErrComplete = errors.New("sweep: already complete")

// Run runs the sweep: design points of the shard in parallel, streamed in
// point order to a checkpoint in Out/.partial, then the final outputs
// (points.csv, runs.csv with KeepRuns, manifest.json) into Out.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.RunsPerPoint < 1 {
		return nil, fmt.Errorf("sweep: --runs-per-point must be >= 1")
	}
	pts, err := cfg.Design.Points()
	if err != nil {
		return nil, err
	}
	man := cfg.manifest(len(pts))
	lo, hi := cfg.Shard.Range(len(pts))
	// Every value lies in its key's range (ParseParam checked the bounds);
	// cross-key problems (e.g. a batch above its units) are caught by
	// sim.New in the worker, naming the point.
	out := filepath.Clean(cfg.Out)
	part := filepath.Join(out, partialDir)
	ident, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sweep: manifest: %w", err)
	}
	if err := prepare(out, part, ident, cfg.Resume, cfg.Force); err != nil {
		return nil, err
	}

	// Open the checkpoint and find how far it got.
	pf, done, err := openCheckpoint(filepath.Join(part, "points.part"), lo, hi)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	var rf *os.File
	if cfg.KeepRuns {
		rf, err = openRunsCheckpoint(filepath.Join(part, "runs.part"), lo+done)
		if err != nil {
			return nil, err
		}
		defer rf.Close()
	}
	res := &Result{Dir: out, Points: hi - lo, Manifest: man, Completed: true}
	if cfg.Progress != nil {
		cfg.Progress(done, hi-lo)
	}
	start := time.Now()
	if err := cfg.execute(ctx, pts, lo+done, hi, pf, rf, func(n int) {
		if cfg.Progress != nil {
			cfg.Progress(done+n, hi-lo)
		}
	}); err != nil {
		return nil, err
	}
	res.Wall = time.Since(start)
	res.Computed = hi - lo - done
	res.RunDays = int64(res.Computed) * int64(cfg.RunsPerPoint) * int64(horizonDays(cfg.Scenario))
	if err := pf.Sync(); err != nil {
		return nil, fmt.Errorf("sweep: checkpoint: %w", err)
	}
	if rf != nil {
		if err := rf.Sync(); err != nil {
			return nil, fmt.Errorf("sweep: checkpoint: %w", err)
		}
	}
	if err := finish(out, man, filepath.Join(part, "points.part"), filepath.Join(part, "runs.part"), cfg.Design.Dims, cfg.ToParquet); err != nil {
		return nil, err
	}
	return res, nil
}

func horizonDays(sc *sim.Scenario) int { return int(sc.End-sc.Start) + 1 }

func (cfg *Config) manifest(points int) Manifest {
	sc := cfg.Scenario
	lo, hi := cfg.Shard.Range(points)
	m := Manifest{Version: version.String(), GoVersion: runtime.Version(), Command: "sweep",
		Scenario: cfg.ScenarioPath, ScenarioFiles: cfg.ScenarioFiles, ScenarioSHA256: cfg.ScenarioSHA, Sets: cfg.Sets,
		Start: sc.Start.String(), End: sc.End.String(), Step: sc.Step,
		Design: cfg.Design.Kind, RunsPerPoint: cfg.RunsPerPoint, Seed: cfg.Seed, KeepRuns: cfg.KeepRuns,
		Params: cfg.Design.Dims, Points: points,
		RunDays:  int64(points) * int64(cfg.RunsPerPoint) * int64(horizonDays(sc)),
		Outcomes: Outcomes,
		Seeds: SeedNotes{Point: "PointSeed(seed, point): sim.StreamSeed(seed, point, 0x73776565702d7074), words xor-folded",
			Run: "run r of a point uses streams sim.StreamSeed(PointSeed(seed, point), r, stream)"}}
	if cfg.Design.Kind != "grid" {
		m.Samples = cfg.Design.Samples
	}
	if cfg.Shard.Count > 0 {
		m.Shard, m.PointLo, m.PointHi = cfg.Shard.String(), lo, hi
	}
	m.Files = []string{"manifest.json", "points.csv"}
	if cfg.KeepRuns {
		m.Files = append(m.Files, "runs.csv")
	}
	if cfg.Parquet {
		m.Parquet = true
		m.Files = append(m.Files, "points.parquet")
		if cfg.KeepRuns {
			m.Files = append(m.Files, "runs.parquet")
		}
	}
	return m
}

// prepare makes the output folder and its checkpoint, or checks that an
// existing checkpoint belongs to this sweep.
func prepare(out, part string, ident []byte, resume, force bool) error {
	identPath := filepath.Join(part, "sweep.json")
	_, errOut := os.Stat(out)
	_, errPart := os.Stat(part)
	switch {
	case errOut == nil && resume && errPart == nil:
		old, err := os.ReadFile(identPath)
		if err != nil {
			return fmt.Errorf("sweep: %s: the checkpoint is unreadable (%w); use --force to start over", out, err)
		}
		if !bytes.Equal(old, ident) {
			return fmt.Errorf("sweep: %s holds an interrupted sweep with different settings (scenario, parameters, design, runs, seed, shard or parley version); resume it with the same command, or use --force to start over", out)
		}
		return nil
	case errOut == nil && resume:
		if _, err := os.Stat(filepath.Join(out, "points.csv")); err == nil {
			return fmt.Errorf("%w: %s (nothing to resume; use --force to run it again)", ErrComplete, out)
		}
		if !force {
			return fmt.Errorf("sweep: %s exists but holds no sweep checkpoint (use --force to replace it)", out)
		}
	case errOut == nil && !force && errPart == nil:
		return fmt.Errorf("sweep: %s holds an interrupted sweep: add --resume to finish it, or --force to start over", out)
	case errOut == nil && !force:
		return fmt.Errorf("sweep: output folder exists: %s (use --force to replace it)", out)
	}
	if errOut == nil {
		if err := os.RemoveAll(out); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	if err := os.MkdirAll(part, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := writeFileSync(identPath, ident); err != nil {
		return err
	}
	return nil
}

// openCheckpoint opens the append-only points checkpoint, drops a torn last
// line (a kill -9 mid-write), checks that the complete lines are points lo,
// lo+1, ... in order, and returns the file positioned at its end with the
// number of points already done.
func openCheckpoint(path string, lo, hi int) (*os.File, int, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, fmt.Errorf("sweep: checkpoint: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("sweep: checkpoint: %w", err)
	}
	keep := bytes.LastIndexByte(data, '\n') + 1
	done := 0
	for line := range bytes.Lines(data[:keep]) {
		idx, _, _ := bytes.Cut(line, []byte(","))
		p, err := strconv.Atoi(string(idx))
		if err != nil || p != lo+done || p >= hi {
			f.Close()
			return nil, 0, fmt.Errorf("sweep: checkpoint %s is corrupt at point %d; use --force to start over", path, lo+done)
		}
		done++
	}
	if err := truncateTo(f, int64(keep)); err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, done, nil
}

// openRunsCheckpoint opens the runs checkpoint and keeps only the complete
// rows of points before next (rows of a point not yet checkpointed in
// points.part are computed again).
func openRunsCheckpoint(path string, next int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep: checkpoint: %w", err)
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var keep int64
	for {
		line, err := br.ReadBytes('\n')
		if err != nil { // EOF: a torn or no last line
			break
		}
		idx, _, _ := bytes.Cut(line, []byte(","))
		p, perr := strconv.Atoi(string(idx))
		if perr != nil || p >= next {
			break
		}
		keep += int64(len(line))
	}
	if err := truncateTo(f, keep); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func truncateTo(f *os.File, n int64) error {
	if err := f.Truncate(n); err != nil {
		return fmt.Errorf("sweep: checkpoint: %w", err)
	}
	if _, err := f.Seek(n, io.SeekStart); err != nil {
		return fmt.Errorf("sweep: checkpoint: %w", err)
	}
	return nil
}

// pointScenario makes sc a copy of base with the point's values applied
// through the dimensions' setters (each in its key's range; cross-key
// checks are left to sim.New and sim.Model.Retarget). It reuses sc's
// lists: a worker keeps one scenario and retargets its model to it point
// after point.
func pointScenario(sc, base *sim.Scenario, set []sim.Setter, x []float64) error {
	f, d, e := sc.Insurgent.Factions, sc.Insurgent.Demands, sc.Events
	*sc = *base
	sc.Insurgent.Factions = append(f[:0], base.Insurgent.Factions...)
	sc.Insurgent.Demands = append(d[:0], base.Insurgent.Demands...)
	sc.Events = append(e[:0], base.Events...)
	for j, st := range set {
		if err := st.Set(sc, x[j]); err != nil {
			return err
		}
	}
	return nil
}

// setters resolves the dimensions' keys on the sweep's scenario, once.
func setters(sc *sim.Scenario, dims []Dim) ([]sim.Setter, error) {
	set := make([]sim.Setter, len(dims))
	for j, d := range dims {
		st, err := sc.Setter(d.Key)
		if err != nil {
			return nil, err
		}
		set[j] = st
	}
	return set, nil
}

// pointResult is one computed point on its way to the checkpoint.
type pointResult struct {
	point int
	row   []byte // points.csv row
	runs  []byte // runs.csv rows (KeepRuns)
}

// execute computes points [from, hi) with a pool of workers, one point per
// task (all its runs on one model), and appends them in point order to the
// checkpoint files. It syncs the checkpoint at most once a second; a kill
// leaves whole lines in the page cache and at worst a torn last line.
func (cfg *Config) execute(ctx context.Context, pts [][]float64, from, hi int, pf, rf *os.File, progress func(int)) error {
	n := hi - from
	if n <= 0 {
		return nil
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	set, err := setters(cfg.Scenario, cfg.Design.Dims)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	window := 4 * workers
	free := make(chan *pointResult, window)
	for i := 0; i < window; i++ {
		free <- &pointResult{}
	}
	results := make(chan *pointResult, window)
	var next atomic.Int64
	var wg sync.WaitGroup
	var errOnce sync.Once
	var werr error
	fail := func(err error) {
		errOnce.Do(func() { werr = err; cancel() })
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a acc
			var sum []float64
			var m *sim.Model // one model per worker, retargeted point after point
			sc := new(sim.Scenario)
			for {
				var it *pointResult
				select {
				case <-ctx.Done():
					return
				case it = <-free:
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				p := from + i
				err := pointScenario(sc, cfg.Scenario, set, pts[p])
				if err != nil {
					fail(fmt.Errorf("sweep: point %d: %w", p, err))
					return
				}
				if m == nil {
					if m, err = sim.New(sc); err == nil {
						// A point's outcomes are the runs' totals, so the
						// series need no more than one period.
						err = m.SetPeriods(make([]int, m.Steps()))
					}
				} else {
					err = m.Retarget(sc)
				}
				if err != nil {
					fail(fmt.Errorf("sweep: point %d: %w", p, err))
					return
				}
				seed := PointSeed(cfg.Seed, p)
				a.reset()
				it.runs = it.runs[:0]
				for r := 0; r < cfg.RunsPerPoint; r++ {
					if r&15 == 0 && ctx.Err() != nil {
						return
					}
					rec := m.Run(seed, r)
					a.add(rec)
					if cfg.KeepRuns {
						it.runs = appendRun(it.runs, p, rec)
					}
				}
				sum = a.summary(sum)
				it.point = p
				it.row = appendRow(it.row[:0], p, pts[p], sum)
				select {
				case results <- it:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	pending := make(map[int]*pointResult, window)
	done := 0
	lastSync := time.Now()
	for it := range results {
		if werr != nil || ctx.Err() != nil {
			continue
		}
		pending[it.point] = it
		// Commit points in order until one is missing, or the job is
		// cancelled (even by progress itself): an interrupted sweep stops
		// at once and --resume finishes it.
		for ctx.Err() == nil {
			cur, ok := pending[from+done]
			if !ok {
				break
			}
			delete(pending, from+done)
			// Runs first: a point counts as done once its points.part line is
			// whole, and then its runs are whole too.
			if rf != nil {
				if _, err := rf.Write(cur.runs); err != nil {
					fail(fmt.Errorf("sweep: checkpoint: %w", err))
					break
				}
			}
			if _, err := pf.Write(cur.row); err != nil {
				fail(fmt.Errorf("sweep: checkpoint: %w", err))
				break
			}
			done++
			free <- cur
			if time.Since(lastSync) > time.Second {
				lastSync = time.Now()
				if rf != nil {
					rf.Sync()
				}
				pf.Sync()
			}
			progress(done)
		}
	}
	if werr != nil {
		return werr
	}
	if done < n {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("sweep: interrupted after %d of %d points (resume with --resume): %w", done, n, err)
		}
		return fmt.Errorf("sweep: only %d of %d points completed", done, n)
	}
	return nil
}

// PointsHeader returns the header of points.csv for the swept keys.
func PointsHeader(dims []Dim) []string {
	h := []string{"point"}
	for _, d := range dims {
		h = append(h, d.Key)
	}
	return append(h, Outcomes...)
}

// finish writes the final outputs from the checkpoint files into out and
// removes the checkpoint. Each file is written beside its target and renamed
// into place, so a crash here leaves a checkpoint that --resume finishes.
func finish(out string, man Manifest, pointsPart, runsPart string, dims []Dim, toParquet Converter) error {
	header := strings.Join(PointsHeader(dims), ",") + "\n"
	if err := concatFile(filepath.Join(out, "points.csv"), header, pointsPart); err != nil {
		return err
	}
	if man.KeepRuns {
		if err := concatFile(filepath.Join(out, "runs.csv"), strings.Join(RunsHeader, ",")+"\n", runsPart); err != nil {
			return err
		}
	}
	if err := writeParquet(out, man, toParquet); err != nil {
		return err
	}
	if err := writeManifest(filepath.Join(out, "manifest.json"), man); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(out, partialDir)); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

// Converter turns the CSV file src into a file dst of another format.
type Converter func(src, dst string) error

// writeParquet converts the CSV outputs to Parquet when the manifest asks
// for it.
func writeParquet(dir string, man Manifest, toParquet Converter) error {
	if !man.Parquet {
		return nil
	}
	if toParquet == nil {
		return fmt.Errorf("sweep: Parquet output asked for, but no converter given")
	}
	names := []string{"points"}
	if man.KeepRuns {
		names = append(names, "runs")
	}
	for _, n := range names {
		if err := toParquet(filepath.Join(dir, n+".csv"), filepath.Join(dir, n+".parquet")); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	return nil
}

func writeManifest(path string, man Manifest) error {
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return fmt.Errorf("sweep: manifest: %w", err)
	}
	return writeFileSync(path, append(b, '\n'))
}

// concatFile writes header followed by the given files' contents to path,
// atomically.
func concatFile(path, header string, parts ...string) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, header); err != nil {
			return err
		}
		for _, p := range parts {
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(w, in)
			in.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

func writeFileSync(path string, data []byte) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}
