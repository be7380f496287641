package store

// This file loads a directory of exported table files into memory tables.

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
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

// LoadDir loads every *.jsonl, *.json and *.csv file in dir as the table
// named by the file's base name. Tables the catalog knows get its schema;
// others get a schema inferred from their values.
func LoadDir(dir string, schemas Schemas) (*engine.MemCatalog, *Report, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read data directory: %w", err)
	}
	cat := engine.NewMemCatalog()
	rep := &Report{Rows: map[string]int{}, Ignored: map[string]int{}}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".jsonl" && ext != ".json" && ext != ".csv") {
			continue
		}
		table := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		b, err := LoadFile(filepath.Join(dir, e.Name()), table, schemas, rep)
		if err != nil {
			return nil, nil, err
		}
		cat.Add(table, engine.NewMemTable(b))
		rep.Rows[table] += b.N
	}
	return cat, rep, nil
}

// record is one input record: field names and raw values in order.
type record struct {
	line   int
	fields []string
	vals   []any
}

// LoadFile reads one JSON-lines or CSV file as table.
func LoadFile(path, table string, schemas Schemas, rep *Report) (*engine.Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []record
	fromCSV := strings.EqualFold(filepath.Ext(path), ".csv")
	if fromCSV {
		recs, err = readCSV(path, f, rep)
	} else {
		recs, err = readJSONLines(path, f, rep)
	}
	if err != nil {
		return nil, err
	}
	s, known := schemas.LookupTable(table)
	if !known {
		s = inferSchema(recs, fromCSV)
	}
	b := engine.NewBatch(s, len(recs))
	row := make([]value.Value, len(s.Columns))
	for _, r := range recs {
		if err := fill(row, s, r, fromCSV, known, table, rep); err != nil {
			rep.Rejects = append(rep.Rejects, Reject{File: path, Line: r.line, Reason: err.Error()})
			continue
		}
		for i, v := range row {
			b.Cols[i].Append(v)
		}
		b.N++
	}
	return b, nil
}

// fill converts record r into row; an error rejects the whole record.
func fill(row []value.Value, s *types.Schema, r record, fromCSV, known bool, table string, rep *Report) error {
	for i, c := range s.Columns {
		row[i] = value.Null(c.Type)
	}
	for k, name := range r.fields {
		i := s.Index(name)
		if i < 0 {
			if known {
				rep.Ignored[table+"."+name]++
			}
			continue
		}
		v, err := coerce(r.vals[k], s.Columns[i].Type, fromCSV)
		if err != nil {
			return fmt.Errorf("column %s: %v", name, err)
		}
		row[i] = v
	}
	return nil
}

func readJSONLines(path string, r io.Reader, rep *Report) ([]record, error) {
	var recs []record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		v, err := value.ParseJSON(text)
		if err != nil {
			rep.Rejects = append(rep.Rejects, Reject{File: path, Line: line, Reason: "not JSON: " + err.Error()})
			continue
		}
		bag, ok := v.(*value.Bag)
		if !ok {
			rep.Rejects = append(rep.Rejects, Reject{File: path, Line: line, Reason: "not a JSON object"})
			continue
		}
		rec := record{line: line, fields: bag.Keys()}
		for _, k := range rec.fields {
			x, _ := bag.Get(k)
			rec.vals = append(rec.vals, x)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

func readCSV(path string, r io.Reader, rep *Report) ([]record, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	var recs []record
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rep.Rejects = append(rep.Rejects, Reject{File: path, Line: pe.Line, Reason: pe.Err.Error()})
				continue
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(cells) != len(header) {
			rep.Rejects = append(rep.Rejects, Reject{File: path, Line: line,
				Reason: fmt.Sprintf("%d fields, header has %d", len(cells), len(header))})
			continue
		}
		rec := record{line: line, fields: header, vals: make([]any, len(cells))}
		for i, c := range cells {
			rec.vals[i] = c
		}
		recs = append(recs, rec)
	}
}

// inferSchema derives column types for a table the catalog does not know:
// fields in first-seen order; long, real, bool or datetime when every
// non-null value reads as one, dynamic for objects and arrays, else string.
func inferSchema(recs []record, fromCSV bool) *types.Schema {
	s := &types.Schema{}
	kinds := map[string]map[types.Type]bool{}
	for _, r := range recs {
		for k, name := range r.fields {
			if s.Index(name) < 0 {
				s.Columns = append(s.Columns, types.Column{Name: name})
				kinds[name] = map[types.Type]bool{}
			}
			if t := guessType(r.vals[k], fromCSV); t != types.Invalid {
				kinds[name][t] = true
			}
		}
	}
	for i, c := range s.Columns {
		s.Columns[i].Type = unify(kinds[c.Name])
	}
	return s
}

func guessType(v any, fromCSV bool) types.Type {
	switch x := v.(type) {
	case nil:
		return types.Invalid
	case bool:
		return types.Bool
	case int64:
		return types.Long
	case float64:
		return types.Real
	case []any, *value.Bag:
		return types.Dynamic
	case string:
		if x == "" {
			return types.Invalid
		}
		if fromCSV {
			if _, err := coerce(x, types.Long, true); err == nil {
				return types.Long
			}
			if _, err := coerce(x, types.Real, true); err == nil {
				return types.Real
			}
		}
		if len(x) >= 10 && x[4] == '-' {
			if _, ok := value.ParseDatetime(x); ok {
				return types.Datetime
			}
		}
	}
	return types.String
}

func unify(seen map[types.Type]bool) types.Type {
	var ts []types.Type
	for t := range seen {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	switch {
	case len(ts) == 0:
		return types.String
	case len(ts) == 1:
		return ts[0]
	case len(ts) == 2 && ts[0] == types.Long && ts[1] == types.Real:
		return types.Real
	}
	return types.String
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
