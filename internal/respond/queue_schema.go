package respond

// This file holds the approval queue's schema and its migrations.

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] takes the schema from version i to i+1. Append only.
var migrations = []string{
	`CREATE TABLE proposals (
		seq           INTEGER PRIMARY KEY,
		id            TEXT NOT NULL UNIQUE,           -- "P-000001"
		created       TEXT NOT NULL,                  -- UTC, fixed width, sorts as text
		device        TEXT NOT NULL,                  -- name as proposed
		device_key    TEXT NOT NULL,                  -- lower(device): the join key
		device_json   TEXT NOT NULL,                  -- Device: machine id, tags, roles, group
		action        TEXT NOT NULL,
		params        TEXT NOT NULL DEFAULT '{}',     -- Params as JSON
		reason        TEXT NOT NULL DEFAULT '',
		finding_id    TEXT NOT NULL DEFAULT '',
		confidence    REAL NOT NULL DEFAULT 0,
		severity      TEXT NOT NULL DEFAULT 'unknown',
		proposed_by   TEXT NOT NULL DEFAULT '',
		status        TEXT NOT NULL CHECK (status IN
			('pending','approved','denied','expired','executed','failed','dry-run')),
		decided_by    TEXT NOT NULL DEFAULT '',
		decided_at    TEXT NOT NULL DEFAULT '',
		comment       TEXT NOT NULL DEFAULT '',
		expires_at    TEXT NOT NULL,
		mde_action_id TEXT NOT NULL DEFAULT '',
		result        TEXT NOT NULL DEFAULT '',
		joins         INTEGER NOT NULL DEFAULT 0
	);
	-- At most one open proposal per device and action, across processes.
	CREATE UNIQUE INDEX proposals_open ON proposals (device_key, action)
		WHERE status IN ('pending','approved');
	CREATE INDEX proposals_status ON proposals (status, expires_at);`,

	// 2: status 'executing' (an executor's claim) and who holds the claim
	// since when. A CHECK constraint cannot be altered, so the table is
	// rebuilt; 'executing' counts as open in proposals_open.
	`CREATE TABLE proposals_v2 (
		seq           INTEGER PRIMARY KEY,
		id            TEXT NOT NULL UNIQUE,
		created       TEXT NOT NULL,
		device        TEXT NOT NULL,
		device_key    TEXT NOT NULL,
		device_json   TEXT NOT NULL,
		action        TEXT NOT NULL,
		params        TEXT NOT NULL DEFAULT '{}',
		reason        TEXT NOT NULL DEFAULT '',
		finding_id    TEXT NOT NULL DEFAULT '',
		confidence    REAL NOT NULL DEFAULT 0,
		severity      TEXT NOT NULL DEFAULT 'unknown',
		proposed_by   TEXT NOT NULL DEFAULT '',
		status        TEXT NOT NULL CHECK (status IN
			('pending','approved','executing','denied','expired','executed','failed','dry-run')),
		decided_by    TEXT NOT NULL DEFAULT '',
		decided_at    TEXT NOT NULL DEFAULT '',
		comment       TEXT NOT NULL DEFAULT '',
		expires_at    TEXT NOT NULL,
		mde_action_id TEXT NOT NULL DEFAULT '',
		result        TEXT NOT NULL DEFAULT '',
		joins         INTEGER NOT NULL DEFAULT 0,
		claimed_by    TEXT NOT NULL DEFAULT '',       -- executor holding the claim
		claimed_at    TEXT NOT NULL DEFAULT ''        -- UTC, when it claimed
	);
	INSERT INTO proposals_v2 (seq, id, created, device, device_key, device_json, action, params, reason,
		finding_id, confidence, severity, proposed_by, status, decided_by, decided_at, comment, expires_at,
		mde_action_id, result, joins)
	SELECT seq, id, created, device, device_key, device_json, action, params, reason,
		finding_id, confidence, severity, proposed_by, status, decided_by, decided_at, comment, expires_at,
		mde_action_id, result, joins FROM proposals;
	DROP TABLE proposals;
	ALTER TABLE proposals_v2 RENAME TO proposals;
	CREATE UNIQUE INDEX proposals_open ON proposals (device_key, action)
		WHERE status IN ('pending','approved','executing');
	CREATE INDEX proposals_status ON proposals (status, expires_at);`,
}

// migrate brings the database to the latest schema version.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil) // immediate (DSN): one migrator at a time
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var v int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("approval queue schema version %d is newer than this vigil (%d)", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("approval queue migration %d: %w", v+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, v); err != nil {
		return err
	}
	return tx.Commit()
}
