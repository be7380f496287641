package hunt

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// fixture builds hunt rows from a header ("Name:type, …" with types s, l,
// r, t for string, long, real, datetime) and rows of Go values.
func fixture(t *testing.T, analyser, settings, header string, rows ...[]any) *huntRows {
	t.Helper()
	h := &Hunt{ID: "fixture-" + analyser, Title: "Fixture", Description: "d", Kind: KindHunt, Tables: []string{"DeviceLogonEvents"},
		Techniques: []string{"T1110.001"}, Severity: finding.Medium, Confidence: 60, Analyser: analyser, Settings: map[string]string{}}
	for _, kv := range strings.Fields(settings) {
		k, v, _ := strings.Cut(kv, "=")
		h.Settings[k] = v
	}
	s := &types.Schema{}
	kinds := map[string]types.Type{"s": types.String, "l": types.Long, "r": types.Real, "t": types.Datetime}
	for _, c := range strings.Split(header, ",") {
		name, kind, _ := strings.Cut(strings.TrimSpace(c), ":")
		s.Columns = append(s.Columns, types.Column{Name: name, Type: kinds[kind]})
	}
	b := engine.NewBatch(s, len(rows))
	for _, row := range rows {
		for i, v := range row {
			switch x := v.(type) {
			case string:
				b.Cols[i].Append(value.OfString(x))
			case int:
				b.Cols[i].Append(value.OfLong(int64(x)))
			case float64:
				b.Cols[i].Append(value.OfReal(x))
			case time.Time:
				b.Cols[i].Append(value.OfDatetime(value.DatetimeOf(x)))
			default:
				t.Fatalf("fixture value %T", v)
			}
		}
		b.N++
	}
	return newHuntRows(h, "fixture query", b)
}

var t0 = time.Date(2024, 11, 11, 6, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

const logonCols = "Timestamp:t, DeviceName:s, ActionType:s, LogonType:s, AccountDomain:s, AccountName:s, RemoteIP:s, ReportId:l"

func TestBruteForce(t *testing.T) {
	var rows [][]any
	for i := range 12 {
		rows = append(rows, []any{at(time.Duration(i) * 20 * time.Second), "web-01", "LogonFailed", "Network", "web-01", fmt.Sprint("user", i%4), "203.0.113.5", i})
	}
	for i := range 3 { // a few guesses from elsewhere: noise
		rows = append(rows, []any{at(time.Duration(i) * time.Minute), "web-01", "LogonFailed", "Network", "web-01", "root", "192.0.2.7", 100 + i})
	}
	attempt := fixture(t, "bruteforce", "min_failures=10", logonCols, rows...)
	ds := analyseBruteForce(&analysis{}, attempt)
	if len(ds) != 1 || ds[0].severity != finding.Medium || ds[0].confidence > 55 {
		t.Fatalf("attempt: got %+v", ds)
	}
	rows = append(rows, []any{at(5 * time.Minute), "web-01", "LogonSuccess", "Network", "web-01", "deploy", "203.0.113.5", 200})
	ds = analyseBruteForce(&analysis{}, fixture(t, "bruteforce", "min_failures=10", logonCols, rows...))
	if len(ds) != 1 {
		t.Fatalf("got %d drafts", len(ds))
	}
	d := ds[0]
	if d.severity != finding.High || d.account != `web-01\deploy` || d.confidence < 70 || !strings.Contains(d.title, "succeeded") {
		t.Errorf("brute force that worked: %q severity %s confidence %d account %q", d.title, d.severity, d.confidence, d.account)
	}
	if n := d.rowCount(); n != 13 {
		t.Errorf("evidence has %d rows, want 12 failures and the success", n)
	}
}

const signinCols = "TimeGenerated:t, UserPrincipalName:s, IPAddress:s, ResultType:s, Latitude:r, Longitude:r, City:s, IPUsers:l, RiskLevelDuringSignIn:s, Id:s"

func TestSpray(t *testing.T) {
	var rows [][]any
	for i := range 14 {
		res := "50126"
		if i == 7 {
			res = "50076"
		}
		rows = append(rows, []any{at(time.Duration(i) * 90 * time.Second), fmt.Sprintf("u%d@example.org", i), "203.0.113.77", res, 52.4, 4.9, "Amsterdam", 1, "none", fmt.Sprint(i)})
	}
	// An office NAT: many users, a few typos, mostly successes.
	for i := range 30 {
		res := "0"
		if i%10 == 0 {
			res = "50126"
		}
		rows = append(rows, []any{at(time.Duration(i) * time.Minute), fmt.Sprintf("o%d@example.org", i%12), "192.0.2.10", res, 42.4, -71.1, "Boston", 12, "none", fmt.Sprint(100 + i)})
	}
	ds := analyseSpray(&analysis{}, fixture(t, "spray", "min_accounts=10", signinCols, rows...))
	if len(ds) != 1 || !strings.Contains(ds[0].title, "203.0.113.77") {
		t.Fatalf("got %d drafts: %v", len(ds), ds)
	}
	if !strings.Contains(strings.Join(ds[0].reasons, ";"), "u7@example.org") {
		t.Errorf("the account whose password was right is not called out: %v", ds[0].reasons)
	}
}

func TestTravel(t *testing.T) {
	boston := []any{at(0), "ann@example.org", "192.0.2.10", "0", 42.36, -71.06, "Boston", 20, "none", "1"}
	singapore := []any{at(38 * time.Minute), "ann@example.org", "198.51.100.150", "0", 1.35, 103.82, "Singapore", 1, "medium", "2"}
	ds := analyseTravel(&analysis{}, fixture(t, "travel", "", signinCols, boston, singapore))
	if len(ds) != 1 || ds[0].confidence < 70 {
		t.Fatalf("Boston then Singapore 38 minutes later: %v", ds)
	}
	// Home, then the VPN egress 600 km away minutes later: a shared
	// address, not a journey.
	home := []any{at(0), "bob@example.org", "192.0.2.101", "0", 42.37, -71.11, "Cambridge", 1, "none", "3"}
	vpn := []any{at(10 * time.Minute), "bob@example.org", "192.0.2.20", "0", 39.04, -77.49, "Ashburn", 15, "none", "4"}
	// Chicago, then home in the evening: a flight.
	chicago := []any{at(3 * time.Hour), "bob@example.org", "192.0.2.61", "0", 41.88, -87.63, "Chicago", 2, "none", "5"}
	homeAgain := []any{at(5 * time.Hour), "bob@example.org", "192.0.2.101", "0", 42.37, -71.11, "Cambridge", 1, "none", "6"}
	if ds := analyseTravel(&analysis{}, fixture(t, "travel", "", signinCols, home, vpn, chicago, homeAgain)); len(ds) != 0 {
		t.Errorf("VPN hop and a flight flagged: %s", ds[0].title)
	}
}

const connCols = "Timestamp:t, DeviceName:s, RemoteIP:s, RemotePort:l, RemoteUrl:s, InitiatingProcessFileName:s, InitiatingProcessFolderPath:s, Devices:l, ReportId:l"

func TestBeacon(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var rows [][]any
	tm := at(0)
	for i := range 40 {
		rows = append(rows, []any{tm, "wks-1", "198.51.100.77", 443, "c2.example", "svcupd.exe", `c:\users\public\svcupd.exe`, 1, i})
		tm = tm.Add(time.Duration(float64(300*time.Second) * (1 + 0.05*(r.Float64()-0.5))))
	}
	tm = at(0)
	for i := range 40 { // a browser: exponential gaps
		rows = append(rows, []any{tm, "wks-2", "142.250.72.196", 443, "www.google.com", "chrome.exe", `c:\program files\google\chrome.exe`, 2, 100 + i})
		tm = tm.Add(time.Duration(r.ExpFloat64() * float64(5*time.Minute)))
	}
	ds := analyseBeacon(&analysis{fleet: 30}, fixture(t, "beacon", "min_connections=12 max_cv=0.3", connCols, rows...))
	if len(ds) != 1 || ds[0].device != "wks-1" || ds[0].confidence < 80 || ds[0].rarity != 1 {
		t.Fatalf("got %d drafts: %+v", len(ds), ds)
	}
}

const flowCols = "TimeGenerated:t, SrcIP:s, DestIP:s, VM:s, FlowType_s:s, OutboundBytes:r, _ItemId:s"

func TestVolume(t *testing.T) {
	var rows [][]any
	for day := range 5 { // a nightly backup to storage
		rows = append(rows, []any{at(time.Duration(day) * 24 * time.Hour), "10.0.0.6", "20.60.153.33", "sql-01", "AzurePublic", 4e9, fmt.Sprint("b", day)})
	}
	for h := range 3 { // one afternoon to an unknown address
		rows = append(rows, []any{at(50*time.Hour + time.Duration(h)*time.Hour), "10.0.0.6", "203.0.113.200", "sql-01", "ExternalPublic", 1.2e9, fmt.Sprint("x", h)})
	}
	ds := analyseVolume(&analysis{}, fixture(t, "volume", "min_mb=500 routine_days=3", flowCols, rows...))
	if len(ds) != 1 || !strings.Contains(ds[0].title, "203.0.113.200") || ds[0].severity != finding.High {
		t.Fatalf("got %d drafts: %v", len(ds), ds)
	}
}

const procCols = "Timestamp:t, DeviceName:s, AccountDomain:s, AccountName:s, FileName:s, ProcessCommandLine:s, Key:s, Technique:s, Weight:l, ReportId:l"

func TestBurst(t *testing.T) {
	cmds := []struct{ key, tech string }{{"whoami", "T1033"}, {"net group", "T1069.002"}, {"net user", "T1087.002"},
		{"nltest dc", "T1018"}, {"ipconfig", "T1016"}, {"systeminfo", "T1082"}}
	var rows [][]any
	for i, c := range cmds {
		rows = append(rows, []any{at(time.Duration(i) * 30 * time.Second), "wks-1", "corp", "eve", c.key + ".exe", c.key, c.key, c.tech, 1, i})
	}
	// An administrator's two commands an hour apart on another device.
	rows = append(rows, []any{at(0), "jump-1", "corp", "adm", "whoami.exe", "whoami", "whoami", "T1033", 1, 50},
		[]any{at(time.Hour), "jump-1", "corp", "adm", "ipconfig.exe", "ipconfig", "ipconfig", "T1016", 1, 51})
	ds := analyseBurst(&analysis{}, fixture(t, "burst", "window_minutes=10 min_distinct=4", procCols, rows...))
	if len(ds) != 1 || ds[0].device != "wks-1" || ds[0].confidence < 70 {
		t.Fatalf("got %d drafts: %+v", len(ds), ds)
	}
}

const renameCols = "Timestamp:t, DeviceName:s, FileName:s, FolderPath:s, PreviousFileName:s, InitiatingProcessFileName:s, ReportId:l"

func TestMassRename(t *testing.T) {
	var rows [][]any
	for i := range 60 {
		name := fmt.Sprintf("doc%d.xlsx", i)
		rows = append(rows, []any{at(time.Duration(i) * time.Second), "fs-01", name + ".bl4ck", fmt.Sprintf(`D:\Shares\S%d\%s.bl4ck`, i%6, name), name, "lbx.exe", i})
	}
	ds := analyseMassRename(&analysis{}, fixture(t, "mass_rename", "window_minutes=10 min_files=50", renameCols, rows...))
	if len(ds) != 1 || ds[0].severity != finding.Critical || !strings.Contains(ds[0].title, ".bl4ck") {
		t.Fatalf("got %+v", ds)
	}
	if ds := analyseMassRename(&analysis{}, fixture(t, "mass_rename", "window_minutes=10 min_files=50", renameCols, rows[:20]...)); len(ds) != 0 {
		t.Error("20 renames flagged as encryption")
	}
}

const keyCols = "Timestamp:t, DeviceName:s, Key:s, Devices:l, ReportId:l"

func TestFirstSeen(t *testing.T) {
	rows := [][]any{
		{at(0), "srv-1", `corp\adm from jump-1`, 1, 1},
		{at(30 * time.Hour), "srv-1", `corp\adm from jump-1`, 1, 2},
		{at(50 * time.Hour), "srv-1", `corp\adm from wks-7`, 1, 3},
	}
	x := &analysis{start: at(0)}
	ds := analyseFirstSeen(x, fixture(t, "first_seen", "min_quiet_hours=24 max_devices=2", keyCols, rows...))
	if len(ds) != 1 || !strings.Contains(ds[0].title, "wks-7") || ds[0].confidence >= highFloor {
		t.Fatalf("got %+v", ds)
	}
}

func TestRarity(t *testing.T) {
	rows := [][]any{
		{at(0), "wks-1", "winword.exe → cmd.exe", 1, 1},
		{at(0), "wks-2", "explorer.exe → chrome.exe", 25, 2},
	}
	ds := analyseRarity(&analysis{fleet: 30}, fixture(t, "rarity", "max_devices=1", keyCols, rows...))
	if len(ds) != 1 || ds[0].device != "wks-1" || ds[0].rarity != 1 || ds[0].confidence >= highFloor {
		t.Fatalf("got %+v", ds)
	}
}

func TestSignatureBands(t *testing.T) {
	cols := "Timestamp:t, DeviceName:s, Confidence:l, Reason:s, Technique:s, ReportId:l"
	rows := [][]any{
		{at(0), "wks-1", 85, "reg.exe set SvcUpdate = C:\\Users\\Public\\x.exe", "", 1},
		{at(time.Minute), "wks-1", 25, "OneDrive set OneDrive", "", 2},
		{at(time.Minute), "wks-1", 60, "lateral", "T1021.002", 3},
	}
	ds := analyseSignature(&analysis{fleet: 10}, fixture(t, "signature", "", cols, rows...))
	if len(ds) != 3 {
		t.Fatalf("got %d drafts, want one per technique and confidence band", len(ds))
	}
	if ds[0].confidence != 85 || ds[1].confidence != 25 || ds[2].technique != "T1021.002" {
		t.Errorf("drafts: %d %d %s", ds[0].confidence, ds[1].confidence, ds[2].technique)
	}
}
