package engine

// This file implements the count operator: one row, one column Count:long
// holding the number of input rows.

import (
	"context"
	"io"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileCount) }

var countSchema = &types.Schema{Columns: []types.Column{{Name: "Count", Type: types.Long}}}

func compileCount(c *compiler, op *ast.CountOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	return &countPlan{in: in}, nil
}

type countPlan struct{ in plan }

func (p *countPlan) schema() *types.Schema { return countSchema }

func (p *countPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	var n int64
	for {
		b, err := in.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n += int64(b.N)
	}
	col := value.NewColumn(types.Long, 1)
	col.Append(value.OfLong(n))
	return NewBatchStream(countSchema, &Batch{Schema: countSchema, Cols: []*value.Column{col}, N: 1}), nil
}
