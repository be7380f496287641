package check

// This file dispatches tabular operators to the files implementing them
// and holds the operators that keep their input's schema.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// op applies one operator to its input (nil for a pipeline's source).
func (c *checker) op(in *rel, o ast.Operator) *rel {
	if in == nil && needsInput(o) {
		in = openRel()
	}
	if r, ok := c.graphOp(in, o); ok {
		return r
	}
	switch o := o.(type) {
	case *ast.WhereOp:
		return c.where(in, o)
	case *ast.ProjectOp:
		return c.project(in, o)
	case *ast.ExtendOp:
		return c.extend(in, o.Cols)
	case *ast.ProjectAwayOp:
		return c.projectAway(in, o)
	case *ast.ProjectRenameOp:
		return c.projectRename(in, o)
	case *ast.ProjectReorderOp:
		return c.projectReorder(in, o)
	case *ast.ProjectByNamesOp:
		return c.projectByNames(in, o)
	case *ast.ReduceOp:
		return c.reduce(in, o)
	case *ast.SummarizeOp:
		return c.summarize(in, o)
	case *ast.SortOp:
		c.sortKeys(in, o.Keys)
		return in
	case *ast.TopOp:
		c.takeCount(o.N, o.Word)
		c.sortKeys(in, o.Keys)
		return in
	case *ast.TakeOp:
		c.takeCount(o.N, o.Word)
		return in
	case *ast.SampleOp:
		c.takeCount(o.N, o.Word)
		return in
	case *ast.SampleDistinctOp:
		return c.sampleDistinct(in, o)
	case *ast.CountOp:
		return c.breakRel(in, &types.Schema{Columns: []types.Column{{Name: "Count", Type: types.Long}}})
	case *ast.DistinctOp:
		return c.distinct(in, o)
	case *ast.JoinOp:
		return c.join(in, o)
	case *ast.LookupOp:
		return c.lookup(in, o)
	case *ast.UnionOp:
		return c.union(in, o)
	case *ast.MvExpandOp:
		r, _ := c.mvExpand(in, o.Params, o.Items, o.N)
		return r
	case *ast.MvApplyOp:
		return c.mvApply(in, o)
	case *ast.ParseOp:
		return c.parse(in, o)
	case *ast.ParseKVOp:
		return c.parseKV(in, o)
	case *ast.MakeSeriesOp:
		return c.makeSeries(in, o)
	case *ast.EvaluateOp:
		return c.evaluate(in, o)
	case *ast.InvokeOp:
		return c.invoke(in, o)
	case *ast.AsOp:
		c.bind(&entity{name: o.Table.Name, kind: tabularEntity, rel: in.clone(), used: true})
		return in
	case *ast.GetSchemaOp:
		return c.breakRel(in, getSchemaSchema())
	case *ast.ConsumeOp:
		return c.breakRel(in, &types.Schema{})
	case *ast.SerializeOp:
		return c.extend(in, o.Cols)
	case *ast.RenderOp:
		return in
	case *ast.PartitionOp:
		return c.partition(in, o)
	case *ast.ScanOp:
		return c.scan(in, o)
	case *ast.ForkOp:
		return c.fork(in, o)
	case *ast.FacetOp:
		return c.facet(in, o)
	case *ast.TopNestedOp:
		return c.topNested(in, o)
	case *ast.TopHittersOp:
		return c.topHitters(in, o)
	case *ast.PrintOp:
		return c.print(o)
	case *ast.RangeOp:
		return c.rangeOp(o)
	case *ast.DatatableOp:
		return c.datatable(o)
	case *ast.ExternalDataOp:
		return c.externalData(o)
	case *ast.FindOp:
		return c.find(o)
	case *ast.SearchOp:
		return c.search(in, o)
	case *ast.BadOp:
		if in != nil {
			return c.breakRel(in, &types.Schema{Open: true})
		}
		return openRel()
	}
	return openRel()
}

// needsInput reports whether o reads its input (source operators do not).
func needsInput(o ast.Operator) bool {
	switch o.(type) {
	case *ast.UnionOp, *ast.PrintOp, *ast.RangeOp, *ast.DatatableOp, *ast.ExternalDataOp,
		*ast.FindOp, *ast.EvaluateOp, *ast.SearchOp, *ast.BadOp:
		return false
	}
	return true
}

// rowEnv is the scalar environment of expressions evaluated per row of r.
func rowEnv(r *rel) *env { return &env{rel: r} }

// sortKeys checks the keys of sort and top.
func (c *checker) sortKeys(in *rel, keys []*ast.SortKey) {
	e := rowEnv(in)
	for _, k := range keys {
		c.expr(k.X, e)
	}
}

// getSchemaSchema is the output of getschema.
func getSchemaSchema() *types.Schema {
	return &types.Schema{Columns: []types.Column{
		{Name: "ColumnName", Type: types.String},
		{Name: "ColumnOrdinal", Type: types.Int},
		{Name: "DataType", Type: types.String},
		{Name: "ColumnType", Type: types.String},
	}}
}
