package engine

// This file turns the where terms of graph-match and graph-shortest-paths
// that are about one element into filters evaluated once over the graph's
// nodes or edges, restricting the search (see graph_match.go).

import (
	"sort"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// gfilter is a where term evaluated over the graph's nodes or edges.
type gfilter struct {
	node  bool // reads nodes (else edges)
	inner bool // restricts the inner nodes of edge variable v
	v     int  // the restricted variable
	items []int
	body  ast.Expr
	s     *types.Schema
	x     expr
}

// compileWhereTerms turns each term into a graph filter or a filter of
// the matches.
func (c *compiler) compileWhereTerms(p *graphMatchPlan, terms []whereTerm, sc *scope) error {
	for _, t := range terms {
		f := p.ge.asFilter(t)
		body, s := t.x, p.ge.levels[0].schema
		if f != nil {
			body, s = f.body, f.s
		}
		x, err := c.expr(body, s, sc)
		if err != nil {
			return err
		}
		if typ := x.Type(); typ != types.Bool && typ != types.Dynamic && typ != types.Unknown {
			return errorf(t.x.Pos(), p.what, "where clause is %s, not bool", typ)
		}
		if f != nil {
			f.x = x
			p.filters = append(p.filters, f)
			continue
		}
		p.post = append(p.post, x)
		for i := range t.refs {
			p.postNeed[i] = true
		}
	}
	return nil
}

// asFilter returns the graph filter a where term is, or nil.
func (g *gexprs) asFilter(t whereTerm) *gfilter {
	if id, ok := t.x.(*ast.Ident); ok {
		for i, it := range g.items {
			if it.name == id.Name && it.kind == giQuant && it.level == 0 && it.q.fn == "all" {
				return g.seqFilter(i, t.refs)
			}
		}
	}
	var f *gfilter
	for _, i := range sortedItems(t.refs) {
		it := g.items[i]
		if it.level != 0 || it.kind == giQuant || it.kind == giList {
			return nil
		}
		if f == nil {
			f = &gfilter{v: it.v, node: it.node, body: t.x}
		} else if f.v != it.v || f.node != it.node {
			return nil
		}
		f.items = append(f.items, i)
	}
	return g.layout(f)
}

// seqFilter is the filter of all() (item q) over a sequence when its
// body reads only the sequence's elements.
func (g *gexprs) seqFilter(q int, refs map[int]bool) *gfilter {
	it := g.items[q]
	cl := g.levels[it.q.child]
	f := &gfilter{node: cl.inner, inner: cl.inner, v: cl.v, body: it.q.body}
	for _, i := range sortedItems(refs) {
		if i == q {
			continue
		}
		r := g.items[i]
		if r.level != it.q.child || r.v != -1 || r.kind == giQuant {
			return nil
		}
		f.items = append(f.items, i)
	}
	return g.layout(f)
}

// layout gives a filter the schema of the items it reads.
func (g *gexprs) layout(f *gfilter) *gfilter {
	if f == nil {
		return nil
	}
	f.s = &types.Schema{}
	for _, i := range f.items {
		f.s.Columns = append(f.s.Columns, types.Column{Name: g.items[i].name, Type: g.items[i].typ})
	}
	return f
}

func sortedItems(set map[int]bool) []int {
	out := make([]int, 0, len(set))
	for i := range set {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// graphFilters evaluates the graph filters into the search's restrictions.
func (p *graphMatchPlan) graphFilters(rt *runtime, g *graph) (*patFilters, error) {
	pf := &patFilters{node: make([][]bool, len(p.pat.nodes)), edge: make([][]bool, len(p.pat.edges)), inner: make([][]bool, len(p.pat.edges))}
	for _, f := range p.filters {
		n := len(g.src)
		if f.node {
			n = g.numNodes()
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		b := &Batch{Schema: f.s, N: n}
		for _, i := range f.items {
			b.Cols = append(b.Cols, p.ge.read(g, p.ge.items[i], idx))
		}
		col, err := f.x.eval(rt, b)
		if err != nil {
			return nil, err
		}
		var target *[]bool
		switch {
		case f.inner:
			target = &pf.inner[f.v]
		case f.node:
			target = &pf.node[f.v]
		default:
			target = &pf.edge[f.v]
		}
		if *target == nil {
			*target = make([]bool, n)
			for i := range *target {
				(*target)[i] = true
			}
		}
		for i := 0; i < n; i++ {
			(*target)[i] = (*target)[i] && truthy(col, i)
		}
	}
	return pf, nil
}
