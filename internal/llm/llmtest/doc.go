// Package llmtest is a fake OpenAI-compatible Chat Completions server for
// tests. It follows a script of Steps (text, tool calls, usage with cached
// and reasoning tokens, OpenAI error envelopes, plain-text bodies, 429 with
// Retry-After, 5xx, context_length_exceeded), records every request, and
// bills prompt tokens with its own renderer and the model's tokenizer, so a
// client's offline estimate can be compared with what the server reports.
//
//	srv := llmtest.NewServer(t, llmtest.RateLimited("2"), llmtest.Call("call_1", "run_kql", `{"query":"SigninLogs | take 5"}`))
//	cfg := llm.Config{Provider: llm.ProviderOpenAI, BaseURL: srv.BaseURL(), Model: "gpt-5.4-mini", APIKey: "sk-test"}
//	client, _ := llm.New(cfg, nil, llm.WithHTTPClient(srv.Client()))
//	resp, err := client.Chat(ctx, req)
//	got := srv.Requests()[1].Request // the parsed body the server received
package llmtest
