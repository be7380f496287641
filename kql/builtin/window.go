package builtin

// This file holds the window functions, which read neighbouring rows and
// need serialized input.

import "github.com/vigil-hunt/vigil/kql/types"

var windowFuncs = []*Func{
	win("prev", argType(0), "A column's value offset rows before the current one (default 1), or a default.",
		req("column", AnyScalar), opt("offset", IntegerArg), opt("default", AnyScalar)),
	win("next", argType(0), "A column's value offset rows after the current one (default 1), or a default.",
		req("column", AnyScalar), opt("offset", IntegerArg), opt("default", AnyScalar)),
	win("row_number", returns(types.Long), "Position of the row, from 1 or a start index, restarting when restart is true.",
		opt("start", IntegerArg), opt("restart", BoolArg)),
	win("row_cumsum", argType(0), "Running sum of a term, restarting when restart is true.",
		req("term", NumericArg), opt("restart", BoolArg)),
	win("row_rank_dense", returns(types.Long), "Dense rank: increases by one each time the term changes.",
		req("term", AnyScalar), opt("restart", BoolArg)),
	win("row_rank_min", returns(types.Long), "Minimal rank: equal terms share the position of the first of them.",
		req("term", AnyScalar), opt("restart", BoolArg)),
	deprecated("row_rank", "row_rank_dense"),
	win("row_window_session", argType(0), "Start of the session a timestamp falls in, given the session's maximum length and gap.",
		req("timestamp", DatetimeArg), req("max_distance_from_first", TimespanArg),
		req("max_distance_between_neighbors", TimespanArg), opt("restart", BoolArg)),
}
