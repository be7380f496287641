package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
)

func TestFindingsJSON(t *testing.T) {
	fs := []finding.Finding{fixture(t, "hunter.json")}
	env := Envelope{
		Request:     map[string]any{"text": "lsass dumps on ws01", "since": "7d"},
		Plan:        map[string]any{"hunts": []string{"cred-lsass-comsvcs"}},
		GeneratedAt: time.Date(2026, 3, 5, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
		Findings:    fs,
		Stats:       NewStats(fs, []QueryRun{{HuntID: "cred-lsass-comsvcs", Rows: 1}}, 800*time.Millisecond),
	}
	var buf bytes.Buffer
	if err := WriteFindingsJSON(&buf, env); err != nil {
		t.Fatal(err)
	}
	golden(t, "findings.json", buf.Bytes())
	var back Envelope
	back.Findings = nil
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Format != FindingsFormat || !back.GeneratedAt.Equal(env.GeneratedAt) || back.GeneratedAt.Location() != time.UTC ||
		len(back.Findings) != 1 || back.Findings[0].ID != fs[0].ID || back.Stats.Elapsed != 800*time.Millisecond ||
		back.Stats.BySeverity[finding.High] != 1 {
		t.Errorf("round trip: %+v", back)
	}
}

func TestFindingsJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFindingsJSON(&buf, Envelope{Request: "x"}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if fs, ok := m["findings"].([]any); !ok || len(fs) != 0 {
		t.Errorf("findings = %v, want []", m["findings"])
	}
	if _, ok := m["plan"]; ok {
		t.Error("nil plan written")
	}
}
