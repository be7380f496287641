package respond

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testLease = time.Hour

// approvedProposal queues and approves an isolation of device.
func approvedProposal(t *testing.T, q *Queue, device string) string {
	t.Helper()
	ctx := context.Background()
	id, _, err := q.Propose(ctx, isolation(device))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Approve(ctx, id, "alice", "go"); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestQueueClaim(t *testing.T) {
	ctx := context.Background()
	// Each setup leaves proposal id in some state and the clock somewhere.
	for _, tc := range []struct {
		name     string
		pending  bool // not approved first
		setup    func(t *testing.T, q *Queue, c *clock, id string)
		want     error
		status   Status // stored afterwards
		tookOver string
	}{
		{"approved", false, func(*testing.T, *Queue, *clock, string) {}, nil, StatusExecuting, ""},
		{"pending", true, func(*testing.T, *Queue, *clock, string) {}, ErrNotApproved, StatusPending, ""},
		{"approval lapsed", false, func(_ *testing.T, _ *Queue, c *clock, _ string) {
			c.Add(24 * time.Hour)
		}, ErrExpired, StatusExpired, ""},
		{"claimed, fresh", false, func(t *testing.T, q *Queue, c *clock, id string) {
			mustClaim(t, q, id, "dead-executor")
			c.Add(testLease - time.Nanosecond)
		}, ErrClaimed, StatusExecuting, ""},
		{"claimed, stale, nothing sent", false, func(t *testing.T, q *Queue, c *clock, id string) {
			mustClaim(t, q, id, "dead-executor")
			c.Add(testLease)
		}, nil, StatusExecuting, "dead-executor"},
		{"claimed, stale, nothing sent, approval lapsed", false, func(t *testing.T, q *Queue, c *clock, id string) {
			mustClaim(t, q, id, "dead-executor")
			c.Add(24 * time.Hour)
		}, ErrExpired, StatusExpired, ""},
		{"claimed, stale, action sent, approval lapsed", false, func(t *testing.T, q *Queue, c *clock, id string) {
			if err := q.SetActionID(ctx, mustClaim(t, q, id, "dead-executor"), "act-1"); err != nil {
				t.Fatal(err)
			}
			c.Add(24 * time.Hour)
		}, nil, StatusExecuting, "dead-executor"},
		{"executed", false, func(t *testing.T, q *Queue, _ *clock, id string) {
			if err := q.MarkExecuted(ctx, mustClaim(t, q, id, "executor-0"), "act-1", "Succeeded"); err != nil {
				t.Fatal(err)
			}
		}, ErrNotApproved, StatusExecuted, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock()
			q := openQueue(t, filepath.Join(t.TempDir(), "q.db"), c)
			id, _, _ := q.Propose(ctx, isolation("windows-target-1"))
			if !tc.pending {
				if _, err := q.Approve(ctx, id, "alice", "go"); err != nil {
					t.Fatal(err)
				}
			}
			tc.setup(t, q, c, id)
			got, err := q.Claim(ctx, id, "executor-1", testLease)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("claim: %v, want %v", err, tc.want)
			}
			if errors.Is(err, ErrClaimed) && !strings.Contains(err.Error(), "claimed by dead-executor at 2026-11-20T09:00:00") {
				t.Errorf("loser's error does not say who holds it since when: %v", err)
			}
			p, _ := q.Get(ctx, id)
			if p.Status != tc.status || got.TookOverFrom != tc.tookOver {
				t.Fatalf("status %s, took over from %q; want %s, %q", p.Status, got.TookOverFrom, tc.status, tc.tookOver)
			}
			if err == nil && (p.ClaimedBy != "executor-1" || !p.ClaimedAt.Equal(c.Now()) ||
				got.ClaimedBy != p.ClaimedBy || got.MDEActionID != p.MDEActionID) {
				t.Fatalf("stored %+v, claim %+v", p, got)
			}
		})
	}
}

func mustClaim(t *testing.T, q *Queue, id, who string) Claim {
	t.Helper()
	c, err := q.Claim(context.Background(), id, who, testLease)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Only the claim that holds a proposal may record an action or close it.
func TestQueueClaimOwnsFinish(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	q := openQueue(t, filepath.Join(t.TempDir(), "q.db"), c)
	id := approvedProposal(t, q, "a")
	old := mustClaim(t, q, id, "slow-executor")
	c.Add(testLease)
	cur := mustClaim(t, q, id, "executor-2")
	for _, op := range []struct {
		name string
		f    func() error
	}{
		{"set action id", func() error { return q.SetActionID(ctx, old, "act-1") }},
		{"executed", func() error { return q.MarkExecuted(ctx, old, "act-1", "Succeeded") }},
		{"failed", func() error { return q.MarkFailed(ctx, old, "", "boom") }},
		{"dry run", func() error { return q.MarkDryRun(ctx, old, "dry") }},
		{"release", func() error { return q.Release(ctx, old) }},
	} {
		if err := op.f(); !errors.Is(err, ErrClaimed) {
			t.Errorf("%s under a lost claim: %v", op.name, err)
		}
	}
	if p, _ := q.Get(ctx, id); p.Status != StatusExecuting || p.ClaimedBy != "executor-2" || p.MDEActionID != "" {
		t.Fatalf("after the old holder tried: %+v", p)
	}

	// Released, it is approved again and claimable; once an action is
	// recorded it cannot be released, only closed.
	if err := q.Release(ctx, cur); err != nil {
		t.Fatal(err)
	}
	if p, _ := q.Get(ctx, id); p.Status != StatusApproved || p.ClaimedBy != "" {
		t.Fatalf("after release: %+v", p)
	}
	cur = mustClaim(t, q, id, "executor-3")
	if err := q.SetActionID(ctx, cur, "act-2"); err != nil {
		t.Fatal(err)
	}
	if err := q.Release(ctx, cur); err == nil {
		t.Fatal("released a claim under which an action was sent")
	}
	if err := q.MarkExecuted(ctx, cur, "", "Succeeded"); err != nil {
		t.Fatal(err)
	}
	if p, _ := q.Get(ctx, id); p.Status != StatusExecuted || p.MDEActionID != "act-2" || p.ClaimedBy != "executor-3" {
		t.Fatalf("closed: %+v", p)
	}
}

// Claimants on two handles of one file ("two processes"): exactly one wins.
func TestQueueClaimRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	c := newClock()
	qs := []*Queue{openQueue(t, path, c), openQueue(t, path, c)}
	id := approvedProposal(t, qs[0], "windows-target-1")
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = qs[i%2].Claim(context.Background(), id, fmt.Sprintf("executor-%d", i), testLease)
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("executor-%d and executor-%d both won", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, ErrClaimed):
			t.Errorf("executor-%d: %v, want ErrClaimed", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("nobody won")
	}
	holder := fmt.Sprintf("executor-%d", winner)
	for i, err := range errs {
		if err != nil && !strings.Contains(err.Error(), "claimed by "+holder+" ") {
			t.Errorf("executor-%d's error does not name %s: %v", i, holder, err)
		}
	}
	if p, _ := qs[1].Get(context.Background(), id); p.Status != StatusExecuting || p.ClaimedBy != holder {
		t.Fatalf("stored %+v", p)
	}
}

// An executing proposal does not expire: its claim decides what becomes of it.
func TestQueueExpireStaleLeavesExecuting(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	q := openQueue(t, filepath.Join(t.TempDir(), "q.db"), c)
	id := approvedProposal(t, q, "a")
	mustClaim(t, q, id, "executor-1")
	other := approvedProposal(t, q, "b")
	c.Add(48 * time.Hour)
	ids, err := q.ExpireStale(ctx, c.Now())
	if err != nil || len(ids) != 1 || ids[0] != other {
		t.Fatalf("expired %v %v, want only %s", ids, err, other)
	}
	if p, _ := q.Get(ctx, id); p.Status != StatusExecuting {
		t.Fatalf("status %s", p.Status)
	}
	// A new finding for the device joins the executing proposal.
	if got, joined, err := q.Propose(ctx, isolation("A")); err != nil || !joined || got != id {
		t.Fatalf("propose: %s %v %v", got, joined, err)
	}
}
