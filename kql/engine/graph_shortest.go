package engine

// This file implements the breadth-first search graph-shortest-paths uses
// when its pattern is one variable-length edge, (a)-[e*m..n]-(b), and its
// where clause restricts only single nodes, edges and inner nodes: the
// shortest paths from each a are then found layer by layer instead of by
// enumerating every path. With output=any the path kept is the first in
// edge order, the one the enumeration would keep.

import "context"

// bfsApplies reports whether the plan can use the breadth-first search.
func (p *graphMatchPlan) bfsApplies() bool {
	if !p.shortest || len(p.post) > 0 || len(p.pat.edges) != 1 || len(p.pat.nodes) != 2 {
		return false
	}
	e := p.pat.edges[0]
	return e.varLen && e.left != e.right && len(e.labels) == 0 &&
		len(p.pat.nodes[0].labels) == 0 && len(p.pat.nodes[1].labels) == 0
}

// bfsStep is one way a node was reached: from node prev by edge e.
type bfsStep struct{ prev, e int }

// bfsLayer is the nodes reached at one depth, in order of discovery, and
// how each was reached from the layer before.
type bfsLayer struct {
	order []int
	how   map[int][]bfsStep
}

// bfs searches from one start node at a time.
type bfs struct {
	m      *matcher
	pe     *pedge
	layers []bfsLayer
}

// shortestBFS returns the shortest matches of the one-edge pattern.
func (p *graphMatchPlan) shortestBFS(ctx context.Context, g *graph, f *patFilters) ([]pmatch, error) {
	b := &bfs{m: &matcher{ctx: ctx, g: g, p: p.pat, f: f, what: p.what, pos: p.pos}, pe: &p.pat.edges[0]}
	var out []pmatch
	for s := 0; s < g.numNodes(); s++ {
		if keep := f.node[b.pe.left]; keep != nil && !keep[s] {
			continue
		}
		if err := b.explore(s); err != nil {
			return nil, err
		}
		out = b.matches(out, s, f.node[b.pe.right], p.allPaths)
		if len(out) > maxGraphMatches {
			return nil, errorf(p.pos, p.what, "the pattern has more than %d matches", maxGraphMatches)
		}
	}
	return out, nil
}

// explore fills the layers reachable from s, up to the maximum length.
func (b *bfs) explore(s int) error {
	m := b.m
	b.layers = []bfsLayer{{order: []int{s}}}
	for d := 0; d < b.pe.max; d++ {
		next := bfsLayer{how: map[int][]bfsStep{}}
		for _, n := range b.layers[d].order {
			if keep := m.f.inner[0]; d > 0 && keep != nil && !keep[n] {
				continue // n may end a path but not lead on
			}
			m.neighbors(n, b.pe.dir, true, func(e, to int) {
				if keep := m.f.edge[0]; keep != nil && !keep[e] {
					return
				}
				m.work++
				if _, seen := next.how[to]; !seen {
					next.order = append(next.order, to)
				}
				next.how[to] = append(next.how[to], bfsStep{prev: n, e: e})
			})
		}
		if m.work > maxGraphSteps {
			return errorf(m.pos, m.what, "the pattern needs more than %d search steps", maxGraphSteps)
		}
		if err := m.ctx.Err(); err != nil {
			return err
		}
		if len(next.order) == 0 {
			break
		}
		b.layers = append(b.layers, next)
	}
	return nil
}

// matches appends, for each target the right end admits, the paths of the
// first depth (at least the minimum) that reaches it.
func (b *bfs) matches(out []pmatch, s int, admit []bool, all bool) []pmatch {
	found := map[int]bool{}
	for d := b.pe.min; d < len(b.layers); d++ {
		for _, t := range b.layers[d].order {
			if found[t] || admit != nil && !admit[t] {
				continue
			}
			found[t] = true
			for _, w := range b.walks(d, t, all) {
				mt := pmatch{nodes: make([]int, 2), edges: [][]int{w.edges}, inner: [][]int{w.nodes[1 : len(w.nodes)-1]}}
				mt.nodes[b.pe.left], mt.nodes[b.pe.right] = s, t
				out = append(out, mt)
			}
		}
	}
	return out
}

// walk is a path as its nodes and the edges between them.
type walk struct{ nodes, edges []int }

// walks returns the paths of length d to t: the first found, or all.
func (b *bfs) walks(d, t int, all bool) []walk {
	if d == 0 {
		return []walk{{nodes: []int{t}}}
	}
	var out []walk
	for i, st := range b.layers[d].how[t] {
		if i > 0 && !all {
			break
		}
		for _, w := range b.walks(d-1, st.prev, all) {
			out = append(out, walk{nodes: append(w.nodes[:len(w.nodes):len(w.nodes)], t), edges: append(w.edges[:len(w.edges):len(w.edges)], st.e)})
		}
	}
	return out
}
