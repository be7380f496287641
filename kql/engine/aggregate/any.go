package aggregate

// This file implements take_any (and the deprecated any), take_anyif and
// anyif: the values of an arbitrary row of the group. With one argument
// the first non-null, non-empty value is preferred; with several (or *,
// which the caller expands) all values come from the same row.

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("take_any", 1, -1, bindAny)
	register("any", 1, -1, bindAny)
	register("take_anyif", 2, 2, bindIf("take_any", 1))
	register("anyif", 2, 2, bindIf("take_any", 1))
}

func bindAny(name string, args []Arg) (Func, error) {
	f := &anyFunc{}
	for _, a := range args {
		f.types = append(f.types, a.Type)
	}
	return f, nil
}

type anyFunc struct {
	types []types.Type
	state []uint8 // 0: no row, 1: a null or empty value kept, 2: settled
	rows  [][]value.Value
}

func (f *anyFunc) Types() []types.Type { return f.types }

func (f *anyFunc) Grow(groups int) {
	f.state = grow(f.state, groups)
	f.rows = grow(f.rows, groups)
}

func (f *anyFunc) Update(groups []int32, args []*value.Column, n int) {
	single := len(args) == 1
	for i, g := range groups[:n] {
		if f.state[g] == 2 {
			continue
		}
		good := true
		if single {
			good = !args[0].Value(i).IsEmpty()
		}
		if f.state[g] == 1 && !good {
			continue
		}
		row := f.rows[g]
		if row == nil {
			row = make([]value.Value, len(args))
			f.rows[g] = row
		}
		for k, a := range args {
			row[k] = a.Value(i)
		}
		f.state[g] = 1
		if good {
			f.state[g] = 2
		}
	}
}

func (f *anyFunc) Result(g int) value.Value { return f.ResultCol(g, 0) }

func (f *anyFunc) ResultCol(g, col int) value.Value {
	if f.rows[g] == nil {
		return value.Null(f.types[col])
	}
	return f.rows[g][col]
}
