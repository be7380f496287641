package attack

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCounts(t *testing.T) {
	c := Default()
	var tech, sub, inactive int
	for _, x := range c.Techniques() {
		switch {
		case !x.Active():
			inactive++
		case x.IsSub:
			sub++
		default:
			tech++
		}
	}
	if tech != 216 || sub != 475 || len(c.Tactics()) != 14 || len(c.AllMitigations()) != 44 {
		t.Errorf("got %d techniques, %d sub-techniques, %d tactics, %d mitigations; want 216, 475, 14, 44",
			tech, sub, len(c.Tactics()), len(c.AllMitigations()))
	}
	if inactive == 0 {
		t.Error("no revoked or deprecated entries")
	}
	if c.Version() != "ATT&CK v18.1" {
		t.Errorf("version %q", c.Version())
	}
}

func TestTechnique(t *testing.T) {
	c := Default()
	got, ok := c.Technique(" t1003.001")
	want := Technique{ID: "T1003.001", Name: "LSASS Memory", Tactics: []string{"credential-access"}, Parent: "T1003", IsSub: true}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Technique(T1003.001) = %+v, %v; want %+v", got, ok, want)
	}
	if _, ok := c.Technique("T9999"); ok {
		t.Error("T9999 found")
	}
	p, _ := c.Technique("T1003")
	if p.IsSub || p.Parent != "" || p.Name != "OS Credential Dumping" {
		t.Errorf("T1003 = %+v", p)
	}
	if n := len(c.SubTechniques("T1003")); n != 8 {
		t.Errorf("T1003 has %d sub-techniques, want 8", n)
	}
	got.Tactics[0] = "mutated"
	if again, _ := c.Technique("T1003.001"); again.Tactics[0] != "credential-access" {
		t.Error("Technique returns shared slices")
	}
}

func TestResolve(t *testing.T) {
	c := Default()
	cases := []struct {
		id, code, by string
	}{
		{"T1059.001", "", ""},
		{"T1086", "RevokedTechnique", "T1059.001"},
		{"t1574.002", "RevokedTechnique", "T1574.001"},
		{"T1064", "DeprecatedTechnique", ""},
		{"T1685", "UnknownTechnique", ""},
		{"", "UnknownTechnique", ""},
	}
	for _, tc := range cases {
		_, err := c.Resolve(tc.id)
		var le *LookupError
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("Resolve(%q) = %v", tc.id, err)
		case tc.code != "" && (!errors.As(err, &le) || le.Code != tc.code || le.RevokedBy != tc.by):
			t.Errorf("Resolve(%q) = %v; want %s by %q", tc.id, err, tc.code, tc.by)
		}
	}
	_, err := c.Resolve("T1086")
	if want := "technique T1086 was revoked by MITRE; use T1059.001"; err.Error() != want {
		t.Errorf("message %q", err)
	}
}

func TestTactic(t *testing.T) {
	c := Default()
	for _, key := range []string{"TA0006", "ta0006", "credential-access", "Credential Access", "credential_access", " CREDENTIAL ACCESS "} {
		tac, ok := c.Tactic(key)
		if !ok || tac.ID != "TA0006" || tac.ShortName != "credential-access" || tac.Name != "Credential Access" || tac.Order != 8 {
			t.Errorf("Tactic(%q) = %+v, %v", key, tac, ok)
		}
	}
	if _, ok := c.Tactic("defense-impairment"); ok {
		t.Error("found a tactic newer than v18.1")
	}
	ts := c.Tactics()
	if ts[0].ShortName != "reconnaissance" || ts[13].ShortName != "impact" {
		t.Errorf("tactic order: first %s, last %s", ts[0].ShortName, ts[13].ShortName)
	}
	if !c.InTactic("T1003.001", "TA0006") || c.InTactic("T1003.001", "execution") || c.InTactic("T1086", "execution") {
		t.Error("InTactic wrong")
	}
	if !c.InTactic("T1078", "persistence") || !c.InTactic("T1078", "Initial Access") {
		t.Error("T1078 should sit under several tactics")
	}
}

func TestMitigations(t *testing.T) {
	c := Default()
	m, ok := c.Mitigation("m1043")
	if !ok || m.Name != "Credential Access Protection" {
		t.Fatalf("M1043 = %+v, %v", m, ok)
	}
	if !hasMitigation(c.Mitigations("T1003.001"), "M1043") {
		t.Error("T1003.001 should be mitigated by M1043")
	}
	// A sub-technique without its own links falls back to its parent.
	var sub string
	for _, x := range c.Techniques() {
		if x.IsSub && x.Active() && len(c.mitsOf[x.ID]) == 0 && len(c.mitsOf[x.Parent]) > 0 {
			sub = x.ID
			break
		}
	}
	if sub == "" {
		t.Fatal("no sub-technique without mitigations to test the fallback")
	}
	parent, _ := c.Technique(sub)
	if got, want := c.Mitigations(sub), c.Mitigations(parent.Parent); !reflect.DeepEqual(got, want) {
		t.Errorf("Mitigations(%s) = %v; want parent's %v", sub, got, want)
	}
	if got := c.Mitigations("T9999"); len(got) != 0 {
		t.Errorf("unknown technique has mitigations %v", got)
	}
}

func hasMitigation(ms []Mitigation, id string) bool {
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}

// TestAgainstSource compares the embedded catalog with the shared extract,
// so a stale attack.json is caught. It is skipped when shared/ is absent.
func TestAgainstSource(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "attack")
	b, err := os.ReadFile(filepath.Join(dir, "techniques.json"))
	if err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	var src []struct {
		ID, Name string
		Tactics  []string
	}
	if err := json.Unmarshal(b, &src); err != nil {
		t.Fatal(err)
	}
	c := Default()
	for _, s := range src {
		got, err := c.Resolve(s.ID)
		if err != nil || got.Name != s.Name || !reflect.DeepEqual(got.Tactics, s.Tactics) {
			t.Errorf("%s: embedded %+v, %v; source %+v", s.ID, got, err, s)
		}
	}
}
