package aggregate

// This file implements the distinct counts: dcount and dcountif (estimated
// with HyperLogLog), hll, hll_if and hll_merge (the sketch itself, for
// dcount_hll and later merging), and count_distinct and count_distinctif
// (exact).

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("dcount", 1, 2, bindSketch(false))
	register("dcountif", 2, 3, bindIf("dcount", 1))
	register("hll", 1, 2, bindSketch(true))
	register("hll_if", 2, 3, bindIf("hll", 1))
	register("hll_merge", 1, 1, func(string, []Arg) (Func, error) {
		return &hllMerge{single: one(types.Dynamic)}, nil
	})
	register("count_distinct", 1, 1, func(string, []Arg) (Func, error) {
		return &countDistinct{single: one(types.Long)}, nil
	})
	register("count_distinctif", 2, 2, bindIf("count_distinct", 1))
}

// bindSketch binds dcount (state false) or hll (state true) with an
// optional constant accuracy level.
func bindSketch(state bool) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		acc, err := constInt(name, args, 1, 1)
		if err != nil {
			return nil, err
		}
		p, ok := precisionOf(acc)
		if !ok {
			return nil, errorf(name, "accuracy must be 0 to 4, not %d", acc)
		}
		t := types.Long
		if state {
			t = types.Dynamic
		}
		return &sketchFunc{single: one(t), p: p, state: state}, nil
	}
}

type sketchFunc struct {
	single
	p        uint8
	state    bool
	sketches []*sketch
	hashes   []uint64
	keep     []bool
}

func (f *sketchFunc) Grow(groups int) { f.sketches = grow(f.sketches, groups) }

func (f *sketchFunc) Update(groups []int32, args []*value.Column, n int) {
	f.hashes = grow(f.hashes[:0], n)
	f.keep = grow(f.keep[:0], n)
	hashColumn(args[0], n, f.hashes, f.keep)
	for i, g := range groups[:n] {
		if !f.keep[i] {
			continue
		}
		s := f.sketches[g]
		if s == nil {
			s = newSketch(f.p)
			f.sketches[g] = s
		}
		s.add(f.hashes[i])
	}
}

func (f *sketchFunc) Result(g int) value.Value {
	s := f.sketches[g]
	if f.state {
		if s == nil {
			return value.Null(types.Dynamic)
		}
		return value.OfDynamic(s.state())
	}
	if s == nil {
		return value.OfLong(0)
	}
	return value.OfLong(s.estimate())
}

// hllMerge merges the hll() states of a group; values that are not
// states are skipped.
type hllMerge struct {
	single
	sketches []*sketch
}

func (f *hllMerge) Grow(groups int) { f.sketches = grow(f.sketches, groups) }

func (f *hllMerge) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		s, ok := sketchOf(dynAt(c, i))
		if !ok {
			continue
		}
		if f.sketches[g] == nil {
			f.sketches[g] = s
			continue
		}
		f.sketches[g].merge(s)
	}
}

func (f *hllMerge) Result(g int) value.Value {
	if s := f.sketches[g]; s != nil {
		return value.OfDynamic(s.state())
	}
	return value.Null(types.Dynamic)
}

// countDistinct counts distinct non-null values exactly.
type countDistinct struct {
	single
	sets []map[string]struct{}
	buf  []byte
}

func (f *countDistinct) Grow(groups int) { f.sets = grow(f.sets, groups) }

func (f *countDistinct) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		if c.IsNull(i) {
			continue
		}
		f.buf = appendKey(f.buf[:0], c, i)
		set := f.sets[g]
		if set == nil {
			set = make(map[string]struct{})
			f.sets[g] = set
		}
		if _, ok := set[string(f.buf)]; !ok {
			set[string(f.buf)] = struct{}{}
		}
	}
}

func (f *countDistinct) Result(g int) value.Value { return value.OfLong(int64(len(f.sets[g]))) }
