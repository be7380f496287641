package respond

// This file is the executor's side of the claim step: winning, auditing
// and giving up claims, and resuming an action a stale claim started.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/vigil-hunt/vigil/internal/audit"
)

// DefaultClaimLease is how long a claim holds before another executor may
// take it over: a little longer than an executor following an action for
// DefaultPollFor holds it.
const DefaultClaimLease = DefaultPollFor + 5*time.Minute

// claim claims proposal id for this executor and audits the claim, or the
// takeover of a stale one. If the audit fails, the claim is given up.
func (e *Executor) claim(ctx context.Context, id string) (Claim, error) {
	c, err := e.Queue.Claim(ctx, id, e.claimant(), e.ClaimLease)
	if err != nil {
		return Claim{}, err
	}
	rec := map[string]any{"proposal": id, "phase": "claim", "status": StatusExecuting,
		"claimed_by": c.ClaimedBy, "claimed_at": c.ClaimedAt}
	if c.TookOverFrom != "" {
		rec["phase"], rec["took_over_from"], rec["stale_since"] = "takeover", c.TookOverFrom, c.TookOverSince
		rec["mde_action_id"], rec["resume"] = c.MDEActionID, c.MDEActionID != ""
	}
	if err := e.Audit.Append(audit.KindExecution, e.actor(), rec); err != nil {
		err = fmt.Errorf("audit claim of %s: %w", id, err)
		if c.MDEActionID == "" {
			err = errors.Join(err, e.Queue.Release(context.WithoutCancel(ctx), c))
		}
		return Claim{}, err
	}
	return c, nil
}

// claimant names one claim: vigil's actor, this process and a random
// suffix, so that no two claims look alike.
func (e *Executor) claimant() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown host"
	}
	return fmt.Sprintf("%s pid %d on %s #%s", e.actor(), os.Getpid(), host, rand.Text()[:8])
}

// release gives up claim c, under which nothing was sent, because of
// cause, and audits it; the proposal is approved again. A claim under
// which an action was recorded is kept, for a takeover to close.
func (e *Executor) release(ctx context.Context, c Claim, out Outcome, cause error) (Outcome, error) {
	if c.MDEActionID != "" {
		return out, cause
	}
	if err := e.Queue.Release(ctx, c); err != nil {
		return out, errors.Join(cause, err)
	}
	out.Status = StatusApproved
	return out, errors.Join(cause, e.Audit.Append(audit.KindExecution, e.actor(), map[string]any{
		"proposal": c.ID, "phase": "release", "status": StatusApproved, "claimed_by": c.ClaimedBy, "reason": cause.Error()}))
}

// resume closes a proposal whose action a stale claim sent: it follows
// that action and sends nothing. Without an MDE client it can only record
// the action as submitted.
func (e *Executor) resume(ctx context.Context, c Claim, out Outcome) (Outcome, error) {
	out.MDEActionID = c.MDEActionID
	if e.MDE == nil {
		result := fmt.Sprintf("MDE action %s was sent under claim %s; not followed: no MDE client", c.MDEActionID, c.TookOverFrom)
		out.Status, out.Message = StatusExecuted, c.Summary()+": "+result
		return out, e.close(context.WithoutCancel(ctx), c, StatusExecuted, c.MDEActionID, result)
	}
	a, err := e.MDE.Action(ctx, c.MDEActionID)
	if aerr := e.Audit.Append(audit.KindAPICall, e.actor(), actionRecord(c.ID, "get action", a, err)); aerr != nil {
		err = errors.Join(err, aerr)
	}
	if err != nil {
		// Still claimed: another takeover may close it after the lease.
		return out, fmt.Errorf("resume %s: %w", c.ID, err)
	}
	out.ActionStatus = a.Status
	return e.follow(ctx, c, a, out)
}
