package lab

// This file adds the steady low-level chatter of Windows that makes up
// most of a real workspace: service logons, COM and WMI hosts, search and
// background-task processes, prefetch, temp and log files, routine
// registry writes, firewall drops, antivirus scans, named pipes and group
// policy LDAP lookups.

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// every calls fn at random instants in [from, to) with the given mean gap.
func (c *hctx) every(from, to value.Datetime, mean time.Duration, fn func(t value.Datetime)) {
	for t := add(from, c.r.exp(mean)); t < to; t = add(t, c.r.exp(mean)) {
		fn(t)
	}
}

// systemNoise is what every Windows device does by itself all day.
func (c *hctx) systemNoise() {
	s := &c.h.sys
	from, to := c.d, c.dayEnd()
	builtin := []struct {
		a  *account
		id int64
	}{{acctSystem, logonSystem}, {acctLocalService, logonLocalService}, {acctNetworkService, logonNetworkService}}
	for range c.r.between(2, 6) {
		b := pick(c.r, builtin)
		t := c.randomTime(0, 24)
		c.logon(t, logonEv{action: "LogonSuccess", ltype: "Service", proto: "Negotiate", acct: b.a, init: s.services, id: b.id})
		c.spawn(s.services, img("svchost.exe"), `C:\Windows\system32\svchost.exe `+pick(c.r, triggerServices), add(t, 50*time.Millisecond), b.a)
	}
	c.every(from, to, 2*time.Hour, func(t value.Datetime) {
		c.spawn(s.dcom, img("WmiPrvSE.exe"), `C:\Windows\system32\wbem\wmiprvse.exe -Embedding`, t, acctNetworkService)
	})
	c.every(from, to, 2*time.Hour, func(t value.Datetime) {
		c.spawn(s.schedule, img("taskhostw.exe"), "taskhostw.exe SYSTEM", t, acctSystem)
	})
	c.every(from, to, time.Hour, func(t value.Datetime) {
		c.fileEvent(s.ccm, t, "FileModified", c.logFile(pick(c.r, ccmLogs)), nil)
	})
	c.every(from, to, 3*time.Hour, func(t value.Datetime) {
		k := pick(c.r, ccmKeys)
		c.regSet(s.ccm, add(t, time.Second), k[0], "String", k[1], t.String())
	})
	c.every(from, to, 2*time.Hour, func(t value.Datetime) {
		c.fileEvent(s.netsvc, t, "FileModified", c.logFile(`C:\Windows\System32\sru\SRUDB.dat`), nil)
		c.regSet(s.netsvc, t, `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\W32Time\Config`, "Qword", "LastKnownGoodTime", fmt.Sprint(int64(t)))
	})
	c.every(from, to, 3*time.Hour, func(t value.Datetime) {
		c.regSet(s.wuauserv, t, `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\WindowsUpdate\UpdatePolicy\Settings`, "Dword", "PausedFeatureStatus", "0")
		c.fileEvent(s.defender, add(t, time.Minute), "FileModified", c.logFile(`C:\ProgramData\Microsoft\Windows Defender\Scans\mpenginedb.db`), nil)
	})
	if s.sql != nil {
		c.every(from, to, time.Hour, func(t value.Datetime) {
			c.fileEvent(s.sql, t, "FileModified", c.logFile(`C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Log\ERRORLOG`), nil)
		})
	}
	scan := c.randomTime(1, 4)
	c.misc(s.defender, scan, "AntivirusScanCompleted", bag("ScanTypeIndex", "Quick", "DurationInSeconds", c.r.between(90, 900)))
	c.every(from, to, 95*time.Minute, func(t value.Datetime) {
		c.misc(s.netsvc, t, "LdapSearch", bag("AttributeList", `["gPLink","gPOptions"]`, "ScopeOfSearch", "Base",
			"SearchFilter", "(objectCategory=*)", "DistinguishedName", c.ouOf()))
	})
	if c.h.Role == "workstation" {
		c.firewallDrops(from, to)
	}
}

// triggerServices are services Windows starts on demand.
var triggerServices = []string{"-k LocalService -p -s fdPHost", "-k wsappx -p -s AppXSvc", "-k netsvcs -p -s BITS",
	"-k LocalServiceNetworkRestricted -p -s lmhosts", "-k netsvcs -p -s gpsvc", "-k LocalSystemNetworkRestricted -p -s PcaSvc",
	"-k netsvcs -p -s wlidsvc", "-k LocalServiceNoNetwork -p -s DPS"}

var ccmLogs = []string{`C:\Windows\CCM\Logs\PolicyAgent.log`, `C:\Windows\CCM\Logs\CcmExec.log`,
	`C:\Windows\CCM\Logs\DataTransferService.log`, `C:\Windows\CCM\Logs\StatusAgent.log`, `C:\Windows\CCM\Logs\UpdatesDeployment.log`}

var ccmKeys = [][2]string{
	{`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\CCM\StateSystem`, "LastPolicyRequest"},
	{`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\CCM\CcmEval`, "LastEvalTime"},
	{`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SMS\Mobile Client\Software Distribution\State`, "LastRunTime"},
}

// logFile is a file rewritten in place; its hash changes with the day.
func (c *hctx) logFile(path string) *file {
	return newFile(path, fmt.Sprintf("log|%s|%s|%d", c.h.Name, path, c.dayIdx), int64(c.r.between(1<<16, 1<<24)))
}

// ouOf is the directory container of the device's computer account.
func (c *hctx) ouOf() string {
	ou := "OU=Servers"
	switch c.h.Role {
	case "workstation":
		ou = "OU=Workstations"
	case "domain-controller":
		ou = "OU=Domain Controllers"
	}
	return "CN=" + strings.ToUpper(c.h.Name) + "," + ou + ",DC=corp,DC=harborline,DC=example"
}

// firewallDrops are inbound packets the workstation firewall discards:
// neighbours' discovery broadcasts.
func (c *hctx) firewallDrops(from, to value.Datetime) {
	peers := c.g.fleet.workstations()
	c.every(from, to, 2*time.Hour, func(t value.Datetime) {
		p := pick(c.r, peers)
		port := pick(c.r, []int{137, 138, 5353, 1900, 5355})
		c.emit(tEvents, t, &event{action: "FirewallInboundConnectionBlocked", extra: bag("Direction", "Inbound"),
			net: &netInfo{RemoteIP: p.IP, RemotePort: port, LocalIP: c.h.IP, LocalPort: port, Protocol: "Udp"}})
	})
}

// desktopNoise is what a user's session spawns while they work.
func (c *hctx) desktopNoise(d *desktop, from, to value.Datetime) {
	s := &c.h.sys
	c.every(from, to, 7*time.Minute, func(t value.Datetime) {
		c.spawn(d.browserNet.Parent, d.browser, fmt.Sprintf(`"%s" --type=renderer --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id=%d /prefetch:1`,
			d.browser.Path, 10+c.r.intn(400)), t, d.acct)
	})
	c.every(from, to, 20*time.Minute, func(t value.Datetime) {
		c.spawn(s.dcom, img("backgroundTaskHost.exe"), `"C:\Windows\system32\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider`, t, d.acct)
	})
	c.every(from, to, 35*time.Minute, func(t value.Datetime) {
		c.spawn(s.dcom, img("RuntimeBroker.exe"), `C:\Windows\System32\RuntimeBroker.exe -Embedding`, t, d.acct)
	})
	c.every(from, to, 30*time.Minute, func(t value.Datetime) {
		c.spawn(s.dcom, img("dllhost.exe"), `C:\Windows\system32\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}`, t, d.acct)
	})
	c.every(from, to, 15*time.Minute, func(t value.Datetime) {
		c.spawn(s.search, img("SearchProtocolHost.exe"), `"C:\Windows\system32\SearchProtocolHost.exe" Global\UsGthrFltPipeMssGthrPipe5_ Global\UsGthrCtrlFltPipeMssGthrPipe5 1 -2147483646 "Software\Microsoft\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\ProgramData\Microsoft\Search\Data\Temp\usgthrsvc" "DownLevelDaemon" `, t, acctSystem)
	})
	apps := []*proc{d.outlook, d.teams, d.browserNet.Parent, d.onedrive}
	c.every(from, to, 12*time.Minute, func(t value.Datetime) {
		p := pick(c.r, apps)
		tmp := newFile(fmt.Sprintf(`%s\AppData\Local\Temp\%s.tmp`, userProfile(d.acct), upperHex(c.r, 8)), "tmp|"+c.r.hex(8), int64(c.r.between(512, 1<<20)))
		c.fileEvent(p, t, "FileCreated", tmp, nil)
		if c.r.chance(0.6) {
			c.fileEvent(p, add(t, c.r.dur(5*time.Second, 10*time.Minute)), "FileDeleted", tmp, nil)
		}
	})
	c.every(from, to, 10*time.Minute, func(t value.Datetime) {
		p := pick(c.r, apps)
		c.fileEvent(s.sysmain, t, "FileModified", prefetchFile(c.h, p.Img), nil)
	})
	switched := hkcu(d.acct, `SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\FeatureUsage\AppSwitched`)
	counts := map[*proc]int{}
	c.every(from, to, 4*time.Minute, func(t value.Datetime) {
		p := pick(c.r, apps)
		counts[p]++
		c.regSet(d.explorer, t, switched, "Dword", p.Img.Path, fmt.Sprint(counts[p]))
	})
}

// prefetchFile is the prefetch trace Windows keeps for an executable.
func prefetchFile(h *host, f *file) *file {
	d := digestOf(f.Path)
	path := fmt.Sprintf(`C:\Windows\Prefetch\%s-%s.pf`, strings.ToUpper(f.Name), strings.ToUpper(d.MD5[:8]))
	return newFile(path, "pf|"+h.Name+"|"+f.Path, 16384+int64(len(f.Path))*512)
}

// appLaunched records what Windows notes when a user starts a program:
// the Background Activity Moderator and UserAssist entries, and the
// program's first named pipe.
func (c *hctx) appLaunched(d *desktop, p *proc, at value.Datetime) {
	c.bamWrite(d, p, add(at, time.Second))
	c.regSet(d.explorer, add(at, 2*time.Second), hkcu(d.acct, `SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\UserAssist\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\Count`),
		"Binary", rot13(p.Img.Path), "")
	c.misc(p, add(at, 3*time.Second), "NamedPipeEvent", bag("PipeName", fmt.Sprintf(`\Device\NamedPipe\mojo.%d.%d.%d`, p.PID, c.r.between(1000, 9999), c.r.r.Uint32()),
		"FileOperation", "File created", "NamedPipeEnd", "Server"))
}

// rot13 is how UserAssist spells program paths.
func rot13(s string) string {
	b := []byte(s)
	for i, ch := range b {
		switch {
		case ch >= 'a' && ch <= 'z':
			b[i] = 'a' + (ch-'a'+13)%26
		case ch >= 'A' && ch <= 'Z':
			b[i] = 'A' + (ch-'A'+13)%26
		}
	}
	return string(b)
}
