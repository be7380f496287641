package respond

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openQueue(t *testing.T, path string, c *clock) *Queue {
	t.Helper()
	q, err := OpenQueue(path, QueueOptions{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func isolation(device string) Proposal {
	return Proposal{Device: Device{Name: device}, Action: Isolate, Reason: "LSASS dump",
		FindingID: "F-1", Confidence: 0.8, Severity: SeverityHigh, ProposedBy: "vigil-agent"}
}

func TestQueueProposeJoins(t *testing.T) {
	c := newClock()
	q := openQueue(t, filepath.Join(t.TempDir(), "q.db"), c)
	ctx := context.Background()
	id, joined, err := q.Propose(ctx, isolation("windows-target-1"))
	if err != nil || joined || id != "P-000001" {
		t.Fatalf("first: %s %v %v", id, joined, err)
	}
	id2, joined, err := q.Propose(ctx, isolation("WINDOWS-TARGET-1"))
	if err != nil || !joined || id2 != id {
		t.Fatalf("second: %s %v %v", id2, joined, err)
	}
	scan := isolation("windows-target-1")
	scan.Action = AntivirusScan
	id3, joined, _ := q.Propose(ctx, scan)
	if joined || id3 != "P-000002" {
		t.Fatalf("other action: %s %v", id3, joined)
	}
	p, err := q.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := Proposal{ID: id, Created: c.Now(), Device: Device{Name: "windows-target-1"}, Action: Isolate,
		Params: Params{IsolationType: IsolationFull}, Reason: "LSASS dump", FindingID: "F-1", Confidence: 0.8,
		Severity: SeverityHigh, ProposedBy: "vigil-agent", Status: StatusPending, ExpiresAt: c.Now().Add(24 * time.Hour), Joins: 1}
	if !equalProposal(p, want) {
		t.Fatalf("got  %+v\nwant %+v", p, want)
	}
	// Approved and executing are still open: they join. Executed is
	// closed: a new proposal.
	if _, err := q.Approve(ctx, id, "alice", "ok"); err != nil {
		t.Fatal(err)
	}
	if id4, joined, _ := q.Propose(ctx, isolation("windows-target-1")); !joined || id4 != id {
		t.Fatalf("approved did not join: %s", id4)
	}
	cl, err := q.Claim(ctx, id, "executor-1", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if id4, joined, _ := q.Propose(ctx, isolation("windows-target-1")); !joined || id4 != id {
		t.Fatalf("executing did not join: %s", id4)
	}
	if err := q.MarkExecuted(ctx, cl, "act-1", "Succeeded"); err != nil {
		t.Fatal(err)
	}
	if id5, joined, _ := q.Propose(ctx, isolation("windows-target-1")); joined || id5 != "P-000003" {
		t.Fatalf("after execution: %s %v", id5, joined)
	}
}

func equalProposal(a, b Proposal) bool {
	return a.ID == b.ID && a.Created.Equal(b.Created) && a.Device.Name == b.Device.Name && a.Action == b.Action &&
		a.Params == b.Params && a.Reason == b.Reason && a.FindingID == b.FindingID && a.Confidence == b.Confidence &&
		a.Severity == b.Severity && a.ProposedBy == b.ProposedBy && a.Status == b.Status &&
		a.ExpiresAt.Equal(b.ExpiresAt) && a.Joins == b.Joins && a.DecidedBy == b.DecidedBy
}

func TestQueueDecisions(t *testing.T) {
	c := newClock()
	q := openQueue(t, filepath.Join(t.TempDir(), "q.db"), c)
	ctx := context.Background()
	id, _, _ := q.Propose(ctx, isolation("a"))
	c.Add(time.Hour)
	p, err := q.Approve(ctx, id, "alice@contoso.com", "go")
	if err != nil || p.Status != StatusApproved || p.DecidedBy != "alice@contoso.com" || !p.ExpiresAt.Equal(c.Now().Add(24*time.Hour)) {
		t.Fatalf("approve: %+v %v", p, err)
	}
	if _, err := q.Approve(ctx, id, "bob", ""); !errors.Is(err, ErrNotPending) {
		t.Fatalf("second approve: %v", err)
	}
	if _, err := q.Approve(ctx, "P-999999", "bob", ""); !errors.Is(err, ErrNoProposal) {
		t.Fatalf("unknown id: %v", err)
	}
	if _, err := q.Approve(ctx, id, " ", ""); err == nil {
		t.Fatal("anonymous approval accepted")
	}
	cl, err := q.Claim(ctx, id, "executor-1", time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	id2, _, _ := q.Propose(ctx, isolation("b"))
	if _, err := q.Deny(ctx, id2, "bob", "false positive"); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Approve(ctx, id2, "alice", ""); !errors.Is(err, ErrNotPending) {
		t.Fatalf("approve denied: %v", err)
	}

	id3, _, _ := q.Propose(ctx, isolation("c"))
	c.Add(24 * time.Hour)
	if _, err := q.Approve(ctx, id3, "alice", ""); !errors.Is(err, ErrExpired) {
		t.Fatalf("approve expired: %v", err)
	}
	if p, _ := q.Get(ctx, id3); p.Status != StatusExpired {
		t.Fatalf("status %s", p.Status)
	}

	// Executed cannot be approved; pending cannot be marked executed.
	if err := q.MarkExecuted(ctx, cl, "act-1", "Succeeded"); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Approve(ctx, id, "alice", ""); !errors.Is(err, ErrNotPending) {
		t.Fatalf("approve executed: %v", err)
	}
	id4, _, _ := q.Propose(ctx, isolation("d"))
	if err := q.MarkExecuted(ctx, Claim{Proposal: Proposal{ID: id4}}, "x", "y"); !errors.Is(err, ErrNotApproved) {
		t.Fatalf("mark pending executed: %v", err)
	}
	got, err := q.List(ctx, Filter{Status: []Status{StatusExecuted, StatusDenied}})
	if err != nil || len(got) != 2 || got[0].ID != id || got[1].ID != id2 || got[0].MDEActionID != "act-1" {
		t.Fatalf("list: %+v %v", got, err)
	}
	if got, _ := q.List(ctx, Filter{Device: "D", Action: Isolate}); len(got) != 1 || got[0].ID != id4 {
		t.Fatalf("list by device: %+v", got)
	}
}

func TestQueueExpireStale(t *testing.T) {
	c := newClock()
	q := openQueue(t, filepath.Join(t.TempDir(), "q.db"), c)
	ctx := context.Background()
	a, _, _ := q.Propose(ctx, isolation("a"))
	c.Add(12 * time.Hour)
	b, _, _ := q.Propose(ctx, isolation("b"))
	q.Approve(ctx, b, "alice", "")
	ids, err := q.ExpireStale(ctx, c.Now().Add(12*time.Hour))
	if err != nil || len(ids) != 1 || ids[0] != a {
		t.Fatalf("expired %v %v", ids, err)
	}
	ids, _ = q.ExpireStale(ctx, c.Now().Add(24*time.Hour)) // the approval lapses too
	if len(ids) != 1 || ids[0] != b {
		t.Fatalf("expired %v", ids)
	}
}

func TestQueuePersistsAndMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	c := newClock()
	q := openQueue(t, path, c)
	id, _, _ := q.Propose(context.Background(), isolation("a"))
	q.Close()
	q2 := openQueue(t, path, c)
	if p, err := q2.Get(context.Background(), id); err != nil || p.Status != StatusPending {
		t.Fatalf("after reopen: %+v %v", p, err)
	}
	var version int
	var mode string
	q2.db.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	q2.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if version != len(migrations) || mode != "wal" {
		t.Fatalf("version %d, journal %s", version, mode)
	}
	q2.db.Exec(`UPDATE schema_version SET version = 99`)
	q2.Close()
	if _, err := OpenQueue(path, QueueOptions{}); err == nil {
		t.Fatal("opened a newer schema")
	}
}

// Concurrent proposals from two handles on one file: one queued, the rest join.
func TestQueueConcurrentPropose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	c := newClock()
	qs := []*Queue{openQueue(t, path, c), openQueue(t, path, c)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[string]int{}
	joins := 0
	for i := range 16 {
		wg.Go(func() {
			id, joined, err := qs[i%2].Propose(context.Background(), isolation("windows-target-1"))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[id]++
			if joined {
				joins++
			}
		})
	}
	wg.Wait()
	if len(ids) != 1 || joins != 15 {
		t.Fatalf("ids %v, joins %d", ids, joins)
	}
}
