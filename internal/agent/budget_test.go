package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/internal/llm/llmtest"
)

var fixtureNow = time.Date(2024, 11, 14, 16, 0, 0, 0, time.UTC)

// processRows is n distinct process events.
func processRows(n int) map[string][]map[string]any {
	var rows []map[string]any
	for i := range n {
		rows = append(rows, map[string]any{
			"Timestamp":          fixtureNow.Add(-time.Duration(i+1) * time.Minute).Format(time.RFC3339),
			"DeviceName":         fmt.Sprintf("wks-%02d", i%7),
			"AccountName":        fmt.Sprintf("user%02d", i%11),
			"FileName":           "powershell.exe",
			"ProcessCommandLine": fmt.Sprintf("powershell.exe -nop -File C:\\ProgramData\\scripts\\task-%03d.ps1 -Verbose -Mode maintenance", i),
			"ReportId":           float64(i + 1),
		})
	}
	return map[string][]map[string]any{"DeviceProcessEvents": rows}
}

func source(t *testing.T, tables map[string][]map[string]any) Querier {
	return EngineSource{Catalog: memCatalog(t, tables), Now: fixtureNow}
}

const psQuery = `{"query":"DeviceProcessEvents | where Timestamp > ago(1d)","purpose":"recent PowerShell"}`
const emptySubmit = `{"findings":[],"summary":"nothing found"}`

// hunterFinding is a finding of the deterministic hunter.
func hunterFinding() finding.Finding {
	f := finding.Finding{Title: "Hunter finding", Severity: finding.High, Confidence: finding.Confidence{Level: finding.LevelHigh, Score: 80},
		Entities: []finding.Entity{{Type: finding.EntityDevice, Value: "wks-01"}},
		Evidence: []finding.Evidence{{Table: "DeviceProcessEvents", Query: "q", Rows: []map[string]any{{"DeviceName": "wks-01"}}, Count: 1}},
		Producer: finding.Producer{Kind: finding.ProducerHunter, HuntID: "h1"}, Verified: true, FirstSeen: fixtureNow, LastSeen: fixtureNow}
	f.ID = f.ComputeID()
	return f
}

func TestQuotaAndKeyEndTheRun(t *testing.T) {
	tests := []struct {
		name string
		key  string
		step llmtest.Step
		kind error
		stop string
	}{
		{"quota", "", llmtest.Quota(), llm.ErrQuota, "insufficient quota"},
		{"invalid key", "sk-the-right-key-0000", llmtest.Step{}, llm.ErrInvalidKey, "rejected the API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var steps []llmtest.Step
			if tt.key == "" {
				steps = append(steps, tt.step)
			}
			h := newHarness(t, setup{source: source(t, processRows(3)), key: tt.key, cfg: Config{Now: fixtureNow}}, steps...)
			res, err := h.agent.Run(context.Background(), "hunt", []finding.Finding{hunterFinding()})
			if !errors.Is(err, tt.kind) || !strings.Contains(res.Stop, tt.stop) {
				t.Errorf("err %v, stop %q", err, res.Stop)
			}
			if len(res.Findings) != 1 || res.Findings[0].Title != "Hunter finding" {
				t.Errorf("hunter findings lost: %+v", res.Findings)
			}
			if res.Spend.Calls != 0 || res.CostLine() != "0 model calls, 0 tokens, $0" {
				t.Errorf("cost %q", res.CostLine())
			}
		})
	}
}

func TestContextLengthShrinksOnce(t *testing.T) {
	h := newHarness(t, setup{source: source(t, processRows(60)), cfg: Config{Now: fixtureNow}},
		llmtest.Call("call_1", toolRunKQL, psQuery),
		llmtest.ContextLengthExceeded(100),
		llmtest.Call("call_2", toolSubmitFindings, emptySubmit))
	res, err := h.agent.Run(context.Background(), "hunt", nil)
	if err != nil || res.Stop != "findings submitted" {
		t.Fatalf("err %v, stop %q", err, res.Stop)
	}
	reqs := h.srv.Requests()
	before, after := reqs[1].Request.Messages[3].Text(), reqs[2].Request.Messages[3].Text()
	if len(after) >= len(before) || !strings.Contains(after, "first 13 shown") {
		t.Errorf("result not shrunk (%d → %d bytes):\n%s", len(before), len(after), after)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "too long for the context window: results shrunk to 13 distinct rows") {
		t.Errorf("notes %v", res.Notes)
	}
	if res.Spend.Calls != 2 {
		t.Errorf("%d calls billed, want 2 (the refused one costs nothing)", res.Spend.Calls)
	}
}

func TestContextLengthTwiceStops(t *testing.T) {
	h := newHarness(t, setup{source: source(t, processRows(60)), cfg: Config{Now: fixtureNow}},
		llmtest.Call("call_1", toolRunKQL, psQuery),
		llmtest.ContextLengthExceeded(100),
		llmtest.ContextLengthExceeded(100))
	res, err := h.agent.Run(context.Background(), "hunt", []finding.Finding{hunterFinding()})
	if err != nil || !strings.Contains(res.Stop, "context window") || len(res.Findings) != 1 {
		t.Errorf("err %v, stop %q, %d findings", err, res.Stop, len(res.Findings))
	}
}

func TestOverBudgetDowngrades(t *testing.T) {
	h := newHarness(t, setup{model: "gpt-5.4", source: source(t, processRows(3)), cfg: Config{Now: fixtureNow},
		limits: llm.Limits{InvestigationUSD: 0.01}},
		llmtest.Call("call_1", toolSubmitFindings, emptySubmit))
	res, err := h.agent.Run(context.Background(), "hunt", nil)
	if err != nil || res.Stop != "findings submitted" {
		t.Fatalf("err %v, stop %q", err, res.Stop)
	}
	if got := h.srv.Requests()[0].Request.Model; got != "gpt-5.4-mini" || res.Calls[0].Model != "gpt-5.4-mini" {
		t.Errorf("model %s", got)
	}
	if len(res.Notes) != 1 || res.Notes[0] != "over budget: switched from gpt-5.4 to the cheaper gpt-5.4-mini" {
		t.Errorf("notes %v", res.Notes)
	}
}

func TestOverBudgetStops(t *testing.T) {
	h := newHarness(t, setup{model: "gpt-5.4", source: source(t, processRows(3)), cfg: Config{Now: fixtureNow},
		limits: llm.Limits{InvestigationUSD: 0.0001}})
	res, err := h.agent.Run(context.Background(), "hunt", []finding.Finding{hunterFinding()})
	if err != nil || !strings.Contains(res.Stop, "over the per-investigation budget") || len(h.srv.Requests()) != 0 {
		t.Errorf("err %v, stop %q, %d requests", err, res.Stop, len(h.srv.Requests()))
	}
	if len(res.Findings) != 1 {
		t.Errorf("hunter findings lost")
	}
	t.Logf("degradations tried: %v", res.Notes)
}

func TestLimitsForceSubmit(t *testing.T) {
	minute := 0
	tick := func() time.Time { minute++; return testEnd.Add(time.Duration(minute) * time.Minute) }
	tests := []struct {
		name  string
		s     setup
		steps []llmtest.Step
		at    int // request that must force submit_findings
		note  string
		stop  string
	}{
		{"last step", setup{cfg: Config{MaxSteps: 3}},
			[]llmtest.Step{llmtest.Call("c1", toolListTables, "{}"), llmtest.Call("c2", toolListTables, "{}"), llmtest.Call("c3", toolSubmitFindings, emptySubmit)},
			2, "this is the last step", "findings submitted"},
		{"model ignores the forced submit", setup{cfg: Config{MaxSteps: 2}},
			[]llmtest.Step{llmtest.Call("c1", toolListTables, "{}"), llmtest.Call("c2", toolListTables, "{}")},
			1, "this is the last step", "step limit (2 model calls)"},
		{"time", setup{cfg: Config{MaxDuration: 4 * time.Minute}, clock: tick},
			[]llmtest.Step{llmtest.Call("c1", toolListTables, "{}"), llmtest.Call("c2", toolListTables, "{}"), llmtest.Call("c3", toolSubmitFindings, emptySubmit)},
			2, "the time limit is near", "findings submitted"},
		{"budget", setup{limits: llm.Limits{InvestigationUSD: 0.014}},
			[]llmtest.Step{llmtest.Call("c1", toolListTables, "{}"), llmtest.Call("c2", toolSubmitFindings, emptySubmit)},
			1, "the budget is nearly spent", "findings submitted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.source = source(t, processRows(1))
			tt.s.cfg.Now = fixtureNow
			h := newHarness(t, tt.s, tt.steps...)
			res, err := h.agent.Run(context.Background(), "hunt", nil)
			if err != nil || !strings.Contains(res.Stop, tt.stop) {
				t.Fatalf("err %v, stop %q", err, res.Stop)
			}
			for i, rec := range h.srv.Requests() {
				forced := rec.Request.ToolChoiceString() == toolSubmitFindings
				if forced != (i >= tt.at) {
					t.Errorf("request %d: tool_choice %q", i, rec.Request.ToolChoiceString())
				}
				msgs := rec.Request.Messages
				if i == tt.at && !strings.Contains(msgs[len(msgs)-1].Text(), tt.note) {
					t.Errorf("request %d lacks the note %q", i, tt.note)
				}
			}
		})
	}
}

func TestCutOffReply(t *testing.T) {
	h := newHarness(t, setup{source: source(t, processRows(1)), cfg: Config{Now: fixtureNow}},
		llmtest.Step{ToolCalls: []llmtest.ToolCall{{ID: "c1", Name: toolSubmitFindings, Arguments: `{"findings":[{"title":"x`}}, FinishReason: "length"})
	res, err := h.agent.Run(context.Background(), "hunt", nil)
	if err != nil || !strings.Contains(res.Stop, "cut at the output-token limit") || res.Submitted {
		t.Errorf("err %v, stop %q", err, res.Stop)
	}
}

func TestNudgeThenStop(t *testing.T) {
	h := newHarness(t, setup{source: source(t, processRows(1)), cfg: Config{Now: fixtureNow}},
		llmtest.Text("I think everything is fine."), llmtest.Text("Really fine."))
	res, err := h.agent.Run(context.Background(), "hunt", nil)
	if err != nil || res.Stop != "the model stopped without submitting findings" || res.Steps != 2 {
		t.Errorf("err %v, stop %q, steps %d", err, res.Stop, res.Steps)
	}
}
