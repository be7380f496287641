package respond

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// schemaV1Hash is the SHA-256 of migrations[0], the schema vigil shipped
// first: databases made with it exist, so it must never change.
const schemaV1Hash = "457f42cae90d04ca4884da5c91311ceda852f7526cd9557ddac6090df213d078"

func TestFirstMigrationUnchanged(t *testing.T) {
	if got := fmt.Sprintf("%x", sha256.Sum256([]byte(migrations[0]))); got != schemaV1Hash {
		t.Fatalf("migrations[0] was edited (sha256 %s); append a migration instead", got)
	}
}

// A database at version 1, with proposals in several states, migrates
// with its rows intact, and the claim step works on them.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		seq                                int
		device, action, status, decidedBy  string
		expires, actionID, result, comment string
		joins                              int
	}{
		{1, "windows-target-1", "isolate", "executed", "alice", "2026-11-21T09:00:00.000000000Z", "act-1", "Succeeded", "go", 0},
		{2, "windows-target-1", "isolate", "approved", "bob", "2026-11-21T09:00:00.000000000Z", "", "", "contain", 2},
		{3, "windows-target-2", "isolate", "pending", "", "2026-11-21T09:00:00.000000000Z", "", "", "", 0},
		{4, "windows-target-3", "run_av_scan", "denied", "carol", "2026-11-21T09:00:00.000000000Z", "", "", "false positive", 1},
	}
	stmts := []string{migrations[0], `CREATE TABLE schema_version (version INTEGER NOT NULL)`,
		`INSERT INTO schema_version (version) VALUES (1)`}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rows {
		_, err := db.Exec(`INSERT INTO proposals (seq, id, created, device, device_key, device_json, action,
			params, reason, finding_id, confidence, severity, proposed_by, status, decided_by, decided_at,
			comment, expires_at, mde_action_id, result, joins)
			VALUES (?, printf('P-%06d', ?), '2026-11-20T09:00:00.000000000Z', ?, lower(?), json_object('name', ?), ?,
			'{}', 'LSASS dump', 'F-1', 0.8, 'high', 'vigil-agent', ?, ?, '', ?, ?, ?, ?, ?)`,
			r.seq, r.seq, r.device, r.device, r.device, r.action, r.status, r.decidedBy, r.comment,
			r.expires, r.actionID, r.result, r.joins)
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	c := newClock()
	q := openQueue(t, path, c)
	var version int
	var index string
	q.db.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	q.db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'proposals_open'`).Scan(&index)
	if version != len(migrations) || !strings.Contains(index, "'executing'") {
		t.Fatalf("version %d, proposals_open %q", version, index)
	}
	got, err := q.List(ctx, Filter{})
	if err != nil || len(got) != len(rows) {
		t.Fatalf("list: %d rows, %v", len(got), err)
	}
	for i, r := range rows {
		p := got[i]
		if p.Device.Name != r.device || string(p.Action) != r.action || string(p.Status) != r.status ||
			p.DecidedBy != r.decidedBy || ts(p.ExpiresAt) != r.expires || p.MDEActionID != r.actionID ||
			p.Result != r.result || p.Comment != r.comment || p.Joins != r.joins || p.Reason != "LSASS dump" ||
			p.Severity != SeverityHigh || p.Confidence != 0.8 || !p.Created.Equal(c.Now()) ||
			p.ClaimedBy != "" || !p.ClaimedAt.IsZero() {
			t.Errorf("row %d: %+v", r.seq, p)
		}
	}

	// The approved one can be claimed, joined while executing, and closed;
	// then a new proposal is numbered after the old ones.
	cl, err := q.Claim(ctx, "P-000002", "executor-1", testLease)
	if err != nil {
		t.Fatal(err)
	}
	if id, joined, err := q.Propose(ctx, isolation("Windows-Target-1")); err != nil || !joined || id != "P-000002" {
		t.Fatalf("propose while executing: %s %v %v", id, joined, err)
	}
	if err := q.MarkExecuted(ctx, cl, "act-2", "Succeeded"); err != nil {
		t.Fatal(err)
	}
	if id, joined, err := q.Propose(ctx, isolation("windows-target-1")); err != nil || joined || id != "P-000005" {
		t.Fatalf("propose after execution: %s %v %v", id, joined, err)
	}
	if p, _ := q.Get(ctx, "P-000002"); p.Status != StatusExecuted || p.Joins != 3 || p.ClaimedBy != "executor-1" {
		t.Fatalf("closed: %+v", p)
	}
	if _, err := q.db.Exec(`UPDATE proposals SET status = 'bogus' WHERE id = 'P-000003'`); err == nil {
		t.Fatal("the status constraint was lost")
	}
}
