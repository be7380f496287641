package source_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// newLA starts a fake workspace holding rows of SigninLogs and opens a
// source on it through Open, as a run would.
func newLA(t *testing.T, rows int, adjust func(*source.Deps)) (*fake.LogAnalytics, source.Source) {
	t.Helper()
	d := &fake.Data{Tables: map[string]*engine.Batch{"SigninLogs": events("TimeGenerated", rows)}, TimeColumn: "TimeGenerated", Now: t0.Add(48 * time.Hour)}
	f := fake.NewLogAnalytics(t, d)
	f.Workspace = "0b5f9e3c-ws"
	deps := source.Deps{Credential: &fake.Credential{}, HTTPClient: f.HTTPClient(), Retry: fastRetry, TimeoutGrace: 300 * time.Millisecond}
	if adjust != nil {
		adjust(&deps)
	}
	cfg := source.Config{Sources: []source.SourceConfig{{
		Name: "sentinel", Kind: source.KindLogAnalytics, WorkspaceID: "0b5f9e3c-ws",
		AdditionalWorkspaces: []string{"second-ws"}, Endpoint: f.Endpoint(),
	}}}
	srcs, err := source.Open(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return f, srcs["sentinel"]
}

func TestLogAnalyticsFaultMatrix(t *testing.T) {
	cases := []faultCase{
		{name: "ok", checks: []check{wantRows(10), wantTruncated(false, "")}, requests: 1},
		{name: "429 then ok: retried after Retry-After", script: []fake.Fault{{Status: 429, RetryAfter: "1"}},
			checks: []check{wantRows(10)}, requests: 2},
		{name: "429 exhausted", script: []fake.Fault{{Status: 429, RetryAfter: "0"}, {Status: 429, RetryAfter: "0"}, {Status: 429, RetryAfter: "1"}},
			checks: []check{wantErr(source.ErrThrottled), wantAttempts(3), wantRetryAfter(time.Second), wantMessage("ThrottledError")}, requests: 3},
		{name: "429 Retry-After beyond the cap: not waited for", script: []fake.Fault{{Status: 429, RetryAfter: "3600"}},
			checks: []check{wantErr(source.ErrThrottled), wantAttempts(1), wantRetryAfter(time.Hour)}, requests: 1},
		{name: "503 then ok", script: []fake.Fault{{Status: 503}}, checks: []check{wantRows(10)}, requests: 2},
		{name: "500 exhausted", script: []fake.Fault{{Status: 500}, {Status: 500}, {Status: 500}},
			checks: []check{wantErr(source.ErrServer), wantAttempts(3)}, requests: 3},
		{name: "504 gateway timeout: not retried", script: []fake.Fault{{Status: 504}},
			checks: []check{wantErr(source.ErrTimeout), wantAttempts(1), wantMessage("GatewayTimeout")}, requests: 1},
		{name: "slow query: server timeout from Prefer wait", script: []fake.Fault{{Delay: 8 * time.Second}},
			deps:   func(d *source.Deps) { d.TimeoutGrace = 5 * time.Second },
			query:  source.Query{Text: "SigninLogs", Start: t0, End: t0.Add(time.Hour), Timeout: time.Second},
			checks: []check{wantErr(source.ErrTimeout), wantMessage("server timeout")}, requests: 1},
		{name: "slow answer: client deadline", script: []fake.Fault{{Delay: 5 * time.Second}}, ctx: deadline(300 * time.Millisecond),
			checks: []check{wantErr(source.ErrTimeout)}},
		{name: "partial error beside rows", script: []fake.Fault{{Partial: true}},
			checks: []check{wantRows(10), wantPartial("-2133196788"), wantTruncated(false, "")}},
		{name: "truncated, not splittable", rowLimit: 4, query: window("SigninLogs | sort by Count asc"),
			checks: []check{wantRows(4), wantTruncated(true, "E_QUERY_RESULT_SET_TOO_LARGE"), wantPartial("-2133196797")}, requests: 1},
		{name: "truncated, split completes it", rowLimit: 4,
			query:  source.Query{Text: `SigninLogs | where Account has "contoso"`, Start: t0, End: t0.Add(16 * time.Minute)},
			checks: []check{wantRows(10), wantTruncated(false, "")}},
		{name: "truncated, still cut at the split depth", rowLimit: 1,
			deps:   func(d *source.Deps) { d.Split = source.SplitOptions{MaxDepth: 1} },
			query:  source.Query{Text: "SigninLogs", Start: t0, End: t0.Add(10 * time.Minute)},
			checks: []check{wantRows(2), wantTruncated(true, "still cut after splitting the timespan 1 times")}, requests: 3},
		{name: "truncated, no timespan: reported", rowLimit: 4, query: source.Query{Text: "SigninLogs"},
			checks: []check{wantRows(4), wantTruncated(true, "record count limit 4")}, requests: 1},
		{name: "MaxRows caps without splitting", rowLimit: 4, query: source.Query{Text: "SigninLogs", Start: t0, End: t0.Add(time.Hour), MaxRows: 3},
			checks: []check{wantRows(3), wantTruncated(true, "")}, requests: 1},
		{name: "syntax error with position", query: source.Query{Text: "SigninLogs\n| whre Count > 1"},
			checks: []check{wantErr(source.ErrSyntax), wantPos(2, 3), wantMessage("SYN0002: Query could not be parsed at 'whre'")}, requests: 1},
		{name: "semantic error", query: source.Query{Text: "SigninLogs | where Nope > 1"},
			checks: []check{wantErr(source.ErrSemantic), wantMessage("SEM0100"), wantMessage("Nope")}, requests: 1},
		{name: "401", script: []fake.Fault{{Status: 401}}, checks: []check{wantErr(source.ErrUnauthorized), wantMessage("AuthenticationFailed")}, requests: 1},
		{name: "403", script: []fake.Fault{{Status: 403}}, checks: []check{wantErr(source.ErrForbidden), wantMessage("InsufficientAccessError")}, requests: 1},
		{name: "204 empty workspace", script: []fake.Fault{{NoContent: true}}, checks: []check{wantRows(0)}, requests: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f, src := newLA(t, 10, c.deps)
			if c.rowLimit > 0 {
				f.RowLimit = c.rowLimit
			}
			c.run(t, src, f.Script, f.Requests)
		})
	}
}

func TestLogAnalyticsValues(t *testing.T) {
	f, src := newLA(t, 3, nil)
	res, err := src.Query(context.Background(), window("SigninLogs"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != "sentinel" || len(res.Tables) != 1 {
		t.Fatalf("result %+v", res)
	}
	b := res.Tables[0]
	want := events("TimeGenerated", 3)
	if b.Schema.String() != want.Schema.String() {
		t.Fatalf("schema %s, want %s", b.Schema, want.Schema)
	}
	for i := 0; i < want.N; i++ {
		for j, c := range want.Cols {
			w, g := c.Value(i), b.Cols[j].Value(i)
			if w.String() != g.String() || w.IsNull() != g.IsNull() {
				t.Errorf("row %d %s = %q, want %q", i, want.Schema.Columns[j].Name, g.String(), w.String())
			}
		}
	}
	if got := b.Col("Big").Ints[0]; got != bigLong {
		t.Errorf("Big = %d, want %d: a long lost precision", got, int64(bigLong))
	}
	if got := value.FormatJSON(b.Col("Props").Dyns[0]); got != `{"z":0,"a":["x",1]}` {
		t.Errorf("Props = %s: dynamic lost its key order", got)
	}
	if _, ok := res.Stats.ServerStats.(json.RawMessage); !ok {
		t.Errorf("server stats = %T, want the statistics object", res.Stats.ServerStats)
	}

	req := f.Requests()[0]
	if got := req.Header.Get("Prefer"); got != "include-statistics=true" {
		t.Errorf("Prefer = %q", got)
	}
	var body map[string]any
	json.Unmarshal(req.Body, &body)
	if body["timespan"] != "2026-03-01T00:00:00Z/2026-03-02T00:00:00Z" {
		t.Errorf("timespan = %v", body["timespan"])
	}
	if ws, _ := body["workspaces"].([]any); len(ws) != 1 || ws[0] != "second-ws" {
		t.Errorf("workspaces = %v", body["workspaces"])
	}
	if req.Path != "/v1/workspaces/0b5f9e3c-ws/query" {
		t.Errorf("path = %s", req.Path)
	}
}

func TestLogAnalyticsWaitFromTimeout(t *testing.T) {
	f, src := newLA(t, 1, nil)
	if _, err := src.Query(context.Background(), source.Query{Text: "SigninLogs", Timeout: 90 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if got := f.Requests()[0].Header.Get("Prefer"); got != "include-statistics=true,wait=90" {
		t.Errorf("Prefer = %q", got)
	}
}

func TestLogAnalyticsSplitPieces(t *testing.T) {
	f, src := newLA(t, 10, nil)
	f.RowLimit = 4
	res, err := src.Query(context.Background(), source.Query{Text: "SigninLogs | project TimeGenerated, Count", Start: t0, End: t0.Add(16 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	// 10 rows in [0, 16m): whole (cut), [0,8m) 8 (cut), [0,4m) 4… the
	// fake cuts at more than 4, so 4 rows fit.
	var spans []string
	for _, r := range f.Requests() {
		var body map[string]string
		json.Unmarshal(r.Body, &body)
		spans = append(spans, strings.ReplaceAll(body["timespan"], "2026-03-01T", ""))
	}
	want := []string{"00:00:00Z/00:16:00Z", "00:00:00Z/00:08:00Z", "00:00:00Z/00:04:00Z", "00:04:00Z/00:08:00Z", "00:08:00Z/00:16:00Z"}
	if strings.Join(spans, " ") != strings.Join(want, " ") {
		t.Errorf("requests %v, want %v", spans, want)
	}
	times := res.Tables[0].Col("TimeGenerated").Ints
	for i := 1; i < len(times); i++ {
		if times[i] <= times[i-1] {
			t.Fatalf("merged TimeGenerated column %v: rows repeated or out of order", times)
		}
	}
	if res.Truncated || res.Stats.Requests != 5 || len(times) != 10 {
		t.Errorf("truncated=%v requests=%d rows=%d", res.Truncated, res.Stats.Requests, len(times))
	}
	if len(res.PartialErrors) != 0 {
		t.Errorf("partial errors of cut pieces kept: %+v", res.PartialErrors)
	}
}

func TestLogAnalyticsWrongAudience(t *testing.T) {
	f, _ := newLA(t, 1, nil)
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{{
		Name: "gov", Kind: source.KindLogAnalytics, WorkspaceID: "0b5f9e3c-ws",
		Endpoint: f.Endpoint(), Audience: "https://api.loganalytics.us",
	}}}, source.Deps{Credential: &fake.Credential{}, HTTPClient: f.HTTPClient(), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = srcs["gov"].Query(context.Background(), source.Query{Text: "SigninLogs"})
	wantErr(source.ErrForbidden)(t, nil, err)
	wantMessage("InvalidAuthenticationTokenAudience")(t, nil, err)
}

func TestLogAnalyticsUnknownWorkspace(t *testing.T) {
	f, _ := newLA(t, 1, nil)
	srcs, _ := source.Open(source.Config{Sources: []source.SourceConfig{{
		Name: "x", Kind: source.KindLogAnalytics, WorkspaceID: "nope", Endpoint: f.Endpoint(),
	}}}, source.Deps{Credential: &fake.Credential{}, HTTPClient: f.HTTPClient()})
	_, err := srcs["x"].Query(context.Background(), source.Query{Text: "SigninLogs"})
	wantErr(source.ErrNotFound)(t, nil, err)
}

func TestLogAnalyticsSyntaxCaret(t *testing.T) {
	_, src := newLA(t, 1, nil)
	q := "SigninLogs\n| whre Count > 1"
	_, err := src.Query(context.Background(), source.Query{Text: q})
	var e *source.Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	got := e.Detail(q)
	if !strings.HasSuffix(got, "\n    | whre Count > 1\n      ^") {
		t.Errorf("detail:\n%s", got)
	}
}

// TestLogAnalyticsNaN checks reals the JSON cannot hold.
func TestLogAnalyticsNaN(t *testing.T) {
	b := engine.NewBatch(&types.Schema{Columns: []types.Column{{Name: "R", Type: types.Real}}}, 1)
	b.Cols[0].Append(value.OfReal(math.NaN()))
	b.N = 1
	f := fake.NewLogAnalytics(t, &fake.Data{Tables: map[string]*engine.Batch{"T": b}})
	srcs, _ := source.Open(source.Config{Sources: []source.SourceConfig{{Name: "n", Kind: source.KindLogAnalytics, WorkspaceID: "w", Endpoint: f.Endpoint()}}},
		source.Deps{Credential: &fake.Credential{}, HTTPClient: f.HTTPClient()})
	res, err := srcs["n"].Query(context.Background(), source.Query{Text: "T"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Tables[0].Cols[0].Value(0).String(); got != "NaN" {
		t.Errorf("R = %s", got)
	}
}
