package llm

import (
	"errors"
	"strings"
	"testing"
)

func obj(props map[string]any, required ...any) map[string]any {
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func TestValidateTool(t *testing.T) {
	str := map[string]any{"type": "string"}
	tests := []struct {
		name string
		tool Tool
		want string // "" for valid
	}{
		{"run_kql is strict", runKQL, ""},
		{"nested array of objects", Tool{Name: "isolate", Parameters: obj(map[string]any{
			"hosts": map[string]any{"type": "array", "items": obj(map[string]any{"id": str}, "id")},
		}, "hosts")}, ""},
		{"bad name", Tool{Name: "run kql", Parameters: obj(nil)}, "name must match"},
		{"no schema", Tool{Name: "t"}, "missing"},
		{"root not object", Tool{Name: "t", Parameters: map[string]any{"type": "string"}}, "root must be"},
		{"additionalProperties missing", Tool{Name: "t", Parameters: map[string]any{"type": "object", "properties": map[string]any{"q": str}, "required": []any{"q"}}}, "additionalProperties"},
		{"optional property", Tool{Name: "t", Parameters: obj(map[string]any{"q": str, "limit": str}, "q")}, "/properties/limit"},
		{"nested object not closed", Tool{Name: "t", Parameters: obj(map[string]any{
			"filter": map[string]any{"type": "object", "properties": map[string]any{"a": str}, "required": []any{"a"}},
		}, "filter")}, "/properties/filter"},
		{"default", Tool{Name: "t", Parameters: obj(map[string]any{"q": map[string]any{"type": "string", "default": "x"}}, "q")}, `"default"`},
		{"anyOf branch", Tool{Name: "t", Parameters: obj(map[string]any{"v": map[string]any{"anyOf": []any{str, map[string]any{"type": "object", "properties": map[string]any{}}}}}, "v")}, "/anyOf/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateTool(tt.tool)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var se *SchemaError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestToolCallCheck(t *testing.T) {
	tools := []Tool{runKQL}
	tests := []struct {
		call ToolCall
		want string
	}{
		{ToolCall{ID: "1", Name: "run_kql", Arguments: `{"query":"x","timespan":null,"max_rows":5,"rationale":"r"}`}, ""},
		{ToolCall{ID: "2", Name: "isolate_machine", Arguments: `{}`}, "unknown tool"},
		{ToolCall{ID: "3", Name: "run_kql", Arguments: `{"query": "SigninLogs | take`}, "not a JSON object"},
		{ToolCall{ID: "4", Name: "run_kql", Arguments: `["query"]`}, "not a JSON object"},
		{ToolCall{ID: "5", Name: "run_kql", Arguments: `null`}, "not a JSON object"},
	}
	for _, tt := range tests {
		err := tt.call.Check(tools)
		if tt.want == "" && err != nil || tt.want != "" && (!errors.Is(err, ErrBadToolCall) || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Check(%+v) = %v, want %q", tt.call, err, tt.want)
		}
	}
}

func TestToolCallDecode(t *testing.T) {
	var args struct {
		Query     string  `json:"query"`
		Timespan  *string `json:"timespan"`
		MaxRows   int     `json:"max_rows"`
		Rationale string  `json:"rationale"`
	}
	good := ToolCall{Name: "run_kql", Arguments: `{"query":"x","timespan":null,"max_rows":5,"rationale":"r"}`}
	if err := good.Decode(&args); err != nil || args.MaxRows != 5 {
		t.Errorf("Decode = %v %+v", err, args)
	}
	extra := ToolCall{Name: "run_kql", Arguments: `{"query":"x","isolate":true}`}
	if err := extra.Decode(&args); !errors.Is(err, ErrBadToolCall) {
		t.Errorf("unknown field accepted: %v", err)
	}
	trailing := ToolCall{Name: "run_kql", Arguments: `{"query":"x"} {"query":"y"}`}
	if err := trailing.Decode(&args); !errors.Is(err, ErrBadToolCall) {
		t.Errorf("trailing data accepted: %v", err)
	}
}
