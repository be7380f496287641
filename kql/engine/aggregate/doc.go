// Package aggregate implements Kusto's aggregation functions over value
// columns, and the group table summarize and its relatives number their
// groups with.
//
// An aggregate is bound once, when a query is compiled, to the types of
// its arguments and the values of its constant ones (a percentile, a size
// cap, a dcount accuracy). The bound Func then holds one state per group
// and folds whole batches at a time: Update receives the group number of
// each row and the argument columns.
//
//	groups := aggregate.NewGroups([]types.Type{types.String})
//	f, err := aggregate.Bind("dcount", []aggregate.Arg{aggregate.Col(types.String)})
//	…
//	g := groups.Assign([]*value.Column{deviceNames}, n)
//	f.Grow(groups.Len())
//	f.Update(g, []*value.Column{accountNames}, n)
//	…
//	v := f.Result(0) // the first group's distinct count
//
// Semantics follow the Kusto documentation: nulls are skipped (count()
// counts rows), empty groups yield the documented defaults, dcount is a
// HyperLogLog estimate that is exact for small sets, percentiles use the
// nearest-rank definition.
package aggregate
