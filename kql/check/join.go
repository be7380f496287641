package check

// This file implements join and lookup: the join kinds and their output
// columns (right-side collisions renamed X1), and the on conditions
// (X, $left.A == $right.B).

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

var joinKinds = map[string]bool{
	"inner": true, "innerunique": true, "leftouter": true, "rightouter": true, "fullouter": true,
	"leftanti": true, "rightanti": true, "leftsemi": true, "rightsemi": true, "anti": true,
	"leftantisemi": true, "rightantisemi": true,
}

// paramValue returns the text of option name (kind=leftouter gives
// "leftouter"), and the option node.
func paramValue(params []*ast.Param, name string) (string, *ast.Param) {
	for _, p := range params {
		if p.Name.Name != name {
			continue
		}
		switch v := p.Value.(type) {
		case *ast.Ident:
			return v.Name, p
		case *ast.BasicLit:
			if v.Kind == token.STRING {
				if s, err := token.Unquote(v.Value); err == nil {
					return s, p
				}
			}
			return v.Value, p
		}
		return "", p
	}
	return "", nil
}

// joinKind reads and validates kind=; def when absent.
func (c *checker) joinKind(params []*ast.Param, def string, valid map[string]bool) string {
	kind, p := paramValue(params, "kind")
	if p == nil {
		return def
	}
	if !valid[kind] {
		c.errorf(p, InvalidArgument, "unknown join kind %q", kind)
		return def
	}
	return kind
}

// join combines in with the right side.
func (c *checker) join(in *rel, o *ast.JoinOp) *rel {
	kind := c.joinKind(o.Params, "innerunique", joinKinds)
	right := c.tabular(o.Right)
	c.joinConds(in, right, o.Conds)
	switch kind {
	case "leftsemi", "leftanti", "anti", "leftantisemi":
		c.commit(right)
		return in
	case "rightsemi", "rightanti", "rightantisemi":
		c.commit(in)
		return right
	}
	return c.combine(in, right, nil)
}

// combine appends right's columns to left's, except those in skip;
// a right column whose name is taken gets the smallest free numeric
// suffix. Left rows flow on; right rows are committed here.
func (c *checker) combine(left, right *rel, skip map[string]bool) *rel {
	out := left.schema.Clone()
	out.Open = left.schema.Open || right.schema.Open
	rename := make(map[string]string)
	for _, col := range right.schema.Columns {
		if skip[col.Name] {
			continue
		}
		name := uniqueName(col.Name, out)
		rename[name] = col.Name
		out.Columns = append(out.Columns, types.Column{Name: name, Type: col.Type})
	}
	r := keepSame(left, out, nil)
	c.commit(right)
	for _, f := range carry(right, out, rename).flows {
		r.flows = append(r.flows, f)
	}
	return r
}

// joinConds checks the on conditions; it returns the names of right
// columns that are keys of the same name (lookup drops them).
func (c *checker) joinConds(left, right *rel, conds []ast.Expr) map[string]bool {
	keys := make(map[string]bool)
	for _, x := range conds {
		c.joinCond(left, right, x, keys)
	}
	return keys
}

func (c *checker) joinCond(left, right *rel, x ast.Expr, keys map[string]bool) {
	switch y := x.(type) {
	case *ast.ParenExpr:
		c.joinCond(left, right, y.X, keys)
		return
	case *ast.BinaryExpr:
		if y.Op == token.AND {
			c.joinCond(left, right, y.X, keys)
			c.joinCond(left, right, y.Y, keys)
			c.info.Types[y] = types.Bool
			return
		}
	case *ast.Ident:
		lt := c.joinKey(left, y, "left")
		rt := c.joinKey(right, y, "right")
		if lt != types.Invalid {
			c.info.Types[y] = lt
		} else {
			c.info.Types[y] = rt
		}
		keys[y.Name] = true
		return
	}
	c.expr(x, &env{left: left, right: right})
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.EQL {
		if l, ok := b.Y.(*ast.SelectorExpr); ok {
			if id, ok := l.X.(*ast.Ident); ok && id.Name == "$right" && sameName(b.X, l.Sel.Name) {
				keys[l.Sel.Name] = true
			}
		}
	}
}

// sameName reports whether x is $left.name.
func sameName(x ast.Expr, name string) bool {
	s, ok := x.(*ast.SelectorExpr)
	return ok && s.Sel.Name == name
}

// joinKey resolves a key column on one side of a join.
func (c *checker) joinKey(side *rel, id *ast.Ident, which string) types.Type {
	if col, ok := side.schema.Lookup(id.Name); ok {
		refColumn(side, id.Name)
		return col.Type
	}
	if side.schema.Open {
		refColumn(side, id.Name)
		return types.Unknown
	}
	c.report(id, UnknownColumn, suggestName(id.Name, side.schema.Names()), false,
		"unknown column "+quote(id.Name)+" on the "+which+" side of the join")
	return types.Invalid
}

var lookupKinds = map[string]bool{"leftouter": true, "inner": true}

// lookup extends in with the right side's columns, less its keys.
func (c *checker) lookup(in *rel, o *ast.LookupOp) *rel {
	c.joinKind(o.Params, "leftouter", lookupKinds)
	right := c.tabular(o.Right)
	keys := c.joinConds(in, right, o.Conds)
	return c.combine(in, right, keys)
}
