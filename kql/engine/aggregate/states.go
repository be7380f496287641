package aggregate

// This file describes the scalar functions over aggregate states:
// dcount_hll and hll_merge over hll() states, percentile_tdigest,
// percentiles_array_tdigest, rank_tdigest, percentrank_tdigest and
// tdigest_merge (merge_tdigest) over tdigest() states. They evaluate row
// by row; states are rare, large values.

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// StateFunc is a scalar function over aggregate states.
type StateFunc struct {
	Min, Max int // argument counts (Max -1: any)
	// Result is the result type given the argument types and, for a
	// trailing typeof(T) argument, T (types.Invalid when absent).
	Result func(args []types.Type, cast types.Type) types.Type
	// Eval computes one row.
	Eval func(args []value.Value, result types.Type) value.Value
}

var stateFuncs = map[string]*StateFunc{
	"dcount_hll": {Min: 1, Max: 1, Result: fixed(types.Long), Eval: evalDcountHLL},
	// hll_merge and tdigest_merge with one argument are aggregates.
	"hll_merge":                 {Min: 2, Max: 16, Result: fixed(types.Dynamic), Eval: evalMerge(MergeHLL)},
	"tdigest_merge":             {Min: 2, Max: 16, Result: fixed(types.Dynamic), Eval: evalMerge(MergeTDigest)},
	"merge_tdigest":             {Min: 2, Max: 16, Result: fixed(types.Dynamic), Eval: evalMerge(MergeTDigest)},
	"percentile_tdigest":        {Min: 2, Max: 3, Result: castOr(types.Dynamic), Eval: evalPercentileTDigest},
	"percentiles_array_tdigest": {Min: 2, Max: -1, Result: fixed(types.Dynamic), Eval: evalPercentilesTDigest},
	"rank_tdigest":              {Min: 2, Max: 2, Result: fixed(types.Long), Eval: evalRankTDigest(false)},
	"percentrank_tdigest":       {Min: 2, Max: 2, Result: fixed(types.Real), Eval: evalRankTDigest(true)},
}

// LookupState returns the state function named name.
func LookupState(name string) (*StateFunc, bool) {
	f, ok := stateFuncs[name]
	return f, ok
}

// StateNames returns the names of the state functions.
func StateNames() []string {
	out := make([]string, 0, len(stateFuncs))
	for n := range stateFuncs {
		out = append(out, n)
	}
	return out
}

func fixed(t types.Type) func([]types.Type, types.Type) types.Type {
	return func([]types.Type, types.Type) types.Type { return t }
}

func castOr(def types.Type) func([]types.Type, types.Type) types.Type {
	return func(_ []types.Type, cast types.Type) types.Type {
		if cast.IsKnown() {
			return cast
		}
		return def
	}
}

func evalDcountHLL(args []value.Value, _ types.Type) value.Value {
	n, ok := DcountHLL(args[0].ToDynamic())
	if !ok {
		return value.Null(types.Long)
	}
	return value.OfLong(n)
}

func evalMerge(merge func(...any) (any, bool)) func([]value.Value, types.Type) value.Value {
	return func(args []value.Value, _ types.Type) value.Value {
		states := make([]any, len(args))
		for i, a := range args {
			states[i] = a.ToDynamic()
		}
		m, ok := merge(states...)
		if !ok {
			return value.Null(types.Dynamic)
		}
		return value.OfDynamic(m)
	}
}

func evalPercentileTDigest(args []value.Value, result types.Type) value.Value {
	p, ok := dynReal(args[1].ToDynamic())
	if !ok {
		return value.Null(result)
	}
	v, ok := PercentileTDigest(args[0].ToDynamic(), p)
	if !ok || v.IsNull() {
		return value.Null(result)
	}
	if result == types.Dynamic || v.Type == result {
		return value.OfDynamic(v.ToDynamic())
	}
	if (v.Type == types.Datetime || v.Type == types.Timespan) && (result == types.Datetime || result == types.Timespan) {
		return value.Value{Type: result, I: v.I}
	}
	return value.Convert(v, result)
}

func evalPercentilesTDigest(args []value.Value, _ types.Type) value.Value {
	var levels []float64
	for _, a := range args[1:] {
		if arr, ok := a.ToDynamic().([]any); ok {
			for _, e := range arr {
				if f, ok := dynReal(e); ok {
					levels = append(levels, f)
				}
			}
			continue
		}
		if f, ok := dynReal(a.ToDynamic()); ok {
			levels = append(levels, f)
		}
	}
	out := make([]any, 0, len(levels))
	for _, p := range levels {
		v, ok := PercentileTDigest(args[0].ToDynamic(), p)
		if !ok {
			return value.Null(types.Dynamic)
		}
		out = append(out, v.ToDynamic())
	}
	return value.OfDynamic(out)
}

func evalRankTDigest(percent bool) func([]value.Value, types.Type) value.Value {
	return func(args []value.Value, result types.Type) value.Value {
		x := args[1]
		v, ok := dynReal(x.ToDynamic())
		if !ok {
			return value.Null(result)
		}
		if percent {
			p, ok := PercentRankTDigest(args[0].ToDynamic(), v)
			if !ok {
				return value.Null(result)
			}
			return value.OfReal(p)
		}
		r, ok := RankTDigest(args[0].ToDynamic(), v)
		if !ok {
			return value.Null(result)
		}
		return value.OfLong(r)
	}
}
