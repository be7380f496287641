package builtin

// This file holds the result-type rules the table entries share: fixed
// types, "same as argument i", the common type of branches, and Kusto's
// promotions for sum, avg, percentile and bin.

import "github.com/vigil-hunt/vigil/kql/types"

type resultFunc = func(args []types.Type) types.Type

// returns yields t whatever the arguments.
func returns(t types.Type) resultFunc {
	return func([]types.Type) types.Type { return t }
}

// argType yields the type of argument i, or Unknown when it is absent.
func argType(i int) resultFunc {
	return func(args []types.Type) types.Type { return nth(args, i) }
}

// nth returns args[i], or Unknown when there is no such argument.
func nth(args []types.Type, i int) types.Type {
	if i < len(args) {
		return args[i]
	}
	return types.Unknown
}

// typeArgOr yields the type denoted by the optional type literal at
// position i, or def when the call leaves it out (extract, extract_json).
func typeArgOr(i int, def types.Type) resultFunc {
	return func(args []types.Type) types.Type {
		if i < len(args) {
			return args[i]
		}
		return def
	}
}

// numericRank orders the numeric types by width.
func numericRank(t types.Type) int {
	switch t {
	case types.Int:
		return 1
	case types.Long:
		return 2
	case types.Real:
		return 3
	case types.Decimal:
		return 4
	}
	return 0
}

// wider returns the wider of two numeric types.
func wider(a, b types.Type) types.Type {
	if numericRank(b) > numericRank(a) {
		return b
	}
	return a
}

// commonType is the type of a value that may come from any of ts (the
// branches of iff, case, coalesce): the first known type, widened across
// numeric types; dynamic if any branch is dynamic. Unknown when no branch
// type is known, Invalid when every branch is invalid.
func commonType(ts []types.Type) types.Type {
	var common types.Type
	have, unknown := false, len(ts) == 0
	for _, t := range ts {
		switch {
		case t == types.Unknown:
			unknown = true
		case t == types.Invalid:
		case t == types.Dynamic:
			return types.Dynamic
		case !have:
			common, have = t, true
		case common.IsNumeric() && t.IsNumeric():
			common = wider(common, t)
		}
	}
	switch {
	case have:
		return common
	case unknown:
		return types.Unknown
	}
	return types.Invalid
}

// commonOfAll is the common type of every argument (coalesce, min_of).
func commonOfAll(args []types.Type) types.Type { return commonType(args) }

// iffResult is the common type of the then and else branches.
func iffResult(args []types.Type) types.Type {
	return commonType([]types.Type{nth(args, 1), nth(args, 2)})
}

// caseResult is the common type of case's values: every second argument
// after a predicate, and the final else.
func caseResult(args []types.Type) types.Type {
	var vals []types.Type
	for i := 1; i < len(args); i += 2 {
		vals = append(vals, args[i])
	}
	if len(args)%2 == 1 {
		vals = append(vals, args[len(args)-1])
	}
	return commonType(vals)
}

// binResult is bin's and floor's: datetime and timespan values keep their
// type, numbers take the wider of value and bin size.
func binResult(args []types.Type) types.Type {
	v, size := nth(args, 0), nth(args, 1)
	if v.IsNumeric() && size.IsNumeric() {
		return wider(v, size)
	}
	return v
}

// sumResult is sum's: int sums widen to long, other summable types keep
// their type.
func sumResult(args []types.Type) types.Type {
	switch t := nth(args, 0); t {
	case types.Int, types.Long:
		return types.Long
	case types.Real, types.Decimal, types.Timespan, types.Invalid:
		return t
	}
	return types.Unknown
}

// avgResult is avg's: integers average to real; real, decimal, timespan
// and datetime keep their type.
func avgResult(args []types.Type) types.Type {
	switch t := nth(args, 0); t {
	case types.Int, types.Long, types.Real:
		return types.Real
	case types.Decimal, types.Timespan, types.Datetime, types.Invalid:
		return t
	}
	return types.Unknown
}

// percentileResult is percentile's (per output column of percentiles):
// int widens to long, decimal to real, other types are kept.
func percentileResult(args []types.Type) types.Type {
	switch t := nth(args, 0); t {
	case types.Int:
		return types.Long
	case types.Decimal:
		return types.Real
	default:
		return t
	}
}

// absResult is abs's: integers become long, others keep their type.
func absResult(args []types.Type) types.Type {
	if t := nth(args, 0); t != types.Int {
		return t
	}
	return types.Long
}

// randResult is rand's: a real in [0, 1) without argument, a long below N with one.
func randResult(args []types.Type) types.Type {
	if len(args) == 0 {
		return types.Real
	}
	return types.Long
}
