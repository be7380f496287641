package store

// This file converts exported cell values to Kusto types.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// coerce converts a decoded JSON value (nil, bool, string, json number as
// int64/float64, []any, *value.Bag) or a CSV cell (string) to type t.
func coerce(v any, t types.Type, fromCSV bool) (value.Value, error) {
	if v == nil {
		return value.Null(t), nil
	}
	if s, ok := v.(string); ok && fromCSV && s == "" {
		return value.Null(t), nil
	}
	switch t {
	case types.String:
		switch x := v.(type) {
		case string:
			return value.OfString(x), nil
		case []any, *value.Bag:
			return value.OfString(value.FormatJSON(x)), nil
		}
		return value.OfString(fmt.Sprint(v)), nil
	case types.Long, types.Int:
		switch x := v.(type) {
		case int64:
			return value.Value{Type: t, I: x}, nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return value.Value{Type: t, I: int64(x)}, nil
			}
		case bool:
			if x {
				return value.Value{Type: t, I: 1}, nil
			}
			return value.Value{Type: t}, nil
		case string:
			if i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
				return value.Value{Type: t, I: i}, nil
			}
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && f == math.Trunc(f) {
				return value.Value{Type: t, I: int64(f)}, nil
			}
		}
	case types.Real, types.Decimal:
		switch x := v.(type) {
		case int64:
			return value.Value{Type: t, F: float64(x)}, nil
		case float64:
			return value.Value{Type: t, F: x}, nil
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
				return value.Value{Type: t, F: f}, nil
			}
		}
	case types.Bool:
		switch x := v.(type) {
		case bool:
			return value.OfBool(x), nil
		case int64:
			return value.OfBool(x != 0), nil
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "true", "1":
				return value.OfBool(true), nil
			case "false", "0":
				return value.OfBool(false), nil
			}
		}
	case types.Datetime:
		if s, ok := v.(string); ok {
			if d, ok := value.ParseDatetime(s); ok {
				return value.OfDatetime(d), nil
			}
		}
	case types.Timespan:
		if s, ok := v.(string); ok {
			if ts, ok := value.ParseTimespan(s); ok {
				return value.OfTimespan(ts), nil
			}
		}
	case types.Guid:
		if s, ok := v.(string); ok {
			return value.OfGuid(strings.Trim(strings.TrimSpace(s), "{}")), nil
		}
	case types.Dynamic:
		if s, ok := v.(string); ok {
			// Exports often carry dynamic columns as JSON text.
			if ts := strings.TrimSpace(s); strings.HasPrefix(ts, "{") || strings.HasPrefix(ts, "[") {
				if d, err := value.ParseJSON(ts); err == nil {
					return value.OfDynamic(d), nil
				}
			}
		}
		return value.OfDynamic(v), nil
	}
	return value.Value{}, fmt.Errorf("cannot read %s as %s", preview(v), t)
}

func preview(v any) string {
	s := fmt.Sprint(v)
	if _, ok := v.(string); ok {
		s = strconv.Quote(s)
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
