package builtin

// This file declares the function descriptor types and the lookup API over
// the table assembled from the family files.

import (
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
)

// Kind says where a function may be called.
type Kind uint8

const (
	// Scalar functions compute one value per row.
	Scalar Kind = iota
	// Aggregate functions fold a group of rows (summarize, make-series,
	// top-nested).
	Aggregate
	// Window functions read neighbouring rows and need serialized input
	// (after serialize, sort, top, or a row_number-like operator).
	Window
)

// String returns "scalar", "aggregate" or "window".
func (k Kind) String() string {
	switch k {
	case Scalar:
		return "scalar"
	case Aggregate:
		return "aggregate"
	case Window:
		return "window"
	}
	return "invalid"
}

// ArgKind is what a parameter accepts.
type ArgKind uint8

const (
	AnyScalar                      ArgKind = iota // a value of any scalar type
	StringArg                                     // string
	NumericArg                                    // int, long, real or decimal
	IntegerArg                                    // int or long (real and decimal are narrowed leniently)
	BoolArg                                       // bool
	DatetimeArg                                   // datetime
	TimespanArg                                   // timespan
	DynamicArg                                    // dynamic (other scalars are accepted as Kusto wraps them)
	GuidArg                                       // guid
	DatetimeOrTimespanArg                         // datetime or timespan
	NumericOrDatetimeOrTimespanArg                // a number, a datetime or a timespan (bin, sum, range...)
	ConstantString                                // a string that must be a constant (regex, format, part name)
	TypeArg                                       // a type literal such as typeof(long)
	Star                                          // `*` or any scalar expression
	Lambda                                        // a lambda
	TabularArg                                    // a tabular expression (toscalar)
)

var argKindNames = [...]string{
	AnyScalar:                      "scalar",
	StringArg:                      "string",
	NumericArg:                     "number",
	IntegerArg:                     "integer",
	BoolArg:                        "bool",
	DatetimeArg:                    "datetime",
	TimespanArg:                    "timespan",
	DynamicArg:                     "dynamic",
	GuidArg:                        "guid",
	DatetimeOrTimespanArg:          "datetime|timespan",
	NumericOrDatetimeOrTimespanArg: "number|datetime|timespan",
	ConstantString:                 "constant string",
	TypeArg:                        "type",
	Star:                           "scalar|*",
	Lambda:                         "lambda",
	TabularArg:                     "table",
}

// String names the kind as the docs print it: "string", "number|datetime|timespan".
func (k ArgKind) String() string {
	if int(k) < len(argKindNames) {
		return argKindNames[k]
	}
	return "invalid"
}

// accepts reports whether a value of type t may be passed where k is
// expected. Unknown and Invalid are always accepted, and so is dynamic in
// every scalar position: Kusto converts a dynamic value to the expected
// scalar at run time, and a false error costs more than a missed one.
func (k ArgKind) accepts(t types.Type) bool {
	if !t.IsKnown() || t == types.Dynamic {
		return true
	}
	switch k {
	case StringArg, ConstantString:
		return t == types.String
	case NumericArg, IntegerArg:
		return t.IsNumeric()
	case BoolArg:
		return t == types.Bool
	case DatetimeArg:
		return t == types.Datetime
	case TimespanArg:
		return t == types.Timespan
	case GuidArg:
		return t == types.Guid
	case DatetimeOrTimespanArg:
		return t == types.Datetime || t == types.Timespan
	case NumericOrDatetimeOrTimespanArg:
		return t.IsNumeric() || t == types.Datetime || t == types.Timespan
	}
	// AnyScalar, DynamicArg, TypeArg, Star, Lambda, TabularArg: the checker
	// handles the syntactic forms; any scalar type is fine here.
	return true
}

// Param is one formal parameter.
type Param struct {
	Name     string
	Kind     ArgKind
	Optional bool // may be omitted; only trailing parameters are optional
	Variadic bool // may repeat; only the last parameter. Required variadic: at least once
}

// Func describes one built-in function.
type Func struct {
	Name   string
	Kind   Kind
	Params []Param
	// Result computes the result type from the argument types as the
	// checker inferred them; they may hold types.Unknown or types.Invalid,
	// which propagate where the result depends on them. For a TypeArg
	// parameter the checker passes the type the literal denotes
	// (typeof(long) -> types.Long). Nil means types.Unknown.
	//
	// Functions that yield several columns (arg_max, take_any with several
	// arguments, percentiles, series_fit_line, series_stats, ...) report the
	// type of their first output; the checker names and types the columns.
	Result func(args []types.Type) types.Type
	// Deprecated names the replacement of a deprecated spelling.
	Deprecated string
	// Doc is a one-line description.
	Doc string

	copyOf string // fill Params, Result, Kind (and Doc) from this entry
}

// MinArgs returns the least number of arguments a call must pass.
func (f *Func) MinArgs() int {
	n := 0
	for _, p := range f.Params {
		if !p.Optional {
			n++
		}
	}
	return n
}

// MaxArgs returns the greatest number of arguments a call may pass, or -1
// when the last parameter is variadic.
func (f *Func) MaxArgs() int {
	if n := len(f.Params); n > 0 && f.Params[n-1].Variadic {
		return -1
	}
	return len(f.Params)
}

// Param returns the parameter that the i'th argument (from 0) binds to,
// following a variadic last parameter; ok is false past the last one.
func (f *Func) Param(i int) (p Param, ok bool) {
	n := len(f.Params)
	switch {
	case i < 0 || n == 0:
		return Param{}, false
	case i < n:
		return f.Params[i], true
	case f.Params[n-1].Variadic:
		return f.Params[n-1], true
	}
	return Param{}, false
}

// Accepts reports whether the i'th argument (from 0) may have type t. It is
// lenient: Unknown, Invalid and dynamic are accepted in every scalar
// position, numeric kinds accept int, long, real and decimal. An index past
// the last parameter is not accepted (the arity check reports it).
func (f *Func) Accepts(i int, t types.Type) bool {
	p, ok := f.Param(i)
	return ok && p.Kind.accepts(t)
}

// ResultType is f.Result(args), or types.Unknown when Result is nil.
func (f *Func) ResultType(args []types.Type) types.Type {
	if f.Result == nil {
		return types.Unknown
	}
	return f.Result(args)
}

// Signature formats the call shape for docs and messages:
// "substring(source: scalar, start: integer[, length: integer])".
func (f *Func) Signature() string {
	var b strings.Builder
	b.WriteString(f.Name)
	b.WriteByte('(')
	closing := 0
	for i, p := range f.Params {
		sep := ", "
		if i == 0 {
			sep = ""
		}
		if p.Optional {
			b.WriteByte('[')
			closing++
		}
		b.WriteString(sep)
		b.WriteString(p.Name)
		b.WriteString(": ")
		b.WriteString(p.Kind.String())
		if p.Variadic {
			b.WriteString(", ...")
		}
	}
	b.WriteString(strings.Repeat("]", closing))
	b.WriteByte(')')
	return b.String()
}

// table maps names to functions; sorted holds them ordered by name.
var table, sorted = index(
	stringFuncs, hashFuncs, conversionFuncs, conditionalFuncs, datetimeFuncs,
	mathFuncs, dynamicFuncs, ipFuncs, seriesFuncs, metaFuncs,
	aggregateFuncs, windowFuncs, unitFuncs,
)

// index builds the lookup map, resolves copyOf entries and panics on a
// duplicate name or a dangling reference: both are programming errors in
// the table, caught by any test run.
func index(families ...[]*Func) (map[string]*Func, []*Func) {
	m := make(map[string]*Func)
	var all []*Func
	for _, fam := range families {
		for _, f := range fam {
			if _, dup := m[f.Name]; dup {
				panic("builtin: duplicate function " + f.Name)
			}
			m[f.Name] = f
			all = append(all, f)
		}
	}
	for _, f := range all {
		if f.copyOf == "" {
			continue
		}
		src, ok := m[f.copyOf]
		if !ok || src.copyOf != "" {
			panic("builtin: " + f.Name + " copies unknown or copied " + f.copyOf)
		}
		f.Kind, f.Params, f.Result = src.Kind, src.Params, src.Result
		f.Doc += src.Doc // f.Doc holds a prefix such as "Synonym of iff. "
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return m, all
}

// Lookup returns the function named name. Names are case-sensitive.
func Lookup(name string) (*Func, bool) {
	f, ok := table[name]
	return f, ok
}

// All returns every function, sorted by name. The slice is a copy; the
// functions are shared and must not be modified.
func All() []*Func {
	return append([]*Func(nil), sorted...)
}

// IsAggregate reports whether name is a known aggregate function.
func IsAggregate(name string) bool {
	f, ok := table[name]
	return ok && f.Kind == Aggregate
}
