package mdefake

// This file scripts failures: throttling, server errors, denials, hangs.

import (
	"net/http"
	"strings"
)

// Fault is a scripted failure for matching requests.
type Fault struct {
	Method     string // "" matches any
	PathSuffix string // "" matches any, e.g. "/isolate" or "/api/machines"
	Times      int    // requests it applies to; 0 means all
	Status     int    // HTTP status to answer
	Code       string // error.code
	Message    string // error.message
	RetryAfter string // Retry-After header value, if any
	Hang       bool   // block until the client gives up instead of answering
	hits       int
}

// Inject adds a fault; faults are tried in the order added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Throttle answers the next n requests 429 TooManyRequests with the given
// Retry-After ("" for none).
func (s *Server) Throttle(n int, retryAfter string) {
	s.Inject(Fault{Times: n, Status: http.StatusTooManyRequests, Code: "TooManyRequests",
		Message: "Rate limit is exceeded. Try again later.", RetryAfter: retryAfter})
}

// FailNext answers the next n requests with a server error.
func (s *Server) FailNext(n, status int) {
	s.Inject(Fault{Times: n, Status: status, Code: "InternalServerError", Message: "An error occurred."})
}

// Forbid answers requests whose path ends in suffix 403 Forbidden, as MDE
// does for a valid token that lacks the permission.
func (s *Server) Forbid(method, suffix string) {
	s.Inject(Fault{Method: method, PathSuffix: suffix, Status: http.StatusForbidden, Code: "Forbidden",
		Message: "The application does not have any of the required application permissions to access the resource."})
}

// HangNext makes the next n requests never answer.
func (s *Server) HangNext(n int) { s.Inject(Fault{Times: n, Hang: true}) }

// fault returns the first live fault matching r and counts the hit; the
// caller holds s.mu.
func (s *Server) fault(r *http.Request) *Fault {
	for _, f := range s.faults {
		if f.Times > 0 && f.hits >= f.Times {
			continue
		}
		if f.Method != "" && f.Method != r.Method || !strings.HasSuffix(r.URL.Path, f.PathSuffix) {
			continue
		}
		f.hits++
		return f
	}
	return nil
}

func (f *Fault) serve(w http.ResponseWriter, r *http.Request) {
	if f.Hang {
		<-r.Context().Done()
		return
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeError(w, f.Status, f.Code, f.Message)
}
