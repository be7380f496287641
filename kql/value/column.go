package value

// This file implements Column, the typed vector every operator works on.

import (
	"github.com/vigil-hunt/vigil/kql/types"
)

// Column is a vector of values of one Kusto type. Exactly one data slice is
// used, chosen by Type:
//
//	Bool                         Bools
//	Int, Long, Datetime, Timespan Ints (datetimes and timespans as ticks)
//	Real, Decimal                Reals
//	String, Guid                 Strs (guids in canonical lower-case form)
//	Dynamic                      Dyns (see package value)
//
// Nulls is nil when no value is null; otherwise Nulls[i] marks row i null.
// Strings are never null in Kusto (an absent string is ""), so string
// columns never carry Nulls.
type Column struct {
	Type  types.Type
	Bools []bool
	Ints  []int64
	Reals []float64
	Strs  []string
	Dyns  []any
	Nulls []bool
}

// NewColumn returns an empty column of type t with capacity n.
func NewColumn(t types.Type, n int) *Column {
	c := &Column{Type: t}
	switch storage(t) {
	case stBool:
		c.Bools = make([]bool, 0, n)
	case stInt:
		c.Ints = make([]int64, 0, n)
	case stReal:
		c.Reals = make([]float64, 0, n)
	case stStr:
		c.Strs = make([]string, 0, n)
	default:
		c.Dyns = make([]any, 0, n)
	}
	return c
}

// NullColumn returns a column of n nulls of type t.
func NullColumn(t types.Type, n int) *Column {
	c := NewColumn(t, n)
	for i := 0; i < n; i++ {
		c.AppendNull()
	}
	return c
}

type storageKind uint8

const (
	stDyn storageKind = iota
	stBool
	stInt
	stReal
	stStr
)

func storage(t types.Type) storageKind {
	switch t {
	case types.Bool:
		return stBool
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return stInt
	case types.Real, types.Decimal:
		return stReal
	case types.String, types.Guid:
		return stStr
	}
	return stDyn
}

// Len returns the number of rows.
func (c *Column) Len() int {
	switch storage(c.Type) {
	case stBool:
		return len(c.Bools)
	case stInt:
		return len(c.Ints)
	case stReal:
		return len(c.Reals)
	case stStr:
		return len(c.Strs)
	}
	return len(c.Dyns)
}

// IsNull reports whether row i is null.
func (c *Column) IsNull(i int) bool {
	if c.Nulls != nil && c.Nulls[i] {
		return true
	}
	if storage(c.Type) == stDyn {
		return c.Dyns[i] == nil
	}
	return false
}

// Value returns row i as a Value.
func (c *Column) Value(i int) Value {
	if c.IsNull(i) {
		return Null(c.Type)
	}
	v := Value{Type: c.Type}
	switch storage(c.Type) {
	case stBool:
		v.B = c.Bools[i]
	case stInt:
		v.I = c.Ints[i]
	case stReal:
		v.F = c.Reals[i]
	case stStr:
		v.S = c.Strs[i]
	default:
		v.D = c.Dyns[i]
	}
	return v
}

// Append appends v, converting it to the column's type when they differ
// (a null of any type appends a null).
func (c *Column) Append(v Value) {
	if v.Null {
		c.AppendNull()
		return
	}
	if v.Type != c.Type {
		v = Convert(v, c.Type)
		if v.Null {
			c.AppendNull()
			return
		}
	}
	switch storage(c.Type) {
	case stBool:
		c.Bools = append(c.Bools, v.B)
	case stInt:
		c.Ints = append(c.Ints, v.I)
	case stReal:
		c.Reals = append(c.Reals, v.F)
	case stStr:
		c.Strs = append(c.Strs, v.S)
	default:
		c.Dyns = append(c.Dyns, v.D)
	}
	if c.Nulls != nil {
		c.Nulls = append(c.Nulls, false)
	}
}

// AppendNull appends a null (an empty string for string columns; a guid
// column records its nulls).
func (c *Column) AppendNull() {
	n := c.Len()
	switch storage(c.Type) {
	case stStr:
		c.Strs = append(c.Strs, "")
		if c.Type == types.String {
			return
		}
	case stDyn:
		c.Dyns = append(c.Dyns, nil)
		return
	case stBool:
		c.Bools = append(c.Bools, false)
	case stInt:
		c.Ints = append(c.Ints, 0)
	case stReal:
		c.Reals = append(c.Reals, 0)
	}
	if c.Nulls == nil {
		c.Nulls = make([]bool, n, cap(c.Bools)+cap(c.Ints)+cap(c.Reals)+cap(c.Strs)+1)
	}
	c.Nulls = append(c.Nulls, true)
}

// Gather returns a new column holding the rows at idx, in that order. An
// index of -1 produces a null (used by outer joins).
func (c *Column) Gather(idx []int) *Column {
	out := &Column{Type: c.Type}
	hasNull := c.Nulls != nil
	for _, i := range idx {
		if i < 0 {
			hasNull = true
			break
		}
	}
	if hasNull && storage(c.Type) != stStr && storage(c.Type) != stDyn {
		out.Nulls = make([]bool, len(idx))
		for k, i := range idx {
			out.Nulls[k] = i < 0 || (c.Nulls != nil && c.Nulls[i])
		}
	}
	switch storage(c.Type) {
	case stBool:
		out.Bools = gather(c.Bools, idx)
	case stInt:
		out.Ints = gather(c.Ints, idx)
	case stReal:
		out.Reals = gather(c.Reals, idx)
	case stStr:
		out.Strs = gather(c.Strs, idx)
	default:
		out.Dyns = gather(c.Dyns, idx)
	}
	return out
}

func gather[T any](src []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		if i >= 0 {
			out[k] = src[i]
		}
	}
	return out
}

// Slice returns rows [from, to) sharing memory with c.
func (c *Column) Slice(from, to int) *Column {
	out := &Column{Type: c.Type}
	if c.Nulls != nil {
		out.Nulls = c.Nulls[from:to:to]
	}
	switch storage(c.Type) {
	case stBool:
		out.Bools = c.Bools[from:to:to]
	case stInt:
		out.Ints = c.Ints[from:to:to]
	case stReal:
		out.Reals = c.Reals[from:to:to]
	case stStr:
		out.Strs = c.Strs[from:to:to]
	default:
		out.Dyns = c.Dyns[from:to:to]
	}
	return out
}

// AppendColumn appends every row of src (converted to c's type).
func (c *Column) AppendColumn(src *Column) {
	if src.Type != c.Type {
		for i := 0; i < src.Len(); i++ {
			c.Append(src.Value(i))
		}
		return
	}
	n := c.Len()
	switch storage(c.Type) {
	case stBool:
		c.Bools = append(c.Bools, src.Bools...)
	case stInt:
		c.Ints = append(c.Ints, src.Ints...)
	case stReal:
		c.Reals = append(c.Reals, src.Reals...)
	case stStr:
		c.Strs = append(c.Strs, src.Strs...)
		return
	default:
		c.Dyns = append(c.Dyns, src.Dyns...)
		return
	}
	switch {
	case src.Nulls != nil:
		if c.Nulls == nil {
			c.Nulls = make([]bool, n, n+len(src.Nulls))
		}
		c.Nulls = append(c.Nulls, src.Nulls...)
	case c.Nulls != nil:
		c.Nulls = append(c.Nulls, make([]bool, src.Len())...)
	}
}

// Const returns a column of n copies of v.
func Const(v Value, n int) *Column {
	c := NewColumn(v.Type, n)
	for i := 0; i < n; i++ {
		c.Append(v)
	}
	return c
}

// dynOf returns row i as a dynamic value (for packing into bags/arrays).
func (c *Column) dynOf(i int) any {
	if c.IsNull(i) {
		return nil
	}
	switch c.Type {
	case types.Bool:
		return c.Bools[i]
	case types.Int, types.Long:
		return c.Ints[i]
	case types.Datetime:
		return Datetime(c.Ints[i])
	case types.Timespan:
		return Timespan(c.Ints[i])
	case types.Real, types.Decimal:
		return c.Reals[i]
	case types.String, types.Guid:
		return c.Strs[i]
	}
	return c.Dyns[i]
}
