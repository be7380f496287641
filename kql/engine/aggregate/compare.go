package aggregate

// This file implements the value order min, max, arg_max, arg_min and the
// sort operator share: numbers numerically, strings ordinally, datetimes
// and timespans by ticks, false before true; dynamic values by kind, then
// within a kind.

import (
	"cmp"
	"math"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Compare orders two non-null values of the same type. Reals order NaN
// before every number; dynamic values order by kind (bool, number,
// datetime, timespan, string, array, bag), then by value.
func Compare(a, b value.Value) int {
	switch a.Type {
	case types.Bool:
		return cmpBool(a.B, b.B)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return cmp.Compare(a.I, b.I)
	case types.Real, types.Decimal:
		return cmp.Compare(a.F, b.F)
	case types.String, types.Guid:
		return strings.Compare(a.S, b.S)
	}
	return CompareDynamic(a.D, b.D)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// dynRank orders the kinds of dynamic values.
func dynRank(d any) int {
	switch d.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64:
		return 2
	case value.Datetime:
		return 3
	case value.Timespan:
		return 4
	case string:
		return 5
	case []any:
		return 6
	}
	return 7
}

// CompareDynamic orders two dynamic values: by kind, then by value
// (numbers numerically, arrays and bags by their JSON text).
func CompareDynamic(a, b any) int {
	ra, rb := dynRank(a), dynRank(b)
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch x := a.(type) {
	case nil:
		return 0
	case bool:
		return cmpBool(x, b.(bool))
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
		return cmp.Compare(float64(x), b.(float64))
	case float64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, float64(y))
		}
		return cmp.Compare(x, b.(float64))
	case value.Datetime:
		return cmp.Compare(x, b.(value.Datetime))
	case value.Timespan:
		return cmp.Compare(x, b.(value.Timespan))
	case string:
		return strings.Compare(x, b.(string))
	}
	return strings.Compare(value.FormatJSON(a), value.FormatJSON(b))
}

// orderable reports whether row i holds a value min and max consider:
// not null and not NaN (an empty string is a value, as isnull says).
func orderable(c *value.Column, i int) bool {
	if c.IsNull(i) {
		return false
	}
	switch c.Type {
	case types.Real, types.Decimal:
		return !math.IsNaN(c.Reals[i])
	}
	return true
}

// cmpRow compares row i of c with v (both orderable, same type).
func cmpRow(c *value.Column, i int, v value.Value) int {
	switch c.Type {
	case types.Bool:
		return cmpBool(c.Bools[i], v.B)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return cmp.Compare(c.Ints[i], v.I)
	case types.Real, types.Decimal:
		return cmp.Compare(c.Reals[i], v.F)
	case types.String, types.Guid:
		return strings.Compare(c.Strs[i], v.S)
	}
	return CompareDynamic(c.Dyns[i], v.D)
}
