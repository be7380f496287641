package engine

// This file implements as: binds a name to the pipeline's result for the
// operators after it in the same query (a union or join referring to it,
// union's withsource column). With hint.materialized=true the result is
// computed once however often the name is used.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() { registerOp(compileAs) }

func compileAs(c *compiler, op *ast.AsOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	materialized := false
	for _, p := range op.Params {
		if p.Name.Name == "hint.materialized" {
			v, err := c.constValue(p.Value, sc)
			if err != nil {
				return nil, err
			}
			materialized = v.Type == types.Bool && v.B
		}
	}
	if materialized {
		in = &materializePlan{in: in}
	}
	p := &asPlan{in: in, name: op.Table.Name}
	sc.bind(op.Table.Name, &binding{tab: p})
	return p, nil
}

// asPlan passes its input through under a name.
type asPlan struct {
	in   plan
	name string
}

func (p *asPlan) schema() *types.Schema { return p.in.schema() }

func (p *asPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	return p.in.open(ctx, rt)
}
