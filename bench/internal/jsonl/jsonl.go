// Package jsonl writes engine batches as JSON lines, the shape of a Log
// Analytics export: one object per row, keys in column order, one file
// per table named after it (DeviceProcessEvents.jsonl).
//
// Values are written as vigil prints them: datetimes as RFC 3339 strings
// with seven fractional digits, timespans as Kusto's [d.]hh:mm:ss[.f],
// dynamics as their compact JSON (value.AppendJSON, as value.FormatJSON),
// null non-string values as null and empty strings as "".
//
// Usage:
//
//	w := jsonl.NewWriter(dir)
//	_, err := lab.Generate(cfg, w)
//	err = w.Close()
//	for _, f := range w.Files() { … f.Path, f.Rows … }
package jsonl

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/value"
)

// File is one table's output.
type File struct {
	Table string
	Path  string
	Rows  int
	Bytes int64
}

type tableFile struct {
	f   *os.File
	w   *bufio.Writer
	out File
}

// Writer writes every table it is given to its own file in a directory.
// It implements lab.Writer. It is not safe for concurrent use.
type Writer struct {
	dir    string
	tables map[string]*tableFile
	line   []byte
}

// NewWriter returns a writer creating its files in dir, which must exist.
func NewWriter(dir string) *Writer {
	return &Writer{dir: dir, tables: map[string]*tableFile{}}
}

// WriteBatch appends b's rows to table's file, creating it on first use.
func (w *Writer) WriteBatch(table string, b *engine.Batch) error {
	t, err := w.file(table)
	if err != nil {
		return err
	}
	for r := 0; r < b.N; r++ {
		w.line = AppendRow(w.line[:0], b, r)
		w.line = append(w.line, '\n')
		n, err := t.w.Write(w.line)
		t.out.Bytes += int64(n)
		if err != nil {
			return fmt.Errorf("jsonl: %s: %w", t.out.Path, err)
		}
	}
	t.out.Rows += b.N
	return nil
}

func (w *Writer) file(table string) (*tableFile, error) {
	if t, ok := w.tables[table]; ok {
		return t, nil
	}
	path := filepath.Join(w.dir, table+".jsonl")
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	t := &tableFile{f: f, w: bufio.NewWriterSize(f, 1<<20), out: File{Table: table, Path: path}}
	w.tables[table] = t
	return t, nil
}

// Close flushes and closes every file; the first error wins.
func (w *Writer) Close() error {
	var first error
	for _, t := range w.tables {
		if err := t.w.Flush(); err != nil && first == nil {
			first = fmt.Errorf("jsonl: %s: %w", t.out.Path, err)
		}
		if err := t.f.Close(); err != nil && first == nil {
			first = fmt.Errorf("jsonl: %s: %w", t.out.Path, err)
		}
	}
	return first
}

// Files lists the files written, by table name.
func (w *Writer) Files() []File {
	out := make([]File, 0, len(w.tables))
	for _, t := range w.tables {
		out = append(out, t.out)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out
}

// AppendRow appends row r of b as one JSON object, without a newline.
func AppendRow(dst []byte, b *engine.Batch, r int) []byte {
	dst = append(dst, '{')
	for i, c := range b.Cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = value.AppendJSON(dst, b.Schema.Columns[i].Name)
		dst = append(dst, ':')
		// ToDynamic gives nil for nulls (written null), "" for an empty
		// string, value.Datetime and value.Timespan for times (written
		// as their Kusto text), and the dynamic itself for dynamics.
		dst = value.AppendJSON(dst, c.Value(r).ToDynamic())
	}
	return append(dst, '}')
}
