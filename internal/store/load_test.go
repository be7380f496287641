package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/types"
)

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDirCatalogued(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "DeviceLogonEvents.jsonl", strings.Join([]string{
		`{"Timestamp":"2024-01-01T10:00:00Z","DeviceName":"ws1","ActionType":"LogonFailed","LogonId":17,"Extra":"x"}`,
		`not json`,
		`{"Timestamp":"yesterday","DeviceName":"ws2"}`,
		`{"Timestamp":"2024-01-01 11:00:00","DeviceName":"ws3","AdditionalFields":"{\"a\":1}"}`,
		``,
	}, "\n"))
	cat, rep, err := LoadDir(dir, catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	tbl, ok := cat.Table("DeviceLogonEvents")
	if !ok {
		t.Fatal("table not loaded")
	}
	if rep.Rows["DeviceLogonEvents"] != 2 {
		t.Errorf("rows = %d, want 2", rep.Rows["DeviceLogonEvents"])
	}
	if len(rep.Rejects) != 2 {
		t.Fatalf("rejects = %v, want 2", rep.Rejects)
	}
	if r := rep.Rejects[0]; r.Line != 2 || !strings.Contains(r.Reason, "JSON") {
		t.Errorf("first reject = %v", r)
	}
	if r := rep.Rejects[1]; r.Line != 3 || !strings.Contains(r.Reason, "Timestamp") {
		t.Errorf("second reject = %v", r)
	}
	if rep.Ignored["DeviceLogonEvents.Extra"] != 1 {
		t.Errorf("ignored = %v", rep.Ignored)
	}
	s := tbl.Schema()
	if c, _ := s.Lookup("AdditionalFields"); c.Type != types.Dynamic {
		t.Errorf("AdditionalFields type = %v", c.Type)
	}
}

func TestLoadCSVInfersUnknownTable(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "Custom.csv", "\ufeffName,Count,When,Score\na,1,2024-01-01T00:00:00Z,1.5\nb,2,2024-01-02T00:00:00Z,2\nc,oops\n")
	cat, rep, err := LoadDir(dir, catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	tbl, _ := cat.Table("Custom")
	got := tbl.Schema().String()
	if got != "(Name:string, Count:long, When:datetime, Score:real)" {
		t.Errorf("schema = %s", got)
	}
	if len(rep.Rejects) != 1 || rep.Rejects[0].Line != 4 {
		t.Errorf("rejects = %v, want one on line 4", rep.Rejects)
	}
}
