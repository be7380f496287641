package lab

// This file generates what every Windows device does on its own, day and
// night: the sensor and Windows talking to Microsoft, Kerberos and group
// policy traffic to the domain controllers, scheduled updaters, Defender
// signature updates, Intune and Configuration Manager scripts, and the
// monthly patch.

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// hostDay generates one device's benign day.
func (c *hctx) hostDay() {
	switch c.h.kind { // backup and extra application servers only run background work
	case kindWorkstation:
		c.workstationDay()
	case kindDevBox:
		c.devboxDay()
	case kindDC:
		c.dcDay()
	case kindFile:
		c.fileServerDay()
	case kindSQL:
		c.sqlDay()
	case kindJump:
		c.jumpDay()
	case kindWeb:
		c.webDay()
	case kindSCCM:
		c.sccmDay()
	case kindScanner:
		c.scannerDay()
	case kindApp:
		c.appDay()
	}
	if c.h.linux {
		c.linuxBackground()
	} else {
		c.windowsBackground()
	}
}

// loggedOn lists the users with a session on the device at t.
func (c *hctx) loggedOn(t value.Datetime) []*account {
	var out []*account
	for _, s := range c.h.sessions {
		if s.from <= t && t < s.to {
			out = append(out, s.acct)
		}
	}
	return out
}

// peer returns a context for generating the other end of an exchange on h.
func (c *hctx) peer(h *host) *hctx {
	return &hctx{g: c.g, h: h, r: c.r, day: c.day, d: c.d, dayIdx: c.dayIdx}
}

// dcFor returns the domain controller a device talks to.
func (c *hctx) dcFor() *host {
	dcs := c.g.fleet.dcs()
	return dcs[c.h.idx%len(dcs)]
}

func (c *hctx) dayEnd() value.Datetime { return add(c.d, 24*time.Hour) }

func (c *hctx) windowsBackground() {
	s := &c.h.sys
	from, to := c.d, c.dayEnd()
	c.systemNoise()
	c.stream(s.sense, from, to, 20*time.Minute, senseDests, false)
	c.stream(s.netsvc, from, to, 60*time.Minute, windowsDests, false)
	c.stream(s.defender, from, to, 55*time.Minute, defenderDests, false)
	c.domainChatter(from, to)
	c.scheduledTasks()
	c.defenderUpdates()
	c.ccmCycle()
	if c.h.kind == kindWorkstation {
		c.intuneScript()
		c.dhcpRenewals()
	}
	c.serviceAccountTasks()
	if c.dayIdx == c.g.fleet.patchDay {
		c.windowsUpdate()
	}
}

// domainChatter is Kerberos, group policy and DNS traffic to a domain
// controller, with what the controller records of it.
func (c *hctx) domainChatter(from, to value.Datetime) {
	dc := c.dcFor()
	if dc == c.h {
		return
	}
	s := &c.h.sys
	p := c.peer(dc)
	for t := add(from, c.r.exp(time.Hour)); t < to; t = add(t, c.r.exp(time.Hour)) {
		c.connect(s.lsass, t, "ConnectionSuccess", dc.IP, 88, "")
		p.accept(dc.sys.lsass, add(t, 2*time.Millisecond), c.h.IP, c.ephemeral(), 88)
		acct := c.h.machine
		if users := c.loggedOn(t); len(users) > 0 && c.r.chance(0.5) {
			acct = users[0]
		}
		p.logon(add(t, 5*time.Millisecond), logonEv{action: "LogonSuccess", ltype: "Network", proto: "Kerberos",
			acct: acct, remoteIP: c.h.IP, remoteDev: c.h.Name, remotePort: c.ephemeral()})
	}
	for t := add(from, c.r.dur(0, 90*time.Minute)); t < to; t = add(t, c.r.dur(75*time.Minute, 105*time.Minute)) {
		c.connect(s.netsvc, t, "ConnectionSuccess", dc.IP, 389, "")
		c.connect(s.system, add(t, 300*time.Millisecond), "ConnectionSuccess", dc.IP, 445, "")
		p.accept(dc.sys.system, add(t, 301*time.Millisecond), c.h.IP, c.ephemeral(), 445)
	}
	for t := add(from, c.r.exp(time.Hour)); t < to; t = add(t, c.r.exp(time.Hour)) {
		c.connect(s.dnscache, t, "ConnectionSuccess", dc.IP, 53, "")
	}
}

// task starts a scheduled task's program as SYSTEM.
func (c *hctx) task(at value.Datetime, name, cmd string) *proc {
	return c.spawn(c.h.sys.schedule, img(name), cmd, at, acctSystem)
}

// randomTime returns an instant within the day's hours [fromH, toH).
func (c *hctx) randomTime(fromH, toH int) value.Datetime {
	return add(c.d, c.r.dur(time.Duration(fromH)*time.Hour, time.Duration(toH)*time.Hour))
}

func (c *hctx) scheduledTasks() {
	if c.h.kind == kindWorkstation {
		for _, u := range []struct{ name, path string }{
			{"GoogleUpdate.exe", `"C:\Program Files (x86)\Google\Update\GoogleUpdate.exe" /ua /installsource scheduler`},
			{"MicrosoftEdgeUpdate.exe", `"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe" /ua /installsource scheduler`},
		} {
			for range c.r.between(1, 2) {
				t := c.randomTime(0, 24)
				p := c.task(t, u.name, u.path)
				if c.r.chance(0.1) {
					c.misc(p, add(t, 20*time.Second), "ScheduledTaskUpdated", bag("TaskName", `\`+strings.TrimSuffix(u.name, ".exe")+"TaskMachineUA{"+c.g.fleet.updaterTask+"}",
						"TaskContent", `<?xml version="1.0" encoding="UTF-16"?><Task version="1.3"><Triggers><TimeTrigger><Repetition><Interval>PT1H</Interval></Repetition></TimeTrigger></Triggers><Actions Context="Author"><Exec><Command>`+img(u.name).Path+`</Command><Arguments>/ua /installsource scheduler</Arguments></Exec></Actions></Task>`))
				}
				for i, d := range updaterDests[u.name] {
					c.connect(p, add(t, time.Duration(2+i)*time.Second), "ConnectionSuccess", d.IP, d.Port, d.URL)
				}
			}
		}
		c2r := c.peer(c.h)
		t := c.randomTime(0, 24)
		p := c2r.spawn(c.h.sys.services, img("OfficeClickToRun.exe"), `"C:\Program Files\Common Files\Microsoft Shared\ClickToRun\OfficeClickToRun.exe" /service`, t, acctSystem)
		for i, d := range updaterDests["OfficeClickToRun.exe"] {
			c.connect(p, add(t, time.Duration(30+i)*time.Second), "ConnectionSuccess", d.IP, d.Port, d.URL)
		}
	}
	c.task(c.randomTime(1, 5), "MpCmdRun.exe", `"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MpCmdRun.exe" -IdleTask -TaskName WdCacheMaintenance`)
	c.task(c.randomTime(0, 24), "CompatTelRunner.exe", `C:\Windows\system32\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun`)
	t := c.randomTime(0, 24)
	c.task(t, "usoclient.exe", `C:\Windows\system32\usoclient.exe StartScan`)
	w := c.spawn(c.h.sys.dcom, img("MoUsoCoreWorker.exe"), `C:\Windows\System32\mousocoreworker.exe -Embedding`, add(t, 2*time.Second), acctSystem)
	for i, d := range updaterDests["MoUsoCoreWorker.exe"] {
		c.connect(w, add(t, time.Duration(5+i)*time.Second), "ConnectionSuccess", d.IP, d.Port, d.URL)
	}
}

// defenderUpdates reports signature updates landing.
func (c *hctx) defenderUpdates() {
	for i := range c.r.between(1, 3) {
		t := c.randomTime(i*8, i*8+8)
		dir := `C:\ProgramData\Microsoft\Windows Defender\Definition Updates\{` + upperGUID(c.r) + `}\`
		ver := fmt.Sprintf("1.421.%d.0", 200+c.dayIdx*3+i)
		c.fileEvent(c.h.sys.defender, t, "FileCreated", newFile(dir+"mpavdlta.vdm", "vdm|"+ver, int64(c.r.between(900000, 4000000))), nil)
		c.regSet(c.h.sys.defender, add(t, 3*time.Second), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Signature Updates`,
			"String", "AVSignatureVersion", ver)
	}
}

func upperGUID(r *rng) string {
	b := []byte(r.guid())
	for i, ch := range b {
		if ch >= 'a' && ch <= 'f' {
			b[i] = ch - 32
		}
	}
	return string(b)
}

// intuneScript runs the Intune management extension's compliance script:
// a PowerShell with -ExecutionPolicy Bypass that is entirely benign.
func (c *hctx) intuneScript() {
	f := c.g.fleet
	t := c.randomTime(6, 20)
	script := `C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\` + f.intuneScript + `.ps1`
	ae := c.spawn(c.h.sys.ime, img("AgentExecutor.exe"), fmt.Sprintf(`"C:\Program Files (x86)\Microsoft Intune Management Extension\agentexecutor.exe"  -powershell  "%s" "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Results\%s.output" "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Results\%s.error" "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Results\%s.timeout" 60000 "C:\Windows\System32\WindowsPowerShell\v1.0" 0 "" "" False`,
		script, f.intuneScript, f.intuneScript, f.intuneScript), t, acctSystem)
	ps := c.spawn(ae, img("powershell.exe"), `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -executionPolicy bypass -file  "`+script+`" `, add(t, time.Second), acctSystem)
	c.misc(ps, add(t, 3*time.Second), "PowerShellCommand", bag("Command", "Get-BitLockerVolume"))
	for i, d := range updaterDests["IntuneWindowsAgent"] {
		c.connect(c.h.sys.ime, add(t, time.Duration(-20+i)*time.Second), "ConnectionSuccess", d.IP, d.Port, d.URL)
	}
}

// ccmCycle is the Configuration Manager client's policy poll and its
// compliance-baseline PowerShell (also -ExecutionPolicy Bypass, benign).
func (c *hctx) ccmCycle() {
	sccm := c.g.fleet.first(kindSCCM)
	s := &c.h.sys
	p := c.peer(sccm)
	for t := add(c.d, c.r.dur(0, time.Hour)); t < c.dayEnd(); t = add(t, c.r.dur(50*time.Minute, 70*time.Minute)) {
		c.connect(s.ccm, t, "ConnectionSuccess", sccm.IP, 443, sccm.Name+"."+dnsDomain)
		if sccm != c.h {
			p.accept(sccm.sys.system, add(t, time.Millisecond), c.h.IP, c.ephemeral(), 443)
		}
	}
	t := c.randomTime(8, 22)
	ps := c.spawn(s.ccm, img("powershell.exe"), `"C:\WINDOWS\system32\WindowsPowerShell\v1.0\powershell.exe" -NoLogo -Noninteractive -NoProfile -ExecutionPolicy Bypass "& 'C:\WINDOWS\CCM\SystemTemp\`+c.g.fleet.ccmScript+`.ps1'"`, t, acctSystem)
	c.misc(ps, add(t, 2*time.Second), "PowerShellCommand", bag("Command", "Get-CimInstance"))
	if c.r.chance(0.3) {
		c.misc(s.ccm, add(t, 5*time.Second), "ProcessCreatedUsingWmiQuery", bag("Namespace", `root\ccm\clientsdk`, "ProcessId", ps.PID))
	}
}

// windowsUpdate installs the month's cumulative update: downloads, the
// servicing stack's file writes, and a registry stamp.
func (c *hctx) windowsUpdate() {
	t := c.randomTime(2, 5)
	if c.h.kind == kindWorkstation {
		t = c.randomTime(11, 14)
	}
	s := &c.h.sys
	for i := range 4 {
		d := updaterDests["MoUsoCoreWorker.exe"][1]
		c.connect(s.wuauserv, add(t, time.Duration(i)*40*time.Second), "ConnectionSuccess", d.IP, d.Port, d.URL)
	}
	ti := c.spawn(s.services, img("TrustedInstaller.exe"), `C:\Windows\servicing\TrustedInstaller.exe`, add(t, 5*time.Minute), acctSystem)
	w := c.spawn(s.dcom, img("TiWorker.exe"), `C:\Windows\winsxs\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4313_none_70b4a1ee45c4ea1b\TiWorker.exe -Embedding`, add(t, 5*time.Minute+2*time.Second), acctSystem)
	dl := `C:\Windows\SoftwareDistribution\Download\` + c.g.fleet.patchID + `\`
	for i := range c.r.between(15, 30) {
		name := fmt.Sprintf("windows11.0-kb5044285-x64_%02d.psf", i)
		c.fileEvent(s.wuauserv, add(t, time.Duration(i)*20*time.Second), "FileCreated", newFile(dl+name, "kb5044285|"+name, int64(c.r.between(1e6, 9e7))), nil)
	}
	c.regSet(ti, add(t, 25*time.Minute), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages\Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4317.1.11`,
		"Dword", "CurrentState", "112")
	c.regSet(w, add(t, 26*time.Minute), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, "ExpandString", "SecurityHealth", `%windir%\system32\SecurityHealthSystray.exe`)
}

// dhcpRenewals records the workstation's DHCP lease renewals.
func (c *hctx) dhcpRenewals() {
	key := `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\Tcpip\Parameters\Interfaces\{` + c.g.fleet.nicGUID + `}`
	for t := add(c.d, c.r.dur(0, 4*time.Hour)); t < c.dayEnd(); t = add(t, c.r.dur(3*time.Hour+50*time.Minute, 4*time.Hour+10*time.Minute)) {
		c.regSet(c.h.sys.netsvc, t, key, "Dword", "LeaseObtainedTime", fmt.Sprint(t.Time().Unix()))
		c.regSet(c.h.sys.netsvc, t, key, "String", "DhcpIPAddress", c.h.IP)
	}
}

// serviceAccountTasks are scheduled jobs that run under domain service
// accounts: each run is a Batch logon.
func (c *hctx) serviceAccountTasks() {
	f := c.g.fleet
	switch c.h.kind {
	case kindSQL:
		t := clock(c.day, 23, c.r.between(0, 10))
		c.logon(t, logonEv{action: "LogonSuccess", ltype: "Batch", proto: "Kerberos", acct: f.svcSQL, init: c.h.sys.schedule})
		c.spawn(c.h.sys.schedule, img("SQLCMD.EXE"), `"C:\Program Files\Microsoft SQL Server\Client SDK\ODBC\170\Tools\Binn\SQLCMD.EXE" -S . -E -b -i D:\Maint\IndexOptimize.sql -o D:\Maint\Logs\IndexOptimize.log`, add(t, time.Second), f.svcSQL)
	case kindSCCM:
		for h := 1; h < 24; h += 6 {
			t := clock(c.day, h, c.r.between(0, 30))
			c.logon(t, logonEv{action: "LogonSuccess", ltype: "Batch", proto: "Kerberos", acct: f.svcSCCM, init: c.h.sys.schedule})
			c.spawn(c.h.sys.schedule, img("powershell.exe"), `powershell.exe -NoProfile -File "D:\Scripts\Sync-Collections.ps1"`, add(t, time.Second), f.svcSCCM)
		}
	}
}
