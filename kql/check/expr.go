package check

// This file implements scalar expressions: name resolution against the
// row scope and the let scope, literals, and the operators' type rules.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// env is the context of a scalar expression.
type env struct {
	rel         *rel            // row scope: the columns in scope; nil for none
	left, right *rel            // the two sides inside join conditions
	agg         bool            // aggregate functions are allowed here
	steps       map[string]*rel // scan step names, usable as step.Column
	lenient     bool            // names that resolve to nothing are Unknown, not errors (function bodies)
}

// inner returns the environment of an aggregate's arguments.
func (e *env) inner() *env {
	if !e.agg {
		return e
	}
	f := *e
	f.agg = false
	return &f
}

// expr infers the type of a scalar expression and records it.
func (c *checker) expr(x ast.Expr, e *env) types.Type {
	t := c.expr0(x, e)
	c.info.Types[x] = t
	return t
}

func (c *checker) expr0(x ast.Expr, e *env) types.Type {
	switch x := x.(type) {
	case *ast.Ident:
		return c.ident(x, e)
	case *ast.BasicLit:
		return basicLitType(x.Kind)
	case *ast.TypedLit:
		if t, ok := types.Lookup(x.Type); ok {
			return t
		}
		return types.Invalid
	case *ast.DynamicLit, *ast.ArrayLit, *ast.BagLit:
		return types.Dynamic
	case *ast.ParenExpr:
		return c.expr(x.X, e)
	case *ast.UnaryExpr:
		return c.unary(x, e)
	case *ast.BinaryExpr:
		return c.binary(x, e)
	case *ast.InExpr:
		return c.in(x, e)
	case *ast.BetweenExpr:
		return c.between(x, e)
	case *ast.CallExpr:
		return c.call(x, e)
	case *ast.SelectorExpr:
		return c.selector(x, e)
	case *ast.IndexExpr:
		t := c.expr(x.X, e)
		c.expr(x.Index, e.inner())
		if t == types.Invalid {
			return types.Invalid
		}
		return types.Dynamic
	case *ast.NamedArg:
		return c.expr(x.Value, e)
	case *ast.StarExpr, *ast.BadExpr, *ast.SchemaExpr:
		return types.Invalid
	case *ast.PipeExpr:
		c.tabular(x)
		c.errorf(x, NotScalar, "a tabular expression cannot be used as a scalar; use toscalar()")
		return types.Invalid
	case *ast.FuncLit:
		c.errorf(x, NotScalar, "a function cannot be used as a value")
		return types.Invalid
	}
	return types.Invalid
}

func basicLitType(k token.Kind) types.Type {
	switch k {
	case token.INT:
		return types.Long
	case token.REAL:
		return types.Real
	case token.STRING:
		return types.String
	case token.TIMESPAN:
		return types.Timespan
	case token.BOOL:
		return types.Bool
	case token.NULL:
		return types.Dynamic
	}
	return types.Invalid
}

// ident resolves a name in scalar position: a column of the row scope
// first (Kusto's order), then a let name, then an open schema's unknown
// column.
func (c *checker) ident(id *ast.Ident, e *env) types.Type {
	if e.rel != nil {
		if col, ok := e.rel.schema.Lookup(id.Name); ok {
			refColumn(e.rel, id.Name)
			return col.Type
		}
	}
	if ent := c.scope.lookup(id.Name); ent != nil {
		ent.used = true
		switch ent.kind {
		case scalarEntity:
			return ent.typ
		case funcEntity:
			if ent.rel == nil {
				return c.callUserScalar(ent, &ast.CallExpr{Fun: id, Lparen: id.End(), Rparen: id.End()}, e)
			}
		}
		c.errorf(id, NotScalar, "%q is a table, not a scalar value", id.Name)
		return types.Invalid
	}
	if e.steps != nil {
		if _, ok := e.steps[id.Name]; ok {
			return types.Dynamic
		}
	}
	if e.rel != nil && e.rel.schema.Open {
		refColumn(e.rel, id.Name)
		return types.Unknown
	}
	if e.lenient {
		return types.Unknown
	}
	if e.rel == nil {
		c.report(id, UnknownColumn, suggestName(id.Name, c.scope.all()), false,
			"unknown name "+quote(id.Name)+" (no columns are in scope here)")
		return types.Invalid
	}
	c.report(id, UnknownColumn, suggestName(id.Name, e.rel.schema.Names()), false, "unknown column "+quote(id.Name))
	return types.Invalid
}

// selector is x.name: $left.Col / $right.Col in a join, step.Col in scan,
// and property access on dynamic values.
func (c *checker) selector(x *ast.SelectorExpr, e *env) types.Type {
	if id, ok := x.X.(*ast.Ident); ok {
		var side *rel
		switch {
		case id.Name == "$left" && e.left != nil:
			side = e.left
		case id.Name == "$right" && e.right != nil:
			side = e.right
		case e.steps != nil && e.steps[id.Name] != nil && (e.rel == nil || e.rel.schema.Index(id.Name) < 0):
			side = e.steps[id.Name]
		}
		if side != nil {
			return c.ident(x.Sel, &env{rel: side})
		}
	}
	t := c.expr(x.X, e)
	if t == types.Invalid {
		return types.Invalid
	}
	if t == types.Unknown {
		return types.Unknown
	}
	return types.Dynamic
}

// unary is -x and +x.
func (c *checker) unary(x *ast.UnaryExpr, e *env) types.Type {
	t := c.expr(x.X, e)
	if !concrete(t) || t.IsNumeric() || t == types.Timespan {
		return t
	}
	c.errorf(x, TypeMismatch, "operator %s cannot be applied to %s", x.Op, t)
	return types.Invalid
}

// concrete reports whether t is a type the checker may judge: not
// Invalid, Unknown or dynamic.
func concrete(t types.Type) bool { return t.IsKnown() && t != types.Dynamic }

// binary infers x op y.
func (c *checker) binary(x *ast.BinaryExpr, e *env) types.Type {
	l := c.expr(x.X, e)
	r := c.expr(x.Y, e)
	switch {
	case x.Op == token.AND || x.Op == token.OR:
		for _, side := range [...]struct {
			t types.Type
			n ast.Node
		}{{l, x.X}, {r, x.Y}} {
			if concrete(side.t) && side.t != types.Bool {
				c.errorf(side.n, TypeMismatch, "operand of %s must be bool, got %s", x.Op, side.t)
			}
		}
		return types.Bool
	case x.Op >= token.ADD && x.Op <= token.REM:
		return c.arith(x, l, r)
	case x.Op >= token.EQL && x.Op <= token.GEQ:
		if concrete(l) && concrete(r) && !comparable(l, r, x.Op == token.EQL || x.Op == token.NEQ) {
			c.errorf(x, TypeMismatch, "cannot compare %s and %s with %s", l, r, x.Op)
		}
		return types.Bool
	}
	// =~, !~ and the string operators: Kusto converts operands to string
	return types.Bool
}

// comparable reports whether Kusto compares values of types a and b.
func comparable(a, b types.Type, equality bool) bool {
	switch {
	case a == b:
		return true
	case a == types.String || b == types.String:
		// Kusto converts a string operand (EventID == "4688",
		// dayofweek(t) == "00:00:00"); vetted rules rely on it
		return true
	case a.IsNumeric() && b.IsNumeric():
		return true
	case equality && (a == types.Guid && b == types.String || a == types.String && b == types.Guid):
		return true
	case equality && (a == types.Bool && b.IsNumeric() || a.IsNumeric() && b == types.Bool):
		return true
	}
	return false
}

// arith infers the arithmetic operators' result: numbers widen; datetime
// and timespan combine as Kusto allows; strings and bools do not add.
func (c *checker) arith(x *ast.BinaryExpr, l, r types.Type) types.Type {
	if l == types.Invalid || r == types.Invalid {
		return types.Invalid
	}
	if !concrete(l) || !concrete(r) {
		if l == types.Dynamic || r == types.Dynamic {
			return types.Dynamic
		}
		return arithUnknown(x.Op, l, r)
	}
	if t, ok := arithResult(x.Op, l, r); ok {
		return t
	}
	c.errorf(x, TypeMismatch, "operator %s cannot be applied to %s and %s", x.Op, l, r)
	return types.Invalid
}

// arithUnknown is the result when an operand's type is not known: a
// datetime plus something can only be a datetime; the rest is unknown.
func arithUnknown(op token.Kind, l, r types.Type) types.Type {
	if op == token.ADD && (l == types.Datetime || r == types.Datetime) {
		return types.Datetime
	}
	return types.Unknown
}

// arithResult is the type of l op r for concrete operands.
func arithResult(op token.Kind, l, r types.Type) (types.Type, bool) {
	switch {
	case l.IsNumeric() && r.IsNumeric():
		return widerNum(l, r), true
	case l == types.Datetime && r == types.Datetime:
		return types.Timespan, op == token.SUB
	case l == types.Datetime && r == types.Timespan:
		return types.Datetime, op == token.ADD || op == token.SUB
	case l == types.Timespan && r == types.Datetime:
		return types.Datetime, op == token.ADD
	case l == types.Timespan && r == types.Timespan:
		if op == token.QUO {
			return types.Real, true
		}
		return types.Timespan, op == token.ADD || op == token.SUB || op == token.REM
	case l == types.Timespan && r.IsNumeric():
		return types.Timespan, op == token.MUL || op == token.QUO
	case l.IsNumeric() && r == types.Timespan:
		return types.Timespan, op == token.MUL
	}
	return types.Invalid, false
}

// widerNum is the wider of two numeric types.
func widerNum(a, b types.Type) types.Type {
	rank := func(t types.Type) int {
		switch t {
		case types.Int:
			return 1
		case types.Long:
			return 2
		case types.Real:
			return 3
		case types.Decimal:
			return 4
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// in checks x in (…): list elements may be scalars, dynamic arrays, or
// tabular expressions whose first column supplies the values.
func (c *checker) in(x *ast.InExpr, e *env) types.Type {
	c.expr(x.X, e)
	for _, el := range x.List {
		if c.isTabularElem(el, e) {
			r := c.tabular(el)
			c.commit(r)
			continue
		}
		c.expr(el, e.inner())
	}
	return types.Bool
}

// isTabularElem reports whether an element of an in-list is tabular: a
// pipeline, or a name bound to a table that is not a column.
func (c *checker) isTabularElem(x ast.Expr, e *env) bool {
	switch y := unparen(x).(type) {
	case *ast.PipeExpr:
		return true
	case *ast.Ident:
		if e.rel != nil && e.rel.schema.Index(y.Name) >= 0 {
			return false
		}
		ent := c.scope.lookup(y.Name)
		return ent != nil && (ent.kind == tabularEntity || ent.kind == funcEntity && ent.rel != nil)
	case *ast.CallExpr:
		ent := c.scope.lookup(y.Fun.Name)
		if ent != nil {
			return ent.kind == funcEntity && ent.rel != nil
		}
		switch y.Fun.Name {
		case "materialize", "table", "view":
			return true
		}
	}
	return false
}

// between checks x between (lo .. hi).
func (c *checker) between(x *ast.BetweenExpr, e *env) types.Type {
	t := c.expr(x.X, e)
	c.expr(x.Lo, e)
	c.expr(x.Hi, e)
	if concrete(t) && !t.IsNumeric() && t != types.Datetime && t != types.Timespan {
		c.errorf(x.X, TypeMismatch, "between needs a number, datetime or timespan, got %s", t)
	}
	return types.Bool
}
