package scalar

// This file implements the function registry: each family file registers
// a binder per function name; Call checks the arity against package
// builtin, binds, and makes the result type agree with builtin's.

import (
	"sort"

	"github.com/vigil-hunt/vigil/kql/builtin"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// call is one call being bound.
type call struct {
	name string
	env  *Env
	args []Arg
	ret  types.Type // builtin's result type for these arguments (may be Unknown)
}

// binder binds a call of one function.
type binder func(c *call) (*Fn, error)

var registry = map[string]binder{}

// def registers a binder under a name and its aliases.
func def(b binder, names ...string) {
	for _, n := range names {
		if _, dup := registry[n]; dup {
			panic("scalar: duplicate function " + n)
		}
		registry[n] = b
	}
}

// Has reports whether Call implements the function.
func Has(name string) bool {
	_, ok := registry[name]
	return ok
}

// Names returns the implemented function names, sorted.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Call binds the scalar function name to its arguments. The result type
// is the one package builtin gives for these argument types when it knows
// one.
func Call(env *Env, name string, args []Arg) (*Fn, error) {
	fn, ret, err := bindCall(env, name, args)
	if err != nil {
		return nil, err
	}
	if ret.IsKnown() && fn.Type != ret {
		fn = converted(fn, ret)
	}
	return fn, nil
}

// bindCall binds without reconciling the result type, and returns
// builtin's result type beside the function.
func bindCall(env *Env, name string, args []Arg) (*Fn, types.Type, error) {
	what := name + "()"
	b, ok := registry[name]
	if !ok {
		return nil, types.Invalid, errorf(what, ErrUnknown)
	}
	if env == nil {
		env = &Env{}
	}
	for i := range args {
		if !args[i].TypeOf {
			args[i].Type = norm(args[i].Type)
		}
	}
	c := &call{name: name, env: env, args: args, ret: types.Unknown}
	if f, ok := builtin.Lookup(name); ok {
		if n := len(args); n < f.MinArgs() || f.MaxArgs() >= 0 && n > f.MaxArgs() {
			return nil, types.Invalid, errorf(what, "wrong number of arguments: %d; expected %s", n, f.Signature())
		}
		ts := make([]types.Type, len(args))
		for i, a := range args {
			ts[i] = a.Type
		}
		c.ret = f.ResultType(ts)
	}
	fn, err := b(c)
	return fn, c.ret, err
}

// converted makes fn yield type t (value.Convert row by row).
func converted(fn *Fn, t types.Type) *Fn {
	return &Fn{Type: t, Volatile: fn.Volatile, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		c, err := fn.eval(cols, n)
		if err != nil {
			return nil, err
		}
		return convertCol(c, t), nil
	}}
}

func (c *call) errorf(format string, args ...any) *Error {
	return errorf(c.name+"()", format, args...)
}

// constStr returns argument i as a constant string.
func (c *call) constStr(i int) (string, bool) {
	if i >= len(c.args) || c.args[i].Const == nil {
		return "", false
	}
	return toStr(*c.args[i].Const), true
}

// needConstStr returns argument i as a constant string or an error.
func (c *call) needConstStr(i int, what string) (string, error) {
	s, ok := c.constStr(i)
	if !ok {
		return "", c.errorf("%s must be a constant string", what)
	}
	return s, nil
}

// rowFunc computes one row's result from its argument values.
type rowFunc func(v []value.Value) value.Value

// rows is the generic row-at-a-time adapter: f sees each row's argument
// values (constants included) and its results are converted to t.
func (c *call) rows(t types.Type, f rowFunc) *Fn {
	args := c.args
	return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		vals := make([]value.Value, len(args))
		for k := range args {
			if cols[k] == nil {
				vals[k] = argVal(args, cols, k, 0)
			}
		}
		out := value.NewColumn(t, n)
		for i := 0; i < n; i++ {
			for k, col := range cols {
				if col != nil {
					vals[k] = col.Value(i)
				}
			}
			out.Append(f(vals))
		}
		return out, nil
	}}
}

// strict is rows for a function that yields null when any argument is
// null.
func (c *call) strict(t types.Type, f rowFunc) *Fn {
	return c.rows(t, func(v []value.Value) value.Value {
		for _, x := range v {
			if x.IsNull() {
				return value.Null(t)
			}
		}
		return f(v)
	})
}

// unary1 binds a strict one-argument function of a value.
func unary1(t types.Type, f func(v value.Value) value.Value) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(t, func(v []value.Value) value.Value { return f(v[0]) }), nil
	}
}

// strFn binds a function of one string argument (converted as tostring()
// does) returning a string.
func strFn(f func(s string) string) binder {
	return func(c *call) (*Fn, error) {
		x := c.args[0]
		return &Fn{Type: types.String, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			a := strsOf(x, cols[0])
			out := make([]string, n)
			for i := range out {
				out[i] = f(a.at(i))
			}
			return strCol(types.String, out), nil
		}}, nil
	}
}

// argInt returns v as an int64 (numbers truncated; others, or null, not ok).
func argInt(v value.Value) (int64, bool) {
	l := toLongValue(v)
	if l.IsNull() {
		return 0, false
	}
	return l.I, true
}

// argReal returns v as a float64.
func argReal(v value.Value) (float64, bool) {
	r := toRealValue(v)
	if r.IsNull() {
		return 0, false
	}
	return r.F, true
}
