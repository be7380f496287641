package source

// This file implements the Azure Data Explorer source over azkustodata's
// v2 (fragmented, iterative) query protocol.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-kusto-go/azkustodata"
	kerrors "github.com/Azure/azure-kusto-go/azkustodata/errors"
	"github.com/Azure/azure-kusto-go/azkustodata/kql"
	"github.com/Azure/azure-kusto-go/azkustodata/query"
	v2 "github.com/Azure/azure-kusto-go/azkustodata/query/v2"
	ktypes "github.com/Azure/azure-kusto-go/azkustodata/types"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
)

// ADXOptions configure an Azure Data Explorer source.
type ADXOptions struct {
	Cluster    string // https://<cluster>.<region>.kusto.windows.net
	Database   string
	Credential azcore.TokenCredential
	HTTPClient *http.Client // its Transport carries the requests (nil: default)
	// Retry is done by vigil's retry transport: azkustodata retries
	// nothing itself.
	Retry        RetryOptions
	TimeoutGrace time.Duration
}

// ADX queries one database. It ignores Query.Start/End: the service takes
// no timespan, so a query bounds itself in its text; for the same reason
// a truncated result is reported, not split.
type ADX struct {
	name   string
	opt    ADXOptions
	client *azkustodata.Client
}

// NewADX returns a source for opt.Database on opt.Cluster.
func NewADX(name string, opt ADXOptions) (_ *ADX, err error) {
	if opt.Cluster == "" || opt.Database == "" {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: "adx source needs a cluster and a database"}
	}
	if opt.Credential == nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Message: "adx source needs a credential"}
	}
	cluster, err := serviceEndpoint(opt.Cluster, "")
	if err != nil || strings.ContainsAny(cluster, ";=") {
		// The connection-string parser panics on ';' and '='.
		return nil, &Error{Source: name, Kind: ErrConfig, Message: fmt.Sprintf("cluster %q is not an https URL", opt.Cluster)}
	}
	opt.TimeoutGrace = defaultGrace(opt.TimeoutGrace)
	var rt http.RoundTripper
	if opt.HTTPClient != nil {
		rt = opt.HTTPClient.Transport
	}
	hc := &http.Client{
		Transport:     newRetryTransport(rt, opt.Retry),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	kcsb := azkustodata.NewConnectionStringBuilder(cluster).WithTokenCredential(opt.Credential)
	client, err := azkustodata.New(kcsb, azkustodata.WithHttpClient(hc))
	if err != nil {
		return nil, &Error{Source: name, Kind: ErrConfig, Err: err}
	}
	return &ADX{name: name, opt: opt, client: client}, nil
}

func (s *ADX) Name() string { return s.name }
func (s *ADX) Kind() string { return KindADX }

// Close releases idle connections.
func (s *ADX) Close() error { return s.client.Close() }

// Query runs q.Text against the database.
func (s *ADX) Query(ctx context.Context, q Query) (*Result, error) {
	began := time.Now()
	ctx, cancel := withQueryTimeout(ctx, q.Timeout, s.opt.TimeoutGrace)
	defer cancel()
	var stats callStats
	ctx = withStats(ctx, &stats)
	var opts []azkustodata.QueryOption
	if q.Timeout > 0 {
		opts = append(opts, azkustodata.ServerTimeout(q.Timeout))
	}
	ds, err := s.client.IterativeQuery(ctx, s.opt.Database, kql.New("").AddUnsafe(q.Text), opts...)
	if err != nil {
		return nil, s.wrap(ctx, q.Text, err, &stats)
	}
	defer ds.Close()
	res, err := s.read(ds)
	if err != nil {
		return nil, s.wrap(ctx, q.Text, err, &stats)
	}
	return res.finish(s.name, q, time.Since(began)), nil
}

// read drains the dataset. Errors that arrive after rows (end of table,
// end of dataset) are partial errors; one before any table is the error.
func (s *ADX) read(ds query.IterativeDataset) (*Result, error) {
	out := &Result{}
	var completion []string
	for tr := range ds.Tables() {
		if err := tr.Err(); err != nil {
			if len(out.Tables) == 0 {
				return nil, err
			}
			addKustoErrors(out, err)
			continue
		}
		t := tr.Table()
		switch {
		case t.IsPrimaryResult():
			s.readTable(out, t)
		case t.Kind() == v2.QueryCompletionInformationKind:
			completion = append(completion, completionPayloads(t)...)
		default:
			for range t.Rows() {
			}
		}
	}
	if completion != nil {
		out.Stats.ServerStats = completion
	}
	return out, nil
}

func (s *ADX) readTable(out *Result, t query.IterativeTable) {
	sch := &types.Schema{}
	for _, c := range t.Columns() {
		sch.Columns = append(sch.Columns, types.Column{Name: c.Name(), Type: kustoType(c.Type())})
	}
	b := engine.NewBatch(sch, 0)
	for rr := range t.Rows() {
		if err := rr.Err(); err != nil {
			addKustoErrors(out, err)
			continue
		}
		for i, v := range rr.Row().Values() {
			if i < len(b.Cols) {
				appendKusto(b.Cols[i], v)
			}
		}
		b.N++
	}
	out.Tables = append(out.Tables, b)
}

func kustoType(c ktypes.Column) types.Type {
	if n := ktypes.NormalizeColumn(string(c)); n != "" {
		c = n
	}
	return columnType(string(c))
}

// completionPayloads returns the Payload column of QueryCompletionInformation.
func completionPayloads(t query.IterativeTable) []string {
	var out []string
	for rr := range t.Rows() {
		if rr.Err() != nil {
			continue
		}
		if v, err := rr.Row().ValueByName("Payload"); err == nil && v != nil {
			out = append(out, v.String())
		}
	}
	return out
}

// addKustoErrors records OneApi errors (possibly combined) as partial
// errors and detects the result-limit notice.
func addKustoErrors(out *Result, err error) {
	var errs []error
	var combined *kerrors.CombinedError
	if errors.As(err, &combined) {
		errs = combined.Errors
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		qe := QueryError{Message: e.Error()}
		var one *v2.OneApiError
		if errors.As(e, &one) {
			qe = QueryError{Code: one.ErrorMessage.Code, Message: firstNonEmpty(one.ErrorMessage.Description, one.ErrorMessage.Message)}
		}
		if dup(out.PartialErrors, qe) {
			continue
		}
		out.PartialErrors = append(out.PartialErrors, qe)
		if strings.Contains(qe.Message, "E_QUERY_RESULT_SET_TOO_LARGE") {
			out.Truncated, out.limited = true, true
			out.TruncatedReason = "the service's result limit: " + qe.Message
		}
	}
}

func dup(list []QueryError, e QueryError) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// kustoError is the REST error body: {"error":{…,"innererror":{…}}}.
type kustoError struct {
	Code        string      `json:"code"`
	Message     string      `json:"message"`
	Type        string      `json:"@type"`
	Description string      `json:"@message"`
	Line        json.Number `json:"@line"`
	Pos         json.Number `json:"@pos"`
	Context     struct {
		ActivityID string `json:"activityId"`
	} `json:"@context"`
	Inner *kustoError `json:"innererror"`
}

// wrap turns an azkustodata error into an *Error.
func (s *ADX) wrap(ctx context.Context, text string, err error, stats *callStats) error {
	e := &Error{Source: s.name, Attempts: stats.tries(), Err: err}
	var he *kerrors.HttpError
	switch {
	case errors.As(err, &he):
		e.Status, e.Kind, e.Err = he.StatusCode, kindForStatus(he.StatusCode), nil
		e.RetryAfter = stats.lastRetryAfter() // the SDK's error drops the headers
		applyKustoErrorBody(e, text, he.UnmarshalREST())
		if e.Message == "" {
			e.Message = firstLine(he.Error())
		}
	case strings.Contains(err.Error(), "Error while getting token"):
		e.Kind, e.Message, e.Err = ErrAuth, firstLine(err.Error()), nil
	default:
		classifyTransport(ctx, e, err)
	}
	return e
}

// applyKustoErrorBody reads the decoded error body into e.
func applyKustoErrorBody(e *Error, text string, m map[string]any) {
	raw, err := json.Marshal(m["error"])
	if err != nil || m["error"] == nil {
		return
	}
	var top kustoError
	if json.Unmarshal(raw, &top) != nil {
		return
	}
	leaf := &top
	for leaf.Inner != nil {
		leaf = leaf.Inner
	}
	e.Code = leaf.Code
	e.Message = firstNonEmpty(leaf.Description, leaf.Message, top.Description, top.Message)
	e.CorrelationID = top.Context.ActivityID
	for n := &top; n != nil; n = n.Inner {
		switch {
		case strings.HasSuffix(n.Type, "SyntaxException"):
			e.Kind = ErrSyntax
		case strings.HasSuffix(n.Type, "SemanticException"):
			e.Kind = ErrSemantic
		case strings.HasSuffix(n.Type, "EntityNotFoundException"):
			e.Kind = ErrNotFound
		}
	}
	line, _ := strconv.Atoi(leaf.Line.String())
	pos, _ := strconv.Atoi(leaf.Pos.String())
	if line == 0 {
		line, pos, _ = bracketPosition(e.Message)
	}
	e.Pos = position(text, line, pos)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
