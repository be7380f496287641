package engine

// This file implements take/limit: the first N rows (Kusto promises no
// particular order without sort).

import (
	"context"
	"github.com/vigil-hunt/vigil/kql/value"
	"io"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileTake) }

func compileTake(c *compiler, op *ast.TakeOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	v, err := c.constant(op.N, sc)
	if err != nil {
		return nil, err
	}
	n := value.Convert(v, types.Long)
	if n.IsNull() || n.I < 0 {
		return nil, errorf(op.N.Pos(), op.Word, "row count must be a non-negative number, not %s", v)
	}
	return &takePlan{in: in, n: int(n.I)}, nil
}

type takePlan struct {
	in plan
	n  int
}

func (p *takePlan) schema() *types.Schema { return p.in.schema() }

func (p *takePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &takeStream{in: s, left: p.n}, nil
}

type takeStream struct {
	in   Stream
	left int
}

func (s *takeStream) Schema() *types.Schema { return s.in.Schema() }

func (s *takeStream) Next(ctx context.Context) (*Batch, error) {
	if s.left <= 0 {
		return nil, io.EOF
	}
	b, err := s.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	if b.N > s.left {
		b = b.Slice(0, s.left)
	}
	s.left -= b.N
	return b, nil
}
