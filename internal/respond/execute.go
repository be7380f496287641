package respond

// This file runs proposals: policy, approval, the MDE call and the audit.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/vigil-hunt/vigil/internal/audit"
)

// Executor carries proposals from proposal to result. Every proposal,
// decision and API call is audited; if the audit cannot be written, no
// action is taken.
type Executor struct {
	Queue  *Queue
	Policy Policy
	MDE    *Client // nil: dry run, nothing is sent
	Audit  Auditor
	Actor  string // vigil's name in the audit ("vigil")
	// PollFor bounds how long an action is followed to a final status
	// (default 10m); negative: do not poll. An action still pending then is
	// recorded as submitted.
	PollFor time.Duration
	// ClaimLease is how long a claim on a proposal holds before another
	// executor may take it over (default DefaultClaimLease); see
	// Queue.Claim. It must exceed the time any executor sharing the queue
	// holds a claim: its PollFor plus the find and send calls.
	ClaimLease time.Duration
}

// Outcome says what became of a proposal.
type Outcome struct {
	ID           string
	Joined       bool // merged into an open proposal for the same device and action
	Decision     Decision
	Status       Status
	DryRun       bool
	MDEActionID  string
	ActionStatus string // MDE's last status of the action
	Message      string
}

func (e *Executor) actor() string {
	if e.Actor == "" {
		return "vigil"
	}
	return e.Actor
}

func (e *Executor) ready() error {
	if e.Queue == nil || e.Audit == nil {
		return errors.New("respond: executor needs a queue and an auditor")
	}
	return nil
}

// Propose queues p, decides it by policy and, when the policy allows it
// on its own, executes it. A proposal that needs approval stays pending
// (no error); one the policy forbids is denied.
func (e *Executor) Propose(ctx context.Context, p Proposal) (Outcome, error) {
	if err := e.ready(); err != nil {
		return Outcome{}, err
	}
	if err := p.normalize(); err != nil {
		return Outcome{}, err
	}
	d := e.Policy.Evaluate(p)
	id, joined, err := e.Queue.Propose(ctx, p)
	if err != nil {
		return Outcome{}, err
	}
	p.ID = id
	actor := p.ProposedBy
	if actor == "" {
		actor = e.actor()
	}
	if err := e.Audit.Append(audit.KindProposal, actor, proposalRecord(p, joined, d)); err != nil {
		return Outcome{ID: id}, fmt.Errorf("audit proposal %s: %w", id, err)
	}
	out := Outcome{ID: id, Joined: joined, Decision: d, Status: StatusPending}
	switch {
	case joined:
		cur, err := e.Queue.Get(ctx, id)
		out.Status, out.Message = cur.Status, "joined open proposal "+id
		return out, err
	case d.Verdict == Deny:
		if _, err := e.Queue.Deny(ctx, id, PolicyActor, d.Reason); err != nil {
			return out, err
		}
		out.Status, out.Message = StatusDenied, "denied by policy: "+d.Reason
		return out, e.decision(id, PolicyActor, "denied", d.Reason)
	case d.Verdict == Allow:
		out, err := e.Execute(ctx, id)
		if errors.Is(err, ErrNotApproved) && out.Status == StatusPending {
			// MDE's view of the device (tags, group) made it protected.
			out.Message = "awaiting approval: " + p.Summary()
			return out, nil
		}
		return out, err
	}
	out.Message = "awaiting approval: " + p.Summary()
	return out, e.decision(id, PolicyActor, "needs-approval", d.Reason)
}

// Approve records an analyst's approval and executes the proposal. The
// policy can still forbid it (mode never).
func (e *Executor) Approve(ctx context.Context, id, who, comment string) (Outcome, error) {
	if err := e.ready(); err != nil {
		return Outcome{}, err
	}
	p, err := e.Queue.Get(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	if d := e.Policy.Evaluate(p); d.Verdict == Deny {
		err := fmt.Errorf("%w: %s: %s", ErrNotApproved, id, d.Reason)
		return Outcome{ID: id, Decision: d, Status: p.Status}, errors.Join(err, e.decision(id, who, "approval-refused", d.Reason))
	}
	if _, err := e.Queue.Approve(ctx, id, who, comment); err != nil {
		cur, _ := e.Queue.Get(ctx, id)
		return Outcome{ID: id, Status: cur.Status}, errors.Join(err, e.decision(id, who, "approval-refused", err.Error()))
	}
	if err := e.decision(id, who, "approved", comment); err != nil {
		return Outcome{ID: id, Status: StatusApproved}, err
	}
	return e.Execute(ctx, id)
}

// Deny records an analyst's denial of an open proposal.
func (e *Executor) Deny(ctx context.Context, id, who, comment string) (Outcome, error) {
	if err := e.ready(); err != nil {
		return Outcome{}, err
	}
	if _, err := e.Queue.Deny(ctx, id, who, comment); err != nil {
		return Outcome{ID: id}, err
	}
	return Outcome{ID: id, Status: StatusDenied, Message: "denied by " + who}, e.decision(id, who, "denied", comment)
}

// ExpireStale expires open proposals whose time has run out and audits it.
func (e *Executor) ExpireStale(ctx context.Context) ([]string, error) {
	ids, err := e.Queue.ExpireStale(ctx, e.Queue.now())
	for _, id := range ids {
		err = errors.Join(err, e.decision(id, PolicyActor, "expired", "not decided or executed within "+e.Queue.ttl.String()))
	}
	return ids, err
}

// Execute runs a stored proposal if, and only if, it is approved and
// unexpired, or pending and the policy allows it on its own (judged again
// against the machine as MDE describes it), and this executor wins the
// claim on it (Queue.Claim). Anything else is ErrNotApproved, ErrExpired
// or ErrClaimed, and nothing is sent. An executing proposal whose claim
// is stale is taken over: executed if no MDE action was recorded, else
// that action is followed to close the proposal, sending nothing.
func (e *Executor) Execute(ctx context.Context, id string) (Outcome, error) {
	if err := e.ready(); err != nil {
		return Outcome{}, err
	}
	p, err := e.Queue.Get(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{ID: id, Status: p.Status, Decision: e.Policy.Evaluate(p)}
	sent := p.Status == StatusExecuting && p.MDEActionID != "" // following it sends nothing
	if out.Decision.Verdict == Deny && !sent {
		return out, fmt.Errorf("%w: %s: %s", ErrNotApproved, id, out.Decision.Reason)
	}
	var m *Machine
	switch p.Status {
	case StatusApproved, StatusExecuting: // the claim checks expiry and lease
	case StatusPending:
		if p, m, out.Decision, err = e.approveByPolicy(ctx, p); err != nil {
			return out, err
		}
	default:
		return out, fmt.Errorf("%w: %s is %s", ErrNotApproved, id, p.Status)
	}
	c, err := e.claim(ctx, id)
	if err != nil {
		return e.unclaimed(ctx, out, err)
	}
	out.Status = StatusExecuting
	if c.MDEActionID != "" {
		return e.resume(ctx, c, out)
	}
	c.Device = p.Device // as MDE described it, if looked up
	return e.run(ctx, c, m, out)
}

// unclaimed reports a lost or refused claim; a lapsed approval is audited.
func (e *Executor) unclaimed(ctx context.Context, out Outcome, err error) (Outcome, error) {
	if errors.Is(err, ErrExpired) {
		out.Status = StatusExpired
		return out, errors.Join(err, e.decision(out.ID, PolicyActor, "expired", err.Error()))
	}
	if cur, gerr := e.Queue.Get(ctx, out.ID); gerr == nil {
		out.Status = cur.Status
	}
	return out, err
}

// approveByPolicy approves a pending proposal if the policy allows it,
// judged on the machine MDE knows when an MDE client is configured.
func (e *Executor) approveByPolicy(ctx context.Context, p Proposal) (Proposal, *Machine, Decision, error) {
	d := e.Policy.Evaluate(p)
	if d.Verdict != Allow {
		return p, nil, d, fmt.Errorf("%w: %s: %s", ErrNotApproved, p.ID, d.Reason)
	}
	var m *Machine
	if e.MDE != nil {
		mm, err := e.findMachine(ctx, p)
		if err != nil {
			return p, nil, d, err
		}
		m, p.Device = &mm, enrich(p.Device, mm)
		if d = e.Policy.Evaluate(p); d.Verdict != Allow {
			return p, nil, d, errors.Join(fmt.Errorf("%w: %s: %s", ErrNotApproved, p.ID, d.Reason),
				e.decision(p.ID, PolicyActor, "needs-approval", d.Reason))
		}
	}
	ap, err := e.Queue.Approve(ctx, p.ID, PolicyActor, d.Reason)
	if err != nil {
		return p, nil, d, err
	}
	ap.Device = p.Device
	return ap, m, d, e.decision(p.ID, PolicyActor, "approved", d.Reason)
}

// enrich adds what MDE says about the machine to the proposed device.
func enrich(d Device, m Machine) Device {
	d.MachineID = m.ID
	for _, t := range m.MachineTags {
		if !containsFold(d.Tags, t) {
			d.Tags = append(d.Tags, t)
		}
	}
	if m.RBACGroupName != "" {
		d.Group = m.RBACGroupName
	}
	return d
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// decision audits a decision on a proposal.
func (e *Executor) decision(id, who, verdict, reason string) error {
	return e.Audit.Append(audit.KindDecision, who, map[string]any{"proposal": id, "verdict": verdict, "reason": reason})
}

func proposalRecord(p Proposal, joined bool, d Decision) map[string]any {
	return map[string]any{"proposal": p.ID, "joined": joined, "device": p.Device, "action": p.Action,
		"params": p.Params, "reason": p.Reason, "finding": p.FindingID, "confidence": p.Confidence,
		"severity": p.Severity, "summary": p.Summary(), "policy": d}
}

// mdeComment is the comment MDE stores with the action: the analyst's
// words (or the proposal's reason), then who decided, cleaned and capped.
func mdeComment(p Proposal) string {
	why := p.Comment
	if p.DecidedBy == PolicyActor || why == "" {
		why = p.Reason
	}
	by := "approved by " + p.DecidedBy
	if p.DecidedBy == PolicyActor {
		by = "auto-approved by policy"
	}
	c := fmt.Sprintf("%s [vigil %s, %s", why, p.ID, by)
	if p.FindingID != "" {
		c += ", finding " + p.FindingID
	}
	c = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, c+"]")
	if r := []rune(c); len(r) > 1000 {
		c = string(r[:999]) + "…"
	}
	return c
}
