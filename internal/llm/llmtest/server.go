// This file is the fake server: an httptest server that follows a script of
// Steps, speaks the Chat Completions wire format and records every request.

package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tiktoken-go/tokenizer"
)

// Recorded is one request the server received.
type Recorded struct {
	Method       string
	Path         string
	Query        string
	Header       http.Header
	Body         []byte
	Request      ChatRequest
	PromptTokens int // what the server billed (see PromptTokens)
}

// Server is a scripted OpenAI-compatible server. Its base URL for the SDK is
// BaseURL(); Key, when set, must arrive as a Bearer token or api-key header.
type Server struct {
	*httptest.Server
	Key string

	t     testing.TB
	mu    sync.Mutex
	steps []Step
	reqs  []Recorded
}

// NewServer starts a server that answers with steps, in order, and closes
// when the test ends. A request beyond the script fails the test.
func NewServer(t testing.TB, steps ...Step) *Server {
	s := &Server{t: t, steps: steps}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// BaseURL is the URL to configure as OPENAI_BASE_URL.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Push appends steps to the script.
func (s *Server) Push(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, steps...)
}

// Requests returns what the server has received so far.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.reqs...)
}

// Remaining is the number of unused steps.
func (s *Server) Remaining() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.steps)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, 400, nil, map[string]any{"error": Error{Message: "invalid JSON body: " + err.Error(), Type: "invalid_request_error"}})
		return
	}
	codec := Codec(req.Model)
	rec := Recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(),
		Body: body, Request: req, PromptTokens: PromptTokens(codec, req)}
	if s.Key != "" && !s.authorized(r) {
		s.record(rec)
		writeStep(w, InvalidKey(bearer(r)), rec, codec)
		return
	}
	step, ok := s.next(rec)
	if !ok {
		s.t.Errorf("llmtest: request %d has no scripted step", len(s.Requests()))
		http.Error(w, "llmtest: script exhausted", http.StatusInternalServerError)
		return
	}
	writeStep(w, step, rec, codec)
}

func (s *Server) record(rec Recorded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, rec)
}

// next records the request and pops the next step.
func (s *Server) next(rec Recorded) (Step, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, rec)
	if len(s.steps) == 0 {
		return Step{}, false
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	return step, true
}

func (s *Server) authorized(r *http.Request) bool {
	return bearer(r) == s.Key || r.Header.Get("api-key") == s.Key
}

func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func writeStep(w http.ResponseWriter, st Step, rec Recorded, codec tokenizer.Codec) {
	switch {
	case st.ContextLimit > 0 && rec.PromptTokens > st.ContextLimit:
		msg := fmt.Sprintf("This model's maximum context length is %d tokens. However, your messages resulted in %d tokens. Please reduce the length of the messages.", st.ContextLimit, rec.PromptTokens)
		writeJSON(w, 400, nil, map[string]any{"error": Error{Message: msg, Type: "invalid_request_error", Param: "messages", Code: "context_length_exceeded"}})
	case st.Status != 0 && st.Status != 200:
		writeError(w, st)
	default:
		writeJSON(w, 200, st.Headers, completion(st, rec, codec))
	}
}

func writeError(w http.ResponseWriter, st Step) {
	if st.Body == "" && st.Error != nil {
		writeJSON(w, st.Status, st.Headers, map[string]any{"error": st.Error})
		return
	}
	ct := st.ContentType
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	for k, v := range st.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(st.Status)
	io.WriteString(w, st.Body)
}

func writeJSON(w http.ResponseWriter, status int, headers map[string]string, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", "req_llmtest")
	for k, val := range headers {
		w.Header().Set(k, val)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
