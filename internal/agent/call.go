package agent

// This file makes one model call inside the budget: estimate and reserve
// first, degrade when the reservation is refused (fewer rows, a cheaper
// model, a smaller output cap), shrink once on a context-length error,
// and record what was actually used.

import (
	"errors"
	"fmt"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/llm"
)

// minOutput is the smallest output cap degradation goes down to: enough
// for a submit_findings call with a few findings.
const minOutput = 600

func (r *run) request(forced bool) llm.Request {
	choice := llm.ToolChoiceAuto
	if forced {
		choice = llm.ToolChoice(toolSubmitFindings)
	}
	return llm.Request{Model: r.model, Messages: r.conv, Tools: r.a.tools, ToolChoice: choice, MaxOutputTokens: r.maxOut}
}

func (r *run) call(forced bool) (llm.Response, error) {
	retried := false
	for {
		req := r.request(forced)
		est, err := r.a.deps.Model.Estimate(req)
		if err != nil {
			return llm.Response{}, err
		}
		if err := r.budget.Reserve(est); err != nil {
			if errors.Is(err, llm.ErrOverBudget) && r.degrade() {
				continue
			}
			return llm.Response{}, err
		}
		resp, err := r.a.deps.Model.Chat(r.ctx, req)
		if err != nil {
			r.budget.Record(llm.Usage{}) // releases the reservation
			if errors.Is(err, llm.ErrContextLength) && !retried && r.shrink("the input was too long for the context window") {
				retried = true
				continue
			}
			return llm.Response{}, err
		}
		if err := r.budget.Record(resp.Usage); err != nil {
			r.res.Notes = append(r.res.Notes, "the day's spend could not be saved: "+err.Error())
		}
		r.lastWorst = est.WorstCaseUSD
		r.res.Steps++
		r.res.Spend.Add(resp.Usage)
		r.res.Calls = append(r.res.Calls, Call{Model: req.Model, EstimatedInput: est.InputTokens,
			PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens,
			USD: resp.Usage.USD, FinishReason: resp.FinishReason, RequestID: resp.RequestID})
		r.auditCall(req, est, resp)
		return resp, nil
	}
}

// degrade makes the next call cheaper, in order: smaller results, a
// cheaper allowed model, a smaller output cap. It reports false when
// nothing is left to try.
func (r *run) degrade() bool {
	if r.shrink("over budget") {
		return true
	}
	if !r.a.cfg.NoDowngrade {
		if m, ok := r.a.deps.Model.Prices().CheaperModel(r.model); ok {
			r.res.Notes = append(r.res.Notes, fmt.Sprintf("over budget: switched from %s to the cheaper %s", r.model, m))
			r.model = m
			r.codec = codecFor(r.a.deps.Model.Prices(), m)
			return true
		}
	}
	if r.maxOut > minOutput {
		r.maxOut = max(r.maxOut/2, minOutput)
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("over budget: output cap lowered to %d tokens", r.maxOut))
		return true
	}
	return false
}

// shrink re-renders every result in the conversation one level smaller.
// It reports false when all are at the smallest level already.
func (r *run) shrink(why string) bool {
	changed := false
	for i, v := range r.views {
		if v.level >= maxShrink {
			continue
		}
		v.level++
		r.conv[i].Content = r.renderView(v)
		changed = true
	}
	if changed {
		show := r.a.cfg.Show.shrink(r.deepest())
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("%s: results shrunk to %d distinct rows and %d-character values", why, show.MaxGroups, show.MaxCell))
	}
	return changed
}

func (r *run) deepest() int {
	n := 0
	for _, v := range r.views {
		n = max(n, v.level)
	}
	return n
}

func (r *run) auditCall(req llm.Request, est llm.Estimate, resp llm.Response) {
	var calls []map[string]string
	for _, c := range resp.Message.ToolCalls {
		calls = append(calls, map[string]string{"id": c.ID, "name": c.Name, "arguments": c.Arguments})
	}
	r.audit(audit.KindModelCall, map[string]any{
		"model": req.Model, "request_id": resp.RequestID, "messages": len(req.Messages),
		"prompt_sha256": promptHash(req.Messages), "estimated_input": est.InputTokens,
		"prompt_tokens": resp.Usage.PromptTokens, "completion_tokens": resp.Usage.CompletionTokens,
		"usd": resp.Usage.USD, "finish_reason": resp.FinishReason,
		"content": resp.Message.Content, "tool_calls": calls,
	})
}

// audit appends to the audit trail when one is configured. A failing
// audit is noted on the result; the hunt goes on (nothing is executed
// here, so nothing needs the audit as a precondition).
func (r *run) audit(kind string, payload map[string]any) {
	if r.a.deps.Audit == nil {
		return
	}
	if err := r.a.deps.Audit.Append(kind, "agent:"+r.model, payload); err != nil {
		r.res.Notes = append(r.res.Notes, "audit: "+err.Error())
	}
}
