package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// datasetsDir is shared/data/attack-datasets seen from this package.
var datasetsDir = filepath.Join("..", "..", "..", "shared", "data", "attack-datasets")

// keyEvent is a row an attack must leave in a table: every column named
// in where contains its text (case-insensitively).
type keyEvent struct {
	table string
	where map[string]string
}

// keyEvents lists, per dataset, the events its README labels as the
// attack, as they must appear in the Defender (or Sentinel) tables.
var keyEvents = map[string][]keyEvent{
	"otrf-atomic-psh-lsass-memory-dump-comsvcs": {
		{"DeviceProcessEvents", map[string]string{"ProcessCommandLine": "comsvcs", "FileName": "rundll32.exe"}},
		{"DeviceProcessEvents", map[string]string{"ProcessCommandLine": "MiniDump"}},
		{"DeviceEvents", map[string]string{"ActionType": "OpenProcessApiCall", "FileName": "lsass.exe", "InitiatingProcessFileName": "rundll32.exe"}},
		{"DeviceFileEvents", map[string]string{"ActionType": "FileCreated", "FileName": "lsass-comsvcs.dmp"}},
	},
	"otrf-atomic-empire-persistence-registry-modification-run-keys-elevated-user": {
		{"DeviceRegistryEvents", map[string]string{"ActionType": "RegistryValueSet",
			"RegistryKey": `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, "RegistryValueName": "Updater",
			"RegistryValueData": "powershell", "InitiatingProcessFileName": "powershell.exe"}},
	},
	"otrf-lsass-campaign-01-mimikatz-logonpasswords": {
		{"DeviceProcessEvents", map[string]string{"FileName": "winx64_payload.exe", "FolderPath": `\Downloads\`}},
		{"DeviceEvents", map[string]string{"ActionType": "OpenProcessApiCall", "FileName": "lsass.exe", "InitiatingProcessFileName": "winx64_payload.exe"}},
		{"DeviceProcessEvents", map[string]string{"FileName": "whoami.exe"}},
	},
	"otrf-atomic-cmd-bitsadmin-download-psh-script": {
		{"DeviceProcessEvents", map[string]string{"FileName": "bitsadmin.exe", "ProcessCommandLine": "/transfer"}},
	},
	"otrf-atomic-cmd-mshta-vbscript-execute-psh": {
		{"DeviceProcessEvents", map[string]string{"FileName": "mshta.exe", "ProcessCommandLine": "vbscript:Execute"}},
		{"DeviceProcessEvents", map[string]string{"FileName": "powershell.exe", "InitiatingProcessFileName": "mshta.exe"}},
	},
	"otrf-atomic-cmd-netsh-fw-mod-open-ports": {
		{"DeviceProcessEvents", map[string]string{"FileName": "netsh.exe", "ProcessCommandLine": "firewall add rule"}},
	},
	"otrf-atomic-cmd-psexec-lsa-secrets-dump": {
		{"DeviceProcessEvents", map[string]string{"FileName": "PsExec.exe", "ProcessCommandLine": "-s reg save"}},
		{"DeviceProcessEvents", map[string]string{"FileName": "reg.exe", "ProcessCommandLine": `HKLM\security\policy\secrets`, "InitiatingProcessFileName": "PSEXESVC.exe"}},
	},
	"otrf-log4shell": {
		{"DeviceProcessEvents", map[string]string{"FileName": "powershell.exe", "ProcessCommandLine": "-Enc", "InitiatingProcessFileName": "tomcat9.exe"}},
		{"DeviceNetworkEvents", map[string]string{"ActionType": "InboundConnectionAccepted", "InitiatingProcessFileName": "tomcat9.exe", "LocalPort": "8080"}},
		{"Syslog", map[string]string{"SyslogMessage": "jndi"}},
		{"VMConnection", map[string]string{"ProcessName": "java", "DestinationPort": "1389"}},
	},
	"otrf-golden-saml-adfs-mail-access": {
		{"DeviceEvents", map[string]string{"ActionType": "LdapSearch", "InitiatingProcessFileName": "powershell.exe"}},
		{"IdentityDirectoryEvents", map[string]string{"ActionType": "Directory Services replication"}},
		{"CloudAppEvents", map[string]string{"ActionType": "MailItemsAccessed"}},
		{"DeviceLogonEvents", map[string]string{"ActionType": "LogonSuccess", "DeviceName": "simulandlabs.com"}},
		{"AuditLogs", map[string]string{"OperationName": "Certificates and secrets management"}},
	},
	"sentinel-training-lab": {
		{"SigninLogs", map[string]string{"IPAddress": "175.45.176.99", "UserPrincipalName": "adelev"}},
		{"SigninLogs", map[string]string{"ResultType": "50057"}},
		{"OfficeActivity", map[string]string{"Operation": "New-InboxRule"}},
		{"AzureActivity", map[string]string{"CallerIpAddress": "37.142.150.162", "OperationNameValue": "DELETE"}},
		{"AuditLogs", map[string]string{"OperationName": "Certificates and secrets management"}},
		{"CommonSecurityLog", map[string]string{"DestinationHostName": "avsvmcloud.com"}},
	},
	"msticpy-asc-alert-simulation": {
		{"DeviceProcessEvents", map[string]string{"ProcessCommandLine": "vssadmin  delete shadows", "DeviceName": "msticalertswin1"}},
		{"DeviceProcessEvents", map[string]string{"FileName": "mimikatz.exe"}},
		{"DeviceLogonEvents", map[string]string{"ActionType": "LogonSuccess", "AccountName": "MSTICAdmin"}},
	},
	"sigma-regression-data": {
		{"DeviceProcessEvents", map[string]string{"FileName": "certutil.exe", "ProcessCommandLine": "-urlcache"}},
		{"DeviceRegistryEvents", map[string]string{"ActionType": "RegistryKeyDeleted", "InitiatingProcessFileName": "reg.exe", "RegistryKey": `HKEY_USERS\S-1-5-21-3960063115-309473240-3247002503-500\Software\Microsoft\Windows\CurrentVersion\Explorer\RunMRU`}},
	},
}

// notTelemetry are files in the datasets that describe them.
var notTelemetry = map[string]bool{"index.json": true, "otrf-atomic-index.json": true, "alertRules.json": true}

// teeSink writes to two sinks.
type teeSink struct{ a, b Sink }

func (s teeSink) WriteBatch(t string, b *engine.Batch) error {
	if err := s.a.WriteBatch(t, b); err != nil {
		return err
	}
	return s.b.WriteBatch(t, b)
}

// TestAttackDatasets ingests every recorded attack and checks that nothing
// is rejected and that the attack's key events land in the tables hunts
// query.
func TestAttackDatasets(t *testing.T) {
	entries, err := os.ReadDir(datasetsDir)
	if err != nil {
		t.Skip("attack datasets not available: " + err.Error())
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(datasetsDir, name)
			sink := newMemSink()
			perFile := map[string]*memSink{}
			var total Summary
			var rejects bytes.Buffer
			for _, f := range telemetryFiles(t, dir) {
				fs := newMemSink()
				sum, err := File(context.Background(), f, teeSink{sink, fs}, &rejects, Options{})
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				perFile[f] = fs
				total.Add(sum)
			}
			if total.Records == 0 {
				t.Fatal("no records read")
			}
			if total.Rejects != 0 {
				t.Errorf("%d records rejected:\n%s", total.Rejects, rejects.String())
			}
			t.Logf("%s: %s", name, rowsLine(total))
			events, ok := keyEvents[name]
			if !ok {
				t.Errorf("no key events listed for dataset %s", name)
			}
			for _, k := range events {
				if !sink.has(k) {
					t.Errorf("%s: no row with %v", k.table, k.where)
				}
			}
			if name == "sigma-regression-data" {
				checkSigmaCategories(t, dir, perFile)
			}
		})
	}
}

func telemetryFiles(t *testing.T, dir string) []string {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || notTelemetry[d.Name()] {
			return err
		}
		if n := strings.TrimSuffix(d.Name(), ".gz"); strings.HasSuffix(n, ".json") || strings.HasSuffix(n, ".csv") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func rowsLine(s Summary) string {
	var parts []string
	for _, table := range sortedKeys(s.Rows) {
		parts = append(parts, fmt.Sprintf("%s %d", table, s.Rows[table]))
	}
	return fmt.Sprintf("%d records, %d rejected; %s", s.Records, s.Rejects, strings.Join(parts, ", "))
}

// has reports whether some row of k.table matches every condition.
func (m *memSink) has(k keyEvent) bool {
	b := m.tables[k.table]
	if b == nil {
		return false
	}
rows:
	for r := 0; r < b.N; r++ {
		for col, want := range k.where {
			c := b.Col(col)
			if c == nil || !strings.Contains(strings.ToLower(c.Value(r).String()), strings.ToLower(want)) {
				continue rows
			}
		}
		return true
	}
	return false
}

// checkSigmaCategories checks that each Sigma regression test's events
// reach the Defender table its rule's log source category hunts in.
func checkSigmaCategories(t *testing.T, dir string, perFile map[string]*memSink) {
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index []struct {
		EventFile string `json:"event_file"`
		Logsource struct {
			Category string `json:"category"`
		} `json:"logsource"`
	}
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{
		"process_creation": "DeviceProcessEvents", "registry_set": "DeviceRegistryEvents",
		"registry_event": "DeviceRegistryEvents", "registry_delete": "DeviceRegistryEvents",
		"file_event": "DeviceFileEvents", "image_load": "DeviceImageLoadEvents",
		"process_access": "DeviceEvents", "pipe_created": "DeviceEvents",
	}
	checked := 0
	for _, e := range index {
		table, ok := tables[e.Logsource.Category]
		if !ok {
			continue
		}
		fs := perFile[filepath.Join(dir, filepath.FromSlash(e.EventFile))]
		if fs == nil {
			t.Errorf("%s: not ingested", e.EventFile)
			continue
		}
		if fs.rows(table) == 0 {
			t.Errorf("%s (%s): no %s rows", e.EventFile, e.Logsource.Category, table)
		}
		checked++
	}
	t.Logf("%d Sigma tests reach their Defender table", checked)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
