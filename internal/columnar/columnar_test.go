package columnar

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestRoundTrip: every cell of the CSV comes back from the Parquet file
// under its column's name — numbers as doubles, empty cells as nulls, text
// as strings — and the conversion is byte-for-byte deterministic.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "points.csv")
	csv := "point,mediator.pressure,p_hold_180,label\n0,0.1,0.25,a\n1,0.5,,b\n2,0.9,1,\n"
	if err := os.WriteFile(src, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "points.parquet")
	if err := FromCSV(src, dst); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.NumRows(); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
	fields := f.Schema().Fields()
	idx := map[string]int{}
	for i, fl := range fields {
		idx[fl.Name()] = i
	}
	for _, c := range []string{"point", "mediator.pressure", "p_hold_180", "label"} {
		if _, ok := idx[c]; !ok {
			t.Fatalf("column %q missing; have %v", c, fields)
		}
	}
	r := parquet.NewReader(bytes.NewReader(b))
	rows := make([]parquet.Row, 3)
	n, err := r.ReadRows(rows)
	if err != nil && !errors.Is(err, io.EOF) || n != 3 {
		t.Fatalf("read %d rows: %v", n, err)
	}
	want := []struct {
		pressure float64
		hold     any // float64 or nil
		label    any // string or nil
	}{{0.1, 0.25, "a"}, {0.5, nil, "b"}, {0.9, 1.0, nil}}
	for i, w := range want {
		row := rows[i]
		if got := row[idx["mediator.pressure"]].Double(); got != w.pressure {
			t.Errorf("row %d pressure %v, want %v", i, got, w.pressure)
		}
		if got := row[idx["point"]].Double(); got != float64(i) {
			t.Errorf("row %d point %v", i, got)
		}
		h := row[idx["p_hold_180"]]
		if w.hold == nil && !h.IsNull() || w.hold != nil && (h.IsNull() || h.Double() != w.hold.(float64)) {
			t.Errorf("row %d p_hold_180 = %v, want %v", i, h, w.hold)
		}
		l := row[idx["label"]]
		if w.label == nil && !l.IsNull() || w.label != nil && (l.IsNull() || string(l.ByteArray()) != w.label.(string)) {
			t.Errorf("row %d label = %v, want %v", i, l, w.label)
		}
	}
	again := filepath.Join(dir, "again.parquet")
	if err := FromCSV(src, again); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(again); !bytes.Equal(b, b2) {
		t.Error("two conversions of the same CSV differ")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Errorf("temporary files left behind: %d entries", len(ents))
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	if err := FromCSV(filepath.Join(dir, "none.csv"), filepath.Join(dir, "x.parquet")); err == nil {
		t.Error("missing file: no error")
	}
	dup := filepath.Join(dir, "dup.csv")
	os.WriteFile(dup, []byte("a,a\n1,2\n"), 0o644)
	if err := FromCSV(dup, filepath.Join(dir, "d.parquet")); err == nil {
		t.Error("duplicate columns: no error")
	}
	ragged := filepath.Join(dir, "r.csv")
	os.WriteFile(ragged, []byte("a,b\n1\n"), 0o644)
	if err := FromCSV(ragged, filepath.Join(dir, "r.parquet")); err == nil {
		t.Error("ragged rows: no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "r.parquet")); !os.IsNotExist(err) {
		t.Error("a failed conversion left a file")
	}
}
