package scalar

// This file implements the arithmetic operators + - * / % and unary minus
// with Kusto's type rules: int and long widen to real, integer division
// truncates and yields null on a zero divisor, datetime - datetime is a
// timespan, datetime ± timespan is a datetime, timespan / timespan is a
// real, a timespan scales by a number. A dynamic operand is converted
// element by element and the result is dynamic.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// arithK is an arithmetic kernel: exactly one of its functions is set,
// chosen by the operand storage (i: int64 ticks or integers, f: float64).
type arithK struct {
	t   types.Type
	ii  func(a, b int64) (int64, bool)
	ff  func(a, b float64) (float64, bool)
	iiF func(a, b int64) (float64, bool)
	iF  func(a int64, b float64) (int64, bool)
	fI  func(a float64, b int64) (int64, bool)
}

// arithKernel picks the kernel of l op r, or reports false when Kusto does
// not define the operator on these types.
func arithKernel(op token.Kind, l, r types.Type) (arithK, bool) {
	switch {
	case l.IsNumeric() && r.IsNumeric():
		t := widerNum(l, r)
		if isIntType(t) {
			return arithK{t: t, ii: intOp(op)}, true
		}
		return arithK{t: t, ff: realOp(op)}, true
	case l == types.Datetime && r == types.Datetime && op == token.SUB:
		return arithK{t: types.Timespan, ii: intOp(op)}, true
	case l == types.Datetime && r == types.Timespan && (op == token.ADD || op == token.SUB),
		l == types.Timespan && r == types.Datetime && op == token.ADD:
		return arithK{t: types.Datetime, ii: intOp(op)}, true
	case l == types.Timespan && r == types.Timespan:
		switch op {
		case token.ADD, token.SUB, token.REM:
			return arithK{t: types.Timespan, ii: intOp(op)}, true
		case token.QUO:
			return arithK{t: types.Real, iiF: func(a, b int64) (float64, bool) {
				return float64(a) / float64(b), true
			}}, true
		}
	case l == types.Timespan && r.IsNumeric() && (op == token.MUL || op == token.QUO):
		if isIntType(r) {
			return arithK{t: types.Timespan, ii: intOp(op)}, true
		}
		return arithK{t: types.Timespan, iF: func(a int64, b float64) (int64, bool) {
			f := float64(a) * b
			if op == token.QUO {
				f = float64(a) / b
			}
			return roundTicks(f)
		}}, true
	case l.IsNumeric() && r == types.Timespan && op == token.MUL:
		if isIntType(l) {
			return arithK{t: types.Timespan, ii: intOp(op)}, true
		}
		return arithK{t: types.Timespan, fI: func(a float64, b int64) (int64, bool) {
			return roundTicks(a * float64(b))
		}}, true
	}
	return arithK{}, false
}

func roundTicks(f float64) (int64, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > math.MaxInt64 {
		return 0, false
	}
	return int64(math.Round(f)), true
}

func intOp(op token.Kind) func(a, b int64) (int64, bool) {
	switch op {
	case token.ADD:
		return func(a, b int64) (int64, bool) { return a + b, true }
	case token.SUB:
		return func(a, b int64) (int64, bool) { return a - b, true }
	case token.MUL:
		return func(a, b int64) (int64, bool) { return a * b, true }
	case token.QUO:
		return func(a, b int64) (int64, bool) {
			if b == 0 {
				return 0, false
			}
			return a / b, true
		}
	}
	return func(a, b int64) (int64, bool) {
		if b == 0 {
			return 0, false
		}
		return a % b, true
	}
}

func realOp(op token.Kind) func(a, b float64) (float64, bool) {
	switch op {
	case token.ADD:
		return func(a, b float64) (float64, bool) { return a + b, true }
	case token.SUB:
		return func(a, b float64) (float64, bool) { return a - b, true }
	case token.MUL:
		return func(a, b float64) (float64, bool) { return a * b, true }
	case token.QUO:
		return func(a, b float64) (float64, bool) { return a / b, true }
	}
	return func(a, b float64) (float64, bool) { return math.Mod(a, b), true }
}

// widerNum is the wider of two numeric types (int < long < real < decimal).
func widerNum(a, b types.Type) types.Type {
	if numRank(b) > numRank(a) {
		return b
	}
	return a
}

func numRank(t types.Type) int {
	switch t {
	case types.Int:
		return 1
	case types.Long:
		return 2
	case types.Real:
		return 3
	case types.Decimal:
		return 4
	}
	return 0
}

// arith binds x op y for the arithmetic operators.
func arith(op token.Kind, x, y Arg) (*Fn, error) {
	if x.Type == types.Dynamic || y.Type == types.Dynamic {
		return &Fn{Type: types.Dynamic, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			args := []Arg{x, y}
			out := make([]any, n)
			for i := 0; i < n; i++ {
				r := arithValues(op, argVal(args, cols, 0, i), argVal(args, cols, 1, i))
				out[i] = r.ToDynamic()
			}
			return dynCol(out), nil
		}}, nil
	}
	k, ok := arithKernel(op, x.Type, y.Type)
	if !ok {
		return nil, errorf("operator "+op.String(), "cannot be applied to %s and %s", x.Type, y.Type)
	}
	return &Fn{Type: k.t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		return k.apply(n, x, cols[0], y, cols[1]), nil
	}}, nil
}

// apply runs the kernel over columns (nil for a constant).
func (k arithK) apply(n int, x Arg, cx *value.Column, y Arg, cy *value.Column) *value.Column {
	switch {
	case k.ii != nil:
		s, nulls := zip(n, intsOf(x, cx), intsOf(y, cy), k.ii)
		return intCol(k.t, s, nulls)
	case k.ff != nil:
		s, nulls := zip(n, realsOf(x, cx), realsOf(y, cy), k.ff)
		return realCol(k.t, s, nulls)
	case k.iiF != nil:
		s, nulls := zip(n, intsOf(x, cx), intsOf(y, cy), k.iiF)
		return realCol(k.t, s, nulls)
	case k.iF != nil:
		s, nulls := zip(n, intsOf(x, cx), realsOf(y, cy), k.iF)
		return intCol(k.t, s, nulls)
	}
	s, nulls := zip(n, realsOf(x, cx), intsOf(y, cy), k.fI)
	return intCol(k.t, s, nulls)
}

// arithValues computes a op b on single values, unwrapping dynamic
// elements; operands Kusto cannot combine give a null.
func arithValues(op token.Kind, a, b value.Value) value.Value {
	if a.Type == types.Dynamic {
		a = fromDyn(a.D)
	}
	if b.Type == types.Dynamic {
		b = fromDyn(b.D)
	}
	k, ok := arithKernel(op, a.Type, b.Type)
	if !ok {
		return value.Null(types.Dynamic)
	}
	if a.IsNull() || b.IsNull() {
		return value.Null(k.t)
	}
	col := k.apply(1, Const(a), nil, Const(b), nil)
	return col.Value(0)
}

// Unary binds -x or +x.
func Unary(op token.Kind, x Arg) (*Fn, error) {
	what := "operator " + op.String()
	if op == token.ADD {
		return &Fn{Type: x.Type, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			if cols[0] == nil {
				return constColumn(*x.Const, n), nil
			}
			return cols[0], nil
		}}, nil
	}
	if op != token.SUB {
		return nil, errorf(what, "is not a unary operator")
	}
	switch {
	case x.Type == types.Dynamic:
		return &Fn{Type: types.Dynamic, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			out := make([]any, n)
			for i := 0; i < n; i++ {
				v := argVal([]Arg{x}, cols, 0, i)
				out[i] = arithValues(token.SUB, value.OfLong(0), v).ToDynamic()
			}
			return dynCol(out), nil
		}}, nil
	case isIntType(x.Type) || x.Type == types.Timespan:
		return &Fn{Type: x.Type, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s, nulls := mapv(n, intsOf(x, cols[0]), func(a int64) (int64, bool) { return -a, true })
			return intCol(x.Type, s, nulls), nil
		}}, nil
	case isRealType(x.Type):
		return &Fn{Type: x.Type, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s, nulls := mapv(n, realsOf(x, cols[0]), func(a float64) (float64, bool) { return -a, true })
			return realCol(x.Type, s, nulls), nil
		}}, nil
	}
	return nil, errorf(what, "cannot be applied to %s", x.Type)
}
