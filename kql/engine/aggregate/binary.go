package aggregate

// This file implements binary_all_and, binary_all_or and binary_all_xor:
// the bitwise fold of a group's integers (null when the group has none).

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("binary_all_and", 1, 1, bindBits(func(a, b int64) int64 { return a & b }))
	register("binary_all_or", 1, 1, bindBits(func(a, b int64) int64 { return a | b }))
	register("binary_all_xor", 1, 1, bindBits(func(a, b int64) int64 { return a ^ b }))
}

func bindBits(op func(a, b int64) int64) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		t := args[0].Type
		switch t {
		case types.Int, types.Long:
		case types.Dynamic:
			t = types.Long
		default:
			return nil, errorf(name, "expects an integer, not %s", t)
		}
		return &bitsFunc{single: one(t), op: op}, nil
	}
}

type bitsFunc struct {
	single
	op   func(a, b int64) int64
	v    []int64
	have []bool
}

func (f *bitsFunc) Grow(groups int) {
	f.v = grow(f.v, groups)
	f.have = grow(f.have, groups)
}

func (f *bitsFunc) Update(groups []int32, args []*value.Column, n int) {
	for i, g := range groups[:n] {
		x, ok := intAt(args[0], i)
		if !ok {
			continue
		}
		if !f.have[g] {
			f.v[g], f.have[g] = x, true
			continue
		}
		f.v[g] = f.op(f.v[g], x)
	}
}

func (f *bitsFunc) Result(g int) value.Value {
	if !f.have[g] {
		return value.Null(f.t[0])
	}
	return value.Value{Type: f.t[0], I: f.v[g]}
}
