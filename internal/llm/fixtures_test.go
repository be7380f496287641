package llm

// Recorded conversations replayed against the fake server. A fixture in
// testdata/conversations/*.json is:
//
//	{
//	  "description": "what the conversation exercises",
//	  "model": "gpt-5.4-mini",
//	  "provider": "openai",                 // optional: openai (default) or compatible
//	  "local_models": ["qwen2.5:7b"],       // optional, for compatible servers
//	  "tools": [Tool, ...],                 // offered on every turn
//	  "turns": [{
//	    "send": [Message, ...],             // appended to the conversation (the
//	    "replace": false,                   //   whole conversation if replace)
//	    "tool_choice": "auto", "max_output_tokens": 800,
//	    "replies": [llmtest.Step, ...],     // what the server answers, in order
//	                                        //   (retries consume the first ones)
//	    "expect_request": {"messages": 2, "tool_choice": "auto", "tools": ["run_kql"]},
//	    "expect": {"finish_reason": "tool_calls", "tool_calls": ["run_kql"],
//	               "bad_tool_calls": 0, "content": "substring", "error": "substring",
//	               "retries": 1}
//	  }]
//	}
//
// After each successful turn the assistant message is appended to the
// conversation, so tool results in the next "send" answer the scripted call
// ids. The exact request body of each turn is kept in
// testdata/wire/NAME.TURN.json; run with -update to rewrite those files.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/llm/llmtest"
)

var update = flag.Bool("update", false, "rewrite testdata/wire golden request bodies")

type fixture struct {
	Description string   `json:"description"`
	Model       string   `json:"model"`
	Provider    Provider `json:"provider,omitempty"`
	LocalModels []string `json:"local_models,omitempty"`
	Tools       []Tool   `json:"tools,omitempty"`
	Turns       []turn   `json:"turns"`
}

type turn struct {
	Send            []Message      `json:"send"`
	Replace         bool           `json:"replace,omitempty"`
	ToolChoice      ToolChoice     `json:"tool_choice,omitempty"`
	MaxOutputTokens int            `json:"max_output_tokens,omitempty"`
	Replies         []llmtest.Step `json:"replies"`
	ExpectRequest   struct {
		Messages   int      `json:"messages"`
		ToolChoice string   `json:"tool_choice"`
		Tools      []string `json:"tools"`
	} `json:"expect_request"`
	Expect struct {
		FinishReason string   `json:"finish_reason"`
		ToolCalls    []string `json:"tool_calls"`
		BadToolCalls int      `json:"bad_tool_calls"`
		Content      string   `json:"content"`
		Error        string   `json:"error"`
		Retries      int      `json:"retries"`
	} `json:"expect"`
}

// deviation is one estimate compared with what the server billed.
type deviation struct {
	name              string
	estimate, billed  int
	relative, percent float64
}

func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/conversations/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var devs []deviation
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			devs = append(devs, replay(t, name, loadFixture(t, file))...)
		})
	}
	reportDeviation(t, devs)
}

func loadFixture(t *testing.T, file string) fixture {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return f
}

func replay(t *testing.T, name string, f fixture) []deviation {
	srv := llmtest.NewServer(t)
	cfg := openaiConfig(srv, f.Model)
	if f.Provider != "" {
		cfg.Provider, cfg.LocalModels = f.Provider, f.LocalModels
	}
	var w waits
	c := newTestClient(t, cfg, srv, &w)
	var conv []Message
	var devs []deviation
	for i, tu := range f.Turns {
		if tu.Replace {
			conv = nil
		}
		conv = append(conv, tu.Send...)
		req := Request{Messages: conv, Tools: f.Tools, ToolChoice: tu.ToolChoice, MaxOutputTokens: tu.MaxOutputTokens}
		est, err := c.Estimate(req)
		if err != nil {
			t.Fatalf("turn %d: estimate: %v", i, err)
		}
		srv.Push(tu.Replies...)
		before, waited := len(srv.Requests()), len(w)
		resp, err := c.Chat(context.Background(), req)
		reqs := srv.Requests()
		if len(reqs) == before {
			t.Fatalf("turn %d: nothing sent (%v)", i, err)
		}
		last := reqs[len(reqs)-1]
		checkTurnRequest(t, name, i, tu, last)
		if got := len(w) - waited; got != tu.Expect.Retries {
			t.Errorf("turn %d: %d retries, want %d", i, got, tu.Expect.Retries)
		}
		devs = append(devs, deviation{name: fmt.Sprintf("%s/%d", name, i), estimate: est.InputTokens, billed: last.PromptTokens})
		if !checkTurnResponse(t, i, tu, f.Tools, resp, err) {
			continue
		}
		conv = append(conv, resp.Message)
	}
	if srv.Remaining() != 0 {
		t.Errorf("%d scripted replies unused", srv.Remaining())
	}
	return devs
}

func checkTurnRequest(t *testing.T, name string, i int, tu turn, rec llmtest.Recorded) {
	t.Helper()
	want := tu.ExpectRequest
	if got := len(rec.Request.Messages); want.Messages != 0 && got != want.Messages {
		t.Errorf("turn %d: request has %d messages, want %d", i, got, want.Messages)
	}
	if got := rec.Request.ToolChoiceString(); got != want.ToolChoice {
		t.Errorf("turn %d: tool_choice %q, want %q", i, got, want.ToolChoice)
	}
	var tools []string
	for _, tool := range rec.Request.Tools {
		tools = append(tools, tool.Function.Name)
		if tool.Function.Strict == nil || !*tool.Function.Strict {
			t.Errorf("turn %d: tool %s not strict", i, tool.Function.Name)
		}
	}
	if strings.Join(tools, ",") != strings.Join(want.Tools, ",") {
		t.Errorf("turn %d: tools %v, want %v", i, tools, want.Tools)
	}
	golden(t, filepath.Join("testdata", "wire", fmt.Sprintf("%s.%d.json", name, i)), rec.Body)
}

// golden compares a request body with its golden file, as indented JSON.
func golden(t *testing.T, path string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("request body is not JSON: %v", err)
	}
	buf.WriteByte('\n')
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("request body differs from %s (run with -update if intended):\n%s", path, buf.Bytes())
	}
}

// checkTurnResponse reports whether the turn succeeded.
func checkTurnResponse(t *testing.T, i int, tu turn, tools []Tool, resp Response, err error) bool {
	t.Helper()
	want := tu.Expect
	if want.Error != "" {
		if err == nil || !strings.Contains(err.Error(), want.Error) {
			t.Errorf("turn %d: err = %v, want %q", i, err, want.Error)
		}
		return false
	}
	if err != nil {
		t.Fatalf("turn %d: %v", i, err)
	}
	if resp.FinishReason != want.FinishReason {
		t.Errorf("turn %d: finish %q, want %q", i, resp.FinishReason, want.FinishReason)
	}
	var names []string
	bad := 0
	for _, call := range resp.Message.ToolCalls {
		names = append(names, call.Name)
		if call.Check(tools) != nil {
			bad++
		}
	}
	if strings.Join(names, ",") != strings.Join(want.ToolCalls, ",") || bad != want.BadToolCalls {
		t.Errorf("turn %d: tool calls %v (%d bad), want %v (%d bad)", i, names, bad, want.ToolCalls, want.BadToolCalls)
	}
	if !strings.Contains(resp.Message.Content, want.Content) {
		t.Errorf("turn %d: content %q lacks %q", i, resp.Message.Content, want.Content)
	}
	return true
}

// reportDeviation asserts that every offline estimate is within ±5% of the
// prompt tokens the fake server billed, and logs the figures.
func reportDeviation(t *testing.T, devs []deviation) {
	var sumAbs, worst float64
	for i := range devs {
		d := &devs[i]
		d.relative = float64(d.estimate-d.billed) / float64(d.billed)
		d.percent = 100 * d.relative
		sumAbs += math.Abs(d.relative)
		worst = math.Max(worst, math.Abs(d.relative))
		t.Logf("%-28s estimate %6d  billed %6d  %+6.2f%%", d.name, d.estimate, d.billed, d.percent)
		if math.Abs(d.relative) > 0.05 {
			t.Errorf("%s: estimate %d is %+.2f%% off the billed %d (limit ±5%%)", d.name, d.estimate, d.percent, d.billed)
		}
	}
	t.Logf("estimate vs billed prompt tokens over %d requests: mean |error| %.2f%%, worst %.2f%%",
		len(devs), 100*sumAbs/float64(len(devs)), 100*worst)
}
