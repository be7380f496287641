package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff); got:\n%s", path, got)
	}
}

// fixture loads one of the finding package's golden findings.
func fixture(t *testing.T, name string) finding.Finding {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "finding", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f finding.Finding
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

var t0 = time.Date(2026, 3, 4, 10, 15, 0, 0, time.UTC)

// beaconFinding is a hunter finding with network indicators: a
// PowerShell process beaconing to a URL every five minutes.
func beaconFinding(t *testing.T) finding.Finding {
	t.Helper()
	ev := finding.Evidence{
		Table:   "DeviceNetworkEvents",
		Query:   "DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where InitiatingProcessFileName =~ \"powershell.exe\" and RemoteUrl has \"update-check\"",
		Source:  "lab:apt29-day1",
		Columns: []string{"Timestamp", "DeviceName", "InitiatingProcessFileName", "RemoteIP", "RemotePort", "RemoteUrl", "ReportId"},
		Count:   4,
	}
	var timeline []finding.Event
	for i := range 4 {
		at := t0.Add(time.Duration(20+5*i) * time.Minute)
		ev.Rows = append(ev.Rows, map[string]any{
			"Timestamp": at.Format(time.RFC3339), "DeviceName": "ws02.contoso.example",
			"InitiatingProcessFileName": "powershell.exe", "RemoteIP": "198.51.100.23", "RemotePort": float64(443),
			"RemoteUrl": "https://update-check.example/gate.php?id=ws02", "ReportId": float64(9000 + i),
		})
		ev.RowIDs = append(ev.RowIDs, finding.RowID{Column: "ReportId", ID: strconv.Itoa(9000 + i)})
		timeline = append(timeline, finding.Event{Time: at, Table: ev.Table, Summary: "HTTPS request to update-check.example",
			Entity: "ws02.contoso.example", Row: &finding.RowRef{Evidence: 0, Row: i}})
	}
	f := finding.Finding{
		Title:       "Periodic HTTPS beacon to a rare domain",
		Description: "powershell.exe on ws02 contacted https://update-check.example every 5 minutes.",
		Severity:    finding.Medium,
		Confidence: finding.Confidence{Level: finding.LevelMedium, Score: 65, Reasons: []string{
			"4 connections at a 5-minute interval", "domain first seen in the environment today"}},
		Entities: []finding.Entity{
			{Type: finding.EntityDevice, Role: finding.RoleSource, Value: "ws02.contoso.example"},
			{Type: finding.EntityProcess, Role: finding.RoleActor, Value: "powershell.exe"},
			{Type: finding.EntityIP, Role: finding.RoleTarget, Value: "198.51.100.23"},
			{Type: finding.EntityURL, Role: finding.RoleTarget, Value: "https://update-check.example/gate.php?id=ws02"},
		},
		Evidence: []finding.Evidence{ev},
		Timeline: timeline,
		Recommendations: []finding.Recommendation{
			{Kind: finding.KindNextStep, Text: "Look for the same URL on other devices."},
		},
		Actions: []finding.Action{
			{Action: finding.ActionBlockIndicator, Target: "update-check.example", Reason: "C2 domain"},
			{Action: finding.ActionCollectPackage, Target: "ws02.contoso.example", Reason: "preserve evidence"},
		},
		Producer:  finding.Producer{Kind: finding.ProducerHunter, HuntID: "c2-beacon-interval", Title: "Beaconing by interval"},
		Verified:  true,
		FirstSeen: timeline[0].Time,
		LastSeen:  timeline[3].Time,
	}
	return complete(t, f, "T1071.001", 2)
}

// encodedFinding is a low-severity finding on a domain controller with
// no timeline and no proposed actions.
func encodedFinding(t *testing.T) finding.Finding {
	t.Helper()
	f := finding.Finding{
		Title:      "Encoded PowerShell command",
		Severity:   finding.Low,
		Confidence: finding.Confidence{Level: finding.LevelLow, Score: 30, Reasons: []string{"-enc argument"}},
		Entities: []finding.Entity{
			{Type: finding.EntityDevice, Role: finding.RoleTarget, Value: "dc01.contoso.example"},
			{Type: finding.EntityAccount, Role: finding.RoleActor, Value: `CONTOSO\svc-backup`},
		},
		Evidence: []finding.Evidence{{
			Table:   "DeviceProcessEvents",
			Query:   "DeviceProcessEvents | where ProcessCommandLine has \"-enc\"",
			Source:  "lab:apt29-day1",
			Columns: []string{"Timestamp", "DeviceName", "AccountName", "ProcessCommandLine"},
			Rows: []map[string]any{{"Timestamp": "2026-03-04T09:02:00Z", "DeviceName": "dc01.contoso.example",
				"AccountName": "svc-backup", "ProcessCommandLine": "powershell.exe -NoP -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA"}},
			Count: 1,
		}},
		Producer:  finding.Producer{Kind: finding.ProducerHunter, HuntID: "exec-encoded-powershell"},
		Verified:  true,
		FirstSeen: time.Date(2026, 3, 4, 9, 2, 0, 0, time.UTC),
		LastSeen:  time.Date(2026, 3, 4, 9, 2, 0, 0, time.UTC),
	}
	return complete(t, f, "T1059.001", 5)
}

// complete derives a finding's ATT&CK fields, mitigations, IOCs, score
// and id the way producers do, and checks that it validates.
func complete(t *testing.T, f finding.Finding, technique string, tier int) finding.Finding {
	t.Helper()
	if err := f.SetAttack(attack.Default(), technique, ""); err != nil {
		t.Fatal(err)
	}
	f.Recommendations = append(f.Recommendations, finding.MitigationAdvice(attack.Default(), f)...)
	f.IOCs = finding.ExtractIOCs(f.Evidence)
	f.RiskScore = finding.Score(f.Severity, f.Confidence, tier, 0.8)
	f.ID = f.ComputeID()
	if errs := finding.Validate(f); len(errs) > 0 {
		t.Fatalf("fixture %q: %v", f.Title, errs)
	}
	return f
}

// incident is the fixture report: the merged LSASS finding (hunter,
// agent and Sigma), the beacon and the encoded command.
func incident(t *testing.T) Incident {
	t.Helper()
	merged := fixture(t, "merged.json")
	return Incident{
		Title:    "Credential theft on ws01",
		Request:  "did anyone dump credentials on the workstations this week?",
		Asked:    time.Date(2026, 3, 5, 8, 30, 0, 0, time.UTC),
		Start:    time.Date(2026, 2, 26, 0, 0, 0, 0, time.UTC),
		End:      time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC),
		Sources:  []string{"lab:apt29-day1"},
		Findings: []finding.Finding{encodedFinding(t), beaconFinding(t), merged},
		Queries: []QueryRun{
			{HuntID: "cred-lsass-comsvcs", Source: "lab:apt29-day1", KQL: merged.Evidence[0].Query, Rows: 1, Duration: 12 * time.Millisecond},
			{HuntID: "c2-beacon-interval", Source: "lab:apt29-day1", KQL: beaconFinding(t).Evidence[0].Query, Rows: 4, Duration: 340 * time.Millisecond},
			{HuntID: "exec-encoded-powershell", Source: "lab:apt29-day1", KQL: encodedFinding(t).Evidence[0].Query, Rows: 1, Duration: 1500 * time.Millisecond},
			{HuntID: "persist-run-keys", Source: "lab:apt29-day1", KQL: "DeviceRegistryEvents\n| where RegistryKey has @\"CurrentVersion\\Run\"", Duration: 2 * time.Millisecond,
				Err: errors.New("table DeviceRegistryEvents is not in the workspace")},
		},
		Assets: []Asset{
			{Device: "dc01.contoso.example", Role: "domain controller", Criticality: 5},
			{Device: "ws01", Role: "finance workstation", Criticality: 3},
		},
	}
}

var errTest = errors.New("test error")
