package engine

// This file implements the compilation of scalar operators (unary,
// binary, between, in and its relatives) into calls of package scalar's
// bound kernels, folding constant sub-expressions.

import (
	"context"
	"errors"
	"sync"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/scalar"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// fnExpr evaluates a bound scalar function over its argument expressions;
// a nil argument was constant at bind time.
type fnExpr struct {
	fn    *scalar.Fn
	args  []expr
	types []types.Type // the argument types given at bind time
}

func (e *fnExpr) Type() types.Type { return e.fn.Type }

func (e *fnExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	cols := make([]*value.Column, len(e.args))
	for i, a := range e.args {
		if a == nil {
			continue
		}
		c, err := a.eval(rt, b)
		if err != nil {
			return nil, err
		}
		cols[i] = conform(c, e.types[i])
	}
	return e.fn.Eval(cols, b.N)
}

// conform converts a column to the type its consumer was bound for (a
// column of an open schema may hold another type than declared).
func conform(c *value.Column, t types.Type) *value.Column {
	if c.Type == t {
		return c
	}
	out := value.NewColumn(t, c.Len())
	for i := 0; i < c.Len(); i++ {
		out.Append(value.Convert(c.Value(i), t))
	}
	return out
}

// bindArg describes a compiled argument to the binder: constants by
// value, type literals by type, the rest by type.
func bindArg(a expr) scalar.Arg {
	if t, ok := a.(*typeLitExpr); ok {
		return scalar.TypeLit(t.t)
	}
	if v, ok := isConst(a); ok {
		return scalar.Const(v)
	}
	return scalar.Col(a.Type())
}

// bind binds args with f and returns the evaluator, folded into a
// constant when every argument is constant and the function is not
// volatile. Bind errors are reported at pos for what.
func (c *compiler) bind(args []expr, pos token.Pos, what string, f func([]scalar.Arg) (*scalar.Fn, error)) (expr, error) {
	sargs := make([]scalar.Arg, len(args))
	for i, a := range args {
		sargs[i] = bindArg(a)
	}
	fn, err := f(sargs)
	if err != nil {
		return nil, bindError(err, pos, what)
	}
	e := &fnExpr{fn: fn, args: make([]expr, len(args)), types: make([]types.Type, len(args))}
	allConst := true
	for i, a := range args {
		e.types[i] = sargs[i].Type
		if sargs[i].IsConst() {
			continue
		}
		e.args[i] = a
		allConst = false
	}
	if !allConst || fn.Volatile {
		return e, nil
	}
	col, err := fn.Eval(make([]*value.Column, len(args)), 1)
	if err != nil {
		return nil, bindError(err, pos, what)
	}
	return &constExpr{col.Value(0)}, nil
}

// bindError turns a scalar bind error into an engine error at pos.
func bindError(err error, pos token.Pos, what string) error {
	var se *scalar.Error
	if errors.As(err, &se) {
		return errorf(pos, se.What, "%s", se.Msg)
	}
	return errorf(pos, what, "%v", err)
}

// typeLitExpr is a type literal argument such as typeof(long).
type typeLitExpr struct{ t types.Type }

func (e *typeLitExpr) Type() types.Type { return e.t }
func (e *typeLitExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	return value.NullColumn(e.t, b.N), nil
}

func (c *compiler) unary(e *ast.UnaryExpr, in *types.Schema, sc *scope) (expr, error) {
	x, err := c.expr(e.X, in, sc)
	if err != nil {
		return nil, err
	}
	return c.bind([]expr{x}, e.OpPos, opName(e.Op), func(a []scalar.Arg) (*scalar.Fn, error) {
		return scalar.Unary(e.Op, a[0])
	})
}

func (c *compiler) binary(e *ast.BinaryExpr, in *types.Schema, sc *scope) (expr, error) {
	x, err := c.expr(e.X, in, sc)
	if err != nil {
		return nil, err
	}
	y, err := c.expr(e.Y, in, sc)
	if err != nil {
		return nil, err
	}
	if e.Op == token.AND || e.Op == token.OR {
		return c.logic(e, x, y, in, sc)
	}
	return c.bind([]expr{x, y}, e.OpPos, opName(e.Op), func(a []scalar.Arg) (*scalar.Fn, error) {
		return scalar.Binary(e.Op, a[0], a[1])
	})
}

func (c *compiler) between(e *ast.BetweenExpr, in *types.Schema, sc *scope) (expr, error) {
	var args []expr
	for _, x := range []ast.Expr{e.X, e.Lo, e.Hi} {
		ex, err := c.expr(x, in, sc)
		if err != nil {
			return nil, err
		}
		args = append(args, ex)
	}
	return c.bind(args, e.OpPos, "operator between", func(a []scalar.Arg) (*scalar.Fn, error) {
		return scalar.Between(a[0], a[1], a[2], e.Not)
	})
}

// in compiles x in (…) and its relatives. List elements may be scalars,
// dynamic arrays (spread into their elements) or tabular expressions
// (their first column, evaluated once per run).
func (c *compiler) in(e *ast.InExpr, in *types.Schema, sc *scope) (expr, error) {
	x, err := c.expr(e.X, in, sc)
	if err != nil {
		return nil, err
	}
	args := []expr{x}
	var tabs []plan
	for _, el := range e.List {
		if c.isTabularElem(el, in, sc) {
			p, err := c.tabular(el, sc)
			if err != nil {
				return nil, err
			}
			tabs = append(tabs, p)
			continue
		}
		ex, err := c.expr(el, in, sc)
		if err != nil {
			return nil, err
		}
		args = append(args, spread(ex)...)
	}
	what := opName(e.Op)
	bindIn := func(a []scalar.Arg) (*scalar.Fn, error) { return scalar.In(e.Op, a[0], a[1:]) }
	if len(tabs) == 0 {
		return c.bind(args, e.OpPos, what, bindIn)
	}
	return &inSubqueryExpr{c: c, args: args, tabs: tabs, pos: e.OpPos, what: what, bindIn: bindIn}, nil
}

// isTabularElem reports whether an in-list element is a table: a pipe, a
// tabular let name or function call that is not a column of the input.
func (c *compiler) isTabularElem(el ast.Expr, in *types.Schema, sc *scope) bool {
	if id, ok := unparen(el).(*ast.Ident); ok && in.Index(id.Name) >= 0 {
		return false
	}
	return c.isTabular(el, sc)
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// spread turns a constant dynamic array into constants of its elements.
func spread(e expr) []expr {
	v, ok := isConst(e)
	if !ok || v.Type != types.Dynamic {
		return []expr{e}
	}
	arr, ok := v.D.([]any)
	if !ok {
		return []expr{e}
	}
	out := make([]expr, len(arr))
	for i, d := range arr {
		out[i] = &constExpr{value.FromDynamic(d)}
	}
	return out
}

// inSubqueryExpr is an in-list with tabular elements: the tables run once
// per run, on first use, and their first columns join the constants.
type inSubqueryExpr struct {
	c      *compiler
	args   []expr
	tabs   []plan
	pos    token.Pos
	what   string
	bindIn func([]scalar.Arg) (*scalar.Fn, error)

	once sync.Once
	e    expr
	err  error
}

func (e *inSubqueryExpr) Type() types.Type { return types.Bool }

func (e *inSubqueryExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	e.once.Do(func() {
		args := append([]expr(nil), e.args...)
		for _, p := range e.tabs {
			res, err := runPlan(context.Background(), rt, p)
			if err != nil {
				e.err = err
				return
			}
			if len(res.Cols) == 0 {
				continue
			}
			col := res.Cols[0]
			for i := 0; i < res.N; i++ {
				args = append(args, spread(&constExpr{col.Value(i)})...)
			}
		}
		e.e, e.err = e.c.bind(args, e.pos, e.what, e.bindIn)
	})
	if e.err != nil {
		return nil, e.err
	}
	return e.e.eval(rt, b)
}
