package aggregate

// This file implements sum, sumif, avg and avgif. Int sums widen to long;
// nulls are skipped; an empty sum is 0 and an empty average of numbers is
// NaN (0/0), of datetimes and timespans null.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("sum", 1, 1, bindSum)
	register("sumif", 2, 2, bindIf("sum", 1))
	register("avg", 1, 1, bindAvg)
	register("avgif", 2, 2, bindIf("avg", 1))
}

// sumType is the result type of sum over t.
func sumType(t types.Type) (types.Type, bool) {
	switch t {
	case types.Int, types.Long, types.Bool:
		return types.Long, true
	case types.Real, types.Decimal, types.Dynamic:
		return types.Real, true
	case types.Timespan:
		return types.Timespan, true
	}
	return types.Invalid, false
}

func bindSum(name string, args []Arg) (Func, error) {
	t, ok := sumType(args[0].Type)
	if !ok {
		return nil, errorf(name, "cannot sum values of type %s", args[0].Type)
	}
	if t == types.Real {
		return &sumReal{single: one(t)}, nil
	}
	return &sumInt{single: one(t)}, nil
}

// sumInt sums integers and timespans (wrapping on overflow, as long
// arithmetic does).
type sumInt struct {
	single
	s []int64
}

func (f *sumInt) Grow(groups int) { f.s = grow(f.s, groups) }

func (f *sumInt) Update(groups []int32, args []*value.Column, n int) {
	c, s := args[0], f.s
	if c.Ints != nil && c.Nulls == nil {
		vs := c.Ints[:n]
		for i, g := range groups[:n] {
			s[g] += vs[i]
		}
		return
	}
	for i, g := range groups[:n] {
		if v, ok := intAt(c, i); ok {
			s[g] += v
		}
	}
}

func (f *sumInt) Result(g int) value.Value {
	return value.Value{Type: f.t[0], I: f.s[g]}
}

type sumReal struct {
	single
	s []float64
}

func (f *sumReal) Grow(groups int) { f.s = grow(f.s, groups) }

func (f *sumReal) Update(groups []int32, args []*value.Column, n int) {
	c, s := args[0], f.s
	if c.Reals != nil && c.Nulls == nil {
		vs := c.Reals[:n]
		for i, g := range groups[:n] {
			s[g] += vs[i]
		}
		return
	}
	for i, g := range groups[:n] {
		if v, ok := realAt(c, i); ok {
			s[g] += v
		}
	}
}

func (f *sumReal) Result(g int) value.Value { return value.OfReal(f.s[g]) }

func bindAvg(name string, args []Arg) (Func, error) {
	switch t := args[0].Type; t {
	case types.Int, types.Long, types.Real, types.Decimal, types.Dynamic, types.Bool:
		return &avgReal{single: one(types.Real)}, nil
	case types.Datetime, types.Timespan:
		return &avgTicks{single: one(t)}, nil
	default:
		return nil, errorf(name, "cannot average values of type %s", t)
	}
}

type avgReal struct {
	single
	s []float64
	n []int64
}

func (f *avgReal) Grow(groups int) {
	f.s = grow(f.s, groups)
	f.n = grow(f.n, groups)
}

func (f *avgReal) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	if c.Ints != nil && c.Nulls == nil {
		vs := c.Ints[:n]
		for i, g := range groups[:n] {
			f.s[g] += float64(vs[i])
			f.n[g]++
		}
		return
	}
	for i, g := range groups[:n] {
		if v, ok := realAt(c, i); ok {
			f.s[g] += v
			f.n[g]++
		}
	}
}

func (f *avgReal) Result(g int) value.Value {
	if f.n[g] == 0 {
		return value.OfReal(math.NaN())
	}
	return value.OfReal(f.s[g] / float64(f.n[g]))
}

// avgTicks averages datetimes or timespans exactly: the sum of offsets
// from the group's first value, so that large tick counts keep precision.
type avgTicks struct {
	single
	base []int64
	off  []float64
	n    []int64
}

func (f *avgTicks) Grow(groups int) {
	f.base = grow(f.base, groups)
	f.off = grow(f.off, groups)
	f.n = grow(f.n, groups)
}

func (f *avgTicks) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		v, ok := intAt(c, i)
		if !ok {
			continue
		}
		if f.n[g] == 0 {
			f.base[g] = v
		}
		f.off[g] += float64(v - f.base[g])
		f.n[g]++
	}
}

func (f *avgTicks) Result(g int) value.Value {
	if f.n[g] == 0 {
		return value.Null(f.t[0])
	}
	return value.Value{Type: f.t[0], I: f.base[g] + int64(math.Round(f.off[g]/float64(f.n[g])))}
}
