package check

// This file implements the operators with sub-queries: partition, fork,
// facet and scan.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// partition runs the body on each partition; its output is the body's.
func (c *checker) partition(in *rel, o *ast.PartitionOp) *rel {
	if o.Col != nil {
		c.expr(o.Col, rowEnv(in))
	}
	if o.Body == nil {
		return in
	}
	sub := c.subquery(o.Body, trackOnly(in))
	c.commit(in)
	return &rel{schema: sub.schema}
}

// fork runs each branch on the input; the result is the first branch's.
func (c *checker) fork(in *rel, o *ast.ForkOp) *rel {
	var first *rel
	for _, b := range o.Branches {
		if b.Body == nil {
			continue
		}
		r := c.subquery(b.Body, trackOnly(in))
		if first == nil {
			first = r
		}
	}
	c.commit(in)
	if first == nil {
		return &rel{schema: in.schema}
	}
	return &rel{schema: first.schema}
}

// facet counts per column; the result is the first facet's table.
func (c *checker) facet(in *rel, o *ast.FacetOp) *rel {
	for _, id := range o.Cols {
		c.expr(id, rowEnv(in))
	}
	if o.Body != nil {
		c.subquery(o.Body, trackOnly(in))
	}
	c.commit(in)
	return openRel()
}

// scan adds the declared columns; steps see each other as step.Column.
func (c *checker) scan(in *rel, o *ast.ScanOp) *rel {
	out := in.schema.Clone()
	changed := make(map[string]bool)
	for _, d := range o.Declare {
		setColumn(out, types.Column{Name: d.Name.Name, Type: typeRef(d.Type)})
		changed[d.Name.Name] = true
	}
	if id, _ := paramValue(o.Params, "with_match_id"); id != "" {
		setColumn(out, types.Column{Name: id, Type: types.Long})
		changed[id] = true
	}
	for _, k := range o.OrderBy {
		c.expr(k.X, rowEnv(in))
	}
	for _, p := range o.Partition {
		c.expr(p, rowEnv(in))
	}
	row := keepSame(in, out, changed)
	steps := make(map[string]*rel)
	for _, s := range o.Steps {
		if s.Name != nil {
			steps[s.Name.Name] = row
		}
	}
	e := &env{rel: row, steps: steps}
	for _, s := range o.Steps {
		if s.Cond != nil {
			c.expr(s.Cond, e)
		}
		for _, a := range s.Assigns {
			c.expr(a.X, e)
		}
	}
	return row
}
