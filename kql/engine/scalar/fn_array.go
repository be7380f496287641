package scalar

// This file implements the array and set functions: array_length,
// array_concat, array_slice, array_index_of, array_sort_asc/desc,
// array_reverse, array_sum, array_iff, array_split, array_shift_*,
// array_rotate_*, set_has_element, set_union, set_intersect,
// set_difference, jaccard_index, zip, range, repeat, strcat_array.

import (
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// maxRange caps the arrays range() and repeat() build.
const maxRange = 1 << 20

func init() {
	def(bindArrayLength, "array_length", "arraylength")
	def(bindArrayConcat, "array_concat")
	def(arrFn(types.Dynamic, arraySlice), "array_slice")
	def(arrFn(types.Long, arrayIndexOf), "array_index_of")
	def(bindArraySort(false), "array_sort_asc")
	def(bindArraySort(true), "array_sort_desc")
	def(arrFn(types.Dynamic, func(a []any, _ []value.Value) value.Value {
		out := slices.Clone(a)
		slices.Reverse(out)
		return value.OfDynamic(out)
	}), "array_reverse")
	def(arrFn(types.Real, func(a []any, _ []value.Value) value.Value {
		s := 0.0
		for _, e := range a {
			f, ok := argReal(fromDyn(e))
			if !ok {
				return value.Null(types.Real)
			}
			s += f
		}
		return value.OfReal(s)
	}), "array_sum")
	def(bindArrayIff, "array_iff", "array_iif")
	def(arrFn(types.Dynamic, arraySplit), "array_split")
	def(arrFn(types.Dynamic, shiftFn(false, false)), "array_shift_left")
	def(arrFn(types.Dynamic, shiftFn(true, false)), "array_shift_right")
	def(arrFn(types.Dynamic, shiftFn(false, true)), "array_rotate_left")
	def(arrFn(types.Dynamic, shiftFn(true, true)), "array_rotate_right")
	def(arrFn(types.Bool, func(a []any, v []value.Value) value.Value {
		for _, e := range a {
			if equalValues(fromDynKeep(e), v[1]) {
				return value.OfBool(true)
			}
		}
		return value.OfBool(false)
	}), "set_has_element")
	def(bindSetOp("union"), "set_union")
	def(bindSetOp("intersect"), "set_intersect")
	def(bindSetOp("difference"), "set_difference")
	def(bindJaccard, "jaccard_index")
	def(bindZip, "zip")
	def(bindRange, "range")
	def(bindRepeat, "repeat")
	def(bindStrcatArray, "strcat_array", "array_strcat")
}

// fromDynKeep unwraps a dynamic element, keeping containers dynamic.
func fromDynKeep(d any) value.Value { return fromDyn(d) }

// arrFn binds a function whose first argument must be an array; other
// inputs give null.
func arrFn(t types.Type, f func(a []any, v []value.Value) value.Value) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(t, func(v []value.Value) value.Value {
			a, ok := v[0].D.([]any)
			if !ok || v[0].Type != types.Dynamic {
				return value.Null(t)
			}
			return f(a, v)
		}), nil
	}
}

func bindArrayLength(c *call) (*Fn, error) {
	x := c.args[0]
	return &Fn{Type: types.Long, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		out := make([]int64, n)
		var nulls []bool
		for i := range out {
			a, ok := argVal([]Arg{x}, cols, 0, i).D.([]any)
			if !ok {
				nulls = setNull(nulls, n, i)
				continue
			}
			out[i] = int64(len(a))
		}
		return intCol(types.Long, out, nulls), nil
	}}, nil
}

func bindArrayConcat(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		out := []any{}
		for _, x := range v {
			a, ok := x.D.([]any)
			if !ok {
				return value.Null(types.Dynamic)
			}
			out = append(out, a...)
		}
		return value.OfDynamic(out)
	}), nil
}

// arraySlice is array_slice(arr, start, end), both inclusive, negatives
// counting from the end.
func arraySlice(a []any, v []value.Value) value.Value {
	s, ok1 := argInt(v[1])
	e, ok2 := argInt(v[2])
	if !ok1 || !ok2 {
		return value.Null(types.Dynamic)
	}
	n := int64(len(a))
	if s < 0 {
		s += n
	}
	if e < 0 {
		e += n
	}
	s = max(s, 0)
	e = min(e, n-1)
	if s > e || s >= n {
		return value.OfDynamic([]any{})
	}
	return value.OfDynamic(slices.Clone(a[s : e+1]))
}

// arrayIndexOf is array_index_of(arr, value[, start[, length[, occurrence]]]).
func arrayIndexOf(a []any, v []value.Value) value.Value {
	start, length, occ := int64(0), int64(-1), int64(1)
	if len(v) > 2 {
		start, _ = argInt(v[2])
	}
	if len(v) > 3 {
		if l, ok := argInt(v[3]); ok {
			length = l
		}
	}
	if len(v) > 4 {
		occ, _ = argInt(v[4])
	}
	n := int64(len(a))
	if start < 0 {
		start += n
	}
	if start < 0 || start > n || occ <= 0 || length < -1 {
		return value.Null(types.Long)
	}
	end := n
	if length >= 0 {
		end = min(start+length, n)
	}
	for i := start; i < end; i++ {
		if equalValues(fromDynKeep(a[i]), v[1]) {
			occ--
			if occ == 0 {
				return value.OfLong(i)
			}
		}
	}
	return value.OfLong(-1)
}

// bindArraySort sorts the first array (nulls last unless a final false);
// only the first array is returned.
func bindArraySort(desc bool) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.Dynamic, func(v []value.Value) value.Value {
			a, ok := v[0].D.([]any)
			if !ok {
				return value.Null(types.Dynamic)
			}
			nullsLast := true
			if last := v[len(v)-1]; len(v) > 1 && last.Type == types.Bool {
				nullsLast = last.B
			}
			idx := sortValues(a, desc, nullsLast)
			out := make([]any, len(a))
			for i, k := range idx {
				out[i] = a[k]
			}
			return value.OfDynamic(out)
		}), nil
	}
}

// bindArrayIff is array_iff(conditions, when_true, when_false): element
// by element; a scalar branch applies to every element.
func bindArrayIff(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		conds, ok := v[0].D.([]any)
		if !ok {
			return value.Null(types.Dynamic)
		}
		pick := func(x value.Value, i int) any {
			if a, ok := x.D.([]any); ok && x.Type == types.Dynamic {
				if i < len(a) {
					return a[i]
				}
				return nil
			}
			return dynOf(x)
		}
		out := make([]any, len(conds))
		for i, cd := range conds {
			b := toBoolValue(fromDyn(cd))
			switch {
			case b.IsNull():
				out[i] = nil
			case b.B:
				out[i] = pick(v[1], i)
			default:
				out[i] = pick(v[2], i)
			}
		}
		return value.OfDynamic(out)
	}), nil
}

// arraySplit is array_split(arr, index or indices).
func arraySplit(a []any, v []value.Value) value.Value {
	var cuts []int64
	if idx, ok := v[1].D.([]any); ok && v[1].Type == types.Dynamic {
		for _, e := range idx {
			if i, ok := argInt(fromDyn(e)); ok {
				cuts = append(cuts, i)
			}
		}
	} else if i, ok := argInt(v[1]); ok {
		cuts = []int64{i}
	}
	n := int64(len(a))
	out := []any{}
	prev := int64(0)
	for _, c := range cuts {
		if c < 0 {
			c += n
		}
		c = min(max(c, prev), n)
		out = append(out, slices.Clone(a[prev:c]))
		prev = c
	}
	out = append(out, slices.Clone(a[prev:]))
	return value.OfDynamic(out)
}

// shiftFn builds array_shift_* (fill with null or a default) and
// array_rotate_*.
func shiftFn(right, rotate bool) func(a []any, v []value.Value) value.Value {
	return func(a []any, v []value.Value) value.Value {
		k, ok := argInt(v[1])
		if !ok {
			return value.Null(types.Dynamic)
		}
		if right {
			k = -k
		}
		n := int64(len(a))
		out := make([]any, n)
		var fill any
		if len(v) > 2 {
			fill = dynOf(v[2])
		}
		for i := int64(0); i < n; i++ {
			j := i + k
			if rotate {
				out[i] = a[((j%n)+n)%n]
				continue
			}
			if j >= 0 && j < n {
				out[i] = a[j]
			} else {
				out[i] = fill
			}
		}
		return value.OfDynamic(out)
	}
}

// distinctAppend appends the elements of a not yet in out.
func distinctAppend(out []any, a []any) []any {
	for _, e := range a {
		if !containsDyn(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func containsDyn(a []any, e any) bool {
	for _, x := range a {
		if value.Equal(x, e) {
			return true
		}
	}
	return false
}

// bindSetOp binds set_union, set_intersect and set_difference.
func bindSetOp(op string) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.Dynamic, func(v []value.Value) value.Value {
			sets := make([][]any, len(v))
			for i, x := range v {
				a, ok := x.D.([]any)
				if !ok {
					return value.Null(types.Dynamic)
				}
				sets[i] = a
			}
			out := []any{}
			switch op {
			case "union":
				for _, s := range sets {
					out = distinctAppend(out, s)
				}
			case "intersect":
				for _, e := range distinctAppend(nil, sets[0]) {
					in := true
					for _, s := range sets[1:] {
						if !containsDyn(s, e) {
							in = false
							break
						}
					}
					if in {
						out = append(out, e)
					}
				}
			default:
				for _, e := range distinctAppend(nil, sets[0]) {
					in := false
					for _, s := range sets[1:] {
						if containsDyn(s, e) {
							in = true
							break
						}
					}
					if !in {
						out = append(out, e)
					}
				}
			}
			return value.OfDynamic(out)
		}), nil
	}
}

func bindJaccard(c *call) (*Fn, error) {
	return c.rows(types.Real, func(v []value.Value) value.Value {
		a, ok1 := v[0].D.([]any)
		b, ok2 := v[1].D.([]any)
		if !ok1 || !ok2 {
			return value.Null(types.Real)
		}
		da, db := distinctAppend(nil, a), distinctAppend(nil, b)
		union := distinctAppend(slices.Clone(da), db)
		if len(union) == 0 {
			return value.Null(types.Real)
		}
		inter := 0
		for _, e := range da {
			if containsDyn(db, e) {
				inter++
			}
		}
		return value.OfReal(float64(inter) / float64(len(union)))
	}), nil
}

func bindZip(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		arrs := make([][]any, len(v))
		n := 0
		for i, x := range v {
			a, ok := x.D.([]any)
			if !ok {
				return value.Null(types.Dynamic)
			}
			arrs[i] = a
			n = max(n, len(a))
		}
		out := make([]any, n)
		for i := range out {
			row := make([]any, len(arrs))
			for k, a := range arrs {
				if i < len(a) {
					row[k] = a[i]
				}
			}
			out[i] = row
		}
		return value.OfDynamic(out)
	}), nil
}

// bindRange is range(start, stop[, step]) as a dynamic array.
func bindRange(c *call) (*Fn, error) {
	return c.strict(types.Dynamic, func(v []value.Value) value.Value {
		start, stop := unwrap(v[0]), unwrap(v[1])
		var step value.Value
		if len(v) > 2 {
			step = unwrap(v[2])
		} else if start.Type == types.Datetime || start.Type == types.Timespan {
			step = value.OfTimespan(value.Hour)
		} else {
			step = value.OfLong(1)
		}
		if out, ok := intRange(start, stop, step); ok {
			return value.OfDynamic(out)
		}
		out := []any{}
		cur := start
		for len(out) < maxRange {
			c, ok := compareValues(cur, stop, false)
			if !ok {
				return value.Null(types.Dynamic)
			}
			pos := isPositive(step)
			if pos && c > 0 || !pos && c < 0 {
				break
			}
			out = append(out, dynOf(cur))
			next := arithValues(token.ADD, cur, step)
			if next.IsNull() || equalValues(next, cur) {
				break
			}
			cur = next
		}
		return value.OfDynamic(out)
	}), nil
}

// intRange is range() over longs, datetimes or timespans with a step of
// the matching kind, computed on the integers; ok is false for any other
// combination.
func intRange(start, stop, step value.Value) ([]any, bool) {
	t := start.Type
	switch {
	case stop.Type != t:
		return nil, false
	case t == types.Long || t == types.Int:
		if step.Type != types.Long && step.Type != types.Int {
			return nil, false
		}
	case t == types.Datetime || t == types.Timespan:
		if step.Type != types.Timespan {
			return nil, false
		}
	default:
		return nil, false
	}
	a, b, d := start.I, stop.I, step.I
	switch {
	case d == 0:
		return nil, false
	case d > 0 && a > b, d < 0 && a < b:
		return []any{}, true
	}
	n := (b-a)/d + 1
	if n > maxRange {
		n = maxRange
	}
	out := make([]any, n)
	for i := range out {
		x := a + int64(i)*d
		switch t {
		case types.Datetime:
			out[i] = value.Datetime(x)
		case types.Timespan:
			out[i] = value.Timespan(x)
		default:
			out[i] = x
		}
	}
	return out, true
}

func unwrap(v value.Value) value.Value {
	if v.Type == types.Dynamic {
		return fromDyn(v.D)
	}
	return v
}

func isPositive(v value.Value) bool {
	if isRealType(v.Type) {
		return v.F >= 0
	}
	return v.I >= 0
}

func bindRepeat(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		k, ok := argInt(v[1])
		if !ok || k < 0 {
			return value.Null(types.Dynamic)
		}
		k = min(k, maxRange)
		out := make([]any, k)
		d := dynOf(v[0])
		for i := range out {
			out[i] = d
		}
		return value.OfDynamic(out)
	}), nil
}

func bindStrcatArray(c *call) (*Fn, error) {
	return c.rows(types.String, func(v []value.Value) value.Value {
		a, ok := v[0].D.([]any)
		if !ok {
			return value.OfString("")
		}
		parts := make([]string, len(a))
		for i, e := range a {
			parts[i] = toStr(fromDyn(e))
		}
		return value.OfString(strings.Join(parts, toStr(v[1])))
	}), nil
}
