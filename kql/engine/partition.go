package engine

// This file implements partition: the input is split by the values of a
// column (in order of first appearance, null being a value), the
// sub-query runs on each part, and the results are appended. In the
// parenthesized form the part is the sub-query's implied input; in the
// braced form (legacy, with its own source) the sub-query reads the
// partition's key as a scalar by the column's name, at most 64 parts.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compilePartition) }

// maxLegacyPartitions is Kusto's limit on parts for a sub-query with its
// own source.
const maxLegacyPartitions = 64

func compilePartition(c *compiler, op *ast.PartitionOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	id, ok := op.Col.(*ast.Ident)
	if !ok {
		return nil, errorf(op.Col.Pos(), op.Word, "expected a column name")
	}
	key := in.schema().Index(id.Name)
	if key < 0 {
		return nil, errorf(id.Pos(), op.Word, "unknown column %s", id.Name)
	}
	if op.Body == nil {
		return nil, errorf(op.Pos(), op.Word, "needs a sub-query")
	}
	p := &partitionPlan{in: in, key: key, legacy: op.Brace}
	p.sub = &subTablePlan{s: in.schema()}
	p.cur = &partitionKeyExpr{typ: in.schema().Columns[key].Type}
	child := newScope(sc)
	child.input = p.sub
	if op.Brace {
		child.input = nil
		child.bind(id.Name, &binding{expr: p.cur})
	}
	if p.body, err = c.tabular(op.Body, child); err != nil {
		return nil, err
	}
	return p, nil
}

type partitionPlan struct {
	in     plan
	key    int
	legacy bool
	sub    *subTablePlan
	cur    *partitionKeyExpr
	body   plan
}

func (p *partitionPlan) schema() *types.Schema { return p.body.schema() }

func (p *partitionPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	b, err := runPlan(ctx, rt, p.in)
	if err != nil {
		return nil, err
	}
	groups, firsts := groupRows(plannedCol(b, p.in.schema(), p.key))
	if p.legacy && len(groups) > maxLegacyPartitions {
		return nil, errorf(0, "partition", "a sub-query with its own source allows at most %d partitions, not %d", maxLegacyPartitions, len(groups))
	}
	var out []*Batch
	for g, rows := range groups {
		p.sub.b = b.Gather(rows)
		p.cur.v = plannedCol(b, p.in.schema(), p.key).Value(firsts[g])
		res, err := runPlan(ctx, rt, p.body)
		p.sub.b = nil
		if err != nil {
			return nil, err
		}
		if res.N > 0 {
			out = append(out, res)
		}
	}
	return NewBatchStream(p.body.schema(), out...), nil
}

// groupRows groups row positions by value, groups in order of first
// appearance; firsts holds each group's first row.
func groupRows(c *value.Column) (groups [][]int, firsts []int) {
	index := map[string]int{}
	var kb []byte
	for i := 0; i < c.Len(); i++ {
		kb = appendGroupKey(kb[:0], c, i)
		g, ok := index[string(kb)]
		if !ok {
			g = len(groups)
			index[string(kb)] = g
			groups = append(groups, nil)
			firsts = append(firsts, i)
		}
		groups[g] = append(groups[g], i)
	}
	return groups, firsts
}

// appendGroupKey encodes row i of c so that equal values (and nulls)
// encode alike.
func appendGroupKey(dst []byte, c *value.Column, i int) []byte {
	if c.IsNull(i) {
		return append(dst, 0)
	}
	if c.Type == types.String {
		return append(append(dst, 1), c.Strs[i]...)
	}
	return value.AppendJSON(append(dst, 2), c.Value(i).ToDynamic())
}

// partitionKeyExpr is the current partition's key, read by name inside a
// braced sub-query.
type partitionKeyExpr struct {
	typ types.Type
	v   value.Value
}

func (e *partitionKeyExpr) Type() types.Type { return e.typ }

func (e *partitionKeyExpr) eval(rt *runtime, b *Batch) (*value.Column, error) {
	return value.Const(e.v, b.N), nil
}
