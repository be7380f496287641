package source_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
)

func newADX(t *testing.T, rows int, adjust func(*source.Deps)) (*fake.Kusto, source.Source, *fake.Credential) {
	t.Helper()
	d := &fake.Data{Tables: map[string]*engine.Batch{"SigninLogs": events("TimeGenerated", rows)}, Now: t0.Add(48 * time.Hour)}
	f := fake.NewKusto(t, d)
	f.Database = "SecurityLogs"
	cred := &fake.Credential{}
	deps := source.Deps{Credential: cred, HTTPClient: f.HTTPClient(), Retry: fastRetry, TimeoutGrace: 300 * time.Millisecond}
	if adjust != nil {
		adjust(&deps)
	}
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{{
		Name: "adx", Kind: source.KindADX, Cluster: f.Endpoint(), Database: "SecurityLogs",
	}}}, deps)
	if err != nil {
		t.Fatal(err)
	}
	return f, srcs["adx"], cred
}

func TestADXFaultMatrix(t *testing.T) {
	cases := []faultCase{
		{name: "ok", checks: []check{wantRows(10), wantTruncated(false, "")}, requests: 1},
		{name: "429 then ok: retried after Retry-After", script: []fake.Fault{{Status: 429, RetryAfter: "1"}}, checks: []check{wantRows(10)}, requests: 2},
		{name: "429 exhausted", script: []fake.Fault{{Status: 429, RetryAfter: "0"}, {Status: 429}, {Status: 429, RetryAfter: "1"}},
			checks: []check{wantErr(source.ErrThrottled), wantAttempts(3), wantRetryAfter(time.Second), wantMessage("TooManyRequests")}, requests: 3},
		{name: "429 Retry-After beyond the cap: not waited for", script: []fake.Fault{{Status: 429, RetryAfter: "3600"}},
			checks: []check{wantErr(source.ErrThrottled), wantAttempts(1), wantRetryAfter(time.Hour)}, requests: 1},
		{name: "503 then ok", script: []fake.Fault{{Status: 503}}, checks: []check{wantRows(10)}, requests: 2},
		{name: "500 exhausted", script: []fake.Fault{{Status: 500}, {Status: 500}, {Status: 500}},
			checks: []check{wantErr(source.ErrServer), wantAttempts(3)}, requests: 3},
		{name: "504: not retried", script: []fake.Fault{{Status: 504}}, checks: []check{wantErr(source.ErrTimeout), wantAttempts(1)}, requests: 1},
		{name: "slow query: servertimeout", script: []fake.Fault{{Delay: 8 * time.Second}},
			deps:   func(d *source.Deps) { d.TimeoutGrace = 5 * time.Second },
			query:  source.Query{Text: "SigninLogs", Timeout: time.Second},
			checks: []check{wantErr(source.ErrTimeout), wantMessage("RequestExecutionTimeout")}, requests: 1},
		{name: "slow answer: client deadline", script: []fake.Fault{{Delay: 5 * time.Second}}, ctx: deadline(300 * time.Millisecond),
			checks: []check{wantErr(source.ErrTimeout)}},
		{name: "partial error at end of table", script: []fake.Fault{{Partial: true}},
			checks: []check{wantRows(10), wantPartial("LimitsExceeded"), wantTruncated(false, "")}},
		{name: "truncated at the record limit: reported", rowLimit: 4,
			checks: []check{wantRows(4), wantTruncated(true, "E_QUERY_RESULT_SET_TOO_LARGE"), wantPartial("LimitsExceeded")}, requests: 1},
		{name: "syntax error with position", query: source.Query{Text: "SigninLogs\n| whre Count > 1"},
			checks: []check{wantErr(source.ErrSyntax), wantPos(2, 3), wantMessage("SYN0002")}, requests: 1},
		{name: "semantic error", query: source.Query{Text: "SigninLogs | where Nope > 1"},
			checks: []check{wantErr(source.ErrSemantic), wantMessage("Nope")}, requests: 1},
		{name: "401", script: []fake.Fault{{Status: 401}}, checks: []check{wantErr(source.ErrUnauthorized)}, requests: 1},
		{name: "403", script: []fake.Fault{{Status: 403}}, checks: []check{wantErr(source.ErrForbidden), wantMessage("not authorized")}, requests: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f, src, _ := newADX(t, 10, c.deps)
			if c.rowLimit > 0 {
				f.RowLimit = c.rowLimit
			}
			c.run(t, src, f.Script, f.Requests)
		})
	}
}

func TestADXValuesAndStats(t *testing.T) {
	_, src, cred := newADX(t, 3, nil)
	res, err := src.Query(context.Background(), source.Query{Text: "SigninLogs"})
	if err != nil {
		t.Fatal(err)
	}
	want := events("TimeGenerated", 3)
	got := res.Tables[0]
	if got.Schema.String() != want.Schema.String() {
		t.Fatalf("schema %s, want %s", got.Schema, want.Schema)
	}
	for i := 0; i < want.N; i++ {
		for j, c := range want.Cols {
			if w, g := c.Value(i), got.Cols[j].Value(i); w.String() != g.String() || w.IsNull() != g.IsNull() {
				t.Errorf("row %d %s = %q, want %q", i, want.Schema.Columns[j].Name, g.String(), w.String())
			}
		}
	}
	if got.Col("Big").Ints[0] != bigLong {
		t.Errorf("Big = %d", got.Col("Big").Ints[0])
	}
	if stats, _ := res.Stats.ServerStats.([]string); len(stats) != 2 || !contains(stats[1], "dataset_statistics") {
		t.Errorf("server stats %v", res.Stats.ServerStats)
	}
	if s := cred.Scopes(); len(s) == 0 || s[0] != fake.KustoResource+"/.default" {
		t.Errorf("scopes %v", s)
	}
}

func TestADXUnknownDatabase(t *testing.T) {
	f, _, _ := newADX(t, 1, nil)
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{{Name: "a", Kind: source.KindADX, Cluster: f.Endpoint(), Database: "Nope"}}},
		source.Deps{Credential: &fake.Credential{}, HTTPClient: f.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = srcs["a"].Query(context.Background(), source.Query{Text: "SigninLogs"})
	wantErr(source.ErrNotFound)(t, nil, err)
	wantMessage("Database 'Nope' was not found")(t, nil, err)
}

func TestADXServerTimeoutSent(t *testing.T) {
	f, src, _ := newADX(t, 1, nil)
	if _, err := src.Query(context.Background(), source.Query{Text: "SigninLogs", Timeout: 90 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if body := string(f.Requests()[0].Body); !contains(body, `"servertimeout":"00:01:30"`) {
		t.Errorf("request %s lacks the server timeout", body)
	}
}
