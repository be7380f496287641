package check

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// run parses and checks src against the test catalog.
func run(t *testing.T, src string, conf *Config) (*Info, ErrorList) {
	t.Helper()
	f := token.NewFile("q.kql", src)
	tree, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	if conf == nil {
		conf = testConfig()
	}
	info, err := Check(tree, f, conf)
	if info == nil {
		t.Fatal("Check returned nil Info")
	}
	if err == nil {
		return info, nil
	}
	return info, err.(ErrorList)
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // Pos: Code: Msg of the only error
	}{
		{"unknown table", "DeviceProcessEvent | take 1",
			`q.kql:1:1: UnknownTable: unknown table "DeviceProcessEvent"; did you mean "DeviceProcessEvents"?`},
		{"unknown column", "DeviceProcessEvents | where filename == 'a'",
			`q.kql:1:29: UnknownColumn: unknown column "filename"; did you mean "FileName"?`},
		{"unknown column after project", "DeviceInfo\n| project DeviceId\n| where DeviceName == 'x'",
			`q.kql:3:9: UnknownColumn: unknown column "DeviceName"`},
		{"unknown function", "DeviceInfo | extend n = strln(DeviceName)",
			`q.kql:1:25: UnknownFunction: unknown function "strln"; did you mean "strlen"?`},
		{"wrong arity", "print strlen('a', 'b')",
			`q.kql:1:7: WrongArity: function "strlen" expects 1 argument, got 2`},
		{"user function arity", "let f = (a:string, b:long = 1) { strlen(a) + b };\nprint f()",
			`q.kql:2:7: WrongArity: function "f" expects 1 to 2 arguments, got 0`},
		{"string plus", "print x = 'a' + 1",
			`q.kql:1:11: TypeMismatch: operator + cannot be applied to string and long`},
		{"datetime plus datetime", "DeviceInfo | extend x = Timestamp + Timestamp",
			`q.kql:1:25: TypeMismatch: operator + cannot be applied to datetime and datetime`},
		{"where not bool", "DeviceInfo | where OSBuild",
			`q.kql:1:20: TypeMismatch: where predicate must be bool, got long`},
		{"argument type", "DeviceInfo | extend d = ago(DeviceName)",
			`q.kql:1:29: TypeMismatch: argument 1 of ago() must be timespan, got string`},
		{"scalar as table", "let x = 1;\nx | take 1",
			`q.kql:2:1: NotTabular: "x" is a scalar value, not a table`},
		{"table as scalar", "let T = DeviceInfo | take 1;\nprint v = T",
			`q.kql:2:11: NotScalar: "T" is a table, not a scalar value`},
		{"aggregate outside summarize", "DeviceInfo | extend c = count()",
			`q.kql:1:25: AggregateOutsideSummarize: aggregate function "count" can be used only in summarize, make-series or top-nested`},
		{"duplicate column", "DeviceInfo | project DeviceId, DeviceId",
			`q.kql:1:32: DuplicateColumn: duplicate column "DeviceId" in project`},
		{"bad join kind", "DeviceInfo | join kind=sideways (DeviceInfo) on DeviceId",
			`q.kql:1:19: InvalidArgument: unknown join kind "sideways"`},
		{"join key missing on the right", "DeviceInfo | join (DeviceLogonEvents | project AccountName) on DeviceId",
			`q.kql:1:64: UnknownColumn: unknown column "DeviceId" on the right side of the join`},
		{"project-away unknown", "DeviceInfo | project-away NoSuchColumn",
			`q.kql:1:27: UnknownColumn: unknown column "NoSuchColumn"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := run(t, tt.src, nil)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1:\n%v", len(errs), errs)
			}
			if got := errs[0].Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestNoErrors(t *testing.T) {
	tests := []string{
		// column_ifexists never errors on its name
		"DeviceInfo | extend x = column_ifexists('NotThere', '')",
		// bag_unpack makes the schema open
		"DeviceInfo | evaluate bag_unpack(AdditionalFields) | where SomeKey == 'x'",
		// let names shadow tables and are case-sensitive
		"let DeviceInfo = datatable(a:long)[1]; DeviceInfo | where a > 0",
		// a failed expression does not cascade
		"print x = 1",
		// dynamic operands are never type errors
		"DeviceInfo | extend x = AdditionalFields.a + 1 | where x > 2",
		// Kusto converts string operands of comparisons
		"DeviceInfo | where OSBuild == '19041'",
		// a user function's parameters are in scope in its body
		"let f = (T:(DeviceId:string), n:long) { T | take n }; f(DeviceInfo, 3) | project DeviceName",
		// toscalar of a table is a scalar of its first column's type
		"let m = toscalar(DeviceInfo | summarize max(Timestamp)); DeviceInfo | where Timestamp > m - 1d",
		// mv-apply's sub-query sees the expanded column
		"DeviceInfo | mv-apply u = LoggedOnUsers on (where u.UserName != '' | take 1) | project u",
		// scan steps refer to each other
		"DeviceInfo | scan declare (n:long) with (step s1: OSBuild > 1 => n = 1; step s2: s1.n == 1;)",
	}
	for _, src := range tests {
		if _, errs := run(t, src, nil); len(errs) != 0 {
			t.Errorf("%s:\n%v", src, errs)
		}
	}
}

func TestOpenSchemaAfterUnknownTable(t *testing.T) {
	_, errs := run(t, "UnknownStuff | where Anything == 1 | project Other", nil)
	if len(errs) != 1 || errs[0].Code != UnknownTable {
		t.Fatalf("want only UnknownTable, got %v", errs)
	}
}

func TestErrorCascade(t *testing.T) {
	_, errs := run(t, "DeviceInfo | extend x = Nope + 1 | extend y = x * 2 | where y > 3", nil)
	if len(errs) != 1 || errs[0].Code != UnknownColumn {
		t.Fatalf("want one UnknownColumn, got %v", errs)
	}
}

func TestSoftFuzzyUnion(t *testing.T) {
	_, errs := run(t, "union isfuzzy=true DeviceInfo, NoSuchTable", nil)
	if len(errs) != 1 || !errs[0].Soft || errs[0].Code != UnknownTable {
		t.Fatalf("want one soft UnknownTable, got %v", errs)
	}
}

func TestErrorListZeroValue(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Error("empty ErrorList.Err() != nil")
	}
	l = append(l, &Error{Span: token.Span{Pos: 5}, Code: UnknownColumn, Msg: "b"}, &Error{Span: token.Span{Pos: 2}, Code: UnknownTable, Msg: "a"})
	l.Sort()
	if l[0].Msg != "a" || !strings.Contains(l.Error(), "\n") {
		t.Errorf("sort/format: %v", l)
	}
}

func TestNilQuery(t *testing.T) {
	info, err := Check(nil, nil, nil)
	if info == nil || err != nil {
		t.Fatalf("got %v, %v", info, err)
	}
}

func TestInfoTypes(t *testing.T) {
	src := "DeviceInfo | extend a = Timestamp - ago(1d), b = Timestamp + 1h, c = 1 + 2.5, d = OSBuild / 2, e = AdditionalFields.x, f = 1d * 2"
	info, errs := run(t, src, nil)
	if errs != nil {
		t.Fatal(errs)
	}
	want := "(a:timespan, b:datetime, c:real, d:long, e:dynamic, f:timespan)"
	got := info.Output.Clone()
	got.Columns = got.Columns[len(got.Columns)-6:]
	if got.String() != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestTimeBounds(t *testing.T) {
	d := func(h int) time.Duration { return time.Duration(h) * time.Hour }
	jan1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, src string
		column    string
		bounded   bool
		lookback  time.Duration
		from      *time.Time
	}{
		{"ago", "DeviceProcessEvents | where Timestamp > ago(3d)", "Timestamp", true, d(72), nil},
		{"let duration", "let x = 7d; DeviceProcessEvents | where Timestamp >= ago(x)", "Timestamp", true, d(168), nil},
		{"between", "DeviceProcessEvents | where Timestamp between (ago(7d) .. now())", "Timestamp", true, d(168), nil},
		{"absolute", "DeviceProcessEvents | where Timestamp > datetime(2024-01-01)", "Timestamp", true, 0, &jan1},
		{"startofday", "DeviceProcessEvents | where Timestamp > startofday(ago(1d))", "Timestamp", true, d(48), nil},
		{"let start ago", "let starttime = ago(1d); DeviceProcessEvents | where Timestamp > starttime", "Timestamp", true, d(24), nil},
		{"let start now", "let starttime = now(-1d); DeviceProcessEvents | where Timestamp > starttime", "Timestamp", true, d(24), nil},
		{"conjunction", "DeviceProcessEvents | where FileName == 'a' and Timestamp > ago(1h)", "Timestamp", true, d(1), nil},
		{"flipped", "DeviceProcessEvents | where ago(2h) < Timestamp", "Timestamp", true, d(2), nil},
		{"TimeGenerated", "SigninLogs | where TimeGenerated > ago(1d)", "TimeGenerated", true, d(24), nil},
		{"through extend and project", "DeviceProcessEvents | extend x = 1 | project Timestamp, x | where Timestamp > ago(1d)", "Timestamp", true, d(24), nil},
		{"through rename", "DeviceProcessEvents | project-rename T = Timestamp | where T > ago(1d)", "Timestamp", true, d(24), nil},
		{"through let", "let base = DeviceProcessEvents | extend y = 1; base | where Timestamp > ago(2d)", "Timestamp", true, d(48), nil},
		{"tightest of two", "DeviceProcessEvents | where Timestamp > ago(7d) | where Timestamp > ago(1d)", "Timestamp", true, d(24), nil},
		{"any datetime column", "DeviceInfo | where TimeGenerated > ago(1d)", "TimeGenerated", true, d(24), nil},
		{"none", "DeviceProcessEvents | where FileName == 'a'", "Timestamp", false, 0, nil},
		{"upper bound only", "DeviceProcessEvents | where Timestamp < ago(1d)", "Timestamp", false, 0, nil},
		{"after summarize", "DeviceProcessEvents | summarize max(Timestamp) by DeviceId | where max_Timestamp > ago(1d)", "Timestamp", false, 0, nil},
		{"recomputed column", "DeviceProcessEvents | extend Timestamp = now() | where Timestamp > ago(1d)", "Timestamp", false, 0, nil},
		{"or of bounds", "DeviceProcessEvents | where Timestamp > ago(1d) or Timestamp > ago(2d)", "Timestamp", true, d(48), nil},
		{"or with unbounded", "DeviceProcessEvents | where Timestamp > ago(1d) or FileName == 'x'", "Timestamp", false, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, errs := run(t, tt.src, nil)
			if errs != nil {
				t.Fatal(errs)
			}
			if len(info.Tables) != 1 {
				t.Fatalf("got %d table reads", len(info.Tables))
			}
			tb := info.Tables[0].Time
			if tb.Column != tt.column || tb.Bounded != tt.bounded || tb.Lookback != tt.lookback {
				t.Errorf("got %+v, want column %s bounded %v lookback %v", tb, tt.column, tt.bounded, tt.lookback)
			}
			if (tb.From == nil) != (tt.from == nil) || tb.From != nil && !tb.From.Equal(*tt.from) {
				t.Errorf("From = %v, want %v", tb.From, tt.from)
			}
			hasRisk := false
			for _, r := range info.Risks {
				hasRisk = hasRisk || r.Kind == UnboundedTime
			}
			if hasRisk == tt.bounded {
				t.Errorf("UnboundedTime risk = %v with Bounded = %v", hasRisk, tt.bounded)
			}
		})
	}
}

func TestTimeBoundsUnionAndJoin(t *testing.T) {
	info, errs := run(t, `union (DeviceProcessEvents), (DeviceFileEvents | where Timestamp > ago(1d))
| where Timestamp > ago(2d)
| join kind=inner (DeviceInfo) on DeviceId`, nil)
	if errs != nil {
		t.Fatal(errs)
	}
	got := map[string]TimeBound{}
	for _, tr := range info.Tables {
		got[tr.Table] = tr.Time
	}
	if b := got["DeviceProcessEvents"]; !b.Bounded || b.Lookback != 48*time.Hour {
		t.Errorf("DeviceProcessEvents: %+v", b)
	}
	if b := got["DeviceFileEvents"]; !b.Bounded || b.Lookback != 24*time.Hour {
		t.Errorf("DeviceFileEvents: %+v", b)
	}
	if b := got["DeviceInfo"]; b.Bounded {
		t.Errorf("DeviceInfo (right side of the join) should be unbounded: %+v", b)
	}
}

func TestTableReads(t *testing.T) {
	info, errs := run(t, `let recent = DeviceProcessEvents | where Timestamp > ago(1h);
recent
| where FileName =~ "cmd.exe"
| join kind=leftouter (DeviceInfo | project DeviceId, OSPlatform) on DeviceId
| project Timestamp, DeviceName, ProcessCommandLine, OSPlatform`, nil)
	if errs != nil {
		t.Fatal(errs)
	}
	if len(info.Tables) != 2 {
		t.Fatalf("reads: %+v", info.Tables)
	}
	p, d := info.Tables[0], info.Tables[1]
	if p.Table != "DeviceProcessEvents" || !p.Known || strings.Join(p.Columns, ",") != "DeviceId,DeviceName,FileName,ProcessCommandLine,Timestamp" {
		t.Errorf("first read: %+v", p)
	}
	if d.Table != "DeviceInfo" || strings.Join(d.Columns, ",") != "DeviceId,OSPlatform" {
		t.Errorf("second read: %+v", d)
	}
	if p.Span.Pos != 14 || p.Span.End != 33 {
		t.Errorf("span %+v", p.Span)
	}
}

func TestRisks(t *testing.T) {
	tests := []struct {
		src  string
		kind RiskKind
	}{
		{"externaldata(a:string)['https://example.com/x.csv']", ExternalData},
		{"evaluate http_request('https://example.com')", Plugin},
		{"DeviceInfo | where Timestamp > ago(1d) | evaluate python(typeof(*), 'result = df')", Plugin},
		{"workspace('other').SecurityEvent | where TimeGenerated > ago(1d)", CrossScope},
		{"database('d').DeviceInfo | where Timestamp > ago(1d)", CrossScope},
		{"DeviceInfo | where Timestamp > ago(1d) | take 200000", LargeTake},
		{"DeviceInfo | where Timestamp > ago(1d) | top 500000 by Timestamp", LargeTake},
		{"let n = 1000000; DeviceInfo | where Timestamp > ago(1d) | limit n", LargeTake},
		{"DeviceInfo | take 10", UnboundedTime},
	}
	for _, tt := range tests {
		info, _ := run(t, tt.src, nil)
		found := false
		for _, r := range info.Risks {
			found = found || r.Kind == tt.kind
		}
		if !found {
			t.Errorf("%s: no %s risk in %+v", tt.src, tt.kind, info.Risks)
		}
	}
	safe := []string{
		"DeviceInfo | where Timestamp > ago(1d) | evaluate bag_unpack(AdditionalFields)",
		"DeviceInfo | where Timestamp > ago(1d) | take 100",
		"DeviceInfo | where Timestamp > ago(1d) | summarize count() by DeviceId | evaluate pivot(DeviceId)",
	}
	for _, src := range safe {
		if info, _ := run(t, src, nil); len(info.Risks) != 0 {
			t.Errorf("%s: unexpected risks %+v", src, info.Risks)
		}
	}
	info, _ := run(t, "DeviceInfo | where Timestamp > ago(1d) | take 200", &Config{Tables: testConfig().Tables, MaxTake: 100})
	if len(info.Risks) != 1 || info.Risks[0].Kind != LargeTake {
		t.Errorf("MaxTake 100: %+v", info.Risks)
	}
}

// lookupOnly hides every method of a Tables but LookupTable.
type lookupOnly struct{ Tables }

func TestWildcardUnion(t *testing.T) {
	info, errs := run(t, "union DeviceLogon*, DeviceInfo | where Timestamp > ago(1d) | project DeviceName, LogonType", nil)
	if errs != nil {
		t.Fatal(errs)
	}
	var names []string
	for _, tr := range info.Tables {
		names = append(names, tr.Table)
		if !tr.Known || !tr.Time.Bounded {
			t.Errorf("%+v", tr)
		}
	}
	if strings.Join(names, ",") != "DeviceLogonEvents,DeviceInfo" {
		t.Errorf("reads %v", names)
	}
	// without a way to list tables the wildcard is an open, unknown read
	info, errs = run(t, "union DeviceLogon* | project Anything", &Config{Tables: lookupOnly{testConfig().Tables}})
	if errs != nil || len(info.Tables) != 1 || info.Tables[0].Known {
		t.Errorf("no lister: %v %+v %s", errs, info.Tables, info.Output)
	}
}

func TestInfoSchemasRecorded(t *testing.T) {
	f := token.NewFile("q", "let X = DeviceInfo | project DeviceId; X | where DeviceId != ''")
	tree, err := parser.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(tree, f, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for x, s := range info.Schemas {
		if x == nil || s == nil {
			t.Fatal("nil key or schema")
		}
		n++
	}
	// DeviceInfo, the let pipeline, X, and the final pipeline
	if n != 4 || info.Output.String() != "(DeviceId:string)" {
		t.Errorf("%d schemas, output %s", n, info.Output)
	}
	if len(info.Types) == 0 {
		t.Error("no scalar types recorded")
	}
}
