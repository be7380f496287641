package check

// This file implements make-series: keys, then the aggregates and the
// axis as dynamic arrays.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// makeSeries checks the aggregates, axis, range and keys.
func (c *checker) makeSeries(in *rel, o *ast.MakeSeriesOp) *rel {
	out := &types.Schema{}
	l := &columnList{c: c, schema: out, word: "make-series"}
	c.groupKeys(in, o.Keys, l)
	nm := &namer{taken: func(s string) bool { return out.Index(s) >= 0 || in.schema.Index(s) >= 0 }}
	var aggCols []types.Column
	for _, a := range o.Aggs {
		if a.Col == nil {
			continue
		}
		c.expr(a.Col.X, &env{rel: in, agg: true})
		if a.DefaultValue != nil {
			c.expr(a.DefaultValue, &env{})
		}
		switch {
		case len(a.Col.Names) > 0:
			for _, n := range a.Col.Names {
				aggCols = append(aggCols, types.Column{Name: n.Name, Type: types.Dynamic})
			}
		default:
			name := c.resultName(a.Col.X)
			if name == "" {
				name = nm.fresh()
			}
			aggCols = append(aggCols, types.Column{Name: name, Type: types.Dynamic})
		}
	}
	for _, col := range aggCols {
		l.add(col, false, o)
	}
	if o.Axis != nil {
		c.expr(o.Axis, rowEnv(in))
		name := c.resultName(o.Axis)
		if name == "" {
			name = nm.fresh()
		}
		l.add(types.Column{Name: name, Type: types.Dynamic}, false, o.Axis)
	}
	for _, x := range []ast.Expr{o.From, o.To, o.Step} {
		if x != nil {
			c.expr(x, &env{})
		}
	}
	if o.Range != nil {
		for _, a := range o.Range.Args {
			c.expr(a, &env{})
		}
	}
	return c.breakRel(in, out)
}
