package respond

// This file is the claim step: one executor at a time holds an approved
// proposal while it sends the action, across processes sharing the file.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Claim is the right to execute one proposal, won by Queue.Claim. Its
// Proposal is as claimed: status executing, ClaimedBy and ClaimedAt this
// claim's, and MDEActionID set if an earlier holder recorded an action.
type Claim struct {
	Proposal
	TookOverFrom  string    // holder of the stale claim this one replaced; "" if none
	TookOverSince time.Time // when that stale claim was made
}

// Claim moves an approved, unexpired proposal to executing, held by who (a
// name no other claimant uses) from now on. Of concurrent claimants, in
// this process or in others sharing the file, exactly one wins; the others
// get ErrClaimed naming the holder and since when. Only the holder may
// record an action id or close the proposal (SetActionID, Mark…).
//
// A claim older than lease is stale (its holder died, or overran the
// lease) and is taken over, TookOverFrom naming the old holder:
//   - If no MDE action id was recorded, nothing was sent or we cannot know
//     it; the new holder executes the proposal as if it had claimed it
//     while approved, so the approval must still be unexpired.
//   - If an action id was recorded, the action was sent: the new holder
//     must not send it again but follow that action and close the
//     proposal.
//
// A pending or closed proposal is ErrNotApproved; one whose approval has
// lapsed is marked expired and is ErrExpired. lease <= 0 means
// DefaultClaimLease.
func (q *Queue) Claim(ctx context.Context, id, who string, lease time.Duration) (Claim, error) {
	if strings.TrimSpace(who) == "" {
		return Claim{}, fmt.Errorf("approval queue: claim %s: who claims is required", id)
	}
	if lease <= 0 {
		lease = DefaultClaimLease
	}
	now := q.now()
	var c Claim
	var refused error // committed, then returned
	err := q.tx(ctx, func(tx *sql.Tx) error {
		p, err := getProposal(ctx, tx, id)
		if err != nil {
			return err
		}
		if refused = claimable(p, now, lease); refused != nil {
			if errors.Is(refused, ErrExpired) {
				_, err = tx.ExecContext(ctx, `UPDATE proposals SET status = 'expired' WHERE id = ?`, id)
			}
			return err
		}
		if p.Status == StatusExecuting {
			c.TookOverFrom, c.TookOverSince = p.ClaimedBy, p.ClaimedAt
		}
		p.Status, p.ClaimedBy, p.ClaimedAt = StatusExecuting, who, now
		c.Proposal = p
		_, err = tx.ExecContext(ctx, `UPDATE proposals SET status = 'executing', claimed_by = ?, claimed_at = ?
			WHERE id = ?`, who, ts(now), id)
		return err
	})
	if err != nil {
		return Claim{}, fmt.Errorf("approval queue: claim %s: %w", id, err)
	}
	if refused != nil {
		return Claim{}, refused
	}
	return c, nil
}

// claimable says why p cannot be claimed at now, nil if it can.
func claimable(p Proposal, now time.Time, lease time.Duration) error {
	stale := !now.Before(p.ClaimedAt.Add(lease))
	switch {
	case p.Status == StatusExecuting && !stale:
		return notHeld(p)
	case p.Status == StatusExecuting && p.MDEActionID != "":
		return nil // sent: the taker follows the action, whatever the time
	case p.Status != StatusApproved && p.Status != StatusExecuting:
		return fmt.Errorf("%w: %s is %s", ErrNotApproved, p.ID, p.Status)
	case !now.Before(p.ExpiresAt):
		return fmt.Errorf("%w: approval of %s lapsed at %s", ErrExpired, p.ID, ts(p.ExpiresAt))
	}
	return nil
}

// notHeld explains why a claim does not (or no longer) hold p.
func notHeld(p Proposal) error {
	if p.Status == StatusExecuting {
		return fmt.Errorf("%w: %s is executing, claimed by %s at %s", ErrClaimed, p.ID, p.ClaimedBy, ts(p.ClaimedAt))
	}
	return fmt.Errorf("%w: %s is %s", ErrNotApproved, p.ID, p.Status)
}

// Release gives up claim c when no MDE action was recorded under it: the
// proposal is approved again, to be claimed anew or to expire. A claim
// with an action id cannot be released; it must be closed.
func (q *Queue) Release(ctx context.Context, c Claim) error {
	return q.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'approved', claimed_by = '', claimed_at = ''
			WHERE id = ? AND status = 'executing' AND claimed_by = ? AND claimed_at = ? AND mde_action_id = ''`,
			c.ID, c.ClaimedBy, ts(c.ClaimedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		p, err := getProposal(ctx, tx, c.ID)
		switch {
		case err != nil:
			return err
		case p.Status == StatusExecuting && p.ClaimedBy == c.ClaimedBy && p.ClaimedAt.Equal(c.ClaimedAt):
			return fmt.Errorf("approval queue: release %s: MDE action %s was sent; close the proposal instead", c.ID, p.MDEActionID)
		}
		return notHeld(p)
	})
}
