package source_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/source"
	"github.com/vigil-hunt/vigil/internal/source/fake"
	"github.com/vigil-hunt/vigil/kql/engine"
)

func newDefender(t *testing.T, rows int, adjust func(*source.Deps)) (*fake.Graph, source.Source, *fake.Credential) {
	t.Helper()
	d := &fake.Data{Tables: map[string]*engine.Batch{"SigninLogs": events("Timestamp", rows)}, TimeColumn: "Timestamp", Now: t0.Add(48 * time.Hour)}
	f := fake.NewGraph(t, d)
	cred := &fake.Credential{}
	deps := source.Deps{Credential: cred, HTTPClient: f.HTTPClient(), Retry: fastRetry, TimeoutGrace: 300 * time.Millisecond}
	if adjust != nil {
		adjust(&deps)
	}
	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{{Name: "xdr", Kind: source.KindDefender, Endpoint: f.Endpoint()}}}, deps)
	if err != nil {
		t.Fatal(err)
	}
	return f, srcs["xdr"], cred
}

func TestDefenderFaultMatrix(t *testing.T) {
	sixteen := func(q string) source.Query { return source.Query{Text: q, Start: t0, End: t0.Add(16 * time.Minute)} }
	cases := []faultCase{
		{name: "ok", checks: []check{wantRows(10), wantTruncated(false, "")}, requests: 1},
		{name: "429 then ok: retried after Retry-After", script: []fake.Fault{{Status: 429, RetryAfter: "1"}}, checks: []check{wantRows(10)}, requests: 2},
		{name: "429 exhausted", script: []fake.Fault{{Status: 429, RetryAfter: "0"}, {Status: 429}, {Status: 429, RetryAfter: "2"}},
			checks: []check{wantErr(source.ErrThrottled), wantAttempts(3), wantRetryAfter(2 * time.Second), wantMessage("TooManyRequests")}, requests: 3},
		{name: "429 Retry-After beyond the cap: not waited for", script: []fake.Fault{{Status: 429, RetryAfter: "3600"}},
			checks: []check{wantErr(source.ErrThrottled), wantAttempts(1), wantRetryAfter(time.Hour)}, requests: 1},
		{name: "503 then ok", script: []fake.Fault{{Status: 503}}, checks: []check{wantRows(10)}, requests: 2},
		{name: "500 exhausted", script: []fake.Fault{{Status: 500}, {Status: 500}, {Status: 500}},
			checks: []check{wantErr(source.ErrServer), wantAttempts(3), wantMessage("UnknownError")}, requests: 3},
		{name: "504: not retried", script: []fake.Fault{{Status: 504}}, checks: []check{wantErr(source.ErrTimeout), wantAttempts(1)}, requests: 1},
		{name: "slow answer: client deadline", script: []fake.Fault{{Delay: 5 * time.Second}}, ctx: deadline(300 * time.Millisecond),
			checks: []check{wantErr(source.ErrTimeout)}},
		{name: "row limit, not splittable", rowLimit: 4, query: window("SigninLogs | sort by Count asc"),
			checks: []check{wantRows(4), wantTruncated(true, "row limit: 4 rows")}, requests: 1},
		// A piece of exactly RowLimit rows looks cut (no marker) and is
		// halved again: 9 calls where Log Analytics needs 5.
		{name: "row limit, split completes it", rowLimit: 4, query: sixteen("SigninLogs | project Timestamp, Account"),
			checks: []check{wantRows(10), wantTruncated(false, "")}, requests: 9},
		{name: "syntax error with position", query: source.Query{Text: "SigninLogs\n| whre Count > 1"},
			checks: []check{wantErr(source.ErrSyntax), wantPos(2, 3), wantMessage("whre")}, requests: 1},
		{name: "semantic error", query: source.Query{Text: "SigninLogs | where Nope > 1"},
			checks: []check{wantErr(source.ErrSemantic), wantMessage("Nope")}, requests: 1},
		{name: "401", script: []fake.Fault{{Status: 401}}, checks: []check{wantErr(source.ErrUnauthorized), wantMessage("InvalidAuthenticationToken")}, requests: 1},
		{name: "403", script: []fake.Fault{{Status: 403}}, checks: []check{wantErr(source.ErrForbidden), wantMessage("ThreatHunting.Read.All")}, requests: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f, src, _ := newDefender(t, 10, c.deps)
			if c.rowLimit > 0 {
				// The client must know the limit too: Graph sends no marker.
				f.RowLimit = c.rowLimit
				var err error
				src, err = source.NewDefender("xdr", source.DefenderOptions{
					Credential: &fake.Credential{}, Endpoint: f.Endpoint(), HTTPClient: f.HTTPClient(), RowLimit: c.rowLimit,
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			c.run(t, src, f.Script, f.Requests)
		})
	}
}

func TestDefenderServiceTimeout(t *testing.T) {
	f, src, _ := newDefender(t, 1, func(d *source.Deps) { d.TimeoutGrace = 5 * time.Second })
	f.Timeout = 200 * time.Millisecond
	f.Script(fake.Fault{Delay: time.Minute})
	_, err := src.Query(context.Background(), source.Query{Text: "SigninLogs"})
	wantErr(source.ErrTimeout)(t, nil, err)
	wantAttempts(1)(t, nil, err)
}

func TestDefenderResultTooLarge(t *testing.T) {
	f, src, _ := newDefender(t, 10, nil)
	f.SizeLimit = 2500 // four or five rows fit
	q := source.Query{Text: "SigninLogs | where Account has 'contoso'", Start: t0, End: t0.Add(16 * time.Minute)}
	res, err := src.Query(context.Background(), q)
	wantRows(10)(t, res, err)
	if res != nil && (res.Truncated || res.Stats.Requests < 3) {
		t.Errorf("truncated=%v requests=%d", res.Truncated, res.Stats.Requests)
	}

	q.Text = "SigninLogs | sort by Account asc"
	_, err = src.Query(context.Background(), q)
	wantErr(source.ErrTooLarge)(t, nil, err)
	wantMessage("allowed result size")(t, nil, err)
}

func TestDefenderRequestAndValues(t *testing.T) {
	for _, upper := range []bool{false, true} {
		f, src, cred := newDefender(t, 3, nil)
		f.UpperSchema = upper
		res, err := src.Query(context.Background(), window("SigninLogs"))
		if err != nil {
			t.Fatal(err)
		}
		want := events("Timestamp", 3)
		got := res.Tables[0]
		if got.Schema.String() != want.Schema.String() {
			t.Fatalf("upper=%v: schema %s, want %s", upper, got.Schema, want.Schema)
		}
		for i := 0; i < want.N; i++ {
			for j, c := range want.Cols {
				if w, g := c.Value(i), got.Cols[j].Value(i); w.String() != g.String() || w.IsNull() != g.IsNull() {
					t.Errorf("row %d %s = %q, want %q", i, want.Schema.Columns[j].Name, g.String(), w.String())
				}
			}
		}
		req := f.Requests()[0]
		var body map[string]string
		json.Unmarshal(req.Body, &body)
		if body["Query"] != "SigninLogs" || body["Timespan"] != "2026-03-01T00:00:00Z/2026-03-02T00:00:00Z" {
			t.Errorf("body %s", req.Body)
		}
		if ct := req.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if s := cred.Scopes(); len(s) != 1 || s[0] != "https://graph.microsoft.com/.default" {
			t.Errorf("scopes %v", s)
		}
	}
}

func TestDefenderTokenCached(t *testing.T) {
	_, src, cred := newDefender(t, 1, nil)
	for i := 0; i < 3; i++ {
		if _, err := src.Query(context.Background(), source.Query{Text: "SigninLogs"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(cred.Scopes()); n != 1 {
		t.Errorf("%d token requests for 3 queries", n)
	}
}
