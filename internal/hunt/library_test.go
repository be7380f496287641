package hunt

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// TestLibraryLoads checks the built-in library: enough hunts, every field
// valid, every technique active in the ATT&CK catalog.
func TestLibraryLoads(t *testing.T) {
	lib, err := LoadFS(builtinFS, "library")
	if err != nil {
		t.Fatal(err)
	}
	n := len(lib.Infos())
	if n < 40 {
		t.Errorf("the library has %d hunts; want at least 40", n)
	}
	cat := attack.Default()
	for _, h := range lib.Hunts() {
		for _, id := range h.Techniques {
			if _, err := cat.Resolve(id); err != nil {
				t.Errorf("%s: %v", h.ID, err)
			}
		}
		if h.Tactic != "" && len(h.Techniques) > 0 && !cat.InTactic(h.Techniques[0], h.Tactic) {
			t.Errorf("%s: %s is not under tactic %s", h.ID, h.Techniques[0], h.Tactic)
		}
		if h.Kind == KindHunt && !h.declares(ParamStart) {
			t.Errorf("%s: a hunt must declare let start", h.ID)
		}
	}
	if _, ok := lib.Hunt(contextAssets); !ok {
		t.Errorf("no %s query", contextAssets)
	}
	if len(lib.Pivots()) == 0 {
		t.Error("no pivot queries")
	}
}

// TestLibraryChecks runs every hunt, with its parameters bound, through
// the checker: no errors, its tables are the ones it declares, every read
// is time-bounded, and its output keeps the row id column.
func TestLibraryChecks(t *testing.T) {
	conf := &check.Config{Tables: catalog.Default()}
	b := Bindings{Start: labEnd.Add(-7 * 24 * time.Hour), End: labEnd, Devices: []string{"dc-01"}, Accounts: []string{`harbor\jsmith`},
		IPs: []string{"203.0.113.9"}, Domains: []string{"example.org"}, URLs: []string{"http://example.org/x"}, Hashes: []string{strings.Repeat("a", 64)}, Files: []string{"evil.exe"}}
	for _, h := range Default().Hunts() {
		for _, src := range []string{h.KQL, h.Bind(b)} {
			f := token.NewFile(h.Source, src)
			q, err := parser.Parse(f)
			if err != nil {
				t.Errorf("%s: %v", h.ID, err)
				continue
			}
			info, err := check.Check(q, f, conf)
			if err != nil {
				t.Errorf("%s: %v", h.ID, err)
				continue
			}
			checkInfo(t, h, info)
		}
	}
}

func checkInfo(t *testing.T, h *Hunt, info *check.Info) {
	t.Helper()
	var read []string
	for _, tr := range info.Tables {
		read = appendNew(read, tr.Table)
		if !tr.Time.Bounded && tr.Table != "" {
			t.Errorf("%s: the read of %s is not bounded in time", h.ID, tr.Table)
		}
	}
	for _, tab := range read {
		if !slices.Contains(h.Tables, tab) {
			t.Errorf("%s: reads %s but does not declare it in tables", h.ID, tab)
		}
	}
	for _, tab := range h.Tables {
		if !slices.Contains(read, tab) {
			t.Errorf("%s: declares %s but does not read it", h.ID, tab)
		}
	}
	if h.Kind != KindHunt || info.Output == nil {
		return
	}
	for _, tab := range h.Tables {
		if strings.HasPrefix(tab, "Device") || idColumns[tab] != "" {
			if info.Output.Index(idColumn(tab)) < 0 {
				t.Errorf("%s: output lacks %s, the row id of %s", h.ID, idColumn(tab), tab)
			}
			break
		}
	}
}

// TestLoadDir loads a user's hunt directory, and reports bad files.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	good := `// id: my-hunt
// title: My hunt
// description: Finds my thing.
// tables: DeviceProcessEvents
// techniques: T1059.001
// intents: powershell_scripting
// severity: medium
// analyser: signature
let start = ago(1d);
DeviceProcessEvents | where Timestamp > start | where FileName =~ "pwsh.exe" | project Timestamp, DeviceName, ReportId
`
	if err := os.WriteFile(filepath.Join(dir, "mine.kql"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	lib, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := lib.Hunt("my-hunt")
	if !ok || h.Params[0] != ParamStart || h.Intents[0] != IntentPowerShell {
		t.Fatalf("loaded %+v", h)
	}
	all := Default().With(lib)
	if _, ok := all.Hunt("my-hunt"); !ok || len(all.Hunts()) != len(Default().Hunts())+1 {
		t.Error("With did not add the user's hunt")
	}
	bad := strings.Replace(good, "analyser: signature", "analyser: nosuch", 1)
	bad = strings.Replace(bad, "intents: powershell_scripting", "intents: nonsense", 1)
	os.WriteFile(filepath.Join(dir, "bad.kql"), []byte(bad), 0o644)
	_, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "nosuch") || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("bad hunt: got %v", err)
	}
}

// TestBind checks that binding replaces parameter values only.
func TestBind(t *testing.T) {
	h, ok := Default().Hunt("cred-lsass-access")
	if !ok {
		t.Fatal("no cred-lsass-access")
	}
	got := h.Bind(Bindings{Start: labEnd.Add(-time.Hour), End: labEnd, Devices: []string{"DC-01.corp.example"}, Accounts: []string{`HARBOR\Admin`}})
	for _, want := range []string{
		`let start = datetime(2024-11-14T15:23:41.0000000Z);`,
		`let end = datetime(2024-11-14T16:23:41.0000000Z);`,
		`let devices = dynamic(["dc-01.corp.example","dc-01"]);`,
		`let accounts = dynamic(["harbor\\admin","admin"]);`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("bound query lacks %s:\n%s", want, got)
		}
	}
	if unbound := h.Bind(Bindings{}); unbound != h.KQL {
		t.Error("empty bindings changed the query")
	}
}
