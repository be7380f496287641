package respond

// This file decides, per action, whether a proposal may run on its own.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Mode is what a rule lets an action do.
type Mode string

// Rule modes. The empty Mode means ModeApproval.
const (
	ModeNever    Mode = "never"    // always denied
	ModeApproval Mode = "approval" // an analyst must approve
	ModeAuto     Mode = "auto"     // runs when the rule's conditions hold, else needs approval
)

// UnmarshalText accepts never, approval or auto (any case).
func (m *Mode) UnmarshalText(b []byte) error {
	switch x := Mode(strings.ToLower(strings.TrimSpace(string(b)))); x {
	case ModeNever, ModeApproval, ModeAuto, "":
		*m = x
		return nil
	}
	return fmt.Errorf("unknown policy mode %q (want never, approval or auto)", b)
}

// Policy is the response policy. The zero Policy requires approval for
// every action. It loads from JSON (ParsePolicy) or, through the yaml tags
// and the text unmarshalers of its field types, from YAML:
//
//	approval_ttl: 24h
//	protected: {roles: [domain-controller, critical-server], tags: [crown-jewel]}
//	actions:
//	  isolate:     {mode: auto, min_confidence: 0.9, min_severity: high}
//	  run_av_scan: {mode: auto}
//	  unisolate:   {mode: approval}
//	  unrestrict_app_execution: {mode: never}
type Policy struct {
	// ApprovalTTL is how long a proposal waits for approval, and how long an
	// approval stays good before it is executed (default 24h).
	ApprovalTTL Duration `json:"approval_ttl,omitempty" yaml:"approval_ttl,omitempty"`
	// Protected devices are never acted on automatically, whatever the rule.
	Protected Protection `json:"protected" yaml:"protected"`
	// Actions holds a rule per action; an action without one needs approval.
	Actions map[Action]Rule `json:"actions,omitempty" yaml:"actions,omitempty"`
}

// Rule is the policy for one action.
type Rule struct {
	Mode Mode `json:"mode" yaml:"mode"`
	// Conditions of ModeAuto; a zero value imposes no minimum.
	MinConfidence float64  `json:"min_confidence,omitempty" yaml:"min_confidence,omitempty"`
	MinSeverity   Severity `json:"min_severity,omitempty" yaml:"min_severity,omitempty"`
	// Protected adds devices this action never runs on automatically.
	Protected Protection `json:"protected" yaml:"protected"`
}

// Protection lists devices that need a human: by role (as the finding or
// inventory states it), MDE machine tag, MDE device group or name. Matching
// ignores case; a name also matches its FQDN (dc01 matches dc01.contoso.com).
type Protection struct {
	Roles   []string `json:"roles,omitempty" yaml:"roles,omitempty"`
	Tags    []string `json:"tags,omitempty" yaml:"tags,omitempty"`
	Groups  []string `json:"groups,omitempty" yaml:"groups,omitempty"`
	Devices []string `json:"devices,omitempty" yaml:"devices,omitempty"`
}

// DefaultApprovalTTL is used when the policy sets none.
const DefaultApprovalTTL = 24 * time.Hour

// Verdict is the outcome of a policy decision. The zero Verdict is
// NeedApproval, so a forgotten decision never allows anything.
type Verdict int

// Verdicts.
const (
	NeedApproval Verdict = iota
	Allow
	Deny
)

func (v Verdict) String() string {
	switch v {
	case Allow:
		return "allow"
	case Deny:
		return "deny"
	}
	return "need-approval"
}

// MarshalText writes the verdict's name.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Decision is a verdict and why.
type Decision struct {
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason"`
}

// ParsePolicy reads a JSON policy, rejecting unknown fields.
func ParsePolicy(data []byte) (Policy, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return Policy{}, fmt.Errorf("response policy: %w", err)
	}
	return p, p.Validate()
}

// Validate checks action names and bounds.
func (p Policy) Validate() error {
	if p.ApprovalTTL < 0 {
		return fmt.Errorf("response policy: negative approval_ttl")
	}
	for a, r := range p.Actions {
		if !a.valid() {
			return fmt.Errorf("response policy: unknown action %q", a)
		}
		if r.MinConfidence < 0 || r.MinConfidence > 1 {
			return fmt.Errorf("response policy: %s: min_confidence %v outside 0..1", a, r.MinConfidence)
		}
	}
	return nil
}

// TTL is the approval lifetime.
func (p Policy) TTL() time.Duration {
	if p.ApprovalTTL == 0 {
		return DefaultApprovalTTL
	}
	return time.Duration(p.ApprovalTTL)
}

// Evaluate decides whether p may run without a human.
func (p Policy) Evaluate(pr Proposal) Decision {
	if !pr.Action.valid() {
		return Decision{Deny, fmt.Sprintf("unknown action %q", pr.Action)}
	}
	r, ok := p.Actions[pr.Action]
	switch {
	case !ok:
		return Decision{NeedApproval, fmt.Sprintf("%s needs approval (no rule: the default)", pr.Action)}
	case r.Mode == ModeNever:
		return Decision{Deny, fmt.Sprintf("policy forbids %s", pr.Action)}
	case r.Mode != ModeAuto:
		return Decision{NeedApproval, fmt.Sprintf("policy requires approval for %s", pr.Action)}
	}
	var unmet []string
	if pr.Confidence < r.MinConfidence {
		unmet = append(unmet, fmt.Sprintf("confidence %.2f < %.2f", pr.Confidence, r.MinConfidence))
	}
	if pr.Severity < r.MinSeverity {
		unmet = append(unmet, fmt.Sprintf("severity %s < %s", pr.Severity, r.MinSeverity))
	}
	for _, prot := range []Protection{p.Protected, r.Protected} {
		if why := prot.match(pr.Device); why != "" {
			unmet = append(unmet, "device is protected ("+why+")")
		}
	}
	if len(unmet) > 0 {
		return Decision{NeedApproval, fmt.Sprintf("%s needs approval: %s", pr.Action, strings.Join(unmet, "; "))}
	}
	return Decision{Allow, fmt.Sprintf("policy allows %s automatically (confidence %.2f, severity %s, device not protected)",
		pr.Action, pr.Confidence, pr.Severity)}
}

// match says why d is protected, or "".
func (p Protection) match(d Device) string {
	has := func(list []string, v string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, v) })
	}
	for _, r := range d.Roles {
		if has(p.Roles, r) {
			return "role " + r
		}
	}
	for _, t := range d.Tags {
		if has(p.Tags, t) {
			return "tag " + t
		}
	}
	if d.Group != "" && has(p.Groups, d.Group) {
		return "group " + d.Group
	}
	short, _, _ := strings.Cut(d.Name, ".")
	for _, n := range p.Devices {
		if strings.EqualFold(n, d.Name) || strings.EqualFold(n, short) {
			return "device " + n
		}
	}
	return ""
}

// Duration is a time.Duration written as "24h" or "90m".
type Duration time.Duration

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("bad duration %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as Go does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
