package check

// This file implements the operators that start a pipeline: datatable,
// externaldata, range, find and search.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// declCols is the schema of name:type declarations.
func declCols(ds []*ast.ColumnDecl) *types.Schema {
	s := &types.Schema{}
	for _, d := range ds {
		s.Columns = append(s.Columns, types.Column{Name: d.Name.Name, Type: typeRef(d.Type)})
	}
	return s
}

// datatable is a literal table of the declared columns.
func (c *checker) datatable(o *ast.DatatableOp) *rel {
	for _, v := range o.Values {
		c.expr(v, &env{})
	}
	return &rel{schema: declCols(o.Cols)}
}

// externaldata reads the declared columns from URLs (a risk, see risk.go).
func (c *checker) externalData(o *ast.ExternalDataOp) *rel {
	for _, u := range o.URIs {
		c.expr(u, &env{})
	}
	return &rel{schema: declCols(o.Cols)}
}

// rangeOp is range X from A to B step S: one column of A's type.
func (c *checker) rangeOp(o *ast.RangeOp) *rel {
	t := c.expr(o.From, &env{})
	c.expr(o.To, &env{})
	c.expr(o.Step, &env{})
	if t == types.Int {
		t = types.Long
	}
	name := "Column1"
	if o.Column != nil {
		name = o.Column.Name
	}
	return &rel{schema: &types.Schema{Columns: []types.Column{{Name: name, Type: t}}}}
}

// scopeTables checks the tables of find/search "in (…)" and returns their
// union.
func (c *checker) scopeTables(tables []ast.Expr) *rel {
	var legs []*rel
	for _, t := range tables {
		legs = append(legs, c.unionLeg(t, false))
	}
	if len(legs) == 0 {
		return openRel()
	}
	return c.unionRels(legs, "outer")
}

// find yields source_ and pack_ columns (or the projected ones).
func (c *checker) find(o *ast.FindOp) *rel {
	in := c.scopeTables(o.Tables)
	in.schema.Open = true
	c.expr(o.Pred, rowEnv(in))
	out := &types.Schema{Columns: []types.Column{{Name: "source_", Type: types.String}}, Open: true}
	for _, x := range o.Cols {
		t := c.expr(x, rowEnv(in))
		if name := c.resultName(x); name != "" {
			out.Columns = append(out.Columns, types.Column{Name: name, Type: t})
		}
	}
	return keepSame(in, out, nil)
}

// search yields $table and the searched tables' columns.
func (c *checker) search(in *rel, o *ast.SearchOp) *rel {
	if in == nil {
		in = c.scopeTables(o.Tables)
		in.schema.Open = true
	}
	c.expr(o.Pred, &env{rel: in, lenient: true})
	out := in.schema.Clone()
	out.Columns = append([]types.Column{{Name: "$table", Type: types.String}}, out.Columns...)
	return keepSame(in, out, nil)
}
