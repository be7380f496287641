package respond

// This file is the approval queue: proposals and their decisions in SQLite.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite", pure Go
)

// Queue errors, for errors.Is.
var (
	ErrNoProposal  = errors.New("no such proposal")
	ErrNotPending  = errors.New("proposal is not pending")
	ErrExpired     = errors.New("proposal expired")
	ErrNotApproved = errors.New("proposal is not approved")
	ErrClaimed     = errors.New("proposal is claimed by another executor")
)

// QueueOptions configure OpenQueue.
type QueueOptions struct {
	TTL time.Duration    // approval lifetime (DefaultApprovalTTL)
	Now func() time.Time // clock (time.Now)
}

// Queue is the approval queue. Safe for concurrent use, also by several
// processes sharing the file (WAL mode, 5s busy timeout, write
// transactions take the lock at BEGIN).
type Queue struct {
	db  *sql.DB
	ttl time.Duration
	now func() time.Time
}

// OpenQueue opens (creating and migrating) the queue database at path.
func OpenQueue(path string, opt QueueOptions) (*Queue, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("approval queue path %q: '?' and '#' are not allowed", path)
	}
	dsn := path + "?_busy_timeout=5000&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate&_foreign_keys=1"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("approval queue: %w", err)
	}
	if err := migrate(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("approval queue %s: %w", path, err)
	}
	q := &Queue{db: db, ttl: opt.TTL, now: opt.Now}
	if q.ttl <= 0 {
		q.ttl = DefaultApprovalTTL
	}
	if q.now == nil {
		q.now = time.Now
	}
	return q, nil
}

// Close closes the database.
func (q *Queue) Close() error { return q.db.Close() }

// TTL is how long proposals and approvals last.
func (q *Queue) TTL() time.Duration { return q.ttl }

const tsLayout = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(tsLayout)
}

func parseTS(s string) time.Time {
	t, _ := time.Parse(tsLayout, s)
	return t
}

// Propose queues p as pending, expiring after the TTL. If a proposal for
// the same device (case-insensitive) and action is open (pending or
// approved and unexpired, or executing), p joins it: its id is returned
// with joined set, and its join count goes up; nothing new is queued.
func (q *Queue) Propose(ctx context.Context, p Proposal) (id string, joined bool, err error) {
	if err := p.normalize(); err != nil {
		return "", false, err
	}
	now := q.now()
	err = q.tx(ctx, func(tx *sql.Tx) error {
		key := strings.ToLower(p.Device.Name)
		if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'expired'
			WHERE device_key = ? AND action = ? AND status IN ('pending','approved') AND expires_at <= ?`,
			key, p.Action, ts(now)); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT id FROM proposals
			WHERE device_key = ? AND action = ? AND status IN ('pending','approved','executing')`, key, p.Action).Scan(&id)
		if err == nil {
			joined = true
			_, err = tx.ExecContext(ctx, `UPDATE proposals SET joins = joins + 1 WHERE id = ?`, id)
			return err
		}
		if err != sql.ErrNoRows {
			return err
		}
		id, err = q.insert(ctx, tx, p, key, now)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("approval queue: propose: %w", err)
	}
	return id, joined, nil
}

func (q *Queue) insert(ctx context.Context, tx *sql.Tx, p Proposal, key string, now time.Time) (string, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM proposals`).Scan(&seq); err != nil {
		return "", err
	}
	id := fmt.Sprintf("P-%06d", seq)
	dev, _ := json.Marshal(p.Device)
	params, _ := json.Marshal(p.Params)
	_, err := tx.ExecContext(ctx, `INSERT INTO proposals (seq, id, created, device, device_key, device_json,
		action, params, reason, finding_id, confidence, severity, proposed_by, status, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
		seq, id, ts(now), p.Device.Name, key, string(dev), p.Action, string(params), p.Reason,
		p.FindingID, p.Confidence, p.Severity.String(), p.ProposedBy, ts(now.Add(q.ttl)))
	return id, err
}

// tx runs f in a write transaction.
func (q *Queue) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}
