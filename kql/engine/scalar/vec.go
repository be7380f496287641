package scalar

// This file implements the typed views of argument columns that kernels
// loop over, and the constructors of result columns.

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// vec is an argument seen as a slice of T, or as one constant T.
type vec[T any] struct {
	s     []T    // nil for a constant
	k     T      // the constant
	nulls []bool // nil: no nulls
	kNull bool   // the constant is null
}

func (v *vec[T]) at(i int) T {
	if v.s == nil {
		return v.k
	}
	return v.s[i]
}

func (v *vec[T]) null(i int) bool {
	if v.s == nil {
		return v.kNull
	}
	return v.nulls != nil && v.nulls[i]
}

// hasNulls reports whether any row may be null.
func (v *vec[T]) hasNulls() bool { return v.kNull || v.nulls != nil }

// intsOf views an argument of integer storage (int, long, datetime,
// timespan) as int64s; a real argument is truncated.
func intsOf(a Arg, c *value.Column) vec[int64] {
	if c == nil {
		v := value.Null(types.Long)
		if a.Const != nil {
			v = *a.Const
		}
		switch {
		case v.IsNull():
			return vec[int64]{kNull: true}
		case isRealType(v.Type):
			return vec[int64]{k: int64(v.F)}
		case v.Type == types.Bool:
			return vec[int64]{k: b2i(v.B)}
		}
		return vec[int64]{k: v.I}
	}
	switch {
	case isRealType(c.Type):
		out := make([]int64, len(c.Reals))
		for i, f := range c.Reals {
			out[i] = int64(f)
		}
		return vec[int64]{s: out, nulls: c.Nulls}
	case c.Type == types.Bool:
		out := make([]int64, len(c.Bools))
		for i, b := range c.Bools {
			out[i] = b2i(b)
		}
		return vec[int64]{s: out, nulls: c.Nulls}
	}
	return vec[int64]{s: c.Ints, nulls: c.Nulls}
}

// realsOf views a numeric argument as float64s.
func realsOf(a Arg, c *value.Column) vec[float64] {
	if c == nil {
		v := value.Null(types.Real)
		if a.Const != nil {
			v = *a.Const
		}
		switch {
		case v.IsNull():
			return vec[float64]{kNull: true}
		case isRealType(v.Type):
			return vec[float64]{k: v.F}
		case v.Type == types.Bool:
			return vec[float64]{k: float64(b2i(v.B))}
		}
		return vec[float64]{k: float64(v.I)}
	}
	if isRealType(c.Type) {
		return vec[float64]{s: c.Reals, nulls: c.Nulls}
	}
	out := make([]float64, c.Len())
	switch c.Type {
	case types.Bool:
		for i, b := range c.Bools {
			out[i] = float64(b2i(b))
		}
	default:
		for i, x := range c.Ints {
			out[i] = float64(x)
		}
	}
	return vec[float64]{s: out, nulls: c.Nulls}
}

// strsOf views an argument as strings, converting other types as
// tostring() does.
func strsOf(a Arg, c *value.Column) vec[string] {
	if c == nil {
		if a.Const == nil {
			return vec[string]{}
		}
		return vec[string]{k: toStr(*a.Const)}
	}
	if c.Type == types.String || c.Type == types.Guid {
		return vec[string]{s: c.Strs}
	}
	out := make([]string, c.Len())
	for i := range out {
		out[i] = toStr(c.Value(i))
	}
	return vec[string]{s: out}
}

// boolsOf views a bool argument; a dynamic argument converts its elements.
func boolsOf(a Arg, c *value.Column) vec[bool] {
	if c == nil {
		if a.Const == nil {
			return vec[bool]{kNull: true}
		}
		v := toBoolValue(*a.Const)
		return vec[bool]{k: v.B, kNull: v.IsNull()}
	}
	if c.Type == types.Bool {
		return vec[bool]{s: c.Bools, nulls: c.Nulls}
	}
	n := c.Len()
	out := make([]bool, n)
	var nulls []bool
	for i := 0; i < n; i++ {
		v := toBoolValue(c.Value(i))
		if v.IsNull() {
			if nulls == nil {
				nulls = make([]bool, n)
			}
			nulls[i] = true
			continue
		}
		out[i] = v.B
	}
	return vec[bool]{s: out, nulls: nulls}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func isRealType(t types.Type) bool { return t == types.Real || t == types.Decimal }

// isIntType reports integer storage of a number (int, long).
func isIntType(t types.Type) bool { return t == types.Int || t == types.Long }

// zip applies f to each row of a and b. A row where either side is null,
// or where f reports !ok, is null in the result.
func zip[A, B, R any](n int, a vec[A], b vec[B], f func(A, B) (R, bool)) ([]R, []bool) {
	out := make([]R, n)
	if a.kNull || b.kNull {
		return out, allNulls(n)
	}
	var nulls []bool
	if !a.hasNulls() && !b.hasNulls() {
		switch {
		case a.s != nil && b.s != nil:
			for i := 0; i < n; i++ {
				r, ok := f(a.s[i], b.s[i])
				out[i] = r
				if !ok {
					nulls = setNull(nulls, n, i)
				}
			}
			return out, nulls
		case a.s != nil:
			for i := 0; i < n; i++ {
				r, ok := f(a.s[i], b.k)
				out[i] = r
				if !ok {
					nulls = setNull(nulls, n, i)
				}
			}
			return out, nulls
		}
	}
	for i := 0; i < n; i++ {
		if a.null(i) || b.null(i) {
			nulls = setNull(nulls, n, i)
			continue
		}
		r, ok := f(a.at(i), b.at(i))
		out[i] = r
		if !ok {
			nulls = setNull(nulls, n, i)
		}
	}
	return out, nulls
}

// mapv applies f to each row of a; null rows and !ok results are null.
func mapv[A, R any](n int, a vec[A], f func(A) (R, bool)) ([]R, []bool) {
	out := make([]R, n)
	if a.kNull {
		return out, allNulls(n)
	}
	var nulls []bool
	for i := 0; i < n; i++ {
		if a.null(i) {
			nulls = setNull(nulls, n, i)
			continue
		}
		r, ok := f(a.at(i))
		out[i] = r
		if !ok {
			nulls = setNull(nulls, n, i)
		}
	}
	return out, nulls
}

func setNull(nulls []bool, n, i int) []bool {
	if nulls == nil {
		nulls = make([]bool, n)
	}
	nulls[i] = true
	return nulls
}

func allNulls(n int) []bool {
	nulls := make([]bool, n)
	for i := range nulls {
		nulls[i] = true
	}
	return nulls
}

// Result column constructors. Strings never carry nulls.

func intCol(t types.Type, s []int64, nulls []bool) *value.Column {
	if t == types.Int {
		for i, x := range s {
			s[i] = int64(int32(x))
		}
	}
	return &value.Column{Type: t, Ints: s, Nulls: nulls}
}

func realCol(t types.Type, s []float64, nulls []bool) *value.Column {
	return &value.Column{Type: t, Reals: s, Nulls: nulls}
}

func boolCol(s []bool, nulls []bool) *value.Column {
	return &value.Column{Type: types.Bool, Bools: s, Nulls: nulls}
}

func strCol(t types.Type, s []string) *value.Column {
	return &value.Column{Type: t, Strs: s}
}

func dynCol(s []any) *value.Column {
	return &value.Column{Type: types.Dynamic, Dyns: s}
}

// constColumn returns a column of n copies of v.
func constColumn(v value.Value, n int) *value.Column { return value.Const(v, n) }

// convertCol converts a column to type t row by row (value.Convert).
func convertCol(c *value.Column, t types.Type) *value.Column {
	if c.Type == t {
		return c
	}
	out := value.NewColumn(t, c.Len())
	for i := 0; i < c.Len(); i++ {
		out.Append(value.Convert(c.Value(i), t))
	}
	return out
}
