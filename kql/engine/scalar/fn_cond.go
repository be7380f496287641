package scalar

// This file implements the conditional and null-testing functions: iff,
// case, coalesce, isnull, isnotnull, isempty, isnotempty, not, assert.

import (
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindIff, "iff", "iif")
	def(bindCase, "case")
	def(bindCoalesce, "coalesce")
	def(nullTest(func(v value.Value) bool { return v.IsNull() }), "isnull")
	def(nullTest(func(v value.Value) bool { return !v.IsNull() }), "isnotnull", "notnull")
	def(nullTest(func(v value.Value) bool { return v.IsEmpty() }), "isempty")
	def(nullTest(func(v value.Value) bool { return !v.IsEmpty() }), "isnotempty", "notempty")
	def(func(c *call) (*Fn, error) { return notFn(c.args[0]), nil }, "not")
	def(bindAssert, "assert")
}

// column returns argument k as a column of n rows of type t.
func column(args []Arg, cols []*value.Column, k, n int, t types.Type) *value.Column {
	c := cols[k]
	if c == nil {
		v := value.Null(t)
		if args[k].Const != nil {
			v = value.Convert(*args[k].Const, t)
		}
		return constColumn(v, n)
	}
	if c.Type != t {
		return convertCol(c, t)
	}
	return c
}

// pick builds a column of type t whose row i is row i of srcs[choice[i]]
// (a choice of -1 is null).
func pick(t types.Type, srcs []*value.Column, choice []int) *value.Column {
	n := len(choice)
	out := &value.Column{Type: t}
	var nulls []bool
	isNull := func(i, k int) bool {
		return k < 0 || srcs[k].Nulls != nil && srcs[k].Nulls[i]
	}
	switch {
	case t == types.Bool:
		out.Bools = make([]bool, n)
		for i, k := range choice {
			if isNull(i, k) {
				nulls = setNull(nulls, n, i)
				continue
			}
			out.Bools[i] = srcs[k].Bools[i]
		}
	case isIntType(t) || t == types.Datetime || t == types.Timespan:
		out.Ints = make([]int64, n)
		for i, k := range choice {
			if isNull(i, k) {
				nulls = setNull(nulls, n, i)
				continue
			}
			out.Ints[i] = srcs[k].Ints[i]
		}
	case isRealType(t):
		out.Reals = make([]float64, n)
		for i, k := range choice {
			if isNull(i, k) {
				nulls = setNull(nulls, n, i)
				continue
			}
			out.Reals[i] = srcs[k].Reals[i]
		}
	case t == types.String || t == types.Guid:
		out.Strs = make([]string, n)
		for i, k := range choice {
			if k >= 0 {
				out.Strs[i] = srcs[k].Strs[i]
			}
		}
	default:
		out.Dyns = make([]any, n)
		for i, k := range choice {
			if k >= 0 {
				out.Dyns[i] = srcs[k].Dyns[i]
			}
		}
	}
	out.Nulls = nulls
	return out
}

// resultOr is the call's builtin result type, or def when unknown.
func (c *call) resultOr(def types.Type) types.Type {
	if c.ret.IsKnown() {
		return c.ret
	}
	return def
}

// bindIff is iff(predicate, then, else); a null predicate takes else.
func bindIff(c *call) (*Fn, error) {
	t := c.resultOr(types.Dynamic)
	args := c.args
	return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		p := boolsOf(args[0], cols[0])
		srcs := []*value.Column{column(args, cols, 1, n, t), column(args, cols, 2, n, t)}
		choice := make([]int, n)
		for i := range choice {
			if p.null(i) || !p.at(i) {
				choice[i] = 1
			}
		}
		return pick(t, srcs, choice), nil
	}}, nil
}

// bindCase is case(p1, v1, p2, v2, …, else).
func bindCase(c *call) (*Fn, error) {
	if len(c.args) < 3 || len(c.args)%2 == 0 {
		return nil, c.errorf("takes predicate/value pairs and a final else value")
	}
	t := c.resultOr(types.Dynamic)
	args := c.args
	return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		np := len(args) / 2
		srcs := make([]*value.Column, np+1)
		for k := 0; k < np; k++ {
			srcs[k] = column(args, cols, 2*k+1, n, t)
		}
		srcs[np] = column(args, cols, len(args)-1, n, t)
		choice := make([]int, n)
		for i := range choice {
			choice[i] = -2
		}
		for k := 0; k < np; k++ {
			p := boolsOf(args[2*k], cols[2*k])
			for i := range choice {
				if choice[i] == -2 && !p.null(i) && p.at(i) {
					choice[i] = k
				}
			}
		}
		for i := range choice {
			if choice[i] == -2 {
				choice[i] = np
			}
		}
		return pick(t, srcs, choice), nil
	}}, nil
}

// bindCoalesce is coalesce(v1, v2, …): the first value that is not null
// (for strings: not empty).
func bindCoalesce(c *call) (*Fn, error) {
	t := c.resultOr(types.Dynamic)
	args := c.args
	return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		srcs := make([]*value.Column, len(args))
		for k := range args {
			srcs[k] = column(args, cols, k, n, t)
		}
		choice := make([]int, n)
		for i := range choice {
			choice[i] = len(args) - 1
			for k, s := range srcs {
				if !s.IsNull(i) && !(s.Type == types.String && s.Strs[i] == "") {
					choice[i] = k
					break
				}
			}
		}
		return pick(t, srcs, choice), nil
	}}, nil
}

// nullTest binds isnull-like predicates; f is the row rule. Strings are
// tested without boxing each row.
func nullTest(f func(v value.Value) bool) binder {
	return func(c *call) (*Fn, error) {
		empty, nonEmpty := f(value.OfString("")), f(value.OfString("x"))
		return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			out := make([]bool, n)
			if col := cols[0]; col != nil && col.Type == types.String {
				for i, s := range col.Strs[:n] {
					if s == "" {
						out[i] = empty
					} else {
						out[i] = nonEmpty
					}
				}
				return boolCol(out, nil), nil
			}
			for i := range out {
				out[i] = f(argVal(c.args, cols, 0, i))
			}
			return boolCol(out, nil), nil
		}}, nil
	}
}

// bindAssert is assert(predicate, message): true, or an error with the
// message when the predicate is false.
func bindAssert(c *call) (*Fn, error) {
	msg, _ := c.constStr(1)
	args := c.args
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		p := boolsOf(args[0], cols[0])
		out := make([]bool, n)
		for i := range out {
			if p.null(i) || !p.at(i) {
				return nil, errorf("assert()", "%s", msg)
			}
			out[i] = true
		}
		return boolCol(out, nil), nil
	}}, nil
}
