package sigma

// This file holds the error a rule that cannot be read or converted gets.

import "fmt"

// Error says why a rule was not read or not converted. Kind groups the
// reasons in reports: yaml, multi-document, correlation, detection,
// condition, aggregation, logsource, field, modifier, value, regex,
// constant.
type Error struct {
	Kind string
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func errorf(kind, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}
