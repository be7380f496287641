// Package llm is the model layer of vigil's agent mode: configuration, a
// Chat Completions client over the official OpenAI SDK (OpenAI, Azure OpenAI
// and OpenAI-compatible servers such as Ollama, vLLM and llama.cpp), a price
// table that doubles as the model allow-list, offline token counting, and a
// budget enforced before every call.
//
// A typical agent turn:
//
//	dotenv, _ := llm.ReadDotenv(".env")
//	cfg, err := llm.Resolve(fileCfg, os.Getenv, dotenv)
//	if errors.Is(err, llm.ErrNotConfigured) {
//		fmt.Fprintln(stderr, "no model configured: offline hunter only")
//		return
//	}
//	prices, err := llm.LoadPrices(userPricesPath) // embedded table + user file
//	client, err := llm.New(cfg, prices)
//	budget, err := llm.NewBudget(llm.Limits{InvestigationUSD: 0.01, DayUSD: 0.50}, stateDir, nil)
//
//	req := llm.Request{Messages: msgs, Tools: tools, ToolChoice: llm.ToolChoiceAuto, MaxOutputTokens: 800}
//	est, err := client.Estimate(req)
//	if err := budget.Reserve(est); errors.Is(err, llm.ErrOverBudget) {
//		// fewer rows, or prices.CheaperModel(client.Model()), or stop
//	}
//	resp, err := client.Chat(ctx, req)
//	budget.Record(resp.Usage) // zero Usage on error releases the reservation
//	var tooLong *llm.ContextLengthError
//	if errors.As(err, &tooLong) { /* shrink the input, retry once */ }
//	fmt.Println(budget.Investigation()) // "4 model calls, 3,812 tokens, $0.0011"
//
// Package llmtest holds a fake OpenAI-compatible server for tests.
package llm
