package lab

// This file generates the cloud side of a day: users' Entra ID sign-ins
// (with the typos, MFA prompts, travel and VPN hops that trip naive
// rules), administrators' and automation's Azure operations, and Traffic
// Analytics flow records for the Azure VMs.

import (
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

const (
	uaChrome  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
	uaEdge    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
	uaOutlook = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)"
	uaTeams   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/24277.3502.3161.3007"
	uaIOS     = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Outlook-iOS/2.0"
)

func (g *gen) cloudDay(day time.Time, r *rng) {
	d := value.DatetimeOf(day)
	for _, u := range g.fleet.users {
		g.userSignins(r, u, g.today[u.idx], day)
	}
	if isWorkday(day) {
		for _, u := range g.fleet.admins {
			if p := g.today[u.idx]; p.work && r.chance(0.55) {
				g.adminAzure(r, u, p)
			}
		}
	}
	g.automation(r, day)
	g.policyAndBackup(r, day)
	g.flowsDay(r, d)
}

// signinAt builds a sign-in of u from p's location.
func (g *gen) signinAt(r *rng, u *user, at value.Datetime, where place, a app, result string) *signin {
	s := &signin{upn: u.Upn, display: u.Display, userID: u.ObjectID, app: a, ip: where.IP, loc: where, result: result,
		client: "Mobile Apps and Desktop clients", proto: "none", os: "Windows10", browser: "Chrome 130.0.0", ua: uaOutlook}
	if where.IP != officeIP && where.IP != vpnIP {
		s.mfa = true
	}
	if u.ws != nil && !u.ws.linux {
		s.dev = u.ws
	}
	switch a.Name {
	case appTeams.Name:
		s.ua = uaTeams
	case appHome.Name, appPortal.Name:
		s.client, s.ua = "Browser", uaChrome
		if u.idx%5 == 1 {
			s.ua, s.browser = uaEdge, "Edge 130.0.0"
		}
	}
	return s
}

// userSignins is a user's interactive sign-ins for the day.
func (g *gen) userSignins(r *rng, u *user, p presence, day time.Time) {
	if t, ok := g.plan.officeSignin[pinKey{u, g.dayIndex(value.DatetimeOf(day))}]; ok {
		g.addSignin(r, t, g.signinAt(r, u, t, placeOffice, appPortal, "0"))
	}
	if !p.work {
		return
	}
	apps := []app{appWindows, appOffice, appTeams, appHome, appSPO}
	n := r.between(2, 5)
	for i := range n {
		at := add(p.arrive, time.Duration(i)*time.Duration(p.leave-p.arrive)*100/time.Duration(n)+r.dur(time.Minute, 20*time.Minute))
		a := apps[min(i, len(apps)-1)]
		if i > 0 {
			a = pick(r, apps[1:])
		}
		where := p.where
		if where.IP == vpnIP && r.chance(0.4) {
			where = u.home // split tunnel: some traffic leaves from home
		}
		switch x := r.float(); {
		case x < 0.03:
			g.addSignin(r, add(at, -40*time.Second), g.signinAt(r, u, add(at, -40*time.Second), where, a, "50126"))
		case x < 0.07:
			g.addSignin(r, add(at, -20*time.Second), g.signinAt(r, u, add(at, -20*time.Second), where, a, "50140"))
		case x < 0.09 && where.IP != officeIP:
			g.addSignin(r, add(at, -50*time.Second), g.signinAt(r, u, add(at, -50*time.Second), where, a, "50074"))
		}
		g.addSignin(r, at, g.signinAt(r, u, at, where, a, "0"))
	}
	if r.chance(0.3) {
		at := add(p.leave, r.dur(time.Hour, 4*time.Hour))
		s := g.signinAt(r, u, at, u.home, appOffice, "0")
		s.dev, s.ua, s.os, s.browser, s.mfa = nil, uaIOS, "Ios 17.6", "Mobile Safari", true
		g.addSignin(r, at, s)
	}
}

// Azure resources the lab's subscription holds.
func (g *gen) resourceID(rg, provider, typ, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s/%s", g.fleet.subID, rg, provider, typ, name)
}

// adminAzure is an administrator's portal session and the changes made in
// it.
func (g *gen) adminAzure(r *rng, u *user, p presence) {
	at := add(p.arrive, r.dur(30*time.Minute, 6*time.Hour))
	where := p.where
	adm := &user{account: *u.admin, Display: u.Display + " (admin)", ws: u.ws, home: u.home}
	g.addSignin(r, at, g.signinAt(r, adm, at, where, appPortal, "0"))
	vms := []string{}
	for _, h := range g.fleet.hosts {
		if h.vm != nil {
			vms = append(vms, h.vm.Name)
		}
	}
	ops := []azOp{
		{op: "Microsoft.Compute/virtualMachines/write", opName: "Create or Update Virtual Machine", method: "PUT",
			resourceID: g.resourceID("rg-prod-eastus", "Microsoft.Compute", "virtualMachines", pick(r, vms))},
		{op: "Microsoft.Compute/virtualMachines/restart/action", opName: "Restart Virtual Machine", method: "POST",
			resourceID: g.resourceID("rg-prod-eastus", "Microsoft.Compute", "virtualMachines", pick(r, vms))},
		{op: "Microsoft.Network/networkSecurityGroups/securityRules/write", opName: "Create or Update Security Rule", method: "PUT",
			resourceID: g.resourceID("rg-prod-eastus", "Microsoft.Network", "networkSecurityGroups", "nsg-web") + "/securityRules/allow-https-inbound"},
		{op: "Microsoft.Storage/storageAccounts/listKeys/action", opName: "List Storage Account Keys", method: "POST",
			resourceID: g.resourceID("rg-shared-eastus", "Microsoft.Storage", "storageAccounts", "harborlinebackup")},
		{op: "Microsoft.Resources/deployments/write", opName: "Create Deployment", method: "PUT",
			resourceID: g.resourceID("rg-prod-eastus", "Microsoft.Resources", "deployments", fmt.Sprintf("tms-api-%s", r.hex(6)))},
		{op: "Microsoft.KeyVault/vaults/secrets/write", opName: "Write Secret", method: "PUT",
			resourceID: g.resourceID("rg-shared-eastus", "Microsoft.KeyVault", "vaults", "kv-harborline-prod") + "/secrets/tms-db"},
	}
	t := at
	for range r.between(1, 5) {
		t = add(t, r.dur(2*time.Minute, 40*time.Minute))
		o := pick(r, ops)
		o.caller, o.callerIP, o.callerName, o.objID = adm.Upn, where.IP, adm.Display, adm.ObjectID
		o.rg = rgOf(o.resourceID)
		g.addOperation(r, t, o)
	}
	if r.chance(0.12) {
		// A routine grant: Reader for a colleague, by an administrator.
		colleague := pick(r, g.fleet.users)
		o := g.roleAssignment(r, "acdd72a7-3385-48ef-bd42-f606fba81ae7", colleague.ObjectID)
		o.caller, o.callerIP, o.callerName, o.objID = adm.Upn, where.IP, adm.Display, adm.ObjectID
		g.addOperation(r, add(t, r.dur(time.Minute, 20*time.Minute)), o)
	}
}

// roleAssignment describes granting a built-in role at subscription scope.
func (g *gen) roleAssignment(r *rng, roleID, principal string) azOp {
	scope := "/subscriptions/" + g.fleet.subID
	id := r.guid()
	body := bag("Id", id, "Properties", bag("PrincipalId", principal, "PrincipalType", "User",
		"RoleDefinitionId", scope+"/providers/Microsoft.Authorization/roleDefinitions/"+roleID, "Scope", scope))
	return azOp{op: "Microsoft.Authorization/roleAssignments/write", opName: "Create role assignment", method: "PUT",
		resourceID: scope + "/providers/Microsoft.Authorization/roleAssignments/" + id, body: body}
}

func rgOf(resourceID string) string {
	const k = "/resourceGroups/"
	for i := 0; i+len(k) <= len(resourceID); i++ {
		if resourceID[i:i+len(k)] == k {
			rest := resourceID[i+len(k):]
			for j := range len(rest) {
				if rest[j] == '/' {
					return rest[:j]
				}
			}
			return rest
		}
	}
	return ""
}

// automation is the nightly snapshot job run by a service principal.
func (g *gen) automation(r *rng, day time.Time) {
	f := g.fleet
	at := clock(day, 2, r.between(0, 10))
	for _, h := range f.hosts {
		if h.vm == nil {
			continue
		}
		at = add(at, r.dur(20*time.Second, 2*time.Minute))
		g.addOperation(r, at, azOp{caller: f.automationObj, callerIP: "20.42.5.11", objID: f.automationObj, appID: f.automationApp,
			op: "Microsoft.Compute/snapshots/write", opName: "Create or Update Snapshot", method: "PUT", rg: "rg-backup-eastus",
			resourceID: g.resourceID("rg-backup-eastus", "Microsoft.Compute", "snapshots", fmt.Sprintf("%s-osdisk-%s", h.Name, day.Format("20060102")))})
	}
}

// policyAndBackup is Azure Policy's periodic compliance evaluation of the
// subscription's resources and Azure Backup's nightly VM jobs.
func (g *gen) policyAndBackup(r *rng, day time.Time) {
	f := g.fleet
	var resources []string
	for _, h := range f.hosts {
		if h.vm != nil {
			resources = append(resources, g.resourceID("rg-prod-eastus", "Microsoft.Compute", "virtualMachines", h.vm.Name))
		}
	}
	resources = append(resources,
		g.resourceID("rg-shared-eastus", "Microsoft.Storage", "storageAccounts", "harborlinebackup"),
		g.resourceID("rg-shared-eastus", "Microsoft.KeyVault", "vaults", "kv-harborline-prod"),
		g.resourceID("rg-prod-eastus", "Microsoft.Network", "networkSecurityGroups", "nsg-web"))
	for _, hr := range []int{1, 7, 13, 19} {
		at := clock(day, hr, r.between(0, 30))
		for _, res := range resources {
			at = add(at, r.dur(time.Second, 40*time.Second))
			g.addOperation(r, at, azOp{caller: f.policySP, callerIP: "", objID: f.policySP, appID: f.policySP, category: "Policy",
				op: "Microsoft.Authorization/policies/audit/action", opName: "'audit' Policy action.", rg: rgOf(res), resourceID: res})
		}
	}
	at := clock(day, 3, r.between(0, 15))
	for _, h := range f.hosts {
		if h.vm == nil {
			continue
		}
		at = add(at, r.dur(time.Minute, 5*time.Minute))
		vault := g.resourceID("rg-backup-eastus", "Microsoft.RecoveryServices", "vaults", "rsv-harborline")
		g.addOperation(r, at, azOp{caller: f.backupSP, callerIP: "20.42.5.12", objID: f.backupSP, appID: f.backupSP, method: "POST",
			op: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/backup/action", opName: "Backup Protected Item",
			rg: "rg-backup-eastus", resourceID: vault + "/backupFabrics/Azure/protectionContainers/iaasvmcontainerv2;rg-prod-eastus;" + h.Name + "/protectedItems/vm;iaasvmcontainerv2;rg-prod-eastus;" + h.Name})
	}
}

// flowsDay emits an hour-by-hour picture of the Azure VMs' traffic.
func (g *gen) flowsDay(r *rng, d value.Datetime) {
	f := g.fleet
	web, app, sql := f.first(kindWeb), f.first(kindApp), f.first(kindSQL)
	for hr := range 24 {
		iv := add(d, time.Duration(hr)*time.Hour)
		busy := hr >= 13 && hr < 24
		most := 3
		if busy {
			most = 7
		}
		for range r.between(2, most) {
			n := r.between(1, 40)
			g.addFlow(r, &flow{typ: "ExternalPublic", dst: web, publicIP: pick(r, webClients), inbound: true, port: 443, l4: "T", l7: "https",
				allowed: true, rule: "userrule_allow-https-inbound", ruleType: "User Defined", country: "US", flows: n,
				inPk: int64(n * r.between(8, 40)), outPk: int64(n * r.between(10, 60)), inB: int64(n * r.between(1500, 9000)), outB: int64(n * r.between(20000, 400000)), ivStart: iv})
		}
		back := web
		if app != nil {
			g.intraFlow(r, web, app, 8443, "https", iv)
			back = app
		}
		g.intraFlow(r, back, sql, 1433, "mssql", iv)
		for _, h := range []*host{web, app, sql} {
			if h == nil {
				continue
			}
			g.addFlow(r, &flow{typ: "AzurePublic", src: h, publicIP: azureMonitor.IP, port: 443, l4: "T", l7: "https", allowed: true,
				rule: "defaultsecurityrules_allowinternetoutbound", ruleType: "Default", azureRegion: "eastus", flows: r.between(2, 12),
				inPk: int64(r.between(20, 200)), outPk: int64(r.between(20, 200)), inB: int64(r.between(5000, 60000)), outB: int64(r.between(8000, 90000)), ivStart: iv})
		}
		if hr == 1 {
			b := int64(r.between(3_800_000_000, 4_300_000_000))
			g.addFlow(r, &flow{typ: "AzurePublic", src: sql, publicIP: azureStorage.IP, port: 443, l4: "T", l7: "https", allowed: true,
				rule: "defaultsecurityrules_allowinternetoutbound", ruleType: "Default", azureRegion: "eastus", flows: r.between(4, 16),
				inPk: b / 9000, outPk: b / 1400, inB: b / 60, outB: b, ivStart: iv})
		}
		if hr == 6 {
			for _, h := range []*host{web, app} {
				if h == nil {
					continue
				}
				ds := linuxDests[0]
				g.addFlow(r, &flow{typ: "ExternalPublic", src: h, publicIP: ds.IP, port: 80, l4: "T", l7: "http", allowed: true,
					rule: "defaultsecurityrules_allowinternetoutbound", ruleType: "Default", country: "GB", flows: r.between(1, 4),
					inPk: int64(r.between(200, 3000)), outPk: int64(r.between(100, 900)), inB: int64(r.between(2e5, 4e7)), outB: int64(r.between(2e4, 2e5)), ivStart: iv})
			}
		}
	}
}

// intraFlow records VNet-internal traffic between two VMs.
func (g *gen) intraFlow(r *rng, src, dst *host, port int, l7 string, iv value.Datetime) {
	n := r.between(3, 60)
	g.addFlow(r, &flow{typ: "IntraVNet", src: src, dst: dst, srcIP: src.IP, dstIP: dst.IP, port: port, l4: "T", l7: l7, allowed: true,
		rule: "defaultsecurityrules_allowvnetinbound", ruleType: "Default", flows: n,
		inPk: int64(n * r.between(10, 80)), outPk: int64(n * r.between(10, 80)), inB: int64(n * r.between(2000, 90000)), outB: int64(n * r.between(2000, 50000)), ivStart: iv})
}
