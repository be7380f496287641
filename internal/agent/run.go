package agent

// This file runs one conversation: the step loop, the limits that force a
// final submit, and why a run stopped.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tiktoken-go/tokenizer"
	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/llm"
)

// run is the state of one Run.
type run struct {
	a       *Agent
	parent  context.Context
	ctx     context.Context
	started time.Time
	now     time.Time
	model   string
	maxOut  int
	codec   tokenizer.Codec
	budget  *llm.Budget
	conv    []llm.Message
	views   map[int]*view // conversation index → shrinkable result
	res     *Result
	ents    map[string]EntityInfo // entity_context answers, by lower-cased value

	lastWorst  float64 // worst-case USD of the last call
	forcedSent bool
	proposals  int
}

// Run hunts for request. The hunter's findings are merged with the
// agent's whatever the model does. The Result is always returned; the
// error is non-nil when the run could not use the model at all (invalid
// key, no quota, a misconfigured model) or ctx was cancelled; Result.Stop
// says why in words.
func (a *Agent) Run(ctx context.Context, request string, hunter []finding.Finding) (*Result, error) {
	r, err := a.newRun(ctx)
	if err != nil {
		return &Result{Findings: finding.Merge(hunter), Stop: "not started: " + err.Error()}, err
	}
	var cancel context.CancelFunc
	r.ctx, cancel = context.WithTimeout(ctx, a.cfg.MaxDuration)
	defer cancel()
	r.conv = []llm.Message{
		{Role: llm.RoleSystem, Content: a.systemPrompt(r.now)},
		{Role: llm.RoleUser, Content: userPrompt(request) + a.huntsContext()},
	}
	err = r.loop()
	r.finish(hunter)
	return r.res, err
}

func (a *Agent) newRun(ctx context.Context) (*run, error) {
	budget := a.deps.Budget
	if budget == nil {
		var err error
		if budget, err = llm.NewBudget(llm.Limits{}, "", nil); err != nil {
			return nil, err
		}
	}
	now := a.cfg.Now
	if now.IsZero() {
		now = a.deps.Clock()
	}
	r := &run{a: a, parent: ctx, started: a.deps.Clock(), now: now, model: a.deps.Model.Model(),
		maxOut: a.cfg.MaxOutputTokens, budget: budget, views: map[int]*view{}, ents: map[string]EntityInfo{},
		res: &Result{Evidence: newEvidence()}}
	r.codec = codecFor(a.deps.Model.Prices(), r.model)
	return r, nil
}

// codecFor is the model's tokenizer: the price table's encoding, the
// tokenizer's own mapping, else o200k_base.
func codecFor(p *llm.Prices, model string) tokenizer.Codec {
	if p != nil {
		if m, ok := p.Lookup(model); ok && m.Encoding != "" {
			if c, err := tokenizer.Get(tokenizer.Encoding(m.Encoding)); err == nil {
				return c
			}
		}
	}
	if c, err := tokenizer.ForModel(tokenizer.Model(model)); err == nil {
		return c
	}
	c, _ := tokenizer.Get(tokenizer.O200kBase)
	return c
}

func (r *run) loop() error {
	nudged := false
	for step := 0; step < r.a.cfg.MaxSteps; step++ {
		forced, why := r.limitsNear(step)
		if forced && !r.forcedSent {
			r.conv = append(r.conv, llm.Message{Role: llm.RoleUser, Content: forcedNote(why)})
			r.forcedSent = true
		}
		resp, err := r.call(forced)
		if err != nil {
			return r.stopOn(err)
		}
		r.conv = append(r.conv, resp.Message)
		if r.cutOff(resp) {
			return nil
		}
		if len(resp.Message.ToolCalls) == 0 {
			if nudged || forced {
				r.res.Stop = "the model stopped without submitting findings"
				return nil
			}
			nudged = true
			r.conv = append(r.conv, llm.Message{Role: llm.RoleUser, Content: "[vigil] Call submit_findings to finish (an empty list if nothing is malicious)."})
			continue
		}
		for _, call := range resp.Message.ToolCalls {
			r.answer(call, forced)
			if r.res.Submitted {
				r.res.Stop = "findings submitted"
				return nil
			}
		}
	}
	r.res.Stop = fmt.Sprintf("the step limit (%d model calls) was reached before the model submitted findings", r.a.cfg.MaxSteps)
	return nil
}

// limitsNear reports whether the next call must be the final submit: the
// last step, three quarters of the time gone, or too little budget left
// for two more calls like the last.
func (r *run) limitsNear(step int) (bool, string) {
	if step >= r.a.cfg.MaxSteps-1 {
		return true, "this is the last step"
	}
	if r.a.deps.Clock().Sub(r.started) >= r.a.cfg.MaxDuration*3/4 {
		return true, "the time limit is near"
	}
	if _, usd, err := r.budget.Remaining(); err == nil && !math.IsInf(usd, 1) && r.lastWorst > 0 && usd < 2*r.lastWorst {
		return true, "the budget is nearly spent"
	}
	return false, ""
}

// cutOff stops the run on a reply the model did not finish.
func (r *run) cutOff(resp llm.Response) bool {
	switch resp.FinishReason {
	case "length":
		r.res.Stop = "the model's reply was cut at the output-token limit; its partial output was discarded"
	case "content_filter":
		r.res.Stop = "the provider's content filter blocked the model's reply"
	default:
		return false
	}
	return true
}

// stopOn records why a failed call ends the run, and returns the errors
// the caller must act on.
func (r *run) stopOn(err error) error {
	var be *llm.BudgetError
	switch {
	case r.parent.Err() != nil:
		r.res.Stop = "cancelled"
		return r.parent.Err()
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(r.ctx.Err(), context.DeadlineExceeded):
		r.res.Stop = fmt.Sprintf("the time limit of %s was reached", r.a.cfg.MaxDuration)
		return nil
	case errors.As(err, &be):
		r.res.Stop = "stopped: " + be.Error() + " (fewer rows and a cheaper model were tried)"
		return nil
	case errors.Is(err, llm.ErrQuota):
		r.res.Stop = "stopped: the model provider reports insufficient quota; add credit or raise the spend limit. The hunter's findings are reported without the agent"
	case errors.Is(err, llm.ErrInvalidKey):
		r.res.Stop = "stopped: the model provider rejected the API key; check it. The hunter's findings are reported without the agent"
	case errors.Is(err, llm.ErrContextLength):
		r.res.Stop = "stopped: the conversation does not fit the model's context window even with results shrunk"
		return nil
	default:
		r.res.Stop = "stopped: the model call failed: " + err.Error()
	}
	return fmt.Errorf("agent: %w", err)
}
