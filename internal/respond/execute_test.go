package respond

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/respond/mdefake"
)

type world struct {
	ex    *Executor
	fake  *mdefake.Server
	clock *clock
	log   string // audit log path
}

// newWorld wires an executor to a fake MDE (or none), a queue and an audit
// log, all in a temp dir.
func newWorld(t *testing.T, policy Policy, withMDE bool) *world {
	t.Helper()
	dir := t.TempDir()
	w := &world{clock: newClock(), log: filepath.Join(dir, "audit.jsonl")}
	l, err := audit.Open(w.log, audit.WithClock(w.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	q := openQueue(t, filepath.Join(dir, "queue.db"), w.clock)
	w.ex = &Executor{Queue: q, Policy: policy, Audit: AuditTo(l)}
	if withMDE {
		var c *Client
		w.fake, c, _ = newFake(t)
		w.ex.MDE = c
	}
	return w
}

func target1Proposal() Proposal {
	return Proposal{Device: Device{Name: "windows-target-1"}, Action: Isolate,
		Reason: "credential dumping from lsass by rundll32 comsvcs.dll", FindingID: "F-0007",
		Confidence: 0.92, Severity: SeverityHigh, ProposedBy: "vigil-agent"}
}

// auditRecords reads the log as (kind, actor, payload) lines.
func auditRecords(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var r struct {
			Kind, Actor string
			Payload     map[string]any
		}
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		s := r.Kind + " " + r.Actor
		for _, k := range []string{"verdict", "op", "phase", "status", "error"} {
			if v, ok := r.Payload[k]; ok {
				s += fmt.Sprintf(" %s=%v", k, v)
			}
		}
		out = append(out, s)
	}
	return out
}

func TestEndToEndIsolationWithApproval(t *testing.T) {
	w := newWorld(t, Policy{}, true)
	ctx := context.Background()

	out, err := w.ex.Propose(ctx, target1Proposal())
	if err != nil || out.Status != StatusPending || out.Decision.Verdict != NeedApproval {
		t.Fatalf("propose: %+v %v", out, err)
	}
	if n := len(w.fake.Requests()); n != 0 {
		t.Fatalf("%d requests before approval", n)
	}
	const analyst = "Confirmed with the desktop team: isolate now"
	out, err = w.ex.Approve(ctx, out.ID, "alice@contoso.com", analyst)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	if out.Status != StatusExecuted || out.ActionStatus != ActionSucceeded || out.MDEActionID == "" {
		t.Fatalf("outcome %+v", out)
	}

	isolates := w.fake.Calls("POST", "/isolate")
	if len(isolates) != 1 {
		t.Fatalf("%d isolate calls, want 1", len(isolates))
	}
	if isolates[0].Path != "/api/machines/"+target1+"/isolate" {
		t.Errorf("path %s", isolates[0].Path)
	}
	var body map[string]string
	json.Unmarshal([]byte(isolates[0].Body), &body)
	if !strings.HasPrefix(body["Comment"], analyst+" [vigil P-000001, approved by alice@contoso.com, finding F-0007]") ||
		body["IsolationType"] != "Full" || len(body) != 2 {
		t.Errorf("isolate body %s", isolates[0].Body)
	}
	if st := w.fake.ActionStatus(out.MDEActionID); st != ActionSucceeded {
		t.Errorf("fake says %s", st)
	}
	p, _ := w.ex.Queue.Get(ctx, out.ID)
	if p.Status != StatusExecuted || p.MDEActionID != out.MDEActionID || p.DecidedBy != "alice@contoso.com" || p.Comment != analyst {
		t.Errorf("stored %+v", p)
	}

	want := []string{
		"proposal vigil-agent",
		"decision policy verdict=needs-approval",
		"decision alice@contoso.com verdict=approved",
		"execution vigil phase=claim status=executing",
		"api_call vigil op=find machine",
		"api_call vigil op=isolate phase=request",
		"api_call vigil op=isolate phase=response status=Pending",
		"api_call vigil op=get action phase=response status=Succeeded",
		"execution vigil status=executed",
	}
	got := auditRecords(t, w.log)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rep, err := audit.Verify(w.log)
	if err != nil || rep.Records != len(want) {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	if b, _ := os.ReadFile(w.log); bytes.Contains(b, []byte("TESTTOKENSIGNATURE")) {
		t.Fatal("the token reached the audit log")
	}

	// One byte of the approval record changed: Verify names record 3.
	b, _ := os.ReadFile(w.log)
	i := bytes.Index(b, []byte("alice@contoso.com"))
	b[i] = 'm'
	os.WriteFile(w.log, b, 0o600)
	_, err = audit.Verify(w.log)
	var te *audit.TamperError
	if !errors.As(err, &te) || te.Seq != 3 || te.Line != 3 {
		t.Fatalf("after edit: %v", err)
	}
}

// No action reaches the API without an allowing policy or an approval.
func TestNothingRunsUnapproved(t *testing.T) {
	ctx := context.Background()
	never := Policy{Actions: map[Action]Rule{Isolate: {Mode: ModeNever}}}
	auto := Policy{Actions: map[Action]Rule{Isolate: {Mode: ModeAuto, MinConfidence: 0.9}},
		Protected: Protection{Tags: []string{"lab"}}} // the fake machine carries tag "lab"
	for _, tc := range []struct {
		name   string
		policy Policy
		steps  func(*world, string) error // after Propose; the error expected last
		want   error
		status Status
		reads  bool // GETs allowed (the auto path looks the machine up)
	}{
		{"default policy, pending", Policy{}, func(w *world, id string) error {
			_, err := w.ex.Execute(ctx, id)
			return err
		}, ErrNotApproved, StatusPending, false},
		{"denied by analyst", Policy{}, func(w *world, id string) error {
			if _, err := w.ex.Deny(ctx, id, "bob", "false positive"); err != nil {
				return err
			}
			if _, err := w.ex.Approve(ctx, id, "alice", "oops"); !errors.Is(err, ErrNotPending) {
				return fmt.Errorf("approve after deny: %v", err)
			}
			_, err := w.ex.Execute(ctx, id)
			return err
		}, ErrNotApproved, StatusDenied, false},
		{"expired before approval", Policy{}, func(w *world, id string) error {
			w.clock.Add(24 * time.Hour)
			_, err := w.ex.Approve(ctx, id, "alice", "late")
			return err
		}, ErrExpired, StatusExpired, false},
		{"approval lapsed before execution", Policy{}, func(w *world, id string) error {
			if _, err := w.ex.Queue.Approve(ctx, id, "alice", "ok"); err != nil {
				return err
			}
			w.clock.Add(25 * time.Hour)
			_, err := w.ex.Execute(ctx, id)
			return err
		}, ErrExpired, StatusExpired, false},
		{"policy never", never, func(w *world, id string) error {
			_, err := w.ex.Approve(ctx, id, "alice", "please")
			return err
		}, ErrNotApproved, StatusDenied, false},
		{"policy never, approved before the policy changed", Policy{}, func(w *world, id string) error {
			w.ex.Queue.Approve(ctx, id, "alice", "ok")
			w.ex.Policy = never
			_, err := w.ex.Execute(ctx, id)
			return err
		}, ErrNotApproved, StatusApproved, false},
		{"auto, but MDE says the device is protected", auto, func(w *world, id string) error {
			_, err := w.ex.Execute(ctx, id)
			return err
		}, ErrNotApproved, StatusPending, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.policy, true)
			out, err := w.ex.Propose(ctx, target1Proposal())
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.steps(w, out.ID); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for _, r := range w.fake.Requests() {
				if r.Method != "GET" || !tc.reads {
					t.Errorf("request reached MDE: %s %s", r.Method, r.Path)
				}
			}
			if p, _ := w.ex.Queue.Get(ctx, out.ID); p.Status != tc.status {
				t.Errorf("status %s, want %s", p.Status, tc.status)
			}
			if _, err := audit.Verify(w.log); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAutoPolicyRunsOnce(t *testing.T) {
	w := newWorld(t, Policy{Actions: map[Action]Rule{Isolate: {Mode: ModeAuto, MinConfidence: 0.9, MinSeverity: SeverityHigh}}}, true)
	ctx := context.Background()
	out, err := w.ex.Propose(ctx, target1Proposal())
	if err != nil || out.Status != StatusExecuted || out.Decision.Verdict != Allow {
		t.Fatalf("%+v %v", out, err)
	}
	// A second finding on the same host while the first is open joins it;
	// after execution, a new one would start a new proposal.
	calls := w.fake.Calls("POST", "/isolate")
	if len(calls) != 1 || !strings.Contains(calls[0].Body, "auto-approved by policy") {
		t.Fatalf("calls %+v", calls)
	}
	p, _ := w.ex.Queue.Get(ctx, out.ID)
	if p.DecidedBy != PolicyActor {
		t.Errorf("decided by %q", p.DecidedBy)
	}
}

func TestJoinedProposalsIsolateOnce(t *testing.T) {
	w := newWorld(t, Policy{}, true)
	ctx := context.Background()
	a, _ := w.ex.Propose(ctx, target1Proposal())
	b, err := w.ex.Propose(ctx, target1Proposal())
	if err != nil || !b.Joined || b.ID != a.ID {
		t.Fatalf("second proposal %+v %v", b, err)
	}
	if _, err := w.ex.Approve(ctx, a.ID, "alice", "go"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ex.Approve(ctx, b.ID, "bob", "go"); !errors.Is(err, ErrNotPending) {
		t.Fatalf("second approval: %v", err)
	}
	if n := len(w.fake.Calls("POST", "/isolate")); n != 1 {
		t.Fatalf("%d isolate calls", n)
	}
}

func TestDryRun(t *testing.T) {
	w := newWorld(t, Policy{}, false)
	ctx := context.Background()
	out, _ := w.ex.Propose(ctx, target1Proposal())
	out, err := w.ex.Approve(ctx, out.ID, "alice", "go")
	if err != nil || !out.DryRun || out.Status != StatusDryRun || out.Message != "dry run: would isolate windows-target-1 (Full)" {
		t.Fatalf("%+v %v", out, err)
	}
	p, _ := w.ex.Queue.Get(ctx, out.ID)
	if p.Status != StatusDryRun || p.Result != out.Message {
		t.Fatalf("stored %+v", p)
	}
	got := auditRecords(t, w.log)
	if last := got[len(got)-1]; last != "execution vigil status=dry-run" {
		t.Fatalf("last audit record %q", last)
	}
}

// Faults seen through the executor end in a closed, audited proposal.
func TestExecutorFaults(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		setup  func(*mdefake.Server)
		device string
		want   error
		status Status
		in     string
	}{
		{"403 on isolate", func(s *mdefake.Server) { s.Forbid("POST", "/isolate") }, "windows-target-1",
			ErrForbidden, StatusFailed, "Machine.Isolate"},
		{"unknown machine", nil, "windows-target-9", ErrUnknownMachine, StatusFailed, "no machine with computerDnsName"},
		{"action ends Failed", func(s *mdefake.Server) { s.SetProgress(ActionPending, ActionFailed) }, "windows-target-1",
			ErrActionFailed, StatusFailed, "ended Failed"},
		{"already pending: joined", func(s *mdefake.Server) { s.AddAction(target1, TypeIsolate, ActionPending) }, "windows-target-1",
			nil, StatusExecuted, "joined pending MDE Isolate action 5382f7ea-7557-4ab7-9782-000000000001; status Succeeded"},
		{"throttled then fine", func(s *mdefake.Server) { s.Throttle(3, "2") }, "windows-target-1",
			nil, StatusExecuted, "status Succeeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Policy{}, true)
			if tc.setup != nil {
				tc.setup(w.fake)
			}
			pr := target1Proposal()
			pr.Device.Name = tc.device
			out, _ := w.ex.Propose(ctx, pr)
			out, err := w.ex.Approve(ctx, out.ID, "alice", "go")
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			p, _ := w.ex.Queue.Get(ctx, out.ID)
			if p.Status != tc.status || !strings.Contains(p.Result, tc.in) {
				t.Fatalf("stored %s %q, want %s with %q", p.Status, p.Result, tc.status, tc.in)
			}
			got := auditRecords(t, w.log)
			if last := got[len(got)-1]; last != "execution vigil status="+string(tc.status) {
				t.Fatalf("last audit record %q", last)
			}
			if n := len(w.fake.Calls("POST", "/isolate")); n > 1 || (tc.name == "already pending: joined" && n != 0) {
				t.Fatalf("%d isolate calls", n)
			}
			if _, err := audit.Verify(w.log); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// failingAuditor refuses one kind of record.
type failingAuditor struct{ kind string }

func (f failingAuditor) Append(kind, actor string, payload any) error {
	if kind == f.kind {
		return errors.New("disk full")
	}
	return nil
}

func TestNoAuditNoAction(t *testing.T) {
	w := newWorld(t, Policy{}, true)
	w.ex.Audit = failingAuditor{audit.KindAPICall}
	ctx := context.Background()
	out, _ := w.ex.Propose(ctx, target1Proposal())
	if _, err := w.ex.Approve(ctx, out.ID, "alice", "go"); err == nil {
		t.Fatal("no error")
	}
	for _, r := range w.fake.Requests() {
		if r.Method != "GET" {
			t.Fatalf("%s %s sent without an audit record", r.Method, r.Path)
		}
	}
}

func TestExpireStaleAudited(t *testing.T) {
	w := newWorld(t, Policy{}, false)
	ctx := context.Background()
	out, _ := w.ex.Propose(ctx, target1Proposal())
	w.clock.Add(25 * time.Hour)
	ids, err := w.ex.ExpireStale(ctx)
	if err != nil || len(ids) != 1 || ids[0] != out.ID {
		t.Fatalf("%v %v", ids, err)
	}
	got := auditRecords(t, w.log)
	if got[len(got)-1] != "decision policy verdict=expired" {
		t.Fatalf("%q", got[len(got)-1])
	}
}
