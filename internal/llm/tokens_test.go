package llm

import (
	"errors"
	"strings"
	"testing"

	"github.com/tiktoken-go/tokenizer"
)

// The cookbook's examples, with the prompt_tokens the OpenAI API reported for
// gpt-4o (OpenAI cookbook, "How to count tokens with tiktoken", sections 6-7).
var (
	cookbookJargon = Request{Messages: []Message{
		{Role: RoleSystem, Content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
		{Role: RoleSystem, Name: "example_user", Content: "New synergies will help drive top-line growth."},
		{Role: RoleSystem, Name: "example_assistant", Content: "Things working well together will increase revenue."},
		{Role: RoleSystem, Name: "example_user", Content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
		{Role: RoleSystem, Name: "example_assistant", Content: "Let's talk later when we're less busy about how to do better."},
		{Role: RoleUser, Content: "This late pivot means we don't have time to boil the ocean for the client deliverable."},
	}}
	cookbookWeather = Request{
		Messages: []Message{
			{Role: RoleSystem, Content: "You are a helpful assistant that can answer to questions about the weather."},
			{Role: RoleUser, Content: "What's the weather like in San Francisco?"},
		},
		Tools: []Tool{{
			Name:        "get_current_weather",
			Description: "Get the current weather in a given location",
			Parameters: map[string]any{
				"type": "object",
				"properties": map[string]any{
					"location": map[string]any{"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
					"unit":     map[string]any{"type": "string", "description": "The unit of temperature to return", "enum": []any{"celsius", "fahrenheit"}},
				},
				"required": []any{"location"},
			},
		}},
	}
)

func TestCountTokensCookbook(t *testing.T) {
	codec, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  Request
		api  int
	}{
		{"jargon messages", cookbookJargon, 124},
		{"weather tool", cookbookWeather, 101},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CountTokens(codec, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.api {
				t.Errorf("CountTokens = %d, the API reported %d", got, tt.api)
			}
		})
	}
}

func TestEstimate(t *testing.T) {
	p := DefaultPrices().WithLocal("llama3.1:8b")
	p.Now = fixedClock
	req := hunt()
	tests := []struct {
		name      string
		model     string
		maxOut    int
		wantOut   int
		estimated bool
	}{
		{"current model, request cap", "gpt-5.4-nano", 800, 800, false},
		{"no cap: model's max output", "gpt-4o-mini", 0, 16384, false},
		{"dated snapshot", "gpt-4.1-mini-2025-04-14", 500, 500, false},
		{"local model: o200k_base stand-in", "llama3.1:8b", 800, 800, true},
	}
	codec, _ := tokenizer.Get(tokenizer.O200kBase)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req.MaxOutputTokens = tt.maxOut
			e, err := p.Estimate(req, tt.model)
			if err != nil {
				t.Fatal(err)
			}
			in, _ := CountTokens(codec, req)
			m, _ := p.Lookup(tt.model)
			wantUSD := (float64(in)*m.Input + float64(tt.wantOut)*m.Output) / 1e6
			if e.InputTokens != in || e.MaxOutputTokens != tt.wantOut || e.Estimated != tt.estimated || e.WorstCaseUSD != wantUSD || e.Encoding != "o200k_base" {
				t.Errorf("Estimate = %+v, want input %d, output %d, $%v, estimated %v", e, in, tt.wantOut, wantUSD, tt.estimated)
			}
		})
	}
	if _, err := p.Estimate(req, "gpt-4.1-nano"); !errors.Is(err, ErrModelRetired) {
		t.Errorf("retired model estimated: %v", err)
	}
}

// TestHuntUnderOneCent checks the design goal: a typical four-call hunt on
// the default model, priced at its worst case, stays well under one cent.
func TestHuntUnderOneCent(t *testing.T) {
	p := DefaultPrices()
	req := hunt()
	rows := strings.Repeat(`{"UserPrincipalName":"a.user@contoso.com","IPAddress":"203.0.113.7","ResultType":"50126","AppDisplayName":"Azure Portal"},`, 15)
	var total float64
	for range 4 {
		e, err := p.Estimate(req, DefaultModel)
		if err != nil {
			t.Fatal(err)
		}
		total += e.WorstCaseUSD
		req.Messages = append(req.Messages,
			Message{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: "call", Name: "run_kql", Arguments: `{"query":"SigninLogs | where ResultType == 50126 | summarize count() by IPAddress","timespan":"P1D","max_rows":15,"rationale":"spray"}`}}},
			Message{Role: RoleTool, ToolCallID: "call", Content: `{"source":"SigninLogs","untrusted":true,"rows":[` + rows + `]}`})
	}
	if total >= 0.005 {
		t.Errorf("worst case of a 4-call hunt on %s = $%.4f, want well under one cent", DefaultModel, total)
	}
	t.Logf("worst case of a 4-call hunt on %s: $%.4f", DefaultModel, total)
}
