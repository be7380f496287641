package store

// This file loads a directory of exported table files into memory tables.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
)

// Schemas gives the schema of a catalogued table.
type Schemas interface {
	LookupTable(name string) (*types.Schema, bool)
}

// Reject is a record that could not be read.
type Reject struct {
	File   string
	Line   int
	Reason string
}

func (r Reject) String() string { return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason) }

// Report says what a load read and what it set aside.
type Report struct {
	Rows    map[string]int // rows loaded per table
	Rejects []Reject
	// Ignored counts fields that are not columns of a catalogued table,
	// by "Table.Field".
	Ignored map[string]int
}

// LoadDir reads every export file in dir (JSON lines, JSON, CSV, Event
// Hub records, Windows event logs — whatever package ingest detects) into
// memory tables, without a workspace. Tables come from the rows, or from
// the file name (DeviceProcessEvents.jsonl); catalogued tables get the
// catalog's schema, others one inferred from their values. Unreadable
// records are returned in the report, never dropped without a count.
func LoadDir(dir string, schemas *catalog.Catalog) (*engine.MemCatalog, *Report, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read data directory: %w", err)
	}
	rep := &Report{Rows: map[string]int{}, Ignored: map[string]int{}}
	sink := &memSink{parts: map[string][]*engine.Batch{}}
	for _, e := range entries {
		if e.IsDir() || !dataFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		sum, err := ingest.File(context.Background(), path, sink, io.Discard, ingest.Options{
			Catalog: schemas,
			OnReject: func(r ingest.Reject) {
				rep.Rejects = append(rep.Rejects, Reject{File: r.File, Line: r.Line, Reason: r.Reason})
			},
		})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		for k, n := range sum.Ignored {
			rep.Ignored[k] += n
		}
	}
	cat := engine.NewMemCatalog()
	for _, name := range sink.order {
		b := concat(sink.parts[name])
		cat.Add(name, engine.NewMemTable(b))
		rep.Rows[name] += b.N
	}
	return cat, rep, nil
}

// dataFile reports a file LoadDir reads, by its extension.
func dataFile(name string) bool {
	n := strings.ToLower(strings.TrimSuffix(name, ".gz"))
	for _, ext := range []string{".jsonl", ".json", ".ndjson", ".csv"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// memSink collects batches per table, in the order tables first appear.
type memSink struct {
	parts map[string][]*engine.Batch
	order []string
}

func (m *memSink) WriteBatch(table string, b *engine.Batch) error {
	if _, ok := m.parts[table]; !ok {
		m.order = append(m.order, table)
	}
	m.parts[table] = append(m.parts[table], b)
	return nil
}

// concat joins batches into one with the first batch's schema, matching
// later batches' columns by name (a column a batch lacks is null there).
func concat(parts []*engine.Batch) *engine.Batch {
	n := 0
	for _, b := range parts {
		n += b.N
	}
	out := engine.NewBatch(parts[0].Schema, n)
	for _, b := range parts {
		for i, c := range out.Schema.Columns {
			if src := b.Col(c.Name); src != nil {
				out.Cols[i].AppendColumn(src)
			} else {
				for k := 0; k < b.N; k++ {
					out.Cols[i].AppendNull()
				}
			}
		}
		out.N += b.N
	}
	return out
}

// AddEmptyTables adds an empty table for every catalogued table that cat
// lacks, so queries over tables without data run and return no rows.
func AddEmptyTables(cat *engine.MemCatalog, tables []string, schemas Schemas) {
	for _, name := range tables {
		if _, ok := cat.Table(name); ok {
			continue
		}
		if s, ok := schemas.LookupTable(name); ok {
			cat.Add(name, engine.NewMemTable(engine.NewBatch(s, 0)))
		}
	}
}

// WithEmptyTables returns cat extended with an empty table for every
// catalogued table it lacks, so that hunts over tables with no data run
// and return nothing instead of failing.
func WithEmptyTables(cat engine.Catalog, tables []string, schemas Schemas) engine.Catalog {
	mem := engine.NewMemCatalog()
	for _, name := range cat.TableNames() {
		if t, ok := cat.Table(name); ok {
			mem.Add(name, t)
		}
	}
	AddEmptyTables(mem, tables, schemas)
	return mem
}
