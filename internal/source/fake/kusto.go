package fake

// This file fakes an Azure Data Explorer cluster as azkustodata talks to
// it: GET /v1/rest/auth/metadata, then POST /v2/rest/query answered with
// fragmented v2 frames, one per line, errors at the end of each table.
// The frames follow the SDK's recorded test data; error bodies follow
// Kusto's REST error shape ({"error":{…,"innererror":{…,"@line","@pos"}}}).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// Kusto is a fake ADX cluster.
type Kusto struct {
	*server
	Data *Data
	// RowLimit is the default result truncation (500,000 records); past
	// it the rows stop and LimitsExceeded arrives at the end of the table.
	RowLimit int
	// Database, when set, is the only database that exists.
	Database string
}

// KustoResource is the token audience the fake's metadata advertises.
const KustoResource = "https://kusto.kusto.windows.net"

// NewKusto starts a fake cluster serving d until the test ends.
func NewKusto(t testing.TB, d *Data) *Kusto {
	f := &Kusto{Data: d, RowLimit: 500_000}
	f.server = start(t, KustoResource+"/.default", func(s *server) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /v1/rest/auth/metadata", f.metadata)
		mux.HandleFunc("POST /v2/rest/query", f.query)
		return mux
	})
	return f
}

// Endpoint is the cluster URL to configure.
func (f *Kusto) Endpoint() string { return f.URL }

func (f *Kusto) metadata(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, "", []byte(`{"AzureAD":{"LoginEndpoint":"https://login.microsoftonline.com","LoginMfaRequired":false,"KustoClientAppId":"db662dc1-0cfe-4e1c-a843-19a68e65be58","KustoClientRedirectUri":"https://microsoft/kustoclient","KustoServiceResourceId":"`+KustoResource+`","FirstPartyAuthorityUrl":"https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a"},"dSTS":{}}`))
}

type kustoRequest struct {
	DB         string `json:"db"`
	CSL        string `json:"csl"`
	Properties struct {
		Options map[string]any `json:"Options"`
	} `json:"properties"`
}

func (f *Kusto) query(w http.ResponseWriter, r *http.Request) {
	_, fault := f.take(r)
	var req kustoRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		reply(w, http.StatusBadRequest, "", kustoError(400, "BadRequest", "Kusto.Data.Exceptions.KustoBadRequestException", "Request body is not valid JSON", nil))
		return
	}
	if fault.Delay > 0 {
		if limit := serverTimeout(req); limit > 0 && fault.Delay > limit {
			if pause(r, limit) {
				reply(w, http.StatusGatewayTimeout, "", kustoStatusBody(http.StatusGatewayTimeout))
			}
			return
		}
		if !pause(r, fault.Delay) {
			return
		}
	}
	if fault.Status != 0 {
		reply(w, fault.Status, fault.RetryAfter, fault.bodyOr(kustoStatusBody(fault.Status)))
		return
	}
	if f.authorized(r) != "" {
		reply(w, http.StatusUnauthorized, "", kustoStatusBody(http.StatusUnauthorized))
		return
	}
	if f.Database != "" && req.DB != f.Database {
		reply(w, http.StatusBadRequest, "", kustoError(400, "BadRequest_EntityNotFound", "Kusto.Data.Exceptions.EntityNotFoundException", fmt.Sprintf("Database '%s' was not found.", req.DB), nil))
		return
	}
	tables, err := f.Data.run(r.Context(), req.CSL, span{})
	if err != nil {
		reply(w, http.StatusBadRequest, "", kustoQueryError(err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	f.frames(w, tables, fault.Partial)
}

// serverTimeout reads the servertimeout request property (d.hh:mm:ss).
func serverTimeout(req kustoRequest) time.Duration {
	s, _ := req.Properties.Options["servertimeout"].(string)
	if s == "" {
		return 0
	}
	var h, m, sec int
	days := 0
	if d, rest, ok := strings.Cut(s, "."); ok && !strings.Contains(d, ":") {
		fmt.Sscanf(d, "%d", &days)
		s = rest
	}
	fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec)
	return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
}

// The frames, fields in the order the SDK's decoder insists on.
type (
	dataSetHeader struct {
		FrameType               string
		IsProgressive           bool
		Version                 string
		IsFragmented            bool
		ErrorReportingPlacement string
	}
	kustoColumn struct {
		ColumnName string
		ColumnType string
	}
	dataTable struct {
		FrameType string
		TableId   int
		TableKind string
		TableName string
		Columns   []kustoColumn
		Rows      [][]any
	}
	tableHeader struct {
		FrameType string
		TableId   int
		TableKind string
		TableName string
		Columns   []kustoColumn
	}
	tableFragment struct {
		FrameType         string
		TableFragmentType string
		TableId           int
		Rows              [][]any
	}
	tableCompletion struct {
		FrameType    string
		TableId      int
		RowCount     int
		OneApiErrors []any `json:",omitempty"`
	}
	dataSetCompletion struct {
		FrameType    string
		HasErrors    bool
		Cancelled    bool
		OneApiErrors []any `json:",omitempty"`
	}
)

// frames writes the v2 response: header, properties, each primary table
// (header, fragment, completion), completion information, completion.
func (f *Kusto) frames(w http.ResponseWriter, tables []*engine.Batch, partial bool) {
	first := true
	emit := func(frame any) {
		b, _ := json.Marshal(frame)
		lead := ","
		if first {
			lead, first = "[", false
		}
		fmt.Fprintf(w, "%s%s\n", lead, b)
	}
	emit(dataSetHeader{"DataSetHeader", false, "v2.0", true, "EndOfTable"})
	emit(dataTable{FrameType: "DataTable", TableId: 0, TableKind: "QueryProperties", TableName: "@ExtendedProperties",
		Columns: []kustoColumn{{"TableId", "int"}, {"Key", "string"}, {"Value", "dynamic"}},
		Rows:    [][]any{{1, "Visualization", `{"Visualization":null}`}}})
	var errs []any
	total := 0
	for i, b := range tables {
		id := i + 1
		var cols []kustoColumn
		for _, c := range b.Schema.Columns {
			cols = append(cols, kustoColumn{c.Name, c.Type.String()})
		}
		emit(tableHeader{"TableHeader", id, "PrimaryResult", "PrimaryResult", cols})
		n := min(b.N, f.RowLimit)
		emit(tableFragment{"TableFragment", "DataAppend", id, rowsJSON(b.Cols, n, wireKusto)})
		var tableErrs []any
		if b.N > f.RowLimit {
			tableErrs = append(tableErrs, oneAPIError("LimitsExceeded", "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException",
				fmt.Sprintf("Query execution has exceeded the allowed limits (80DA0003): The results of this query exceed the set limit of %d records, so not all records were returned (E_QUERY_RESULT_SET_TOO_LARGE, 0x80DA0003). See https://aka.ms/kustoquerylimits for more information and possible solutions..", f.RowLimit)))
		}
		if partial && i == 0 {
			tableErrs = append(tableErrs, oneAPIError("LimitsExceeded", "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLowMemoryConditionException",
				"Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION). (message: 'bad allocation', details: '')"))
		}
		emit(tableCompletion{"TableCompletion", id, n, tableErrs})
		errs = append(errs, tableErrs...)
		total += n
	}
	emit(dataTable{FrameType: "DataTable", TableId: len(tables) + 1, TableKind: "QueryCompletionInformation", TableName: "QueryCompletionInformation",
		Columns: []kustoColumn{{"Timestamp", "datetime"}, {"ClientRequestId", "string"}, {"ActivityId", "guid"}, {"SubActivityId", "guid"}, {"ParentActivityId", "guid"},
			{"Level", "int"}, {"LevelName", "string"}, {"StatusCode", "int"}, {"StatusCodeName", "string"}, {"EventType", "int"}, {"EventTypeName", "string"}, {"Payload", "string"}},
		Rows: [][]any{completionRow(f.Data.Now, 4, "QueryInfo", `{"Count":1,"Text":"Query completed successfully"}`),
			completionRow(f.Data.Now, 5, "QueryResourceConsumption", fmt.Sprintf(`{"ExecutionTime":0.0156,"resource_usage":{"cpu":{"total cpu":"00:00:00"}},"dataset_statistics":[{"table_row_count":%d,"table_size":%d}]}`, total, 64*total))}})
	emit(dataSetCompletion{"DataSetCompletion", len(errs) > 0, false, errs})
	fmt.Fprint(w, "]\n")
}

func completionRow(now time.Time, event int, name, payload string) []any {
	const id = "123e27de-1e4e-49d9-b579-fe0b331d3642"
	return []any{now.Format("2006-01-02T15:04:05.9999999Z"), "KGC.execute;fake", id, id, id, 4, "Info", 0, "S_OK (0)", event, name, payload}
}

// oneAPIError is an error inside a frame.
func oneAPIError(code, typ, msg string) any {
	return map[string]any{"error": map[string]any{
		"code": code, "message": "Request is invalid and cannot be executed.", "@type": typ, "@message": msg,
		"@context":   map[string]any{"timestamp": "2026-03-03T00:00:00Z", "clientRequestId": "KGC.execute;fake", "activityId": "123e27de-1e4e-49d9-b579-fe0b331d3642"},
		"@permanent": false,
	}}
}

// kustoError is a REST error body; inner may be nil.
func kustoError(status int, code, typ, msg string, inner map[string]any) []byte {
	e := map[string]any{
		"code": code, "message": "Request is invalid and cannot be executed.", "@type": typ, "@message": msg,
		"@context":   map[string]any{"timestamp": "2026-03-03T00:00:00Z", "clientRequestId": "KGC.execute;fake", "activityId": "0c4e7917-7be8-4125-939f-146f0f97df12"},
		"@permanent": status < 500 && status != http.StatusTooManyRequests,
	}
	if inner != nil {
		e["innererror"] = inner
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return b
}

// kustoQueryError is the 400 for a rejected query, with the engine's
// position as "@line" (1-based) and "@pos" (0-based), both strings.
func kustoQueryError(err error) []byte {
	qe, ok := err.(*queryError)
	if !ok {
		return kustoError(500, "General_InternalServerError", "Kusto.Data.Exceptions.KustoServiceException", err.Error(), nil)
	}
	code, typ, kind := "SEM0100", "Kusto.Data.Exceptions.SemanticException", "Semantic error"
	if qe.syntax {
		code, typ, kind = "SYN0002", "Kusto.Data.Exceptions.SyntaxException", "Syntax error"
	}
	msg := fmt.Sprintf("%s: %s: %s [line:position=%d:%d]", kind, code, qe.msg, qe.line, qe.pos)
	inner := map[string]any{
		"code": code, "message": qe.msg, "@type": typ, "@message": msg,
		"@errorCode": code, "@errorMessage": qe.msg, "@line": fmt.Sprint(qe.line), "@pos": fmt.Sprint(qe.pos), "@permanent": true,
	}
	return kustoError(400, "General_BadRequest", "Kusto.Data.Exceptions.KustoBadRequestException", "Request is invalid and cannot be processed: "+msg, inner)
}

// kustoStatusBody is the error body for a status [U: wording].
func kustoStatusBody(status int) []byte {
	switch status {
	case http.StatusUnauthorized:
		return kustoError(status, "Unauthorized", "Kusto.Common.Svc.Exceptions.UnauthorizedOperationException", "The token is missing, expired or issued for another audience.", nil)
	case http.StatusForbidden:
		return kustoError(status, "Forbidden", "Kusto.DataNode.Exceptions.UnauthorizedDatabaseAccessException", "Principal 'aadapp=fake' is not authorized to read database 'SecurityLogs'.", nil)
	case http.StatusTooManyRequests:
		return kustoError(status, "TooManyRequests", "Kusto.DataNode.Exceptions.ThrottledRequestException", "The request was denied due to throttling: too many concurrent requests.", nil)
	case http.StatusGatewayTimeout:
		return kustoError(status, "RequestExecutionTimeout", "Kusto.Data.Exceptions.KustoRequestExecutionTimeoutException", "Request execution timeout: the query ran past its servertimeout.", nil)
	}
	return kustoError(status, "General_InternalServerError", "Kusto.Data.Exceptions.KustoServiceException", http.StatusText(status), nil)
}
