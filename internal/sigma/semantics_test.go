package sigma

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// row is a table row by column; unset strings are empty, other unset
// columns null. ReportId numbers the row.
type row map[string]any

// tableOf builds a table with the catalog's schema from rows.
func tableOf(t *testing.T, name string, rows []row) *engine.MemTable {
	t.Helper()
	tab, ok := catalog.Default().Table(name)
	if !ok {
		t.Fatalf("no table %s", name)
	}
	s := tab.Schema()
	b := engine.NewBatch(s, len(rows))
	for i, r := range rows {
		for j, c := range s.Columns {
			b.Cols[j].Append(cell(t, c.Type, c.Name, r, i))
		}
	}
	b.N = len(rows)
	return engine.NewMemTable(b)
}

func cell(t *testing.T, typ types.Type, name string, r row, i int) value.Value {
	v, ok := r[name]
	switch {
	case name == "ReportId":
		return value.OfLong(int64(i + 1))
	case name == "Timestamp" || name == "TimeGenerated":
		return value.OfDatetime(value.DatetimeOf(testNow.Add(-time.Hour)))
	case !ok && typ == types.String:
		return value.OfString("")
	case !ok:
		return value.Null(typ)
	}
	switch x := v.(type) {
	case string:
		return value.OfString(x)
	case int:
		if typ == types.Int {
			return value.OfInt(int64(x))
		}
		return value.OfLong(int64(x))
	}
	t.Fatalf("row %d: %s: unsupported %T", i, name, v)
	return value.Value{}
}

// matchedRows runs a rule file's query over rows and returns the ReportIds
// (1-based row numbers) it keeps.
func matchedRows(t *testing.T, r *Rule, rows []row) []int64 {
	t.Helper()
	q, err := Compile(r, Attribution{Title: r.Title, RuleID: r.ID, Author: r.Author, Link: "https://example.org/rule"})
	if err != nil {
		t.Fatal(err)
	}
	mem := engine.NewMemCatalog()
	mem.Add(q.Table, tableOf(t, q.Table, rows))
	res, err := engine.Query(context.Background(), q.KQL, engine.Options{Catalog: mem, Now: testNow})
	if err != nil {
		t.Fatalf("%v\n%s", err, q.KQL)
	}
	out := res.Tables[len(res.Tables)-1]
	id, author := out.Col(idColumnOf(q.Table)), out.Col("SigmaAuthor")
	var got []int64
	for i := 0; i < out.N; i++ {
		if author.Value(i).S != r.Author {
			t.Errorf("row %d: SigmaAuthor %q; want %q", i, author.Value(i).S, r.Author)
		}
		switch v := id.Value(i); {
		case v.Type == types.String:
			n, _ := strconv.ParseInt(v.S, 10, 64)
			got = append(got, n)
		case !v.IsNull():
			got = append(got, v.I)
		}
	}
	return got
}

// idColumnOf is the row id column; string ids hold the row number.
func idColumnOf(table string) string {
	switch table {
	case "SigninLogs", "AuditLogs":
		return "Id"
	case "AzureActivity":
		return "EventDataId"
	}
	return "ReportId"
}

func readTestRule(t *testing.T, name string) *Rule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "rules", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSemantics runs compiled rules over rows and checks which match: the
// case-insensitivity, wildcards, windash, DOMAIN\user, registry and CIDR
// translations behave as Sigma means them.
func TestSemantics(t *testing.T) {
	const office, ps = `C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	inline := func(logsource, detection string) *Rule {
		r, err := testRule(t, logsource, detection)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		name string
		rule *Rule
		rows []row
		want []int64
	}{
		{"office spawning encoded powershell", readTestRule(t, "proc_encoded_shell.yml"), []row{
			{"InitiatingProcessFolderPath": office, "FolderPath": ps, "ProcessCommandLine": "powershell /enc SQBFAFgA", "AccountDomain": "CORP", "AccountName": "bob"},
			{"InitiatingProcessFolderPath": office, "FolderPath": ps, "ProcessCommandLine": "powershell -enc SQBFAFgA", "AccountDomain": "NT AUTHORITY", "AccountName": "SYSTEM"},
			{"InitiatingProcessFolderPath": office, "FolderPath": ps, "ProcessCommandLine": "powershell -encodedcommand SQBFAFgA", "AccountName": "bob"},
			{"InitiatingProcessFolderPath": `C:\Windows\explorer.exe`, "FolderPath": ps, "ProcessCommandLine": "powershell -enc SQBFAFgA", "AccountName": "bob"},
			{"InitiatingProcessFolderPath": `C:\Office\EXCEL.exe`, "FolderPath": `C:\temp\p.exe`, "ProcessVersionInfoOriginalFileName": "powershell.exe", "ProcessCommandLine": "p.exe \u2013enc SQBFAFgA ", "AccountName": "eve"},
		}, []int64{1, 5}},
		{"base64offset finds the text at any alignment", inline("process_creation", `
selection:
    CommandLine|base64offset|contains: 'IEX (New'
condition: selection`), []row{
			{"ProcessCommandLine": "powershell -e " + b64("IEX (New-Object Net.WebClient)")},
			{"ProcessCommandLine": "powershell -e " + b64("x;IEX (New-Object Net.WebClient)")},
			{"ProcessCommandLine": "powershell -e " + b64("xy;IEX (New-Object Net.WebClient)")},
			{"ProcessCommandLine": "powershell IEX (New-Object Net.WebClient)"},
		}, []int64{1, 2, 3}},
		{"has is used only where it equals contains", inline("process_creation", `
selection:
    CommandLine|contains:
        - ' -nop '
        - 'hidden'
condition: selection`), []row{
			{"ProcessCommandLine": "powershell.exe -NOP -w x"},
			{"ProcessCommandLine": "powershell.exe -nopx"},
			{"ProcessCommandLine": "powershell.exe -WindowStyle Hidden"},
			{"ProcessCommandLine": "powershell.exe -w unhiddenx"},
		}, []int64{1, 3, 4}},
		{"inner wildcards and ?", inline("process_creation", `
selection:
    Image: 'C:\Users\\*\AppData\Local\Temp\\?.exe'
condition: selection`), []row{
			{"FolderPath": `c:\users\bob\appdata\local\temp\a.exe`},
			{"FolderPath": `C:\Users\bob\AppData\Local\Temp\ab.exe`},
			{"FolderPath": `D:\Users\bob\AppData\Local\Temp\a.exe`},
		}, []int64{1}},
		{"null and empty filters", inline("process_creation", `
selection:
    Image|endswith: '\rundll32.exe'
filter:
    CommandLine: null
condition: selection and not filter`), []row{
			{"FolderPath": `C:\Windows\System32\rundll32.exe`, "ProcessCommandLine": "rundll32.exe x.dll,Run"},
			{"FolderPath": `C:\Windows\System32\rundll32.exe`},
		}, []int64{1}},
		{"a Run key in a public folder", readTestRule(t, "registry_run_key.yml"), []row{
			{"ActionType": "RegistryValueSet", "RegistryKey": `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, "RegistryValueName": "upd", "RegistryValueData": `C:\Users\Public\upd.exe`},
			{"ActionType": "RegistryKeyCreated", "RegistryKey": `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, "RegistryValueData": `C:\Users\Public\upd.exe`},
			{"ActionType": "RegistryValueSet", "RegistryKey": `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, "RegistryValueName": "ok", "RegistryValueData": `C:\Program Files\ok.exe`},
			{"ActionType": "RegistryValueSet", "RegistryKey": `HKEY_CURRENT_USER\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, "RegistryValueName": "upd", "RegistryValueData": `C:\Users\Public\upd.exe`},
		}, []int64{1}},
		{"registry DWORD data and control sets", inline("registry_set", `
selection:
    TargetObject|endswith: '\CurrentControlSet\Services\WinDefend\Start'
    Details: 'DWORD (0x00000004)'
condition: selection`), []row{
			{"ActionType": "RegistryValueSet", "RegistryKey": `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\WinDefend`, "RegistryValueName": "Start", "RegistryValueData": "4"},
			{"ActionType": "RegistryValueSet", "RegistryKey": `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\WinDefend`, "RegistryValueName": "Start", "RegistryValueData": "4"},
			{"ActionType": "RegistryValueSet", "RegistryKey": `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\WinDefend`, "RegistryValueName": "Start", "RegistryValueData": "2"},
		}, []int64{1, 2}},
		{"CIDR and ports", readTestRule(t, "net_newer_attack.yml"), []row{
			{"InitiatingProcessFolderPath": `C:\Windows\System32\NETSH.EXE`, "RemoteIP": "10.1.2.3", "RemotePort": 445},
			{"InitiatingProcessFolderPath": `C:\Windows\System32\netsh.exe`, "RemoteIP": "8.8.8.8", "RemotePort": 445},
			{"InitiatingProcessFolderPath": `C:\Windows\System32\netsh.exe`, "RemoteIP": "192.168.1.1", "RemotePort": 139},
			{"InitiatingProcessFolderPath": `C:\Windows\System32\netsh.exe`, "RemoteIP": "192.168.1.1", "RemotePort": 445},
		}, []int64{1, 4}},
		{"keywords search every column", inline("azure/activitylogs", `
keywords:
    - 'Microsoft.Authorization/roleAssignments/write'
condition: keywords`), []row{
			{"OperationNameValue": "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", "EventDataId": "1"},
			{"OperationNameValue": "Microsoft.Compute/virtualMachines/write", "EventDataId": "2"},
		}, []int64{1}},
		{"keywords with backslashes", inline("process_creation", `
keywords:
    - '\\evil\share'
condition: keywords`), []row{
			{"ProcessCommandLine": `net use \\EVIL\share`},
			{"ProcessCommandLine": `net use \\good\share`},
		}, []int64{1}},
	}
	for _, tt := range tests {
		got := matchedRows(t, tt.rule, tt.rows)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: rows %v match; want %v", tt.name, got, tt.want)
		}
	}
}
