package aggregate

// This file declares the bound-aggregate API and the table of aggregates
// the family files register into.

import (
	"fmt"
	"sort"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Arg is what the binder knows of an argument before running: its type
// and, for a constant, its value.
type Arg struct {
	Type  types.Type
	Const *value.Value
}

// Col describes a non-constant argument of type t. A type only known at
// run time is stored as dynamic.
func Col(t types.Type) Arg { return Arg{Type: norm(t)} }

// Const describes a constant argument.
func Const(v value.Value) Arg {
	v.Type = norm(v.Type)
	return Arg{Type: v.Type, Const: &v}
}

// IsConst reports whether the argument is a constant.
func (a Arg) IsConst() bool { return a.Const != nil }

func norm(t types.Type) types.Type {
	if !t.IsKnown() {
		return types.Dynamic
	}
	return t
}

// Func is an aggregate bound to its arguments: a vector of per-group
// states, indexed by dense group numbers.
type Func interface {
	// Types returns the output column types: one for most aggregates,
	// several for arg_max, take_any(a, b) and percentiles.
	Types() []types.Type
	// Grow makes room for groups [0, groups). Groups never shrink.
	Grow(groups int)
	// Update folds rows [0, n) into their groups: row i into groups[i].
	// args[k] is the k'th argument's column of n rows, or nil for an
	// argument that was constant at bind time.
	Update(groups []int32, args []*value.Column, n int)
	// Result returns group g's value of the first output column; a group
	// that saw no row gets the aggregate's default (0 for count and sum,
	// [] for make_list, null for most others).
	Result(g int) value.Value
}

// MultiFunc is a Func with several output columns.
type MultiFunc interface {
	Func
	// ResultCol returns group g's value of output column col.
	ResultCol(g, col int) value.Value
}

// ResultAt returns group g's value of output column col of any Func.
func ResultAt(f Func, g, col int) value.Value {
	if col == 0 {
		return f.Result(g)
	}
	return f.(MultiFunc).ResultCol(g, col)
}

// Error is a bind error: an unknown aggregate, a wrong argument count or
// type, an invalid constant.
type Error struct {
	What string // "dcount()"
	Msg  string
}

func (e *Error) Error() string { return e.What + ": " + e.Msg }

func errorf(name, format string, args ...any) *Error {
	return &Error{What: name + "()", Msg: fmt.Sprintf(format, args...)}
}

// binder binds one aggregate to its arguments.
type binder struct {
	min, max int // argument counts; max -1 for any
	bind     func(name string, args []Arg) (Func, error)
}

var (
	binders = map[string]binder{}
	// aliases maps deprecated and synonym spellings to the aggregate they
	// stand for; legacy ones keep their own defaults (makeset caps at 128).
	aliases = map[string]string{}
)

func register(name string, min, max int, bind func(name string, args []Arg) (Func, error)) {
	binders[name] = binder{min: min, max: max, bind: bind}
}

// Has reports whether name is an aggregate this package implements.
func Has(name string) bool {
	_, ok := binders[name]
	return ok
}

// Names returns the implemented aggregate names, sorted.
func Names() []string {
	out := make([]string, 0, len(binders))
	for n := range binders {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Bind binds aggregate name to its arguments. Constant arguments in value
// positions (sum(1)) are filled in by the returned Func itself, so callers
// always pass nil for them.
func Bind(name string, args []Arg) (Func, error) {
	b, ok := binders[name]
	if !ok {
		return nil, errorf(name, "unknown aggregation function")
	}
	if len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
		return nil, errorf(name, "takes %s, got %d", arity(b.min, b.max), len(args))
	}
	f, err := b.bind(name, args)
	if err != nil {
		return nil, err
	}
	return withConsts(f, args), nil
}

func arity(min, max int) string {
	switch {
	case max < 0:
		return fmt.Sprintf("at least %d argument(s)", min)
	case min == max:
		return fmt.Sprintf("%d argument(s)", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

// constArgs wraps a Func so that it sees a column for every constant
// argument; parameters read at bind time (a percentile, a size cap) are
// simply ignored by the inner Func.
type constArgs struct {
	Func
	consts []*value.Value // by argument position; nil for columns
	cols   []*value.Column
	buf    []*value.Column
}

func withConsts(f Func, args []Arg) Func {
	var consts []*value.Value
	for i, a := range args {
		if a.Const != nil {
			if consts == nil {
				consts = make([]*value.Value, len(args))
			}
			consts[i] = a.Const
		}
	}
	if consts == nil {
		return f
	}
	c := &constArgs{Func: f, consts: consts, cols: make([]*value.Column, len(args))}
	if m, ok := f.(MultiFunc); ok {
		return &multiConstArgs{constArgs: c, multi: m}
	}
	return c
}

func (c *constArgs) Update(groups []int32, args []*value.Column, n int) {
	c.buf = append(c.buf[:0], args...)
	for len(c.buf) < len(c.consts) {
		c.buf = append(c.buf, nil)
	}
	for i, v := range c.consts {
		if v == nil || c.buf[i] != nil {
			continue
		}
		if col := c.cols[i]; col == nil || col.Len() < n {
			c.cols[i] = value.Const(*v, max(n, 1024))
		}
		c.buf[i] = c.cols[i].Slice(0, n)
	}
	c.Func.Update(groups, c.buf, n)
}

type multiConstArgs struct {
	*constArgs
	multi MultiFunc
}

func (m *multiConstArgs) ResultCol(g, col int) value.Value { return m.multi.ResultCol(g, col) }

// constInt reads an optional integer parameter at position i.
func constInt(name string, args []Arg, i int, def int64) (int64, error) {
	if i >= len(args) {
		return def, nil
	}
	a := args[i]
	if a.Const == nil {
		return 0, errorf(name, "argument %d must be a constant", i+1)
	}
	v := value.Convert(*a.Const, types.Long)
	if v.IsNull() {
		return 0, errorf(name, "argument %d must be an integer, not %s", i+1, a.Const.Type)
	}
	return v.I, nil
}

// single is the Types result of one-column aggregates.
type single struct{ t []types.Type }

func one(t types.Type) single        { return single{t: []types.Type{t}} }
func (s single) Types() []types.Type { return s.t }
