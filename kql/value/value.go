package value

// This file implements Value, one scalar of any Kusto type, used for
// constants, row-at-a-time functions and results.

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
)

// Value is one scalar. The field used depends on Type as for Column: B for
// bool, I for int/long/datetime/timespan ticks, F for real/decimal, S for
// string/guid, D for dynamic. Null marks a null of Type (never set for
// strings, whose null is "").
type Value struct {
	Type types.Type
	Null bool
	B    bool
	I    int64
	F    float64
	S    string
	D    any
}

// Null returns the null of type t ("" for strings).
func Null(t types.Type) Value {
	if t == types.String {
		return Value{Type: t}
	}
	return Value{Type: t, Null: true}
}

// Constructors.
func OfBool(b bool) Value         { return Value{Type: types.Bool, B: b} }
func OfLong(i int64) Value        { return Value{Type: types.Long, I: i} }
func OfInt(i int64) Value         { return Value{Type: types.Int, I: int64(int32(i))} }
func OfReal(f float64) Value      { return Value{Type: types.Real, F: f} }
func OfString(s string) Value     { return Value{Type: types.String, S: s} }
func OfDatetime(d Datetime) Value { return Value{Type: types.Datetime, I: int64(d)} }
func OfTimespan(t Timespan) Value { return Value{Type: types.Timespan, I: int64(t)} }
func OfGuid(s string) Value       { return Value{Type: types.Guid, S: strings.ToLower(s)} }
func OfDynamic(d any) Value       { return Value{Type: types.Dynamic, D: d, Null: d == nil} }

// IsNull reports whether v is null (a dynamic null included).
func (v Value) IsNull() bool {
	return v.Null || (v.Type == types.Dynamic && v.D == nil)
}

// IsEmpty reports whether v is null or an empty string, as isempty() does.
func (v Value) IsEmpty() bool {
	if v.IsNull() {
		return true
	}
	switch v.Type {
	case types.String:
		return v.S == ""
	case types.Dynamic:
		if s, ok := v.D.(string); ok {
			return s == ""
		}
	}
	return false
}

// ToDynamic returns v as a dynamic value (package value's representation).
func (v Value) ToDynamic() any {
	if v.IsNull() {
		return nil
	}
	switch v.Type {
	case types.Bool:
		return v.B
	case types.Int, types.Long:
		return v.I
	case types.Real, types.Decimal:
		return v.F
	case types.Datetime:
		return Datetime(v.I)
	case types.Timespan:
		return Timespan(v.I)
	case types.String, types.Guid:
		return v.S
	}
	return v.D
}

// FromDynamic converts a dynamic value's element into a typed Value where
// its kind is a scalar, keeping arrays and bags dynamic.
func FromDynamic(d any) Value {
	switch x := d.(type) {
	case nil:
		return Null(types.Dynamic)
	case bool:
		return OfBool(x)
	case int64:
		return OfLong(x)
	case float64:
		return OfReal(x)
	case string:
		return OfString(x)
	case Datetime:
		return OfDatetime(x)
	case Timespan:
		return OfTimespan(x)
	}
	return OfDynamic(d)
}

// String formats v as tostring() does.
func (v Value) String() string {
	if v.IsNull() {
		return ""
	}
	switch v.Type {
	case types.Bool:
		if v.B {
			return "true"
		}
		return "false"
	case types.Int, types.Long:
		return strconv.FormatInt(v.I, 10)
	case types.Real, types.Decimal:
		return FormatReal(v.F)
	case types.Datetime:
		return Datetime(v.I).String()
	case types.Timespan:
		return Timespan(v.I).String()
	case types.String, types.Guid:
		return v.S
	}
	if s, ok := v.D.(string); ok {
		return s
	}
	return FormatJSON(v.D)
}

// FormatReal formats a real as Kusto (.NET) does: the shortest digits
// that round-trip, in fixed notation unless the exponent is 15 or more or
// -5 or less (1E+20, 1E-05); NaN and ±Infinity spelled out.
func FormatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return string(appendReal(nil, f))
}

// appendReal appends a finite real in .NET's shortest round-trip form.
func appendReal(dst []byte, f float64) []byte {
	e := strconv.AppendFloat(nil, f, 'e', -1, 64) // -d.ddde±XX
	i := bytes.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(string(e[i+1:]))
	if exp >= -4 && exp < 15 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	dst = append(dst, e[:i]...)
	dst = append(dst, 'E')
	if exp < 0 {
		dst, exp = append(dst, '-'), -exp
	} else {
		dst = append(dst, '+')
	}
	if exp < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(exp), 10)
}

// Convert converts v to type t the way Kusto converts implicitly between
// numeric types and to dynamic; other conversions give a null of t.
// Explicit conversions (tostring, tolong, todatetime, …) are functions.
func Convert(v Value, t types.Type) Value {
	if v.Type == t {
		return v
	}
	if v.IsNull() {
		return Null(t)
	}
	switch t {
	case types.Dynamic:
		return OfDynamic(v.ToDynamic())
	case types.Long, types.Int:
		switch v.Type {
		case types.Int, types.Long:
			return Value{Type: t, I: v.I}
		case types.Real, types.Decimal:
			if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
				return Null(t)
			}
			return Value{Type: t, I: int64(v.F)}
		case types.Bool:
			if v.B {
				return Value{Type: t, I: 1}
			}
			return Value{Type: t}
		case types.Dynamic:
			return Convert(FromDynamic(v.D), t)
		}
	case types.Real, types.Decimal:
		switch v.Type {
		case types.Int, types.Long:
			return Value{Type: t, F: float64(v.I)}
		case types.Real, types.Decimal:
			return Value{Type: t, F: v.F}
		case types.Dynamic:
			return Convert(FromDynamic(v.D), t)
		}
	case types.String:
		return OfString(v.String())
	case types.Bool, types.Datetime, types.Timespan, types.Guid:
		if v.Type == types.Dynamic {
			inner := FromDynamic(v.D)
			if inner.Type == t {
				return inner
			}
			if inner.Type == types.String {
				return parseAs(inner.S, t)
			}
		}
	}
	return Null(t)
}

// parseAs parses a string held in a dynamic as t.
func parseAs(s string, t types.Type) Value {
	switch t {
	case types.Bool:
		switch strings.ToLower(s) {
		case "true":
			return OfBool(true)
		case "false":
			return OfBool(false)
		}
	case types.Datetime:
		if d, ok := ParseDatetime(s); ok {
			return OfDatetime(d)
		}
	case types.Timespan:
		if ts, ok := ParseTimespan(s); ok {
			return OfTimespan(ts)
		}
	case types.Guid:
		if g, ok := ParseGuid(s); ok {
			return OfGuid(g)
		}
	}
	return Null(t)
}

// ParseGuid parses a guid written as 32 hex digits, in 8-4-4-4-12 groups,
// or either inside braces or parentheses, and returns its canonical
// lower-case 8-4-4-4-12 form.
func ParseGuid(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '{' && s[len(s)-1] == '}' || s[0] == '(' && s[len(s)-1] == ')') {
		s = s[1 : len(s)-1]
	}
	switch {
	case len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-':
		s = s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	case len(s) != 32:
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	h := strings.ToLower(s)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}
