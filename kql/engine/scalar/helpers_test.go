package scalar

// This file holds the helpers the table-driven tests share: value
// constructors and evaluation of a bound function both with constant
// arguments and with argument columns, which must agree.

import (
	"math"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

var testNow = value.DatetimeOf(time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC))

func L(i int64) value.Value      { return value.OfLong(i) }
func I(i int64) value.Value      { return value.OfInt(i) }
func R(f float64) value.Value    { return value.OfReal(f) }
func S(s string) value.Value     { return value.OfString(s) }
func B(b bool) value.Value       { return value.OfBool(b) }
func N(t types.Type) value.Value { return value.Null(t) }

// D parses JSON into a dynamic value.
func D(js string) value.Value {
	d, err := value.ParseJSON(js)
	if err != nil {
		panic(err)
	}
	return value.OfDynamic(d)
}

// DT parses a datetime.
func DT(s string) value.Value {
	d, ok := value.ParseDatetime(s)
	if !ok {
		panic("bad datetime " + s)
	}
	return value.OfDatetime(d)
}

// TS parses a timespan.
func TS(s string) value.Value {
	t, ok := value.ParseTimespan(s)
	if !ok {
		panic("bad timespan " + s)
	}
	return value.OfTimespan(t)
}

// evalBoth evaluates bind once over constants and once over one-row
// columns, fails if they disagree, and returns the value.
func evalBoth(t *testing.T, what string, args []value.Value, bind func([]Arg) (*Fn, error)) (value.Value, error) {
	t.Helper()
	consts := make([]Arg, len(args))
	colArgs := make([]Arg, len(args))
	cols := make([]*value.Column, len(args))
	for i, a := range args {
		consts[i] = Const(a)
		colArgs[i] = Col(a.Type)
		cols[i] = value.Const(a, 1)
	}
	fn, err := bind(consts)
	if err != nil {
		return value.Value{}, err
	}
	c1, err := fn.Eval(make([]*value.Column, len(args)), 1)
	if err != nil {
		return value.Value{}, err
	}
	v1 := c1.Value(0)
	if fn2, err := bind(colArgs); err == nil {
		c2, err := fn2.Eval(cols, 1)
		if err != nil {
			t.Errorf("%s: column form fails: %v", what, err)
		} else if v2 := c2.Value(0); !sameValue(v1, v2) {
			t.Errorf("%s: constant form %v (%s), column form %v (%s)", what, show(v1), v1.Type, show(v2), v2.Type)
		}
	}
	return v1, nil
}

// callFn evaluates a library function.
func callFn(t *testing.T, name string, args ...value.Value) value.Value {
	t.Helper()
	v, err := evalBoth(t, name, args, func(a []Arg) (*Fn, error) {
		return Call(&Env{Now: testNow}, name, a)
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// op evaluates a binary operator.
func op(t *testing.T, k token.Kind, x, y value.Value) value.Value {
	t.Helper()
	v, err := evalBoth(t, k.String(), []value.Value{x, y}, func(a []Arg) (*Fn, error) {
		return Binary(k, a[0], a[1])
	})
	if err != nil {
		t.Fatalf("%v %s %v: %v", show(x), k, show(y), err)
	}
	return v
}

func show(v value.Value) string {
	if v.IsNull() {
		return "null"
	}
	if v.Type == types.String {
		return `"` + v.S + `"`
	}
	return v.String()
}

// sameValue compares type and value; reals within 1e-9 relative, NaN
// equal to NaN, dynamic values structurally.
func sameValue(a, b value.Value) bool {
	if a.Type != b.Type || a.IsNull() != b.IsNull() {
		return false
	}
	if a.IsNull() {
		return true
	}
	switch {
	case isRealType(a.Type):
		if math.IsNaN(a.F) || math.IsNaN(b.F) {
			return math.IsNaN(a.F) && math.IsNaN(b.F)
		}
		return a.F == b.F || math.Abs(a.F-b.F) <= 1e-9*math.Max(1, math.Abs(a.F))
	case a.Type == types.Dynamic:
		return value.Equal(a.D, b.D)
	}
	return a == b
}

// check compares got with want and reports the case.
func check(t *testing.T, what string, got, want value.Value) {
	t.Helper()
	if !sameValue(got, want) {
		t.Errorf("%s = %s (%s), want %s (%s)", what, show(got), got.Type, show(want), want.Type)
	}
}
