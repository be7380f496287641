package mdefake

// This file is the fake's state and its HTTP routing.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Machine is a device the fake knows.
type Machine struct {
	ID            string // 40 hex digits; see MachineID
	DNSName       string
	OSPlatform    string
	RBACGroupName string
	Tags          []string
	LastSeen      time.Time
}

// MachineID makes a well-formed machine id from n.
func MachineID(n int) string { return fmt.Sprintf("%040x", n) }

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string     // unescaped path
	Query  url.Values // decoded query
	Body   string
	Auth   string // the Authorization header as sent
}

// action is a machine action and the statuses it still has to go through.
type action struct {
	wire  map[string]any
	steps []string
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	URL string
	// Token, when set, is the only bearer token accepted (else any).
	Token string
	// Now stamps actions (default: a fixed time, for stable output).
	Now func() time.Time

	srv      *httptest.Server
	mu       sync.Mutex
	machines []Machine
	actions  map[string]*action
	order    []string // action ids, oldest first
	requests []Request
	faults   []*Fault
	progress []string
	notFound bool // list machines answers 404 instead of an empty list
	conflict int  // the next N action POSTs race another requestor
	nextID   int
}

// New starts a fake server.
func New() *Server {
	s := &Server{
		actions:  map[string]*action{},
		progress: []string{"Pending", "InProgress", "Succeeded"},
		Now:      func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) },
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server; requests still blocked by a Hang fault end.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// AddMachine registers a device.
func (s *Server) AddMachine(m Machine) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.machines = append(s.machines, m)
}

// SetProgress sets the statuses a new action shows on successive GETs,
// starting with the status it is created in; the last one sticks.
func (s *Server) SetProgress(statuses ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progress = slices.Clone(statuses)
}

// NotFoundOnEmpty makes a machine query with no match answer 404, as the
// documentation says MDE does when it has no recent machines.
func (s *Server) NotFoundOnEmpty() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notFound = true
}

// AddAction creates an action that is already there (another analyst's),
// in status, and returns its id. It progresses like new ones from there.
func (s *Server) AddAction(machineID, typ, status string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	steps := []string{status}
	if i := slices.Index(s.progress, status); i >= 0 {
		steps = s.progress[i:]
	}
	return s.newAction(machineID, typ, "", "someone-else@contoso.com", "earlier request", steps)
}

// ConflictOnNextPost makes the next n action POSTs lose a race: the fake
// creates the same action as another requestor, then answers 400
// ActiveRequestAlreadyExists.
func (s *Server) ConflictOnNextPost(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conflict = n
}

// Requests returns every request received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Calls returns the requests with this method whose path ends in suffix.
func (s *Server) Calls(method, suffix string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// Actions returns the ids of the actions of type typ ("" for all), oldest
// first.
func (s *Server) Actions(typ string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.order {
		if typ == "" || s.actions[id].wire["type"] == typ {
			out = append(out, id)
		}
	}
	return out
}

// ActionStatus returns an action's current status, "" if unknown.
func (s *Server) ActionStatus(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.actions[id]; a != nil {
		return a.wire["status"].(string)
	}
	return ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Body: string(body), Auth: r.Header.Get("Authorization")})
	f := s.fault(r)
	s.mu.Unlock()
	if f != nil {
		f.serve(w, r)
		return
	}
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "Unauthorized", "Invalid Authorization payload.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.route(w, r, body)
}

func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && tok != "" && (s.Token == "" || tok == s.Token)
}

// route dispatches a request; the caller holds s.mu.
func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "machines":
		s.listMachines(w, r)
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "machines":
		s.getMachine(w, parts[1])
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "machines":
		s.postAction(w, parts[1], parts[2], body)
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "machineactions":
		s.listActions(w, r)
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "machineactions":
		s.getAction(w, parts[1])
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "machineactions" && parts[2] == "cancel":
		s.cancelAction(w, parts[1], body)
	default:
		writeError(w, http.StatusNotFound, "NotFound", "No route for "+r.Method+" "+r.URL.Path)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError writes MDE's error envelope; target is a correlation id.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{
		"code": code, "message": msg, "target": "43f4cb08-8fac-4b65-9db1-745c2ae65f3a"}})
}
