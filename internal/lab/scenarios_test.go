package lab

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// attackDir is the shared ATT&CK extract, relative to the package.
const attackDir = "../../../shared/data/attack/"

var techniqueID = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)

// tacticNames are ATT&CK's enterprise tactics, by name.
var tacticNames = []string{"Reconnaissance", "Resource Development", "Initial Access", "Execution", "Persistence",
	"Privilege Escalation", "Defense Evasion", "Credential Access", "Discovery", "Lateral Movement", "Collection",
	"Command and Control", "Exfiltration", "Impact"}

func TestScenarioCoverage(t *testing.T) {
	_, gt := generated(t)
	if len(gt.Scenarios) < 14 {
		t.Errorf("%d scenarios, want at least 14", len(gt.Scenarios))
	}
	tactics := map[string]bool{}
	ids := map[string]bool{}
	for _, sc := range gt.Scenarios {
		if ids[sc.ID] || sc.ID == "" || sc.Title == "" {
			t.Errorf("scenario %q (%q) is unnamed or repeated", sc.ID, sc.Title)
		}
		ids[sc.ID] = true
		if len(sc.Tactics) == 0 || len(sc.Techniques) == 0 {
			t.Errorf("%s: no tactics or techniques", sc.ID)
		}
		for _, ta := range sc.Tactics {
			if !slices.Contains(tacticNames, ta) {
				t.Errorf("%s: %q is not an ATT&CK tactic", sc.ID, ta)
			}
			tactics[ta] = true
		}
		for _, te := range sc.Techniques {
			if !techniqueID.MatchString(te) {
				t.Errorf("%s: %q is not a technique id", sc.ID, te)
			}
		}
	}
	if len(tactics) < 9 {
		t.Errorf("%d distinct tactics, want at least 9", len(tactics))
	}
}

type attackTechnique struct {
	ID      string   `json:"id"`
	Tactics []string `json:"tactics"`
}

type attackTactic struct {
	Shortname string `json:"shortname"`
	Name      string `json:"name"`
}

// readAttack reads the shared ATT&CK extract, skipping when it is absent.
func readAttack(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(attackDir + name)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s%s not present; technique ids checked by form only", attackDir, name)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestTechniquesExist checks every technique id against ATT&CK and that
// each lies under one of its scenario's tactics, and each tactic has one.
func TestTechniquesExist(t *testing.T) {
	var techs []attackTechnique
	var tacs []attackTactic
	readAttack(t, "techniques.json", &techs)
	readAttack(t, "tactics.json", &tacs)
	short := map[string]string{}
	for _, ta := range tacs {
		short[ta.Name] = ta.Shortname
	}
	byID := map[string]attackTechnique{}
	for _, te := range techs {
		byID[te.ID] = te
	}
	for _, d := range scenarioDefs {
		covered := map[string]bool{}
		for _, id := range d.techniques {
			te, ok := byID[id]
			if !ok {
				t.Errorf("%s: technique %s is not in ATT&CK", d.id, id)
				continue
			}
			fits := false
			for _, ta := range d.tactics {
				if slices.Contains(te.Tactics, short[ta]) {
					fits, covered[ta] = true, true
				}
			}
			if !fits {
				t.Errorf("%s: %s (%v) is under none of %v", d.id, id, te.Tactics, d.tactics)
			}
		}
		for _, ta := range d.tactics {
			if !covered[ta] {
				t.Errorf("%s: no technique under tactic %s", d.id, ta)
			}
		}
	}
}

// TestIndicatorsOnlyInScenarioRows checks that no benign row mentions any
// scenario's indicators, and that each indicator shows in its rows.
func TestIndicatorsOnlyInScenarioRows(t *testing.T) {
	w, gt := generated(t)
	malicious := map[RowRef]bool{}
	var iocs []string
	for _, sc := range gt.Scenarios {
		for _, r := range sc.Rows {
			malicious[r] = true
		}
		e := sc.Entities
		for _, list := range [][]string{e.IPs, e.Domains, e.Hashes, e.Files} {
			for _, x := range list {
				iocs = append(iocs, strings.ToLower(x))
			}
		}
		if len(e.IPs)+len(e.Domains)+len(e.Hashes)+len(e.Files)+len(e.Devices) == 0 {
			t.Errorf("%s: no entities", sc.ID)
		}
	}
	benign, bad := map[string]bool{}, map[string]bool{}
	for _, name := range Tables() {
		b := w.tables[name]
		ids := b.Col(IDColumn(name))
		for i := range b.N {
			into := benign
			if malicious[RowRef{name, IDColumn(name), ids.Value(i).String()}] {
				into = bad
			}
			for _, c := range b.Cols {
				if c.Type != types.String && c.Type != types.Dynamic {
					continue
				}
				if s := cellText(c.Value(i)); s != "" && !isGUID(s) {
					into[strings.ToLower(s)] = true
				}
			}
		}
	}
	for _, ioc := range iocs {
		for s := range benign {
			if strings.Contains(s, ioc) {
				t.Errorf("indicator %q appears in benign data: %.200q", ioc, s)
				break
			}
		}
		found := false
		for s := range bad {
			if strings.Contains(s, ioc) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("indicator %q appears in no scenario row", ioc)
		}
	}
}

// isGUID reports whether s is a canonical GUID, which holds no indicator.
func isGUID(s string) bool {
	return len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-'
}

func cellText(v value.Value) string {
	if v.IsNull() {
		return ""
	}
	return v.String()
}

// TestBenignVariety checks the background has what an analyst expects.
func TestBenignVariety(t *testing.T) {
	w, _ := generated(t)
	values := func(table, col string) map[string]int {
		b := w.tables[table]
		c := b.Col(col)
		out := map[string]int{}
		for i := range b.N {
			out[c.Value(i).String()]++
		}
		return out
	}
	logonTypes := values("DeviceLogonEvents", "LogonType")
	for _, lt := range []string{"Interactive", "RemoteInteractive", "Network", "Batch", "Service", "Unlock", "CachedInteractive"} {
		if logonTypes[lt] == 0 {
			t.Errorf("no %s logons", lt)
		}
	}
	if values("DeviceLogonEvents", "ActionType")["LogonFailed"] == 0 {
		t.Error("no failed logons")
	}
	results := values("SigninLogs", "ResultType")
	for _, rt := range []string{"0", "50126", "50140"} {
		if results[rt] == 0 {
			t.Errorf("no sign-ins with ResultType %s", rt)
		}
	}
	parents := values("DeviceProcessEvents", "InitiatingProcessFileName")
	for _, p := range []string{"explorer.exe", "services.exe", "svchost.exe", "cron", "sshd", "bash", "CcmExec.exe"} {
		if parents[p] == 0 {
			t.Errorf("no processes started by %s", p)
		}
	}
	if values("DeviceInfo", "DeviceName")["windows-target-1"] == 0 {
		t.Error("windows-target-1 never reports DeviceInfo")
	}
}
