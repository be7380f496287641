package ingest

// This file appends rows of row exports straight into a batch's columns:
// the hot path of ingestion, with fast paths for the common pairs of JSON
// kind and column type.

import (
	"fmt"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// appendFields appends fields as one row of tb: each field goes to the
// column it names, coerced to the column's type; a field naming no column
// is passed to ignored when it carries a value; columns no field set are
// null. A value that does not fit its column removes the row again and
// fails it.
func appendFields(tb *tableBuf, fields []field, kc *keyCache, ignored func(string)) error {
	t, b := tb.t, tb.b
	n := b.N
	if tb.stamp == nil {
		tb.stamp = make([]int32, len(b.Cols))
	}
	id := int32(n + 1)
	for p := range fields {
		f := &fields[p]
		ci := kc.lookup(p, f.name, t)
		if ci < 0 {
			if f.name != "$table" && !empty(f.v) {
				ignored(f.name)
			}
			continue
		}
		if f.v.k == kNull {
			continue
		}
		col := b.Cols[ci]
		if tb.stamp[ci] == id { // a second spelling of the column (X_long, X_string)
			v, err := coerce(f.v, col.Type)
			if err != nil {
				tb.undo(n)
				return fmt.Errorf("column %s: %v", t.schema.Columns[ci].Name, err)
			}
			if !v.IsEmpty() {
				truncateColumn(col, n)
				col.Append(v)
			}
			continue
		}
		if col.Type == types.String && (f.v.k == kStr || f.v.k == kNum) {
			col.Strs = append(col.Strs, tb.strings(ci).intern(f.v.s))
		} else if err := appendValue(col, f.v); err != nil {
			tb.undo(n)
			return fmt.Errorf("column %s: %v", t.schema.Columns[ci].Name, err)
		}
		tb.stamp[ci] = id
	}
	for ci, col := range b.Cols {
		if tb.stamp[ci] != id {
			col.AppendNull()
		}
	}
	if t.timeFrom >= 0 && tb.stamp[t.timeCol] != id && tb.stamp[t.timeFrom] == id {
		tc := b.Cols[t.timeCol]
		truncateColumn(tc, n)
		tc.Append(b.Cols[t.timeFrom].Value(n))
	}
	b.N++
	return nil
}

// appendValue appends v to col, converted to the column's type.
func appendValue(col *value.Column, v jval) error {
	switch col.Type {
	case types.String:
		if v.k == kStr || v.k == kNum {
			col.Strs = append(col.Strs, v.s)
			return nil
		}
	case types.Long:
		if v.k == kNum {
			if i, err := strconv.ParseInt(v.s, 10, 64); err == nil {
				appendInt(col, i)
				return nil
			}
		}
	case types.Datetime:
		if v.k == kStr {
			if d, ok := parseISO(v.s); ok {
				appendInt(col, int64(d))
				return nil
			}
		}
	}
	x, err := coerce(v, col.Type)
	if err != nil {
		return err
	}
	col.Append(x)
	return nil
}

func appendInt(col *value.Column, i int64) {
	col.Ints = append(col.Ints, i)
	if col.Nulls != nil {
		col.Nulls = append(col.Nulls, false)
	}
}

// undo removes the partly appended row n again.
func (tb *tableBuf) undo(n int) {
	for ci, c := range tb.b.Cols {
		truncateColumn(c, n)
		if tb.stamp[ci] == int32(n+1) {
			tb.stamp[ci] = 0
		}
	}
}

func truncateColumn(c *value.Column, n int) {
	if len(c.Bools) > n {
		c.Bools = c.Bools[:n]
	}
	if len(c.Ints) > n {
		c.Ints = c.Ints[:n]
	}
	if len(c.Reals) > n {
		c.Reals = c.Reals[:n]
	}
	if len(c.Strs) > n {
		c.Strs = c.Strs[:n]
	}
	if len(c.Dyns) > n {
		c.Dyns = c.Dyns[:n]
	}
	if len(c.Nulls) > n {
		c.Nulls = c.Nulls[:n]
	}
}
