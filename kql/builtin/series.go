package builtin

// This file holds the series (dynamic numeric array) functions used with
// make-series.

import "github.com/vigil-hunt/vigil/kql/types"

// seriesOf describes an element-wise function of one series.
func seriesOf(name, doc string) *Func {
	return fn(name, returns(types.Dynamic), doc, req("series", DynamicArg))
}

// seriesOp describes an element-wise function of two series (or a series and a number).
func seriesOp(name, doc string) *Func {
	return fn(name, returns(types.Dynamic), doc, req("series1", AnyScalar), req("series2", AnyScalar))
}

// The functions marked "several columns" yield one column per component
// when used in extend or project; Result reports dynamic.
var seriesFuncs = []*Func{
	fn("series_decompose", returns(types.Dynamic), "Splits a series into baseline, seasonal, trend and residual (several columns).",
		req("series", DynamicArg), opt("period", IntegerArg), opt("trend", StringArg),
		opt("test_points", IntegerArg), opt("seasonality_threshold", NumericArg)),
	fn("series_decompose_anomalies", returns(types.Dynamic), "Anomaly flags, scores and baseline of a series from its decomposition (several columns).",
		req("series", DynamicArg), opt("threshold", NumericArg), opt("period", IntegerArg),
		opt("trend", StringArg), opt("test_points", IntegerArg), opt("method", StringArg),
		opt("seasonality_threshold", NumericArg)),
	fn("series_decompose_forecast", returns(types.Dynamic), "Forecasts the last test points of a series from its decomposition (several columns).",
		req("series", DynamicArg), req("test_points", IntegerArg), opt("period", IntegerArg),
		opt("trend", StringArg), opt("seasonality_threshold", NumericArg)),
	fn("series_fit_line", returns(types.Dynamic), "Linear regression of a series: rsquare, slope, variance, rvariance, interception, line_fit (several columns).",
		req("series", DynamicArg)),
	fn("series_fit_line_dynamic", returns(types.Dynamic), "Linear regression of a series as one property bag.",
		req("series", DynamicArg)),
	fn("series_fit_2lines", returns(types.Dynamic), "Two-segment linear regression of a series (several columns).",
		req("series", DynamicArg)),
	fn("series_fit_2lines_dynamic", returns(types.Dynamic), "Two-segment linear regression of a series as one property bag.",
		req("series", DynamicArg)),
	fn("series_fit_poly", returns(types.Dynamic), "Polynomial regression of a series (several columns).",
		req("y_series", DynamicArg), opt("x_series", DynamicArg), opt("degree", IntegerArg)),
	fn("series_stats", returns(types.Dynamic), "Min, max, their indices, avg, stdev and variance of a series (several columns).",
		req("series", DynamicArg), opt("ignore_nonfinite", BoolArg)),
	fn("series_stats_dynamic", returns(types.Dynamic), "Statistics of a series as one property bag.",
		req("series", DynamicArg), opt("ignore_nonfinite", BoolArg)),
	fn("series_outliers", returns(types.Dynamic), "Tukey-fence anomaly score of each point of a series.",
		req("series", DynamicArg), opt("kind", StringArg), opt("ignore_value", NumericArg),
		opt("min_percentile", NumericArg), opt("max_percentile", NumericArg)),
	fn("series_periods_detect", returns(types.Dynamic), "The most significant periods of a series and their scores (several columns).",
		req("series", DynamicArg), req("min_period", NumericArg), req("max_period", NumericArg),
		req("num_periods", IntegerArg)),
	fn("series_periods_validate", returns(types.Dynamic), "Scores of given candidate periods in a series (several columns).",
		req("series", DynamicArg), many("period", NumericArg)),
	fn("series_seasonal", returns(types.Dynamic), "The seasonal component of a series.",
		req("series", DynamicArg), opt("period", IntegerArg), opt("test_points", IntegerArg)),
	fn("series_fill_backward", returns(types.Dynamic), "Fills missing values of a series from the next known value.",
		req("series", DynamicArg), opt("missing_value", NumericArg)),
	fn("series_fill_forward", returns(types.Dynamic), "Fills missing values of a series from the previous known value.",
		req("series", DynamicArg), opt("missing_value", NumericArg)),
	fn("series_fill_const", returns(types.Dynamic), "Fills missing values of a series with a constant.",
		req("series", DynamicArg), opt("constant", NumericArg), opt("missing_value", NumericArg)),
	fn("series_fill_linear", returns(types.Dynamic), "Fills missing values of a series by linear interpolation.",
		req("series", DynamicArg), opt("missing_value", NumericArg), opt("fill_edges", BoolArg),
		opt("constant", NumericArg)),
	fn("series_fir", returns(types.Dynamic), "Applies a finite impulse response filter to a series.",
		req("series", DynamicArg), req("filter", DynamicArg), opt("normalize", BoolArg), opt("center", BoolArg)),
	fn("series_iir", returns(types.Dynamic), "Applies an infinite impulse response filter to a series.",
		req("series", DynamicArg), req("numerators", DynamicArg), req("denominators", DynamicArg)),
	fn("series_fft", returns(types.Dynamic), "Fast Fourier transform of a series: real and imaginary parts (several columns).",
		req("series", DynamicArg), opt("imaginary", DynamicArg)),
	fn("series_ifft", returns(types.Dynamic), "Inverse fast Fourier transform: real and imaginary parts (several columns).",
		req("real", DynamicArg), opt("imaginary", DynamicArg)),
	fn("series_pearson_correlation", returns(types.Real), "Pearson correlation coefficient of two series.",
		req("series1", DynamicArg), req("series2", DynamicArg)),
	fn("series_cosine_similarity", returns(types.Real), "Cosine similarity of two series.",
		req("series1", DynamicArg), req("series2", DynamicArg)),
	fn("series_dot_product", returns(types.Real), "Dot product of two series.",
		req("series1", AnyScalar), req("series2", AnyScalar)),
	fn("series_magnitude", returns(types.Real), "Euclidean norm of a series.", req("series", DynamicArg)),
	fn("series_sum", returns(types.Real), "Sum of the elements of a series.", req("series", DynamicArg)),

	seriesOp("series_add", "Element-wise sum of two series."),
	seriesOp("series_subtract", "Element-wise difference of two series."),
	seriesOp("series_multiply", "Element-wise product of two series."),
	seriesOp("series_divide", "Element-wise quotient of two series."),
	seriesOp("series_pow", "Element-wise power of two series."),
	seriesOp("series_equals", "Element-wise == of two series."),
	seriesOp("series_not_equals", "Element-wise != of two series."),
	seriesOp("series_greater", "Element-wise > of two series."),
	seriesOp("series_greater_equals", "Element-wise >= of two series."),
	seriesOp("series_less", "Element-wise < of two series."),
	seriesOp("series_less_equals", "Element-wise <= of two series."),
	seriesOf("series_abs", "Element-wise absolute value of a series."),
	seriesOf("series_sign", "Element-wise sign of a series."),
	seriesOf("series_exp", "Element-wise e to the power of a series."),
	seriesOf("series_log", "Element-wise natural logarithm of a series."),
	seriesOf("series_floor", "Element-wise floor of a series."),
	seriesOf("series_ceiling", "Element-wise ceiling of a series."),
	seriesOf("series_sin", "Element-wise sine of a series."),
	seriesOf("series_cos", "Element-wise cosine of a series."),
	seriesOf("series_tan", "Element-wise tangent of a series."),
	seriesOf("series_asin", "Element-wise arc sine of a series."),
	seriesOf("series_acos", "Element-wise arc cosine of a series."),
	seriesOf("series_atan", "Element-wise arc tangent of a series."),
}
