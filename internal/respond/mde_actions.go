package respond

// This file holds the MDE calls: find a machine, act on it, poll actions.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Permissions the calls need (application or delegated).
const (
	PermRead     = "Machine.Read.All"
	PermIsolate  = "Machine.Isolate"
	PermForensic = "Machine.CollectForensics"
	PermScan     = "Machine.Scan"
	PermRestrict = "Machine.RestrictExecution"
)

var (
	machineIDRe = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	actionIDRe  = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)
)

// machineOp describes one machine action endpoint.
type machineOp struct {
	op, segment, mdeType, permission string
	opposite                         string // the type that undoes this one
}

var (
	opIsolate   = machineOp{"isolate", "isolate", TypeIsolate, PermIsolate, TypeUnisolate}
	opUnisolate = machineOp{"unisolate", "unisolate", TypeUnisolate, PermIsolate, TypeIsolate}
	opCollect   = machineOp{"collect investigation package", "collectInvestigationPackage", TypeCollectPackage, PermForensic, ""}
	opScan      = machineOp{"run antivirus scan", "runAntiVirusScan", TypeRunAntiVirusScan, PermScan, ""}
	opRestrict  = machineOp{"restrict app execution", "restrictCodeExecution", TypeRestrictCodeExecution, PermRestrict, TypeUnrestrictCodeExecution}
	opRelease   = machineOp{"remove app restriction", "unrestrictCodeExecution", TypeUnrestrictCodeExecution, PermRestrict, TypeRestrictCodeExecution}
)

// odataFilter renders a $filter query; values are quoted with ” escaping.
func odataFilter(format string, values ...string) string {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	f := fmt.Sprintf(format, args...)
	return "?$filter=" + strings.ReplaceAll(url.QueryEscape(f), "+", "%20")
}

// FindMachine returns the machine whose computerDnsName is name (MDE
// matches the whole name, usually an FQDN). When MDE knows several (a
// re-onboarded device), the one seen last wins. No match, or MDE's 404, is
// ErrUnknownMachine.
func (c *Client) FindMachine(ctx context.Context, name string) (Machine, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Machine{}, fmt.Errorf("%w: empty device name", ErrUnknownMachine)
	}
	var l list[Machine]
	err := c.do(ctx, call{op: "list machines", permission: PermRead, method: http.MethodGet,
		path: "/api/machines" + odataFilter("computerDnsName eq %s", name)}, &l)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Machine{}, err
	}
	if len(l.Value) == 0 {
		hint := ""
		if !strings.Contains(name, ".") {
			hint = " (MDE records the FQDN, e.g. " + name + ".contoso.com)"
		}
		return Machine{}, fmt.Errorf("%w: MDE has no machine with computerDnsName %q%s", ErrUnknownMachine, name, hint)
	}
	return slices.MaxFunc(l.Value, func(a, b Machine) int { return a.LastSeen.Compare(b.LastSeen) }), nil
}

// Isolate isolates a machine; isolationType is Full or Selective.
func (c *Client) Isolate(ctx context.Context, machineID, isolationType, comment string) (MachineAction, error) {
	return c.act(ctx, opIsolate, machineID, comment, map[string]string{"Comment": comment, "IsolationType": isolationType})
}

// Unisolate releases a machine from isolation.
func (c *Client) Unisolate(ctx context.Context, machineID, comment string) (MachineAction, error) {
	return c.act(ctx, opUnisolate, machineID, comment, map[string]string{"Comment": comment})
}

// CollectInvestigationPackage collects a forensics package.
func (c *Client) CollectInvestigationPackage(ctx context.Context, machineID, comment string) (MachineAction, error) {
	return c.act(ctx, opCollect, machineID, comment, map[string]string{"Comment": comment})
}

// RunAntivirusScan starts a Microsoft Defender Antivirus scan, Quick or Full.
func (c *Client) RunAntivirusScan(ctx context.Context, machineID, scanType, comment string) (MachineAction, error) {
	return c.act(ctx, opScan, machineID, comment, map[string]string{"Comment": comment, "ScanType": scanType})
}

// RestrictAppExecution lets only Microsoft-signed code run.
func (c *Client) RestrictAppExecution(ctx context.Context, machineID, comment string) (MachineAction, error) {
	return c.act(ctx, opRestrict, machineID, comment, map[string]string{"Comment": comment})
}

// RemoveAppRestriction lifts RestrictAppExecution.
func (c *Client) RemoveAppRestriction(ctx context.Context, machineID, comment string) (MachineAction, error) {
	return c.act(ctx, opRelease, machineID, comment, map[string]string{"Comment": comment})
}

// act posts a machine action. An action of the same type already pending
// (found before posting, or reported by MDE as ActiveRequestAlreadyExists)
// is returned with Existing set instead of a second one; a pending action
// of the opposite type is a *PendingActionError.
func (c *Client) act(ctx context.Context, o machineOp, machineID, comment string, body any) (MachineAction, error) {
	if !machineIDRe.MatchString(machineID) {
		return MachineAction{}, fmt.Errorf("MDE %s: %q is not an MDE machine id (40 hex digits)", o.op, machineID)
	}
	if strings.TrimSpace(comment) == "" {
		return MachineAction{}, fmt.Errorf("MDE %s: a comment is required", o.op)
	}
	if a, err := c.joinPending(ctx, o, machineID, ActionPending); err != nil || a.ID != "" {
		return a, err
	}
	var a MachineAction
	err := c.do(ctx, call{op: o.op, permission: o.permission, method: http.MethodPost,
		path: "/api/machines/" + machineID + "/" + o.segment, body: body}, &a)
	var ae *APIError
	if !errors.As(err, &ae) || !ae.alreadyPending() {
		return a, err
	}
	for _, st := range []string{ActionPending, ActionInProgress} {
		if a, jerr := c.joinPending(ctx, o, machineID, st); jerr != nil || a.ID != "" {
			return a, jerr
		}
	}
	return MachineAction{}, fmt.Errorf("%w: %w", ErrActionPending, err)
}

// joinPending looks at the machine's actions in status st.
func (c *Client) joinPending(ctx context.Context, o machineOp, machineID, st string) (MachineAction, error) {
	acts, err := c.Actions(ctx, machineID, st)
	if err != nil {
		return MachineAction{}, err
	}
	slices.SortStableFunc(acts, func(a, b MachineAction) int {
		return cmp.Or(b.CreationDateTimeUTC.Compare(a.CreationDateTimeUTC), strings.Compare(a.ID, b.ID))
	})
	for _, a := range acts {
		if a.Type == o.mdeType {
			a.Existing = true
			return a, nil
		}
	}
	for _, a := range acts {
		if o.opposite != "" && a.Type == o.opposite {
			return MachineAction{}, &PendingActionError{Op: o.op, Pending: a}
		}
	}
	return MachineAction{}, nil
}

// Actions lists the machine's actions in the given status (Pending, ...).
func (c *Client) Actions(ctx context.Context, machineID, status string) ([]MachineAction, error) {
	var l list[MachineAction]
	err := c.do(ctx, call{op: "list machine actions", permission: PermRead, method: http.MethodGet,
		path: "/api/machineactions" + odataFilter("machineId eq %s and status eq %s", machineID, status)}, &l)
	return l.Value, err
}

// Action gets one machine action.
func (c *Client) Action(ctx context.Context, id string) (MachineAction, error) {
	if !actionIDRe.MatchString(id) {
		return MachineAction{}, fmt.Errorf("MDE get action: bad action id %q", id)
	}
	var a MachineAction
	err := c.do(ctx, call{op: "get action", permission: PermRead, method: http.MethodGet,
		path: "/api/machineactions/" + id}, &a)
	return a, err
}

// WaitAction polls an action until it is Succeeded (nil error), Failed,
// TimeOut or Cancelled (*ActionFailedError), or ctx ends (the last state
// seen is returned with ctx's error). Polls back off from PollInterval to
// MaxPoll; a fresh action stays Pending until the device checks in.
func (c *Client) WaitAction(ctx context.Context, id string) (MachineAction, error) {
	wait := c.opt.PollInterval
	var last MachineAction
	for {
		a, err := c.Action(ctx, id)
		if err != nil {
			if ctx.Err() != nil && last.ID != "" {
				return last, fmt.Errorf("MDE action %s still %s: %w", id, last.Status, ctx.Err())
			}
			return last, err
		}
		if last = a; a.Terminal() {
			if a.Status != ActionSucceeded {
				return a, &ActionFailedError{Action: a}
			}
			return a, nil
		}
		if err := c.opt.Sleep(ctx, wait); err != nil {
			return a, fmt.Errorf("MDE action %s still %s: %w", id, a.Status, err)
		}
		wait = min(wait*2, c.opt.MaxPoll)
	}
}

// CancelAction cancels a pending action; it needs the permission of the
// action cancelled (Machine.Isolate for an isolation).
func (c *Client) CancelAction(ctx context.Context, id, comment string) (MachineAction, error) {
	if !actionIDRe.MatchString(id) {
		return MachineAction{}, fmt.Errorf("MDE cancel action: bad action id %q", id)
	}
	var a MachineAction
	err := c.do(ctx, call{op: "cancel action", permission: "the permission of the action cancelled", method: http.MethodPost,
		path: "/api/machineactions/" + id + "/cancel", body: map[string]string{"Comment": comment}}, &a)
	return a, err
}
