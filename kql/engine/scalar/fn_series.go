package scalar

// This file implements the series functions that work element by element
// or reduce a series (a dynamic array of numbers): series_add … series_pow,
// the comparisons, series_abs … series_atan, series_dot_product,
// series_cosine_similarity, series_pearson_correlation, series_magnitude,
// series_sum, the fills, series_fir, series_iir, series_stats_dynamic and
// series_fit_line_dynamic. Elements are reals; null elements stay null.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	for name, f := range map[string]func(float64) float64{
		"series_abs": math.Abs, "series_exp": math.Exp, "series_log": math.Log,
		"series_floor": math.Floor, "series_ceiling": math.Ceil,
		"series_sin": math.Sin, "series_cos": math.Cos, "series_tan": math.Tan,
		"series_asin": math.Asin, "series_acos": math.Acos, "series_atan": math.Atan,
		"series_sign": func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return 0
		},
	} {
		def(seriesMap(f), name)
	}
	for name, f := range map[string]func(a, b float64) any{
		"series_add":            func(a, b float64) any { return a + b },
		"series_subtract":       func(a, b float64) any { return a - b },
		"series_multiply":       func(a, b float64) any { return a * b },
		"series_divide":         func(a, b float64) any { return a / b },
		"series_pow":            func(a, b float64) any { return math.Pow(a, b) },
		"series_equals":         func(a, b float64) any { return a == b },
		"series_not_equals":     func(a, b float64) any { return a != b },
		"series_greater":        func(a, b float64) any { return a > b },
		"series_greater_equals": func(a, b float64) any { return a >= b },
		"series_less":           func(a, b float64) any { return a < b },
		"series_less_equals":    func(a, b float64) any { return a <= b },
	} {
		def(seriesZip(f), name)
	}
	def(seriesReduce2(func(a, b []float64) float64 {
		s := 0.0
		for i := range a {
			s += a[i] * b[i]
		}
		return s
	}), "series_dot_product")
	def(seriesReduce2(func(a, b []float64) float64 {
		var ab, aa, bb float64
		for i := range a {
			ab, aa, bb = ab+a[i]*b[i], aa+a[i]*a[i], bb+b[i]*b[i]
		}
		return ab / math.Sqrt(aa*bb)
	}), "series_cosine_similarity")
	def(seriesReduce2(pearson), "series_pearson_correlation")
	def(seriesReduce(func(a []float64) float64 {
		s := 0.0
		for _, x := range a {
			s += x * x
		}
		return math.Sqrt(s)
	}), "series_magnitude")
	def(seriesReduce(func(a []float64) float64 {
		s := 0.0
		for _, x := range a {
			s += x
		}
		return s
	}), "series_sum")
	def(bindFill("forward"), "series_fill_forward")
	def(bindFill("backward"), "series_fill_backward")
	def(bindFill("const"), "series_fill_const")
	def(bindFill("linear"), "series_fill_linear")
	def(arrFn(types.Dynamic, seriesIIR), "series_iir")
	def(arrFn(types.Dynamic, seriesFIR), "series_fir")
	def(arrFn(types.Dynamic, seriesStats), "series_stats_dynamic")
	def(arrFn(types.Dynamic, seriesFitLine), "series_fit_line_dynamic")
}

// num returns a series element as a float64; ok is false for nulls and
// non-numbers.
func num(d any) (float64, bool) {
	switch x := d.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		return float64(b2i(x)), true
	}
	return 0, false
}

func seriesMap(f func(float64) float64) binder {
	return arrFn(types.Dynamic, func(a []any, _ []value.Value) value.Value {
		out := make([]any, len(a))
		for i, e := range a {
			if x, ok := num(e); ok {
				out[i] = f(x)
			}
		}
		return value.OfDynamic(out)
	})
}

// elems returns a series argument as an array, or a scalar repeated n
// times.
func elems(v value.Value, n int) ([]any, bool) {
	if a, ok := v.D.([]any); ok && v.Type == types.Dynamic {
		return a, true
	}
	x := unwrap(v)
	if !x.Type.IsNumeric() && x.Type != types.Bool {
		return nil, false
	}
	d := dynOf(x)
	out := make([]any, n)
	for i := range out {
		out[i] = d
	}
	return out, true
}

func seriesLen(v []value.Value) int {
	n := 0
	for _, x := range v {
		if a, ok := x.D.([]any); ok && x.Type == types.Dynamic {
			n = max(n, len(a))
		}
	}
	return n
}

func seriesZip(f func(a, b float64) any) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.Dynamic, func(v []value.Value) value.Value {
			n := seriesLen(v[:2])
			a, ok1 := elems(v[0], n)
			b, ok2 := elems(v[1], n)
			if !ok1 || !ok2 {
				return value.Null(types.Dynamic)
			}
			out := make([]any, n)
			for i := range out {
				if i >= len(a) || i >= len(b) {
					continue
				}
				x, okx := num(a[i])
				y, oky := num(b[i])
				if okx && oky {
					out[i] = f(x, y)
				}
			}
			return value.OfDynamic(out)
		}), nil
	}
}

// floats converts a series to float64s, dropping nothing: nulls are NaN.
func floats(a []any) []float64 {
	out := make([]float64, len(a))
	for i, e := range a {
		x, ok := num(e)
		if !ok {
			x = math.NaN()
		}
		out[i] = x
	}
	return out
}

func seriesReduce(f func(a []float64) float64) binder {
	return arrFn(types.Real, func(a []any, _ []value.Value) value.Value {
		return value.OfReal(f(floats(a)))
	})
}

func seriesReduce2(f func(a, b []float64) float64) binder {
	return func(c *call) (*Fn, error) {
		return c.rows(types.Real, func(v []value.Value) value.Value {
			n := seriesLen(v[:2])
			a, ok1 := elems(v[0], n)
			b, ok2 := elems(v[1], n)
			if !ok1 || !ok2 {
				return value.Null(types.Real)
			}
			m := min(len(a), len(b))
			return value.OfReal(f(floats(a[:m]), floats(b[:m])))
		}), nil
	}
}

func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var sa, sb, sab, saa, sbb float64
	for i := range a {
		sa, sb = sa+a[i], sb+b[i]
		sab, saa, sbb = sab+a[i]*b[i], saa+a[i]*a[i], sbb+b[i]*b[i]
	}
	return (n*sab - sa*sb) / math.Sqrt((n*saa-sa*sa)*(n*sbb-sb*sb))
}

// bindFill binds series_fill_forward/backward/const/linear.
func bindFill(kind string) binder {
	return arrFn(types.Dynamic, func(a []any, v []value.Value) value.Value {
		var missing value.Value
		constant := value.OfReal(0)
		edges := true
		switch kind {
		case "const":
			if len(v) > 1 {
				constant = v[1]
			}
			if len(v) > 2 {
				missing = v[2]
			}
		case "linear":
			if len(v) > 1 {
				missing = v[1]
			}
			if len(v) > 2 && !v[2].IsNull() {
				edges = toBoolValue(v[2]).B
			}
			if len(v) > 3 {
				constant = v[3]
			}
		default:
			if len(v) > 1 {
				missing = v[1]
			}
		}
		isMissing := func(d any) bool {
			if d == nil {
				return true
			}
			if x, ok := num(d); ok && math.IsNaN(x) {
				return true
			}
			return !missing.IsNull() && equalValues(fromDyn(d), missing)
		}
		out := make([]any, len(a))
		copy(out, a)
		switch kind {
		case "forward":
			var last any
			for i, e := range out {
				if isMissing(e) {
					out[i] = last
				} else {
					last = e
				}
			}
		case "backward":
			var next any
			for i := len(out) - 1; i >= 0; i-- {
				if isMissing(out[i]) {
					out[i] = next
				} else {
					next = out[i]
				}
			}
		case "const":
			for i, e := range out {
				if isMissing(e) {
					out[i] = dynOf(constant)
				}
			}
		default:
			fillLinear(out, isMissing, edges, constant)
		}
		return value.OfDynamic(out)
	})
}

// fillLinear interpolates missing elements between known ones; edges are
// filled with the nearest known value when edges, else left null; a
// series with no known value is filled with constant when given.
func fillLinear(out []any, isMissing func(any) bool, edges bool, constant value.Value) {
	var known []int
	for i, e := range out {
		if !isMissing(e) {
			known = append(known, i)
		}
	}
	if len(known) == 0 {
		for i := range out {
			out[i] = nil
			if !constant.IsNull() {
				out[i] = dynOf(constant)
			}
		}
		return
	}
	ints := true
	for _, k := range known {
		if _, ok := out[k].(int64); !ok {
			ints = false
		}
	}
	for k := 0; k+1 < len(known); k++ {
		i, j := known[k], known[k+1]
		x, _ := num(out[i])
		y, _ := num(out[j])
		for m := i + 1; m < j; m++ {
			f := x + (y-x)*float64(m-i)/float64(j-i)
			if ints {
				// A series of integers stays one: interpolations truncate.
				out[m] = int64(f)
			} else {
				out[m] = f
			}
		}
	}
	for m := range out {
		if m < known[0] || m > known[len(known)-1] {
			if edges {
				out[m] = out[known[0]]
				if m > known[len(known)-1] {
					out[m] = out[known[len(known)-1]]
				}
			} else {
				out[m] = nil
			}
		}
	}
}

func seriesIIR(a []any, v []value.Value) value.Value {
	num1, ok1 := v[1].D.([]any)
	den, ok2 := v[2].D.([]any)
	if !ok1 || !ok2 || len(den) == 0 {
		return value.Null(types.Dynamic)
	}
	b, d, x := floats(num1), floats(den), floats(a)
	y := make([]float64, len(x))
	out := make([]any, len(x))
	for n := range x {
		s := 0.0
		for k := 0; k < len(b) && k <= n; k++ {
			s += b[k] * x[n-k]
		}
		for k := 1; k < len(d) && k <= n; k++ {
			s -= d[k] * y[n-k]
		}
		y[n] = s / d[0]
		out[n] = y[n]
	}
	return value.OfDynamic(out)
}

func seriesFIR(a []any, v []value.Value) value.Value {
	filt, ok := v[1].D.([]any)
	if !ok || len(filt) == 0 {
		return value.Null(types.Dynamic)
	}
	f, x := floats(filt), floats(a)
	normalize := len(v) <= 2 || v[2].IsNull() || toBoolValue(v[2]).B
	center := len(v) > 3 && toBoolValue(v[3]).B
	if normalize {
		s := 0.0
		for _, w := range f {
			s += w
		}
		if s != 0 {
			for i := range f {
				f[i] /= s
			}
		}
	}
	shift := 0
	if center {
		shift = len(f) / 2
	}
	out := make([]any, len(x))
	for n := range x {
		s := 0.0
		for k := range f {
			j := n + shift - k
			if j >= 0 && j < len(x) {
				s += f[k] * x[j]
			}
		}
		out[n] = s
	}
	return value.OfDynamic(out)
}

func seriesStats(a []any, _ []value.Value) value.Value {
	x := floats(a)
	b := value.NewBag(9)
	mn, mx, mni, mxi, sum, cnt := math.Inf(1), math.Inf(-1), int64(-1), int64(-1), 0.0, 0
	for i, f := range x {
		if math.IsNaN(f) {
			continue
		}
		if f < mn {
			mn, mni = f, int64(i)
		}
		if f > mx {
			mx, mxi = f, int64(i)
		}
		sum += f
		cnt++
	}
	avg, variance := math.NaN(), math.NaN()
	if cnt > 0 {
		avg = sum / float64(cnt)
		ss := 0.0
		for _, f := range x {
			if !math.IsNaN(f) {
				ss += (f - avg) * (f - avg)
			}
		}
		if cnt > 1 {
			variance = ss / float64(cnt-1)
		}
	}
	b.Set("min", mn)
	b.Set("min_idx", mni)
	b.Set("max", mx)
	b.Set("max_idx", mxi)
	b.Set("avg", avg)
	b.Set("stdev", math.Sqrt(variance))
	b.Set("variance", variance)
	b.Set("sum", sum)
	b.Set("len", int64(len(x)))
	return value.OfDynamic(b)
}
