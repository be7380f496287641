package engine

// This file implements wholePlan, the shape of the operators and plugins
// that need every input row before they can emit any (reduce,
// rolling_percentile, session_count, …): collect the input, compute, emit.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/types"
)

// wholePlan runs f over all rows of in at once; f's batch has schema s.
type wholePlan struct {
	in plan
	s  *types.Schema
	f  func(rt *runtime, b *Batch) (*Batch, error)
}

func (p *wholePlan) schema() *types.Schema { return p.s }

func (p *wholePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	b, err := runPlan(ctx, rt, p.in)
	if err != nil {
		return nil, err
	}
	out, err := p.f(rt, b)
	if err != nil {
		return nil, err
	}
	return NewBatchStream(p.s, splitBatch(out)...), nil
}
