package check

// This file implements evaluate: plugin arguments, and the output of the
// plugins whose schema can be told (bag_unpack, pivot, narrow); the rest
// yield an open schema.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// safePlugins compute over the query's own data; every other plugin
// (http_request, python, r, sql_request, …) is reported as a Plugin risk.
var safePlugins = map[string]bool{
	"bag_unpack": true, "pivot": true, "narrow": true, "autocluster": true, "basket": true,
	"diffpatterns": true, "diffpatterns_text": true, "active_users_count": true, "activity_counts_metrics": true,
	"activity_engagement": true, "activity_metrics": true, "dcount_intersect": true, "funnel_sequence": true,
	"funnel_sequence_completion": true, "ipv4_lookup": true, "ipv6_lookup": true, "market_basket": true,
	"new_activity_metrics": true, "preview": true, "rolling_percentile": true, "rows_near": true,
	"sequence_detect": true, "session_count": true, "sliding_window_counts": true, "schema_merge": true,
	"percentiles_array": true, "infer_storage_schema_with_suggestions": false, "geo_polygon_lookup": true,
	"geo_line_lookup": true,
}

// evaluate checks a plugin call.
func (c *checker) evaluate(in *rel, o *ast.EvaluateOp) *rel {
	e := &env{}
	if in != nil {
		e = rowEnv(in)
	}
	if o.Call == nil {
		return c.breakRel(in, &types.Schema{Open: true})
	}
	args := o.Call.Args
	var lookupRel *rel
	switch name := o.Call.Fun.Name; {
	case (name == "ipv4_lookup" || name == "ipv6_lookup") && len(args) >= 3:
		// ipv4_lookup(LookupTable, SourceKey, LookupKey, …): the third
		// argument is a column of the lookup table
		lookupRel = c.tabular(args[0])
		c.expr(args[1], e)
		c.expr(args[2], rowEnv(lookupRel))
		args = args[3:]
	case (name == "geo_polygon_lookup" || name == "geo_line_lookup") && len(args) >= 2:
		// geo_polygon_lookup(LookupTable, PolygonColumn, lon, lat, …)
		lookupRel = c.tabular(args[0])
		c.expr(args[1], rowEnv(lookupRel))
		args = args[2:]
	}
	for _, a := range args {
		switch a := a.(type) {
		case *ast.SchemaExpr, *ast.StarExpr:
		case *ast.NamedArg:
			c.expr(a.Value, e)
		default:
			if c.isTabularElem(a, e) {
				c.commit(c.tabular(a))
				continue
			}
			c.expr(a, e)
		}
	}
	var out *types.Schema
	switch {
	case o.Schema != nil:
		out = declaredSchema(o.Schema)
	case o.Call.Fun.Name == "bag_unpack" && in != nil:
		out = &types.Schema{Open: true}
		var drop string
		if len(o.Call.Args) > 0 {
			drop = c.resultName(o.Call.Args[0])
		}
		for _, col := range in.schema.Columns {
			if col.Name != drop {
				out.Columns = append(out.Columns, col)
			}
		}
		return keepSame(in, out, nil)
	case o.Call.Fun.Name == "narrow":
		out = &types.Schema{Columns: []types.Column{
			{Name: "Row", Type: types.Int}, {Name: "Column", Type: types.String}, {Name: "Value", Type: types.String},
		}}
	case lookupRel != nil && in != nil:
		// the lookup table's columns come first, then the input's
		out = lookupRel.schema.Clone()
		for _, col := range in.schema.Columns {
			out.Columns = append(out.Columns, types.Column{Name: uniqueName(col.Name, out), Type: col.Type})
		}
		c.commit(lookupRel)
		return keepSame(in, out, nil)
	default:
		out = &types.Schema{Open: true}
	}
	if in == nil {
		return &rel{schema: out}
	}
	return c.breakRel(in, out)
}
