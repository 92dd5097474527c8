// Package columnar converts Parley's CSV outputs to Apache Parquet, for
// analysts who load large sweeps into pandas, polars, R (arrow), DuckDB or
// Spark. Columns whose every non-empty value is a number become optional
// DOUBLE columns (an empty cell is null); other columns become optional
// UTF-8 strings. Parquet orders a group's columns by name, so the file's
// column order is alphabetical; the names are the CSV header's.
package columnar

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parley-sim/parley/internal/atomicfile"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// FromCSV converts the CSV file src (with a header) into the Parquet
// file dst, atomically: dst appears complete or not at all.
func FromCSV(src, dst string) error {
	header, numeric, err := scan(src)
	if err != nil {
		return err
	}
	group := parquet.Group{}
	for i, name := range header {
		if numeric[i] {
			group[name] = parquet.Optional(parquet.Leaf(parquet.DoubleType))
		} else {
			group[name] = parquet.Optional(parquet.String())
		}
	}
	if len(group) != len(header) {
		return fmt.Errorf("columnar: %s: duplicate column names in the header", src)
	}
	schema := parquet.NewSchema(filepath.Base(src), group)
	// The schema's leaf order (by name) → the CSV column of each leaf.
	fields := schema.Fields()
	col := make([]int, len(fields))
	for j, f := range fields {
		for i, name := range header {
			if name == f.Name() {
				col[j] = i
			}
		}
	}

	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("columnar: %w", err)
	}
	defer in.Close()
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<16))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("columnar: %s: %w", src, err)
	}
	err = atomicfile.Write(dst, func(out io.Writer) error {
		w := parquet.NewWriter(out, schema, parquet.Compression(&zstd.Codec{}), parquet.CreatedBy("parley", "", ""))
		row := make(parquet.Row, len(fields))
		batch := make([]parquet.Row, 1)
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				return w.Close()
			}
			if err != nil {
				return fmt.Errorf("%s: %w", src, err)
			}
			for j := range fields {
				cell := rec[col[j]]
				switch {
				case cell == "":
					row[j] = parquet.NullValue().Level(0, 0, j)
				case numeric[col[j]]:
					x, _ := strconv.ParseFloat(cell, 64)
					row[j] = parquet.ValueOf(x).Level(0, 1, j)
				default:
					row[j] = parquet.ValueOf(cell).Level(0, 1, j)
				}
			}
			batch[0] = row
			if _, err := w.WriteRows(batch); err != nil {
				return fmt.Errorf("%s: %w", dst, err)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("columnar: %w", err)
	}
	return nil
}

// scan reads the header and decides which columns are numeric.
func scan(src string) (header []string, numeric []bool, err error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, nil, fmt.Errorf("columnar: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	h, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("columnar: %s: header: %w", src, err)
	}
	header = append([]string(nil), h...)
	numeric = make([]bool, len(header))
	for i := range numeric {
		numeric[i] = true
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return header, numeric, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("columnar: %s: %w", src, err)
		}
		for i, cell := range rec {
			if numeric[i] && cell != "" {
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					numeric[i] = false
				}
			}
		}
	}
}
