package builtin

// This file holds the type conversion functions and gettype.

import "github.com/vigil-hunt/vigil/kql/types"

var conversionFuncs = []*Func{
	fn("tostring", returns(types.String), "Converts a value to its string form; null becomes an empty string.",
		req("value", AnyScalar)),
	fn("toint", returns(types.Int), "Converts a value to int, or null if it cannot.", req("value", AnyScalar)),
	fn("tolong", returns(types.Long), "Converts a value to long, or null if it cannot.", req("value", AnyScalar)),
	fn("toreal", returns(types.Real), "Converts a value to real, or null if it cannot.", req("value", AnyScalar)),
	synonym("todouble", "toreal"),
	fn("todecimal", returns(types.Decimal), "Converts a value to decimal, or null if it cannot.", req("value", AnyScalar)),
	fn("tobool", returns(types.Bool), "Converts a value to bool (\"true\", \"false\", numbers), or null if it cannot.",
		req("value", AnyScalar)),
	synonym("toboolean", "tobool"),
	fn("todatetime", returns(types.Datetime), "Converts a value to datetime, or null if it cannot.",
		req("value", AnyScalar)),
	fn("totimespan", returns(types.Timespan), "Converts a value to timespan, or null if it cannot.",
		req("value", AnyScalar)),
	deprecated("totime", "totimespan"),
	fn("toguid", returns(types.Guid), "Converts a string to guid, or null if it cannot.", req("value", StringArg)),
	fn("todynamic", returns(types.Dynamic), "Parses a JSON string into a dynamic value; a dynamic value is returned as is.",
		req("json", StringArg)),
	deprecated("toobject", "todynamic"),
	fn("parse_json", returns(types.Dynamic), "Parses a JSON string into a dynamic value; a dynamic value is returned as is.",
		req("json", StringArg)),
	deprecated("parsejson", "parse_json"),
	fn("tohex", returns(types.String), "Hexadecimal form of an integer, optionally zero-padded to a minimum length.",
		req("value", IntegerArg), opt("min_length", IntegerArg)),
	fn("gettype", returns(types.String), "The run-time type name of a value (\"string\", \"long\", \"array\", ...).",
		req("value", AnyScalar)),
}
