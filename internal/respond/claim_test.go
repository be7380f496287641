package respond

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/audit"
)

// auditFunc is an Auditor made of a function of the record.
type auditFunc func(kind string, payload map[string]any) error

func (f auditFunc) Append(kind, actor string, payload any) error {
	m, _ := payload.(map[string]any)
	return f(kind, m)
}

// Many executors, on two queue handles of one file, execute the same
// approved proposal at once: one isolate call, every other executor loses
// the claim. The winner is held before its call until all others have
// returned, so each of them finds the proposal executing.
func TestConcurrentExecuteSendsOnce(t *testing.T) {
	const n = 16
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	c := newClock()
	fake, client, _ := newFake(t)
	others := make(chan struct{})
	var first atomic.Bool
	held := auditFunc(func(kind string, p map[string]any) error {
		if kind == audit.KindAPICall && p["phase"] == "request" && first.CompareAndSwap(false, true) {
			<-others
		}
		return nil
	})
	var exs []*Executor
	for range 2 {
		exs = append(exs, &Executor{Queue: openQueue(t, path, c), MDE: client, Audit: held})
	}
	id := approvedProposal(t, exs[0].Queue, "windows-target-1")

	outs, errs := make([]Outcome, n), make([]error, n)
	var returned atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			outs[i], errs[i] = exs[i%2].Execute(ctx, id)
			if returned.Add(1) == n-1 {
				close(others)
			}
		})
	}
	wg.Wait()

	if calls := fake.Calls("POST", "/isolate"); len(calls) != 1 {
		t.Fatalf("%d isolate calls, want 1", len(calls))
	}
	won := 0
	for i, err := range errs {
		switch {
		case err == nil && outs[i].Status == StatusExecuted:
			won++
		case !errors.Is(err, ErrClaimed) || outs[i].Status != StatusExecuting:
			t.Errorf("executor %d: %s %v, want executing and ErrClaimed", i, outs[i].Status, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d executors executed it", won)
	}
	if p, _ := exs[1].Queue.Get(ctx, id); p.Status != StatusExecuted || p.MDEActionID == "" {
		t.Fatalf("stored %+v", p)
	}
}

// A claim whose holder died is taken over once its lease is out: the
// proposal is executed if no action was recorded, else the recorded
// action is followed and nothing is sent again.
func TestExecuteTakesOverStaleClaim(t *testing.T) {
	ctx := context.Background()
	const lapsed = 25 * time.Hour
	for _, tc := range []struct {
		name     string
		sent     bool          // the dead holder recorded an MDE action
		after    time.Duration // from the dead claim to Execute
		want     error
		status   Status
		posts    int  // isolate calls
		takeover bool // audited
	}{
		{"fresh, nothing sent", false, DefaultClaimLease - time.Nanosecond, ErrClaimed, StatusExecuting, 0, false},
		{"fresh, action sent", true, DefaultClaimLease - time.Nanosecond, ErrClaimed, StatusExecuting, 0, false},
		{"stale, nothing sent", false, DefaultClaimLease, nil, StatusExecuted, 1, true},
		{"stale, action sent", true, DefaultClaimLease, nil, StatusExecuted, 0, true},
		{"stale, action sent, approval lapsed", true, lapsed, nil, StatusExecuted, 0, true},
		{"stale, nothing sent, approval lapsed", false, lapsed, ErrExpired, StatusExpired, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Policy{}, true)
			q := w.ex.Queue
			id := approvedProposal(t, q, "windows-target-1")
			dead, err := q.Claim(ctx, id, "vigil pid 1 on gone #DEADBEEF", 0)
			if err != nil {
				t.Fatal(err)
			}
			sentID := ""
			if tc.sent {
				sentID = w.fake.AddAction(target1, TypeIsolate, ActionPending)
				if err := q.SetActionID(ctx, dead, sentID); err != nil {
					t.Fatal(err)
				}
			}
			w.clock.Add(tc.after)

			out, err := w.ex.Execute(ctx, id)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("execute: %v, want %v", err, tc.want)
			}
			if n := len(w.fake.Calls("POST", "/isolate")); n != tc.posts {
				t.Fatalf("%d isolate calls, want %d", n, tc.posts)
			}
			p, _ := q.Get(ctx, id)
			if p.Status != tc.status || out.Status != tc.status {
				t.Fatalf("stored %s, outcome %s; want %s", p.Status, out.Status, tc.status)
			}
			if tc.sent && (p.MDEActionID != sentID || (err == nil && out.MDEActionID != sentID)) {
				t.Fatalf("action %s (outcome %s), want %s", p.MDEActionID, out.MDEActionID, sentID)
			}
			if tc.takeover && p.ClaimedBy == dead.ClaimedBy {
				t.Fatalf("still claimed by %s", p.ClaimedBy)
			}
			got := auditRecords(t, w.log)
			if has := slices.Contains(got, "execution vigil phase=takeover status=executing"); has != tc.takeover {
				t.Fatalf("takeover audited %v, want %v:\n%s", has, tc.takeover, strings.Join(got, "\n"))
			}
		})
	}
}

// If the claim or the request cannot be audited, nothing is sent and the
// claim is given up: the proposal is approved again, for a later try.
func TestClaimGivenUpWithoutAudit(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		refuse func(kind string, p map[string]any) bool
		status Status
	}{
		{"claim", func(kind string, p map[string]any) bool { return kind == audit.KindExecution }, StatusApproved},
		{"request", func(kind string, p map[string]any) bool { return p["phase"] == "request" }, StatusApproved},
		{"machine lookup: closed as failed", func(kind string, p map[string]any) bool { return p["op"] == "find machine" }, StatusFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Policy{}, true)
			w.ex.Audit = auditFunc(func(kind string, p map[string]any) error {
				if tc.refuse(kind, p) {
					return errors.New("disk full")
				}
				return nil
			})
			id := approvedProposal(t, w.ex.Queue, "windows-target-1")
			if _, err := w.ex.Execute(ctx, id); err == nil {
				t.Fatal("no error")
			}
			for _, r := range w.fake.Requests() {
				if r.Method != "GET" {
					t.Fatalf("%s %s sent", r.Method, r.Path)
				}
			}
			if p, _ := w.ex.Queue.Get(ctx, id); p.Status != tc.status {
				t.Fatalf("status %s, want %s", p.Status, tc.status)
			}
		})
	}
}
