package check

// This file implements parse, parse-where and parse-kv: the pattern's
// columns are added as string or as their declared type.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// parse adds the pattern's columns; parse-where also drops rows that do
// not match, which keeps the schema.
func (c *checker) parse(in *rel, o *ast.ParseOp) *rel {
	c.expr(o.X, rowEnv(in))
	out := in.schema.Clone()
	changed := make(map[string]bool)
	for _, p := range o.Pattern {
		if p.Col == nil {
			continue
		}
		t := types.String
		if p.Type != nil {
			t = typeRef(p.Type)
		}
		setColumn(out, types.Column{Name: p.Col.Name, Type: t})
		changed[p.Col.Name] = true
	}
	return keepSame(in, out, changed)
}

// parseKV adds the declared columns.
func (c *checker) parseKV(in *rel, o *ast.ParseKVOp) *rel {
	c.expr(o.X, rowEnv(in))
	for _, p := range o.Props {
		c.expr(p.Value, &env{})
	}
	out := in.schema.Clone()
	changed := make(map[string]bool)
	for _, d := range o.Cols {
		setColumn(out, types.Column{Name: d.Name.Name, Type: typeRef(d.Type)})
		changed[d.Name.Name] = true
	}
	return keepSame(in, out, changed)
}
