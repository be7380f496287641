package engine

// This file implements where/filter: keeps the rows whose predicate is
// true (null and false drop the row).

import (
	"context"
	"github.com/vigil-hunt/vigil/kql/value"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileWhere) }

func compileWhere(c *compiler, op *ast.WhereOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	pred, err := c.expr(op.Pred, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	if t := pred.Type(); t != types.Bool && t != types.Dynamic && t != types.Unknown {
		return nil, errorf(op.Pred.Pos(), op.Word, "predicate is %s, not bool", t)
	}
	if preds := c.scanPreds(op.Pred, in.schema(), sc); len(preds) > 0 {
		in = pushPreds(in, preds)
	}
	return &wherePlan{in: in, pred: pred}, nil
}

type wherePlan struct {
	in   plan
	pred expr
}

func (p *wherePlan) schema() *types.Schema { return p.in.schema() }

func (p *wherePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &whereStream{in: s, pred: p.pred, rt: rt}, nil
}

type whereStream struct {
	in   Stream
	pred expr
	rt   *runtime
	idx  []int
}

func (s *whereStream) Schema() *types.Schema { return s.in.Schema() }

func (s *whereStream) Next(ctx context.Context) (*Batch, error) {
	for {
		b, err := s.in.Next(ctx)
		if err != nil {
			return nil, err
		}
		col, err := s.pred.eval(s.rt, b)
		if err != nil {
			return nil, err
		}
		s.idx = s.idx[:0]
		for i := 0; i < b.N; i++ {
			if truthy(col, i) {
				s.idx = append(s.idx, i)
			}
		}
		switch len(s.idx) {
		case 0:
			continue
		case b.N:
			return b, nil
		}
		return b.Gather(s.idx), nil
	}
}

// truthy reports whether row i of a predicate column is true.
func truthy(c *value.Column, i int) bool {
	if c.Type == types.Bool {
		return c.Bools[i] && (c.Nulls == nil || !c.Nulls[i])
	}
	if c.Type == types.Dynamic {
		b, ok := c.Dyns[i].(bool)
		return ok && b
	}
	return false
}
