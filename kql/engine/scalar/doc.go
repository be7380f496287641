// Package scalar implements Kusto's scalar operators and functions over
// value columns.
//
// Operators and functions are bound once, when a query is compiled, to the
// types of their arguments and to the values of their constant arguments
// (a regex is compiled then, a has needle is prepared then, the result type
// is decided then). The bound *Fn is then evaluated once per batch over
// argument columns. Constant arguments are not passed again: their slot in
// the argument slice is nil.
//
//	fn, err := scalar.Binary(token.HAS, scalar.Col(types.String), scalar.Const(value.OfString("mimikatz")))
//	…
//	out, err := fn.Eval([]*value.Column{cmdLines, nil}, n) // a bool column of n rows
//
//	f, err := scalar.Call(&scalar.Env{Now: now}, "strlen", []scalar.Arg{scalar.Col(types.String)})
//
// Semantics follow the Kusto documentation: nulls propagate through most
// functions, strings are never null (an absent string is ""), string
// operators compare as documented (has matches whole terms, =~ ignores
// case, …).
package scalar
