package engine

// This file implements top N by keys without sorting the input: rows are
// kept only while they beat the current N-th best row, and the kept set
// is cut back to N whenever it doubles, so the work is linear in the input
// plus N log N per cut. It also implements top-hitters, the N most
// frequent values of an expression (counted exactly here).

import (
	"context"
	"io"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(compileTop)
	registerOp(compileTopHitters)
}

func compileTop(c *compiler, op *ast.TopOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	n, err := c.rowCount(op.Word, op.N, sc)
	if err != nil {
		return nil, err
	}
	keys, err := c.sortKeys(op.Word, op.Keys, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	return &topPlan{in: in, n: n, keys: keys, s: markSerial(in.schema().Clone())}, nil
}

// rowCount evaluates a constant, non-negative row count.
func (c *compiler) rowCount(what string, x ast.Expr, sc *scope) (int, error) {
	v, err := c.constant(x, sc)
	if err != nil {
		return 0, err
	}
	n := value.Convert(v, types.Long)
	if n.IsNull() || n.I < 0 {
		return 0, errorf(x.Pos(), what, "row count must be a non-negative number, not %s", v)
	}
	return int(min(n.I, 1<<40)), nil
}

type topPlan struct {
	in   plan
	n    int
	keys []sortKey
	s    *types.Schema
}

func (p *topPlan) schema() *types.Schema { return p.s }

func (p *topPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	t := &topN{keys: p.keys, n: p.n, worst: -1}
	t.kept = NewBatch(p.s, 0)
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
		if err := t.add(rt, b); err != nil {
			return nil, err
		}
	}
	t.cut()
	return NewBatchStream(t.kept.Schema, t.kept), nil
}

// topN is the running state of one top: candidate rows (copied out of
// their batches) with their key values, and the row that is currently
// N-th best (worst), once known.
type topN struct {
	keys     []sortKey
	n        int
	kept     *Batch
	keptKeys []*value.Column
	worst    int
	idx      []int
}

// add keeps the rows of b that beat the current N-th row.
func (t *topN) add(rt *runtime, b *Batch) error {
	if t.n == 0 {
		return nil
	}
	cols, err := evalKeys(rt, t.keys, b)
	if err != nil {
		return err
	}
	t.idx = t.idx[:0]
	if t.worst < 0 {
		for i := 0; i < b.N; i++ {
			t.idx = append(t.idx, i)
		}
	} else {
		t.idx = t.filter(cols, b.N)
	}
	if len(t.idx) == 0 {
		return nil
	}
	rows := b.Gather(t.idx)
	if t.keptKeys == nil {
		t.keptKeys = make([]*value.Column, len(cols))
		for k, c := range cols {
			t.keptKeys[k] = value.NewColumn(c.Type, 0)
		}
	}
	for k, c := range cols {
		t.keptKeys[k].AppendColumn(c.Gather(t.idx))
	}
	for k, c := range rows.Cols {
		t.kept.Cols[k].AppendColumn(c)
	}
	t.kept.N += rows.N
	if t.kept.N >= 2*t.n+BatchSize {
		t.cut()
	}
	return nil
}

// filter returns the rows of cols strictly better than the N-th kept row.
func (t *topN) filter(cols []*value.Column, n int) []int {
	w := t.worst
	if len(t.keys) == 1 {
		c, kc := cols[0], t.keptKeys[0]
		if c.Ints != nil && c.Nulls == nil && kc.Ints != nil && !kc.IsNull(w) {
			th, desc := kc.Ints[w], t.keys[0].desc
			for i, v := range c.Ints[:n] {
				if desc && v > th || !desc && v < th {
					t.idx = append(t.idx, i)
				}
			}
			return t.idx
		}
	}
	for i := 0; i < n; i++ {
		if compareRows(t.keys, cols, i, t.keptKeys, w) < 0 {
			t.idx = append(t.idx, i)
		}
	}
	return t.idx
}

// cut sorts the kept rows and keeps the best N.
func (t *topN) cut() {
	if t.kept.N == 0 {
		return
	}
	order := sortedOrder(t.keys, t.keptKeys, t.kept.N)
	if len(order) > t.n {
		order = order[:t.n]
	}
	t.kept = t.kept.Gather(order)
	for k, c := range t.keptKeys {
		t.keptKeys[k] = c.Gather(order)
	}
	t.worst = -1
	if t.kept.N == t.n {
		t.worst = t.n - 1
	}
}

func compileTopHitters(c *compiler, op *ast.TopHittersOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	n, err := c.rowCount(op.Word, op.N, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	names := newColNames(op.Word, inSchema)
	keys, err := c.groupKeys([]*ast.ColumnDef{{X: op.Col}}, inSchema, names, sc)
	if err != nil {
		return nil, err
	}
	agg := &ast.CallExpr{Fun: &ast.Ident{NamePos: op.Pos(), Name: "count"}, Lparen: op.Pos(), Rparen: op.Pos()}
	name := "approximate_count_" + keys[0].name
	if op.Weight != nil {
		agg.Fun.Name, agg.Args = "sum", []ast.Expr{op.Weight}
		name = "approximate_sum_" + derivedName(op.Weight)
	}
	def := &ast.ColumnDef{Names: []*ast.Ident{{NamePos: op.Pos(), Name: name}}, X: agg}
	aggs, err := c.aggregation(op.Word, []*ast.ColumnDef{def}, inSchema, keys, names, sc)
	if err != nil {
		return nil, err
	}
	sum := &summarizePlan{in: in, keys: keys, aggs: aggs, s: names.s}
	order := []sortKey{{e: &colExpr{idx: 1, typ: names.s.Columns[1].Type}, desc: true}}
	return &topPlan{in: sum, n: n, keys: order, s: markSerial(names.s.Clone())}, nil
}
