package sigma

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/hunt"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

func TestImportTestdata(t *testing.T) {
	res, err := Import(filepath.Join("testdata", "rules"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, h := range res.Hunts {
		paths = append(paths, h.Path)
	}
	want := []string{"extra/signin_no_technique.yml", "net_newer_attack.yml", "proc_encoded_shell.yml", "registry_run_key.yml"}
	if !slices.Equal(paths, want) {
		t.Errorf("converted %q; want %q", paths, want)
	}
	skips := map[string]string{}
	for _, s := range res.Skipped {
		skips[s.Path] = s.Kind
	}
	wantSkips := map[string]string{"extra/aggregation.yml": "aggregation", "extra/not_yaml.yml": "yaml", "extra/unsupported_category.yml": "logsource"}
	for p, k := range wantSkips {
		if skips[p] != k {
			t.Errorf("%s: skipped as %q; want %q (%v)", p, skips[p], k, res.Skipped)
		}
	}
	if len(res.Skipped) != len(wantSkips) {
		t.Errorf("skipped %v", res.Skipped)
	}

	byPath := map[string]ImportedHunt{}
	for _, h := range res.Hunts {
		byPath[h.Path] = h
	}
	enc := byPath["proc_encoded_shell.yml"]
	if enc.ID != "sigma-proc-encoded-shell" || enc.Severity != finding.High || enc.Confidence != 50 ||
		enc.Link != "https://example.org/vigil/tests/encoded-shell" || enc.Author != "vigil tests" ||
		!slices.Equal(enc.Techniques, []string{"T1059.001"}) || enc.Tactic != "execution" ||
		!slices.Contains(enc.Intents, "powershell_scripting") {
		t.Errorf("encoded shell hunt: %+v", enc)
	}
	if enc.License != "" || !hasNote(enc.Notes, "no licence") {
		t.Errorf("a rule outside SigmaHQ without a license field: license %q, notes %q", enc.License, enc.Notes)
	}
	run := byPath["registry_run_key.yml"]
	if run.Link != "urn:uuid:0b0c5e1e-1111-4a6e-9b7a-000000000002" {
		t.Errorf("a rule without references links to its id; got %q", run.Link)
	}
	net := byPath["net_newer_attack.yml"]
	if !slices.Equal(net.Techniques, []string{"T1562.004", "T1686.003"}) || !hasNote(net.Notes, "T1686.003 is from an ATT&CK release newer") {
		t.Errorf("newer ATT&CK id: techniques %q, notes %q", net.Techniques, net.Notes)
	}
	if net.Tactic != "defense-evasion" {
		t.Errorf("tactic %q; want defense-evasion (defense-impairment's predecessor)", net.Tactic)
	}
}

func hasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// TestSigmaHQLink checks the link of a rule in a SigmaHQ checkout: a
// rules folder with the Detection Rule License beside it.
func TestSigmaHQLink(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "rules", "windows", "process_creation")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "rules", "proc_encoded_shell.yml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "x.yml"), data, 0o644)
	os.WriteFile(filepath.Join(root, "LICENSE.Detection.Rules.md"), []byte("DRL 1.1"), 0o644)
	res, err := Import(filepath.Join(root, "rules", "windows"))
	if err != nil || len(res.Hunts) != 1 {
		t.Fatalf("import: %v, %+v", err, res)
	}
	h := res.Hunts[0]
	if h.Link != "https://github.com/SigmaHQ/sigma/blob/master/rules/windows/process_creation/x.yml" || !strings.Contains(h.License, "DRL") {
		t.Errorf("link %q, license %q", h.Link, h.License)
	}
	if h.Path != "process_creation/x.yml" {
		t.Errorf("path %q", h.Path)
	}
}

// TestWriteHunts writes the test rules as hunt files and loads them with
// the hunt library: every header field valid, parameters bound, the bound
// query checks, the attribution in the header and the description.
func TestWriteHunts(t *testing.T) {
	res, err := Import(filepath.Join("testdata", "rules"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	notWritten, err := res.WriteHunts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(notWritten) != 1 || notWritten[0].Path != "extra/signin_no_technique.yml" || notWritten[0].Kind != "attack" {
		t.Errorf("not written: %+v; want the rule without a technique", notWritten)
	}
	lib := loadWritten(t, dir, len(res.Hunts)-1)
	h, ok := lib.Hunt("sigma-registry-run-key")
	if !ok {
		t.Fatal("sigma-registry-run-key not loaded")
	}
	if !strings.Contains(h.Description, "vigil tests, second author") || !strings.Contains(h.KQL, "// Sigma rule link urn:uuid:") {
		t.Errorf("attribution missing:\n%s", h.KQL)
	}
	if !slices.Equal(h.Params, []string{"start", "end", "devices", "accounts"}) || h.Analyser != "signature" || h.Tactic != "persistence" {
		t.Errorf("hunt: params %q, analyser %q, tactic %q", h.Params, h.Analyser, h.Tactic)
	}
}

// loadWritten loads dir with the hunt library, expecting n hunts, and
// checks each with its parameters bound.
func loadWritten(t *testing.T, dir string, n int) *hunt.Library {
	t.Helper()
	lib, err := hunt.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(lib.Hunts()); got != n {
		t.Errorf("loaded %d hunts; want %d", got, n)
	}
	end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b := hunt.Bindings{Start: end.Add(-24 * time.Hour), End: end, Devices: []string{"ws-01"}, Accounts: []string{`corp\bob`}, IPs: []string{"203.0.113.7"}}
	for _, h := range lib.Hunts() {
		if err := checkQuery(h.ID, h.Bind(b)); err != nil {
			t.Errorf("%s: %v", h.ID, err)
		}
	}
	return lib
}

// checkQuery parses and checks a query against the catalog and requires
// every table read to be time-bounded.
func checkQuery(name, src string) error {
	f := token.NewFile(name, src)
	q, err := parser.Parse(f)
	if err != nil {
		return err
	}
	info, err := check.Check(q, f, &check.Config{Tables: catalog.Default()})
	if err != nil {
		return err
	}
	for _, r := range info.Tables {
		if !r.Time.Bounded {
			return &Error{Kind: "unbounded", Msg: r.Table + " is read without a time bound"}
		}
	}
	return nil
}
