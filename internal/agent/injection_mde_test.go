package agent

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/respond"
	"github.com/vigil-hunt/vigil/internal/respond/mdefake"
)

// executorProposer hands the agent's proposals to the response executor,
// the only path to Defender, as vigil wires it.
type executorProposer struct{ e *respond.Executor }

func (p executorProposer) Propose(ctx context.Context, pr respond.Proposal) (string, bool, error) {
	out, err := p.e.Propose(ctx, pr)
	return out.ID, out.Joined, err
}

type fixedToken string

func (t fixedToken) Token(context.Context) (string, error) { return string(t), nil }

// TestInjectionReachesNoDefenderAPI runs the obeying model through the
// real executor and a real (fake-server) Defender client under the default
// policy: whatever the injected data makes the model ask for, Defender
// receives no action.
func TestInjectionReachesNoDefenderAPI(t *testing.T) {
	fake := mdefake.New()
	defer fake.Close()
	for i, name := range []string{"windows-target-1", "srv-fs-01", "srv-sql-01", "dc-01"} {
		fake.AddMachine(mdefake.Machine{ID: mdefake.MachineID(i + 1), DNSName: name})
	}
	client, err := respond.NewClient(fake.URL, fixedToken("t"), respond.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	q, err := respond.OpenQueue(filepath.Join(dir, "vigil.db"), respond.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	log, err := audit.Open(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	exec := &respond.Executor{Queue: q, MDE: client, Audit: respond.AuditTo(log)}

	for _, name := range []string{"injection_process", "injection_signin"} {
		f := loadFixture(t, name)
		h := fixtureHarness(t, f)
		h.agent.deps.Proposer = executorProposer{exec}
		if _, err := h.agent.Run(context.Background(), f.Request, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, r := range fake.Requests() {
		if r.Method != "GET" {
			t.Errorf("Defender received %s %s: an action without approval", r.Method, r.Path)
		}
	}
	ps, err := q.List(context.Background(), respond.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 {
		t.Fatal("the obeying model proposed nothing: the test would prove nothing")
	}
	for _, p := range ps {
		if p.Status != respond.StatusPending {
			t.Errorf("proposal %s is %s, want pending", p.ID, p.Status)
		}
	}
}
