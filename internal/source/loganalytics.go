package source

// This file implements the Log Analytics (Sentinel) source over azquery.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/vigil-hunt/vigil/kql/types"
)

// Log Analytics defaults (public cloud).
const (
	LogAnalyticsEndpoint = "https://api.loganalytics.io/v1"
	LogAnalyticsAudience = "https://api.loganalytics.io"
)

// codeResultTooLarge is E_QUERY_RESULT_SET_TOO_LARGE (0x80DA0003) as the
// signed int32 Log Analytics prints.
const codeResultTooLarge = "-2133196797"

// LogAnalyticsOptions configure a Log Analytics source.
type LogAnalyticsOptions struct {
	WorkspaceID          string   // the workspace GUID (customerId)
	AdditionalWorkspaces []string // merged into the same tables by the service
	Credential           azcore.TokenCredential
	Endpoint             string             // default LogAnalyticsEndpoint
	Audience             string             // token audience, default LogAnalyticsAudience
	Transport            policy.Transporter // nil: azcore's default HTTP client
	// Retry is handed to azcore's retry policy (see RetryOptions).
	Retry RetryOptions
	Split SplitOptions
	// TimeoutGrace is how much longer than Query.Timeout the HTTP call
	// may take, for the response to travel (10s).
	TimeoutGrace time.Duration
}

// LogAnalytics queries one workspace (plus any additional ones).
type LogAnalytics struct {
	name   string
	opt    LogAnalyticsOptions
	client *azquery.LogsClient
}

// NewLogAnalytics returns a source for opt.WorkspaceID.
func NewLogAnalytics(name string, opt LogAnalyticsOptions) (*LogAnalytics, error) {
	if opt.WorkspaceID == "" {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: "log-analytics source needs a workspace id"}
	}
	if opt.Credential == nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: "log-analytics source needs a credential"}
	}
	endpoint, err := serviceEndpoint(firstNonEmpty(opt.Endpoint, LogAnalyticsEndpoint), "/v1")
	if err != nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: err.Error()}
	}
	opt.Retry = opt.Retry.withDefaults()
	opt.Split = opt.Split.withDefaults()
	opt.TimeoutGrace = defaultGrace(opt.TimeoutGrace)
	co := azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Audience: firstNonEmpty(opt.Audience, LogAnalyticsAudience), Endpoint: endpoint},
		}},
		Retry:            opt.Retry.azcoreRetry(),
		PerRetryPolicies: []policy.Policy{attemptPolicy{}},
		Transport:        opt.Transport,
	}}
	client, err := azquery.NewLogsClient(opt.Credential, &co)
	if err != nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Err: err}
	}
	return &LogAnalytics{name: name, opt: opt, client: client}, nil
}

func (s *LogAnalytics) Name() string { return s.name }
func (s *LogAnalytics) Kind() string { return KindLogAnalytics }

// Query runs q, splitting its timespan when the service truncates.
func (s *LogAnalytics) Query(ctx context.Context, q Query) (*Result, error) {
	began := time.Now()
	if !q.Start.IsZero() && q.End.IsZero() {
		q.End = time.Now().UTC()
	}
	res, err := runSplit(ctx, q, s.opt.Split, s.once)
	if err != nil {
		return nil, err
	}
	return res.finish(s.name, q, time.Since(began)), nil
}

// once makes one request.
func (s *LogAnalytics) once(ctx context.Context, q Query) (*Result, error) {
	ctx, cancel := withQueryTimeout(ctx, q.Timeout, s.opt.TimeoutGrace)
	defer cancel()
	var stats callStats
	var raw *http.Response
	ctx = runtime.WithCaptureResponse(withStats(ctx, &stats), &raw)
	resp, err := s.client.QueryWorkspace(ctx, s.opt.WorkspaceID, s.body(q), s.options(q))
	if err != nil {
		var re *azcore.ResponseError
		if errors.As(err, &re) && re.StatusCode == http.StatusNoContent {
			return &Result{}, nil // a workspace with no data
		}
		return nil, s.wrap(ctx, q.Text, err, stats.tries())
	}
	var payload []byte
	if raw != nil {
		payload, _ = runtime.Payload(raw)
	}
	return convertLogs(resp.Results, payload)
}

func (s *LogAnalytics) body(q Query) azquery.Body {
	b := azquery.Body{Query: &q.Text}
	if !q.Start.IsZero() && !q.End.IsZero() {
		ti := azquery.TimeInterval(isoInterval(q.Start, q.End))
		b.Timespan = &ti
	}
	for _, w := range s.opt.AdditionalWorkspaces {
		b.AdditionalWorkspaces = append(b.AdditionalWorkspaces, &w)
	}
	return b
}

// options asks for statistics and passes the timeout as Prefer: wait=.
func (s *LogAnalytics) options(q Query) *azquery.LogsClientQueryWorkspaceOptions {
	stats := true
	o := &azquery.LogsQueryOptions{Statistics: &stats}
	if q.Timeout > 0 {
		wait := int(math.Ceil(q.Timeout.Seconds()))
		wait = min(max(wait, 1), 600)
		o.Wait = &wait
	}
	return &azquery.LogsClientQueryWorkspaceOptions{Options: o}
}

// isoInterval formats start/end for a service timespan, to the tick.
// azquery.NewTimeInterval drops fractions of a second, which would make
// split halves overlap or leave gaps.
func isoInterval(start, end time.Time) string {
	const layout = "2006-01-02T15:04:05.9999999Z"
	return start.UTC().Format(layout) + "/" + end.UTC().Format(layout)
}

// logsPayload is the response body, decoded again from the raw bytes so
// that long values keep all 64 bits (azquery decodes numbers to float64).
type logsPayload struct {
	Tables []struct {
		Rows [][]json.RawMessage `json:"rows"`
	} `json:"tables"`
}

// convertLogs converts the response: column types from the SDK's typed
// columns, cells from the raw payload.
func convertLogs(r azquery.Results, payload []byte) (*Result, error) {
	rows, err := logsRows(r, payload)
	if err != nil {
		return nil, err
	}
	out := &Result{}
	for i, t := range r.Tables {
		s := &types.Schema{}
		for _, c := range t.Columns {
			s.Columns = append(s.Columns, types.Column{Name: deref(c.Name), Type: columnType(string(deref(c.Type)))})
		}
		b := newTableBuilder(s, len(rows[i]))
		for _, row := range rows[i] {
			for j := range s.Columns {
				b.appendJSON(j, cell(row, j))
			}
		}
		batch, errs := b.finish(len(rows[i]))
		out.Tables = append(out.Tables, batch)
		out.PartialErrors = append(out.PartialErrors, errs...)
	}
	if len(r.Statistics) > 0 {
		out.Stats.ServerStats = json.RawMessage(r.Statistics)
	}
	if r.Error != nil {
		addServiceErrors(out, []byte(r.Error.Error()))
	}
	return out, nil
}

// logsRows returns each table's rows as raw JSON cells.
func logsRows(r azquery.Results, payload []byte) ([][][]json.RawMessage, error) {
	var p logsPayload
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &p); err != nil {
			return nil, fmt.Errorf("decoding Log Analytics response: %w", err)
		}
	}
	out := make([][][]json.RawMessage, len(r.Tables))
	for i, t := range r.Tables {
		if i < len(p.Tables) && len(p.Tables[i].Rows) == len(t.Rows) {
			out[i] = p.Tables[i].Rows
			continue
		}
		for _, row := range t.Rows { // no payload: the SDK's float64 values
			cells := make([]json.RawMessage, len(row))
			for j, v := range row {
				cells[j], _ = json.Marshal(v)
			}
			out[i] = append(out[i], cells)
		}
	}
	return out, nil
}

func cell(row []json.RawMessage, j int) json.RawMessage {
	if j < len(row) {
		return row[j]
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// serviceError is the error object of Log Analytics, top-level or
// partial: a code and message with nested details and innererror.
type serviceError struct {
	Code          string         `json:"code"`
	Message       string         `json:"message"`
	CorrelationID string         `json:"correlationId"`
	Details       []serviceError `json:"details"`
	Inner         *serviceError  `json:"innererror"`
	Line          int            `json:"line"`
	Pos           int            `json:"pos"`
}

// leaves returns the innermost errors: the ones that say what happened.
func (e *serviceError) leaves() []*serviceError {
	var out []*serviceError
	for i := range e.Details {
		out = append(out, e.Details[i].leaves()...)
	}
	if e.Inner != nil {
		out = append(out, e.Inner.leaves()...)
	}
	if len(out) == 0 {
		out = append(out, e)
	}
	return out
}

// chain returns e and its innererrors, outermost first.
func (e *serviceError) chain() []*serviceError {
	var out []*serviceError
	for n := e; n != nil; n = n.Inner {
		out = append(out, n)
	}
	return out
}

// addServiceErrors records a partial error object beside the rows and
// detects the result-size truncation notice.
func addServiceErrors(out *Result, raw []byte) {
	var e serviceError
	if err := json.Unmarshal(raw, &e); err != nil {
		out.PartialErrors = append(out.PartialErrors, QueryError{Code: "PartialError", Message: string(raw)})
		return
	}
	for _, l := range e.leaves() {
		out.PartialErrors = append(out.PartialErrors, QueryError{Code: l.Code, Message: l.Message})
		if l.Code == codeResultTooLarge || strings.Contains(l.Message, "E_QUERY_RESULT_SET_TOO_LARGE") {
			out.Truncated, out.limited = true, true
			out.TruncatedReason = "the service's result limit: " + l.Message
		}
	}
}

// wrap turns an azquery error into an *Error.
func (s *LogAnalytics) wrap(ctx context.Context, text string, err error, attempts int) error {
	e := &Error{Source: s.name, Attempts: attempts, Err: err}
	var re *azcore.ResponseError
	switch {
	case errors.As(err, &re):
		e.Status, e.Kind, e.Err = re.StatusCode, kindForStatus(re.StatusCode), nil
		e.RetryAfter = parseRetryAfter(re.RawResponse.Header, time.Now())
		if body, _ := runtime.Payload(re.RawResponse); len(body) > 0 {
			applyLogsErrorBody(e, text, body)
		}
		if e.Message == "" {
			e.Code = re.ErrorCode
		}
	default:
		classifyTransport(ctx, e, err)
	}
	return e
}

// applyLogsErrorBody reads {"error":{…innererror…}} into e.
func applyLogsErrorBody(e *Error, text string, body []byte) {
	var env struct {
		Error *serviceError `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		e.Message = strings.TrimSpace(string(body))
		return
	}
	chain := env.Error.chain()
	leaf := chain[len(chain)-1]
	e.Code, e.Message, e.CorrelationID = leaf.Code, leaf.Message, env.Error.CorrelationID
	for _, n := range chain {
		switch n.Code {
		case "SyntaxError":
			e.Kind = ErrSyntax
		case "SemanticError":
			e.Kind = ErrSemantic
		}
		if n.Line > 0 {
			e.Pos = position(text, n.Line, n.Pos)
		}
	}
}
