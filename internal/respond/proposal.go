package respond

// This file defines proposals: what vigil wants done to which device.

import (
	"fmt"
	"strings"
	"time"
)

// Action is a containment or investigation action.
type Action string

// Actions vigil can propose.
const (
	Isolate              Action = "isolate"
	Unisolate            Action = "unisolate"
	CollectPackage       Action = "collect_investigation_package"
	AntivirusScan        Action = "run_av_scan"
	RestrictApps         Action = "restrict_app_execution"
	RemoveAppRestriction Action = "unrestrict_app_execution"
)

// Actions lists every Action.
var Actions = []Action{Isolate, Unisolate, CollectPackage, AntivirusScan, RestrictApps, RemoveAppRestriction}

func (a Action) valid() bool {
	for _, x := range Actions {
		if a == x {
			return true
		}
	}
	return false
}

// Isolation and scan types, as MDE spells them.
const (
	IsolationFull      = "Full"
	IsolationSelective = "Selective"
	ScanQuick          = "Quick"
	ScanFull           = "Full"
)

// Params are an action's options.
type Params struct {
	IsolationType string `json:"isolation_type,omitempty"` // Isolate: Full (default) or Selective
	ScanType      string `json:"scan_type,omitempty"`      // AntivirusScan: Quick (default) or Full
}

// Device names the target and what makes it special.
type Device struct {
	Name      string   `json:"name"`                 // computerDnsName, usually the FQDN
	MachineID string   `json:"machine_id,omitempty"` // MDE id, when known
	Tags      []string `json:"tags,omitempty"`       // MDE machine tags
	Roles     []string `json:"roles,omitempty"`      // e.g. domain-controller
	Group     string   `json:"group,omitempty"`      // MDE device group (rbacGroupName)
}

// Status is where a proposal stands.
type Status string

// Proposal statuses. Pending, Approved and Executing are open; the rest
// are final. Executing means an executor holds a claim on an approved
// proposal (see Queue.Claim).
const (
	StatusPending   Status = "pending"
	StatusApproved  Status = "approved"
	StatusExecuting Status = "executing"
	StatusDenied    Status = "denied"
	StatusExpired   Status = "expired"
	StatusExecuted  Status = "executed"
	StatusFailed    Status = "failed"
	StatusDryRun    Status = "dry-run"
)

// Proposal is a proposed action and its history.
type Proposal struct {
	ID          string
	Created     time.Time
	Device      Device
	Action      Action
	Params      Params
	Reason      string
	FindingID   string
	Confidence  float64 // 0..1
	Severity    Severity
	ProposedBy  string
	Status      Status
	DecidedBy   string // analyst, or "policy"
	DecidedAt   time.Time
	Comment     string
	ExpiresAt   time.Time // a pending or approved proposal lapses then
	MDEActionID string
	Result      string
	Joins       int       // later proposals merged into this one
	ClaimedBy   string    // the executor that claimed it to execute it (kept once closed)
	ClaimedAt   time.Time // when that claim was made
}

// normalize fills defaults and checks the fields a proposal needs.
func (p *Proposal) normalize() error {
	p.Device.Name = strings.TrimSpace(p.Device.Name)
	if p.Device.Name == "" {
		return fmt.Errorf("proposal: no device name")
	}
	if !p.Action.valid() {
		return fmt.Errorf("proposal: unknown action %q", p.Action)
	}
	if p.Confidence < 0 || p.Confidence > 1 {
		return fmt.Errorf("proposal: confidence %v outside 0..1", p.Confidence)
	}
	switch p.Action {
	case Isolate:
		if p.Params.IsolationType == "" {
			p.Params.IsolationType = IsolationFull
		}
		if p.Params.IsolationType != IsolationFull && p.Params.IsolationType != IsolationSelective {
			return fmt.Errorf("proposal: isolation type %q is not Full or Selective", p.Params.IsolationType)
		}
	case AntivirusScan:
		if p.Params.ScanType == "" {
			p.Params.ScanType = ScanQuick
		}
		if p.Params.ScanType != ScanQuick && p.Params.ScanType != ScanFull {
			return fmt.Errorf("proposal: scan type %q is not Quick or Full", p.Params.ScanType)
		}
	}
	return nil
}

// Summary says in words what the proposal would do ("isolate
// windows-target-1 (Full)"); it is built from fields, never from prose.
func (p Proposal) Summary() string {
	d := p.Device.Name
	switch p.Action {
	case Isolate:
		return fmt.Sprintf("isolate %s (%s)", d, p.Params.IsolationType)
	case Unisolate:
		return fmt.Sprintf("release %s from isolation", d)
	case CollectPackage:
		return fmt.Sprintf("collect an investigation package from %s", d)
	case AntivirusScan:
		return fmt.Sprintf("run a %s antivirus scan on %s", p.Params.ScanType, d)
	case RestrictApps:
		return fmt.Sprintf("restrict app execution on %s", d)
	case RemoveAppRestriction:
		return fmt.Sprintf("remove the app execution restriction on %s", d)
	}
	return fmt.Sprintf("%s %s", p.Action, d)
}
