package check

// This file implements project-by-names (columns chosen by name, array of
// names or pattern, known here when the specifiers are constants) and
// reduce (Pattern, Count, Representative; or the input and Pattern with
// kind=source).

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// projectByNames keeps the named columns in the order named; names that
// match nothing are ignored. A specifier known only when running (a
// function parameter) leaves the schema open.
func (c *checker) projectByNames(in *rel, o *ast.ProjectByNamesOp) *rel {
	out := &types.Schema{}
	pass := make(map[string]string)
	add := func(pattern string) {
		for _, col := range in.schema.Columns {
			if matchWildcard(pattern, col.Name) && out.Index(col.Name) < 0 {
				out.Columns = append(out.Columns, col)
				pass[col.Name] = col.Name
				refColumn(in, col.Name)
			}
		}
	}
	for _, x := range o.Cols {
		names, ok := c.constNames(x)
		if !ok {
			out.Open = true
			continue
		}
		for _, n := range names {
			add(n)
		}
	}
	if in.schema.Open {
		out.Open = true
	}
	return carry(in, out, pass)
}

// constNames folds a project-by-names specifier: a string, a dynamic
// array of strings or column_names_of(T).
func (c *checker) constNames(x ast.Expr) ([]string, bool) {
	if s, ok := c.constString(x); ok {
		return []string{s}, true
	}
	switch y := unparen(x).(type) {
	case *ast.DynamicLit:
		arr, ok := y.Value.(*ast.ArrayLit)
		if !ok {
			return nil, false
		}
		var names []string
		for _, e := range arr.Elems {
			s, ok := c.constString(e)
			if !ok {
				return nil, false
			}
			names = append(names, s)
		}
		return names, true
	case *ast.CallExpr:
		if y.Fun.Name == "column_names_of" && len(y.Args) == 1 {
			r := c.tabular(y.Args[0])
			c.commit(r)
			if r.schema.Open {
				return nil, false
			}
			return r.schema.Names(), true
		}
	}
	c.expr(x, &env{})
	return nil, false
}

// reduce checks the value reduced and the options.
func (c *checker) reduce(in *rel, o *ast.ReduceOp) *rel {
	c.expr(o.X, rowEnv(in))
	for _, p := range o.Options {
		c.expr(p.Value, &env{})
	}
	for _, p := range o.Params {
		if id, ok := p.Value.(*ast.Ident); ok && id.Name == "source" {
			out := in.schema.Clone()
			out.Columns = append(out.Columns, types.Column{Name: "Pattern", Type: types.String})
			return keepSame(in, out, nil)
		}
	}
	return c.breakRel(in, &types.Schema{Columns: []types.Column{
		{Name: "Pattern", Type: types.String}, {Name: "Count", Type: types.Long},
		{Name: "Representative", Type: types.String},
	}})
}
