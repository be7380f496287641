package check

// This file implements mv-expand and mv-apply: expanded columns become
// dynamic (or the type of "to typeof(T)"), with_itemindex adds a long.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// mvExpand checks the items and returns the expanded relation and the
// names of the expanded columns.
func (c *checker) mvExpand(in *rel, params []*ast.Param, items []*ast.MvExpandItem, n ast.Expr) (*rel, []string) {
	out := in.schema.Clone()
	changed := make(map[string]bool)
	var names []string
	nm := &namer{taken: func(s string) bool { return out.Index(s) >= 0 }}
	for _, it := range items {
		if it.Col == nil {
			continue
		}
		ocs := c.columnDef(it.Col, rowEnv(in), nm)
		for _, oc := range ocs {
			t := types.Dynamic
			if it.ToType != nil {
				t = typeRef(it.ToType)
			}
			if oc.col.Type == types.Invalid {
				t = types.Invalid
			}
			if oc.from == "" || oc.from != oc.col.Name {
				changed[oc.col.Name] = true
			}
			setColumn(out, types.Column{Name: oc.col.Name, Type: t})
			names = append(names, oc.col.Name)
		}
	}
	if idx, _ := paramValue(params, "with_itemindex"); idx != "" {
		setColumn(out, types.Column{Name: idx, Type: types.Long})
		changed[idx] = true
	}
	if n != nil {
		c.takeCount(n, "mv-expand limit")
	}
	return keepSame(in, out, changed), names
}

// mvApply expands the items, runs the sub-query on each row's expansion,
// and returns the input's other columns followed by the sub-query's.
func (c *checker) mvApply(in *rel, o *ast.MvApplyOp) *rel {
	expanded, _ := c.mvExpand(in, o.Params, o.Items, o.N)
	if o.Body == nil {
		return expanded
	}
	sub := c.subquery(o.Body, trackOnly(expanded))
	out := &types.Schema{Open: sub.schema.Open || in.schema.Open}
	for _, col := range in.schema.Columns {
		if sub.schema.Index(col.Name) < 0 {
			out.Columns = append(out.Columns, col)
		}
	}
	out.Columns = append(out.Columns, sub.schema.Columns...)
	return keepSame(in, out, colSet(sub.schema))
}

// colSet is the set of s's column names.
func colSet(s *types.Schema) map[string]bool {
	m := make(map[string]bool, len(s.Columns))
	for _, col := range s.Columns {
		m[col.Name] = true
	}
	return m
}
