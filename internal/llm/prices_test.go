package llm

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDefaultPricesD5 pins the embedded table to service-apis.md D5.
func TestDefaultPricesD5(t *testing.T) {
	tests := []struct {
		model                 string
		input, cached, output float64
		shutdown              string
	}{
		{"gpt-4.1", 2.00, 0.50, 8.00, "2027-01-14"},
		{"gpt-4.1-mini", 0.40, 0.10, 1.60, "2027-01-14"},
		{"gpt-4.1-nano", 0.10, 0.025, 0.40, "2026-10-23"},
		{"gpt-5", 1.25, 0.125, 10.00, "2026-12-11"},
		{"gpt-5-mini", 0.25, 0.025, 2.00, "2026-12-11"},
		{"gpt-5-nano", 0.05, 0.005, 0.40, "2026-12-11"},
		{"gpt-4o", 2.50, 1.25, 10.00, "2027-01-14"},
		{"gpt-4o-mini", 0.15, 0.075, 0.60, "2027-01-14"},
		{"gpt-5.4", 2.50, 0.25, 15.00, ""},
		{"gpt-5.4-mini", 0.75, 0.075, 4.50, ""},
		{"gpt-5.4-nano", 0.20, 0.02, 1.25, "2027-04-01"},
		{"gpt-5.5", 5.00, 0.50, 30.00, ""},
	}
	p := DefaultPrices()
	for _, tt := range tests {
		m, ok := p.Lookup(tt.model)
		if !ok {
			t.Errorf("%s missing", tt.model)
			continue
		}
		if m.Input != tt.input || m.CachedInput != tt.cached || m.Output != tt.output || m.Shutdown != tt.shutdown {
			t.Errorf("%s = %+v, want %v/%v/%v shutdown %q", tt.model, m, tt.input, tt.cached, tt.output, tt.shutdown)
		}
		if m.Encoding != "o200k_base" || m.ContextWindow == 0 || m.MaxOutput == 0 {
			t.Errorf("%s: encoding/context/max output missing: %+v", tt.model, m)
		}
	}
}

func TestCheck(t *testing.T) {
	p := DefaultPrices()
	p.Now = fixedClock
	tests := []struct {
		model string
		want  error
	}{
		{"gpt-5.4-mini", nil},
		{"gpt-4.1-mini-2025-04-14", nil}, // dated snapshot of a listed model
		{"gpt-5-mini", nil},              // retiring, not yet retired
		{"gpt-4.1-nano", ErrModelRetired},
		{"gpt-4.1-nano-2025-04-14", ErrModelRetired},
		{"gpt-6-sol", ErrModelNotAllowed}, // in the SDK, price unknown
		{"llama3", ErrModelNotAllowed},
	}
	for _, tt := range tests {
		_, err := p.Check(tt.model)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("Check(%s) = %v, want %v", tt.model, err, tt.want)
		}
	}
}

func TestLoadPricesUserFile(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(dir, "prices.json")
	data := `{"models":{
		"gpt-5.4-mini": {"input": 0.70, "cached_input": 0.07, "output": 4.00, "encoding": "o200k_base", "context_window": 400000, "max_output": 128000},
		"qwen2.5:7b":   {"input": 0, "cached_input": 0, "output": 0, "local": true, "context_window": 32768}
	}}`
	if err := os.WriteFile(user, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPrices(user)
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := p.Lookup("gpt-5.4-mini"); m.Input != 0.70 {
		t.Errorf("user entry did not replace the built-in one: %+v", m)
	}
	if m, ok := p.Lookup("qwen2.5:7b"); !ok || !m.Local {
		t.Errorf("user local model missing: %+v", m)
	}
	if m, _ := p.Lookup("gpt-4o"); m.Input != 2.50 {
		t.Errorf("built-in entries lost: %+v", m)
	}
	if _, err := LoadPrices(filepath.Join(dir, "absent.json")); err != nil {
		t.Errorf("absent user file: %v", err)
	}
}

func TestParsePricesErrors(t *testing.T) {
	tests := []struct{ data, want string }{
		{`{"models":{"m":{"input":1,"ouput":2}}}`, `unknown field "ouput"`},
		{`{"models":{"m":{"input":-1}}}`, "negative price"},
		{`{"models":{"m":{"input":1,"local":true}}}`, "zero prices"},
		{`{"models":{"m":{"shutdown":"14/01/2027"}}}`, "YYYY-MM-DD"},
		{`{"models":{"m":{"encoding":"o300k"}}}`, "unknown encoding"},
	}
	for _, tt := range tests {
		_, err := ParsePrices([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePrices(%s) err = %v, want %q", tt.data, err, tt.want)
		}
	}
}

func TestCheaperModel(t *testing.T) {
	p := DefaultPrices()
	p.Now = fixedClock
	local := p.WithLocal("llama3.1:8b")
	tests := []struct {
		prices  *Prices
		current string
		want    string
		ok      bool
	}{
		{p, "gpt-5.5", "gpt-5.4", true},
		{p, "gpt-5.4", "gpt-5.4-mini", true},
		{p, "gpt-5.4-mini", "gpt-5.4-nano", true},
		{p, "gpt-4.1-mini", "gpt-5-mini", true}, // its "cheaper" (gpt-4.1-nano) is retired: next down by blended price
		{p, "gpt-5-nano", "", false},            // the cheapest
		{local, "llama3.1:8b", "", false},
		{p, "unknown", "", false},
	}
	for _, tt := range tests {
		got, ok := tt.prices.CheaperModel(tt.current)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CheaperModel(%s) = %q %v, want %q %v", tt.current, got, ok, tt.want, tt.ok)
		}
	}
}

func TestModelCost(t *testing.T) {
	m := Model{Input: 0.20, CachedInput: 0.02, Output: 1.25}
	u := Usage{PromptTokens: 3000, CachedTokens: 1024, CompletionTokens: 812, ReasoningTokens: 300}
	want := (1976*0.20 + 1024*0.02 + 812*1.25) / 1e6
	if got := m.Cost(u); math.Abs(got-want) > 1e-15 {
		t.Errorf("Cost = %v, want %v", got, want)
	}
}
