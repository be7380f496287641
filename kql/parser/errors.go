package parser

// This file declares the syntax errors the parser reports.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/token"
)

// Error is one syntax error: where it is and what is wrong.
type Error struct {
	Pos  token.Position // printable start of the error
	Span token.Span     // offending source range; End may equal Pos
	Msg  string
}

// Error formats the error as "file:line:col: msg".
func (e *Error) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is a list of errors; its zero value is an empty list ready to
// use. Parse returns one, sorted by position.
type ErrorList []*Error

func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	a, b := l[i].Span.Pos, l[j].Span.Pos
	if a != b {
		return a < b
	}
	return l[i].Msg < l[j].Msg
}

// Sort sorts the list by position, then message.
func (l ErrorList) Sort() { sort.Stable(l) }

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error returns the first error and how many more there are, or every
// message on its own line when there are few.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	if len(l) <= 3 {
		msgs := make([]string, len(l))
		for i, e := range l {
			msgs[i] = e.Error()
		}
		return strings.Join(msgs, "\n")
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}
