package engine

// This file implements the entries of extend and project that assign
// several columns from one call (series_fit_line, series_decompose, …):
// the library computes a property bag per row, keyed by the outputs'
// suffixes, and each output column takes one slot of it. Unnamed, the
// columns are called function_argument_suffix, as the checker names them.
// Names are assigned in order; with fewer names than outputs, extend
// keeps only the named columns and project names the rest by default.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// tupleField is one output of a multi-column call: the bag slot it reads
// and the working slot it writes.
type tupleField struct {
	key  string
	slot int
	typ  types.Type
}

// tuple compiles an entry whose call yields the columns outs.
func (b *projectBuilder) tuple(cd *ast.ColumnDef, call *ast.CallExpr, outs []types.Column, view *types.Schema, sc *scope) error {
	e, err := b.c.expr(call, view, sc)
	if err != nil {
		return err
	}
	if len(cd.Names) > len(outs) {
		return errorf(cd.Pos(), call.Fun.Name+"()", "yields %d columns; %d names are assigned", len(outs), len(cd.Names))
	}
	// Fewer names than outputs: extend keeps only the named ones, project
	// adds the rest under their default names.
	if len(cd.Names) > 0 && b.extend {
		outs = outs[:len(cd.Names)]
	}
	prefix := call.Fun.Name
	if len(call.Args) > 0 {
		if n := b.c.resultName(call.Args[0], view, sc); n != "" {
			prefix += "_" + n
		}
	}
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = prefix + "_" + o.Name
		if i < len(cd.Names) {
			names[i] = cd.Names[i].Name
		}
	}
	st := projStep{e: e, s: view}
	for i, o := range outs {
		slot, err := b.define(cd, names[i], o.Type)
		if err != nil {
			return err
		}
		st.fields = append(st.fields, tupleField{key: o.Name, slot: slot, typ: o.Type})
	}
	b.steps = append(b.steps, st)
	return nil
}

// writeFields splits a column of property bags into the fields' slots.
func writeFields(work []*value.Column, fields []tupleField, bags *value.Column, n int) []*value.Column {
	for _, f := range fields {
		col := value.NewColumn(f.typ, n)
		for i := 0; i < n; i++ {
			bag, ok := bags.Value(i).ToDynamic().(*value.Bag)
			if !ok {
				col.AppendNull()
				continue
			}
			v, _ := bag.Get(f.key)
			col.Append(castElement(v, f.typ))
		}
		work = writeSlot(work, f.slot, col)
	}
	return work
}
