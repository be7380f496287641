package fake

// This file holds what the fake servers share: TLS, recorded requests,
// the fault script, token checks.

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Fault is one scripted misbehaviour. Each request to a fake's query
// endpoint takes the next fault of its script; once the script is used
// up requests are served normally.
type Fault struct {
	// Status answers with this status and the service's documented error
	// body for it (Body overrides the body).
	Status     int
	Body       string
	RetryAfter string // Retry-After header, in seconds or as an HTTP date
	// Delay holds the answer back, as a slow query does. A fake whose
	// service takes a server timeout (Log Analytics' Prefer: wait, ADX's
	// servertimeout) answers with its timeout error once that has passed.
	Delay time.Duration
	// Partial answers 200 with the rows and an engine failure beside them.
	Partial bool
	// NoContent answers 204, as Log Analytics does for an empty workspace.
	NoContent bool
}

// Request is a request a fake received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// server is the common part of every fake.
type server struct {
	*httptest.Server
	scope string // the token scope the fake accepts

	mu     sync.Mutex
	script []Fault
	reqs   []Request
}

// start serves h over TLS until the test ends.
func start(t testing.TB, scope string, h func(s *server) http.Handler) *server {
	s := &server{scope: scope}
	s.Server = httptest.NewTLSServer(h(s))
	t.Cleanup(s.Close)
	return s
}

// Script appends faults for the next requests.
func (s *server) Script(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, f...)
}

// Requests returns the query requests received so far.
func (s *server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// HTTPClient returns a client that trusts the fake's certificate.
func (s *server) HTTPClient() *http.Client { return s.Client() }

// take records r and returns the next scripted fault.
func (s *server) take(r *http.Request) (Request, Fault) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
	var f Fault
	if len(s.script) > 0 {
		f, s.script = s.script[0], s.script[1:]
	}
	return req, f
}

// authorized reports whether r carries the token for the fake's scope:
// "missing" when there is none, "wrong" when it is for another scope.
func (s *server) authorized(r *http.Request) string {
	got := r.Header.Get("Authorization")
	switch got {
	case "":
		return "missing"
	case "Bearer " + Token(s.scope):
		return ""
	}
	return "wrong"
}

// pause waits d, or until the client gives up; it reports whether the
// client is still there.
func pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, retryAfter string, body []byte) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// bodyOr returns the fault's body, or def.
func (f Fault) bodyOr(def []byte) []byte {
	if f.Body != "" {
		return []byte(f.Body)
	}
	return def
}
