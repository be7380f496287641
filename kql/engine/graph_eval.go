package engine

// This file evaluates the columns graph-match and graph-shortest-paths
// compute for their rewritten expressions (see graph_expr.go): level by
// level, a batch of rows per match or per element of a sequence.

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// grows describes the rows of a level's batch: the match of each row
// and, below level 0, its element and its row in the parent batch.
type grows struct {
	match, elem, parent []int
}

// batch computes the columns of level lv for rows. Quantifiers of level
// 0 not in need are left null (need nil: all).
func (g *gexprs) batch(rt *runtime, gr *graph, ms []pmatch, lv int, rows grows, parent *Batch, need map[int]bool) (*Batch, error) {
	l := g.levels[lv]
	n := len(rows.match)
	b := &Batch{Schema: l.schema, Cols: make([]*value.Column, 0, len(l.schema.Columns)), N: n}
	if l.parent >= 0 {
		for k := 0; k < g.levels[l.parent].plain; k++ {
			b.Cols = append(b.Cols, parent.Cols[k].Gather(rows.parent))
		}
	}
	for _, i := range l.own {
		b.Cols = append(b.Cols, g.plainColumn(gr, ms, g.items[i], rows))
	}
	for _, i := range l.quants {
		if lv == 0 && need != nil && !need[i] {
			b.Cols = append(b.Cols, value.NullColumn(g.items[i].typ, n))
			continue
		}
		col, err := g.quant(rt, gr, ms, g.items[i], rows, b)
		if err != nil {
			return nil, err
		}
		b.Cols = append(b.Cols, col)
	}
	return b, nil
}

// plainColumn computes an item that is not a quantifier.
func (g *gexprs) plainColumn(gr *graph, ms []pmatch, it *gitem, rows grows) *value.Column {
	idx := rows.elem
	if it.v >= 0 {
		idx = make([]int, len(rows.match))
		for r, m := range rows.match {
			switch {
			case it.kind == giList:
			case it.node:
				idx[r] = ms[m].nodes[it.v]
			default:
				idx[r] = ms[m].edges[it.v][0]
			}
		}
	}
	if it.kind == giList {
		return g.listColumn(gr, ms, it, rows)
	}
	return g.read(gr, it, idx)
}

// read computes a plain item for the nodes or edges at idx.
func (g *gexprs) read(gr *graph, it *gitem, idx []int) *value.Column {
	var col *value.Column
	switch it.kind {
	case giProp:
		src := gr.edges
		if it.node {
			src = gr.nodes
		}
		col = src.Cols[it.col].Gather(idx)
	case giID:
		col = gr.ids.Gather(idx)
	case giDegIn, giDegOut:
		adj := gr.in
		if it.kind == giDegOut {
			adj = gr.out
		}
		col = &value.Column{Type: types.Long, Ints: make([]int64, len(idx))}
		for r, i := range idx {
			col.Ints[r] = int64(len(adj[i]))
		}
	case giLabels:
		col = &value.Column{Type: types.Dynamic, Dyns: make([]any, len(idx))}
		for r := range idx {
			col.Dyns[r] = []any{}
		}
	case giBag:
		src := gr.edges
		if it.node {
			src = gr.nodes
		}
		col = &value.Column{Type: types.Dynamic, Dyns: make([]any, len(idx))}
		for r, i := range idx {
			col.Dyns[r] = rowBag(src, i)
		}
	}
	if col.Type != it.typ {
		col = convertColumn(col, it.typ)
	}
	return col
}

// listColumn is the array of a property (or of the property bags) over
// each match's sequence.
func (g *gexprs) listColumn(gr *graph, ms []pmatch, it *gitem, rows grows) *value.Column {
	col := &value.Column{Type: types.Dynamic, Dyns: make([]any, len(rows.match))}
	for r, m := range rows.match {
		es := ms[m].edges[it.v]
		arr := make([]any, len(es))
		for k, e := range es {
			if it.col < 0 {
				arr[k] = rowBag(gr.edges, e)
			} else {
				arr[k] = gr.edges.Cols[it.col].Value(e).ToDynamic()
			}
		}
		col.Dyns[r] = arr
	}
	return col
}

// rowBag packs row r of b into a property bag.
func rowBag(b *Batch, r int) *value.Bag {
	bag := value.NewBag(len(b.Cols))
	for j, c := range b.Cols {
		bag.Set(b.Schema.Columns[j].Name, c.Value(r).ToDynamic())
	}
	return bag
}

// quant evaluates all(), any() or map() for the rows of batch b.
func (g *gexprs) quant(rt *runtime, gr *graph, ms []pmatch, it *gitem, rows grows, b *Batch) (*value.Column, error) {
	cl := g.levels[it.q.child]
	var child grows
	for r, m := range rows.match {
		seq := ms[m].edges[cl.v]
		if cl.inner {
			seq = ms[m].inner[cl.v]
		}
		for _, el := range seq {
			child.match = append(child.match, m)
			child.elem = append(child.elem, el)
			child.parent = append(child.parent, r)
		}
	}
	cb, err := g.batch(rt, gr, ms, it.q.child, child, b, nil)
	if err != nil {
		return nil, err
	}
	vals, err := it.q.x.eval(rt, cb)
	if err != nil {
		return nil, err
	}
	return aggregateSeq(it.q.fn, vals, child.parent, len(rows.match)), nil
}

// aggregateSeq folds the values of each parent row's elements (rows of
// vals with that parent, contiguous) into one value per parent row.
func aggregateSeq(fn string, vals *value.Column, parent []int, n int) *value.Column {
	typ := types.Bool
	if fn == "map" {
		typ = types.Dynamic
	}
	out := value.NewColumn(typ, n)
	j := 0
	for r := 0; r < n; r++ {
		all, anyTrue, arr := true, false, []any{}
		for ; j < len(parent) && parent[j] == r; j++ {
			t := truthy(vals, j)
			all, anyTrue = all && t, anyTrue || t
			if fn == "map" {
				arr = append(arr, vals.Value(j).ToDynamic())
			}
		}
		switch fn {
		case "all":
			out.Append(value.OfBool(all))
		case "any":
			out.Append(value.OfBool(anyTrue))
		default:
			out.Append(value.OfDynamic(arr))
		}
	}
	return out
}
