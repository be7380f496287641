package scalar

// This file implements the mathematical and bitwise functions, min_of and
// max_of, rand, and bin/floor/bin_at over numbers, datetimes and timespans.

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	for name, f := range map[string]func(float64) float64{
		"sqrt": math.Sqrt, "exp": math.Exp, "exp2": math.Exp2,
		"exp10": func(x float64) float64 { return math.Pow(10, x) },
		"log":   math.Log, "log2": math.Log2, "log10": math.Log10,
		"cos": math.Cos, "sin": math.Sin, "tan": math.Tan,
		"cot":  func(x float64) float64 { return 1 / math.Tan(x) },
		"acos": math.Acos, "asin": math.Asin, "atan": math.Atan,
		"degrees": func(x float64) float64 { return x * 180 / math.Pi },
		"radians": func(x float64) float64 { return x * math.Pi / 180 },
		"gamma":   math.Gamma,
		"loggamma": func(x float64) float64 {
			l, _ := math.Lgamma(x)
			return l
		},
		"erf": math.Erf, "erfc": math.Erfc,
	} {
		def(realFn(f), name)
	}
	def(realFn2(math.Pow), "pow")
	def(realFn2(math.Atan2), "atan2")
	def(func(c *call) (*Fn, error) {
		return c.rows(types.Real, func([]value.Value) value.Value { return value.OfReal(math.Pi) }), nil
	}, "pi")
	def(bindAbs, "abs")
	def(bindCeiling, "ceiling")
	def(bindRound, "round")
	def(realPred(math.IsNaN), "isnan")
	def(realPred(func(f float64) bool { return math.IsInf(f, 0) }), "isinf")
	def(realPred(func(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }), "isfinite")
	def(unary1(types.Real, func(v value.Value) value.Value {
		f, _ := argReal(v)
		switch {
		case f > 0:
			return value.OfReal(1)
		case f < 0:
			return value.OfReal(-1)
		}
		return value.OfReal(0)
	}), "sign")
	def(bindMinMaxOf(-1), "min_of")
	def(bindMinMaxOf(1), "max_of")
	def(bindRand, "rand")
	def(bindBin, "bin", "floor")
	def(bindBinAt, "bin_at")
	def(intFn2(func(a, b int64) int64 { return a & b }), "binary_and")
	def(intFn2(func(a, b int64) int64 { return a | b }), "binary_or")
	def(intFn2(func(a, b int64) int64 { return a ^ b }), "binary_xor")
	def(intFn2(func(a, b int64) int64 { return a << uint64(b&63) }), "binary_shift_left")
	def(intFn2(func(a, b int64) int64 { return int64(uint64(a) >> uint64(b&63)) }), "binary_shift_right")
	def(unary1(types.Long, func(v value.Value) value.Value {
		i, _ := argInt(v)
		return value.OfLong(^i)
	}), "binary_not")
	def(unary1(types.Long, func(v value.Value) value.Value {
		i, _ := argInt(v)
		return value.OfLong(int64(bits.OnesCount64(uint64(i))))
	}), "bitset_count_ones")
}

// realFn binds a one-argument real function, vectorized.
func realFn(f func(float64) float64) binder {
	return func(c *call) (*Fn, error) {
		x := c.args[0]
		if x.Type == types.Dynamic || x.Type == types.String {
			return c.strict(types.Real, func(v []value.Value) value.Value {
				a, ok := argReal(v[0])
				if !ok {
					return value.Null(types.Real)
				}
				return value.OfReal(f(a))
			}), nil
		}
		return &Fn{Type: types.Real, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s, nulls := mapv(n, realsOf(x, cols[0]), func(a float64) (float64, bool) { return f(a), true })
			return realCol(types.Real, s, nulls), nil
		}}, nil
	}
}

func realFn2(f func(a, b float64) float64) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Real, func(v []value.Value) value.Value {
			a, ok1 := argReal(v[0])
			b, ok2 := argReal(v[1])
			if !ok1 || !ok2 {
				return value.Null(types.Real)
			}
			return value.OfReal(f(a, b))
		}), nil
	}
}

func intFn2(f func(a, b int64) int64) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Long, func(v []value.Value) value.Value {
			a, ok1 := argInt(v[0])
			b, ok2 := argInt(v[1])
			if !ok1 || !ok2 {
				return value.Null(types.Long)
			}
			return value.OfLong(f(a, b))
		}), nil
	}
}

func realPred(f func(float64) bool) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Bool, func(v []value.Value) value.Value {
			a, ok := argReal(v[0])
			if !ok {
				return value.Null(types.Bool)
			}
			return value.OfBool(f(a))
		}), nil
	}
}

// bindAbs is abs(): integers become long, reals and timespans keep their type.
func bindAbs(c *call) (*Fn, error) {
	t := c.args[0].Type
	return c.strict(c.resultOr(t), func(v []value.Value) value.Value {
		x := v[0]
		if x.Type == types.Dynamic {
			x = fromDyn(x.D)
		}
		switch {
		case isRealType(x.Type):
			return value.Value{Type: x.Type, F: math.Abs(x.F)}
		case isIntType(x.Type):
			if x.I < 0 {
				return value.OfLong(-x.I)
			}
			return value.OfLong(x.I)
		case x.Type == types.Timespan:
			if x.I < 0 {
				return value.OfTimespan(value.Timespan(-x.I))
			}
			return x
		}
		return value.Null(types.Real)
	}), nil
}

func bindCeiling(c *call) (*Fn, error) {
	return c.strict(c.resultOr(types.Real), func(v []value.Value) value.Value {
		x := v[0]
		if x.Type == types.Dynamic {
			x = fromDyn(x.D)
		}
		if isRealType(x.Type) {
			return value.Value{Type: x.Type, F: math.Ceil(x.F)}
		}
		return x
	}), nil
}

// bindRound is round(number[, precision]): half away from zero; a
// negative precision rounds left of the decimal point.
func bindRound(c *call) (*Fn, error) {
	return c.strict(c.resultOr(types.Real), func(v []value.Value) value.Value {
		x := v[0]
		if x.Type == types.Dynamic {
			x = fromDyn(x.D)
		}
		p := int64(0)
		if len(v) > 1 {
			p, _ = argInt(v[1])
		}
		if isIntType(x.Type) {
			if p >= 0 {
				return x
			}
			m := int64(math.Pow10(int(-p)))
			r := int64(math.Round(float64(x.I)/float64(m))) * m
			return value.Value{Type: x.Type, I: r}
		}
		f, ok := argReal(x)
		if !ok {
			return value.Null(types.Real)
		}
		return value.Value{Type: types.Real, F: roundTo(f, int(p))}
	}), nil
}

func roundTo(f float64, p int) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	m := math.Pow10(p)
	r := math.Round(f*m) / m
	if math.IsInf(f*m, 0) {
		return f
	}
	return r
}

// bindMinMaxOf is min_of/max_of: nulls are ignored; all null gives null.
func bindMinMaxOf(sign int) binder {
	return func(c *call) (*Fn, error) {
		t := c.resultOr(types.Dynamic)
		return c.rows(t, func(v []value.Value) value.Value {
			best := value.Null(t)
			for _, x := range v {
				if x.IsNull() {
					continue
				}
				x = value.Convert(x, t)
				if best.IsNull() {
					best = x
					continue
				}
				if cv, ok := compareValues(x, best, false); ok && cv*sign > 0 {
					best = x
				}
			}
			return best
		}), nil
	}
}

// bindRand is rand() in [0, 1) or rand(n) in [0, n).
func bindRand(c *call) (*Fn, error) {
	args := c.args
	if len(args) == 0 {
		return &Fn{Type: types.Real, Volatile: true, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s := make([]float64, n)
			for i := range s {
				s[i] = rand.Float64()
			}
			return realCol(types.Real, s, nil), nil
		}}, nil
	}
	if k := args[0].Const; k != nil {
		// rand(N) of a constant N: one vector of draws
		m, ok := argInt(*k)
		return &Fn{Type: types.Long, Volatile: true, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			if !ok || m <= 0 {
				return value.NullColumn(types.Long, n), nil
			}
			s := make([]int64, n)
			for i := range s {
				s[i] = rand.Int64N(m)
			}
			return intCol(types.Long, s, nil), nil
		}}, nil
	}
	fn := c.strict(types.Long, func(v []value.Value) value.Value {
		m, ok := argInt(v[0])
		if !ok || m <= 0 {
			return value.Null(types.Long)
		}
		return value.OfLong(rand.Int64N(m))
	})
	fn.Volatile = true
	return fn, nil
}

// netTicks converts ticks from the Unix epoch to .NET ticks (from
// 0001-01-01), the origin Kusto aligns datetime bins on.
const netTicks = -int64(ticksEpochOffset)

// bindBin is bin(value, size) and its synonym floor.
func bindBin(c *call) (*Fn, error) {
	t := c.resultOr(c.args[0].Type)
	x, size := c.args[0], c.args[1]
	if (isIntType(t) || t == types.Timespan) && size.Const != nil && isIntType(x.Type) == isIntType(t) {
		sz, ok := binSizeInt(*size.Const)
		return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s, nulls := mapv(n, intsOf(x, cols[0]), func(a int64) (int64, bool) {
				return floorDiv(a, sz) * sz, ok
			})
			return intCol(t, s, nulls), nil
		}}, nil
	}
	if t == types.Datetime && size.Const != nil {
		sz, ok := binSizeInt(*size.Const)
		return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s, nulls := mapv(n, intsOf(x, cols[0]), func(a int64) (int64, bool) {
				return floorDiv(a+netTicks, sz)*sz - netTicks, ok
			})
			return intCol(t, s, nulls), nil
		}}, nil
	}
	return c.strict(t, func(v []value.Value) value.Value { return binValue(v[0], v[1], value.Value{}, t) }), nil
}

// binSizeInt is a bin size in integer units (ticks for timespans).
func binSizeInt(v value.Value) (int64, bool) {
	if v.IsNull() {
		return 1, false
	}
	var sz int64
	switch {
	case isRealType(v.Type):
		sz = int64(v.F)
		if float64(sz) != v.F {
			return 1, false
		}
	case v.Type == types.Dynamic:
		if w := fromDyn(v.D); w.Type != types.Dynamic {
			return binSizeInt(w)
		}
		return 1, false
	default:
		sz = v.I
	}
	if sz <= 0 {
		return 1, false
	}
	return sz, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// binValue is bin(x, size) (or bin_at with a fixed point) on single values.
func binValue(x, size, at value.Value, t types.Type) value.Value {
	if x.Type == types.Dynamic {
		x = fromDyn(x.D)
	}
	if size.Type == types.Dynamic {
		size = fromDyn(size.D)
	}
	if x.IsNull() || size.IsNull() {
		return value.Null(t)
	}
	switch x.Type {
	case types.Datetime, types.Timespan:
		sz, ok := binSizeInt(size)
		if !ok {
			return value.Null(t)
		}
		origin := int64(0)
		if x.Type == types.Datetime {
			origin = -netTicks
		}
		if !at.IsNull() && at.Type == x.Type {
			origin = at.I
		}
		return value.Value{Type: x.Type, I: floorDiv(x.I-origin, sz)*sz + origin}
	}
	if !x.Type.IsNumeric() && x.Type != types.Bool {
		return value.Null(t)
	}
	if isIntType(t) {
		sz, ok := binSizeInt(size)
		if !ok {
			return value.Null(t)
		}
		origin := int64(0)
		if !at.IsNull() {
			origin = intOfValue(at)
		}
		return value.Value{Type: t, I: floorDiv(intOfValue(x)-origin, sz)*sz + origin}
	}
	f, sz := realOfValue(x), realOfValue(size)
	if sz <= 0 || math.IsNaN(sz) {
		return value.Null(t)
	}
	origin := 0.0
	if !at.IsNull() {
		origin = realOfValue(at)
	}
	return value.Value{Type: t, F: math.Floor((f-origin)/sz)*sz + origin}
}

// bindBinAt is bin_at(value, size, fixed_point).
func bindBinAt(c *call) (*Fn, error) {
	t := c.resultOr(c.args[0].Type)
	return c.strict(t, func(v []value.Value) value.Value {
		at := v[2]
		if at.Type == types.Dynamic {
			at = fromDyn(at.D)
		}
		return binValue(v[0], v[1], at, t)
	}), nil
}
