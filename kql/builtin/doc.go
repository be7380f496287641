// Package builtin describes Kusto's built-in scalar, aggregate and window
// functions: their names, parameters and result types. The checker reads it
// to report unknown functions, wrong arity and wrong argument types and to
// infer result types; the engine registers implementations under the same
// names; the docs and the LLM tool descriptions are generated from it.
//
// Names are case-sensitive, as in Kusto. Deprecated spellings (makeset,
// parsejson, ...) are in the table with Deprecated naming the replacement.
//
// Usage, in a checker that has inferred the argument types:
//
//	f, ok := builtin.Lookup(name)
//	if !ok {
//		return fmt.Errorf("unknown function %s (did you mean %q?)", name, builtin.Suggest(name))
//	}
//	if n := len(argTypes); n < f.MinArgs() || (f.MaxArgs() >= 0 && n > f.MaxArgs()) {
//		return fmt.Errorf("%s: wrong number of arguments; want %s", name, f.Signature())
//	}
//	for i, t := range argTypes {
//		if !f.Accepts(i, t) {
//			p, _ := f.Param(i)
//			return fmt.Errorf("%s: argument %s must be %s, not %s", name, p.Name, p.Kind, t)
//		}
//	}
//	resultType := f.ResultType(argTypes) // datetime_diff: types.Long
package builtin
