package engine

import (
	"fmt"

	"github.com/vigil-hunt/vigil/kql/token"
)

// Error is a compile or run-time error. It names the operator or function
// at fault and its position in the query.
type Error struct {
	Pos  token.Pos
	What string // the operator or function: "join", "todatetime()", …
	Msg  string
}

func (e *Error) Error() string {
	if e.What != "" {
		return fmt.Sprintf("%s: %s", e.What, e.Msg)
	}
	return e.Msg
}

// errorf returns an *Error at pos for what.
func errorf(pos token.Pos, what, format string, args ...any) *Error {
	return &Error{Pos: pos, What: what, Msg: fmt.Sprintf(format, args...)}
}
