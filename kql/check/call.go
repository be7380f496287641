package check

// This file implements function calls in scalar position: built-ins from
// package builtin, user functions defined by let, and the special forms
// toscalar() and column_ifexists().

import (
	"fmt"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/builtin"
	"github.com/vigil-hunt/vigil/kql/types"
)

// lookupFunc finds a built-in function.
func lookupFunc(name string) (*builtin.Func, bool) { return builtin.Lookup(name) }

// call infers the type of a call in scalar position.
func (c *checker) call(x *ast.CallExpr, e *env) types.Type {
	name := x.Fun.Name
	if ent := c.scope.lookup(name); ent != nil {
		ent.used = true
		if ent.kind == funcEntity && ent.rel == nil {
			return c.callUserScalar(ent, x, e)
		}
		if ent.kind == funcEntity {
			c.callUser(ent, x, nil, e)
			c.errorf(x, NotScalar, "function %q returns a table, not a scalar; use toscalar()", name)
			return types.Invalid
		}
		c.args(x.Args, e.inner())
		c.errorf(x.Fun, UnknownFunction, "%q is not a function", name)
		return types.Invalid
	}
	switch name {
	case "toscalar":
		return c.toscalar(x, e)
	case "column_ifexists", "columnifexists":
		return c.columnIfExists(x, e)
	case "materialize", "table", "view", "cluster", "database", "workspace", "app":
		c.tabularCall(x)
		c.errorf(x, NotScalar, "%s() yields a table, not a scalar value", name)
		return types.Invalid
	}
	f, ok := lookupFunc(name)
	if !ok {
		c.args(x.Args, e.inner())
		c.report(x.Fun, UnknownFunction, c.suggestFunc(name), false, "unknown function "+quote(name))
		return types.Invalid
	}
	if f.Kind == builtin.Aggregate && !(scalarToo[name] && !e.agg) {
		if !e.agg {
			c.errorf(x, AggregateOutsideSummarize,
				"aggregate function %q can be used only in summarize, make-series or top-nested", name)
		}
		e = e.inner()
	}
	if !c.arity(x, name, len(x.Args), f.MinArgs(), f.MaxArgs()) {
		c.args(x.Args, e)
		return types.Invalid
	}
	args := c.builtinArgs(x, f, e)
	t := f.ResultType(args)
	if t == types.Dynamic && branchesMixDynamic(name, args) {
		// iff(c, arr[0], "text"): Kusto's result type is not dynamic for
		// sure; unknown keeps a union from splitting the column on it
		return types.Unknown
	}
	return t
}

// branchesMixDynamic reports whether the value arguments of iff, case or
// coalesce mix dynamic with another known type.
func branchesMixDynamic(name string, args []types.Type) bool {
	var vals []types.Type
	switch name {
	case "iff", "iif":
		vals = args[min(1, len(args)):]
	case "case":
		for i := 1; i < len(args); i += 2 {
			vals = append(vals, args[i])
		}
		if len(args)%2 == 1 {
			vals = append(vals, args[len(args)-1])
		}
	case "coalesce":
		vals = args
	}
	dyn, other := false, false
	for _, t := range vals {
		dyn = dyn || t == types.Dynamic
		other = other || concrete(t)
	}
	return dyn && other
}

// builtinArgs checks the arguments of a built-in and returns their types.
func (c *checker) builtinArgs(x *ast.CallExpr, f *builtin.Func, e *env) []types.Type {
	ts := make([]types.Type, len(x.Args))
	for i, a := range x.Args {
		p, _ := f.Param(i)
		switch {
		case p.Kind == builtin.TypeArg:
			ts[i] = schemaArgType(a)
			continue
		case p.Kind == builtin.Lambda:
			ts[i] = types.Unknown
			continue
		case p.Kind == builtin.TabularArg || c.isTabularElem(a, e):
			c.commit(c.tabular(a))
			ts[i] = types.Unknown
			continue
		}
		if _, ok := a.(*ast.StarExpr); ok {
			if e.rel != nil {
				refAll(e.rel)
			}
			ts[i] = types.Unknown
			continue
		}
		ts[i] = c.expr(a, e)
		if !f.Accepts(i, ts[i]) && !lenientArgs[f.Name] {
			c.errorf(a, TypeMismatch, "argument %d of %s() must be %s, got %s", i+1, f.Name, p.Kind, ts[i])
			ts[i] = types.Invalid
		}
	}
	return ts
}

// scalarToo are aggregates that also have a scalar form (hll_merge(a, b)
// merges two values in a row).
var scalarToo = map[string]bool{"hll_merge": true, "merge_tdigest": true, "tdigest_merge": true}

// lenientArgs are functions whose legacy forms accept any argument type:
// count(x) counts rows whatever x is.
var lenientArgs = map[string]bool{"count": true}

// schemaArgType is the type a typeof(T) argument denotes.
func schemaArgType(a ast.Expr) types.Type {
	s, ok := a.(*ast.SchemaExpr)
	if !ok || len(s.Cols) != 1 {
		return types.Unknown
	}
	d := s.Cols[0]
	if d.Type != nil {
		return typeRef(d.Type)
	}
	if t, ok := types.Lookup(d.Name.Name); ok {
		return t
	}
	return types.Unknown
}

// arity reports a wrong argument count; max < 0 means unbounded.
func (c *checker) arity(x *ast.CallExpr, name string, n, min, max int) bool {
	if n >= min && (max < 0 || n <= max) {
		return true
	}
	var want string
	switch {
	case max < 0:
		want = fmt.Sprintf("at least %d argument%s", min, plural(min))
	case min == max:
		want = fmt.Sprintf("%d argument%s", min, plural(min))
	default:
		want = fmt.Sprintf("%d to %d arguments", min, max)
	}
	c.errorf(x, WrongArity, "function %q expects %s, got %d", name, want, n)
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// args checks arguments without a signature (unknown functions).
func (c *checker) args(args []ast.Expr, e *env) {
	for _, a := range args {
		switch {
		case c.isTabularElem(a, e):
			c.commit(c.tabular(a))
		default:
			if _, ok := a.(*ast.StarExpr); !ok {
				c.expr(a, e)
			}
		}
	}
}

// toscalar(T) is the first column of T's first row.
func (c *checker) toscalar(x *ast.CallExpr, e *env) types.Type {
	if !c.arity(x, "toscalar", len(x.Args), 1, 2) {
		c.args(x.Args, e)
		return types.Invalid
	}
	for _, a := range x.Args[1:] {
		c.expr(a, e)
	}
	if !c.isTabular(x.Args[0]) || isScalarName(c, x.Args[0], e) {
		return c.expr(x.Args[0], &env{agg: false})
	}
	r := c.tabular(x.Args[0])
	c.commit(r)
	if len(r.schema.Columns) == 0 {
		return types.Unknown
	}
	return r.schema.Columns[0].Type
}

// isScalarName reports whether x is a name that resolves to a column or a
// scalar let in e (so it is not a table).
func isScalarName(c *checker, x ast.Expr, e *env) bool {
	id, ok := unparen(x).(*ast.Ident)
	if !ok {
		return false
	}
	if e.rel != nil && e.rel.schema.Index(id.Name) >= 0 {
		return true
	}
	ent := c.scope.lookup(id.Name)
	return ent != nil && ent.kind == scalarEntity
}

// columnIfExists is column_ifexists("Name", default): the column when it
// exists, else the default; the name is never an error.
func (c *checker) columnIfExists(x *ast.CallExpr, e *env) types.Type {
	if !c.arity(x, x.Fun.Name, len(x.Args), 2, 2) {
		c.args(x.Args, e)
		return types.Invalid
	}
	c.info.Types[x.Args[0]] = types.String
	def := c.expr(x.Args[1], e)
	if name, ok := c.constString(x.Args[0]); ok && e.rel != nil {
		if col, ok := e.rel.schema.Lookup(name); ok {
			refColumn(e.rel, name)
			return col.Type
		}
	}
	return def
}
