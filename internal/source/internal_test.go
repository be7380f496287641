package source

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestSplittable(t *testing.T) {
	cases := []struct {
		q    string
		want bool
	}{
		{"SigninLogs", true},
		{"SigninLogs | where ResultType != 0 | project TimeGenerated, UserPrincipalName", true},
		{"let n = 5; SigninLogs | where Count > n | extend x = tolower(Account)", true},
		{"SigninLogs | parse Account with user '@' domain | mv-expand Props | project-away Props", true},
		{"SigninLogs | summarize count() by Account", false},
		{"SigninLogs | take 10", false},
		{"SigninLogs | top 5 by Count", false},
		{"SigninLogs | sort by Count", false},
		{"SigninLogs | distinct Account", false},
		{"SigninLogs | join (AuditLogs) on Account", false},
		{"SigninLogs | where Account in (Watchlist)", false},
		{"let w = dynamic(['a']); SigninLogs | where Account in (w)", true},
		{"SigninLogs | where Count > toscalar(SigninLogs | count)", false},
		{"let t = SigninLogs; t | where Count > 1", false},
		{"let f = () { SigninLogs }; f()", false},
		{"union SigninLogs, AuditLogs", false},
		{"SigninLogs | where", false},
		{"SigninLogs; AuditLogs", false},
	}
	for _, c := range cases {
		if got := splittable(c.q); got != c.want {
			t.Errorf("splittable(%q) = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestPosition(t *testing.T) {
	q := "SigninLogs\n| where Ünïcode == 1 | whre"
	// Line 2, character 23 is the 'w' of "whre"; the Ü and ï take two bytes.
	p := position(q, 2, 23)
	if p.Line != 2 || p.Column != 26 {
		t.Errorf("position = %d:%d, want 2:26", p.Line, p.Column)
	}
	if p := position(q, 0, 0); p.IsValid() {
		t.Errorf("line 0 mapped to %v", p)
	}
	if p := position(q, 9, 3); p.Line != 9 || p.Column != 4 {
		t.Errorf("line past the end = %d:%d", p.Line, p.Column)
	}
	line, pos, ok := bracketPosition("Syntax error: SYN0002: A recognition error occurred. [line:position=1:9]. Query: 'PerfTest take 5'")
	if !ok || line != 1 || pos != 9 {
		t.Errorf("bracketPosition = %d %d %v", line, pos, ok)
	}
	if _, _, ok := bracketPosition("no position"); ok {
		t.Error("found a position in none")
	}
}

func TestRedact(t *testing.T) {
	got := redact(`secret=abc123xyz; Authorization: Bearer eyJ0eXAi.payload.sig, "bearer tok2" end`, []string{"abc123xyz", "ab"})
	want := `secret=[REDACTED]; Authorization: Bearer [REDACTED], "bearer [REDACTED]" end`
	if got != want {
		t.Errorf("redact = %s\nwant      %s", got, want)
	}
}

func TestColumnType(t *testing.T) {
	cases := map[string]types.Type{
		"DateTime": types.Datetime, "String": types.String, "Int64": types.Long, "Int32": types.Int,
		"Boolean": types.Bool, "SByte": types.Bool, "Double": types.Real, "Object": types.Dynamic,
		"Guid": types.Guid, "TimeSpan": types.Timespan, "System.Decimal": types.Decimal,
		"long": types.Long, "uniqueid": types.Guid, "date": types.Datetime, "mystery": types.Dynamic,
	}
	for name, want := range cases {
		if got := columnType(name); got != want {
			t.Errorf("columnType(%s) = %s, want %s", name, got, want)
		}
	}
}

func TestCells(t *testing.T) {
	cases := []struct {
		t    types.Type
		raw  string
		want string // value.String(), or "ERR"
	}{
		{types.Long, `9007199254740993`, "9007199254740993"},
		{types.Long, `1e3`, "1000"},
		{types.Long, `"42"`, "42"},
		{types.Long, `1.5`, "ERR"},
		{types.Bool, `1`, "true"},
		{types.Bool, `"False"`, "false"},
		{types.Real, `"NaN"`, "NaN"},
		{types.Real, `"-Infinity"`, "-Infinity"},
		{types.Decimal, `"0.10101"`, "0.10101"},
		{types.Datetime, `"2015-12-31T23:59:59.9Z"`, "2015-12-31T23:59:59.9000000Z"},
		{types.Datetime, `"yesterday"`, "ERR"},
		{types.Timespan, `"1.02:03:04.5"`, "1.02:03:04.5000000"},
		{types.Dynamic, `"{\"a\":123,\"c\":[1,2,3]}"`, `{"a":123,"c":[1,2,3]}`},
		{types.Dynamic, `{"b":1,"a":2}`, `{"b":1,"a":2}`},
		{types.Dynamic, `"plain text"`, "plain text"},
		{types.Guid, `"6F9619FF-8B86-D011-B42D-00C04FC964FF"`, "6f9619ff-8b86-d011-b42d-00c04fc964ff"},
		{types.String, `17`, "17"},
	}
	for _, c := range cases {
		col := value.NewColumn(c.t, 1)
		err := appendCell(col, json.RawMessage(c.raw))
		got := "ERR"
		if err == nil {
			got = col.Value(0).String()
		}
		if got != c.want {
			t.Errorf("%s %s = %s (%v), want %s", c.t, c.raw, got, err, c.want)
		}
	}
	col := value.NewColumn(types.Long, 1)
	if appendCell(col, json.RawMessage(`null`)); !col.IsNull(0) {
		t.Error("null did not append a null")
	}
}

func TestConversionFailureReported(t *testing.T) {
	b := newTableBuilder(&types.Schema{Columns: []types.Column{{Name: "N", Type: types.Long}}}, 2)
	b.appendJSON(0, json.RawMessage(`"x"`))
	b.appendJSON(0, json.RawMessage(`"y"`))
	batch, errs := b.finish(2)
	if batch.N != 2 || !batch.Cols[0].IsNull(0) || len(errs) != 1 || !strings.Contains(errs[0].Message, `column N: "x" is not an integer`) {
		t.Errorf("batch %+v errs %+v", batch, errs)
	}
}

func TestRetryTransportReplaysBody(t *testing.T) {
	var n atomic.Int32
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 64)
		k, _ := r.Body.Read(buf)
		bodies = append(bodies, string(buf[:k]))
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := &http.Client{Transport: newRetryTransport(nil, RetryOptions{MaxRetries: 3, BaseDelay: time.Millisecond})}
	var stats callStats
	req, _ := http.NewRequestWithContext(withStats(t.Context(), &stats), http.MethodPost, srv.URL, strings.NewReader(`{"q":1}`))
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	if strings.Join(bodies, "|") != `{"q":1}|{"q":1}|{"q":1}` || stats.tries() != 3 {
		t.Errorf("bodies %q, tries %d", bodies, stats.tries())
	}
}

func TestBackoff(t *testing.T) {
	o := RetryOptions{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	for n, lo := range map[int]time.Duration{1: 80, 2: 160, 3: 320} {
		d := o.backoff(n)
		if d < lo*time.Millisecond || d > lo*time.Millisecond*3/2 {
			t.Errorf("backoff(%d) = %s", n, d)
		}
	}
	if d := o.backoff(30); d != time.Second {
		t.Errorf("backoff(30) = %s, want the cap", d)
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}
	if d := parseRetryAfter(h, now); d != 90*time.Second {
		t.Errorf("Retry-After date = %s", d)
	}
}
