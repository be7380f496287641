package engine

// This file implements the compilation of scalar expressions into vector
// evaluators: literals, names, and the dispatch to operators and calls.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// expr is a compiled scalar expression: evaluated over a batch, it yields
// a column of the batch's length.
type expr interface {
	Type() types.Type
	eval(rt *runtime, b *Batch) (*value.Column, error)
}

// constExpr is a constant.
type constExpr struct{ v value.Value }

func (e *constExpr) Type() types.Type { return e.v.Type }
func (e *constExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	return value.Const(e.v, b.N), nil
}

// colExpr reads a column of the input batch by position.
type colExpr struct {
	idx int
	typ types.Type
}

func (e *colExpr) Type() types.Type { return e.typ }
func (e *colExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	return b.Cols[e.idx], nil
}

// isConst returns the value of a constant expression.
func isConst(e expr) (value.Value, bool) {
	if c, ok := e.(*constExpr); ok {
		return c.v, true
	}
	return value.Value{}, false
}

// expr compiles a scalar expression over rows of schema in.
func (c *compiler) expr(e ast.Expr, in *types.Schema, sc *scope) (expr, error) {
	switch e := e.(type) {
	case *ast.BasicLit, *ast.TypedLit, *ast.DynamicLit:
		v, err := literal(e, c.rt)
		if err != nil {
			return nil, err
		}
		return &constExpr{v}, nil
	case *ast.ParenExpr:
		return c.expr(e.X, in, sc)
	case *ast.Ident:
		return c.ident(e, in, sc)
	case *ast.UnaryExpr:
		return c.unary(e, in, sc)
	case *ast.BinaryExpr:
		return c.binary(e, in, sc)
	case *ast.InExpr:
		return c.in(e, in, sc)
	case *ast.BetweenExpr:
		return c.between(e, in, sc)
	case *ast.CallExpr:
		return c.call(e, in, sc)
	case *ast.SelectorExpr:
		return c.selector(e, in, sc)
	case *ast.IndexExpr:
		return c.index(e, in, sc)
	}
	return nil, errorf(e.Pos(), "", "unsupported expression %T", e)
}

// ident resolves a name: a function parameter, then a column of the
// input, then a let binding. Parameters shadow columns so that a function
// body means the same whatever table it is applied to.
func (c *compiler) ident(id *ast.Ident, in *types.Schema, sc *scope) (expr, error) {
	if b := sc.lookup(id.Name); b != nil && b.expr != nil {
		return b.expr, nil
	}
	if in != nil {
		if i := in.Index(id.Name); i >= 0 {
			return &colExpr{idx: i, typ: in.Columns[i].Type}, nil
		}
	}
	if b := sc.lookup(id.Name); b != nil {
		switch {
		case b.val != nil:
			return &constExpr{*b.val}, nil
		case b.expr != nil:
			return b.expr, nil
		case b.fn != nil && len(b.fn.lit.Params) == 0:
			// A function without parameters may be called by bare name.
			return c.call(&ast.CallExpr{Fun: id, Lparen: id.End(), Rparen: id.End()}, in, sc)
		case b.tab != nil:
			return nil, errorf(id.Pos(), "", "%s is a table, not a scalar", id.Name)
		}
	}
	if in != nil && in.Open {
		// A column of an open schema that this batch lacks reads as null.
		return &constExpr{value.Null(types.Dynamic)}, nil
	}
	return nil, errorf(id.Pos(), "", "unknown name %s", id.Name)
}

// constant evaluates a scalar expression that needs no input row.
func (c *compiler) constant(e ast.Expr, sc *scope) (value.Value, error) {
	x, err := c.expr(e, nil, sc)
	if err != nil {
		return value.Value{}, err
	}
	if v, ok := isConst(x); ok {
		return v, nil
	}
	one := &Batch{Schema: &types.Schema{}, N: 1}
	col, err := x.eval(c.rt, one)
	if err != nil {
		return value.Value{}, err
	}
	return col.Value(0), nil
}

// opName is how errors name a binary operator.
func opName(k token.Kind) string { return "operator " + k.String() }
