package llmtest

import (
	"encoding/json"
	"testing"
)

// The fake bills the OpenAI cookbook's two requests exactly as the API did
// on gpt-4o ("How to count tokens with tiktoken", sections 6 and 7).
func TestPromptTokensCookbook(t *testing.T) {
	tests := []struct {
		name, body string
		api        int
	}{
		{"named system messages", `{"model":"gpt-4o","messages":[
			{"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
			{"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},
			{"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},
			{"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
			{"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},
			{"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}]}`, 124},
		{"weather tool", `{"model":"gpt-4o","messages":[
			{"role":"system","content":"You are a helpful assistant that can answer to questions about the weather."},
			{"role":"user","content":"What's the weather like in San Francisco?"}],
			"tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location",
			"parameters":{"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
			"unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},"required":["location"]}}}]}`, 101},
	}
	for _, tt := range tests {
		var req ChatRequest
		if err := json.Unmarshal([]byte(tt.body), &req); err != nil {
			t.Fatal(err)
		}
		if got := PromptTokens(Codec(req.Model), req); got != tt.api {
			t.Errorf("%s: PromptTokens = %d, the API billed %d", tt.name, got, tt.api)
		}
	}
}

func TestRenderTools(t *testing.T) {
	var tools []WireTool
	err := json.Unmarshal([]byte(`[{"type":"function","function":{"name":"run_kql","description":"Run KQL.",
		"parameters":{"type":"object","properties":{
			"query":{"type":"string","description":"The query."},
			"timespan":{"type":["string","null"]},
			"hosts":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false}}},
		"required":["query","timespan","hosts"],"additionalProperties":false}}}]`), &tools)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Tools\n\n## functions\n\nnamespace functions {\n\n// Run KQL.\ntype run_kql = (_: {\n" +
		"hosts: {\nid: string,\n}[],\n// The query.\nquery: string,\ntimespan: string | null,\n}) => any;\n\n} // namespace functions"
	if got := RenderTools(tools); got != want {
		t.Errorf("RenderTools =\n%s\nwant\n%s", got, want)
	}
}
