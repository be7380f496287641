package scalar

import (
	"fmt"
	"testing"

	"github.com/vigil-hunt/vigil/kql/builtin"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// sampleValues are awkward inputs of every type: nulls, empties,
// negatives, odd dynamic shapes.
var sampleValues = []value.Value{
	N(types.Long), L(-1), L(0), L(3), I(7), R(-2.5), R(0), S(""), S("a-b.c 1.2.3.4"), S("{\"a\":[1]}"),
	B(true), N(types.Bool), DT("2020-02-29 12:34:56"), N(types.Datetime), TS("-1d"), N(types.Timespan),
	D(`null`), D(`[1,"a",null,[2]]`), D(`{"a":{"b":1}}`), D(`"day"`), D(`[]`), value.OfGuid("01234567-89ab-cdef-0123-456789abcdef"),
}

// TestNoPanics binds every function and operator with every combination
// of sample types (as constants and as columns) and evaluates them: bind
// errors are fine, panics are not.
func TestNoPanics(t *testing.T) {
	env := &Env{Now: testNow}
	for _, name := range Names() {
		f, _ := builtin.Lookup(name)
		lo, hi := f.MinArgs(), f.MaxArgs()
		if hi < 0 || hi > lo+2 {
			hi = lo + 2
		}
		for n := lo; n <= hi; n++ {
			for k := range sampleValues {
				vals := make([]value.Value, n)
				for i := range vals {
					vals[i] = sampleValues[(k+i*5)%len(sampleValues)]
				}
				tryBind(t, name, vals, func(a []Arg) (*Fn, error) { return Call(env, name, a) })
			}
		}
	}
	ops := []token.Kind{token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.EQL, token.NEQ,
		token.LSS, token.GEQ, token.AND, token.OR, token.HAS, token.NOT_HAS_CS, token.HASPREFIX,
		token.CONTAINS, token.STARTSWITH, token.ENDSWITH_CS, token.EQTILDE, token.MATCHES_REGEX}
	for _, k := range ops {
		for _, x := range sampleValues {
			for _, y := range sampleValues {
				tryBind(t, k.String(), []value.Value{x, y}, func(a []Arg) (*Fn, error) { return Binary(k, a[0], a[1]) })
			}
		}
	}
	for _, k := range []token.Kind{token.IN, token.NOT_IN_CI, token.HAS_ANY, token.HAS_ALL} {
		for _, x := range sampleValues {
			tryBind(t, k.String(), []value.Value{x, L(1), S("a"), D(`[1,"b"]`), N(types.Long)},
				func(a []Arg) (*Fn, error) { return In(k, a[0], a[1:]) })
		}
	}
	for _, x := range sampleValues {
		tryBind(t, "between", []value.Value{x, L(1), R(2)}, func(a []Arg) (*Fn, error) { return Between(a[0], a[1], a[2], false) })
		tryBind(t, "-", []value.Value{x}, func(a []Arg) (*Fn, error) { return Unary(token.SUB, a[0]) })
	}
}

// tryBind binds with constants and with 3-row columns (the value, a null,
// the value) and evaluates, reporting panics.
func tryBind(t *testing.T, what string, vals []value.Value, bind func([]Arg) (*Fn, error)) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s%v: panic: %v", what, showAll(vals), r)
		}
	}()
	consts := make([]Arg, len(vals))
	colArgs := make([]Arg, len(vals))
	cols := make([]*value.Column, len(vals))
	for i, v := range vals {
		consts[i] = Const(v)
		colArgs[i] = Col(v.Type)
		c := value.NewColumn(v.Type, 3)
		c.Append(v)
		c.AppendNull()
		c.Append(v)
		cols[i] = c
	}
	if fn, err := bind(consts); err == nil {
		if out, err := fn.Eval(make([]*value.Column, len(vals)), 2); err == nil && out.Len() != 2 {
			t.Errorf("%s%v: %d rows, want 2", what, showAll(vals), out.Len())
		}
	}
	if fn, err := bind(colArgs); err == nil {
		if out, err := fn.Eval(cols, 3); err == nil && out.Len() != 3 {
			t.Errorf("%s%v: %d rows, want 3", what, showAll(vals), out.Len())
		}
	}
}

func showAll(vals []value.Value) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = show(v) + ":" + v.Type.String()
	}
	return fmt.Sprint(s)
}
