package engine

// This file implements serialize: it freezes the order of its input so
// that window functions may follow, and optionally extends it with
// columns (serialize rn = row_number()).

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileSerialize) }

func compileSerialize(c *compiler, op *ast.SerializeOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	p := &serializePlan{in: in, s: markSerial(in.schema().Clone())}
	if len(op.Cols) == 0 {
		return p, nil
	}
	return c.compileProject(op, op.Cols, true, p, sc)
}

// serializePlan emits its input as one batch, so that window functions
// downstream (next() in particular) see every row together.
type serializePlan struct {
	in plan
	s  *types.Schema
}

func (p *serializePlan) schema() *types.Schema { return p.s }

func (p *serializePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	all, err := runPlan(ctx, rt, p.in)
	if err != nil {
		return nil, err
	}
	all.Schema = p.s
	return NewBatchStream(p.s, all), nil
}
