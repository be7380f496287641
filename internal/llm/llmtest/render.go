// This file is the fake server's token meter. It does not reuse the client's
// counting formula: it renders the received request into the prompt text a
// model is reported to see, and counts that with the model's tokenizer.
//
//   - Every message is framed ChatML-style: <|im_start|>ROLE<|im_sep|>TEXT<|im_end|>,
//     the three special tokens counting one each; a name is rendered as
//     "ROLE:NAME". The reply is primed with <|im_start|>assistant<|im_sep|>.
//   - Tools are rendered as the TypeScript namespace reported for OpenAI
//     models ("namespace functions { // desc \n type f = (_: {...}) => any; }")
//     and appended to the first system message (or sent as one), plus a
//     constant toolsFraming.
//   - Calibration: the name rendering and toolsFraming (-1) were chosen so
//     that the OpenAI cookbook's two requests the API billed on gpt-4o (124
//     tokens for named system messages, 101 with the weather tool) count
//     exactly that here.
//   - An assistant tool call is its own message "assistant to=functions.NAME"
//     with the arguments as text; a tool result is a message whose role is
//     "functions.NAME".

package llmtest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tiktoken-go/tokenizer"
)

const (
	specialPerMessage = 3 // <|im_start|>, <|im_sep|>, <|im_end|>
	replyPriming      = 3 // <|im_start|>assistant<|im_sep|>
	toolsFraming      = -1
)

// Codec returns the tokenizer for a model: the tokenizer's own mapping, or
// o200k_base for names it does not know (gpt-5.4 and later, local models).
func Codec(model string) tokenizer.Codec {
	if c, err := tokenizer.ForModel(tokenizer.Model(model)); err == nil {
		return c
	}
	c, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		panic(err)
	}
	return c
}

// PromptTokens is the number of prompt tokens the fake bills for req.
func PromptTokens(codec tokenizer.Codec, req ChatRequest) int {
	count := func(s string) int {
		n, _ := codec.Count(s)
		return n
	}
	n := replyPriming
	tools := RenderTools(req.Tools)
	systemSeen := false
	names := map[string]string{} // tool call id → function name
	for _, m := range req.Messages {
		text := m.Text()
		if tools != "" && !systemSeen && (m.Role == "system" || m.Role == "developer") {
			text += "\n\n" + tools
			systemSeen = true
		}
		n += renderMessage(count, m, text, names)
	}
	if tools != "" {
		if !systemSeen {
			n += specialPerMessage + count("system") + count(tools)
		}
		n += toolsFraming
	}
	return n
}

func renderMessage(count func(string) int, m WireMessage, text string, names map[string]string) int {
	role := m.Role
	if m.Name != "" {
		role += ":" + m.Name
	}
	if m.Role == "tool" {
		role = "functions." + names[m.ToolCallID]
	}
	n := 0
	if text != "" || len(m.ToolCalls) == 0 {
		n += specialPerMessage + count(role) + count(text)
	}
	for _, tc := range m.ToolCalls {
		names[tc.ID] = tc.Function.Name
		n += specialPerMessage + count("assistant to=functions."+tc.Function.Name) + count(tc.Function.Arguments)
	}
	return n
}

// RenderTools renders tool definitions as a TypeScript namespace.
func RenderTools(tools []WireTool) string {
	if len(tools) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("# Tools\n\n## functions\n\nnamespace functions {\n\n")
	for _, t := range tools {
		f := t.Function
		if f.Description != "" {
			b.WriteString(comment(f.Description, ""))
		}
		fmt.Fprintf(&b, "type %s = (", f.Name)
		if props, _ := f.Parameters["properties"].(map[string]any); len(props) > 0 {
			b.WriteString("_: ")
			b.WriteString(renderObject(f.Parameters, ""))
		}
		b.WriteString(") => any;\n\n")
	}
	b.WriteString("} // namespace functions")
	return b.String()
}

func renderObject(s map[string]any, indent string) string {
	props, _ := s["properties"].(map[string]any)
	required := stringList(s["required"])
	var b strings.Builder
	b.WriteString("{\n")
	for _, name := range sortedKeys(props) {
		p, _ := props[name].(map[string]any)
		if d, _ := p["description"].(string); d != "" {
			b.WriteString(comment(d, indent))
		}
		opt := "?"
		if slices.Contains(required, name) {
			opt = ""
		}
		fmt.Fprintf(&b, "%s%s%s: %s,\n", indent, name, opt, renderType(p, indent))
	}
	b.WriteString(indent + "}")
	return b.String()
}

func renderType(p map[string]any, indent string) string {
	if enum, ok := p["enum"].([]any); ok {
		var vs []string
		for _, v := range enum {
			if s, ok := v.(string); ok {
				vs = append(vs, fmt.Sprintf("%q", s))
			} else {
				vs = append(vs, fmt.Sprint(v))
			}
		}
		return strings.Join(vs, " | ")
	}
	var parts []string
	for _, t := range typeList(p["type"]) {
		parts = append(parts, renderScalar(t, p, indent))
	}
	if len(parts) == 0 {
		return "any"
	}
	return strings.Join(parts, " | ")
}

func renderScalar(t string, p map[string]any, indent string) string {
	switch t {
	case "integer", "number":
		return "number"
	case "object":
		if _, ok := p["properties"]; ok {
			return renderObject(p, indent)
		}
		return "object"
	case "array":
		items, _ := p["items"].(map[string]any)
		if items == nil {
			return "any[]"
		}
		return renderType(items, indent) + "[]"
	}
	return t
}

func comment(text, indent string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		b.WriteString(indent + "// " + line + "\n")
	}
	return b.String()
}

func typeList(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return stringList(v)
}

func stringList(v any) []string {
	var out []string
	if list, ok := v.([]any); ok {
		for _, x := range list {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
