package scalar

// This file declares the bound-function API: what the binder knows of an
// argument, the bound function itself, and the per-run environment.

import (
	"fmt"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Arg is what the binder knows of an argument before running: its type
// and, for a constant, its value. A type literal argument (extract(…,
// typeof(long))) has TypeOf set and Type holds the denoted type.
type Arg struct {
	Type   types.Type
	Const  *value.Value
	TypeOf bool
}

// Col describes a non-constant argument of type t.
func Col(t types.Type) Arg { return Arg{Type: norm(t)} }

// Const describes a constant argument.
func Const(v value.Value) Arg {
	v.Type = norm(v.Type)
	return Arg{Type: v.Type, Const: &v}
}

// TypeLit describes a type literal argument such as typeof(long).
func TypeLit(t types.Type) Arg { return Arg{Type: t, TypeOf: true} }

// IsConst reports whether the argument is a constant (type literals are).
func (a Arg) IsConst() bool { return a.Const != nil || a.TypeOf }

// norm maps a type only known at run time to dynamic, the storage such
// columns use.
func norm(t types.Type) types.Type {
	if !t.IsKnown() {
		return types.Dynamic
	}
	return t
}

// Env is the per-run state functions read.
type Env struct {
	// Now is the pinned clock of the run (now(), ago()).
	Now value.Datetime
}

// Fn is an operator or function bound to its arguments.
type Fn struct {
	// Type is the result type.
	Type types.Type
	// Volatile marks a function whose value differs from call to call
	// (rand, new_guid): a caller must not fold it into a constant.
	Volatile bool
	eval     func(args []*value.Column, n int) (*value.Column, error)
}

// Eval evaluates the function over n rows. args[i] is the i'th argument's
// column of n rows, of the type given at bind time, or nil for an argument
// that was constant at bind time.
func (f *Fn) Eval(args []*value.Column, n int) (*value.Column, error) {
	return f.eval(args, n)
}

// Error is a bind error: a wrong argument count or type, an invalid
// constant (a bad regex), an unknown function.
type Error struct {
	What string // "strlen()", "operator has"
	Msg  string
}

func (e *Error) Error() string { return e.What + ": " + e.Msg }

func errorf(what, format string, args ...any) *Error {
	return &Error{What: what, Msg: fmt.Sprintf(format, args...)}
}

// ErrUnknown is the message of the error Call returns for a name it does
// not implement.
const ErrUnknown = "unknown function"

// argVal returns row i of argument k: the bound constant or the column's value.
func argVal(args []Arg, cols []*value.Column, k, i int) value.Value {
	if cols[k] == nil {
		if c := args[k].Const; c != nil {
			return *c
		}
		return value.Null(args[k].Type)
	}
	return cols[k].Value(i)
}
