package fake

// This file fakes the Log Analytics query API (service-apis.md A2–A8):
// POST /v1/workspaces/{id}/query with the documented bodies, partial
// errors and failures.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// LogAnalytics is a fake Log Analytics workspace endpoint.
type LogAnalytics struct {
	*server
	Data *Data
	// RowLimit cuts results, with the documented partial error
	// (500,000 by default; tests set a few rows).
	RowLimit int
	// Workspace, when set, is the only workspace id that exists.
	Workspace string
}

// NewLogAnalytics starts a fake serving d until the test ends.
func NewLogAnalytics(t testing.TB, d *Data) *LogAnalytics {
	f := &LogAnalytics{Data: d, RowLimit: 500_000}
	f.server = start(t, "https://api.loganalytics.io/.default", func(s *server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /v1/workspaces/{id}/query", f.query)
		return mux
	})
	return f
}

// Endpoint is the base URL the SDK is pointed at.
func (f *LogAnalytics) Endpoint() string { return f.URL + "/v1" }

type laRequest struct {
	Query      string   `json:"query"`
	Timespan   string   `json:"timespan"`
	Workspaces []string `json:"workspaces"`
}

func (f *LogAnalytics) query(w http.ResponseWriter, r *http.Request) {
	_, fault := f.take(r)
	if fault.Delay > 0 {
		if wait := preferWait(r); wait > 0 && fault.Delay > wait {
			if pause(r, wait) {
				reply(w, http.StatusGatewayTimeout, "", laError("GatewayTimeout", "The query exceeded the server timeout and was canceled.", nil))
			}
			return
		}
		if !pause(r, fault.Delay) {
			return
		}
	}
	if fault.Status != 0 {
		reply(w, fault.Status, fault.RetryAfter, fault.bodyOr(laStatusBody(fault.Status)))
		return
	}
	switch f.authorized(r) {
	case "missing":
		reply(w, http.StatusUnauthorized, "", laStatusBody(http.StatusUnauthorized))
		return
	case "wrong":
		reply(w, http.StatusForbidden, "", laError("InvalidAuthenticationTokenAudience", "The access token is from the wrong audience or resource.", nil))
		return
	}
	if f.Workspace != "" && r.PathValue("id") != f.Workspace {
		reply(w, http.StatusNotFound, "", laError("WorkspaceNotFoundError", "Workspace "+r.PathValue("id")+" could not be found", nil))
		return
	}
	if fault.NoContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	f.answer(w, r, fault)
}

func (f *LogAnalytics) answer(w http.ResponseWriter, r *http.Request, fault Fault) {
	var req laRequest
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.NewDecoder(r.Body).Decode(&req) != nil {
		w.WriteHeader(http.StatusOK) // the documented quirk: 200, empty body
		return
	}
	sp, err := parseTimespan(req.Timespan, f.Data.Now)
	if err != nil {
		reply(w, http.StatusBadRequest, "", laError("BadArgumentError", "The request had some invalid properties", &laInner{Code: "InvalidTimespan", Message: err.Error()}))
		return
	}
	tables, err := f.Data.run(r.Context(), req.Query, sp)
	if err != nil {
		reply(w, http.StatusBadRequest, "", laQueryError(req.Query, err))
		return
	}
	var out struct {
		Tables     []laTable       `json:"tables"`
		Error      *laInner        `json:"error,omitempty"`
		Statistics json.RawMessage `json:"statistics,omitempty"`
	}
	var partial []laInner
	total := 0
	for _, b := range tables {
		n := b.N
		if n > f.RowLimit {
			n = f.RowLimit
			partial = append(partial, engineError(codeTooLarge, fmt.Sprintf("Query result set has exceeded the internal record count limit %d (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoqueryfailures).", f.RowLimit)))
		}
		t := laTable{Name: "PrimaryResult", Rows: rowsJSON(b.Cols, n, wireLogs)}
		for _, c := range b.Schema.Columns {
			t.Columns = append(t.Columns, laColumn{Name: c.Name, Type: c.Type.String()})
		}
		out.Tables = append(out.Tables, t)
		total += n
	}
	if fault.Partial {
		partial = append(partial, engineError("-2133196788", "Percentiles aggregator has encountered an overflow (E_OVERFLOW; see https://aka.ms/kustoqueryfailures)."))
	}
	if len(partial) > 0 {
		out.Error = &laInner{Code: "PartialError", Message: "There were some errors when processing your query.", Details: partial}
	}
	if strings.Contains(r.Header.Get("Prefer"), "include-statistics=true") {
		out.Statistics = json.RawMessage(fmt.Sprintf(`{"query":{"executionTime":0.0123,"resourceUsage":{"cache":{"memory":{"hits":1,"misses":0,"total":1}},"cpu":{"user":"00:00:00","kernel":"00:00:00","totalCpu":"00:00:00"},"memory":{"peakPerNode":524384}},"inputDatasetStatistics":{"extents":{"total":1,"scanned":1},"rows":{"total":%d,"scanned":%d}},"datasetStatistics":[{"tableRowCount":%d,"tableSize":%d}]}}`, total, total, total, 64*total))
	}
	body, _ := json.Marshal(out)
	reply(w, http.StatusOK, "", body)
}

// codeTooLarge is E_QUERY_RESULT_SET_TOO_LARGE as a signed int32.
const codeTooLarge = "-2133196797"

type laTable struct {
	Name    string     `json:"name"`
	Columns []laColumn `json:"columns"`
	Rows    [][]any    `json:"rows"`
}

type laColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// laInner is an error object at any depth.
type laInner struct {
	Message       string    `json:"message"`
	Code          string    `json:"code"`
	CorrelationID string    `json:"correlationId,omitempty"`
	Details       []laInner `json:"details,omitempty"`
	Inner         *laInner  `json:"innererror,omitempty"`
	Line          int       `json:"line,omitempty"`
	Pos           int       `json:"pos,omitempty"`
	Token         string    `json:"token,omitempty"`
	Severity      int       `json:"severity,omitempty"`
	SeverityName  string    `json:"severityName,omitempty"`
}

// engineError is one detail of a partial error (A5).
func engineError(code, msg string) laInner {
	return laInner{Code: "EngineError", Message: "Something went wrong processing your query on the server.",
		Inner: &laInner{Code: code, Message: msg, Severity: 2, SeverityName: "Error"}}
}

// laError is a top-level error body.
func laError(code, msg string, inner *laInner) []byte {
	body, _ := json.Marshal(map[string]laInner{"error": {Message: msg, Code: code, CorrelationID: "00000000-0000-0000-0000-0000000000c1", Inner: inner}})
	return body
}

// laQueryError is the 400 for a query the engine rejected (A6).
func laQueryError(text string, err error) []byte {
	qe, ok := err.(*queryError)
	if !ok {
		return laError("InternalServerError", err.Error(), nil)
	}
	if qe.syntax {
		tok := tokenAt(text, qe.line, qe.pos)
		leaf := &laInner{Code: "SYN0002", Message: fmt.Sprintf("Query could not be parsed at '%s' on line [%d,%d]", tok, qe.line, qe.pos), Line: qe.line, Pos: qe.pos, Token: tok}
		return laError("BadArgumentError", "The request had some invalid properties", &laInner{Code: "SyntaxError", Message: "A recognition error occurred in the query.", Inner: leaf})
	}
	leaf := &laInner{Code: "SEM0100", Message: qe.msg}
	return laError("BadArgumentError", "The request had some invalid properties", &laInner{Code: "SemanticError", Message: "A semantic error occurred.", Inner: leaf})
}

// tokenAt returns the word at (line, 0-based char pos) of text.
func tokenAt(text string, line, pos int) string {
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	r := []rune(lines[line-1])
	if pos >= len(r) {
		return "<EOF>"
	}
	end := pos
	for end < len(r) && r[end] != ' ' && r[end] != '\t' {
		end++
	}
	return string(r[pos:max(end, pos+1)])
}

// laStatusBody is the documented body for a status (A6).
func laStatusBody(status int) []byte {
	switch status {
	case http.StatusUnauthorized:
		return laError("AuthenticationFailed", "The 'Authorization' header is missing.", nil)
	case http.StatusForbidden:
		return laError("InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation", nil)
	case http.StatusNotFound:
		return laError("PathNotFoundError", "The requested path does not exist", nil)
	case http.StatusTooManyRequests:
		return laError("ThrottledError", "Your request was throttled: too many requests are queued for this user.", nil)
	case http.StatusGatewayTimeout:
		return laError("GatewayTimeout", "The query exceeded the server timeout and was canceled.", nil)
	}
	return laError(strings.ReplaceAll(http.StatusText(status), " ", ""), http.StatusText(status), nil)
}

// preferWait reads wait=<seconds> from the Prefer header.
func preferWait(r *http.Request) time.Duration {
	for _, p := range strings.Split(r.Header.Get("Prefer"), ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "wait="); ok {
			if n, err := strconv.Atoi(v); err == nil {
				return time.Duration(n) * time.Second
			}
		}
	}
	return 0
}
