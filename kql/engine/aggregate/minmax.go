package aggregate

// This file implements min, max, minif, maxif, arg_max and arg_min (and
// the deprecated argmax, argmin). Nulls and NaN are skipped; a group
// without any other value yields null (arg_max then returns its first
// row).

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("min", 1, 1, bindExtreme(-1))
	register("max", 1, 1, bindExtreme(1))
	register("minif", 2, 2, bindIf("min", 1))
	register("maxif", 2, 2, bindIf("max", 1))
	register("arg_max", 1, -1, bindArg(1))
	register("arg_min", 1, -1, bindArg(-1))
	register("argmax", 1, -1, bindArg(1))
	register("argmin", 1, -1, bindArg(-1))
}

// bindExtreme binds max (dir 1) or min (dir -1).
func bindExtreme(dir int) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		t := args[0].Type
		switch t {
		case types.Int, types.Long, types.Datetime, types.Timespan:
			return &extremeInt{single: one(t), dir: dir}, nil
		}
		return &extreme{single: one(t), dir: dir}, nil
	}
}

// extremeInt is min or max over integer storage.
type extremeInt struct {
	single
	dir  int
	v    []int64
	have []bool
}

func (f *extremeInt) Grow(groups int) {
	f.v = grow(f.v, groups)
	f.have = grow(f.have, groups)
}

func (f *extremeInt) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	if c.Ints == nil { // a constant of another storage; use the slow path
		for i, g := range groups[:n] {
			if v, ok := intAt(c, i); ok {
				f.fold(g, v)
			}
		}
		return
	}
	vs := c.Ints[:n]
	for i, g := range groups[:n] {
		if c.Nulls != nil && c.Nulls[i] {
			continue
		}
		f.fold(g, vs[i])
	}
}

func (f *extremeInt) fold(g int32, v int64) {
	switch {
	case !f.have[g]:
		f.v[g], f.have[g] = v, true
	case f.dir > 0 && v > f.v[g], f.dir < 0 && v < f.v[g]:
		f.v[g] = v
	}
}

func (f *extremeInt) Result(g int) value.Value {
	if !f.have[g] {
		return value.Null(f.t[0])
	}
	return value.Value{Type: f.t[0], I: f.v[g]}
}

// extreme is min or max over any other type.
type extreme struct {
	single
	dir  int
	v    []value.Value
	have []bool
}

func (f *extreme) Grow(groups int) {
	f.v = grow(f.v, groups)
	f.have = grow(f.have, groups)
}

func (f *extreme) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		if !orderable(c, i) {
			continue
		}
		if !f.have[g] || cmpRow(c, i, f.v[g])*f.dir > 0 {
			f.v[g], f.have[g] = c.Value(i), true
		}
	}
}

func (f *extreme) Result(g int) value.Value {
	if !f.have[g] {
		return value.Null(f.t[0])
	}
	return f.v[g]
}

// bindArg binds arg_max (dir 1) or arg_min (dir -1): the first argument is
// the expression to maximize, the others the values returned from its
// row. The caller expands * into the columns it stands for.
func bindArg(dir int) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		f := &argFunc{dir: dir}
		for _, a := range args {
			f.types = append(f.types, a.Type)
		}
		return f, nil
	}
}

type argFunc struct {
	dir   int
	types []types.Type
	key   []value.Value
	state []uint8 // 0: no row yet, 1: a row with a null key, 2: a row with a key
	vals  [][]value.Value
}

func (f *argFunc) Types() []types.Type { return f.types }

func (f *argFunc) Grow(groups int) {
	f.key = grow(f.key, groups)
	f.state = grow(f.state, groups)
	for len(f.vals) < groups {
		f.vals = append(f.vals, nil)
	}
}

func (f *argFunc) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		switch {
		case orderable(c, i):
			if f.state[g] == 2 && cmpRow(c, i, f.key[g])*f.dir <= 0 {
				continue
			}
			f.key[g], f.state[g] = c.Value(i), 2
		case f.state[g] == 0:
			f.key[g], f.state[g] = c.Value(i), 1
		default:
			continue
		}
		row := f.vals[g]
		if row == nil {
			row = make([]value.Value, len(args))
			f.vals[g] = row
		}
		for k, a := range args {
			row[k] = a.Value(i)
		}
	}
}

func (f *argFunc) Result(g int) value.Value { return f.ResultCol(g, 0) }

func (f *argFunc) ResultCol(g, col int) value.Value {
	if f.vals[g] == nil {
		return value.Null(f.types[col])
	}
	return f.vals[g][col]
}
