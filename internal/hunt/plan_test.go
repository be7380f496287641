package hunt

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// testHunts is a small registry shaped like the hunt library's.
var testHunts = []HuntInfo{
	{ID: "rdp-logons", Intents: []string{IntentLogon}, Tables: []string{"DeviceLogonEvents"}, Entities: []string{KindDevice, KindAccount, KindIP}},
	{ID: "failed-then-success", Intents: []string{IntentBruteForce, IntentLogon}, Tables: []string{"DeviceLogonEvents"}, Entities: []string{KindDevice, KindAccount}},
	{ID: "aad-spray", Intents: []string{IntentSignin, IntentBruteForce}, Tables: []string{"SigninLogs"}, Entities: []string{KindAccount, KindIP}},
	{ID: "lsass-access", Intents: []string{IntentCredentialAccess}, Tables: []string{"DeviceEvents", "DeviceProcessEvents"}, Entities: []string{KindDevice}},
	{ID: "new-processes", Intents: []string{IntentTriage, IntentMalwareDownload}, Tables: []string{"DeviceProcessEvents"}, Entities: []string{KindDevice}},
	{ID: "alerts", Intents: []string{IntentTriage}, Tables: []string{"AlertInfo", "AlertEvidence"}},
	{ID: "owner-assign", Intents: []string{IntentCloudPrivilege}, Tables: []string{"AzureActivity"}},
}

func TestChooseHunts(t *testing.T) {
	tests := []struct {
		req    string
		tables []string // workspace tables; nil for unknown
		hunts  []string
		tabs   []string
		notes  []string // substrings expected among the notes
	}{
		{"failed logons then a success on windows-target-1", nil,
			[]string{"failed-then-success", "aad-spray", "rdp-logons"}, []string{"DeviceLogonEvents", "SigninLogs"},
			[]string{"not scoped by device, so workspace-wide: aad-spray"}},
		{"failed logons then a success on windows-target-1", []string{"DeviceLogonEvents"},
			[]string{"failed-then-success", "rdp-logons"}, []string{"DeviceLogonEvents"},
			[]string{"skipping hunt aad-spray: the workspace has no SigninLogs"}},
		{"mimikatz on srv-fs-01", nil, []string{"lsass-access"}, []string{"DeviceEvents", "DeviceProcessEvents"}, nil},
		{"anything suspicious on windows-target-1?", nil, []string{"new-processes", "alerts"},
			[]string{"AlertEvidence", "AlertInfo", "DeviceProcessEvents"},
			[]string{"broad triage pack scoped to the named device", "not scoped by device, so workspace-wide: alerts"}},
		{"new Owner role assignment in Azure", nil, []string{"owner-assign"}, []string{"AzureActivity"}, nil},
	}
	for _, tc := range tests {
		p := Understand(tc.req, Env{Now: pinnedNow, Hunts: testHunts, Tables: tc.tables,
			Devices: []DeviceRef{{Name: "windows-target-1"}, {Name: "srv-fs-01"}}})
		if !reflect.DeepEqual(p.HuntIDs, tc.hunts) || !reflect.DeepEqual(p.Tables, tc.tabs) {
			t.Errorf("%q: hunts %q tables %q, want %q %q", tc.req, p.HuntIDs, p.Tables, tc.hunts, tc.tabs)
		}
		notes := strings.Join(p.Notes, "\n")
		for _, n := range tc.notes {
			if !strings.Contains(notes, n) {
				t.Errorf("%q: notes %q lack %q", tc.req, p.Notes, n)
			}
		}
	}
}

func TestTriageWithoutTriageHunts(t *testing.T) {
	hunts := []HuntInfo{testHunts[0], testHunts[3]}
	p := Understand("check windows-target-1", Env{Now: pinnedNow, Hunts: hunts})
	if !p.Triage || !reflect.DeepEqual(p.HuntIDs, []string{"rdp-logons", "lsass-access"}) {
		t.Errorf("triage over a registry without triage hunts: %+v", p)
	}
}

func TestDefaultTablesWithoutRegistry(t *testing.T) {
	p := Understand("encoded powershell and certutil", Env{Now: pinnedNow, Tables: []string{"DeviceProcessEvents"}})
	if !reflect.DeepEqual(p.Tables, []string{"DeviceProcessEvents"}) || len(p.HuntIDs) != 0 {
		t.Errorf("tables %q hunts %q", p.Tables, p.HuntIDs)
	}
}

func TestExplain(t *testing.T) {
	p := Understand(`I'm worried that windows-target-1 might have been maliciously logged into by HARBOR\jsmith in the last few days`,
		Env{Now: pinnedNow, Devices: []DeviceRef{{Name: "windows-target-1", ID: "d1"}}, Hunts: testHunts})
	want := `Request: I'm worried that windows-target-1 might have been maliciously logged into by HARBOR\jsmith in the last few days
Time:    2024-03-11T15:30:00Z .. 2024-03-14T15:30:00Z (3d, from "in the last few days")
Intents:
  logon                0.63  "logged into"
Entities:
  device   windows-target-1 (id d1, exact)
  account  HARBOR\jsmith (not checked)
Tables:  DeviceLogonEvents
Hunts:   rdp-logons, failed-then-success
`
	if got := p.Explain(); got != want {
		t.Errorf("Explain:\n%s\nwant:\n%s", got, want)
	}
}

// TestPlanJSON pins the plan's JSON shape and its determinism.
func TestPlanJSON(t *testing.T) {
	env := Env{Now: pinnedNow, Hunts: testHunts}
	a, _ := json.Marshal(Understand("beacon from 203.0.113.7 to evil[.]com since Monday", env))
	b, _ := json.Marshal(Understand("beacon from 203.0.113.7 to evil[.]com since Monday", env))
	if string(a) != string(b) {
		t.Fatal("Understand is not deterministic")
	}
	var m map[string]any
	if err := json.Unmarshal(a, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"request", "now", "start", "end", "time_text", "intents", "entities", "tables", "hunt_ids", "triage"} {
		if _, ok := m[k]; !ok {
			t.Errorf("plan JSON lacks %q: %s", k, a)
		}
	}
	if got := m["start"]; got != "2024-03-11T00:00:00Z" {
		t.Errorf("start %v", got)
	}
}

func TestNegationAndTypos(t *testing.T) {
	tests := []struct {
		req      string
		want     []string
		unwanted []string
	}{
		{"not ransomware, just check logons on srv-fs-01", []string{IntentLogon}, []string{IntentRansomware}},
		{"I don't think it's lateral movement, but was mimikatz run?", []string{IntentCredentialAccess}, []string{IntentLateralMovement}},
		{"not sure whether this is lateral movement", []string{IntentLateralMovement}, nil},
		{"can't rule out ransomware", []string{IntentRansomware}, nil},
		{"excluding powershell, any persistance via scheduled taks?", []string{IntentPersistence}, []string{IntentPowerShell}},
		{"credentails dumped with mimikats", []string{IntentCredentialAccess}, nil},
		{"suspicous powershel", []string{IntentPowerShell}, nil},
		{"Nothing to do with Azure - check local logons", []string{IntentLogon}, []string{IntentSignin}},
	}
	for _, tc := range tests {
		got := intentIDs(Understand(tc.req, Env{Now: pinnedNow}).Intents)
		for _, w := range tc.want {
			if !contains(got, w) {
				t.Errorf("%q: intents %q lack %s", tc.req, got, w)
			}
		}
		for _, u := range tc.unwanted {
			if contains(got, u) {
				t.Errorf("%q: intents %q include %s", tc.req, got, u)
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
