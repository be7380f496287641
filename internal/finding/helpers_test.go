package finding

import (
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

var t0 = time.Date(2026, 3, 4, 10, 15, 0, 0, time.UTC)

const lsassQuery = `DeviceProcessEvents
| where Timestamp between (datetime(2026-03-04T00:00:00Z) .. 1d)
| where ProcessCommandLine has_all ("comsvcs", "MiniDump")`

// hunterFinding is a complete finding as the hunter would produce it.
func hunterFinding(t *testing.T) Finding {
	t.Helper()
	f := Finding{
		Title:       "LSASS memory dumped with comsvcs.dll",
		Description: "rundll32 called comsvcs.dll MiniDump on the lsass process.",
		Severity:    High,
		Confidence:  Confidence{Level: LevelHigh, Score: 90, Reasons: []string{"command line matches MiniDump of lsass"}},
		Entities: []Entity{
			{Type: EntityDevice, Role: RoleTarget, Value: "ws01.contoso.example", Props: map[string]string{"device_id": "a1b2"}},
			{Type: EntityAccount, Role: RoleActor, Value: `CONTOSO\alice`},
			{Type: EntityProcess, Role: RoleActor, Value: "rundll32.exe"},
		},
		Evidence: []Evidence{{
			Table:   "DeviceProcessEvents",
			Query:   lsassQuery,
			Source:  "lab:apt29-day1",
			Columns: []string{"Timestamp", "DeviceName", "AccountDomain", "AccountName", "ProcessCommandLine", "SHA256", "ReportId"},
			Rows: []map[string]any{{
				"Timestamp":          "2026-03-04T10:15:00Z",
				"DeviceName":         "ws01.contoso.example",
				"AccountDomain":      "CONTOSO",
				"AccountName":        "alice",
				"ProcessCommandLine": `rundll32.exe C:\Windows\System32\comsvcs.dll, MiniDump 624 C:\Users\Public\l.dmp full`,
				"SHA256":             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
				"ReportId":           float64(4711),
			}},
			RowIDs: []RowID{{Column: "ReportId", ID: "4711"}},
			Count:  1,
		}},
		Timeline: []Event{{Time: t0, Table: "DeviceProcessEvents", Summary: "rundll32 dumps lsass", Entity: "ws01.contoso.example", Row: &RowRef{0, 0}}},
		Recommendations: []Recommendation{
			{Kind: KindNextStep, Text: "Check ws01 for other credential access in the same hour."},
		},
		Actions:   []Action{{Action: ActionIsolateDevice, Target: "ws01.contoso.example", Reason: "credential dumping", Params: map[string]string{"isolation_type": "Selective"}}},
		Producer:  Producer{Kind: ProducerHunter, HuntID: "cred-lsass-comsvcs", Title: "LSASS dump via comsvcs"},
		Verified:  true,
		FirstSeen: t0,
		LastSeen:  t0,
	}
	if err := f.SetAttack(attack.Default(), "T1003.001", ""); err != nil {
		t.Fatal(err)
	}
	f.Recommendations = append(f.Recommendations, MitigationAdvice(attack.Default(), f)...)
	f.IOCs = ExtractIOCs(f.Evidence)
	f.RiskScore = Score(f.Severity, f.Confidence, 3, 0.9)
	f.ID = f.ComputeID()
	return f
}

// agentFinding is the agent's view of the same activity, with one claim
// the evidence does not support.
func agentFinding(t *testing.T) Finding {
	t.Helper()
	f := hunterFinding(t)
	f.Title = "Credential dumping on ws01"
	f.Confidence = Confidence{Level: LevelMedium, Score: 60, Reasons: []string{"agent: process tree resembles known tooling"}}
	f.Severity = Critical
	f.Producer = Producer{Kind: ProducerAgent, Model: "lab-model"}
	f.Entities = append(f.Entities, Entity{Type: EntityIP, Role: RoleSource, Value: "203.0.113.50"})
	f.Timeline = append(f.Timeline, Event{Time: t0.Add(-time.Minute), Summary: "alice logs on", Entity: `CONTOSO\alice`})
	f.Verified = false
	f.UnverifiedReasons = []string{"ip \"203.0.113.50\" not found in the evidence rows"}
	f.ID = f.ComputeID()
	return f
}

// sigmaFinding carries the attribution the Sigma licence requires.
func sigmaFinding(t *testing.T) Finding {
	t.Helper()
	f := hunterFinding(t)
	f.Producer = Producer{Kind: ProducerSigma, RuleID: "646ea171-dded-4578-8a4d-65e9822892e3", Title: "Process Memory Dump Via Comsvcs.DLL",
		Author:  "Florian Roth (Nextron Systems), Modexp, Nasreddine Bencherchali (Nextron Systems), Swachchhanda Shrawan Poudel (Nextron Systems)",
		Link:    "https://github.com/SigmaHQ/sigma/blob/master/rules/windows/process_creation/proc_creation_win_rundll32_process_dump_via_comsvcs.yml",
		License: "DRL-1.1"}
	return f
}
