package respond

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultPolicyNeedsApproval(t *testing.T) {
	var p Policy
	for _, a := range Actions {
		d := p.Evaluate(Proposal{Device: Device{Name: "x"}, Action: a, Confidence: 1, Severity: SeverityCritical})
		if d.Verdict != NeedApproval || !strings.Contains(d.Reason, "default") {
			t.Errorf("%s: %+v", a, d)
		}
	}
	if p.TTL() != 24*time.Hour {
		t.Errorf("TTL %v", p.TTL())
	}
	if d := p.Evaluate(Proposal{Action: "format_disk"}); d.Verdict != Deny {
		t.Errorf("unknown action: %+v", d)
	}
	var zero Decision
	if zero.Verdict != NeedApproval {
		t.Error("the zero Decision must not allow")
	}
}

const policyJSON = `{
  "approval_ttl": "4h",
  "protected": {"roles": ["domain-controller", "critical-server"], "tags": ["CrownJewel"],
                "groups": ["Tier0"], "devices": ["analyst-ws-1"]},
  "actions": {
    "isolate": {"mode": "auto", "min_confidence": 0.9, "min_severity": "high",
                "protected": {"tags": ["no-auto-isolate"]}},
    "run_av_scan": {"mode": "Auto"},
    "unisolate": {"mode": "approval"},
    "unrestrict_app_execution": {"mode": "never"}
  }
}`

func TestEvaluate(t *testing.T) {
	p, err := ParsePolicy([]byte(policyJSON))
	if err != nil {
		t.Fatal(err)
	}
	if p.TTL() != 4*time.Hour {
		t.Errorf("TTL %v", p.TTL())
	}
	iso := func(mod func(*Proposal)) Proposal {
		pr := Proposal{Device: Device{Name: "windows-target-1.contoso.com"}, Action: Isolate,
			Confidence: 0.95, Severity: SeverityHigh}
		if mod != nil {
			mod(&pr)
		}
		return pr
	}
	for _, tc := range []struct {
		name string
		pr   Proposal
		want Verdict
		why  string
	}{
		{"auto isolate", iso(nil), Allow, "policy allows isolate automatically"},
		{"low confidence", iso(func(p *Proposal) { p.Confidence = 0.5 }), NeedApproval, "confidence 0.50 < 0.90"},
		{"low severity", iso(func(p *Proposal) { p.Severity = SeverityMedium }), NeedApproval, "severity medium < high"},
		{"domain controller", iso(func(p *Proposal) { p.Device.Roles = []string{"Domain-Controller"} }), NeedApproval, "protected (role Domain-Controller)"},
		{"crown jewel tag", iso(func(p *Proposal) { p.Device.Tags = []string{"crownjewel"} }), NeedApproval, "tag crownjewel"},
		{"tier0 group", iso(func(p *Proposal) { p.Device.Group = "TIER0" }), NeedApproval, "group TIER0"},
		{"analyst's own machine by short name", iso(func(p *Proposal) { p.Device.Name = "analyst-ws-1.contoso.com" }), NeedApproval, "device analyst-ws-1"},
		{"rule's own protection", iso(func(p *Proposal) { p.Device.Tags = []string{"no-auto-isolate"} }), NeedApproval, "tag no-auto-isolate"},
		{"scan, no conditions", Proposal{Device: Device{Name: "a"}, Action: AntivirusScan}, Allow, ""},
		{"scan on a DC", Proposal{Device: Device{Name: "a", Roles: []string{"domain-controller"}}, Action: AntivirusScan}, NeedApproval, "protected"},
		{"release", Proposal{Device: Device{Name: "a"}, Action: Unisolate, Confidence: 1}, NeedApproval, "requires approval"},
		{"never", Proposal{Device: Device{Name: "a"}, Action: RemoveAppRestriction}, Deny, "forbids"},
		{"no rule", Proposal{Device: Device{Name: "a"}, Action: RestrictApps, Confidence: 1}, NeedApproval, "default"},
	} {
		d := p.Evaluate(tc.pr)
		if d.Verdict != tc.want || !strings.Contains(d.Reason, tc.why) {
			t.Errorf("%s: got %v %q, want %v %q", tc.name, d.Verdict, d.Reason, tc.want, tc.why)
		}
	}
}

func TestParsePolicyErrors(t *testing.T) {
	for _, bad := range []string{
		`{"actions": {"isolate": {"mode": "sometimes"}}}`,
		`{"actions": {"wipe": {"mode": "auto"}}}`,
		`{"actions": {"isolate": {"mode": "auto", "min_confidence": 2}}}`,
		`{"actions": {"isolate": {"mode": "auto", "min_severity": "apocalyptic"}}}`,
		`{"approval_ttl": "a day"}`,
		`{"aprovals": {}}`,
	} {
		if _, err := ParsePolicy([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
