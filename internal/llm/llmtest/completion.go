// This file builds a successful chat.completion body, usage included.

package llmtest

import (
	"github.com/tiktoken-go/tokenizer"
)

type completionBody struct {
	ID      string   `json:"id"`
	Object  string   `json:"object"`
	Created int64    `json:"created"`
	Model   string   `json:"model"`
	Choices []choice `json:"choices"`
	Usage   *usage   `json:"usage,omitempty"`
}

type choice struct {
	Index        int     `json:"index"`
	FinishReason string  `json:"finish_reason"`
	Logprobs     any     `json:"logprobs"`
	Message      message `json:"message"`
}

type message struct {
	Role      string         `json:"role"`
	Content   *string        `json:"content"`
	Refusal   *string        `json:"refusal"`
	ToolCalls []WireToolCall `json:"tool_calls,omitempty"`
}

type usage struct {
	PromptTokens            int            `json:"prompt_tokens"`
	CompletionTokens        int            `json:"completion_tokens"`
	TotalTokens             int            `json:"total_tokens"`
	PromptTokensDetails     map[string]int `json:"prompt_tokens_details"`
	CompletionTokensDetails map[string]int `json:"completion_tokens_details"`
}

// completion answers st for the recorded request. Completion tokens are the
// reply's text and tool calls counted with the same tokenizer, plus the
// step's reasoning tokens; cached tokens are capped at the prompt.
func completion(st Step, rec Recorded, codec tokenizer.Codec) completionBody {
	msg := message{Role: "assistant"}
	if st.Content != "" || len(st.ToolCalls) == 0 {
		msg.Content = &st.Content
	}
	out := count(codec, st.Content) + st.ReasoningTokens
	for _, tc := range st.ToolCalls {
		var w WireToolCall
		w.ID, w.Type = tc.ID, "function"
		w.Function.Name, w.Function.Arguments = tc.Name, tc.Arguments
		msg.ToolCalls = append(msg.ToolCalls, w)
		out += count(codec, tc.Name) + count(codec, tc.Arguments)
	}
	finish := st.FinishReason
	if finish == "" {
		finish = "stop"
		if len(st.ToolCalls) > 0 {
			finish = "tool_calls"
		}
	}
	body := completionBody{
		ID: "chatcmpl-llmtest", Object: "chat.completion", Created: 1767225600, Model: rec.Request.Model,
		Choices: []choice{{FinishReason: finish, Message: msg}},
	}
	if !st.NoUsage {
		body.Usage = &usage{
			PromptTokens:            rec.PromptTokens,
			CompletionTokens:        out,
			TotalTokens:             rec.PromptTokens + out,
			PromptTokensDetails:     map[string]int{"cached_tokens": min(st.CachedTokens, rec.PromptTokens), "audio_tokens": 0},
			CompletionTokensDetails: map[string]int{"reasoning_tokens": st.ReasoningTokens, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
		}
	}
	return body
}

func count(codec tokenizer.Codec, s string) int {
	if s == "" {
		return 0
	}
	n, _ := codec.Count(s)
	return n
}
