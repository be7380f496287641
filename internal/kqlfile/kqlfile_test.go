package kqlfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/token"
)

func TestParseYAMLBlock(t *testing.T) {
	src := "id: 0d7a1c2e-0000-4000-8000-000000000001\n" +
		"name: Test rule\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"x.exe\"\n" +
		"\n" +
		"  | take 10\n" +
		"entityMappings: []\n"
	q, err := ParseYAML("rule.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "Test rule" || q.ID != "0d7a1c2e-0000-4000-8000-000000000001" {
		t.Errorf("name/id = %q/%q", q.Name, q.ID)
	}
	want := "DeviceProcessEvents\n| where FileName =~ \"x.exe\"\n\n| take 10"
	if q.File.Src != want {
		t.Fatalf("query text = %q, want %q", q.File.Src, want)
	}
	// "FileName" is on line 5, column 11 of the YAML file.
	off := strings.Index(q.File.Src, "FileName")
	got := q.File.Position(token.PosOf(off))
	if got.Line != 5 || got.Column != 11 || got.Filename != "rule.yaml" {
		t.Errorf("position of FileName = %v, want rule.yaml:5:11", got)
	}
	off = strings.Index(q.File.Src, "take")
	if got := q.File.Position(token.PosOf(off)); got.Line != 7 || got.Column != 5 {
		t.Errorf("position of take = %v, want 7:5", got)
	}
}

func TestParseYAMLQuoted(t *testing.T) {
	src := "name: one-liner\nquery: 'SigninLogs | take 1'\n"
	q, err := ParseYAML("r.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if q.File.Src != "SigninLogs | take 1" {
		t.Fatalf("query = %q", q.File.Src)
	}
	off := strings.Index(q.File.Src, "take")
	if got := q.File.Position(token.PosOf(off)); got.Line != 2 || got.Column != 22 {
		t.Errorf("position of take = %v, want 2:22", got)
	}
}

func TestParseYAMLErrors(t *testing.T) {
	if _, err := ParseYAML("x.yaml", []byte("name: no query\n")); !errors.Is(err, ErrNoQuery) {
		t.Errorf("missing query: err = %v, want ErrNoQuery", err)
	}
	_, err := ParseYAML("bad.yaml", []byte("query: [unclosed\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("bad YAML: err = %v, want an error naming bad.yaml", err)
	}
}

func TestReadPlainAndStdin(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "q.kql")
	if err := os.WriteFile(p, []byte("T | take 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	qs, err := Read(p, nil)
	if err != nil || len(qs) != 1 || qs[0].File.Src != "T | take 1\n" || qs[0].File.Name != p {
		t.Fatalf("Read(%s) = %+v, %v", p, qs, err)
	}
	qs, err = Read("-", strings.NewReader("print 1"))
	if err != nil || qs[0].File.Name != "<stdin>" || qs[0].File.Src != "print 1" {
		t.Fatalf("Read(-) = %+v, %v", qs, err)
	}
	if _, err := Read(filepath.Join(dir, "missing.kql"), nil); err == nil || !strings.Contains(err.Error(), "missing.kql") {
		t.Errorf("missing file: err = %v", err)
	}
}
