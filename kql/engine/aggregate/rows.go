package aggregate

// This file holds the row readers the aggregates share: predicates,
// numbers out of any numeric column, and the -if wrapper that filters rows
// by a predicate before the wrapped aggregate sees them.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// truthy reports whether row i of a predicate column is true (null and
// non-bool values are not).
func truthy(c *value.Column, i int) bool {
	switch c.Type {
	case types.Bool:
		return c.Bools[i] && (c.Nulls == nil || !c.Nulls[i])
	case types.Dynamic:
		b, ok := c.Dyns[i].(bool)
		return ok && b
	}
	return false
}

// isNull reports whether row i is null; NaN counts as a value.
func isNull(c *value.Column, i int) bool { return c.IsNull(i) }

// realAt returns row i as a float64; ok is false for null and non-numbers.
func realAt(c *value.Column, i int) (float64, bool) {
	if c.Nulls != nil && c.Nulls[i] {
		return 0, false
	}
	switch c.Type {
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return float64(c.Ints[i]), true
	case types.Real, types.Decimal:
		return c.Reals[i], true
	case types.Bool:
		if c.Bools[i] {
			return 1, true
		}
		return 0, true
	case types.Dynamic:
		return dynReal(c.Dyns[i])
	}
	return 0, false
}

// dynReal converts a dynamic number (or numeric string) to float64.
func dynReal(d any) (float64, bool) {
	switch x := d.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case value.Timespan:
		return float64(x), true
	case value.Datetime:
		return float64(x), true
	}
	return 0, false
}

// intAt returns row i as an int64 (ticks for datetimes and timespans);
// ok is false for null and non-integers.
func intAt(c *value.Column, i int) (int64, bool) {
	if c.Nulls != nil && c.Nulls[i] {
		return 0, false
	}
	switch c.Type {
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return c.Ints[i], true
	case types.Real, types.Decimal:
		f := c.Reals[i]
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		return int64(f), true
	case types.Bool:
		if c.Bools[i] {
			return 1, true
		}
		return 0, true
	case types.Dynamic:
		switch x := c.Dyns[i].(type) {
		case int64:
			return x, true
		case float64:
			return int64(x), !math.IsNaN(x) && !math.IsInf(x, 0)
		case value.Timespan:
			return int64(x), true
		case value.Datetime:
			return int64(x), true
		}
	}
	return 0, false
}

// dynAt returns row i as a dynamic value (nil for null).
func dynAt(c *value.Column, i int) any {
	return c.Value(i).ToDynamic()
}

// ifFunc passes only the rows whose predicate (argument pred) is true to
// the wrapped aggregate, without the predicate argument.
type ifFunc struct {
	Func
	pred   int
	idx    []int
	groups []int32
	args   []*value.Column
}

// withPredicate wraps f, bound to args without position pred, so that it
// sees only the rows where args[pred] is true.
func withPredicate(f Func, pred int) Func {
	w := &ifFunc{Func: f, pred: pred}
	if m, ok := f.(MultiFunc); ok {
		return &multiIf{ifFunc: w, multi: m}
	}
	return w
}

func (w *ifFunc) Update(groups []int32, args []*value.Column, n int) {
	p := args[w.pred]
	w.idx = w.idx[:0]
	for i := 0; i < n; i++ {
		if truthy(p, i) {
			w.idx = append(w.idx, i)
		}
	}
	w.args = w.args[:0]
	for k, a := range args {
		if k != w.pred {
			w.args = append(w.args, a)
		}
	}
	if len(w.idx) == n {
		w.Func.Update(groups, w.args, n)
		return
	}
	if len(w.idx) == 0 {
		return
	}
	w.groups = w.groups[:0]
	for _, i := range w.idx {
		w.groups = append(w.groups, groups[i])
	}
	for k, a := range w.args {
		if a != nil {
			w.args[k] = a.Gather(w.idx)
		}
	}
	w.Func.Update(w.groups, w.args, len(w.idx))
}

type multiIf struct {
	*ifFunc
	multi MultiFunc
}

func (m *multiIf) ResultCol(g, col int) value.Value { return m.multi.ResultCol(g, col) }

// without returns args with position i removed.
func without(args []Arg, i int) []Arg {
	out := append([]Arg(nil), args[:i]...)
	return append(out, args[i+1:]...)
}

// bindIf registers name as the -if form of base: the predicate sits at
// position pred; the other arguments bind as base's.
func bindIf(base string, pred int) func(name string, args []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		if pred >= len(args) {
			return nil, errorf(name, "missing predicate")
		}
		if t := args[pred].Type; t != types.Bool && t != types.Dynamic {
			return nil, errorf(name, "predicate must be bool, not %s", t)
		}
		inner, err := binders[base].bind(name, without(args, pred))
		if err != nil {
			return nil, err
		}
		return withPredicate(inner, pred), nil
	}
}

// grow extends s to n elements, keeping its contents.
func grow[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	out := make([]T, n, max(n, 2*cap(s)))
	copy(out, s)
	return out
}
