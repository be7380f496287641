package aggregate

// This file implements the aggregates that collect values into dynamic
// arrays and bags: make_list, make_list_if, make_list_with_nulls,
// make_set, make_set_if (arrays are flattened into the set), make_bag and
// make_bag_if, with their optional size caps (1048576 by default, 128 for
// the deprecated makelist, makeset and make_dictionary).

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

const (
	defaultCap = 1 << 20
	legacyCap  = 128
)

func init() {
	register("make_list", 1, 2, bindList(defaultCap, false))
	register("makelist", 1, 2, bindList(legacyCap, false))
	register("make_list_if", 2, 3, bindIf("make_list", 1))
	register("make_list_with_nulls", 1, 2, bindList(defaultCap, true))
	register("make_set", 1, 2, bindSet(defaultCap))
	register("makeset", 1, 2, bindSet(legacyCap))
	register("make_set_if", 2, 3, bindIf("make_set", 1))
	register("make_bag", 1, 2, bindBag(defaultCap))
	register("make_dictionary", 1, 2, bindBag(legacyCap))
	register("make_bag_if", 2, 3, bindIf("make_bag", 1))
}

// sizeCap reads the optional size cap at position 1.
func sizeCap(name string, args []Arg, def int64) (int, error) {
	n, err := constInt(name, args, 1, def)
	if err != nil {
		return 0, err
	}
	if n <= 0 || n > defaultCap {
		n = defaultCap
	}
	return int(n), nil
}

func bindList(def int64, nulls bool) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		limit, err := sizeCap(name, args, def)
		if err != nil {
			return nil, err
		}
		return &listFunc{single: one(types.Dynamic), limit: limit, nulls: nulls}, nil
	}
}

// listFunc collects values in input order.
type listFunc struct {
	single
	limit int
	nulls bool
	lists [][]any
}

func (f *listFunc) Grow(groups int) { f.lists = grow(f.lists, groups) }

func (f *listFunc) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		if len(f.lists[g]) >= f.limit || (!f.nulls && c.IsNull(i)) {
			continue
		}
		f.lists[g] = append(f.lists[g], dynAt(c, i))
	}
}

func (f *listFunc) Result(g int) value.Value {
	if f.lists[g] == nil {
		return value.OfDynamic([]any{})
	}
	return value.OfDynamic(f.lists[g])
}

func bindSet(def int64) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		limit, err := sizeCap(name, args, def)
		if err != nil {
			return nil, err
		}
		return &setFunc{single: one(types.Dynamic), limit: limit}, nil
	}
}

// setFunc collects distinct values in order of first appearance; the
// elements of arrays are added one by one.
type setFunc struct {
	single
	limit int
	lists [][]any
	seen  []map[string]struct{}
	buf   []byte
}

func (f *setFunc) Grow(groups int) {
	f.lists = grow(f.lists, groups)
	f.seen = grow(f.seen, groups)
}

func (f *setFunc) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		if c.IsNull(i) || len(f.lists[g]) >= f.limit {
			continue
		}
		if c.Type == types.Dynamic {
			if arr, ok := c.Dyns[i].([]any); ok {
				for _, e := range arr {
					f.add(g, e)
				}
				continue
			}
			f.add(g, c.Dyns[i])
			continue
		}
		// Typed values are checked before they are boxed.
		f.buf = appendKey(f.buf[:0], c, i)
		if f.seenBefore(g) {
			continue
		}
		f.lists[g] = append(f.lists[g], dynAt(c, i))
	}
}

// add adds one dynamic value to group g's set.
func (f *setFunc) add(g int32, d any) {
	if d == nil || len(f.lists[g]) >= f.limit {
		return
	}
	f.buf = appendDynKey(f.buf[:0], d)
	if !f.seenBefore(g) {
		f.lists[g] = append(f.lists[g], d)
	}
}

// seenBefore reports whether group g has the value encoded in f.buf,
// recording it if not.
func (f *setFunc) seenBefore(g int32) bool {
	seen := f.seen[g]
	if seen == nil {
		seen = make(map[string]struct{})
		f.seen[g] = seen
	}
	if _, ok := seen[string(f.buf)]; ok {
		return true
	}
	seen[string(f.buf)] = struct{}{}
	return false
}

func (f *setFunc) Result(g int) value.Value {
	if f.lists[g] == nil {
		return value.OfDynamic([]any{})
	}
	return value.OfDynamic(f.lists[g])
}

func bindBag(def int64) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		limit, err := sizeCap(name, args, def)
		if err != nil {
			return nil, err
		}
		return &bagFunc{single: one(types.Dynamic), limit: limit}, nil
	}
}

// bagFunc merges property bags; values that are not bags are skipped and
// a key seen twice keeps its first value.
type bagFunc struct {
	single
	limit int
	bags  []*value.Bag
}

func (f *bagFunc) Grow(groups int) { f.bags = grow(f.bags, groups) }

func (f *bagFunc) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	if c.Type != types.Dynamic {
		return
	}
	for i, g := range groups[:n] {
		src, ok := c.Dyns[i].(*value.Bag)
		if !ok {
			continue
		}
		dst := f.bags[g]
		if dst == nil {
			dst = value.NewBag(src.Len())
			f.bags[g] = dst
		}
		for _, k := range src.Keys() {
			if _, dup := dst.Get(k); dup || dst.Len() >= f.limit {
				continue
			}
			v, _ := src.Get(k)
			dst.Set(k, v)
		}
	}
}

func (f *bagFunc) Result(g int) value.Value {
	if f.bags[g] == nil {
		return value.OfDynamic(value.NewBag(0))
	}
	return value.OfDynamic(f.bags[g])
}
