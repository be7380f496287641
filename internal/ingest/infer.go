package ingest

// This file gives tables the catalog does not describe a schema inferred
// from their first rows, and writes their rows.

import (
	"fmt"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/types"
)

// inferSample is how many rows of an uncatalogued table are looked at
// before its schema is fixed. Later fields that are not in it are counted
// as ignored; later values that do not fit a column are rejected.
const inferSample = 10000

// pendingRow is a record of an uncatalogued table, kept as fields until
// the table's schema is known.
type pendingRow struct {
	table  string
	fields []field
	csv    bool
	line   int
	text   string
}

type pendingTable struct {
	name string
	rows []pendingRow
	t    *tableInfo
	row  *row
	buf  *tableBuf
}

func (w *writer) addPending(p pendingRow) error {
	pt := w.pending[p.table]
	if pt == nil {
		pt = &pendingTable{name: p.table}
		w.pending[p.table] = pt
		w.pendOrd = append(w.pendOrd, p.table)
	}
	if pt.t != nil {
		return w.pendingRow(pt, p)
	}
	pt.rows = append(pt.rows, p)
	if len(pt.rows) < inferSample {
		return nil
	}
	return w.settle(pt)
}

// settle fixes pt's schema from the rows seen so far and writes them.
func (w *writer) settle(pt *pendingTable) error {
	pt.t = newTableInfo(pt.name, inferSchema(pt.rows), false)
	pt.row = newRow(pt.t)
	pt.buf = newTableBuf(pt.t, 0)
	rows := pt.rows
	pt.rows = nil
	for _, p := range rows {
		if err := w.pendingRow(pt, p); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) pendingRow(pt *pendingTable, p pendingRow) error {
	err := fillRow(pt.row, p.fields, nil, func(f string) { w.sum.Ignored[pt.name+"."+f]++ })
	if err != nil {
		w.reject(Reject{File: w.in.name, Line: p.line, Reason: err.Error(), Record: p.text})
		return nil
	}
	pt.buf.add(pt.row.vals)
	if pt.buf.b.N < w.in.opts.BatchSize {
		return nil
	}
	b := pt.buf.b
	pt.buf = newTableBuf(pt.t, 0)
	return w.add(pt.name, b)
}

func (w *writer) flushPending() error {
	for _, name := range w.pendOrd {
		pt := w.pending[name]
		if pt.t == nil {
			if err := w.settle(pt); err != nil {
				return err
			}
		}
		if pt.buf.b.N > 0 {
			if err := w.add(name, pt.buf.b); err != nil {
				return err
			}
		}
	}
	return nil
}

// inferSchema derives column types: fields in first-seen order; bool,
// long, real, datetime or dynamic when every non-empty value reads as one
// (long and real together make real), else string.
func inferSchema(rows []pendingRow) *types.Schema {
	s := &types.Schema{}
	kinds := map[string]map[types.Type]bool{}
	for _, r := range rows {
		for _, f := range r.fields {
			seen, ok := kinds[f.name]
			if !ok {
				s.Columns = append(s.Columns, types.Column{Name: f.name})
				seen = map[types.Type]bool{}
				kinds[f.name] = seen
			}
			if t := guessType(f.v, r.csv); t != types.Invalid {
				seen[t] = true
			}
		}
	}
	for i, c := range s.Columns {
		s.Columns[i].Type = unify(kinds[c.Name])
	}
	return s
}

func guessType(v jval, fromCSV bool) types.Type {
	switch v.k {
	case kNull:
		return types.Invalid
	case kBool:
		return types.Bool
	case kNum:
		if _, err := strconv.ParseInt(v.s, 10, 64); err == nil {
			return types.Long
		}
		return types.Real
	case kObj, kArr:
		return types.Dynamic
	}
	x := v.s
	if x == "" {
		return types.Invalid
	}
	if fromCSV {
		if _, err := strconv.ParseInt(x, 10, 64); err == nil {
			return types.Long
		}
		if _, err := strconv.ParseFloat(x, 64); err == nil {
			return types.Real
		}
		switch x {
		case "true", "false", "True", "False", "TRUE", "FALSE":
			return types.Bool
		}
	}
	if len(x) >= 8 && !isEpochText(x) {
		if _, ok := ParseDatetime(x); ok {
			return types.Datetime
		}
	}
	return types.String
}

func unify(seen map[types.Type]bool) types.Type {
	switch {
	case len(seen) == 0:
		return types.String
	case seen[types.Dynamic]:
		return types.Dynamic
	case len(seen) == 1:
		for t := range seen {
			return t
		}
	case len(seen) == 2 && seen[types.Long] && seen[types.Real]:
		return types.Real
	}
	return types.String
}

// fillRow sets r from fields: each field goes to the column it names, coerced to
// the column's type; a field naming no column is passed to ignored. A
// value that does not fit its column fails the whole row. cache, if not
// nil, remembers where field positions went in the previous row.
func fillRow(r *row, fields []field, cache *keyCache, ignored func(string)) error {
	r.reset()
	for p := range fields {
		f := &fields[p]
		var ci int
		if cache != nil {
			ci = cache.lookup(p, f.name, r.t)
		} else {
			ci = r.t.column(f.name)
		}
		if ci < 0 {
			if f.name != "$table" && !empty(f.v) {
				ignored(f.name)
			}
			continue
		}
		if f.v.k == kNull {
			continue
		}
		col := r.t.schema.Columns[ci]
		v, err := coerce(f.v, col.Type)
		if err != nil {
			return fmt.Errorf("column %s: %v", col.Name, err)
		}
		if v.IsEmpty() && !r.vals[ci].IsEmpty() {
			continue // ReportId_string "" after ReportId_long 12
		}
		r.vals[ci] = v
	}
	return nil
}

// empty reports whether a value carries nothing: null or "".
func empty(v jval) bool {
	return v.k == kNull || (v.k == kStr && v.s == "")
}

// keyCache remembers which column each field position of the previous row
// went to: rows of one export list their fields in the same order, and
// with the scanner's hints their names are the very same strings, which
// compare in no time.
type keyCache struct {
	names []string
	idx   []int
}

func (kc *keyCache) lookup(p int, name string, t *tableInfo) int {
	if p < len(kc.names) && kc.names[p] == name {
		return kc.idx[p]
	}
	ci := t.column(name)
	for len(kc.names) <= p {
		kc.names = append(kc.names, "")
		kc.idx = append(kc.idx, -1)
	}
	kc.names[p], kc.idx[p] = name, ci
	return ci
}
