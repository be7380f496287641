package source

// This file implements the Defender XDR advanced hunting source over
// Microsoft Graph POST /security/runHuntingQuery, with plain net/http.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
)

// Graph defaults (public cloud) and the documented hunting limits.
const (
	GraphEndpoint    = "https://graph.microsoft.com"
	GraphAudience    = "https://graph.microsoft.com"
	DefenderRowLimit = 100_000
	maxErrorBody     = 1 << 20
)

// DefenderOptions configure a Defender source.
type DefenderOptions struct {
	Credential azcore.TokenCredential
	Endpoint   string       // Graph host, default GraphEndpoint; /v1.0 is added
	Audience   string       // token audience, default GraphAudience
	HTTPClient *http.Client // its Transport carries the requests (nil: default)
	Retry      RetryOptions // done by vigil's retry transport
	Split      SplitOptions
	// RowLimit is the service's row cap (DefenderRowLimit). Graph sends
	// no truncation marker, so a result of exactly this many rows is
	// taken as cut.
	RowLimit     int
	TimeoutGrace time.Duration
}

// Defender runs advanced hunting queries.
type Defender struct {
	name   string
	url    string
	opt    DefenderOptions
	http   *http.Client
	tokens *tokenCache
}

// NewDefender returns a Defender XDR source.
func NewDefender(name string, opt DefenderOptions) (*Defender, error) {
	if opt.Credential == nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: "defender source needs a credential"}
	}
	base, err := serviceEndpoint(firstNonEmpty(opt.Endpoint, GraphEndpoint), "/v1.0")
	if err != nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: err.Error()}
	}
	if opt.RowLimit == 0 {
		opt.RowLimit = DefenderRowLimit
	}
	opt.Split = opt.Split.withDefaults()
	opt.TimeoutGrace = defaultGrace(opt.TimeoutGrace)
	var rt http.RoundTripper
	if opt.HTTPClient != nil {
		rt = opt.HTTPClient.Transport
	}
	return &Defender{
		name:   name,
		url:    base + "/security/runHuntingQuery",
		opt:    opt,
		http:   &http.Client{Transport: newRetryTransport(rt, opt.Retry)},
		tokens: &tokenCache{cred: opt.Credential, scope: firstNonEmpty(opt.Audience, GraphAudience) + "/.default"},
	}, nil
}

func (s *Defender) Name() string { return s.name }
func (s *Defender) Kind() string { return KindDefender }

// Query runs q, splitting its timespan when the result hits a limit.
func (s *Defender) Query(ctx context.Context, q Query) (*Result, error) {
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

// huntingRequest is the documented body; names are capitalised.
type huntingRequest struct {
	Query    string `json:"Query"`
	Timespan string `json:"Timespan,omitempty"`
}

// huntingResults is the response. encoding/json matches keys without
// regard to case, which covers the docs' "name" and "Name" alike.
type huntingResults struct {
	Schema []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"schema"`
	Results []map[string]json.RawMessage `json:"results"`
}

func (s *Defender) once(ctx context.Context, q Query) (*Result, error) {
	ctx, cancel := withQueryTimeout(ctx, q.Timeout, s.opt.TimeoutGrace)
	defer cancel()
	var stats callStats
	ctx = withStats(ctx, &stats)
	resp, err := s.post(ctx, q)
	if err != nil {
		e := &Error{Source: s.name, Attempts: stats.tries(), Err: err}
		classifyTransport(ctx, e, err)
		return nil, e
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, s.httpError(resp, q.Text, stats.tries())
	}
	var hr huntingResults
	if err := json.NewDecoder(resp.Body).Decode(&hr); err != nil {
		e := &Error{Source: s.name, Attempts: stats.tries(), Err: err}
		classifyTransport(ctx, e, fmt.Errorf("decoding hunting results: %w", err))
		return nil, e
	}
	return s.convert(hr), nil
}

func (s *Defender) post(ctx context.Context, q Query) (*http.Response, error) {
	body := huntingRequest{Query: q.Text}
	if !q.Start.IsZero() && !q.End.IsZero() {
		body.Timespan = isoInterval(q.Start, q.End)
	}
	buf, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	tok, err := s.tokens.token(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(buf))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	return s.http.Do(req)
}

// convert turns rows keyed by column name into a typed table.
func (s *Defender) convert(hr huntingResults) *Result {
	sch := &types.Schema{}
	for _, c := range hr.Schema {
		sch.Columns = append(sch.Columns, types.Column{Name: c.Name, Type: columnType(c.Type)})
	}
	b := newTableBuilder(sch, len(hr.Results))
	for _, row := range hr.Results {
		for j, c := range sch.Columns {
			b.appendJSON(j, field(row, c.Name))
		}
	}
	batch, errs := b.finish(len(hr.Results))
	out := &Result{Tables: []*engine.Batch{batch}, PartialErrors: errs}
	if s.opt.RowLimit > 0 && len(hr.Results) >= s.opt.RowLimit {
		out.Truncated, out.limited = true, true
		out.TruncatedReason = fmt.Sprintf("the service's row limit: %d rows came back, the most advanced hunting returns (Graph sends no marker)", len(hr.Results))
	}
	return out
}

// field looks a column up in a row, exactly and then ignoring case.
func field(row map[string]json.RawMessage, name string) json.RawMessage {
	if v, ok := row[name]; ok {
		return v
	}
	for k, v := range row {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// graphError is Graph's error envelope.
type graphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// httpError reads a non-200 response into an *Error. Graph does not
// document codes for KQL errors, so 400s are classified by message.
func (s *Defender) httpError(resp *http.Response, text string, attempts int) error {
	e := &Error{Source: s.name, Status: resp.StatusCode, Kind: kindForStatus(resp.StatusCode), Attempts: attempts}
	e.RetryAfter = parseRetryAfter(resp.Header, time.Now())
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var ge graphError
	if json.Unmarshal(body, &ge) != nil || ge.Error.Code == "" && ge.Error.Message == "" {
		e.Message = strings.TrimSpace(string(body))
		return e
	}
	e.Code, e.Message, e.CorrelationID = ge.Error.Code, ge.Error.Message, ge.Error.InnerError.RequestID
	if line, pos, ok := bracketPosition(e.Message); ok {
		e.Pos = position(text, line, pos)
	}
	if resp.StatusCode == http.StatusBadRequest {
		e.Kind = classifyMessage(e.Message, e.Kind)
	}
	return e
}

// classifyMessage reads Kusto's wording in a 400's message.
func classifyMessage(msg string, def Kind) Kind {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "syntax error") || strings.Contains(m, "syn0"):
		return ErrSyntax
	case strings.Contains(m, "semantic error") || strings.Contains(m, "sem0") || strings.Contains(m, "failed to resolve"):
		return ErrSemantic
	case strings.Contains(m, "result size"):
		return ErrTooLarge
	case strings.Contains(m, "timeout") || strings.Contains(m, "timed out"):
		return ErrTimeout
	}
	return def
}
