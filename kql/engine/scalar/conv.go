package scalar

// This file implements the value conversions the conversion functions and
// the operators share: tostring, tolong, toreal, tobool, todatetime,
// totimespan, toguid and todynamic on single values.

import (
	"math"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// toStr formats v as tostring() does: null is "", a dynamic string is its
// text, other dynamic values are JSON.
func toStr(v value.Value) string {
	if v.IsNull() {
		return ""
	}
	switch v.Type {
	case types.String, types.Guid:
		return v.S
	case types.Datetime:
		return formatISO(value.Datetime(v.I))
	case types.Dynamic:
		switch d := v.D.(type) {
		case string:
			return d
		case value.Datetime:
			return formatISO(d)
		}
	}
	return v.String()
}

// formatISO formats a datetime as tostring() does: ISO 8601 with seven
// fraction digits (2017-10-15T12:00:00.0000000Z).
func formatISO(d value.Datetime) string { return d.String() }

// dynOf returns v as a dynamic element.
func dynOf(v value.Value) any { return v.ToDynamic() }

// fromDyn converts a dynamic element to a typed value (arrays and bags
// stay dynamic).
func fromDyn(d any) value.Value { return value.FromDynamic(d) }

// toLongValue converts v as tolong() does.
func toLongValue(v value.Value) value.Value {
	if v.IsNull() {
		return value.Null(types.Long)
	}
	switch v.Type {
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return value.OfLong(v.I)
	case types.Real, types.Decimal:
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			return value.Null(types.Long)
		}
		return value.OfLong(int64(v.F))
	case types.Bool:
		return value.OfLong(b2i(v.B))
	case types.String:
		return parseLong(v.S)
	case types.Dynamic:
		return toLongValue(nonDyn(v))
	}
	return value.Null(types.Long)
}

// nonDyn unwraps a dynamic scalar; an array or bag becomes its JSON text
// for conversions that parse strings.
func nonDyn(v value.Value) value.Value {
	w := fromDyn(v.D)
	if w.Type == types.Dynamic && !w.IsNull() {
		return value.Null(types.Dynamic)
	}
	return w
}

func parseLong(s string) value.Value {
	s = strings.TrimSpace(s)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return value.OfLong(i)
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		if u, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return value.OfLong(int64(u))
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return value.OfLong(int64(f))
	}
	return value.Null(types.Long)
}

// toRealValue converts v as toreal() does.
func toRealValue(v value.Value) value.Value {
	if v.IsNull() {
		return value.Null(types.Real)
	}
	switch v.Type {
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return value.OfReal(float64(v.I))
	case types.Real, types.Decimal:
		return value.OfReal(v.F)
	case types.Bool:
		return value.OfReal(float64(b2i(v.B)))
	case types.String:
		return parseRealValue(v.S)
	case types.Dynamic:
		return toRealValue(nonDyn(v))
	}
	return value.Null(types.Real)
}

func parseRealValue(s string) value.Value {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "nan":
		return value.OfReal(math.NaN())
	case "inf", "+inf", "infinity", "+infinity":
		return value.OfReal(math.Inf(1))
	case "-inf", "-infinity":
		return value.OfReal(math.Inf(-1))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return value.Null(types.Real)
	}
	return value.OfReal(f)
}

// toBoolValue converts v as tobool() does: "true"/"false" in any case,
// numbers by whether they are non-zero.
func toBoolValue(v value.Value) value.Value {
	if v.IsNull() {
		return value.Null(types.Bool)
	}
	switch v.Type {
	case types.Bool:
		return v
	case types.Int, types.Long:
		return value.OfBool(v.I != 0)
	case types.Real, types.Decimal:
		if math.IsNaN(v.F) {
			return value.Null(types.Bool)
		}
		return value.OfBool(v.F != 0)
	case types.String:
		switch strings.ToLower(strings.TrimSpace(v.S)) {
		case "true":
			return value.OfBool(true)
		case "false":
			return value.OfBool(false)
		}
		if i, err := strconv.ParseInt(strings.TrimSpace(v.S), 10, 64); err == nil {
			return value.OfBool(i != 0)
		}
	case types.Dynamic:
		return toBoolValue(nonDyn(v))
	}
	return value.Null(types.Bool)
}

// toDatetimeValue converts v as todatetime() does.
func toDatetimeValue(v value.Value) value.Value {
	if v.IsNull() {
		return value.Null(types.Datetime)
	}
	switch v.Type {
	case types.Datetime:
		return v
	case types.String:
		if d, ok := value.ParseDatetime(v.S); ok {
			return value.OfDatetime(d)
		}
	case types.Int, types.Long:
		// A number is taken as ticks, as .NET's DateTime(long) does.
		return value.OfDatetime(value.Datetime(v.I) + ticksEpochOffset)
	case types.Dynamic:
		return toDatetimeValue(nonDyn(v))
	}
	return value.Null(types.Datetime)
}

// ticksEpochOffset converts .NET ticks (from 0001-01-01) to ticks from
// the Unix epoch: it is minus the ticks of 1970-01-01.
const ticksEpochOffset = value.Datetime(-621355968000000000)

// toTimespanValue converts v as totimespan() does.
func toTimespanValue(v value.Value) value.Value {
	if v.IsNull() {
		return value.Null(types.Timespan)
	}
	switch v.Type {
	case types.Timespan:
		return v
	case types.String:
		if t, ok := value.ParseTimespan(v.S); ok {
			return value.OfTimespan(t)
		}
	case types.Int, types.Long:
		return value.OfTimespan(value.Timespan(v.I))
	case types.Real, types.Decimal:
		return value.OfTimespan(value.Timespan(math.Round(v.F)))
	case types.Dynamic:
		return toTimespanValue(nonDyn(v))
	}
	return value.Null(types.Timespan)
}

// toGuidValue converts v as toguid() does: a string in one of .NET's guid
// formats (hex digits with or without hyphens and braces).
func toGuidValue(v value.Value) value.Value {
	if v.IsNull() {
		return value.Null(types.Guid)
	}
	switch v.Type {
	case types.Guid:
		return v
	case types.String:
		if g, ok := parseGuid(v.S); ok {
			return value.OfGuid(g)
		}
	case types.Dynamic:
		return toGuidValue(nonDyn(v))
	}
	return value.Null(types.Guid)
}

// parseGuid returns the canonical lower-case 8-4-4-4-12 form of a guid.
func parseGuid(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '{' && s[len(s)-1] == '}' || s[0] == '(' && s[len(s)-1] == ')') {
		s = s[1 : len(s)-1]
	}
	var hex []byte
	switch len(s) {
	case 32:
		hex = []byte(s)
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return "", false
		}
		hex = []byte(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
	default:
		return "", false
	}
	for i, c := range hex {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			hex[i] = c + 'a' - 'A'
		default:
			return "", false
		}
	}
	h := string(hex)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// toDynamicValue converts v as todynamic()/parse_json() do: a string is
// parsed as JSON (text that is not JSON stays a dynamic string), other
// values are wrapped.
func toDynamicValue(v value.Value) value.Value {
	if v.Type == types.String {
		d, err := value.ParseJSON(v.S)
		if err != nil {
			if strings.TrimSpace(v.S) == "" {
				return value.Null(types.Dynamic)
			}
			return value.OfDynamic(v.S)
		}
		return value.OfDynamic(d)
	}
	if v.Type == types.Dynamic {
		return v
	}
	return value.OfDynamic(v.ToDynamic())
}

// convertTo converts v to t as the to*() functions do.
func convertTo(v value.Value, t types.Type) value.Value {
	switch t {
	case types.String:
		return value.OfString(toStr(v))
	case types.Long:
		return toLongValue(v)
	case types.Int:
		l := toLongValue(v)
		if l.IsNull() {
			return value.Null(types.Int)
		}
		return value.OfInt(l.I)
	case types.Real:
		return toRealValue(v)
	case types.Decimal:
		r := toRealValue(v)
		r.Type = types.Decimal
		return r
	case types.Bool:
		return toBoolValue(v)
	case types.Datetime:
		return toDatetimeValue(v)
	case types.Timespan:
		return toTimespanValue(v)
	case types.Guid:
		return toGuidValue(v)
	case types.Dynamic:
		if v.Type == types.String {
			return value.OfDynamic(v.S)
		}
		return value.OfDynamic(v.ToDynamic())
	}
	return value.Null(t)
}
