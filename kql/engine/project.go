package engine

// This file implements project and extend: computing output columns from
// expressions over each batch.

import (
	"context"
	"fmt"
	"github.com/vigil-hunt/vigil/kql/value"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() {
	registerOp(func(c *compiler, op *ast.ProjectOp, in plan, sc *scope) (plan, error) {
		return c.compileProject(op, op.Cols, false, in, sc)
	})
	registerOp(func(c *compiler, op *ast.ExtendOp, in plan, sc *scope) (plan, error) {
		return c.compileProject(op, op.Cols, true, in, sc)
	})
}

// outCol is one computed output column.
type outCol struct {
	name string
	e    expr
}

// compileProject compiles project (keep only cols) or extend (add or
// replace cols, keeping the input's).
func (c *compiler) compileProject(op ast.Operator, cols []*ast.ColumnDef, extend bool, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	var outs []outCol
	for i, cd := range cols {
		e, err := c.expr(cd.X, inSchema, sc)
		if err != nil {
			return nil, err
		}
		if len(cd.Names) > 1 {
			return nil, errorf(cd.Pos(), op.Name(), "assigning several columns from one expression is not supported here")
		}
		name := ""
		if len(cd.Names) == 1 {
			name = cd.Names[0].Name
		} else if name = c.resultName(cd.X, inSchema, sc); name == "" {
			name = fmt.Sprintf("Column%d", i+1)
		}
		outs = append(outs, outCol{name: name, e: e})
	}
	p := &projectPlan{in: in}
	if extend {
		// Keep every input column; an assigned name that exists replaces it
		// in place, a new one goes at the end.
		p.s = inSchema.Clone()
		p.s.Open = inSchema.Open
		for i := range inSchema.Columns {
			p.srcs = append(p.srcs, &colExpr{idx: i, typ: inSchema.Columns[i].Type})
		}
		for _, o := range outs {
			col := types.Column{Name: o.name, Type: o.e.Type()}
			if j := p.s.Index(o.name); j >= 0 {
				p.s.Columns[j] = col
				p.srcs[j] = o.e
				continue
			}
			p.s.Columns = append(p.s.Columns, col)
			p.srcs = append(p.srcs, o.e)
		}
		return p, nil
	}
	p.s = &types.Schema{}
	for _, o := range outs {
		col := types.Column{Name: o.name, Type: o.e.Type()}
		if j := p.s.Index(o.name); j >= 0 {
			return nil, errorf(op.Pos(), op.Name(), "column %s is produced twice", o.name)
		}
		p.s.Columns = append(p.s.Columns, col)
		p.srcs = append(p.srcs, o.e)
	}
	return p, nil
}

// resultName is the name Kusto gives an unnamed output expression over
// rows of in ("" when it gives none), by the checker's rules.
func (c *compiler) resultName(e ast.Expr, in *types.Schema, sc *scope) string {
	return check.ResultName(e, func(sub ast.Expr) types.Type {
		x, err := c.expr(sub, in, sc)
		if err != nil {
			return types.Unknown
		}
		return x.Type()
	})
}

type projectPlan struct {
	in   plan
	s    *types.Schema
	srcs []expr
}

func (p *projectPlan) schema() *types.Schema { return p.s }

func (p *projectPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &projectStream{in: s, p: p, rt: rt}, nil
}

type projectStream struct {
	in Stream
	p  *projectPlan
	rt *runtime
}

func (s *projectStream) Schema() *types.Schema { return s.p.s }

func (s *projectStream) Next(ctx context.Context) (*Batch, error) {
	b, err := s.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	out := &Batch{Schema: s.p.s, Cols: make([]*value.Column, len(s.p.srcs)), N: b.N}
	for i, e := range s.p.srcs {
		col, err := e.eval(s.rt, b)
		if err != nil {
			return nil, err
		}
		if want := s.p.s.Columns[i].Type; col.Type != want {
			col = convertColumn(col, want)
		}
		out.Cols[i] = col
	}
	return out, nil
}

// convertColumn converts every row of c to type t.
func convertColumn(c *value.Column, t types.Type) *value.Column {
	out := value.NewColumn(t, c.Len())
	for i := 0; i < c.Len(); i++ {
		out.Append(c.Value(i))
	}
	return out
}

// columnName names e by the checker's rules without type information
// (property paths are named as on dynamic values, which is what they are
// where this is used), or returns fallback.
func columnName(e ast.Expr, fallback string) string {
	if n := check.ResultName(e, func(ast.Expr) types.Type { return types.Unknown }); n != "" {
		return n
	}
	return fallback
}
