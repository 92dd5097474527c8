package sweep

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ShardDir is the folder shard s of a sweep writes under out:
// out/shard-IIII-of-NNNN.
func ShardDir(out string, s Shard) string {
	return filepath.Join(out, fmt.Sprintf("shard-%04d-of-%04d", s.Index, s.Count))
}

// ReadManifest reads a sweep folder's manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return m, fmt.Errorf("sweep: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("sweep: %s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	if m.Command != "sweep" {
		return m, fmt.Errorf("sweep: %s is not a sweep's output (command %q)", dir, m.Command)
	}
	return m, nil
}

// expand turns each argument into shard folders: a folder with a
// manifest.json is one; otherwise its shard-* subfolders are.
func expand(dirs []string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "manifest.json")); err == nil {
			out = append(out, d)
			continue
		}
		subs, err := filepath.Glob(filepath.Join(d, "shard-*"))
		if err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
		var found []string
		for _, s := range subs {
			if _, err := os.Stat(filepath.Join(s, "manifest.json")); err == nil {
				found = append(found, s)
			} else if _, err := os.Stat(filepath.Join(s, partialDir)); err == nil {
				return nil, fmt.Errorf("sweep: shard %s is unfinished (resume it with parley sweep ... --resume)", s)
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("sweep: %s holds neither a sweep's manifest.json nor finished shard-* folders", d)
		}
		out = append(out, found...)
	}
	return out, nil
}

// Merge joins the outputs of a sharded sweep (shard folders, or folders
// holding shard-* folders) into out, writing exactly the bytes a
// single-machine sweep writes. Every shard must be present once, and all
// must come from the same sweep. toParquet converts the merged CSVs when
// the sweep asked for Parquet (it may be nil otherwise).
func Merge(out string, dirs []string, force bool, toParquet Converter) (Manifest, error) {
	dirs, err := expand(dirs)
	if err != nil {
		return Manifest{}, err
	}
	type shard struct {
		dir string
		m   Manifest
	}
	var shards []shard
	var want []byte
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return Manifest{}, err
		}
		whole := m
		whole.Shard, whole.PointLo, whole.PointHi = "", 0, 0
		b, _ := json.Marshal(whole)
		if want == nil {
			want = b
		} else if !bytes.Equal(b, want) {
			return Manifest{}, fmt.Errorf("sweep: %s comes from a different sweep than %s (scenario, parameters, design, runs, seed or parley version differ)", d, shards[0].dir)
		}
		if m.Shard == "" {
			m.PointLo, m.PointHi = 0, m.Points
		}
		shards = append(shards, shard{d, m})
	}
	slices.SortStableFunc(shards, func(a, b shard) int { return a.m.PointLo - b.m.PointLo })
	next := 0
	for _, s := range shards {
		switch {
		case s.m.PointLo < next:
			return Manifest{}, fmt.Errorf("sweep: %s (shard %s, points %d to %d) overlaps another shard", s.dir, s.m.Shard, s.m.PointLo, s.m.PointHi-1)
		case s.m.PointLo > next:
			return Manifest{}, fmt.Errorf("sweep: points %d to %d are missing (no shard covers them)", next, s.m.PointLo-1)
		}
		next = s.m.PointHi
	}
	final := shards[0].m
	if next != final.Points {
		return Manifest{}, fmt.Errorf("sweep: points %d to %d are missing (no shard covers them)", next, final.Points-1)
	}
	final.Shard, final.PointLo, final.PointHi = "", 0, 0

	out = filepath.Clean(out)
	if _, err := os.Stat(out); err == nil {
		if !force {
			return Manifest{}, fmt.Errorf("sweep: output folder exists: %s (use --force to replace it)", out)
		}
		if err := os.RemoveAll(out); err != nil {
			return Manifest{}, fmt.Errorf("sweep: %w", err)
		}
	}
	tmp := out + ".merging"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return Manifest{}, fmt.Errorf("sweep: %w", err)
	}
	defer os.RemoveAll(tmp)
	files := []string{"points.csv"}
	if final.KeepRuns {
		files = append(files, "runs.csv")
	}
	for _, name := range files {
		var parts []string
		for _, s := range shards {
			parts = append(parts, filepath.Join(s.dir, name))
		}
		if err := concatCSV(filepath.Join(tmp, name), parts); err != nil {
			return Manifest{}, err
		}
	}
	if err := writeParquet(tmp, final, toParquet); err != nil {
		return Manifest{}, err
	}
	if err := writeManifest(filepath.Join(tmp, "manifest.json"), final); err != nil {
		return Manifest{}, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return Manifest{}, fmt.Errorf("sweep: %w", err)
	}
	return final, nil
}

// concatCSV writes the first part's header and every part's body to path.
func concatCSV(path string, parts []string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	var header string
	for i, p := range parts {
		in, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		r := bufio.NewReaderSize(in, 1<<16)
		h, err := r.ReadString('\n')
		if err != nil {
			in.Close()
			return fmt.Errorf("sweep: %s: no header: %w", p, err)
		}
		if i == 0 {
			header = h
			w.WriteString(h)
		} else if h != header {
			in.Close()
			return fmt.Errorf("sweep: %s: header %q differs from the first shard's", p, strings.TrimSpace(h))
		}
		_, err = io.Copy(w, r)
		in.Close()
		if err != nil {
			return fmt.Errorf("sweep: %s: %w", p, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}
