package check

// This file implements union: the outer union of the legs' columns (a
// name with different types becomes Name_type), kind=inner, withsource
// and isfuzzy.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// union checks the legs and merges their schemas.
func (c *checker) union(in *rel, o *ast.UnionOp) *rel {
	kind, _ := paramValue(o.Params, "kind")
	fuzzy, _ := paramValue(o.Params, "isfuzzy")
	var legs []*rel
	if in != nil {
		legs = append(legs, in)
	}
	for _, t := range o.Tables {
		legs = append(legs, c.unionLeg(t, fuzzy == "true"))
	}
	r := c.unionRels(legs, kind)
	src, _ := paramValue(o.Params, "withsource")
	if src == "" {
		src, _ = paramValue(o.Params, "source")
	}
	if src != "" {
		r.schema.Columns = append([]types.Column{{Name: src, Type: types.String}}, r.schema.Columns...)
	}
	return r
}

// unionLeg checks one leg; in a fuzzy union a missing table is a soft
// error.
func (c *checker) unionLeg(t ast.Expr, fuzzy bool) *rel {
	id, ok := t.(*ast.Ident)
	if !ok || c.scope.lookup(id.Name) != nil {
		return c.tabular(t)
	}
	var r *rel
	if id.Wildcard {
		r = c.wildcardTables(id, fuzzy)
	} else {
		r = c.table(id.Name, id, fuzzy)
	}
	c.info.Schemas[t] = r.schema
	return r
}

// unionRels merges legs: kind "inner" keeps the columns all legs have,
// otherwise every column appears once; a name whose known types differ
// across legs becomes one column per type, Name_type.
func (c *checker) unionRels(legs []*rel, kind string) *rel {
	typesOf := make(map[string][]types.Type)
	var order []string
	count := make(map[string]int)
	open := false
	for _, l := range legs {
		open = open || l.schema.Open
		for _, col := range l.schema.Columns {
			if _, ok := typesOf[col.Name]; !ok {
				order = append(order, col.Name)
			}
			count[col.Name]++
			if col.Type.IsKnown() && !hasType(typesOf[col.Name], col.Type) {
				typesOf[col.Name] = append(typesOf[col.Name], col.Type)
			} else if typesOf[col.Name] == nil {
				typesOf[col.Name] = []types.Type{}
			}
		}
	}
	out := &types.Schema{Open: open && kind != "inner"}
	for _, name := range order {
		if kind == "inner" && count[name] < len(legs) {
			continue
		}
		ts := typesOf[name]
		switch len(ts) {
		case 0:
			out.Columns = append(out.Columns, types.Column{Name: name, Type: types.Unknown})
		case 1:
			out.Columns = append(out.Columns, types.Column{Name: name, Type: ts[0]})
		default:
			for _, t := range ts {
				out.Columns = append(out.Columns, types.Column{Name: name + "_" + t.String(), Type: t})
			}
		}
	}
	r := &rel{schema: out}
	for _, l := range legs {
		pass := make(map[string]string)
		for _, col := range l.schema.Columns {
			name := col.Name
			if len(typesOf[name]) > 1 && col.Type.IsKnown() {
				name += "_" + col.Type.String()
			}
			if out.Index(name) >= 0 {
				pass[name] = col.Name
			}
		}
		r.flows = append(r.flows, carry(l, out, pass).flows...)
	}
	return r
}

func hasType(ts []types.Type, t types.Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
