// This file checks tool definitions against OpenAI's strict-mode rules before
// anything is sent, and checks the tool calls a model returns.

package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
)

var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// SchemaError reports a tool definition that strict mode would reject.
type SchemaError struct {
	Tool string
	Path string // JSON pointer-like path inside the parameters schema
	Msg  string
}

func (e *SchemaError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("tool %q: %s", e.Tool, e.Msg)
	}
	return fmt.Sprintf("tool %q: %s: %s", e.Tool, e.Path, e.Msg)
}

// ValidateTool reports whether t is acceptable in strict mode: a valid name,
// an object schema at the root, and on every object "additionalProperties":
// false with every property listed in "required" (optional fields use a
// ["type","null"] union instead). "default" is rejected because strict mode
// does not support it.
func ValidateTool(t Tool) error {
	if !toolName.MatchString(t.Name) {
		return &SchemaError{Tool: t.Name, Msg: "name must match [a-zA-Z0-9_-]{1,64}"}
	}
	if t.Parameters == nil {
		return &SchemaError{Tool: t.Name, Msg: "parameters schema is missing"}
	}
	if t.Parameters["type"] != "object" {
		return &SchemaError{Tool: t.Name, Path: "/", Msg: `root must be {"type":"object"}`}
	}
	return checkSchema(t.Name, "", t.Parameters)
}

func checkSchema(tool, path string, s map[string]any) error {
	if _, ok := s["default"]; ok {
		return &SchemaError{Tool: tool, Path: path, Msg: `"default" is not supported in strict mode`}
	}
	if hasType(s, "object") {
		if err := checkObject(tool, path, s); err != nil {
			return err
		}
	}
	if sub, ok := s["items"].(map[string]any); ok {
		if err := checkSchema(tool, path+"/items", sub); err != nil {
			return err
		}
	}
	for _, key := range []string{"anyOf", "$defs", "definitions"} {
		if err := checkChildren(tool, path+"/"+key, s[key]); err != nil {
			return err
		}
	}
	return nil
}

func checkObject(tool, path string, s map[string]any) error {
	if s["additionalProperties"] != false {
		return &SchemaError{Tool: tool, Path: path, Msg: `objects need "additionalProperties": false`}
	}
	props, _ := s["properties"].(map[string]any)
	required := stringList(s["required"])
	for _, name := range sortedKeys(props) {
		if !slices.Contains(required, name) {
			return &SchemaError{Tool: tool, Path: path + "/properties/" + name,
				Msg: `every property must be in "required" (use a null union for optional ones)`}
		}
		sub, ok := props[name].(map[string]any)
		if !ok {
			return &SchemaError{Tool: tool, Path: path + "/properties/" + name, Msg: "property schema must be an object"}
		}
		if err := checkSchema(tool, path+"/properties/"+name, sub); err != nil {
			return err
		}
	}
	return nil
}

func checkChildren(tool, path string, v any) error {
	switch v := v.(type) {
	case []any:
		for i, sub := range v {
			if m, ok := sub.(map[string]any); ok {
				if err := checkSchema(tool, fmt.Sprintf("%s/%d", path, i), m); err != nil {
					return err
				}
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if m, ok := v[k].(map[string]any); ok {
				if err := checkSchema(tool, path+"/"+k, m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// hasType reports whether the schema's "type" is want or a union containing it.
func hasType(s map[string]any, want string) bool {
	switch t := s["type"].(type) {
	case string:
		return t == want
	case []any:
		return slices.Contains(stringList(t), want)
	case []string:
		return slices.Contains(t, want)
	}
	return false
}

func stringList(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ErrBadToolCall is wrapped by the errors Check returns.
var ErrBadToolCall = errors.New("bad tool call")

// ToolCallError describes a tool call the agent must not execute: an unknown
// tool or arguments that are not a JSON object. Its message is safe to send
// back to the model as the tool result.
type ToolCallError struct {
	Call   ToolCall
	Reason string
}

func (e *ToolCallError) Error() string {
	return fmt.Sprintf("tool call %s (%s): %s", e.Call.ID, e.Call.Name, e.Reason)
}

func (e *ToolCallError) Unwrap() error { return ErrBadToolCall }

// Check reports whether the call names one of tools and its arguments parse
// as a JSON object. It does not check the arguments against the schema; each
// tool validates its own fields (Decode helps).
func (c ToolCall) Check(tools []Tool) error {
	if !slices.ContainsFunc(tools, func(t Tool) bool { return t.Name == c.Name }) {
		return &ToolCallError{Call: c, Reason: "unknown tool"}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(c.Arguments), &obj); err != nil || obj == nil {
		return &ToolCallError{Call: c, Reason: "arguments are not a JSON object"}
	}
	return nil
}

// Decode unmarshals the arguments into v, rejecting unknown fields and
// trailing data.
func (c ToolCall) Decode(v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(c.Arguments)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &ToolCallError{Call: c, Reason: "invalid arguments: " + err.Error()}
	}
	if dec.More() {
		return &ToolCallError{Call: c, Reason: "invalid arguments: trailing data"}
	}
	return nil
}
