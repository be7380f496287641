package agent

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/internal/finding"
)

// runFixture replays a recorded conversation and checks what every
// fixture states in its "expect" block.
func runFixture(t *testing.T, name string) (*harness, *Result, fixture) {
	t.Helper()
	f := loadFixture(t, name)
	for i := range f.Hunter {
		if f.Hunter[i].ID == "" {
			f.Hunter[i].ID = f.Hunter[i].ComputeID()
		}
	}
	h := fixtureHarness(t, f)
	res, err := h.agent.Run(context.Background(), f.Request, f.Hunter)
	if err != nil {
		t.Fatalf("Run: %v (stop: %s)", err, res.Stop)
	}
	if !strings.Contains(res.Stop, f.Expect.Stop) {
		t.Errorf("stop %q, want %q", res.Stop, f.Expect.Stop)
	}
	var codes []string
	for _, r := range res.Refusals {
		codes = append(codes, r.Code)
	}
	if f.Expect.Refusals != nil && !slices.Equal(codes, f.Expect.Refusals) {
		t.Errorf("refusals %v, want %v", codes, f.Expect.Refusals)
	}
	if len(res.Agent) != f.Expect.Agent || len(res.Dropped) != f.Expect.Dropped {
		t.Errorf("%d agent findings and %d dropped, want %d and %d; dropped: %v", len(res.Agent), len(res.Dropped), f.Expect.Agent, f.Expect.Dropped, res.Dropped)
	}
	if len(res.Proposals) != f.Expect.Proposals {
		t.Errorf("%d proposals, want %d", len(res.Proposals), f.Expect.Proposals)
	}
	if (len(res.Artefacts) > 0) != f.Expect.Artefacts {
		t.Errorf("artefacts %v, want any: %v", res.Artefacts, f.Expect.Artefacts)
	}
	if h.srv.Remaining() != 0 {
		t.Errorf("%d scripted steps unused", h.srv.Remaining())
	}
	for _, fd := range res.Findings {
		if errs := finding.Validate(fd); len(errs) > 0 {
			t.Errorf("finding %q invalid: %v", fd.Title, errs)
		}
	}
	golden(t, name, transcript(h))
	return h, res, f
}

// TestConversations replays every recorded conversation, checks each
// against its golden transcript, and measures the offline estimate of
// every model call against the prompt tokens the fake server billed.
func TestConversations(t *testing.T) {
	var devs []deviation
	for _, name := range fixtureNames(t, "") {
		t.Run(name, func(t *testing.T) {
			_, res, _ := runFixture(t, name)
			for i, c := range res.Calls {
				devs = append(devs, deviation{name: fmt.Sprintf("%s/%d", name, i), estimate: c.EstimatedInput, billed: c.PromptTokens})
			}
		})
	}
	reportDeviation(t, devs)
}

var costLine = regexp.MustCompile(`^\d+ model calls?, [\d,]+ tokens, (\$\d+\.\d{2,4}|<\$0\.0001|\$0)$`)

// TestHuntConversation checks the normal hunt in detail: guardrail
// refusals with carets and did-you-mean, evidence recovered by handle,
// claims validated, the hunter's finding merged and corroborated.
func TestHuntConversation(t *testing.T) {
	h, res, f := runFixture(t, "hunt_lsass")
	reqs := h.srv.Requests()

	// The unbounded query was refused with a caret under the table.
	refusal := reqs[2].Request.Messages[len(reqs[2].Request.Messages)-1].Text()
	for _, want := range []string{"refused (UnboundedTime)", "query:1:1: UnboundedTime: no time filter on DeviceProcessEvents", "\n  DeviceProcessEvents | where ProcessCommandLine has \"comsvcs\"\n  ^^^^^^^^^^^^^^^^^^^"} {
		if !strings.Contains(refusal, want) {
			t.Errorf("refusal lacks %q:\n%s", want, refusal)
		}
	}
	typo := reqs[4].Request.Messages[len(reqs[4].Request.Messages)-1].Text()
	if !strings.Contains(typo, `did you mean "FileName"?`) || !strings.Contains(typo, "^^^^^^^^") {
		t.Errorf("typo refusal lacks the did-you-mean or the caret:\n%s", typo)
	}
	// The fixed query ran with the row cap and its result is fenced.
	result := reqs[3].Request.Messages[len(reqs[3].Request.Messages)-1].Text()
	if !strings.HasPrefix(result, "query ran (| take 1000 appended)\n<data source=\"DeviceProcessEvents\" untrusted=\"true\">") {
		t.Errorf("result not fenced as expected:\n%s", result)
	}
	// Every handle gives back the exact rows.
	ev, ok := res.Evidence.Lookup("r1")
	if !ok || len(ev.Rows) != 1 || ev.Rows[0]["SHA256"] != f.Tables["DeviceProcessEvents"][0]["SHA256"] ||
		ev.Rows[0]["Timestamp"] != "2024-11-13T10:15:02.1234567Z" || !strings.Contains(ev.Query, "| take 1000") {
		t.Errorf("r1 = %+v, %v", ev, ok)
	}
	// The verified finding kept its expanded hash; the others say why not.
	byTitle := map[string]finding.Finding{}
	for _, fd := range res.Agent {
		byTitle[fd.Title] = fd
	}
	good := byTitle["LSASS memory dumped with comsvcs.dll MiniDump on windows-target-1"]
	if !good.Verified || good.AttackID() != "T1003.001" || len(good.IOCs) != 2 || good.IOCs[1].Value != f.Tables["DeviceProcessEvents"][0]["SHA256"] {
		t.Errorf("verified finding: %+v", good)
	}
	exfil := byTitle["Credentials exfiltrated to 203.0.113.99"]
	if exfil.Verified || len(exfil.IOCs) != 0 || !strings.Contains(strings.Join(exfil.UnverifiedReasons, ";"), `"203.0.113.99" not found`) {
		t.Errorf("unsupported IOC kept or not explained: %+v", exfil)
	}
	fake := byTitle["Defender scanned LSASS"]
	if fake.Verified || fake.Technique != nil || !strings.Contains(strings.Join(fake.UnverifiedReasons, ";"), "unknown ATT&CK technique T9999.999") {
		t.Errorf("invented technique kept or not explained: %+v", fake)
	}
	// The hunter's finding and the agent's merged into one, corroborated.
	hunterID := f.Hunter[0].ComputeID()
	var merged *finding.Finding
	for i := range res.Findings {
		if res.Findings[i].ID == hunterID {
			merged = &res.Findings[i]
		}
	}
	if merged == nil || len(merged.AlsoProducedBy) == 0 || !merged.Verified ||
		!slices.Contains(merged.Confidence.Reasons, "corroborated: the deterministic hunter and the LLM agent both reported it") {
		t.Errorf("merged finding: %+v", merged)
	}
	// The proposal is pending and nothing else happened.
	if len(h.proposer.got) != 1 || h.proposer.got[0].Device.MachineID != f.Tables["DeviceProcessEvents"][0]["DeviceId"] || h.proposer.statuses[0] != "pending" {
		t.Errorf("proposals %+v %v", h.proposer.got, h.proposer.statuses)
	}
	if !costLine.MatchString(res.CostLine()) || res.Spend.Calls != len(reqs) {
		t.Errorf("cost line %q for %d requests", res.CostLine(), len(reqs))
	}
	if !slices.Contains(h.audit.kinds, "proposal") || !slices.Contains(h.audit.kinds, "model_call") || !slices.Contains(h.audit.kinds, "query") {
		t.Errorf("audit kinds %v", h.audit.kinds)
	}
	t.Logf("cost: %s", res.CostLine())
}
