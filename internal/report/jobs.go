package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/parley-sim/parley/internal/outdir"
	"github.com/parley-sim/parley/internal/workpool"
	"github.com/parley-sim/parley/plots"
	"github.com/parley-sim/parley/sim/mc"
	"github.com/parley-sim/parley/sim/scenario"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// A Job writes files of an output folder. The jobs of one folder are
// independent: each writes only its own files and only reads what it
// shares with the others (results, plots), so they may run concurrently.
type Job struct {
	Files []string     // the files it writes, as listed to the user
	Cost  int          // rough relative cost (a PNG chart is 10); costlier jobs start first
	Write func() error // writes the files; nil: written elsewhere, only listed
}

// Rough costs of jobs, measured on the reference scenario (a 16 × 9 cm PNG
// chart takes about 60 ms to draw and encode).
const (
	costFile  = 1
	costSVG   = 1
	costPDF   = 2
	costPNG   = 10
	costPanel = 40
)

// RunJobs runs jobs on at most workers goroutines (fewer than 2: one after
// the other) and returns the files written, in job order whatever order the
// jobs finished in. Costlier jobs start first, which shortens the whole
// when one job (an overview panel) takes much longer than the others.
//
// The error is that of the first failing job in job order (not the first
// to fail), so it does not depend on the scheduling; jobs after it may not
// have run. RunJobs returns only when every job it started has returned,
// so the caller may then abort the output folder. Each file is whole or
// absent: charts are written atomically, and the output folder itself
// appears only when the command commits it.
func RunJobs(workers int, jobs []Job) ([]string, error) {
	start := make([]int, len(jobs))
	for i := range start {
		start[i] = i
	}
	slices.SortStableFunc(start, func(a, b int) int { return jobs[b].Cost - jobs[a].Cost })
	if err := workpool.Run(len(jobs), workers, start, func(i int) error {
		if jobs[i].Write == nil {
			return nil
		}
		return jobs[i].Write()
	}); err != nil {
		return nil, err
	}
	var files []string
	for _, j := range jobs {
		files = append(files, j.Files...)
	}
	return files, nil
}

// FileJob writes the file name in dir with fn; an error of fn is wrapped
// with the file name.
func FileJob(dir *outdir.Dir, name string, fn func(io.Writer) error) Job {
	return Job{Files: []string{name}, Cost: costFile, Write: func() error { return dir.WriteWith(name, fn) }}
}

// BytesJob writes data as the file name in dir.
func BytesJob(dir *outdir.Dir, name string, data []byte) Job {
	return Job{Files: []string{name}, Cost: costFile, Write: func() error { return dir.WriteFile(name, data) }}
}

// ChartJobs returns one job per chart and format, in that order, each
// saving the chart into dir (plots.Save draws a copy of the plot, so the
// jobs may share it).
func ChartJobs(dir *outdir.Dir, charts []Chart, formats []string) []Job {
	var jobs []Job
	for _, c := range charts {
		for _, f := range formats {
			file := c.Name + "." + f
			cost := map[string]int{"png": costPNG, "svg": costSVG, "pdf": costPDF}[f]
			jobs = append(jobs, Job{Files: []string{file}, Cost: cost, Write: func() error {
				if err := plots.Save(c.Plot, dir.Path(file), c.Size); err != nil {
					return fmt.Errorf("report: %s: %w", file, err)
				}
				return nil
			}})
		}
	}
	return jobs
}

// PanelJob draws ps tiled in rows × cols into the PNG name in dir, o.Width
// by o.Height, with key (if not nil) as the shared legend in the first free
// tile (see plots.PanelWithKey).
func PanelJob(dir *outdir.Dir, name string, o plots.Options, rows, cols int, ps []*plot.Plot, key *plot.Legend) Job {
	return Job{Files: []string{name}, Cost: costPanel, Write: func() error {
		if err := plots.PanelWithKey(dir.Path(name), o, rows, cols, ps, key); err != nil {
			return fmt.Errorf("report: %s: %w", name, err)
		}
		return nil
	}}
}

// PlotJobs returns the jobs rendering the standard charts of a result into
// dir in each format, plus the overview panel (attacks, survival, phases,
// fighters) as PNG; none without formats. The charts are built here, once.
func PlotJobs(dir *outdir.Dir, r *mc.Result, obs *scenario.Observed, formats []string) ([]Job, error) {
	if len(formats) == 0 {
		return nil, nil
	}
	names, ps, err := Charts(r, obs)
	if err != nil {
		return nil, err
	}
	charts := make([]Chart, len(names))
	for i := range names {
		charts[i] = Chart{Name: names[i], Plot: ps[i]}
	}
	jobs := ChartJobs(dir, charts, formats)
	// The overview panel (attacks, survival, phases, fighters) for briefings.
	if len(ps) >= 4 {
		jobs = append(jobs, PanelJob(dir, "overview.png", plots.Options{Width: 32 * vg.Centimeter, Height: 18 * vg.Centimeter}, 2, 2, ps[:4], nil))
	}
	return jobs, nil
}
