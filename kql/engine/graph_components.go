package engine

// This file implements graph-mark-components: it marks every node with the
// zero-based index of its connected component, in a long property named by
// with_component_id (ComponentId by default). Weak components (the
// default) ignore edge direction; strong ones (kind=strong) follow it.
// Components are numbered in the order of their first node.

import (
	"context"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileMarkComponents) }

type markComponentsPlan struct {
	graphValue
	in     graphPlan
	strong bool
	sh     *graphShape
	col    int // the component property among the node properties
}

func compileMarkComponents(c *compiler, op *ast.GraphMarkComponentsOp, in plan, sc *scope) (plan, error) {
	g, err := needGraph(op, in, sc)
	if err != nil {
		return nil, err
	}
	p := &markComponentsPlan{graphValue: graphValue{op.Word, op.Pos()}, in: g}
	name := "ComponentId"
	for _, prm := range op.Params {
		switch prm.Name.Name {
		case "kind":
			switch k := strings.ToLower(paramText(prm)); k {
			case "weak":
			case "strong":
				p.strong = true
			default:
				return nil, errorf(prm.Value.Pos(), op.Word, "unknown kind %s (weak or strong)", k)
			}
		case "with_component_id":
			name = paramText(prm)
		}
	}
	in0 := g.shape()
	nodes := in0.nodes.Clone()
	col := types.Column{Name: name, Type: types.Long}
	if p.col = nodes.Index(name); p.col >= 0 {
		nodes.Columns[p.col] = col
	} else {
		p.col = len(nodes.Columns)
		nodes.Columns = append(nodes.Columns, col)
	}
	p.sh = &graphShape{nodes: nodes, edges: in0.edges, idType: in0.idType}
	return p, nil
}

func (p *markComponentsPlan) shape() *graphShape { return p.sh }

func (p *markComponentsPlan) build(ctx context.Context, rt *runtime) (*graph, error) {
	g, err := p.in.build(ctx, rt)
	if err != nil {
		return nil, err
	}
	var comp []int64
	if p.strong {
		comp = strongComponents(g)
	} else {
		comp = weakComponents(g)
	}
	col := &value.Column{Type: types.Long, Ints: comp}
	nodes := &Batch{Schema: p.sh.nodes, Cols: append([]*value.Column(nil), g.nodes.Cols...), N: g.nodes.N}
	if p.col < len(nodes.Cols) {
		nodes.Cols[p.col] = col
	} else {
		nodes.Cols = append(nodes.Cols, col)
	}
	out := *g
	out.nodes = nodes
	return &out, nil
}

// weakComponents labels nodes by union-find over the edges.
func weakComponents(g *graph) []int64 {
	parent := make([]int, g.numNodes())
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for e := range g.src {
		a, b := find(g.src[e]), find(g.dst[e])
		if a != b {
			parent[b] = a
		}
	}
	roots := make([]int, len(parent))
	for i := range parent {
		roots[i] = find(i)
	}
	return renumber(roots)
}

// renumber maps component representatives to 0, 1, … in order of first
// appearance.
func renumber(reps []int) []int64 {
	ids := map[int]int64{}
	out := make([]int64, len(reps))
	for i, r := range reps {
		id, ok := ids[r]
		if !ok {
			id = int64(len(ids))
			ids[r] = id
		}
		out[i] = id
	}
	return out
}

// strongComponents labels nodes by Tarjan's algorithm, iteratively so that
// long paths do not exhaust the stack.
func strongComponents(g *graph) []int64 {
	n := g.numNodes()
	index, low, comp := make([]int, n), make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i], comp[i] = -1, -1
	}
	var stack []int
	next, ncomp := 0, 0
	type frame struct{ v, i int }
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		calls := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if f.i < len(g.out[f.v]) {
				w := g.dst[g.out[f.v][f.i]]
				f.i++
				switch {
				case index[w] < 0:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, 0})
				case onStack[w]:
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return renumber(comp)
}
