package source

// This file declares the errors sources return and how a service's
// line/position is mapped back onto the query text.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/token"
)

// Kind classifies a failed query. It is an error itself, so callers test
// with errors.Is(err, source.ErrThrottled).
type Kind string

func (k Kind) Error() string { return string(k) }

// The kinds of failure.
const (
	ErrSyntax       Kind = "syntax error"   // the service could not parse the query
	ErrSemantic     Kind = "semantic error" // unknown table/column, type errors
	ErrBadRequest   Kind = "bad request"    // other 400s
	ErrUnauthorized Kind = "unauthorized"   // 401: no or bad token
	ErrForbidden    Kind = "forbidden"      // 403: token fine, access missing
	ErrNotFound     Kind = "not found"      // 404: workspace, database, path
	ErrThrottled    Kind = "throttled"      // 429 after the retries
	ErrTimeout      Kind = "timeout"        // server or client timeout
	ErrTooLarge     Kind = "result too large"
	ErrServer       Kind = "server error" // 5xx after the retries
	ErrAuth         Kind = "credential error"
	ErrTransport    Kind = "transport error"
	ErrConfig       Kind = "configuration error"
)

// Error is a query that failed, after any retries.
type Error struct {
	Source string // configured source name
	Kind   Kind
	Status int    // HTTP status, 0 when none
	Code   string // innermost service code (SYN0002, SEM0100, ThrottledError)
	// Message is the service's most specific message.
	Message string
	// Pos is where in the query text the service placed the error, when
	// it said (Line 0 otherwise).
	Pos           token.Position
	RetryAfter    time.Duration // from Retry-After, for throttling
	Attempts      int           // HTTP attempts made, retries included
	CorrelationID string        // the service's request/correlation id
	Err           error         // underlying error, secrets removed
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Source, e.Kind)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (%d %s)", e.Status, http.StatusText(e.Status))
	}
	if e.Pos.IsValid() {
		fmt.Fprintf(&b, " at %d:%d", e.Pos.Line, e.Pos.Column)
	}
	switch {
	case e.Code != "" && e.Message != "":
		fmt.Fprintf(&b, ": %s: %s", e.Code, e.Message)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.Code != "":
		fmt.Fprintf(&b, ": %s", e.Code)
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [%d attempts]", e.Attempts)
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " [correlation %s]", e.CorrelationID)
	}
	return b.String()
}

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

func (e *Error) Unwrap() error { return e.Err }

// Detail formats the error with the offending query line and a caret
// under the column, for the CLI and the model's feedback. Without a
// position it is Error().
func (e *Error) Detail(query string) string {
	if !e.Pos.IsValid() {
		return e.Error()
	}
	line := token.NewFile("", query).Line(e.Pos.Line)
	if line == "" {
		return e.Error()
	}
	pad := strings.Repeat(" ", caretColumn(line, e.Pos.Column-1))
	return e.Error() + "\n    " + line + "\n    " + pad + "^"
}

// caretColumn is the display width of line's first byteCol bytes, tabs
// counting one.
func caretColumn(line string, byteCol int) int {
	if byteCol > len(line) {
		byteCol = len(line)
	}
	return utf8.RuneCountInString(line[:byteCol])
}

// position maps a service's (line, pos) onto the query text. Both Log
// Analytics ("line":1,"pos":4 for 'a' in "not a valid query") and ADX
// ("[line:position=1:9]" for "take" in "PerfTest take 5") give a 1-based
// line and a 0-based character offset within it; line 0 means unknown.
func position(query string, line, pos int) token.Position {
	if line <= 0 || pos < 0 {
		return token.Position{}
	}
	text := token.NewFile("", query).Line(line)
	return token.Position{Line: line, Column: byteOffset(text, pos) + 1}
}

// byteOffset converts a character offset within s to a byte offset;
// offsets past the end keep counting one byte per character.
func byteOffset(s string, chars int) int {
	i := 0
	for ; chars > 0 && i < len(s); chars-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i + chars
}

// bracketPosition finds Kusto's "[line:position=L:P]" in a message.
func bracketPosition(msg string) (line, pos int, ok bool) {
	const marker = "[line:position="
	i := strings.Index(msg, marker)
	if i < 0 {
		return 0, 0, false
	}
	rest := msg[i+len(marker):]
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, 0, false
	}
	l, p, found := strings.Cut(rest[:end], ":")
	if !found {
		return 0, 0, false
	}
	line, err1 := strconv.Atoi(strings.TrimSpace(l))
	pos, err2 := strconv.Atoi(strings.TrimSpace(p))
	return line, pos, err1 == nil && err2 == nil
}

// kindForStatus classifies an HTTP failure that has no better signal.
func kindForStatus(status int) Kind {
	switch {
	case status == http.StatusBadRequest:
		return ErrBadRequest
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrThrottled
	case status == http.StatusRequestTimeout, status == http.StatusGatewayTimeout:
		return ErrTimeout
	case status == http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	case status >= 500:
		return ErrServer
	}
	return ErrBadRequest
}

// parseRetryAfter reads Retry-After: seconds or an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

func itoa(n int) string { return strconv.Itoa(n) }
