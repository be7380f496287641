package hunt

// This file reads entities out of evidence rows and describes rows in a
// line each for timelines.

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func sortStrings(xs []string) { sort.Strings(xs) }

func decodeJSON(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	return v
}

// builtinAccount reports whether an account is a Windows service identity
// or a Unix system user rather than a person or a domain account.
func builtinAccount(a string) bool {
	a = strings.ToLower(a)
	for _, s := range []string{`nt authority\`, `font driver host\`, `window manager\`, `nt service\`} {
		if strings.HasPrefix(a, s) {
			return true
		}
	}
	switch userPart(a) {
	case "system", "local service", "network service", "root", "-", "":
		return true
	}
	return false
}

// publicIndicator reports whether an IOC is an internet address worth
// blocking (documentation ranges count: test data uses them).
func publicIndicator(x ioc.IOC) bool {
	if x.Type != ioc.IPv4 && x.Type != ioc.IPv6 {
		return false
	}
	for _, t := range []ioc.Tag{ioc.TagPrivate, ioc.TagLoopback, ioc.TagLinkLocal, ioc.TagMulticast, ioc.TagUnspecified, ioc.TagReserved} {
		if x.HasTag(t) {
			return false
		}
	}
	return true
}

// publicIP reports whether s is a routable address outside private,
// loopback and link-local ranges.
func publicIP(s string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return false
	}
	return !(a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified())
}

// entityCap is the most entities of one type a finding lists.
const entityCap = 5

// entitiesOf lists the entities of the draft's evidence rows: the subject
// device and account first.
func entitiesOf(d *draft) []finding.Entity {
	var b entityBuilder
	if d.device != "" {
		b.add(finding.EntityDevice, finding.RoleTarget, d.device, nil)
	}
	if d.account != "" && !builtinAccount(d.account) {
		b.add(finding.EntityAccount, finding.RoleActor, d.account, nil)
	}
	b.skipFailed = d.device != "" || d.account != ""
	for _, p := range d.parts {
		for _, i := range sampleRows(p.idx, 40) {
			b.fromRow(p.rows, i)
		}
	}
	return b.list
}

type entityBuilder struct {
	list  []finding.Entity
	count map[finding.EntityType]int
	seen  map[string]bool
	// skipFailed leaves out the accounts of failed logons (the names a
	// guesser tried) when the finding has a subject of its own.
	skipFailed bool
}

func (b *entityBuilder) add(t finding.EntityType, role finding.Role, v string, props map[string]string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	k := string(t) + "\x00" + strings.ToLower(v)
	if b.seen == nil {
		b.seen, b.count = map[string]bool{}, map[finding.EntityType]int{}
	}
	if b.seen[k] || b.count[t] >= entityCap {
		return
	}
	b.seen[k] = true
	b.count[t]++
	b.list = append(b.list, finding.Entity{Type: t, Role: role, Value: v, Props: props})
}

// fromRow adds the entities of the well-known columns of row i.
func (b *entityBuilder) fromRow(r *huntRows, i int) {
	if d := r.device(i); d != "" {
		var props map[string]string
		if id := r.str(i, "DeviceId"); id != "" {
			props = map[string]string{"device_id": id}
		}
		b.add(finding.EntityDevice, finding.RoleTarget, d, props)
	}
	if a := r.account(i); a != "" && !builtinAccount(a) {
		switch {
		case !failedLogon(r, i):
			b.add(finding.EntityAccount, finding.RoleActor, a, nil)
		case !b.skipFailed:
			b.add(finding.EntityAccount, finding.RoleTarget, a, nil)
		}
	}
	b.addresses(r, i)
	if u := r.str(i, "RemoteUrl"); u != "" && !strings.Contains(u, "/") {
		b.add(finding.EntityDomain, finding.RoleTarget, strings.ToLower(u), nil)
	}
	if u := r.str(i, "FileOriginUrl"); u != "" {
		b.add(finding.EntityURL, finding.RoleSource, u, nil)
	}
	b.files(r, i)
	if k := r.str(i, "RegistryKey"); k != "" {
		b.add(finding.EntityRegistryKey, finding.RoleTarget, k, map[string]string{
			"value_name": r.str(i, "RegistryValueName"), "value_data": r.str(i, "RegistryValueData")})
	}
}

// addresses adds remote addresses: sources of logons and inbound traffic,
// targets of outbound connections.
func (b *entityBuilder) addresses(r *huntRows, i int) {
	role := finding.RoleTarget
	if strings.Contains(r.table(i), "Logon") || strings.HasPrefix(r.str(i, "ActionType"), "Inbound") {
		role = finding.RoleSource
	}
	if ip := r.str(i, "RemoteIP"); ip != "" {
		b.add(finding.EntityIP, role, ip, nil)
	}
	for _, c := range []string{"IPAddress", "CallerIpAddress", "SrcIP_s", "SrcPublicIPs_s"} {
		if ip := r.str(i, c); ip != "" && !strings.Contains(ip, "|") {
			b.add(finding.EntityIP, finding.RoleSource, ip, nil)
		}
	}
	if ip := r.str(i, "DestIP_s"); ip != "" {
		b.add(finding.EntityIP, finding.RoleTarget, ip, nil)
	}
}

// files adds the process (command line), file and hash of row i.
func (b *entityBuilder) files(r *huntRows, i int) {
	if cmd := r.str(i, "ProcessCommandLine"); cmd != "" {
		b.add(finding.EntityProcess, finding.RoleChild, truncate(cmd, 400), map[string]string{"image": r.str(i, "FileName")})
	}
	if p := r.str(i, "FolderPath"); p != "" && strings.Contains(r.table(i), "File") {
		props := map[string]string{}
		if h := r.str(i, "SHA256"); h != "" {
			props["sha256"] = h
		}
		b.add(finding.EntityFile, finding.RoleTarget, p, props)
	}
	if h := r.str(i, "SHA256"); len(h) == 64 {
		b.add(finding.EntityFileHash, finding.RoleRelated, strings.ToLower(h), map[string]string{"algorithm": "sha256"})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// describeRow summarises row i in a line.
func describeRow(r *huntRows, i int, table string) string {
	s := func(c string) string { return r.str(i, c) }
	switch table {
	case "DeviceProcessEvents":
		return fmt.Sprintf("%s started %s: %s", orDash(s("InitiatingProcessFileName")), s("FileName"), truncate(s("ProcessCommandLine"), 200))
	case "DeviceNetworkEvents":
		return strings.TrimSpace(fmt.Sprintf("%s %s %s:%s %s", orDash(s("InitiatingProcessFileName")), s("ActionType"), s("RemoteIP"), s("RemotePort"), s("RemoteUrl")))
	case "DeviceFileEvents":
		msg := fmt.Sprintf("%s %s %s", orDash(s("InitiatingProcessFileName")), s("ActionType"), s("FolderPath"))
		if p := s("PreviousFileName"); p != "" {
			msg += " (was " + p + ")"
		}
		return msg
	case "DeviceRegistryEvents":
		return fmt.Sprintf("%s %s %s\\%s = %s", orDash(s("InitiatingProcessFileName")), s("ActionType"), s("RegistryKey"), s("RegistryValueName"), truncate(s("RegistryValueData"), 160))
	case "DeviceLogonEvents":
		return strings.TrimSpace(fmt.Sprintf("%s %s logon of %s from %s %s", s("ActionType"), s("LogonType"), r.account(i), s("RemoteIP"), s("RemoteDeviceName")))
	case "DeviceEvents":
		return strings.TrimSpace(fmt.Sprintf("%s by %s %s %s", s("ActionType"), orDash(s("InitiatingProcessFileName")), s("FileName"), truncate(s("AdditionalFields"), 160)))
	case "SigninLogs":
		return fmt.Sprintf("sign-in of %s to %s from %s (%s) result %s", s("UserPrincipalName"), s("AppDisplayName"), s("IPAddress"), s("Location"), s("ResultType"))
	case "AzureActivity":
		return fmt.Sprintf("%s %s by %s from %s", s("OperationNameValue"), s("ActivityStatusValue"), s("Caller"), s("CallerIpAddress"))
	case "AzureNetworkAnalytics_CL":
		return fmt.Sprintf("%s flow %s → %s:%s (%s bytes out)", s("FlowType_s"), orDash(s("SrcIP_s")+s("SrcPublicIPs_s")), orDash(s("DestIP_s")+s("DestPublicIPs_s")), s("DestPort_d"), s("OutboundBytes_d"))
	}
	var parts []string
	for _, c := range r.b.Schema.Columns {
		if v := s(c.Name); v != "" && len(parts) < 6 && c.Name != "Timestamp" && c.Name != "TimeGenerated" {
			parts = append(parts, c.Name+"="+truncate(v, 60))
		}
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
