package aggregate

// This file implements the moment statistics: variance and stdev over a
// sample (n-1) or a population (n, the -p forms), their -if forms, and
// covariance of two expressions. Values are folded with Welford's update,
// which stays accurate where sum-of-squares formulas cancel. A group with
// too few values yields 0, as Kusto's defaults say.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	for _, s := range []struct {
		name        string
		sqrt, popul bool
	}{
		{"variance", false, false}, {"variancep", false, true},
		{"stdev", true, false}, {"stdevp", true, true},
	} {
		register(s.name, 1, 1, bindMoment(s.sqrt, s.popul))
		register(s.name+"if", 2, 2, bindIf(s.name, 1))
	}
	register("covariance", 2, 2, bindCovariance(false))
	register("covariancep", 2, 2, bindCovariance(true))
	register("covarianceif", 3, 3, bindIf("covariance", 2))
	register("covariancepif", 3, 3, bindIf("covariancep", 2))
}

func numericArg(name string, t types.Type) error {
	switch t {
	case types.Int, types.Long, types.Real, types.Decimal, types.Dynamic,
		types.Datetime, types.Timespan, types.Bool:
		return nil
	}
	return errorf(name, "expects a number, not %s", t)
}

func bindMoment(sqrt, popul bool) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		if err := numericArg(name, args[0].Type); err != nil {
			return nil, err
		}
		return &momentFunc{single: one(types.Real), sqrt: sqrt, popul: popul}, nil
	}
}

type momentFunc struct {
	single
	sqrt, popul bool
	n           []float64
	mean, m2    []float64
}

func (f *momentFunc) Grow(groups int) {
	f.n = grow(f.n, groups)
	f.mean = grow(f.mean, groups)
	f.m2 = grow(f.m2, groups)
}

func (f *momentFunc) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		x, ok := realAt(c, i)
		if !ok {
			continue
		}
		f.n[g]++
		d := x - f.mean[g]
		f.mean[g] += d / f.n[g]
		f.m2[g] += d * (x - f.mean[g])
	}
}

func (f *momentFunc) Result(g int) value.Value {
	n := f.n[g]
	div := n - 1
	if f.popul {
		div = n
	}
	if div <= 0 {
		return value.OfReal(0)
	}
	v := f.m2[g] / div
	if f.sqrt {
		v = math.Sqrt(v)
	}
	return value.OfReal(v)
}

func bindCovariance(popul bool) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		for _, a := range args {
			if err := numericArg(name, a.Type); err != nil {
				return nil, err
			}
		}
		return &covFunc{single: one(types.Real), popul: popul}, nil
	}
}

type covFunc struct {
	single
	popul          bool
	n, mx, my, cxy []float64
}

func (f *covFunc) Grow(groups int) {
	f.n = grow(f.n, groups)
	f.mx = grow(f.mx, groups)
	f.my = grow(f.my, groups)
	f.cxy = grow(f.cxy, groups)
}

func (f *covFunc) Update(groups []int32, args []*value.Column, n int) {
	for i, g := range groups[:n] {
		x, ok1 := realAt(args[0], i)
		y, ok2 := realAt(args[1], i)
		if !ok1 || !ok2 {
			continue
		}
		f.n[g]++
		dx := x - f.mx[g]
		f.mx[g] += dx / f.n[g]
		f.my[g] += (y - f.my[g]) / f.n[g]
		f.cxy[g] += dx * (y - f.my[g])
	}
}

func (f *covFunc) Result(g int) value.Value {
	div := f.n[g] - 1
	if f.popul {
		div = f.n[g]
	}
	if div <= 0 {
		return value.OfReal(0)
	}
	return value.OfReal(f.cxy[g] / div)
}
