package respond

// This file performs an authorized proposal against MDE, or dry-runs it.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/internal/audit"
)

// DefaultPollFor bounds how long Execute follows an action.
const DefaultPollFor = 10 * time.Minute

// run carries out a proposal under claim p; m is the machine if already
// found.
func (e *Executor) run(ctx context.Context, p Claim, m *Machine, out Outcome) (Outcome, error) {
	// Bookkeeping after a call must happen even if ctx ends meanwhile.
	keep := context.WithoutCancel(ctx)
	if e.MDE == nil {
		msg := "dry run: would " + p.Summary()
		err := e.Audit.Append(audit.KindExecution, e.actor(), map[string]any{
			"proposal": p.ID, "dry_run": true, "status": StatusDryRun, "result": msg})
		if err != nil {
			return e.release(keep, p, out, err) // not marked: it can be retried once the audit works
		}
		out.Status, out.DryRun, out.Message = StatusDryRun, true, msg
		return out, e.Queue.MarkDryRun(keep, p, msg)
	}
	if m == nil {
		mm, err := e.findMachine(ctx, p.Proposal)
		if err != nil {
			return e.fail(keep, p, out, "", err)
		}
		m = &mm
	}
	comment := mdeComment(p.Proposal)
	// Audited before the call: if this fails, nothing is sent.
	if err := e.Audit.Append(audit.KindAPICall, e.actor(), map[string]any{"proposal": p.ID, "op": string(p.Action),
		"phase": "request", "machine_id": m.ID, "device": m.ComputerDNSName, "params": p.Params, "comment": comment}); err != nil {
		return e.release(keep, p, out, fmt.Errorf("audit %s: %w", p.ID, err))
	}
	a, err := e.call(ctx, p.Proposal, m.ID, comment)
	if aerr := e.Audit.Append(audit.KindAPICall, e.actor(), actionRecord(p.ID, string(p.Action), a, err)); aerr != nil {
		err = errors.Join(err, aerr)
	}
	if a.ID == "" {
		if err == nil {
			err = fmt.Errorf("MDE %s: no action id in the response", p.Action)
		}
		return e.fail(keep, p, out, "", err)
	}
	out.MDEActionID, out.ActionStatus = a.ID, a.Status
	if err := e.Queue.SetActionID(keep, p, a.ID); err != nil {
		return out, err
	}
	return e.follow(ctx, p, a, out)
}

// follow polls the action to a final status and closes the proposal.
func (e *Executor) follow(ctx context.Context, p Claim, a MachineAction, out Outcome) (Outcome, error) {
	keep := context.WithoutCancel(ctx)
	var err error
	if e.PollFor >= 0 && !a.Terminal() {
		pollFor := e.PollFor
		if pollFor == 0 {
			pollFor = DefaultPollFor
		}
		pctx, cancel := context.WithTimeout(ctx, pollFor)
		var last MachineAction
		last, err = e.MDE.WaitAction(pctx, a.ID)
		cancel()
		if last.ID != "" {
			last.Existing = a.Existing
			a = last
		}
		if aerr := e.Audit.Append(audit.KindAPICall, e.actor(), actionRecord(p.ID, "get action", a, err)); aerr != nil {
			err = errors.Join(err, aerr)
		}
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = nil // our own bound: the action goes on without us
		}
	} else if a.Terminal() && a.Status != ActionSucceeded {
		err = &ActionFailedError{Action: a}
	}
	out.ActionStatus = a.Status
	verb := "started"
	if a.Existing {
		verb = "joined pending"
	}
	result := fmt.Sprintf("%s MDE %s action %s; status %s", verb, a.Type, a.ID, a.Status)
	if errors.Is(err, ErrActionFailed) {
		return e.fail(keep, p, out, a.ID, err)
	}
	out.Status, out.Message = StatusExecuted, p.Summary()+": "+result
	if err != nil {
		result += " (" + err.Error() + ")"
	}
	return out, errors.Join(err, e.close(keep, p, StatusExecuted, a.ID, result))
}

// fail closes the proposal as failed.
func (e *Executor) fail(ctx context.Context, p Claim, out Outcome, actionID string, cause error) (Outcome, error) {
	out.Status, out.Message = StatusFailed, p.Summary()+": "+cause.Error()
	return out, errors.Join(cause, e.close(ctx, p, StatusFailed, actionID, cause.Error()))
}

// close marks the proposal and audits the execution.
func (e *Executor) close(ctx context.Context, p Claim, st Status, actionID, result string) error {
	mark := e.Queue.MarkExecuted
	if st == StatusFailed {
		mark = e.Queue.MarkFailed
	}
	return errors.Join(mark(ctx, p, actionID, result),
		e.Audit.Append(audit.KindExecution, e.actor(), map[string]any{
			"proposal": p.ID, "status": st, "mde_action_id": actionID, "result": result}))
}

// findMachine looks the device up by name and checks a proposed machine id
// against what MDE says (the proposer might have made one up).
func (e *Executor) findMachine(ctx context.Context, p Proposal) (Machine, error) {
	m, err := e.MDE.FindMachine(ctx, p.Device.Name)
	rec := map[string]any{"proposal": p.ID, "op": "find machine", "device": p.Device.Name}
	if err != nil {
		rec["error"] = err.Error()
	} else {
		rec["machine_id"], rec["tags"], rec["group"] = m.ID, m.MachineTags, m.RBACGroupName
	}
	if aerr := e.Audit.Append(audit.KindAPICall, e.actor(), rec); aerr != nil {
		return Machine{}, errors.Join(err, aerr)
	}
	if err == nil && p.Device.MachineID != "" && p.Device.MachineID != m.ID {
		err = fmt.Errorf("%w: proposal names machine %s but MDE's %s is %s", ErrUnknownMachine, p.Device.MachineID, p.Device.Name, m.ID)
	}
	return m, err
}

// call sends the proposal's action.
func (e *Executor) call(ctx context.Context, p Proposal, id, comment string) (MachineAction, error) {
	switch p.Action {
	case Isolate:
		return e.MDE.Isolate(ctx, id, p.Params.IsolationType, comment)
	case Unisolate:
		return e.MDE.Unisolate(ctx, id, comment)
	case CollectPackage:
		return e.MDE.CollectInvestigationPackage(ctx, id, comment)
	case AntivirusScan:
		return e.MDE.RunAntivirusScan(ctx, id, p.Params.ScanType, comment)
	case RestrictApps:
		return e.MDE.RestrictAppExecution(ctx, id, comment)
	case RemoveAppRestriction:
		return e.MDE.RemoveAppRestriction(ctx, id, comment)
	}
	return MachineAction{}, fmt.Errorf("respond: unknown action %q", p.Action)
}

func actionRecord(proposal, op string, a MachineAction, err error) map[string]any {
	rec := map[string]any{"proposal": proposal, "op": op, "phase": "response"}
	if a.ID != "" {
		rec["action_id"], rec["type"], rec["status"], rec["existing"] = a.ID, a.Type, a.Status, a.Existing
		rec["machine_id"], rec["requestor"] = a.MachineID, a.Requestor
	}
	if err != nil {
		rec["error"] = err.Error()
		var ae *APIError
		if errors.As(err, &ae) {
			rec["http_status"], rec["code"], rec["correlation"] = ae.StatusCode, ae.Code, ae.Target
		}
	}
	return rec
}
