package fake

// This file fakes Microsoft Graph advanced hunting (service-apis.md C5):
// POST /v1.0/security/runHuntingQuery {"Query","Timespan"} answering
// {"schema":[…],"results":[{…}]}. Graph documents no partial errors and
// no truncation marker: past RowLimit rows are silently dropped [U], and a
// result over SizeLimit bytes is a 400 (as the legacy API documents).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// Graph is a fake Graph endpoint for runHuntingQuery.
type Graph struct {
	*server
	Data      *Data
	RowLimit  int           // rows returned at most (100,000)
	SizeLimit int           // result bytes allowed, 0 for no limit
	Timeout   time.Duration // the service's own timeout (3 minutes)
	// UpperSchema writes the schema keys as "Name"/"Type", as one doc
	// example does, instead of "name"/"type".
	UpperSchema bool
}

// NewGraph starts a fake serving d until the test ends.
func NewGraph(t testing.TB, d *Data) *Graph {
	f := &Graph{Data: d, RowLimit: 100_000, Timeout: 3 * time.Minute}
	f.server = start(t, "https://graph.microsoft.com/.default", func(s *server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /v1.0/security/runHuntingQuery", f.query)
		return mux
	})
	return f
}

// Endpoint is the Graph host to configure.
func (f *Graph) Endpoint() string { return f.URL }

func (f *Graph) query(w http.ResponseWriter, r *http.Request) {
	_, fault := f.take(r)
	if fault.Delay > f.Timeout {
		if pause(r, f.Timeout) {
			reply(w, http.StatusGatewayTimeout, "", graphError("GatewayTimeout", "The query exceeded the allowed execution time."))
		}
		return
	}
	if !pause(r, fault.Delay) {
		return
	}
	if fault.Status != 0 {
		reply(w, fault.Status, fault.RetryAfter, fault.bodyOr(graphStatusBody(fault.Status)))
		return
	}
	switch f.authorized(r) {
	case "missing":
		reply(w, http.StatusUnauthorized, "", graphError("InvalidAuthenticationToken", "Access token is empty."))
		return
	case "wrong":
		reply(w, http.StatusUnauthorized, "", graphError("InvalidAuthenticationToken", "Access token validation failure. Invalid audience."))
		return
	}
	f.answer(w, r)
}

func (f *Graph) answer(w http.ResponseWriter, r *http.Request) {
	var req struct{ Query, Timespan string } // keys match case-insensitively
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query == "" {
		reply(w, http.StatusBadRequest, "", graphError("BadRequest", "The request body must contain a Query."))
		return
	}
	sp, err := parseTimespan(req.Timespan, f.Data.Now)
	if err != nil {
		reply(w, http.StatusBadRequest, "", graphError("BadRequest", err.Error()))
		return
	}
	tables, err := f.Data.run(r.Context(), req.Query, sp)
	if err != nil {
		reply(w, http.StatusBadRequest, "", graphQueryError(err))
		return
	}
	body := f.results(tables)
	if f.SizeLimit > 0 && len(body) > f.SizeLimit {
		reply(w, http.StatusBadRequest, "", graphError("BadRequest", "Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again."))
		return
	}
	reply(w, http.StatusOK, "", body)
}

// results writes the first table as schema + results, row objects keeping
// the column order.
func (f *Graph) results(tables []*engine.Batch) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults","schema":[`)
	if len(tables) == 0 {
		buf.WriteString(`],"results":[]}`)
		return buf.Bytes()
	}
	b := tables[0]
	nameKey, typeKey := "name", "type"
	if f.UpperSchema {
		nameKey, typeKey = "Name", "Type"
	}
	for i, c := range b.Schema.Columns {
		if i > 0 {
			buf.WriteByte(',')
		}
		col, _ := json.Marshal(map[string]string{nameKey: c.Name, typeKey: netType(c.Type)})
		buf.Write(col)
	}
	buf.WriteString(`],"results":[`)
	n := min(b.N, f.RowLimit)
	for i, row := range rowsJSON(b.Cols, n, wireGraph) {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('{')
		for j, v := range row {
			if j > 0 {
				buf.WriteByte(',')
			}
			k, _ := json.Marshal(b.Schema.Columns[j].Name)
			cell, _ := json.Marshal(v)
			buf.Write(k)
			buf.WriteByte(':')
			buf.Write(cell)
		}
		buf.WriteByte('}')
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}

// graphError is Graph's error envelope.
func graphError(code, msg string) []byte {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]string{"date": "2026-03-03T00:00:00", "request-id": "00000000-0000-0000-0000-0000000000a1", "client-request-id": "00000000-0000-0000-0000-0000000000a1"},
	}})
	return body
}

// graphQueryError is the 400 for a rejected query. Graph's wording for
// KQL errors is not documented [U]; Kusto's is used.
func graphQueryError(err error) []byte {
	qe, ok := err.(*queryError)
	if !ok {
		return graphError("UnknownError", "")
	}
	kind := "Semantic error: SEM0100"
	if qe.syntax {
		kind = "Syntax error: SYN0002"
	}
	msg := kind + ": " + qe.msg
	if qe.line > 0 {
		msg += fmt.Sprintf(" [line:position=%d:%d]", qe.line, qe.pos)
	}
	return graphError("BadRequest", msg)
}

// graphStatusBody is the error body for a status.
func graphStatusBody(status int) []byte {
	switch status {
	case http.StatusUnauthorized:
		return graphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
	case http.StatusForbidden:
		return graphError("Forbidden", "Missing application roles. API required roles: ThreatHunting.Read.All.")
	case http.StatusTooManyRequests:
		return graphError("TooManyRequests", "Too many requests. The tenant's hunting quota is used up; retry later.")
	case http.StatusInternalServerError:
		return graphError("UnknownError", "") // as recorded in graph-docs issue 1648
	case http.StatusGatewayTimeout:
		return graphError("GatewayTimeout", "The query exceeded the allowed execution time.")
	}
	return graphError(strings.ReplaceAll(http.StatusText(status), " ", ""), http.StatusText(status))
}
