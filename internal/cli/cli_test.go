package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestCommands runs the real Run with buffers and compares stdout and the
// exit code with golden files (go test ./internal/cli -update rewrites them).
func TestCommands(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		exit  int
	}{
		{"check-example", []string{"kql", "check", "../../examples/failed-then-successful-logon.kql"}, "", ExitOK},
		{"check-bad-syntax", []string{"kql", "check", "testdata/bad-syntax.kql"}, "", ExitFindings},
		{"check-unknown-column", []string{"kql", "check", "testdata/unknown-column.kql"}, "", ExitFindings},
		{"check-unknown-table", []string{"kql", "check", "testdata/unknown-table.kql"}, "", ExitFindings},
		{"check-syntax-only", []string{"kql", "check", "--syntax-only", "testdata/unknown-column.kql", "testdata/unknown-table.kql"}, "", ExitOK},
		{"check-yaml-rule", []string{"kql", "check", "testdata/rule.yaml"}, "", ExitFindings},
		{"check-several-files", []string{"kql", "check", "testdata/unknown-column.kql", "testdata/rule.yaml", "../../examples/failed-then-successful-logon.kql"}, "", ExitFindings},
		{"check-stdin", []string{"kql", "check", "-"}, "SigninLogs | where TimeGenerated > ago(1d) | take 3", ExitOK},
		{"check-missing-file", []string{"kql", "check", "testdata/no-such-file.kql"}, "", ExitUsage},
		{"check-bad-format", []string{"kql", "check", "--format", "xml", "testdata/rule.yaml"}, "", ExitUsage},
		{"fmt-messy", []string{"kql", "fmt", "testdata/messy.kql"}, "", ExitOK},
		{"fmt-bad-syntax", []string{"kql", "fmt", "testdata/bad-syntax.kql"}, "", ExitFindings},
		{"schema-table", []string{"kql", "schema", "DeviceLogonEvents"}, "", ExitOK},
		{"schema-unknown", []string{"kql", "schema", "DeviceLogonEvent"}, "", ExitUsage},
		{"unknown-command", []string{"frobnicate"}, "", ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != tt.exit {
				t.Errorf("exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.exit, stdout.String(), stderr.String())
			}
			golden(t, tt.name, stdout.String()+"--- stderr\n"+stderr.String())
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestCheckJSONAnalysis(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Run([]string{"kql", "check", "--json", "../../examples/failed-then-successful-logon.kql"}, nil, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit = %d, stderr: %s", code, stderr.String())
	}
	var got []checkedQuery
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	if len(got) != 1 || got[0].Analysis == nil {
		t.Fatalf("want one query with an analysis, got %s", stdout.String())
	}
	a := got[0].Analysis
	if len(a.Tables) == 0 {
		t.Fatal("no table reads in the analysis")
	}
	for _, tr := range a.Tables {
		if tr.Table != "DeviceLogonEvents" || !tr.Known || !tr.Bounded || tr.Lookback != "72h0m0s" {
			t.Errorf("table read = %+v, want DeviceLogonEvents bounded to 72h", tr)
		}
	}
	var names []string
	for _, c := range a.Output {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "Timestamp,DeviceName,AccountDomain,AccountName,RemoteIP,LogonType,Failures,FirstFailure" {
		t.Errorf("output columns = %v", names)
	}
}

func TestCheckSARIF(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Run([]string{"kql", "check", "--format", "sarif", "testdata/rule.yaml", "testdata/bad-syntax.kql"}, nil, &stdout, &stderr)
	if code != ExitFindings {
		t.Fatalf("exit = %d, want %d", code, ExitFindings)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("bad SARIF envelope: %s", stdout.String())
	}
	var yamlHit, syntaxHit bool
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		if r.RuleID == "UnknownColumn" && loc.ArtifactLocation.URI == "testdata/rule.yaml" && loc.Region.StartLine == 10 {
			yamlHit = true
		}
		if r.RuleID == codeSyntax && loc.ArtifactLocation.URI == "testdata/bad-syntax.kql" {
			syntaxHit = true
		}
	}
	if !yamlHit || !syntaxHit {
		t.Errorf("want an UnknownColumn at rule.yaml line 10 and a syntax error in bad-syntax.kql:\n%s", stdout.String())
	}
}

func TestActionsAndAuditOnEmptyState(t *testing.T) {
	t.Setenv("VIGIL_HOME", t.TempDir())
	var out, errb bytes.Buffer
	if code := Run([]string{"actions", "list"}, nil, &out, &errb); code != ExitOK {
		t.Fatalf("actions list: exit %d: %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "ID ") {
		t.Errorf("actions list header: %q", out.String())
	}
	out.Reset()
	if code := Run([]string{"actions", "approve", "P-999999"}, nil, &out, &errb); code != ExitUsage {
		t.Errorf("approving an unknown proposal: exit %d, want %d", code, ExitUsage)
	}
	out.Reset()
	if code := Run([]string{"audit", "verify"}, nil, &out, &errb); code != ExitOK || !strings.HasPrefix(out.String(), "ok:") {
		t.Errorf("audit verify: exit %d, out %q", code, out.String())
	}
}

func TestQueryData(t *testing.T) {
	dir := t.TempDir()
	data := `{"Timestamp":"2024-01-01T10:00:00Z","DeviceName":"ws1","ActionType":"LogonFailed"}
{"Timestamp":"2024-01-01T10:01:00Z","DeviceName":"ws1","ActionType":"LogonSuccess"}
not json
`
	if err := os.WriteFile(filepath.Join(dir, "DeviceLogonEvents.jsonl"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run([]string{"query", "--data", dir, "-o", "csv", "DeviceLogonEvents | summarize n = count() by ActionType | sort by ActionType asc"}, nil, &out, &errb)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if got := out.String(); got != "ActionType,n\nLogonFailed,1\nLogonSuccess,1\n" {
		t.Errorf("csv = %q", got)
	}
	if !strings.Contains(errb.String(), "DeviceLogonEvents.jsonl:3:") || !strings.Contains(errb.String(), "1 record(s) rejected") {
		t.Errorf("stderr does not report the bad line with file:line and a count:\n%s", errb.String())
	}
}
