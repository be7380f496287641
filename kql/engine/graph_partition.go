package engine

// This file implements make-graph's partitioned-by clause: one graph per
// value of the partition column (taken from the edge table and every node
// table), each run through the clause's graph operators, the results
// concatenated.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// graphSlot is the implied input of the partitioned-by body: the graph of
// the partition being run.
type graphSlot struct {
	graphValue
	sh *graphShape
	g  *graph
}

func (s *graphSlot) shape() *graphShape { return s.sh }

func (s *graphSlot) build(context.Context, *runtime) (*graph, error) {
	if s.g == nil {
		return nil, errorf(0, "make-graph", "partition graph used outside its partitioned-by clause")
	}
	return s.g, nil
}

// partitionedGraphPlan runs body over the graph of each partition.
type partitionedGraphPlan struct {
	mg       *makeGraphPlan
	edgeCol  int   // partition column of the edge table
	nodeCols []int // partition column of each node table
	slot     *graphSlot
	body     plan
}

func (c *compiler) partitionedGraph(op *ast.MakeGraphOp, mg *makeGraphPlan, sc *scope) (plan, error) {
	p := &partitionedGraphPlan{mg: mg, slot: &graphSlot{graphValue: graphValue{op.Word, op.Pos()}, sh: mg.sh}}
	var err error
	if p.edgeCol, err = graphColumn(op, mg.edges.schema(), op.PartCol); err != nil {
		return nil, err
	}
	for _, t := range mg.nodes {
		j, err := graphColumn(op, t.p.schema(), op.PartCol)
		if err != nil {
			return nil, err
		}
		p.nodeCols = append(p.nodeCols, j)
	}
	if op.Body == nil {
		return nil, errorf(op.Partition, op.Word, "partitioned-by needs graph operators in parentheses")
	}
	child := newScope(sc)
	child.input = p.slot
	if p.body, err = c.tabular(op.Body, child); err != nil {
		return nil, err
	}
	if _, ok := p.body.(graphPlan); ok {
		return nil, errorf(op.Body.Pos(), op.Word, "the partitioned-by clause must end with graph-match, graph-shortest-paths or graph-to-table")
	}
	return p, nil
}

func (p *partitionedGraphPlan) schema() *types.Schema { return p.body.schema() }

func (p *partitionedGraphPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	eb, err := runPlan(ctx, rt, p.mg.edges)
	if err != nil {
		return nil, err
	}
	nbs := make([]*Batch, len(p.mg.nodes))
	for i, t := range p.mg.nodes {
		if nbs[i], err = runPlan(ctx, rt, t.p); err != nil {
			return nil, err
		}
	}
	parts := newPartitioner()
	parts.add(eb, p.edgeCol, 0, len(nbs)+1)
	for i, nb := range nbs {
		parts.add(nb, p.nodeCols[i], i+1, len(nbs)+1)
	}
	var out []*Batch
	for _, rows := range parts.rows {
		sub := make([]*Batch, len(nbs))
		for i, nb := range nbs {
			sub[i] = nb.Gather(rows[i+1])
		}
		p.slot.g = p.mg.assemble(eb.Gather(rows[0]), sub)
		b, err := runPlan(ctx, rt, p.body)
		p.slot.g = nil
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return NewBatchStream(p.schema(), out...), nil
}

// partitioner groups the rows of several tables by a key column, keys in
// order of first appearance.
type partitioner struct {
	index map[string]int
	rows  [][][]int // per partition, per table, row numbers
}

func newPartitioner() *partitioner { return &partitioner{index: map[string]int{}} }

// add files the rows of table number t (of n) under their keys.
func (ps *partitioner) add(b *Batch, col, t, n int) {
	for r := 0; r < b.N; r++ {
		v := b.Cols[col].Value(r)
		k := "null"
		if !v.IsNull() {
			k = nodeKey(v)
		}
		i, ok := ps.index[k]
		if !ok {
			i = len(ps.rows)
			ps.index[k] = i
			ps.rows = append(ps.rows, make([][]int, n))
		}
		ps.rows[i][t] = append(ps.rows[i][t], r)
	}
}
