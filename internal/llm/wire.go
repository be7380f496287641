// This file converts between our Request/Response and the SDK's Chat
// Completions types.

package llm

import (
	"fmt"
	"net/http"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
)

// params builds the SDK request. Tools are always strict and, when present,
// parallel tool calls are off (strict schemas are not guaranteed with them).
func (c *Client) params(req Request, model string) (openai.ChatCompletionNewParams, error) {
	p := openai.ChatCompletionNewParams{Model: shared.ChatModel(c.wireModel(model))}
	for i, m := range req.Messages {
		mp, err := messageParam(m)
		if err != nil {
			return p, fmt.Errorf("message %d: %w", i, err)
		}
		p.Messages = append(p.Messages, mp)
	}
	for _, t := range req.Tools {
		def := shared.FunctionDefinitionParam{
			Name:       t.Name,
			Strict:     openai.Bool(true),
			Parameters: shared.FunctionParameters(t.Parameters),
		}
		if t.Description != "" {
			def.Description = openai.String(t.Description)
		}
		p.Tools = append(p.Tools, openai.ChatCompletionFunctionTool(def))
	}
	if len(req.Tools) > 0 {
		p.ParallelToolCalls = openai.Bool(false)
	}
	p.ToolChoice = toolChoice(req.ToolChoice)
	if n := int64(req.MaxOutputTokens); n > 0 {
		// Compatible servers know max_tokens; OpenAI's reasoning models
		// accept only max_completion_tokens.
		if c.cfg.Provider == ProviderCompatible {
			p.MaxTokens = openai.Int(n)
		} else {
			p.MaxCompletionTokens = openai.Int(n)
		}
	}
	if req.Temperature != nil {
		p.Temperature = openai.Float(*req.Temperature)
	}
	return p, nil
}

// wireModel is the name sent in the body: on Azure the deployment, since the
// deployment (not the model) decides what answers.
func (c *Client) wireModel(model string) string {
	if c.cfg.Provider == ProviderAzure && model == c.cfg.Model {
		return c.cfg.Deployment
	}
	return model
}

func toolChoice(tc ToolChoice) openai.ChatCompletionToolChoiceOptionUnionParam {
	switch tc {
	case "":
		return openai.ChatCompletionToolChoiceOptionUnionParam{}
	case ToolChoiceAuto, ToolChoiceNone, ToolChoiceRequired:
		return openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String(string(tc))}
	}
	return openai.ChatCompletionToolChoiceOptionUnionParam{
		OfFunctionToolChoice: &openai.ChatCompletionNamedToolChoiceParam{
			Function: openai.ChatCompletionNamedToolChoiceFunctionParam{Name: string(tc)},
		},
	}
}

func messageParam(m Message) (openai.ChatCompletionMessageParamUnion, error) {
	switch m.Role {
	case RoleSystem:
		p := openai.SystemMessage(m.Content)
		if m.Name != "" {
			p.OfSystem.Name = openai.String(m.Name)
		}
		return p, nil
	case RoleDeveloper:
		p := openai.DeveloperMessage(m.Content)
		if m.Name != "" {
			p.OfDeveloper.Name = openai.String(m.Name)
		}
		return p, nil
	case RoleUser:
		p := openai.UserMessage(m.Content)
		if m.Name != "" {
			p.OfUser.Name = openai.String(m.Name)
		}
		return p, nil
	case RoleAssistant:
		return assistantParam(m), nil
	case RoleTool:
		if m.ToolCallID == "" {
			return openai.ChatCompletionMessageParamUnion{}, fmt.Errorf("tool message without tool_call_id")
		}
		return openai.ToolMessage(m.Content, m.ToolCallID), nil
	}
	return openai.ChatCompletionMessageParamUnion{}, fmt.Errorf("unknown role %q", m.Role)
}

// assistantParam replays an assistant turn verbatim, tool calls included.
func assistantParam(m Message) openai.ChatCompletionMessageParamUnion {
	var a openai.ChatCompletionAssistantMessageParam
	if m.Content != "" || len(m.ToolCalls) == 0 {
		a.Content.OfString = openai.String(m.Content)
	}
	if m.Refusal != "" {
		a.Refusal = openai.String(m.Refusal)
	}
	if m.Name != "" {
		a.Name = openai.String(m.Name)
	}
	for _, tc := range m.ToolCalls {
		a.ToolCalls = append(a.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{
			OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
				ID: tc.ID,
				Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{
					Name: tc.Name, Arguments: tc.Arguments,
				},
			},
		})
	}
	return openai.ChatCompletionMessageParamUnion{OfAssistant: &a}
}

// response converts the SDK's answer. When the server reported no usage
// (compatible servers may not), the usage is counted offline and marked
// Estimated.
func (c *Client) response(cc *openai.ChatCompletion, hr *http.Response, m Model, est Estimate) (Response, error) {
	if len(cc.Choices) == 0 {
		return Response{}, &APIError{Kind: ErrBadResponse, Message: "no choices in the response", Server: c.serverName()}
	}
	ch := cc.Choices[0]
	r := Response{
		Model:        cc.Model,
		FinishReason: ch.FinishReason,
		Message:      Message{Role: RoleAssistant, Content: ch.Message.Content, Refusal: ch.Message.Refusal},
	}
	if hr != nil {
		r.RequestID = hr.Header.Get("x-request-id")
	}
	for _, tc := range ch.Message.ToolCalls {
		call := ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments}
		if tc.Type == "custom" {
			call.Name, call.Arguments = tc.Custom.Name, tc.Custom.Input
		}
		r.Message.ToolCalls = append(r.Message.ToolCalls, call)
	}
	r.Usage = c.usage(cc, r.Message, est)
	r.Usage.USD = m.Cost(r.Usage)
	return r, nil
}

func (c *Client) usage(cc *openai.ChatCompletion, reply Message, est Estimate) Usage {
	if cc.JSON.Usage.Valid() {
		u := cc.Usage
		return Usage{
			PromptTokens:     int(u.PromptTokens),
			CachedTokens:     int(u.PromptTokensDetails.CachedTokens),
			CompletionTokens: int(u.CompletionTokens),
			ReasoningTokens:  int(u.CompletionTokensDetails.ReasoningTokens),
		}
	}
	out := 0
	if m, err := c.prices.Check(est.Model); err == nil {
		if codec, _, err := codecFor(est.Model, m); err == nil {
			out = outputTokens(codec, reply)
		}
	}
	return Usage{PromptTokens: est.InputTokens, CompletionTokens: out, Estimated: true}
}
