package engine

// This file implements sort/order by: a stable multi-key sort of the whole
// input, and the row order that top and top-nested share. Keys default to
// descending; nulls (and NaN, which sorts with them) come first in
// ascending order and last in descending order unless "nulls first/last"
// says otherwise.

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileSort) }

func compileSort(c *compiler, op *ast.SortOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	keys, err := c.sortKeys(op.Word, op.Keys, in.schema(), sc)
	if err != nil {
		return nil, err
	}
	return &sortPlan{in: in, keys: keys, s: markSerial(in.schema().Clone())}, nil
}

// sortKey is one compiled key of sort, top or top-nested.
type sortKey struct {
	e          expr
	desc       bool
	nullsFirst bool
}

// sortKeys compiles sort keys over rows of in.
func (c *compiler) sortKeys(what string, keys []*ast.SortKey, in *types.Schema, sc *scope) ([]sortKey, error) {
	var out []sortKey
	for _, k := range keys {
		e, err := c.expr(k.X, in, sc)
		if err != nil {
			return nil, err
		}
		sk := sortKey{e: e, desc: !strings.EqualFold(k.Order, "asc")}
		sk.nullsFirst = !sk.desc
		switch strings.ToLower(k.Nulls) {
		case "first":
			sk.nullsFirst = true
		case "last":
			sk.nullsFirst = false
		}
		if k.Order != "" && !strings.EqualFold(k.Order, "asc") && !strings.EqualFold(k.Order, "desc") {
			return nil, errorf(k.OrderPos, what, "unknown sort order %s", k.Order)
		}
		out = append(out, sk)
	}
	return out, nil
}

// nullRank places null (0) and NaN (1) apart from values (2).
func nullRank(c *value.Column, i int) int {
	if c.IsNull(i) {
		return 0
	}
	if c.Reals != nil && math.IsNaN(c.Reals[i]) {
		return 1
	}
	return 2
}

// compareKey orders row i of a against row j of b under key k: negative
// when row i comes first.
func compareKey(k *sortKey, a *value.Column, i int, b *value.Column, j int) int {
	ra, rb := nullRank(a, i), nullRank(b, j)
	if ra != 2 || rb != 2 {
		if k.nullsFirst {
			return cmp.Compare(ra, rb)
		}
		return cmp.Compare(rb, ra)
	}
	var r int
	switch {
	case a.Ints != nil && b.Ints != nil:
		r = cmp.Compare(a.Ints[i], b.Ints[j])
	case a.Strs != nil && b.Strs != nil:
		r = strings.Compare(a.Strs[i], b.Strs[j])
	case a.Reals != nil && b.Reals != nil:
		r = cmp.Compare(a.Reals[i], b.Reals[j])
	case a.Type == b.Type:
		r = aggregate.Compare(a.Value(i), b.Value(j))
	default:
		r = aggregate.CompareDynamic(a.Value(i).ToDynamic(), b.Value(j).ToDynamic())
	}
	if k.desc {
		return -r
	}
	return r
}

// compareRows orders row i of key columns a against row j of b.
func compareRows(keys []sortKey, a []*value.Column, i int, b []*value.Column, j int) int {
	for k := range keys {
		if r := compareKey(&keys[k], a[k], i, b[k], j); r != 0 {
			return r
		}
	}
	return 0
}

// evalKeys evaluates the sort keys over b.
func evalKeys(rt *runtime, keys []sortKey, b *Batch) ([]*value.Column, error) {
	cols := make([]*value.Column, len(keys))
	for k := range keys {
		col, err := keys[k].e.eval(rt, b)
		if err != nil {
			return nil, err
		}
		cols[k] = col
	}
	return cols, nil
}

// sortedOrder returns the row indices of cols in key order; equal rows
// keep their input order.
func sortedOrder(keys []sortKey, cols []*value.Column, n int) []int {
	if len(keys) == 1 && cols[0].Ints != nil && cols[0].Nulls == nil {
		return sortedInts(cols[0].Ints[:n], keys[0].desc)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		if r := compareRows(keys, cols, i, cols, j); r != 0 {
			return r
		}
		return cmp.Compare(i, j)
	})
	return idx
}

// sortedInts orders rows by one integer key without nulls: pairs of key
// and row sort with no indirection.
func sortedInts(vals []int64, desc bool) []int {
	type pair struct {
		k int64
		i int
	}
	ps := make([]pair, len(vals))
	for i, v := range vals {
		ps[i] = pair{v, i}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		r := cmp.Compare(a.k, b.k)
		if desc {
			r = -r
		}
		if r != 0 {
			return r
		}
		return cmp.Compare(a.i, b.i)
	})
	idx := make([]int, len(ps))
	for i, p := range ps {
		idx[i] = p.i
	}
	return idx
}

type sortPlan struct {
	in   plan
	keys []sortKey
	s    *types.Schema
}

func (p *sortPlan) schema() *types.Schema { return p.s }

// open reads the whole input and emits it sorted, as one batch so that
// window functions downstream see the serialized rows together.
func (p *sortPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	all, err := runPlan(ctx, rt, p.in)
	if err != nil {
		return nil, err
	}
	cols, err := evalKeys(rt, p.keys, all)
	if err != nil {
		return nil, err
	}
	out := all.Gather(sortedOrder(p.keys, cols, all.N))
	out.Schema = p.s
	return NewBatchStream(p.s, out), nil
}
