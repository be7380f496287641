package builtin

// This file holds the conditional and null-testing functions.

import "github.com/vigil-hunt/vigil/kql/types"

var conditionalFuncs = []*Func{
	fn("iff", iffResult, "The second argument when the predicate is true, else the third.",
		req("predicate", BoolArg), req("then", AnyScalar), req("else", AnyScalar)),
	synonym("iif", "iff"),
	// case(p1, v1, p2, v2, ..., else): an odd count of at least 3, which
	// positional parameters cannot say; the checker may count it.
	fn("case", caseResult, "The value paired with the first true predicate, else the last argument.",
		req("predicate", BoolArg), req("then", AnyScalar), many("else", AnyScalar)),
	fn("coalesce", commonOfAll, "The first argument that is not null (nor an empty string).",
		req("value1", AnyScalar), many("value", AnyScalar)),
	fn("not", returns(types.Bool), "Logical negation.", req("predicate", BoolArg)),
	fn("isnull", returns(types.Bool), "Whether a value is null.", req("value", AnyScalar)),
	fn("isnotnull", returns(types.Bool), "Whether a value is not null.", req("value", AnyScalar)),
	deprecated("notnull", "isnotnull"),
	fn("isempty", returns(types.Bool), "Whether a value is null or an empty string.", req("value", AnyScalar)),
	fn("isnotempty", returns(types.Bool), "Whether a value is neither null nor an empty string.", req("value", AnyScalar)),
	deprecated("notempty", "isnotempty"),
	fn("column_ifexists", argType(1), "The named column if the input has it, else the default value.",
		req("column_name", ConstantString), req("default", AnyScalar)),
	deprecated("columnifexists", "column_ifexists"),
	fn("assert", returns(types.Bool), "Fails the query with the message when the constant predicate is false.",
		req("predicate", BoolArg), req("message", ConstantString)),
}
