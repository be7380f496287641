package respond

// This file reads proposals and moves them between statuses.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

const columns = `id, created, device_json, action, params, reason, finding_id, confidence, severity,
	proposed_by, status, decided_by, decided_at, comment, expires_at, mde_action_id, result, joins,
	claimed_by, claimed_at`

type scanner interface{ Scan(...any) error }

func scanProposal(s scanner) (Proposal, error) {
	var p Proposal
	var created, dev, params, sev, decided, expires, claimed string
	err := s.Scan(&p.ID, &created, &dev, &p.Action, &params, &p.Reason, &p.FindingID, &p.Confidence,
		&sev, &p.ProposedBy, &p.Status, &p.DecidedBy, &decided, &p.Comment, &expires,
		&p.MDEActionID, &p.Result, &p.Joins, &p.ClaimedBy, &claimed)
	if err != nil {
		return Proposal{}, err
	}
	p.Created, p.DecidedAt, p.ExpiresAt = parseTS(created), parseTS(decided), parseTS(expires)
	p.ClaimedAt = parseTS(claimed)
	p.Severity, _ = ParseSeverity(sev)
	if err := errors.Join(json.Unmarshal([]byte(dev), &p.Device), json.Unmarshal([]byte(params), &p.Params)); err != nil {
		return Proposal{}, fmt.Errorf("proposal %s: %w", p.ID, err)
	}
	return p, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getProposal(ctx context.Context, db querier, id string) (Proposal, error) {
	p, err := scanProposal(db.QueryRowContext(ctx, `SELECT `+columns+` FROM proposals WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Proposal{}, fmt.Errorf("%w: %s", ErrNoProposal, id)
	}
	return p, err
}

// Get returns one proposal.
func (q *Queue) Get(ctx context.Context, id string) (Proposal, error) {
	return getProposal(ctx, q.db, id)
}

// Filter selects proposals for List; zero fields match all.
type Filter struct {
	Status []Status
	Device string // case-insensitive
	Action Action
	Limit  int
}

// List returns matching proposals, oldest first.
func (q *Queue) List(ctx context.Context, f Filter) ([]Proposal, error) {
	var where []string
	var args []any
	if len(f.Status) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(",?", len(f.Status)-1)+")")
		for _, s := range f.Status {
			args = append(args, s)
		}
	}
	if f.Device != "" {
		where, args = append(where, "device_key = ?"), append(args, strings.ToLower(f.Device))
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	query := `SELECT ` + columns + ` FROM proposals`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY seq"
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("approval queue: list: %w", err)
	}
	defer rows.Close()
	var out []Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Approve records who approved a pending proposal and why; the approval
// lasts one TTL. Approving a proposal that is not pending is ErrNotPending;
// one past its expiry is marked expired and is ErrExpired.
func (q *Queue) Approve(ctx context.Context, id, who, comment string) (Proposal, error) {
	return q.decide(ctx, id, who, comment, StatusApproved)
}

// Deny records who denied an open (pending or approved) proposal.
func (q *Queue) Deny(ctx context.Context, id, who, comment string) (Proposal, error) {
	return q.decide(ctx, id, who, comment, StatusDenied)
}

func (q *Queue) decide(ctx context.Context, id, who, comment string, to Status) (Proposal, error) {
	if strings.TrimSpace(who) == "" {
		return Proposal{}, fmt.Errorf("approval queue: %s %s: who decides is required", to, id)
	}
	now := q.now()
	var p Proposal
	var refused error // committed, then returned
	err := q.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = getProposal(ctx, tx, id); err != nil {
			return err
		}
		open := p.Status == StatusPending || (to == StatusDenied && p.Status == StatusApproved)
		switch {
		case !open:
			refused = fmt.Errorf("%w: %s is %s", ErrNotPending, id, p.Status)
			return nil
		case to == StatusApproved && !now.Before(p.ExpiresAt):
			refused = fmt.Errorf("%w: %s expired at %s", ErrExpired, id, ts(p.ExpiresAt))
			p.Status = StatusExpired
			_, err = tx.ExecContext(ctx, `UPDATE proposals SET status = 'expired' WHERE id = ?`, id)
			return err
		}
		p.Status, p.DecidedBy, p.DecidedAt, p.Comment = to, who, now, comment
		if to == StatusApproved {
			p.ExpiresAt = now.Add(q.ttl)
		}
		_, err = tx.ExecContext(ctx, `UPDATE proposals SET status = ?, decided_by = ?, decided_at = ?,
			comment = ?, expires_at = ? WHERE id = ?`, to, who, ts(now), comment, ts(p.ExpiresAt), id)
		return err
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("approval queue: %s %s: %w", to, id, err)
	}
	return p, refused
}

// ExpireStale marks pending and approved proposals whose time ran out at
// now as expired and returns their ids. Executing proposals are left to
// their claim (see Claim).
func (q *Queue) ExpireStale(ctx context.Context, now time.Time) ([]string, error) {
	var ids []string
	err := q.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE proposals SET status = 'expired'
			WHERE status IN ('pending','approved') AND expires_at <= ? RETURNING id`, ts(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("approval queue: expire: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// SetActionID records the MDE action started under claim c.
func (q *Queue) SetActionID(ctx context.Context, c Claim, mdeActionID string) error {
	return q.finish(ctx, c, StatusExecuting, mdeActionID, "")
}

// MarkExecuted closes a proposal, claimed by c, whose action MDE accepted.
func (q *Queue) MarkExecuted(ctx context.Context, c Claim, mdeActionID, result string) error {
	return q.finish(ctx, c, StatusExecuted, mdeActionID, result)
}

// MarkFailed closes a proposal, claimed by c, whose action failed.
func (q *Queue) MarkFailed(ctx context.Context, c Claim, mdeActionID, result string) error {
	return q.finish(ctx, c, StatusFailed, mdeActionID, result)
}

// MarkDryRun closes a proposal, claimed by c, that ran without MDE.
func (q *Queue) MarkDryRun(ctx context.Context, c Claim, result string) error {
	return q.finish(ctx, c, StatusDryRun, "", result)
}

// finish moves a proposal that claim c still holds to status `to`
// (executing itself just records the action id). If c no longer holds it
// (taken over, or never claimed) that is ErrClaimed or ErrNotApproved and
// nothing changes.
func (q *Queue) finish(ctx context.Context, c Claim, to Status, mdeActionID, result string) error {
	return q.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE proposals SET status = ?,
			mde_action_id = CASE WHEN ? = '' THEN mde_action_id ELSE ? END, result = ?
			WHERE id = ? AND status = 'executing' AND claimed_by = ? AND claimed_at = ?`,
			to, mdeActionID, mdeActionID, result, c.ID, c.ClaimedBy, ts(c.ClaimedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		p, err := getProposal(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		return notHeld(p)
	})
}
