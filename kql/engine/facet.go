package engine

// This file implements facet: one table per named column, with each
// value of the column and its count (Col, count_Col), values in order of
// first appearance; with (…) adds, first, the table of a sub-query over
// the input. See multiPlan for how several tables are returned.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileFacet) }

func compileFacet(c *compiler, op *ast.FacetOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	shared := &materializePlan{in: in}
	p := &forkPlan{}
	if op.Body != nil {
		child := newScope(sc)
		child.input = shared
		body, err := c.tabular(op.Body, child)
		if err != nil {
			return nil, err
		}
		p.branches = append(p.branches, body)
	}
	for _, id := range op.Cols {
		hits := matchColumns(in.schema(), id.Name)
		if len(hits) == 0 {
			return nil, errorf(id.Pos(), op.Word, "unknown column %s", id.Name)
		}
		for _, i := range hits {
			col := in.schema().Columns[i]
			p.branches = append(p.branches, &facetPlan{in: shared, col: i, s: &types.Schema{Columns: []types.Column{
				col, {Name: "count_" + col.Name, Type: types.Long},
			}}})
		}
	}
	if len(p.branches) == 0 {
		return nil, errorf(op.Pos(), op.Word, "needs at least one column")
	}
	return p, nil
}

// facetPlan counts the rows of each value of one column.
type facetPlan struct {
	in  plan
	col int
	s   *types.Schema
}

func (p *facetPlan) schema() *types.Schema { return p.s }

func (p *facetPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	b, err := runPlan(ctx, rt, p.in)
	if err != nil {
		return nil, err
	}
	col := plannedCol(b, p.in.schema(), p.col)
	groups, firsts := groupRows(col)
	out := NewBatch(p.s, len(groups))
	for g, rows := range groups {
		out.Cols[0].Append(col.Value(firsts[g]))
		out.Cols[1].Append(value.OfLong(int64(len(rows))))
	}
	out.N = len(groups)
	return NewBatchStream(p.s, out), nil
}
