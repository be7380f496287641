package ingest

// This file converts exported cell values to Kusto types.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Coerce converts a decoded JSON value (nil, bool, string, int64, float64,
// []any or *value.Bag, as value.ParseJSON returns them) or a CSV cell (a
// string) to type t. Empty text is null for every type but string; numbers
// may arrive as text (decimal or 0x hex), datetimes in any format
// ParseDatetime reads or as Unix epochs, dynamic values as JSON text.
// fromText is kept for callers that distinguish CSV cells; text is read
// the same way either way.
func Coerce(v any, t types.Type, fromText bool) (value.Value, error) {
	_ = fromText
	switch x := v.(type) {
	case nil:
		return value.Null(t), nil
	case string:
		return fromString(x, t)
	case bool:
		return fromBool(x, t)
	case int64:
		return fromNumber(strconv.FormatInt(x, 10), t)
	case int:
		return fromNumber(strconv.Itoa(x), t)
	case float64:
		return fromNumber(value.FormatReal(x), t)
	case []any, *value.Bag:
		return fromContainer(x, t)
	}
	return value.Value{}, fmt.Errorf("cannot read %s as %s", preview(fmt.Sprint(v)), t)
}

// coerce converts a scanned JSON value to type t.
func coerce(v jval, t types.Type) (value.Value, error) {
	switch v.k {
	case kNull:
		return value.Null(t), nil
	case kStr:
		return fromString(v.s, t)
	case kNum:
		return fromNumber(v.s, t)
	case kBool:
		return fromBool(v.s == "true", t)
	}
	switch t {
	case types.Dynamic, types.String:
		d, err := dynamicOf(v)
		if err != nil {
			return value.Value{}, err
		}
		return fromContainer(d, t)
	}
	return value.Value{}, fmt.Errorf("cannot read %s as %s", preview(v.s), t)
}

func fromContainer(d any, t types.Type) (value.Value, error) {
	switch t {
	case types.Dynamic:
		return value.OfDynamic(d), nil
	case types.String:
		return value.OfString(value.FormatJSON(d)), nil
	}
	return value.Value{}, fmt.Errorf("cannot read %s as %s", preview(value.FormatJSON(d)), t)
}

func fromBool(b bool, t types.Type) (value.Value, error) {
	switch t {
	case types.Bool:
		return value.OfBool(b), nil
	case types.String:
		return value.OfString(strconv.FormatBool(b)), nil
	case types.Dynamic:
		return value.OfDynamic(b), nil
	case types.Int, types.Long:
		if b {
			return value.Value{Type: t, I: 1}, nil
		}
		return value.Value{Type: t}, nil
	}
	return value.Value{}, fmt.Errorf("cannot read %t as %s", b, t)
}

// fromNumber converts a JSON number's text.
func fromNumber(s string, t types.Type) (value.Value, error) {
	switch t {
	case types.String:
		return value.OfString(s), nil
	case types.Dynamic:
		return value.OfDynamic(value.Number(s)), nil
	case types.Datetime:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if d, ok := epoch(f); ok {
				return value.OfDatetime(d), nil
			}
		}
	case types.Bool:
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) {
			return value.OfBool(f != 0), nil
		}
	default:
		return fromString(s, t)
	}
	return value.Value{}, fmt.Errorf("cannot read %s as %s", preview(s), t)
}

// fromString converts text; it is also the path for CSV cells.
func fromString(s string, t types.Type) (value.Value, error) {
	if t == types.String {
		return value.OfString(s), nil
	}
	x := strings.TrimSpace(s)
	if x == "" {
		return value.Null(t), nil
	}
	switch t {
	case types.Long, types.Int:
		if i, ok := parseInt(x); ok {
			if t == types.Int && (i < math.MinInt32 || i > math.MaxInt32) {
				break
			}
			return value.Value{Type: t, I: i}, nil
		}
		if strings.EqualFold(x, "nan") {
			return value.Null(t), nil
		}
	case types.Real, types.Decimal:
		if f, err := strconv.ParseFloat(x, 64); err == nil || isRangeErr(err) {
			return value.Value{Type: t, F: f}, nil
		}
	case types.Bool:
		switch strings.ToLower(x) {
		case "true", "1", "yes":
			return value.OfBool(true), nil
		case "false", "0", "no":
			return value.OfBool(false), nil
		}
	case types.Datetime:
		if d, ok := ParseDatetime(x); ok {
			return value.OfDatetime(d), nil
		}
	case types.Timespan:
		if ts, ok := value.ParseTimespan(x); ok {
			return value.OfTimespan(ts), nil
		}
	case types.Guid:
		if g, ok := parseGuid(x); ok {
			return value.OfGuid(g), nil
		}
	case types.Dynamic:
		if looksLikeJSONContainer(x) {
			if d, err := parseJSONText(x); err == nil {
				return value.OfDynamic(d), nil
			}
		}
		return value.OfDynamic(s), nil
	}
	return value.Value{}, fmt.Errorf("cannot read %s as %s", preview(s), t)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parseInt reads a decimal or 0x-hex integer, or a real with no fraction
// ("443.0", as pandas writes integer columns with gaps).
func parseInt(s string) (int64, bool) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if u, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return int64(u), true
		}
		return 0, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), true
	}
	return 0, false
}

// parseGuid accepts 8-4-4-4-12 hex digits, optionally in braces, and
// returns them without braces.
func parseGuid(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "", false
		}
	}
	return s, true
}

// preview quotes the start of a value for an error message.
func preview(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}
