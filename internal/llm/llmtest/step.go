// This file defines the script the fake server follows: one Step per request.

package llmtest

import (
	"fmt"
	"strconv"
)

// Step is how the fake answers one request. With Status 0 or 200 it replies
// with Content and/or ToolCalls and a usage block it computes itself;
// otherwise it sends Status with Body verbatim (a recorded or non-OpenAI
// body) or, when Body is empty, Error in OpenAI's envelope. ContextLimit > 0
// makes it answer 400 context_length_exceeded if the prompt it counted is
// over that limit, with OpenAI's message carrying both numbers.
type Step struct {
	Content         string            `json:"content,omitempty"`
	ToolCalls       []ToolCall        `json:"tool_calls,omitempty"`
	FinishReason    string            `json:"finish_reason,omitempty"` // default stop or tool_calls
	CachedTokens    int               `json:"cached_tokens,omitempty"`
	ReasoningTokens int               `json:"reasoning_tokens,omitempty"`
	NoUsage         bool              `json:"no_usage,omitempty"` // omit usage, like some compatible servers
	Status          int               `json:"status,omitempty"`
	Error           *Error            `json:"error,omitempty"`
	Body            string            `json:"body,omitempty"`
	ContentType     string            `json:"content_type,omitempty"`
	Headers         map[string]string `json:"headers,omitempty"`
	ContextLimit    int               `json:"context_limit,omitempty"`
}

// ToolCall is a scripted tool call; Arguments is sent as is, valid or not.
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Error is OpenAI's error object.
type Error struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Param   any    `json:"param"`
	Code    any    `json:"code"`
}

// Text replies with assistant text.
func Text(content string) Step { return Step{Content: content} }

// Call replies with one tool call.
func Call(id, name, arguments string) Step {
	return Step{ToolCalls: []ToolCall{{ID: id, Name: name, Arguments: arguments}}}
}

// RateLimited is a 429 rate_limit_exceeded with Retry-After in seconds
// (omitted when retryAfter is "").
func RateLimited(retryAfter string) Step {
	s := apiError(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded")
	if retryAfter != "" {
		s.Headers = map[string]string{"Retry-After": retryAfter}
	}
	return s
}

// RateLimitedMS is a 429 carrying retry-after-ms, as Azure and OpenAI send.
func RateLimitedMS(ms int) Step {
	s := apiError(429, "Rate limit reached for tokens", "tokens", "rate_limit_exceeded")
	s.Headers = map[string]string{"retry-after-ms": strconv.Itoa(ms)}
	return s
}

// Quota is the 429 insufficient_quota that retrying never fixes.
func Quota() Step {
	return apiError(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota")
}

// InvalidKey is a 401 whose message echoes part of the key, as OpenAI's does.
func InvalidKey(key string) Step {
	shown := key
	if len(key) > 8 {
		shown = key[:3] + "*****" + key[len(key)-4:]
	}
	return apiError(401, "Incorrect API key provided: "+shown+". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key")
}

// ModelNotFound is the 404 for an unknown or retired model.
func ModelNotFound(model string) Step {
	return apiError(404, fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model), "invalid_request_error", "model_not_found")
}

// ServerError is a 5xx in OpenAI's envelope.
func ServerError(status int) Step {
	return apiError(status, "The server had an error while processing your request. Sorry about that!", "server_error", nil)
}

// PlainText is an error body that is not JSON, as proxies and some
// compatible servers send.
func PlainText(status int, body string) Step {
	return Step{Status: status, Body: body, ContentType: "text/plain; charset=utf-8"}
}

// RawJSON is an error body in some other JSON shape.
func RawJSON(status int, body string) Step {
	return Step{Status: status, Body: body, ContentType: "application/json"}
}

// ContextLengthExceeded answers 400 context_length_exceeded for any prompt
// longer than limit tokens.
func ContextLengthExceeded(limit int) Step { return Step{ContextLimit: limit} }

func apiError(status int, msg, typ string, code any) Step {
	return Step{Status: status, Error: &Error{Message: msg, Type: typ, Code: code}}
}
