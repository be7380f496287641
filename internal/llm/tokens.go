// This file counts the tokens of a chat request offline, with the model's
// own tokenizer, and turns the count into a worst-case price.
//
// The API does not document how it frames messages and tools, so the count
// is an approximation (OpenAI cookbook, "How to count tokens with tiktoken"):
//   - each message costs 3 framing tokens plus its role and content, a name
//     costs 1 more, and every reply is primed with 3 tokens;
//   - tool definitions cost 7 per function plus "name:description", 3 per
//     parameter list, 3 per property plus "key:type:description", enum values
//     3 each (-3 once), and 12 at the end; nested objects and array items are
//     counted the same way (the cookbook stops at the first level);
//   - an assistant tool call costs its name and arguments plus 7; a tool
//     result costs a message plus 1.
// The cookbook's two API-checked examples (124 and 101 tokens on gpt-4o) are
// reproduced exactly by this code (see tokens_test.go).

package llm

import (
	"fmt"
	"strings"

	"github.com/tiktoken-go/tokenizer"
)

const (
	perMessage     = 3
	perName        = 1
	replyPriming   = 3
	perToolCall    = 7
	perToolResult  = 1
	funcInit       = 7
	propInit       = 3
	propKey        = 3
	enumInit       = -3
	enumItem       = 3
	funcEnd        = 12
	fallbackOutput = 16384 // max output assumed when neither request nor table gives one
)

// Estimate is what a request may cost, known before it is sent.
// InputTokens is an offline count (within a few percent of what the API
// reports); MaxOutputTokens is the request's cap or the model's maximum;
// WorstCaseUSD prices both with no cache discount. Estimated is set when the
// tokenizer does not know the model and o200k_base stood in.
type Estimate struct {
	Model           string
	Encoding        string
	InputTokens     int
	MaxOutputTokens int
	WorstCaseUSD    float64
	Estimated       bool
}

// Tokens is the worst-case token total of the call.
func (e Estimate) Tokens() int { return e.InputTokens + e.MaxOutputTokens }

// Estimate counts req for model (req.Model when model is empty) and prices
// the worst case. The model must pass Check.
func (p *Prices) Estimate(req Request, model string) (Estimate, error) {
	if model == "" {
		model = req.Model
	}
	m, err := p.Check(model)
	if err != nil {
		return Estimate{}, err
	}
	codec, estimated, err := codecFor(model, m)
	if err != nil {
		return Estimate{}, err
	}
	in, err := CountTokens(codec, req)
	if err != nil {
		return Estimate{}, err
	}
	out := req.MaxOutputTokens
	if out <= 0 {
		out = m.MaxOutput
	}
	if out <= 0 {
		out = fallbackOutput
	}
	return Estimate{
		Model:           model,
		Encoding:        codec.GetName(),
		InputTokens:     in,
		MaxOutputTokens: out,
		WorstCaseUSD:    (float64(in)*m.Input + float64(out)*m.Output) / 1e6,
		Estimated:       estimated,
	}, nil
}

// codecFor picks the table's encoding, else the tokenizer's mapping for the
// model name, else o200k_base (estimated).
func codecFor(model string, m Model) (tokenizer.Codec, bool, error) {
	if m.Encoding != "" {
		c, err := tokenizer.Get(tokenizer.Encoding(m.Encoding))
		return c, false, err
	}
	if c, err := tokenizer.ForModel(tokenizer.Model(model)); err == nil {
		return c, false, nil
	}
	c, err := tokenizer.Get(tokenizer.O200kBase)
	return c, true, err
}

// CountTokens counts a whole request as the API bills its prompt (see the
// file comment for the approximation).
func CountTokens(codec tokenizer.Codec, req Request) (int, error) {
	c := counter{codec: codec}
	n := replyPriming
	for _, m := range req.Messages {
		n += c.message(m)
	}
	if len(req.Tools) > 0 {
		for _, t := range req.Tools {
			n += funcInit + c.count(t.Name+":"+trimDot(t.Description)) + c.properties(t.Parameters)
		}
		n += funcEnd
	}
	return n, c.err
}

type counter struct {
	codec tokenizer.Codec
	err   error
}

func (c *counter) count(s string) int {
	if s == "" {
		return 0
	}
	n, err := c.codec.Count(s)
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("count tokens: %w", err)
	}
	return n
}

func (c *counter) message(m Message) int {
	n := perMessage + c.count(string(m.Role)) + c.count(m.Content) + c.count(m.Refusal)
	if m.Name != "" {
		n += perName + c.count(m.Name)
	}
	for _, call := range m.ToolCalls {
		n += perToolCall + c.count(call.Name) + c.count(call.Arguments)
	}
	if m.Role == RoleTool {
		n += perToolResult
	}
	return n
}

// outputTokens approximates the completion tokens of a reply: its text and
// each tool call's name and arguments.
func outputTokens(codec tokenizer.Codec, m Message) int {
	c := counter{codec: codec}
	n := c.count(m.Content) + c.count(m.Refusal)
	for _, call := range m.ToolCalls {
		n += c.count(call.Name) + c.count(call.Arguments)
	}
	return n
}

// properties counts an object schema's property list, recursing into nested
// objects and array items.
func (c *counter) properties(schema map[string]any) int {
	props, _ := schema["properties"].(map[string]any)
	if len(props) == 0 {
		return 0
	}
	n := propInit
	for _, key := range sortedKeys(props) {
		p, _ := props[key].(map[string]any)
		desc, _ := p["description"].(string)
		n += propKey + c.count(key+":"+typeName(p)+":"+trimDot(desc))
		if enum, ok := p["enum"].([]any); ok {
			n += enumInit
			for _, v := range enum {
				n += enumItem + c.count(fmt.Sprint(v))
			}
		}
		n += c.properties(p)
		if items, ok := p["items"].(map[string]any); ok {
			n += c.properties(items)
		}
	}
	return n
}

// typeName renders a schema's type the way the cookbook does; a union such as
// ["string","null"] becomes "string|null".
func typeName(p map[string]any) string {
	switch t := p["type"].(type) {
	case string:
		return t
	case []any:
		return strings.Join(stringList(t), "|")
	case []string:
		return strings.Join(t, "|")
	}
	return ""
}

func trimDot(s string) string { return strings.TrimSuffix(s, ".") }
