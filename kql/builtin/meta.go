package builtin

// This file holds the functions about the query's context (principal,
// database, cursor, extent) and toscalar.

import "github.com/vigil-hunt/vigil/kql/types"

var metaFuncs = []*Func{
	fn("toscalar", nil, "Evaluates a tabular expression once and yields the value of its first row and column; the checker types it.",
		req("query", TabularArg)),
	fn("new_guid", returns(types.Guid), "A new random guid."),
	fn("current_principal", returns(types.String), "The name of the principal running the query."),
	fn("current_principal_details", returns(types.Dynamic), "Details of the principal running the query."),
	fn("current_principal_is_member_of", returns(types.Bool), "Whether the principal running the query belongs to any of the groups.",
		many("group", StringArg)),
	fn("current_cluster_endpoint", returns(types.String), "The network endpoint of the cluster running the query."),
	fn("current_database", returns(types.String), "The name of the database in scope."),
	fn("cursor_current", returns(types.String), "The current database cursor."),
	fn("cursor_after", returns(types.Bool), "Whether the record was ingested after a cursor.", req("cursor", StringArg)),
	fn("cursor_before_or_at", returns(types.Bool), "Whether the record was ingested at or before a cursor.",
		req("cursor", StringArg)),
	fn("ingestion_time", returns(types.Datetime), "When the record was ingested, or null."),
	fn("extent_id", returns(types.Guid), "Identifier of the data shard holding the record."),
	fn("extent_tags", returns(types.Dynamic), "Tags of the data shard holding the record."),
	fn("estimate_data_size", returns(types.Long), "Estimated size in bytes of the given columns (or * for all) of the row.",
		many("column", Star)),
}
