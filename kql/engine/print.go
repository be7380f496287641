package engine

// This file implements print: one row of scalar expressions. Unnamed
// columns are called print_0, print_1, … by their position.

import (
	"context"
	"fmt"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compilePrint) }

func compilePrint(c *compiler, op *ast.PrintOp, in plan, sc *scope) (plan, error) {
	if in != nil {
		return nil, errorf(op.Pos(), op.Word, "operator takes no input table")
	}
	empty := &types.Schema{}
	p := &printPlan{s: &types.Schema{}}
	for i, cd := range op.Cols {
		if len(cd.Names) > 1 {
			return nil, errorf(cd.Pos(), op.Word, "assigning several columns from one expression is not supported here")
		}
		e, err := c.expr(cd.X, empty, sc)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("print_%d", i)
		if len(cd.Names) == 1 {
			name = cd.Names[0].Name
		}
		if p.s.Index(name) >= 0 {
			return nil, errorf(cd.Pos(), op.Word, "column %s is produced twice", name)
		}
		p.s.Columns = append(p.s.Columns, types.Column{Name: name, Type: knownType(e.Type())})
		p.exprs = append(p.exprs, e)
	}
	return p, nil
}

// knownType maps a type only known at run time to dynamic, so that a
// result column always has a concrete type.
func knownType(t types.Type) types.Type {
	if !t.IsKnown() {
		return types.Dynamic
	}
	return t
}

type printPlan struct {
	s     *types.Schema
	exprs []expr
}

func (p *printPlan) schema() *types.Schema { return p.s }

func (p *printPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	one := &Batch{Schema: &types.Schema{}, N: 1}
	out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.exprs)), N: 1}
	for i, e := range p.exprs {
		col, err := e.eval(rt, one)
		if err != nil {
			return nil, err
		}
		if want := p.s.Columns[i].Type; col.Type != want {
			col = convertColumn(col, want)
		}
		out.Cols[i] = col
	}
	return NewBatchStream(p.s, out), nil
}
