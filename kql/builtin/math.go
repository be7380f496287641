package builtin

// This file holds the mathematical and bitwise functions.

import "github.com/vigil-hunt/vigil/kql/types"

// realOf describes a one-argument numeric function with a real result.
func realOf(name, doc string) *Func {
	return fn(name, returns(types.Real), doc, req("number", NumericArg))
}

var mathFuncs = []*Func{
	fn("abs", absResult, "Absolute value of a number or timespan.", req("value", NumericOrDatetimeOrTimespanArg)),
	fn("ceiling", argType(0), "Smallest integer greater than or equal to a number.", req("number", NumericArg)),
	fn("round", argType(0), "Rounds a number to a number of decimal digits (default 0; negative rounds left of the point).",
		req("number", NumericArg), opt("precision", IntegerArg)),
	fn("sign", returns(types.Real), "-1, 0 or 1 by the sign of a number.", req("number", NumericArg)),
	fn("rand", randResult, "A random real in [0, 1), or a random long in [0, N) when N is given.",
		opt("n", IntegerArg)),
	fn("pi", returns(types.Real), "The constant pi."),
	fn("pow", returns(types.Real), "A base raised to a power.", req("base", NumericArg), req("exponent", NumericArg)),
	realOf("sqrt", "Square root."),
	realOf("exp", "e raised to a power."),
	realOf("exp2", "2 raised to a power."),
	realOf("exp10", "10 raised to a power."),
	realOf("log", "Natural logarithm."),
	realOf("log2", "Base-2 logarithm."),
	realOf("log10", "Base-10 logarithm."),
	realOf("cos", "Cosine of an angle in radians."),
	realOf("sin", "Sine of an angle in radians."),
	realOf("tan", "Tangent of an angle in radians."),
	realOf("cot", "Cotangent of an angle in radians."),
	realOf("acos", "Arc cosine, in radians."),
	realOf("asin", "Arc sine, in radians."),
	realOf("atan", "Arc tangent, in radians."),
	fn("atan2", returns(types.Real), "Angle in radians of the point (x, y) from the positive x axis.",
		req("y", NumericArg), req("x", NumericArg)),
	realOf("degrees", "Converts radians to degrees."),
	realOf("radians", "Converts degrees to radians."),
	realOf("gamma", "The gamma function."),
	realOf("loggamma", "Natural logarithm of the absolute value of the gamma function."),
	realOf("erf", "The error function."),
	realOf("erfc", "The complementary error function."),
	fn("beta_cdf", returns(types.Real), "Cumulative beta distribution.",
		req("x", NumericArg), req("alpha", NumericArg), req("beta", NumericArg)),
	fn("beta_inv", returns(types.Real), "Inverse of the cumulative beta distribution.",
		req("probability", NumericArg), req("alpha", NumericArg), req("beta", NumericArg)),
	fn("beta_pdf", returns(types.Real), "Beta probability density.",
		req("x", NumericArg), req("alpha", NumericArg), req("beta", NumericArg)),
	fn("welch_test", returns(types.Real), "P-value of Welch's t-test from two samples' mean, variance and count.",
		req("mean1", NumericArg), req("variance1", NumericArg), req("count1", NumericArg),
		req("mean2", NumericArg), req("variance2", NumericArg), req("count2", NumericArg)),
	fn("isnan", returns(types.Bool), "Whether a number is NaN.", req("number", NumericArg)),
	fn("isinf", returns(types.Bool), "Whether a number is positive or negative infinity.", req("number", NumericArg)),
	fn("isfinite", returns(types.Bool), "Whether a number is neither infinite nor NaN.", req("number", NumericArg)),
	fn("max_of", commonOfAll, "The largest of two or more values; nulls are ignored.",
		req("value1", AnyScalar), many("value", AnyScalar)),
	fn("min_of", commonOfAll, "The smallest of two or more values; nulls are ignored.",
		req("value1", AnyScalar), many("value", AnyScalar)),

	fn("binary_and", returns(types.Long), "Bitwise AND of two integers.", req("a", IntegerArg), req("b", IntegerArg)),
	fn("binary_or", returns(types.Long), "Bitwise OR of two integers.", req("a", IntegerArg), req("b", IntegerArg)),
	fn("binary_xor", returns(types.Long), "Bitwise XOR of two integers.", req("a", IntegerArg), req("b", IntegerArg)),
	fn("binary_not", returns(types.Long), "Bitwise negation of an integer.", req("a", IntegerArg)),
	fn("binary_shift_left", returns(types.Long), "Shifts an integer left by n bits.",
		req("a", IntegerArg), req("n", IntegerArg)),
	fn("binary_shift_right", returns(types.Long), "Shifts an integer right by n bits.",
		req("a", IntegerArg), req("n", IntegerArg)),
	fn("bitset_count_ones", returns(types.Long), "Number of set bits in an integer.", req("a", IntegerArg)),
}
