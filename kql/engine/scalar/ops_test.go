package scalar

import (
	"fmt"
	"math"
	"testing"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestArithmetic(t *testing.T) {
	cases := []struct {
		x    value.Value
		op   token.Kind
		y    value.Value
		want value.Value
	}{
		{L(7), token.ADD, L(2), L(9)},
		{I(7), token.ADD, I(2), I(9)},
		{I(7), token.ADD, L(2), L(9)},
		{L(7), token.SUB, R(0.5), R(6.5)},
		{L(7), token.QUO, L(2), L(3)},
		{L(-7), token.QUO, L(2), L(-3)},
		{L(7), token.REM, L(3), L(1)},
		{L(-7), token.REM, L(3), L(-1)},
		{L(7), token.QUO, L(0), N(types.Long)},
		{L(7), token.REM, L(0), N(types.Long)},
		{R(7), token.QUO, L(2), R(3.5)},
		{R(1), token.QUO, R(0), R(math.Inf(1))},
		{R(7.5), token.REM, L(2), R(1.5)},
		{L(2), token.MUL, N(types.Long), N(types.Long)},
		{DT("2017-01-02"), token.SUB, DT("2017-01-01"), TS("1d")},
		{DT("2017-01-01"), token.ADD, TS("12h"), DT("2017-01-01 12:00")},
		{TS("12h"), token.ADD, DT("2017-01-01"), DT("2017-01-01 12:00")},
		{DT("2017-01-01"), token.SUB, TS("1d"), DT("2016-12-31")},
		{TS("1d"), token.SUB, TS("1h"), TS("23h")},
		{TS("1d"), token.QUO, TS("1h"), R(24)},
		{TS("1h"), token.MUL, L(3), TS("3h")},
		{L(3), token.MUL, TS("1h"), TS("3h")},
		{TS("1h"), token.MUL, R(1.5), TS("90m")},
		{TS("1h"), token.QUO, L(2), TS("30m")},
		{TS("1min"), token.QUO, R(2.0), TS("30s")},
		{TS("25h"), token.REM, TS("1d"), TS("1h")},
		{D("5"), token.ADD, L(1), value.OfDynamic(int64(6))},
		{D("2.5"), token.MUL, L(2), value.OfDynamic(5.0)},
		{D(`"x"`), token.ADD, L(1), N(types.Dynamic)},
	}
	for _, c := range cases {
		got := op(t, c.op, c.x, c.y)
		check(t, fmt.Sprintf("%s %s %s", show(c.x), c.op, show(c.y)), got, c.want)
	}
	for _, bad := range [][2]value.Value{{S("a"), L(1)}, {DT("2017-01-01"), DT("2017-01-01")}, {B(true), L(1)}} {
		if _, err := Binary(token.ADD, Const(bad[0]), Const(bad[1])); err == nil {
			t.Errorf("%s + %s: no error", show(bad[0]), show(bad[1]))
		}
	}
}

func TestUnary(t *testing.T) {
	for _, c := range []struct{ x, want value.Value }{
		{L(3), L(-3)}, {R(1.5), R(-1.5)}, {TS("1h"), TS("-1h")}, {N(types.Long), N(types.Long)},
		{D("4"), value.OfDynamic(int64(-4))},
	} {
		v, err := evalBoth(t, "-", []value.Value{c.x}, func(a []Arg) (*Fn, error) { return Unary(token.SUB, a[0]) })
		if err != nil {
			t.Fatal(err)
		}
		check(t, "-"+show(c.x), v, c.want)
	}
	if _, err := Unary(token.SUB, Const(S("a"))); err == nil {
		t.Error("-string: no error")
	}
}

func TestComparison(t *testing.T) {
	nb := N(types.Bool)
	cases := []struct {
		x    value.Value
		op   token.Kind
		y    value.Value
		want value.Value
	}{
		{L(1), token.LSS, R(1.5), B(true)},
		{I(2), token.EQL, L(2), B(true)},
		{R(2), token.EQL, L(2), B(true)},
		{S("a"), token.LSS, S("b"), B(true)},
		{S("B"), token.LSS, S("a"), B(true)}, // ordinal
		{S("abc"), token.EQL, S("ABC"), B(false)},
		{S("abc"), token.NEQ, S("ABC"), B(true)},
		{DT("2017-01-01"), token.GTR, DT("2016-01-01"), B(true)},
		{TS("1h"), token.LEQ, TS("60m"), B(true)},
		{B(true), token.EQL, B(true), B(true)},
		{value.OfGuid("01234567-89ab-cdef-0123-456789abcdef"), token.EQL, S("01234567-89AB-CDEF-0123-456789ABCDEF"), B(true)},
		// nulls: == of two nulls is null, of one null false; != the reverse;
		// orderings are null.
		{N(types.Long), token.EQL, N(types.Long), nb},
		{N(types.Long), token.EQL, L(1), B(false)},
		{N(types.Long), token.NEQ, L(1), B(true)},
		{N(types.Long), token.NEQ, N(types.Long), nb},
		{N(types.Long), token.GTR, L(1), nb},
		// dynamic against typed values: the element is converted.
		{D(`"abc"`), token.EQL, S("abc"), B(true)},
		{D("5"), token.GTR, L(3), B(true)},
		{D("5"), token.EQL, R(5), B(true)},
		{D(`"5"`), token.EQL, L(5), B(true)},
		{D(`[1,2]`), token.EQL, D(`[1,2]`), B(true)},
		{D(`{"a":1}`), token.NEQ, D(`{"a":2}`), B(true)},
		{D("null"), token.EQL, S("x"), B(false)},
		{D(`"2017-01-01"`), token.LSS, DT("2018-01-01"), B(true)},
	}
	for _, c := range cases {
		got := op(t, c.op, c.x, c.y)
		check(t, fmt.Sprintf("%s %s %s", show(c.x), c.op, show(c.y)), got, c.want)
	}
	// A string compared with a number is read as a number (EventID ==
	// "4688"); one that does not read as a number is unordered.
	check(t, `"7" > 5`, op(t, token.GTR, S("7"), L(5)), B(true))
	check(t, `"a" == 1`, op(t, token.EQL, S("a"), L(1)), B(false))
	if _, err := Binary(token.LSS, Const(B(true)), Const(DT("2018-01-01"))); err == nil {
		t.Error("bool < datetime: no error")
	}
}

func TestLogic(t *testing.T) {
	tr, fa, nu := B(true), B(false), N(types.Bool)
	cases := []struct {
		x    value.Value
		op   token.Kind
		y    value.Value
		want value.Value
	}{
		{tr, token.AND, tr, tr}, {tr, token.AND, fa, fa}, {fa, token.AND, nu, fa}, {nu, token.AND, fa, fa},
		{tr, token.AND, nu, nu}, {nu, token.AND, nu, nu},
		{fa, token.OR, fa, fa}, {tr, token.OR, nu, tr}, {nu, token.OR, tr, tr}, {fa, token.OR, nu, nu},
		{D("true"), token.AND, tr, tr},
	}
	for _, c := range cases {
		check(t, fmt.Sprintf("%s %s %s", show(c.x), c.op, show(c.y)), op(t, c.op, c.x, c.y), c.want)
	}
	check(t, "not(true)", callFn(t, "not", tr), fa)
	check(t, "not(null)", callFn(t, "not", nu), nu)
}

// TestLogicVectors checks the vector loops against the row rules.
func TestLogicVectors(t *testing.T) {
	vals := []value.Value{B(true), B(false), N(types.Bool)}
	x, y := value.NewColumn(types.Bool, 9), value.NewColumn(types.Bool, 9)
	for _, a := range vals {
		for _, b := range vals {
			x.Append(a)
			y.Append(b)
		}
	}
	for _, k := range []token.Kind{token.AND, token.OR} {
		fn, _ := Binary(k, Col(types.Bool), Col(types.Bool))
		out, err := fn.Eval([]*value.Column{x, y}, 9)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 9; i++ {
			want := op(t, k, x.Value(i), y.Value(i))
			check(t, fmt.Sprintf("row %d %s", i, k), out.Value(i), want)
		}
	}
}

func inOp(t *testing.T, k token.Kind, x value.Value, list ...value.Value) value.Value {
	t.Helper()
	v, err := evalBoth(t, k.String(), append([]value.Value{x}, list...), func(a []Arg) (*Fn, error) {
		return In(k, a[0], a[1:])
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestIn(t *testing.T) {
	cases := []struct {
		k    token.Kind
		x    value.Value
		list []value.Value
		want bool
	}{
		{token.IN, S("a"), []value.Value{S("a"), S("b")}, true},
		{token.IN, S("A"), []value.Value{S("a"), S("b")}, false},
		{token.IN_CI, S("A"), []value.Value{S("a"), S("b")}, true},
		{token.IN_CI, S("Ä"), []value.Value{S("ä")}, true},
		{token.NOT_IN, S("c"), []value.Value{S("a"), S("b")}, true},
		{token.NOT_IN_CI, S("B"), []value.Value{S("a"), S("b")}, false},
		{token.IN, L(2), []value.Value{L(1), L(2)}, true},
		{token.IN, L(2), []value.Value{R(2.0)}, true},
		{token.IN, R(2.5), []value.Value{L(2), R(2.5)}, true},
		{token.IN, I(3), []value.Value{L(3)}, true},
		{token.IN, N(types.Long), []value.Value{L(1)}, false},
		{token.NOT_IN, N(types.Long), []value.Value{L(1)}, true},
		{token.IN, DT("2017-01-01"), []value.Value{DT("2017-01-01")}, true},
		{token.IN, D(`"x"`), []value.Value{S("x")}, true},
		{token.IN, D(`5`), []value.Value{L(5)}, true},
		{token.IN_CI, D(`"X"`), []value.Value{S("x")}, true},
		{token.HAS_ANY, S("cmd.exe /c whoami"), []value.Value{S("net"), S("WHOAMI")}, true},
		{token.HAS_ANY, S("cmd.exe /c whoami"), []value.Value{S("who")}, false},
		{token.HAS_ANY, S("a b c d e f"), []value.Value{S("x"), S("y"), S("z"), S("w"), S("v"), S("E")}, true},
		{token.HAS_ANY, S("a b c d e-f"), []value.Value{S("x"), S("y"), S("z"), S("w"), S("v"), S("e-f")}, true},
		{token.HAS_ANY, S("a b c d e f"), []value.Value{S("x"), S("y"), S("z"), S("w"), S("v"), S("ef")}, false},
		{token.HAS_ALL, S("cmd.exe /c whoami"), []value.Value{S("cmd"), S("whoami")}, true},
		{token.HAS_ALL, S("cmd.exe /c whoami"), []value.Value{S("cmd"), S("net")}, false},
		{token.HAS_ANY, S("x"), nil, false},
	}
	for _, c := range cases {
		check(t, fmt.Sprintf("%s %s %v", show(c.x), c.k, c.list), inOp(t, c.k, c.x, c.list...), B(c.want))
	}
}

func TestBetween(t *testing.T) {
	between := func(x, lo, hi value.Value, not bool) value.Value {
		v, err := evalBoth(t, "between", []value.Value{x, lo, hi}, func(a []Arg) (*Fn, error) {
			return Between(a[0], a[1], a[2], not)
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	check(t, "5 between 1..5", between(L(5), L(1), L(5), false), B(true))
	check(t, "6 between 1..5", between(L(6), L(1), L(5), false), B(false))
	check(t, "6 !between 1..5", between(L(6), L(1), L(5), true), B(true))
	check(t, "2.5 between 1..5", between(R(2.5), L(1), L(5), false), B(true))
	check(t, "null between", between(N(types.Long), L(1), L(5), false), N(types.Bool))
	check(t, "dt between dt..span", between(DT("2017-01-02"), DT("2017-01-01"), TS("1d"), false), B(true))
	check(t, "dt between dt..span (out)", between(DT("2017-01-03"), DT("2017-01-01"), TS("1d"), false), B(false))
	check(t, "dt between dt..dt", between(DT("2017-01-02"), DT("2017-01-01"), DT("2017-01-03"), false), B(true))
}
