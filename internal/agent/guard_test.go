package agent

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

var guardNow = time.Date(2024, 11, 14, 16, 0, 0, 0, time.UTC)

func TestGuardRefuses(t *testing.T) {
	g := NewGuard(GuardConfig{})
	tests := []struct {
		name, query, code string
		msg               []string // substrings of the message
	}{
		{"empty", "  ", "EmptyQuery", nil},
		{"syntax", "DeviceProcessEvents | where", "SyntaxError", []string{"query:1:28: SyntaxError: expected expression", "  DeviceProcessEvents | where\n                             ^"}},
		{"unbounded", "DeviceProcessEvents | take 5", "UnboundedTime", []string{"add | where Timestamp > ago(1d)", "^^^^^^^^^^^^^^^^^^^"}},
		{"unbounded join side", "DeviceProcessEvents | where Timestamp > ago(1d) | join (DeviceNetworkEvents) on DeviceId", "UnboundedTime", []string{"no time filter on DeviceNetworkEvents"}},
		{"too far back", "SigninLogs | where TimeGenerated > ago(90d)", "LookbackTooLong", []string{"reaches back 90d; the limit is 30d"}},
		{"absolute too far", "DeviceEvents | where Timestamp > datetime(2024-01-01)", "LookbackTooLong", []string{"reaches back 318.7d"}},
		{"unknown column", `DeviceProcessEvents | where Timestamp > ago(1d) | where Filename == "x"`, "UnknownColumn", []string{`did you mean "FileName"?`}},
		{"unknown table", "DevicProcessEvents | where Timestamp > ago(1d)", "UnknownTable", []string{`did you mean "DeviceProcessEvents"?`}},
		{"externaldata", "externaldata(x:string)[@'https://evil.example/a'] | take 1", "ExternalData", nil},
		{"plugin", "DeviceProcessEvents | where Timestamp > ago(1d) | evaluate http_request('https://x.example')", "Plugin", []string{"plugin http_request reaches outside"}},
		{"cross workspace", "workspace('other').SigninLogs | where TimeGenerated > ago(1d)", "CrossScope", []string{"workspace() reference is not allowed"}},
		{"unknown bound", "let t = toscalar(DeviceEvents | where Timestamp > ago(1d) | summarize min(Timestamp)); DeviceProcessEvents | where Timestamp > t", "TimeBoundUnknown", nil},
		{"too long", "DeviceProcessEvents | where Timestamp > ago(1d) | where FileName == \"" + strings.Repeat("a", 9000) + "\"", "QueryTooLong", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ref := g.Check(tt.query, guardNow)
			if ref == nil {
				t.Fatalf("let through: %q", c.Query)
			}
			if ref.Code != tt.code {
				t.Errorf("code %s, want %s: %s", ref.Code, tt.code, ref.Message)
			}
			for _, m := range tt.msg {
				if !strings.Contains(ref.Message, m) {
					t.Errorf("message lacks %q:\n%s", m, ref.Message)
				}
			}
		})
	}
}

func TestGuardAllows(t *testing.T) {
	g := NewGuard(GuardConfig{FetchRows: 500})
	tests := []struct{ query, want string }{
		{"DeviceProcessEvents | where Timestamp > ago(1d)", "DeviceProcessEvents | where Timestamp > ago(1d)\n| take 500"},
		{"DeviceProcessEvents | where Timestamp > ago(1d) | take 10", "DeviceProcessEvents | where Timestamp > ago(1d) | take 10"},
		{"DeviceProcessEvents | where Timestamp > ago(1d) | take 100000", "DeviceProcessEvents | where Timestamp > ago(1d) | take 100000\n| take 500"},
		{"let start = ago(7d);\nDeviceEvents | where Timestamp between (start .. now()) // recent\n", "let start = ago(7d);\nDeviceEvents | where Timestamp between (start .. now())\n| take 500 // recent\n"},
		{"DeviceEvents | where Timestamp > datetime(2024-11-01) | summarize count() by DeviceName;", "DeviceEvents | where Timestamp > datetime(2024-11-01) | summarize count() by DeviceName\n| take 500;"},
		{"DeviceTvmBrowserExtensionsKB | take 5", "DeviceTvmBrowserExtensionsKB | take 5"},
		{"print x = 1", "print x = 1\n| take 500"},
	}
	for _, tt := range tests {
		c, ref := g.Check(tt.query, guardNow)
		if ref != nil {
			t.Errorf("%q refused: %s", tt.query, ref.Message)
			continue
		}
		if c.Query != tt.want {
			t.Errorf("%q ran as %q, want %q", tt.query, c.Query, tt.want)
		}
		if _, err := parser.Parse(token.NewFile("q", c.Query)); err != nil {
			t.Errorf("capped query does not parse: %v", err)
		}
	}
}

func TestGuardAllowList(t *testing.T) {
	g := NewGuard(GuardConfig{Allow: map[string][]string{
		"SigninLogs":          {"TimeGenerated", "UserPrincipalName", "IPAddress", "ResultType"},
		"DeviceProcessEvents": nil,
	}, AllowCrossScope: true})
	if _, ref := g.Check("SigninLogs | where TimeGenerated > ago(1d) | project UserPrincipalName, IPAddress", guardNow); ref != nil {
		t.Errorf("allowed columns refused: %s", ref.Message)
	}
	for q, code := range map[string]string{
		"SigninLogs | where TimeGenerated > ago(1d) | project UserAgent":               "ColumnNotAllowed",
		"SigninLogs | where TimeGenerated > ago(1d)":                                   "ColumnNotAllowed", // every column would come back
		"DeviceEvents | where Timestamp > ago(1d)":                                     "TableNotAllowed",
		"DeviceProcessEvents | where Timestamp > ago(1d) | project ProcessCommandLine": "",
		"workspace('x').DeviceProcessEvents | where Timestamp > ago(1d)":               "",
	} {
		_, ref := g.Check(q, guardNow)
		got := ""
		if ref != nil {
			got = ref.Code
		}
		if got != code {
			t.Errorf("%s: code %q, want %q", q, got, code)
		}
	}
	res := &result{Table: "SigninLogs", Columns: []string{"UserPrincipalName", "UserAgent", "n"}, Rows: [][]any{{"a", "b", int64(1)}}}
	res.Types = make([]types.Type, 3)
	g.withhold(res)
	if len(res.Columns) != 2 || res.Columns[1] != "n" || len(res.Rows[0]) != 2 {
		t.Errorf("withhold kept %v %v", res.Columns, res.Rows)
	}
}

func TestCaretWindow(t *testing.T) {
	long := "DeviceProcessEvents | where Timestamp > ago(1d) | where " + strings.Repeat("FileName == \"a\" or ", 20) + "Filenme == \"b\""
	_, ref := NewGuard(GuardConfig{}).Check(long, guardNow)
	if ref == nil {
		t.Fatal("let through")
	}
	lines := strings.Split(ref.Message, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "  …") || strings.Index(lines[2], "^") != strings.Index(lines[1], "Filenme")-len("…")+1 {
		t.Errorf("caret not under the column:\n%s", ref.Message)
	}
}
