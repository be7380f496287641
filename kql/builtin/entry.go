package builtin

// This file holds the small constructors the family files write their
// table entries with.

// req is a required parameter.
func req(name string, k ArgKind) Param { return Param{Name: name, Kind: k} }

// opt is an optional trailing parameter.
func opt(name string, k ArgKind) Param { return Param{Name: name, Kind: k, Optional: true} }

// many is a last parameter given one or more times.
func many(name string, k ArgKind) Param { return Param{Name: name, Kind: k, Variadic: true} }

// more is a last parameter given zero or more times.
func more(name string, k ArgKind) Param {
	return Param{Name: name, Kind: k, Variadic: true, Optional: true}
}

// fn is a scalar function.
func fn(name string, result resultFunc, doc string, params ...Param) *Func {
	return &Func{Name: name, Kind: Scalar, Params: params, Result: result, Doc: doc}
}

// agg is an aggregate function.
func agg(name string, result resultFunc, doc string, params ...Param) *Func {
	return &Func{Name: name, Kind: Aggregate, Params: params, Result: result, Doc: doc}
}

// win is a window function.
func win(name string, result resultFunc, doc string, params ...Param) *Func {
	return &Func{Name: name, Kind: Window, Params: params, Result: result, Doc: doc}
}

// deprecated is an old spelling that behaves exactly like replacement.
func deprecated(name, replacement string) *Func {
	return &Func{Name: name, Deprecated: replacement, copyOf: replacement,
		Doc: "Deprecated spelling of " + replacement + ". "}
}

// synonym is a current alternative name for target.
func synonym(name, target string) *Func {
	return &Func{Name: name, copyOf: target, Doc: "Synonym of " + target + ". "}
}
