package scalar

// This file implements the functions that build and query property bags
// and dynamic values: bag_pack (pack, pack_dictionary), pack_array,
// bag_keys, bag_merge, bag_remove_keys, bag_has_key, bag_set_key,
// bag_zip, treepath, dynamic_to_json, parse_version. Input values are
// never modified: a changed bag is a copy.

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindBagPack, "bag_pack", "pack", "pack_dictionary")
	def(bindPackArray, "pack_array")
	def(bagFn(func(b *value.Bag, _ []value.Value) value.Value {
		keys := make([]any, 0, b.Len())
		for _, k := range b.Keys() {
			keys = append(keys, k)
		}
		return value.OfDynamic(keys)
	}, types.Dynamic), "bag_keys")
	def(bindBagMerge, "bag_merge")
	def(bagFn(bagRemoveKeys, types.Dynamic), "bag_remove_keys")
	def(bagFn(func(b *value.Bag, v []value.Value) value.Value {
		_, ok := walkPath(b, keyPath(toStr(v[1])))
		return value.OfBool(ok)
	}, types.Bool), "bag_has_key")
	def(bagFn(bagSetKey, types.Dynamic), "bag_set_key")
	def(bindBagZip, "bag_zip")
	def(unary1(types.Dynamic, func(v value.Value) value.Value {
		paths := []any{}
		treePaths("$", v.D, &paths)
		return value.OfDynamic(paths)
	}), "treepath")
	def(unary1(types.String, func(v value.Value) value.Value {
		return value.OfString(sortedJSON(v.ToDynamic()))
	}), "dynamic_to_json")
	def(unary1(types.Decimal, parseVersion), "parse_version")
}

// cloneBag returns a shallow copy of b.
func cloneBag(b *value.Bag) *value.Bag {
	out := value.NewBag(b.Len())
	for _, k := range b.Keys() {
		v, _ := b.Get(k)
		out.Set(k, v)
	}
	return out
}

// bagFn binds a function whose first argument must be a property bag;
// other inputs give null.
func bagFn(f func(b *value.Bag, v []value.Value) value.Value, t types.Type) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(t, func(v []value.Value) value.Value {
			b, ok := v[0].D.(*value.Bag)
			if !ok || v[0].Type != types.Dynamic {
				return value.Null(t)
			}
			return f(b, v)
		}), nil
	}
}

func bindBagPack(c *call) (*Fn, error) {
	if len(c.args)%2 != 0 {
		return nil, c.errorf("takes an even number of arguments (keys and values)")
	}
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		b := value.NewBag(len(v) / 2)
		for i := 0; i+1 < len(v); i += 2 {
			b.Set(toStr(v[i]), dynOf(v[i+1]))
		}
		return value.OfDynamic(b)
	}), nil
}

func bindPackArray(c *call) (*Fn, error) {
	args := c.args
	return &Fn{Type: types.Dynamic, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		out := make([]any, n)
		for i := range out {
			arr := make([]any, len(args))
			for k := range args {
				arr[k] = dynOf(argVal(args, cols, k, i))
			}
			out[i] = arr
		}
		return dynCol(out), nil
	}}, nil
}

func bindBagMerge(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		out := value.NewBag(8)
		for _, x := range v {
			b, ok := x.D.(*value.Bag)
			if !ok {
				continue
			}
			for _, k := range b.Keys() {
				if _, dup := out.Get(k); !dup {
					e, _ := b.Get(k)
					out.Set(k, e)
				}
			}
		}
		return value.OfDynamic(out)
	}), nil
}

// keyPath reads a key that may be a JSONPath ($.a.b, $['a']).
func keyPath(k string) []pathStep {
	if strings.HasPrefix(k, "$") {
		if steps, ok := parseJSONPath(k); ok {
			return steps
		}
	}
	return []pathStep{{key: k}}
}

// bagRemoveKeys is bag_remove_keys(bag, keys): keys or JSONPaths.
func bagRemoveKeys(b *value.Bag, v []value.Value) value.Value {
	keys, _ := v[1].D.([]any)
	out := cloneBag(b)
	for _, k := range keys {
		removePath(out, keyPath(toStr(fromDyn(k))))
	}
	return value.OfDynamic(out)
}

// removePath deletes the key a path ends at, copying the bags on the way.
func removePath(b *value.Bag, steps []pathStep) {
	if len(steps) == 0 || steps[0].isIdx {
		return
	}
	if len(steps) == 1 {
		b.Delete(steps[0].key)
		return
	}
	child, ok := b.Get(steps[0].key)
	cb, isBag := child.(*value.Bag)
	if !ok || !isBag {
		return
	}
	cb = cloneBag(cb)
	removePath(cb, steps[1:])
	b.Set(steps[0].key, cb)
}

// bagSetKey is bag_set_key(bag, key, value), creating nested bags for a
// JSONPath.
func bagSetKey(b *value.Bag, v []value.Value) value.Value {
	steps := keyPath(toStr(v[1]))
	out := cloneBag(b)
	cur := out
	for i, s := range steps {
		if s.isIdx {
			return value.Null(types.Dynamic)
		}
		if i == len(steps)-1 {
			cur.Set(s.key, dynOf(v[2]))
			break
		}
		child, _ := cur.Get(s.key)
		next, ok := child.(*value.Bag)
		if ok {
			next = cloneBag(next)
		} else {
			next = value.NewBag(1)
		}
		cur.Set(s.key, next)
		cur = next
	}
	return value.OfDynamic(out)
}

func bindBagZip(c *call) (*Fn, error) {
	return c.rows(types.Dynamic, func(v []value.Value) value.Value {
		keys, ok1 := v[0].D.([]any)
		vals, ok2 := v[1].D.([]any)
		if !ok1 || !ok2 {
			return value.Null(types.Dynamic)
		}
		b := value.NewBag(len(keys))
		for i, k := range keys {
			s, ok := k.(string)
			if !ok {
				continue
			}
			var e any
			if i < len(vals) {
				e = vals[i]
			}
			b.Set(s, e)
		}
		return value.OfDynamic(b)
	}), nil
}

// treePaths lists the JSONPaths of every element below d.
func treePaths(prefix string, d any, out *[]any) {
	switch x := d.(type) {
	case *value.Bag:
		for _, k := range x.Keys() {
			p := prefix + "['" + k + "']"
			*out = append(*out, p)
			e, _ := x.Get(k)
			treePaths(p, e, out)
		}
	case []any:
		if len(x) > 0 {
			p := prefix + "[0]"
			*out = append(*out, p)
			treePaths(p, x[0], out)
		}
	}
}

// sortedJSON formats d as JSON with the keys of every bag sorted.
func sortedJSON(d any) string {
	var sortKeys func(any) any
	sortKeys = func(d any) any {
		switch x := d.(type) {
		case *value.Bag:
			out := value.NewBag(x.Len())
			for _, k := range x.SortedKeys() {
				e, _ := x.Get(k)
				out.Set(k, sortKeys(e))
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = sortKeys(e)
			}
			return out
		}
		return d
	}
	return value.FormatJSON(sortKeys(d))
}

// parseVersion converts "a.b.c.d" (1 to 4 parts of up to 8 digits) into a
// comparable number: each part takes 8 decimal digits.
func parseVersion(v value.Value) value.Value {
	parts := strings.Split(strings.TrimSpace(toStr(v)), ".")
	if len(parts) == 0 || len(parts) > 4 {
		return value.Null(types.Decimal)
	}
	f := 0.0
	for i := 0; i < 4; i++ {
		var p int64
		if i < len(parts) {
			if parts[i] == "" || len(parts[i]) > 8 {
				return value.Null(types.Decimal)
			}
			x, err := strconv.ParseInt(parts[i], 10, 64)
			if err != nil || x < 0 {
				return value.Null(types.Decimal)
			}
			p = x
		}
		f = f*1e8 + float64(p)
	}
	return value.Value{Type: types.Decimal, F: f}
}

// sortValues orders dynamic elements: nulls, then by kind (bools,
// numbers, datetimes, timespans, strings, other), then by value.
func sortValues(arr []any, desc, nullsLast bool) []int {
	idx := make([]int, len(arr))
	for i := range idx {
		idx[i] = i
	}
	rank := func(d any) int {
		switch d.(type) {
		case bool:
			return 1
		case int64, float64:
			return 2
		case value.Datetime:
			return 3
		case value.Timespan:
			return 4
		case string:
			return 5
		}
		return 6
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := arr[idx[i]], arr[idx[j]]
		an, bn := a == nil || isNaN(a), b == nil || isNaN(b)
		if an || bn {
			if an && bn {
				return false
			}
			return an != nullsLast
		}
		ra, rb := rank(a), rank(b)
		if ra != rb {
			return ra < rb != desc
		}
		c, ok := compareValues(value.OfDynamic(a), value.OfDynamic(b), false)
		if !ok {
			c = strings.Compare(value.FormatJSON(a), value.FormatJSON(b))
		}
		if desc {
			return c > 0
		}
		return c < 0
	})
	return idx
}

func isNaN(d any) bool {
	f, ok := d.(float64)
	return ok && math.IsNaN(f)
}
