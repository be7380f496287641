package aggregate

// This file implements tdigest and tdigest_merge (merge_tdigest), whose
// dynamic states percentile_tdigest, percentiles_array_tdigest,
// rank_tdigest and percentrank_tdigest read. A state is the sorted list
// of distinct values with their weights, exact until it exceeds
// maxCentroids entries; then neighbouring values are merged into
// weighted means, as a t-digest's centroids are.
//
// State layout: ["tdigest", "<type>", [value, weight, value, weight, …]].

import (
	"cmp"
	"slices"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

const maxCentroids = 1 << 14

func init() {
	register("tdigest", 1, 2, bindTDigest)
	register("tdigest_merge", 1, 1, bindTDigestMerge)
	register("merge_tdigest", 1, 1, bindTDigestMerge)
}

// centroid is a value with its weight.
type centroid struct {
	v float64
	w int64
}

// digest is one group's values.
type digest struct {
	elem types.Type
	cs   []centroid
}

func bindTDigest(name string, args []Arg) (Func, error) {
	t, ok := percentileType(args[0].Type)
	if !ok {
		return nil, errorf(name, "cannot rank values of type %s", args[0].Type)
	}
	return &digestFunc{single: one(types.Dynamic), elem: t, weighted: len(args) == 2}, nil
}

func bindTDigestMerge(name string, args []Arg) (Func, error) {
	return &digestFunc{single: one(types.Dynamic), merge: true}, nil
}

type digestFunc struct {
	single
	elem     types.Type
	weighted bool
	merge    bool
	groups   []*digest
}

func (f *digestFunc) Grow(groups int) { f.groups = grow(f.groups, groups) }

func (f *digestFunc) Update(groups []int32, args []*value.Column, n int) {
	for i, g := range groups[:n] {
		if f.merge {
			o, ok := digestOf(dynAt(args[0], i))
			if ok {
				f.group(g, o.elem).cs = append(f.group(g, o.elem).cs, o.cs...)
			}
			continue
		}
		v, ok := realAt(args[0], i)
		if !ok || v != v {
			continue
		}
		var w int64 = 1
		if f.weighted {
			if w, ok = intAt(args[1], i); !ok || w <= 0 {
				continue
			}
		}
		d := f.group(g, f.elem)
		d.cs = append(d.cs, centroid{v, w})
		if len(d.cs) >= 4*maxCentroids {
			d.compress()
		}
	}
}

func (f *digestFunc) group(g int32, elem types.Type) *digest {
	if f.groups[g] == nil {
		f.groups[g] = &digest{elem: elem}
	}
	return f.groups[g]
}

func (f *digestFunc) Result(g int) value.Value {
	d := f.groups[g]
	if d == nil || len(d.cs) == 0 {
		return value.Null(types.Dynamic)
	}
	d.compress()
	return value.OfDynamic(d.state())
}

// compress sorts the centroids, merges equal values and, past
// maxCentroids, merges neighbours into weighted means.
func (d *digest) compress() {
	slices.SortFunc(d.cs, func(a, b centroid) int { return cmp.Compare(a.v, b.v) })
	out := d.cs[:0]
	for _, c := range d.cs {
		if n := len(out); n > 0 && out[n-1].v == c.v {
			out[n-1].w += c.w
			continue
		}
		out = append(out, c)
	}
	for len(out) > maxCentroids {
		merged := out[:0]
		for i := 0; i < len(out); i += 2 {
			if i+1 == len(out) {
				merged = append(merged, out[i])
				break
			}
			a, b := out[i], out[i+1]
			w := a.w + b.w
			merged = append(merged, centroid{(a.v*float64(a.w) + b.v*float64(b.w)) / float64(w), w})
		}
		out = merged
	}
	d.cs = out
}

func (d *digest) state() any {
	flat := make([]any, 0, 2*len(d.cs))
	for _, c := range d.cs {
		flat = append(flat, c.v, c.w)
	}
	return []any{"tdigest", d.elem.String(), flat}
}

// digestOf decodes a tdigest state.
func digestOf(x any) (*digest, bool) {
	arr, ok := x.([]any)
	if !ok || len(arr) != 3 || arr[0] != "tdigest" {
		return nil, false
	}
	name, _ := arr[1].(string)
	elem, ok := types.Lookup(name)
	flat, ok2 := arr[2].([]any)
	if !ok || !ok2 || len(flat)%2 != 0 {
		return nil, false
	}
	d := &digest{elem: elem}
	for i := 0; i < len(flat); i += 2 {
		v, ok1 := dynReal(flat[i])
		w, ok2 := flat[i+1].(int64)
		if !ok1 || !ok2 {
			return nil, false
		}
		d.cs = append(d.cs, centroid{v, w})
	}
	return d, true
}

func (d *digest) total() int64 {
	var t int64
	for _, c := range d.cs {
		t += c.w
	}
	return t
}

// percentile returns the nearest-rank percentile p as the digest's type.
func (d *digest) percentile(p float64) value.Value {
	if len(d.cs) == 0 {
		return value.Null(d.elem)
	}
	r := nearestRank(p, d.total())
	var cum int64
	for _, c := range d.cs {
		cum += c.w
		if cum >= r {
			return ofReal(c.v, d.elem)
		}
	}
	return ofReal(d.cs[len(d.cs)-1].v, d.elem)
}

func ofReal(f float64, t types.Type) value.Value {
	if t == types.Real {
		return value.OfReal(f)
	}
	return value.Value{Type: t, I: int64(f)}
}

// PercentileTDigest returns percentile p (0 to 100) of a tdigest state,
// in the type of the digested values; ok is false for a bad state.
func PercentileTDigest(state any, p float64) (value.Value, bool) {
	d, ok := digestOf(state)
	if !ok {
		return value.Value{}, false
	}
	d.compress()
	return d.percentile(p), true
}

// RankTDigest returns the weight of the values at or below v (the rank of
// v); ok is false for a bad state.
func RankTDigest(state any, v float64) (int64, bool) {
	d, ok := digestOf(state)
	if !ok {
		return 0, false
	}
	var rank int64
	for _, c := range d.cs {
		if c.v <= v {
			rank += c.w
		}
	}
	return rank, true
}

// PercentRankTDigest returns the rank of v as a percentage of the total
// weight.
func PercentRankTDigest(state any, v float64) (float64, bool) {
	d, ok := digestOf(state)
	if !ok {
		return 0, false
	}
	r, _ := RankTDigest(state, v)
	t := d.total()
	if t == 0 {
		return 0, true
	}
	return 100 * float64(r) / float64(t), true
}

// MergeTDigest merges tdigest states, as the scalar tdigest_merge() does;
// nulls are skipped.
func MergeTDigest(states ...any) (any, bool) {
	var acc *digest
	for _, s := range states {
		if s == nil {
			continue
		}
		d, ok := digestOf(s)
		if !ok {
			return nil, false
		}
		if acc == nil {
			acc = d
			continue
		}
		acc.cs = append(acc.cs, d.cs...)
	}
	if acc == nil {
		return nil, true
	}
	acc.compress()
	return acc.state(), true
}
