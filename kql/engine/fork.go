package engine

// This file implements fork: several sub-queries over the same input,
// each giving its own result table. A statement's plan yields one table
// to Run; a plan that can yield more (fork, facet) also implements
// multiPlan, whose first table is the one schema and open describe.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileFork) }

// multiPlan is a plan whose statement yields several result tables.
type multiPlan interface {
	plan
	// tables runs every branch and returns their results in order.
	tables(ctx context.Context, rt *runtime) ([]*Batch, error)
}

func compileFork(c *compiler, op *ast.ForkOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	if len(op.Branches) == 0 {
		return nil, errorf(op.Pos(), op.Word, "needs at least one sub-query")
	}
	shared := &materializePlan{in: in}
	p := &forkPlan{}
	for _, br := range op.Branches {
		child := newScope(sc)
		child.input = shared
		bp, err := c.tabular(br.Body, child)
		if err != nil {
			return nil, err
		}
		p.branches = append(p.branches, bp)
	}
	return p, nil
}

// forkPlan runs its branches over a shared, materialized input.
type forkPlan struct{ branches []plan }

func (p *forkPlan) schema() *types.Schema { return p.branches[0].schema() }

func (p *forkPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	return p.branches[0].open(ctx, rt)
}

func (p *forkPlan) tables(ctx context.Context, rt *runtime) ([]*Batch, error) {
	return runAll(ctx, rt, p.branches)
}

// runAll runs plans one after the other.
func runAll(ctx context.Context, rt *runtime, plans []plan) ([]*Batch, error) {
	out := make([]*Batch, 0, len(plans))
	for _, p := range plans {
		b, err := runPlan(ctx, rt, p)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
