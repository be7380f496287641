package agent

// This file implements propose_action. The model can only propose: a
// proposal goes to the Proposer (the response queue and its policy) and
// nothing in this package can execute it. Deterministic checks come
// first: a known action, a device seen in this run's results, and a cap
// on proposals per run.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/llm"
	"github.com/vigil-hunt/vigil/internal/respond"
)

func (r *run) proposeAction(call llm.ToolCall) toolOutput {
	var args struct {
		Action string `json:"action"`
		Target string `json:"target"`
		Reason string `json:"reason"`
	}
	if err := call.Decode(&args); err != nil {
		return errorOutput(err.Error())
	}
	refuse := func(code, msg string) toolOutput {
		return refusedOutput(&Refusal{Tool: toolProposeAction, Code: code, Message: msg, Input: call.Arguments})
	}
	action := respond.Action(args.Action)
	if !slices.Contains(proposable, action) {
		return refuse("ActionNotAllowed", fmt.Sprintf("action %q cannot be proposed; allowed: %s", cell(args.Action, 40), strings.Join(actionNames(), ", ")))
	}
	if r.proposals >= r.a.cfg.MaxProposals {
		return refuse("ProposalLimit", fmt.Sprintf("at most %d proposals per run; mention further actions in the finding's next steps", r.a.cfg.MaxProposals))
	}
	name, id, ok := r.res.Evidence.device(args.Target)
	if !ok {
		return refuse("UnknownTarget", fmt.Sprintf("device %q does not appear in any result of this run; propose only devices seen in returned rows", cell(args.Target, 80)))
	}
	p := respond.Proposal{
		Device:     respond.Device{Name: name, MachineID: id},
		Action:     action,
		Reason:     cell(args.Reason, 500),
		ProposedBy: "agent:" + r.model,
	}
	switch action {
	case respond.Isolate:
		p.Params.IsolationType = respond.IsolationFull
	case respond.AntivirusScan:
		p.Params.ScanType = respond.ScanQuick
	}
	pid, joined, err := r.a.deps.Proposer.Propose(r.ctx, p)
	if err != nil {
		return errorOutput("the proposal was not recorded: " + oneLine(err.Error()))
	}
	r.proposals++
	r.res.Proposals = append(r.res.Proposals, Proposal{ID: pid, Joined: joined, Summary: p.Summary(), Reason: p.Reason})
	r.audit(audit.KindProposal, map[string]any{"proposal": pid, "joined": joined, "action": string(action),
		"device": name, "machine_id": id, "reason": p.Reason})
	state := "recorded"
	if joined {
		state = "joined to the open proposal"
	}
	return toolOutput{text: fmt.Sprintf("proposal %s %s (%s): it waits for the response policy and an analyst; nothing has been executed. Do not repeat it.", pid, state, p.Summary())}
}
