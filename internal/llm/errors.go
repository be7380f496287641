// This file turns failed HTTP exchanges into typed errors: OpenAI's error
// envelope, the shapes compatible servers use, plain text, and network errors.

package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kinds of API failure; an *APIError unwraps to one of them.
var (
	ErrInvalidKey    = errors.New("invalid API key")
	ErrQuota         = errors.New("insufficient quota")
	ErrRateLimited   = errors.New("rate limited")
	ErrServer        = errors.New("server error")
	ErrUnreachable   = errors.New("server unreachable")
	ErrModelNotFound = errors.New("model not found")
	ErrContextLength = errors.New("context length exceeded")
	ErrContentFilter = errors.New("blocked by content filter")
	ErrForbidden     = errors.New("forbidden")
	ErrBadRequest    = errors.New("request rejected")
	ErrBadResponse   = errors.New("unreadable response")
)

// APIError is a failed call. Message is the server's text with secrets
// removed (empty for 401, whose text may echo part of the key).
type APIError struct {
	Kind       error // one of the Err* kinds above
	Status     int   // HTTP status; 0 when no response arrived
	Code       string
	Type       string
	Message    string
	Model      string
	Server     string // host of the server, for messages
	RequestID  string
	RetryAfter time.Duration // server-requested wait, if any
	Attempts   int
	Hint       string // what the analyst can do about it
}

func (e *APIError) Unwrap() error { return e.Kind }

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Model != "" {
		b.WriteString(e.Model + ": ")
	}
	b.WriteString(e.Kind.Error())
	b.WriteString(" (" + e.status() + ")")
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Message != "" {
		b.WriteString(": " + strings.TrimSuffix(e.Message, "."))
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

func (e *APIError) status() string {
	var parts []string
	if e.Status != 0 {
		parts = append(parts, "HTTP "+strconv.Itoa(e.Status))
	}
	if e.Code != "" {
		parts = append(parts, e.Code)
	}
	if e.Server != "" {
		parts = append(parts, "from "+e.Server)
	}
	return strings.Join(parts, ", ")
}

// Retryable reports whether waiting and trying again can help.
func (e *APIError) Retryable() bool {
	return e.Kind == ErrRateLimited || e.Kind == ErrServer || e.Kind == ErrUnreachable
}

// ContextLengthError means the input does not fit the model's context
// window. The caller should shrink the input (fewer rows, shorter fields) and
// retry once. Preflight is set when the offline count caught it before any
// request was sent.
type ContextLengthError struct {
	Model     string
	Limit     int // context window in tokens, 0 if unknown
	Requested int // tokens the request needed, 0 if unknown
	Preflight bool
	API       *APIError // the server's error; nil when Preflight
}

func (e *ContextLengthError) Error() string {
	msg := fmt.Sprintf("%s: input too long for the context window", e.Model)
	if e.Limit > 0 && e.Requested > 0 {
		msg = fmt.Sprintf("%s: input of %s tokens exceeds the %s-token context window",
			e.Model, groupDigits(int64(e.Requested)), groupDigits(int64(e.Limit)))
	}
	if e.Preflight {
		return msg + " (counted offline, not sent); shrink the input"
	}
	if e.API != nil && e.API.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.API.Status)
	}
	return msg + "; shrink the input and retry"
}

func (e *ContextLengthError) Unwrap() error { return ErrContextLength }

// wireError is what we could read from an error body.
type wireError struct {
	Message, Type, Code string
}

// parseErrorBody reads OpenAI's {"error":{...}} envelope, llama.cpp's
// integer code, {"error":"text"}, vLLM's top-level {"message":...}, FastAPI's
// {"detail":...}, or falls back to the text itself.
func parseErrorBody(body []byte) wireError {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return wireError{Message: oneLine(string(body))}
	}
	if raw, ok := top["error"]; ok {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return wireError{Message: oneLine(s)}
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			return wireFields(obj)
		}
	}
	if _, ok := top["message"]; ok {
		return wireFields(top)
	}
	if raw, ok := top["detail"]; ok {
		return wireError{Message: oneLine(jsonText(raw))}
	}
	return wireError{Message: oneLine(string(body))}
}

func wireFields(obj map[string]json.RawMessage) wireError {
	return wireError{
		Message: oneLine(jsonText(obj["message"])),
		Type:    jsonText(obj["type"]),
		Code:    jsonText(obj["code"]),
	}
}

// jsonText renders a JSON string as its text and anything else (numbers,
// objects) as its JSON; null and absent become "".
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// oneLine collapses whitespace and caps the length of a server message.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

var (
	secretPattern = regexp.MustCompile(`\b(sk|sess|key)-[A-Za-z0-9_*.\-]{3,}`)
	ctxNumbers    = regexp.MustCompile(`(?i)maximum context length is (\d+).*?(?:resulted in|requested|you requested) (\d+)`)
	ctxPhrases    = []string{"maximum context length", "context length", "context_length_exceeded", "exceed_context_size", "context size", "too many tokens"}
)

// scrub removes anything that looks like a key from a server message.
func scrub(msg string, key Secret) string {
	if len(key) >= 8 {
		msg = strings.ReplaceAll(msg, string(key), "[redacted]")
	}
	return secretPattern.ReplaceAllString(msg, "$1-[redacted]")
}

// classify maps an error response to a typed error. It never retains the
// body beyond the parsed message.
func classify(status int, header http.Header, body []byte, key Secret, now time.Time) error {
	w := parseErrorBody(body)
	e := &APIError{
		Status:     status,
		Code:       w.Code,
		Type:       w.Type,
		Message:    scrub(w.Message, key),
		RequestID:  header.Get("x-request-id"),
		RetryAfter: retryAfter(header, now),
	}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(status))
	}
	if isContextLength(status, w) {
		e.Kind = ErrContextLength
		return contextLengthError(e)
	}
	e.Kind = kindOf(status, w)
	switch e.Kind {
	case ErrInvalidKey:
		e.Message = ""
	case ErrQuota:
		e.Hint = "add credit or raise the project's spend limit; not retrying"
	}
	if header.Get("x-should-retry") == "false" && e.Retryable() {
		e.Kind = ErrBadRequest
	}
	return e
}

func kindOf(status int, w wireError) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrInvalidKey
	case status == http.StatusTooManyRequests && (w.Code == "insufficient_quota" || w.Type == "insufficient_quota"):
		return ErrQuota
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound && (w.Code == "model_not_found" || strings.Contains(strings.ToLower(w.Message), "model")):
		return ErrModelNotFound
	case w.Code == "content_filter":
		return ErrContentFilter
	case status == http.StatusRequestTimeout || status == http.StatusConflict || status >= 500:
		return ErrServer
	}
	return ErrBadRequest
}

func isContextLength(status int, w wireError) bool {
	if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge && status != http.StatusUnprocessableEntity {
		return false
	}
	text := strings.ToLower(w.Code + " " + w.Type + " " + w.Message)
	for _, p := range ctxPhrases {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}

func contextLengthError(e *APIError) *ContextLengthError {
	c := &ContextLengthError{API: e}
	if m := ctxNumbers.FindStringSubmatch(e.Message); m != nil {
		c.Limit, _ = strconv.Atoi(m[1])
		c.Requested, _ = strconv.Atoi(m[2])
	}
	return c
}

// retryAfter reads retry-after-ms / x-ms-retry-after-ms (milliseconds) or
// Retry-After (seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) time.Duration {
	for _, name := range []string{"retry-after-ms", "x-ms-retry-after-ms"} {
		if ms, err := strconv.ParseFloat(h.Get(name), 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("retry-after")
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
