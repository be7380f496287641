package builtin

// This file holds the unit conversion functions (convert_length, …), the
// domain-name Punycode functions and column_names_of.

import "github.com/vigil-hunt/vigil/kql/types"

// convertOf describes convert_<quantity>(value, from, to).
func convertOf(quantity string) *Func {
	return fn("convert_"+quantity, returns(types.Real),
		"Converts a "+quantity+" value from one unit to another; null for an unknown unit.",
		req("value", NumericArg), req("from", StringArg), req("to", StringArg))
}

var unitFuncs = []*Func{
	convertOf("angle"), convertOf("energy"), convertOf("force"), convertOf("length"),
	convertOf("mass"), convertOf("speed"), convertOf("temperature"), convertOf("volume"),
	fn("punycode_domain_to_string", returns(types.String),
		"Encodes each non-ASCII label of a domain name in Punycode (xn--…); empty when encoding fails.",
		req("domain", StringArg)),
	fn("punycode_domain_from_string", returns(types.String),
		"Decodes the Punycode (xn--…) labels of a domain name; empty when decoding fails.",
		req("encoded_string", StringArg)),
	fn("column_names_of", returns(types.Dynamic),
		"The column names of a tabular expression, as a dynamic array.",
		req("table", TabularArg)),
}
