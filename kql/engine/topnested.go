package engine

// This file implements top-nested: hierarchical aggregation. Each level
// partitions the rows of every partition of the level before by its
// expression, aggregates each part, and keeps the best N parts (all of
// them without N). Each level adds two columns: its value and its
// aggregate (aggregated_<column> unless named). A level with "with others
// = X" adds, per partition, a row for the rows left out of its top N,
// whose value is X and whose aggregate covers those rows; deeper levels
// of such a row are empty, or "others" rows themselves when they ask for
// them. Others rows follow the regular ones, deepest level first.

import (
	"context"
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileTopNested) }

// nestedLevel is one compiled top-nested clause.
type nestedLevel struct {
	n      int // -1: all
	key    groupKey
	agg    *aggregation
	others *value.Value
	desc   bool
}

func compileTopNested(c *compiler, op *ast.TopNestedOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	names := newColNames(op.Word, inSchema)
	p := &topNestedPlan{in: in}
	for _, l := range op.Levels {
		lv := nestedLevel{n: -1, desc: !strings.EqualFold(l.Order, "asc")}
		if l.N != nil {
			if lv.n, err = c.rowCount(op.Word, l.N, sc); err != nil {
				return nil, err
			}
		}
		keys, err := c.groupKeys([]*ast.ColumnDef{l.Col}, inSchema, names, sc)
		if err != nil {
			return nil, err
		}
		lv.key = keys[0]
		if l.Others != nil {
			v, err := c.constant(l.Others, sc)
			if err != nil {
				return nil, err
			}
			v = value.Convert(v, lv.key.typ)
			lv.others = &v
		}
		def := l.Agg
		if len(def.Names) == 0 {
			cp := *def
			cp.Names = []*ast.Ident{{NamePos: def.Pos(), Name: "aggregated_" + lv.key.name, EndPos: def.Pos()}}
			def = &cp
		}
		if lv.agg, err = c.aggregation(op.Word, []*ast.ColumnDef{def}, inSchema, nil, names, sc); err != nil {
			return nil, err
		}
		if len(lv.agg.outs) != 1 {
			return nil, errorf(l.Agg.Pos(), op.Word, "the aggregation of a level yields one column")
		}
		p.levels = append(p.levels, lv)
	}
	p.s = names.s
	return p, nil
}

type topNestedPlan struct {
	in     plan
	levels []nestedLevel
	s      *types.Schema
}

func (p *topNestedPlan) schema() *types.Schema { return p.s }

// nestedPart is a partition: the rows that reached a level, with the
// values and aggregates of the levels above.
type nestedPart struct{ path []value.Value }

// nestedBucket is the rows of one partition left out of a level's top N,
// with the partition's path.
type nestedBucket struct {
	path []value.Value
	rows []int
}

func (p *topNestedPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	all, err := runPlan(ctx, rt, p.in)
	if err != nil {
		return nil, err
	}
	partOf := make([]int32, all.N) // partition of each row, -1 once dropped
	parts := []nestedPart{{}}
	buckets := make([][]nestedBucket, len(p.levels))
	for l := range p.levels {
		var err error
		parts, buckets[l], err = p.level(rt, all, l, parts, partOf)
		if err != nil {
			return nil, err
		}
	}
	out := NewBatch(p.s, len(parts))
	for _, part := range parts {
		appendRow(out, part.path)
	}
	for l := len(p.levels) - 1; l >= 0; l-- {
		if err := p.othersRows(rt, all, l, buckets[l], out); err != nil {
			return nil, err
		}
	}
	return NewBatchStream(p.s, out), nil
}

func appendRow(b *Batch, row []value.Value) {
	for k, v := range row {
		b.Cols[k].Append(v)
	}
	b.N++
}

// level splits every partition by level l's key, keeps the best parts as
// the partitions of the next level and returns the rows left out.
func (p *topNestedPlan) level(rt *runtime, all *Batch, l int, parts []nestedPart, partOf []int32) ([]nestedPart, []nestedBucket, error) {
	lv := &p.levels[l]
	keyCol, err := lv.key.e.eval(rt, all)
	if err != nil {
		return nil, nil, err
	}
	if keyCol.Type != lv.key.typ {
		keyCol = convertColumn(keyCol, lv.key.typ)
	}
	partCol := &value.Column{Type: types.Long, Ints: make([]int64, all.N)}
	for i, pt := range partOf {
		partCol.Ints[i] = int64(pt)
	}
	groups := aggregate.NewGroups([]types.Type{types.Long, lv.key.typ})
	gid := groups.Assign([]*value.Column{partCol, keyCol}, all.N)
	gid = append([]int32(nil), gid...)
	for i, pt := range partOf {
		if pt < 0 {
			gid[i] = -1
		}
	}
	aggs, err := evalAggregation(rt, lv.agg, all, gid, groups.Len())
	if err != nil {
		return nil, nil, err
	}
	// Rank the groups of each partition by their aggregate.
	byPart := make([][]int, len(parts))
	owner := groups.Keys()[0].Ints
	for g := 0; g < groups.Len(); g++ {
		if pt := owner[g]; pt >= 0 {
			byPart[pt] = append(byPart[pt], g)
		}
	}
	order := sortKey{desc: lv.desc, nullsFirst: !lv.desc}
	keep := make([]int32, groups.Len()) // new partition of each group, -1 if left out
	var next []nestedPart
	for pt, gs := range byPart {
		slices.SortStableFunc(gs, func(a, b int) int { return compareKey(&order, aggs, a, aggs, b) })
		for rank, g := range gs {
			if lv.n >= 0 && rank >= lv.n {
				keep[g] = -1
				continue
			}
			keep[g] = int32(len(next))
			path := append(append([]value.Value(nil), parts[pt].path...), groups.Keys()[1].Value(g), aggs.Value(g))
			next = append(next, nestedPart{path: path})
		}
	}
	// The rows left out, by partition, in partition order.
	byOld := make([][]int, len(parts))
	for i, g := range gid {
		if g < 0 {
			continue
		}
		old := partOf[i]
		partOf[i] = keep[g]
		if keep[g] < 0 && p.othersFrom(l) {
			byOld[old] = append(byOld[old], i)
		}
	}
	var left []nestedBucket
	for pt, rows := range byOld {
		if len(rows) > 0 {
			left = append(left, nestedBucket{path: parts[pt].path, rows: rows})
		}
	}
	return next, left, nil
}

// othersFrom reports whether level l or a deeper one asks for others.
func (p *topNestedPlan) othersFrom(l int) bool {
	for _, lv := range p.levels[l:] {
		if lv.others != nil {
			return true
		}
	}
	return false
}

// othersRows adds the others rows of level l's buckets: the partition's
// path, then for each level from l the others value and the aggregate of
// the bucket where the level asks for others, nulls elsewhere.
func (p *topNestedPlan) othersRows(rt *runtime, all *Batch, l int, buckets []nestedBucket, out *Batch) error {
	if len(buckets) == 0 {
		return nil
	}
	gid := make([]int32, all.N)
	for i := range gid {
		gid[i] = -1
	}
	for b, bk := range buckets {
		for _, r := range bk.rows {
			gid[r] = int32(b)
		}
	}
	rows := make([][]value.Value, len(buckets))
	for b, bk := range buckets {
		rows[b] = append([]value.Value(nil), bk.path...)
	}
	for k := l; k < len(p.levels); k++ {
		lv := &p.levels[k]
		if lv.others == nil {
			for b := range rows {
				rows[b] = append(rows[b], value.Null(lv.key.typ), value.Null(lv.agg.outs[0].Type()))
			}
			continue
		}
		aggs, err := evalAggregation(rt, lv.agg, all, gid, len(buckets))
		if err != nil {
			return err
		}
		for b := range rows {
			rows[b] = append(rows[b], *lv.others, aggs.Value(b))
		}
	}
	for _, row := range rows {
		appendRow(out, row)
	}
	return nil
}

// evalAggregation evaluates a key-less aggregation over the rows of b in
// groups gid (-1: no group), returning its single output per group.
func evalAggregation(rt *runtime, a *aggregation, b *Batch, gid []int32, ngroups int) (*value.Column, error) {
	var idx []int
	var groups []int32
	for i, g := range gid {
		if g >= 0 {
			idx = append(idx, i)
			groups = append(groups, g)
		}
	}
	rows := b
	if len(idx) < b.N {
		rows = b.Gather(idx)
	}
	mid := &Batch{Schema: a.mid, N: ngroups}
	for _, ac := range a.calls {
		fn := ac.fresh()
		fn.Grow(ngroups)
		args := make([]*value.Column, len(ac.args))
		for k, e := range ac.args {
			if e == nil {
				continue
			}
			col, err := e.eval(rt, rows)
			if err != nil {
				return nil, err
			}
			args[k] = col
		}
		fn.Update(groups, args, rows.N)
		for k, t := range fn.Types() {
			col := value.NewColumn(t, ngroups)
			for g := 0; g < ngroups; g++ {
				col.Append(aggregate.ResultAt(fn, g, k))
			}
			mid.Cols = append(mid.Cols, col)
		}
	}
	col, err := a.outs[0].eval(rt, mid)
	if err != nil {
		return nil, err
	}
	if t := runtimeType(a.outs[0].Type()); col.Type != t {
		col = convertColumn(col, t)
	}
	return col, nil
}
