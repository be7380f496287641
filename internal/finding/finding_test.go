package finding

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

func TestComputeID(t *testing.T) {
	h := hunterFinding(t)
	if !strings.HasPrefix(h.ID, "F-") || len(h.ID) != 18 {
		t.Fatalf("id %q", h.ID)
	}
	same := h
	same.Title, same.Severity, same.RiskScore = "Other words", Low, 3
	same.Producer = Producer{Kind: ProducerAgent}
	same.Entities = append([]Entity{{Type: EntityIP, Value: "198.51.100.1"}}, h.Entities...)
	same.Entities[1].Value = "WS01.contoso.EXAMPLE" // case and order do not matter
	same.Entities[1], same.Entities[2] = same.Entities[2], same.Entities[1]
	same.FirstSeen = t0.Add(time.Hour)
	if got := same.ComputeID(); got != h.ID {
		t.Errorf("same subject, different id: %s vs %s", got, h.ID)
	}
	other := h
	other.Entities = append([]Entity(nil), h.Entities...)
	other.Entities[0].Value = "ws02.contoso.example"
	if other.ComputeID() == h.ID {
		t.Error("another device should change the id")
	}
	other = h
	other.SubTechnique = &AttackRef{ID: "T1003.002"}
	if other.ComputeID() == h.ID {
		t.Error("another sub-technique should change the id")
	}
	noAttack := Finding{Title: "Odd  Beacon", Entities: []Entity{{Type: EntityIP, Value: "203.0.113.9"}}}
	alsoNo := Finding{Title: "odd beacon", Entities: []Entity{{Type: EntityIP, Value: "203.0.113.9"}}}
	if noAttack.ComputeID() != alsoNo.ComputeID() {
		t.Error("title-based ids should fold case and spaces")
	}
}

func TestSetAttack(t *testing.T) {
	c := attack.Default()
	var f Finding
	if err := f.SetAttack(c, "t1059.001", "execution"); err != nil {
		t.Fatal(err)
	}
	want := Finding{Tactic: &AttackRef{"TA0002", "Execution"}, Technique: &AttackRef{"T1059", "Command and Scripting Interpreter"},
		SubTechnique: &AttackRef{"T1059.001", "PowerShell"}}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got %+v %+v %+v", f.Tactic, f.Technique, f.SubTechnique)
	}
	if err := f.SetAttack(c, "T1078", ""); err == nil {
		t.Error("T1078 has several tactics; SetAttack should ask for one")
	}
	if err := f.SetAttack(c, "T1003", "execution"); err == nil {
		t.Error("T1003 is not an execution technique")
	}
	var le *attack.LookupError
	if err := f.SetAttack(c, "T1086", "execution"); !errors.As(err, &le) || le.RevokedBy != "T1059.001" {
		t.Errorf("revoked id: %v", err)
	}
	if f.AttackID() != "T1059.001" {
		t.Error("a failed SetAttack must not change the finding")
	}
}

func TestMerge(t *testing.T) {
	h, a, s := hunterFinding(t), agentFinding(t), sigmaFinding(t)
	other := hunterFinding(t)
	other.Entities[0].Value = "ws02.contoso.example"
	other.ID = other.ComputeID()
	aBefore := agentFinding(t)
	out := Merge([]Finding{h, other, a, s})
	if len(out) != 2 || out[0].ID != h.ID || out[1].ID != other.ID {
		t.Fatalf("merged into %d findings", len(out))
	}
	if !reflect.DeepEqual(a, aBefore) {
		t.Error("Merge modified its input")
	}
	m := out[0]
	if m.Severity != Critical || m.Confidence.Level != LevelHigh || m.Confidence.Score != 90 {
		t.Errorf("severity %s confidence %+v", m.Severity, m.Confidence)
	}
	if want := []string{"command line matches MiniDump of lsass", "agent: process tree resembles known tooling"}; !reflect.DeepEqual(m.Confidence.Reasons, want) {
		t.Errorf("reasons %q", m.Confidence.Reasons)
	}
	if len(m.Evidence) != 1 || len(m.Evidence[0].Rows) != 1 || len(m.Evidence[0].RowIDs) != 1 {
		t.Errorf("identical evidence should merge: %d entries", len(m.Evidence))
	}
	if len(m.Entities) != 4 || len(m.IOCs) != len(h.IOCs) {
		t.Errorf("entities %d, IOCs %d", len(m.Entities), len(m.IOCs))
	}
	if len(m.Timeline) != 2 || !m.Timeline[0].Time.Before(m.Timeline[1].Time) {
		t.Errorf("timeline %+v", m.Timeline)
	}
	if m.Verified || len(m.UnverifiedReasons) != 1 {
		t.Errorf("verified %v reasons %q", m.Verified, m.UnverifiedReasons)
	}
	if m.Producer.Kind != ProducerHunter || len(m.AlsoProducedBy) != 2 {
		t.Errorf("producers %+v + %+v", m.Producer, m.AlsoProducedBy)
	}
	if len(m.Actions) != 1 || len(m.Recommendations) != len(h.Recommendations) {
		t.Errorf("actions %d recommendations %d", len(m.Actions), len(m.Recommendations))
	}
}

func TestMergeEvidenceRows(t *testing.T) {
	a := hunterFinding(t)
	b := hunterFinding(t)
	row := map[string]any{"Timestamp": "2026-03-04T10:20:00Z", "DeviceName": "ws01.contoso.example",
		"ProcessCommandLine": "procdump -ma lsass.exe C:\\Temp\\x.dmp", "ReportId": float64(4712)}
	b.Evidence[0].Rows = []map[string]any{row, b.Evidence[0].Rows[0]}
	b.Evidence[0].RowIDs = []RowID{{"ReportId", "4712"}, {"ReportId", "4711"}}
	b.Evidence[0].Count = 2
	b.Evidence = append([]Evidence{{Table: "DeviceLogonEvents", Query: "DeviceLogonEvents | take 1", Source: "lab",
		Columns: []string{"AccountName"}, Rows: []map[string]any{{"AccountName": "alice"}}, Count: 1}}, b.Evidence...)
	b.Timeline = []Event{
		{Time: t0.Add(5 * time.Minute), Table: "DeviceProcessEvents", Summary: "procdump", Row: &RowRef{1, 0}},
		{Time: t0, Table: "DeviceProcessEvents", Summary: "rundll32 dumps lsass", Entity: "ws01.contoso.example", Row: &RowRef{1, 1}},
	}
	b.IOCs = ExtractIOCs(b.Evidence)
	m := Merge([]Finding{a, b})[0]
	if len(m.Evidence) != 2 || len(m.Evidence[0].Rows) != 2 || m.Evidence[0].Count != 2 || m.Evidence[1].Table != "DeviceLogonEvents" {
		t.Fatalf("evidence %+v", m.Evidence)
	}
	if len(m.Timeline) != 2 {
		t.Fatalf("timeline %+v", m.Timeline)
	}
	if r := m.Timeline[1].Row; r == nil || *r != (RowRef{0, 1}) {
		t.Errorf("procdump event should point at merged row 0/1, got %+v", r)
	}
	for _, x := range m.IOCs {
		if x.Value == `C:\Temp\x.dmp` && (x.FirstSeen.Evidence != 0 || x.FirstSeen.Row != 1) {
			t.Errorf("IOC cell not rewritten: %+v", x.FirstSeen)
		}
	}
	if errs := Validate(m); len(errs) > 0 {
		t.Errorf("merged finding invalid: %v", errs)
	}
}

func codes(errs []error) []string {
	var out []string
	for _, err := range errs {
		var e *Error
		if errors.As(err, &e) {
			out = append(out, e.Code)
		}
	}
	return out
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(f *Finding)
		want   []string
	}{
		{"valid", func(f *Finding) {}, nil},
		{"severity", func(f *Finding) { f.Severity = "urgent" }, []string{"InvalidSeverity"}},
		{"confidence", func(f *Finding) { f.Confidence = Confidence{Level: "sure", Score: 120} }, []string{"InvalidConfidence", "InvalidConfidence"}},
		{"unknown technique", func(f *Finding) { f.SubTechnique = &AttackRef{ID: "T1003.999"} }, []string{"UnknownTechnique"}},
		{"revoked", func(f *Finding) { f.SubTechnique = nil; f.Technique = &AttackRef{ID: "T1086", Name: "PowerShell"} }, []string{"RevokedTechnique"}},
		{"deprecated", func(f *Finding) { f.SubTechnique = nil; f.Technique = &AttackRef{ID: "T1064"} }, []string{"DeprecatedTechnique"}},
		{"tactic mismatch", func(f *Finding) { f.Tactic = &AttackRef{ID: "TA0002", Name: "Execution"} }, []string{"TacticMismatch"}},
		{"unknown tactic", func(f *Finding) { f.Tactic = &AttackRef{ID: "TA0099"} }, []string{"UnknownTactic"}},
		{"tactic by shortname is not an id", func(f *Finding) { f.Tactic = &AttackRef{ID: "credential-access"} }, []string{"UnknownTactic"}},
		{"missing tactic", func(f *Finding) { f.Tactic = nil }, []string{"MissingTactic"}},
		{"parent mismatch", func(f *Finding) { f.Technique = &AttackRef{ID: "T1055", Name: "Process Injection"} }, []string{"ParentMismatch"}},
		{"sub as technique", func(f *Finding) { f.Technique = &AttackRef{ID: "T1003.001"}; f.SubTechnique = nil }, []string{"WrongTechniqueKind"}},
		{"wrong name", func(f *Finding) { f.Technique.Name = "Credential Theft" }, []string{"NameMismatch"}},
		{"hunter without evidence", func(f *Finding) { f.Evidence = nil; f.Timeline = nil; f.IOCs = nil }, []string{"MissingEvidence"}},
		{"evidence without query", func(f *Finding) { f.Evidence[0].Query = " " }, []string{"MissingQuery"}},
		{"count below rows", func(f *Finding) { f.Evidence[0].Count = 0 }, []string{"InvalidCount"}},
		{"dangling row", func(f *Finding) { f.Timeline[0].Row = &RowRef{0, 3} }, []string{"DanglingRow"}},
		{"entity", func(f *Finding) { f.Entities[0].Type = "printer"; f.Entities[1].Role = "victim" }, []string{"InvalidEntity", "InvalidEntity"}},
		{"ioc", func(f *Finding) { f.IOCs = append(f.IOCs, ioc.IOC{Type: "email", Value: "x"}) }, []string{"InvalidIOC"}},
		{"mitigation id", func(f *Finding) { f.Recommendations[1].MitigationID = "M9999" }, []string{"UnknownMitigation"}},
		{"action", func(f *Finding) { f.Actions[0].Action = "format_disk" }, []string{"InvalidAction"}},
		{"times", func(f *Finding) { f.LastSeen = t0.Add(-time.Hour) }, []string{"InvalidTime"}},
		{"sigma attribution", func(f *Finding) { f.Producer = Producer{Kind: ProducerSigma, RuleID: "x"} }, []string{"MissingAttribution"}},
		{"agent without evidence is fine", func(f *Finding) {
			f.Producer = Producer{Kind: ProducerAgent}
			f.Evidence, f.Timeline, f.IOCs = nil, nil, nil
		}, nil},
		{"unverified agent needs reasons", func(f *Finding) { f.Producer = Producer{Kind: ProducerAgent}; f.Verified = false }, []string{"MissingReason"}},
	}
	for _, tc := range cases {
		f := hunterFinding(t)
		tc.mutate(&f)
		if got := codes(Validate(f)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: codes %q, want %q (%v)", tc.name, got, tc.want, Validate(f))
		}
	}
	msg := Validate(Finding{Technique: &AttackRef{ID: "T1086"}})
	if !strings.Contains(errors.Join(msg...).Error(), "technique.id: technique T1086 was revoked by MITRE; use T1059.001") {
		t.Errorf("revoked message: %v", msg)
	}
}

func TestVerifyAgainstEvidence(t *testing.T) {
	f := hunterFinding(t)
	if u := VerifyAgainstEvidence(f); len(u) != 0 {
		t.Fatalf("hunter finding should verify: %v", u)
	}
	f.Entities = append(f.Entities,
		Entity{Type: EntityAccount, Value: "contoso\\ALICE"},                                                    // halves in AccountDomain/AccountName
		Entity{Type: EntityFileHash, Value: "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}, // case
		Entity{Type: EntityIP, Value: "203.0.113.50"},                                                           // not there
		Entity{Type: EntityAccount, Value: "mallory@contoso.example"},                                           // not there
		Entity{Type: EntityRegistryKey, Value: `HKLM\Software\Evil`},                                            // not there
		Entity{Type: EntityFile, Value: "comsvcs.dll"},                                                          // substring
	)
	f.IOCs = append(f.IOCs,
		ioc.IOC{Type: ioc.Domain, Value: "c2.attacker.example"},
		ioc.IOC{Type: ioc.RegistryKey, Value: `HKEY_LOCAL_MACHINE\SOFTWARE\X`},
	)
	f.Evidence[0].Rows[0]["AdditionalFields"] = map[string]any{"Key": `HKLM\Software\x`, "N": []any{float64(1), "beacon to c2[.]attacker[.]example"}}
	got := VerifyAgainstEvidence(f)
	var values []string
	for _, u := range got {
		values = append(values, u.Kind+":"+u.Value)
	}
	want := []string{"entity:203.0.113.50", "entity:mallory@contoso.example", `entity:HKLM\Software\Evil`}
	if !reflect.DeepEqual(values, want) {
		t.Errorf("unverified %q, want %q", values, want)
	}
	marked := f
	marked.MarkUnverified(got)
	if marked.Verified || len(marked.UnverifiedReasons) != 3 || !strings.Contains(marked.UnverifiedReasons[0], "203.0.113.50") {
		t.Errorf("marked: %v %q", marked.Verified, marked.UnverifiedReasons)
	}
	dropped := f
	dropped.DropUnverified(got)
	if !dropped.Verified || len(dropped.Entities) != len(f.Entities)-3 || len(dropped.IOCs) != len(f.IOCs) {
		t.Errorf("dropped: %v, %d entities", dropped.Verified, len(dropped.Entities))
	}
	if u := VerifyAgainstEvidence(dropped); len(u) != 0 {
		t.Errorf("after dropping: %v", u)
	}
	none := Finding{Entities: []Entity{{Type: EntityDevice, Value: "ws01"}}}
	if u := VerifyAgainstEvidence(none); len(u) != 1 {
		t.Errorf("no evidence should verify nothing: %v", u)
	}
}

func TestExtractIOCs(t *testing.T) {
	evs := []Evidence{
		{Columns: []string{"RemoteUrl", "RemoteIP"}, Rows: []map[string]any{
			{"RemoteIP": "203.0.113.7", "RemoteUrl": "evil.zip", "Extra": "x", "Z": nil},
			{"RemoteIP": "203.0.113.7", "RemoteUrl": "EVIL.ZIP"},
		}},
		{Columns: []string{"FileName", "AdditionalFields"}, Rows: []map[string]any{
			{"FileName": "evil.zip", "AdditionalFields": map[string]any{"b": []any{"hxxp://198.51.100.2/x"}, "a": true}},
		}},
	}
	got := ExtractIOCs(evs)
	var lines []string
	for _, x := range got {
		lines = append(lines, x.Value+" "+string(x.Type)+" "+x.FirstSeen.Column+" "+string(rune('0'+x.FirstSeen.Evidence))+string(rune('0'+x.FirstSeen.Row)))
	}
	want := []string{
		"evil.zip domain RemoteUrl 00",
		"203.0.113.7 ipv4 RemoteIP 00",
		"evil.zip file_name FileName 10",
		"http://198.51.100.2/x url AdditionalFields 10",
		"198.51.100.2 ipv4 AdditionalFields 10",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got %q\nwant %q", lines, want)
	}
}
