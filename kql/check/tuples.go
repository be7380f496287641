package check

// This file implements the series functions that yield several columns
// (series_decompose_anomalies(x) → series_decompose_anomalies_x_ad_flag,
// …_ad_score, …_baseline) when their result is not named.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// tupleCol is one output of a multi-column function: a name suffix and
// its type.
type tupleCol struct {
	suffix string
	typ    types.Type
}

var (
	tDyn  = types.Dynamic
	tReal = types.Real
	tLong = types.Long
)

// tupleFuncs lists the outputs of the functions that return several
// columns.
var tupleFuncs = map[string][]tupleCol{
	"series_decompose_anomalies": {{"ad_flag", tDyn}, {"ad_score", tDyn}, {"baseline", tDyn}},
	"series_decompose":           {{"baseline", tDyn}, {"seasonal", tDyn}, {"trend", tDyn}, {"residual", tDyn}},
	"series_decompose_forecast":  {{"baseline", tDyn}, {"seasonal", tDyn}, {"trend", tDyn}, {"residual", tDyn}},
	"series_fit_line": {{"rsquare", tReal}, {"slope", tReal}, {"variance", tReal}, {"rvariance", tReal},
		{"interception", tReal}, {"line_fit", tDyn}},
	"series_fit_2lines": {{"rsquare", tReal}, {"split_idx", tLong}, {"variance", tReal}, {"rvariance", tReal},
		{"line_fit", tDyn}, {"right_rsquare", tReal}, {"right_slope", tReal}, {"right_interception", tReal},
		{"right_variance", tReal}, {"right_rvariance", tReal}, {"left_rsquare", tReal}, {"left_slope", tReal},
		{"left_interception", tReal}, {"left_variance", tReal}, {"left_rvariance", tReal}},
	"series_stats": {{"min", tReal}, {"min_idx", tLong}, {"max", tReal}, {"max_idx", tLong},
		{"avg", tReal}, {"stdev", tReal}, {"variance", tReal}},
	"series_periods_detect":   {{"periods", tDyn}, {"scores", tDyn}},
	"series_periods_validate": {{"periods", tDyn}, {"scores", tDyn}},
	"series_fit_poly":         {{"rsquare", tReal}, {"coefficients", tDyn}, {"variance", tReal}, {"rvariance", tReal}, {"poly_fit", tDyn}},
	"series_fft":              {{"real", tDyn}, {"imag", tDyn}},
	"series_ifft":             {{"real", tDyn}, {"imag", tDyn}},
}

// tupleColumns names the outputs of an unnamed multi-column call:
// function_argument_suffix.
func (c *checker) tupleColumns(call *ast.CallExpr, t types.Type, d *ast.ColumnDef) []outCol {
	prefix := call.Fun.Name
	if len(call.Args) > 0 {
		if n := c.resultName(call.Args[0]); n != "" {
			prefix += "_" + n
		}
	}
	var out []outCol
	for _, tc := range tupleFuncs[call.Fun.Name] {
		typ := tc.typ
		if t == types.Invalid {
			typ = types.Invalid
		}
		out = append(out, outCol{col: types.Column{Name: prefix + "_" + tc.suffix, Type: typ}, node: d})
	}
	return out
}

// TupleColumns returns the outputs of a function that yields several
// columns (series_fit_line → rsquare, slope, …): each column's Name is the
// suffix an unnamed call's columns end with. It returns nil for any other
// function. The engine shapes extend and project with it.
func TupleColumns(fn string) []types.Column {
	var out []types.Column
	for _, tc := range tupleFuncs[fn] {
		out = append(out, types.Column{Name: tc.suffix, Type: tc.typ})
	}
	return out
}
