package aggregate

// This file implements count() and countif(): count counts rows (its
// optional argument is ignored, nulls included, unless it is a bool
// predicate: the old spelling of countif).

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("count", 0, 1, bindCount)
	register("countif", 1, 1, func(name string, args []Arg) (Func, error) {
		if t := args[0].Type; t != types.Bool && t != types.Dynamic {
			return nil, errorf(name, "predicate must be bool, not %s", t)
		}
		return &countFunc{single: one(types.Long), pred: true}, nil
	})
}

func bindCount(name string, args []Arg) (Func, error) {
	return &countFunc{single: one(types.Long), pred: len(args) == 1 && args[0].Type == types.Bool}, nil
}

type countFunc struct {
	single
	n    []int64
	pred bool // count rows whose first argument is true
}

func (f *countFunc) Grow(groups int) { f.n = grow(f.n, groups) }

func (f *countFunc) Update(groups []int32, args []*value.Column, n int) {
	cnt := f.n
	groups = groups[:n]
	if !f.pred {
		for _, g := range groups {
			cnt[g]++
		}
		return
	}
	p := args[0]
	if p.Type == types.Bool && p.Nulls == nil {
		bs := p.Bools[:n]
		for i, g := range groups {
			if bs[i] {
				cnt[g]++
			}
		}
		return
	}
	for i, g := range groups {
		if truthy(p, i) {
			cnt[g]++
		}
	}
}

func (f *countFunc) Result(g int) value.Value { return value.OfLong(f.n[g]) }
