package engine

// This file implements mv-apply: each input row is expanded as mv-expand
// would (its sub-table), the sub-query runs on that sub-table, and its
// result rows are output with the row's other columns added: the output
// has the input columns not expanded and not produced by the sub-query,
// then the sub-query's columns.

import (
	"context"
	"math"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileMvApply) }

func compileMvApply(c *compiler, op *ast.MvApplyOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	spec, err := c.compileMv(op, op.Params, op.Items, op.N, math.MaxInt32, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	if op.Body == nil {
		return nil, errorf(op.Pos(), op.Word, "needs a sub-query")
	}
	sub := &subTablePlan{s: spec.s}
	child := newScope(sc)
	child.input = sub
	body, err := c.tabular(op.Body, child)
	if err != nil {
		return nil, err
	}
	p := &mvApplyPlan{in: in, spec: spec, sub: sub, body: body, s: &types.Schema{}}
	rs := body.schema()
	for i, col := range in.schema().Columns {
		if spec.replaced[i] || rs.Index(col.Name) >= 0 {
			continue
		}
		p.s.Columns = append(p.s.Columns, col)
		p.outer = append(p.outer, i)
	}
	p.s.Columns = append(p.s.Columns, rs.Columns...)
	p.s.Open = rs.Open
	return p, nil
}

// subTablePlan is the implied input of a sub-query run once per row or
// group: it produces whatever batch its owner set last.
type subTablePlan struct {
	s *types.Schema
	b *Batch
}

func (p *subTablePlan) schema() *types.Schema { return p.s }

func (p *subTablePlan) open(context.Context, *runtime) (Stream, error) {
	if p.b == nil {
		return NewBatchStream(p.s), nil
	}
	return NewBatchStream(p.s, p.b), nil
}

type mvApplyPlan struct {
	in    plan
	spec  *mvSpec
	sub   *subTablePlan
	body  plan
	s     *types.Schema
	outer []int // input columns repeated on each result row
}

func (p *mvApplyPlan) schema() *types.Schema { return p.s }

func (p *mvApplyPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &mvApplyStream{p: p, in: s, rt: rt}, nil
}

type mvApplyStream struct {
	p  *mvApplyPlan
	in Stream
	rt *runtime
}

func (s *mvApplyStream) Schema() *types.Schema { return s.p.s }

func (s *mvApplyStream) Next(ctx context.Context) (*Batch, error) {
	for {
		b, err := s.in.Next(ctx)
		if err != nil {
			return nil, err
		}
		out, err := s.apply(ctx, b)
		if err != nil {
			return nil, err
		}
		if out.N > 0 {
			return out, nil
		}
	}
}

// apply runs the sub-query once per row of b.
func (s *mvApplyStream) apply(ctx context.Context, b *Batch) (*Batch, error) {
	p := s.p
	out := NewBatch(p.s, b.N)
	ins := p.in.schema()
	for i := 0; i < b.N; i++ {
		row := b.Slice(i, i+1)
		sub, err := p.spec.expand(s.rt, row)
		if err != nil {
			return nil, err
		}
		p.sub.b = sub
		res, err := runPlan(ctx, s.rt, p.body)
		p.sub.b = nil
		if err != nil {
			return nil, err
		}
		if res.N == 0 {
			continue
		}
		rep := make([]int, res.N)
		for j, src := range p.outer {
			out.Cols[j].AppendColumn(plannedCol(row, ins, src).Gather(rep))
		}
		rs := p.body.schema()
		for k := range rs.Columns {
			out.Cols[len(p.outer)+k].AppendColumn(plannedCol(res, rs, k))
		}
		out.N += res.N
	}
	return out, nil
}
