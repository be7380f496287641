package engine

// This file implements datatable: a table whose schema and rows are
// written in the query, values read row by row.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileDatatable) }

func compileDatatable(c *compiler, op *ast.DatatableOp, in plan, sc *scope) (plan, error) {
	if in != nil {
		return nil, errorf(op.Pos(), op.Word, "operator takes no input table")
	}
	s, err := declSchema(op.Cols, op.Word)
	if err != nil {
		return nil, err
	}
	nc := len(s.Columns)
	if nc == 0 {
		return nil, errorf(op.Pos(), op.Word, "needs at least one column")
	}
	if len(op.Values)%nc != 0 {
		return nil, errorf(op.Lbrack, op.Word, "%d values do not fill rows of %d columns", len(op.Values), nc)
	}
	b := NewBatch(s, len(op.Values)/nc)
	for i, e := range op.Values {
		v, err := c.constValue(e, sc)
		if err != nil {
			return nil, err
		}
		col := s.Columns[i%nc]
		cv, ok := coerceLiteral(v, col.Type)
		if !ok {
			return nil, errorf(e.Pos(), op.Word, "value %s of type %s does not fit column %s:%s", v, v.Type, col.Name, col.Type)
		}
		b.Cols[i%nc].Append(cv)
	}
	b.N = len(op.Values) / nc
	return &batchPlan{b: b}, nil
}

// declSchema builds a schema from name:type declarations.
func declSchema(decls []*ast.ColumnDecl, what string) (*types.Schema, error) {
	s := &types.Schema{}
	for _, d := range decls {
		t := types.Dynamic
		if d.Type != nil {
			var ok bool
			if t, ok = types.Lookup(d.Type.Name); !ok {
				return nil, errorf(d.Type.Pos(), what, "unknown type %q for column %s", d.Type.Name, d.Name.Name)
			}
		}
		if s.Index(d.Name.Name) >= 0 {
			return nil, errorf(d.Name.Pos(), what, "column %s is declared twice", d.Name.Name)
		}
		s.Columns = append(s.Columns, types.Column{Name: d.Name.Name, Type: t})
	}
	return s, nil
}

// constValue evaluates a constant expression, folding a sign applied to a
// literal itself so that datatable and range work on negative numbers
// whatever the state of the scalar operators.
func (c *compiler) constValue(e ast.Expr, sc *scope) (value.Value, error) {
	if u, ok := e.(*ast.UnaryExpr); ok {
		switch u.X.(type) {
		case *ast.BasicLit, *ast.TypedLit, *ast.UnaryExpr, *ast.ParenExpr:
			v, err := c.constValue(u.X, sc)
			if err != nil || u.Op != token.SUB {
				return v, err
			}
			return negate(v, u.OpPos)
		}
	}
	if p, ok := e.(*ast.ParenExpr); ok {
		return c.constValue(p.X, sc)
	}
	return c.constant(e, sc)
}

// negate returns -v for numbers and timespans.
func negate(v value.Value, pos token.Pos) (value.Value, error) {
	if v.IsNull() {
		return v, nil
	}
	switch v.Type {
	case types.Int, types.Long, types.Timespan:
		v.I = -v.I
		return v, nil
	case types.Real, types.Decimal:
		v.F = -v.F
		return v, nil
	case types.Dynamic:
		switch x := v.D.(type) {
		case int64:
			return value.OfDynamic(-x), nil
		case float64:
			return value.OfDynamic(-x), nil
		}
	}
	return value.Value{}, errorf(pos, "operator -", "cannot negate a %s", v.Type)
}

// coerceLiteral converts a written value to a declared column type: the
// numeric types convert into each other, anything goes into dynamic, and
// a string may spell a datetime, timespan, guid or bool.
func coerceLiteral(v value.Value, t types.Type) (value.Value, bool) {
	if v.Type == t {
		return v, true
	}
	if v.IsNull() {
		return value.Null(t), true
	}
	switch {
	case t == types.Dynamic:
		return value.OfDynamic(v.ToDynamic()), true
	case t.IsNumeric() && (v.Type.IsNumeric() || v.Type == types.Bool):
		return value.Convert(v, t), true
	case t == types.String:
		if v.Type == types.Dynamic {
			if s, ok := v.D.(string); ok {
				return value.OfString(s), true
			}
		}
		return value.Value{}, false
	case v.Type == types.String || v.Type == types.Dynamic:
		d := v.D
		if v.Type == types.String {
			d = v.S
		}
		out := value.Convert(value.OfDynamic(d), t)
		return out, !out.IsNull()
	}
	return value.Value{}, false
}

// batchPlan produces a batch computed when the query was compiled.
type batchPlan struct{ b *Batch }

func (p *batchPlan) schema() *types.Schema { return p.b.Schema }

func (p *batchPlan) open(context.Context, *runtime) (Stream, error) {
	return NewBatchStream(p.b.Schema, splitBatch(p.b)...), nil
}

// splitBatch cuts b into slices of at most BatchSize rows.
func splitBatch(b *Batch) []*Batch {
	if b.N <= BatchSize {
		return []*Batch{b}
	}
	var out []*Batch
	for from := 0; from < b.N; from += BatchSize {
		out = append(out, b.Slice(from, min(from+BatchSize, b.N)))
	}
	return out
}
