package engine

// This file implements sample (N rows drawn uniformly at random, by
// reservoir sampling over the stream) and sample-distinct (up to N
// distinct values of an expression, the first ones found, as Kusto's
// fast default flavor returns).

import (
	"context"
	"io"
	"math/rand/v2"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(compileSample)
	registerOp(compileSampleDistinct)
}

func compileSample(c *compiler, op *ast.SampleOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	n, err := c.rowCount(op.Word, op.N, sc)
	if err != nil {
		return nil, err
	}
	return &samplePlan{in: in, n: n}, nil
}

type samplePlan struct {
	in plan
	n  int
}

func (p *samplePlan) schema() *types.Schema { return p.in.schema() }

func (p *samplePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	var (
		rows [][]value.Value // the reservoir
		seen int
	)
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
		for i := 0; i < b.N; i++ {
			slot := seen
			if seen >= p.n {
				slot = rand.IntN(seen + 1)
			}
			seen++
			if slot >= p.n {
				continue
			}
			row := make([]value.Value, len(b.Cols))
			for k, c := range b.Cols {
				row[k] = c.Value(i)
			}
			if slot == len(rows) {
				rows = append(rows, row)
			} else {
				rows[slot] = row
			}
		}
	}
	out := NewBatch(in.Schema(), len(rows))
	for _, row := range rows {
		for k, v := range row {
			out.Cols[k].Append(v)
		}
	}
	out.N = len(rows)
	return NewBatchStream(out.Schema, out), nil
}

func compileSampleDistinct(c *compiler, op *ast.SampleDistinctOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	n, err := c.rowCount(op.Word, op.N, sc)
	if err != nil {
		return nil, err
	}
	names := newColNames(op.Word, in.schema())
	keys, err := c.groupKeys([]*ast.ColumnDef{{X: op.Col}}, in.schema(), names, sc)
	if err != nil {
		return nil, err
	}
	return &sampleDistinctPlan{in: in, n: n, key: keys[0], s: names.s}, nil
}

type sampleDistinctPlan struct {
	in  plan
	n   int
	key groupKey
	s   *types.Schema
}

func (p *sampleDistinctPlan) schema() *types.Schema { return p.s }

func (p *sampleDistinctPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	groups := aggregate.NewGroups([]types.Type{p.key.typ})
	for p.n > 0 && groups.Len() < p.n {
		b, err := in.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		col, err := p.key.e.eval(rt, b)
		if err != nil {
			return nil, err
		}
		if col.Type != p.key.typ {
			col = convertColumn(col, p.key.typ)
		}
		groups.Assign([]*value.Column{col}, b.N)
	}
	vals := groups.Keys()[0]
	if m := min(p.n, vals.Len()); m < vals.Len() {
		vals = vals.Slice(0, m)
	}
	return NewBatchStream(p.s, &Batch{Schema: p.s, Cols: []*value.Column{vals}, N: vals.Len()}), nil
}
