package engine

// This file implements schema_merge (merging schemas in getschema's
// shape into one) and narrow (one row per cell: Row, Column, Value).

import (
	"sort"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerPlugin("schema_merge", compileSchemaMerge)
	registerPlugin("narrow", compileNarrow)
}

// compileSchemaMerge is schema_merge([PreserveOrder]). The input holds
// schemas as getschema writes them, one after the other. A column keeps
// the ordinal of the last schema that has it; with PreserveOrder (the
// default) a column whose ordinal differs from the one it first had is an
// error row (ordinal -1). Types that differ merge into the widest number,
// else into an error. Columns come out by ordinal, errors last.
func compileSchemaMerge(c *compiler, p *pluginCall) (plan, error) {
	preserve := true
	if len(p.args) > 0 {
		arg := p.args[0]
		if na, ok := arg.(*ast.NamedArg); ok {
			arg = na.Value
		}
		v, err := c.constant(arg, p.sc)
		if err != nil {
			return nil, err
		}
		if v.Type != types.Bool {
			return nil, p.errorf(arg, "PreserveOrder must be a bool")
		}
		preserve = v.B
	}
	in := p.in.schema()
	cols := [4]int{in.Index("ColumnName"), in.Index("ColumnOrdinal"), in.Index("DataType"), in.Index("ColumnType")}
	for _, k := range cols {
		if k < 0 {
			return nil, p.errorf(p.op, "the input must be schemas as getschema returns them (ColumnName, ColumnOrdinal, DataType, ColumnType)")
		}
	}
	s := getSchemaOutput()
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		return mergeSchemas(s, b, cols, preserve), nil
	}}, nil
}

// getSchemaOutput is the schema of getschema's output.
func getSchemaOutput() *types.Schema {
	return &types.Schema{Columns: []types.Column{
		{Name: "ColumnName", Type: types.String}, {Name: "ColumnOrdinal", Type: types.Int},
		{Name: "DataType", Type: types.String}, {Name: "ColumnType", Type: types.String},
	}}
}

// mergedColumn is a column of the merged schema.
type mergedColumn struct {
	name, dataType, colType string
	ordinal                 int64
	first                   int
	err                     string
}

func mergeSchemas(s *types.Schema, b *Batch, cols [4]int, preserve bool) *Batch {
	byName := map[string]*mergedColumn{}
	var all []*mergedColumn
	for i := 0; i < b.N; i++ {
		name := b.Cols[cols[0]].Value(i).String()
		ord := value.Convert(b.Cols[cols[1]].Value(i), types.Long).I
		dt, ct := b.Cols[cols[2]].Value(i).String(), b.Cols[cols[3]].Value(i).String()
		m, ok := byName[name]
		if !ok {
			m = &mergedColumn{name: name, dataType: dt, colType: ct, ordinal: ord, first: len(all)}
			byName[name] = m
			all = append(all, m)
			continue
		}
		if m.err != "" {
			continue
		}
		if ord != m.ordinal {
			if preserve {
				m.err = "columns are out of order"
				continue
			}
			m.ordinal = ord
		}
		if ct != m.colType {
			if w, ok := widerNumber(m.colType, ct); ok {
				m.colType, m.dataType = w, dotnetTypeOf(w)
			} else {
				m.err = "type mismatch: " + m.colType + " and " + ct
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if (a.err != "") != (b.err != "") {
			return b.err != ""
		}
		if a.ordinal != b.ordinal {
			return a.ordinal < b.ordinal
		}
		return a.first < b.first
	})
	out := NewBatch(s, len(all))
	for _, m := range all {
		out.Cols[0].Append(value.OfString(m.name))
		if m.err != "" {
			out.Cols[1].Append(value.OfInt(-1))
			out.Cols[2].Append(value.OfString("ERROR(unknown CSL type:ERROR(" + m.err + "))"))
			out.Cols[3].Append(value.OfString("ERROR(" + m.err + ")"))
		} else {
			out.Cols[1].Append(value.OfInt(m.ordinal))
			out.Cols[2].Append(value.OfString(m.dataType))
			out.Cols[3].Append(value.OfString(m.colType))
		}
		out.N++
	}
	return out
}

// widerNumber merges two numeric Kusto type names into the wider one.
func widerNumber(a, b string) (string, bool) {
	rank := map[string]int{"int": 1, "long": 2, "real": 3, "decimal": 4}
	ra, rb := rank[a], rank[b]
	if ra == 0 || rb == 0 {
		return "", false
	}
	if ra > rb {
		return a, true
	}
	return b, true
}

// dotnetTypeOf is the DataType getschema reports for a Kusto type name.
func dotnetTypeOf(t string) string {
	if lt, ok := types.Lookup(t); ok {
		return dotnetType(lt)
	}
	return t
}

// compileNarrow is narrow(): each cell of the input as a row of Row (the
// input row, from 0), Column (its name) and Value (its text).
func compileNarrow(c *compiler, p *pluginCall) (plan, error) {
	in := p.in.schema()
	s := &types.Schema{Columns: []types.Column{
		{Name: "Row", Type: types.Int}, {Name: "Column", Type: types.String}, {Name: "Value", Type: types.String},
	}}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		out := NewBatch(s, b.N*len(b.Cols))
		for i := 0; i < b.N; i++ {
			for k, col := range b.Cols {
				out.Cols[0].Append(value.OfInt(int64(i)))
				out.Cols[1].Append(value.OfString(in.Columns[k].Name))
				v := col.Value(i)
				if v.IsNull() {
					out.Cols[2].Append(value.OfString(""))
				} else {
					out.Cols[2].Append(value.OfString(v.String()))
				}
				out.N++
			}
		}
		return out, nil
	}}, nil
}
