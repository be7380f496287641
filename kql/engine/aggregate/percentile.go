package aggregate

// This file implements the percentile family: percentile, percentiles and
// percentiles_array, their weighted forms percentilew, percentilesw and
// percentilesw_array. Values are kept and ranked exactly with Kusto's
// nearest-rank definition (the P-th percentile is the smallest value
// with at least P% of the weight at or below it; P=0 is the minimum), so
// results are always within the documented error.

import (
	"slices"
	"sort"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	register("percentile", 2, 2, bindPercentile(false, false))
	register("percentiles", 2, -1, bindPercentile(false, false))
	register("percentiles_array", 2, -1, bindPercentile(false, true))
	register("percentilew", 3, 3, bindPercentile(true, false))
	register("percentilesw", 3, -1, bindPercentile(true, false))
	register("percentilesw_array", 3, -1, bindPercentile(true, true))
}

// percentileType is the type of a percentile of values of type t.
func percentileType(t types.Type) (types.Type, bool) {
	switch t {
	case types.Int, types.Long:
		return types.Long, true
	case types.Real, types.Decimal, types.Dynamic:
		return types.Real, true
	case types.Datetime, types.Timespan:
		return t, true
	}
	return types.Invalid, false
}

func bindPercentile(weighted, array bool) func(string, []Arg) (Func, error) {
	return func(name string, args []Arg) (Func, error) {
		t, ok := percentileType(args[0].Type)
		if !ok {
			return nil, errorf(name, "cannot rank values of type %s", args[0].Type)
		}
		first := 1
		if weighted {
			first = 2
		}
		levels, err := percentLevels(name, args[first:], array)
		if err != nil {
			return nil, err
		}
		f := &pctFunc{elem: t, levels: levels, array: array, weighted: weighted}
		f.ints = t != types.Real
		if array {
			f.types = []types.Type{types.Dynamic}
		} else {
			for range levels {
				f.types = append(f.types, t)
			}
		}
		return f, nil
	}
}

// percentLevels reads the constant percentiles: numbers, or (for the
// _array forms) one dynamic array of numbers.
func percentLevels(name string, args []Arg, array bool) ([]float64, error) {
	var out []float64
	for _, a := range args {
		if a.Const == nil {
			return nil, errorf(name, "percentiles must be constants")
		}
		if arr, ok := a.Const.D.([]any); ok && array && a.Type == types.Dynamic {
			for _, e := range arr {
				f, ok := dynReal(e)
				if !ok {
					return nil, errorf(name, "percentile %v is not a number", e)
				}
				out = append(out, f)
			}
			continue
		}
		f, ok := dynReal(a.Const.ToDynamic())
		if !ok {
			return nil, errorf(name, "percentile must be a number, not %s", a.Type)
		}
		out = append(out, f)
	}
	for _, p := range out {
		if p < 0 || p > 100 {
			return nil, errorf(name, "percentile %v is outside [0, 100]", p)
		}
	}
	return out, nil
}

// samples are the values of one group, with their weights when weighted.
type samples struct {
	ints   []int64
	reals  []float64
	w      []int64
	sorted bool
}

type pctFunc struct {
	types    []types.Type
	elem     types.Type
	levels   []float64
	array    bool
	weighted bool
	ints     bool
	groups   []*samples
}

func (f *pctFunc) Types() []types.Type { return f.types }

func (f *pctFunc) Grow(groups int) { f.groups = grow(f.groups, groups) }

func (f *pctFunc) Update(groups []int32, args []*value.Column, n int) {
	c := args[0]
	for i, g := range groups[:n] {
		var w int64 = 1
		if f.weighted {
			var ok bool
			if w, ok = intAt(args[1], i); !ok || w <= 0 {
				continue
			}
		}
		s := f.groups[g]
		if s == nil {
			s = &samples{}
			f.groups[g] = s
		}
		if f.ints {
			v, ok := intAt(c, i)
			if !ok {
				continue
			}
			s.ints = append(s.ints, v)
		} else {
			v, ok := realAt(c, i)
			if !ok || v != v {
				continue
			}
			s.reals = append(s.reals, v)
		}
		if f.weighted {
			s.w = append(s.w, w)
		}
		s.sorted = false
	}
}

func (f *pctFunc) Result(g int) value.Value { return f.ResultCol(g, 0) }

func (f *pctFunc) ResultCol(g, col int) value.Value {
	s := f.groups[g]
	if f.array {
		if s == nil {
			return value.Null(types.Dynamic)
		}
		out := make([]any, len(f.levels))
		for k, p := range f.levels {
			out[k] = s.at(p, f.elem).ToDynamic()
		}
		return value.OfDynamic(out)
	}
	if s == nil {
		return value.Null(f.elem)
	}
	return s.at(f.levels[col], f.elem)
}

// at returns the nearest-rank percentile p of the samples as type t.
func (s *samples) at(p float64, t types.Type) value.Value {
	s.sort()
	n := max(len(s.ints), len(s.reals))
	if n == 0 {
		return value.Null(t)
	}
	var total int64 = int64(n)
	if s.w != nil {
		total = 0
		for _, w := range s.w {
			total += w
		}
	}
	idx := rankIndex(s.w, nearestRank(p, total))
	if s.ints != nil {
		return value.Value{Type: t, I: s.ints[idx]}
	}
	return value.Value{Type: t, F: s.reals[idx]}
}

// nearestRank is the 1-based rank of percentile p among total values.
func nearestRank(p float64, total int64) int64 {
	r := int64(p / 100 * float64(total))
	if float64(r) < p/100*float64(total) {
		r++
	}
	return min(max(r, 1), total)
}

// rankIndex returns the index of the sample holding rank r (1-based).
func rankIndex(w []int64, r int64) int {
	if w == nil {
		return int(r - 1)
	}
	var cum int64
	for i, x := range w {
		cum += x
		if cum >= r {
			return i
		}
	}
	return len(w) - 1
}

// sort orders the samples (and their weights) by value.
func (s *samples) sort() {
	if s.sorted {
		return
	}
	s.sorted = true
	switch {
	case s.w == nil && s.ints != nil:
		slices.Sort(s.ints)
	case s.w == nil:
		slices.Sort(s.reals)
	default:
		sort.Sort(weighted{s})
	}
}

// weighted sorts samples together with their weights.
type weighted struct{ s *samples }

func (w weighted) Len() int { return len(w.s.w) }
func (w weighted) Less(i, j int) bool {
	if w.s.ints != nil {
		return w.s.ints[i] < w.s.ints[j]
	}
	return w.s.reals[i] < w.s.reals[j]
}
func (w weighted) Swap(i, j int) {
	if w.s.ints != nil {
		w.s.ints[i], w.s.ints[j] = w.s.ints[j], w.s.ints[i]
	} else {
		w.s.reals[i], w.s.reals[j] = w.s.reals[j], w.s.reals[i]
	}
	w.s.w[i], w.s.w[j] = w.s.w[j], w.s.w[i]
}
