package lab

// This file generates the Windows servers' own work: users reaching the
// file server, the nightly backup copy, SQL Server's backups, and the IT
// administrators' day on the jump host, whose PsExec, Bypass PowerShell and
// discovery commands are the false positives a hunter meets.

import (
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// sqlAccount is the virtual account SQL Server runs as.
var sqlAccount = &account{Domain: "nt service", Name: "mssqlserver", Sid: "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003"}

func (c *hctx) dcDay() {
	if !isWorkday(c.day) {
		return
	}
	for range c.r.between(0, 4) {
		ws := pick(c.r, c.g.fleet.workstations())
		t := c.randomTime(8, 18)
		c.logon(t, logonEv{action: "LogonFailed", ltype: "Network", proto: "Kerberos", failure: "InvalidUserNameOrPassword",
			acct: &ws.owner.account, remoteIP: ws.IP, remoteDev: ws.Name, remotePort: c.ephemeral()})
	}
}

// smbSession is a user on a workstation opening the file server: the
// client's connection, the server's accept and network logon.
func (c *hctx) smbSession(ws *host, acct *account, at value.Datetime) {
	cl := c.peer(ws)
	cl.connect(ws.sys.system, at, "ConnectionSuccess", c.h.IP, 445, "")
	c.accept(c.h.sys.system, add(at, time.Millisecond), ws.IP, c.ephemeral(), 445)
	c.logon(add(at, 3*time.Millisecond), logonEv{action: "LogonSuccess", ltype: "Network", proto: "Kerberos",
		acct: acct, remoteIP: ws.IP, remoteDev: ws.Name, remotePort: c.ephemeral()})
}

func (c *hctx) fileServerDay() {
	f := c.g.fleet
	for _, u := range f.users {
		p := c.g.today[u.idx]
		if !p.work || u.ws == nil || u.ws.linux {
			continue
		}
		c.smbSession(u.ws, &u.account, add(p.arrive, c.r.dur(2*time.Minute, 10*time.Minute)))
		share := deptShare(u.Dept)
		files := f.shareFiles[share]
		for range c.r.between(0, 8) {
			t := add(p.arrive, c.r.dur(15*time.Minute, time.Duration(p.leave-p.arrive)*100))
			path := pick(c.r, files)
			action := "FileModified"
			if c.r.chance(0.15) {
				action = "FileCreated"
			}
			c.fileEvent(c.h.sys.system, t, action, newFile(path, fmt.Sprintf("share|%s|%d", path, c.dayIdx), int64(c.r.between(20000, 3000000))),
				&fileOp{ReqProtocol: "Smb", ReqSourceIP: u.ws.IP, ReqSourcePort: c.ephemeral(), ReqAcct: &u.account, Share: share})
		}
	}
	c.nightlyBackup()
}

// nightlyBackup copies the changed share files to the backup server with
// Robocopy under the backup service account: a burst of hundreds of file
// creations over SMB that is entirely benign.
func (c *hctx) nightlyBackup() {
	f := c.g.fleet
	bk := f.first(kindBackup)
	t := clock(c.day, 1, c.r.between(0, 20))
	c.logon(add(t, -time.Second), logonEv{action: "LogonSuccess", ltype: "Batch", proto: "Kerberos", acct: f.svcBackup, init: c.h.sys.schedule})
	rc := c.spawn(c.h.sys.schedule, img("Robocopy.exe"), `"C:\Windows\system32\Robocopy.exe" D:\Shares \\srv-backup-01\backup$\srv-fs-01 /MIR /R:1 /W:1 /NP /LOG:C:\Logs\robocopy.log`, t, f.svcBackup)
	elevate(rc)
	c.connect(rc, add(t, time.Second), "ConnectionSuccess", bk.IP, 445, "")
	p := c.peer(bk)
	p.accept(bk.sys.system, add(t, time.Second+time.Millisecond), c.h.IP, c.ephemeral(), 445)
	p.logon(add(t, time.Second+2*time.Millisecond), logonEv{action: "LogonSuccess", ltype: "Network", proto: "Kerberos",
		acct: f.svcBackup, remoteIP: c.h.IP, remoteDev: c.h.Name, remotePort: c.ephemeral()})
	port := c.ephemeral()
	n := c.r.between(150, 450)
	at := add(t, 3*time.Second)
	for i := range n {
		share := shareNames[i%len(shareNames)]
		src := pick(c.r, f.shareFiles[share])
		dst := `E:\Backup\srv-fs-01\` + src[len(`D:\Shares\`):]
		at = add(at, c.r.dur(200*time.Millisecond, 4*time.Second))
		p.fileEvent(bk.sys.system, at, "FileCreated", newFile(dst, fmt.Sprintf("share|%s|%d", src, c.dayIdx-1), int64(c.r.between(20000, 3000000))),
			&fileOp{ReqProtocol: "Smb", ReqSourceIP: c.h.IP, ReqSourcePort: port, ReqAcct: f.svcBackup, Share: "backup$"})
	}
}

var shareNames = []string{"Finance", "Operations", "Sales", "HR", "Engineering", "Logistics", "Legal", "Shared"}

func deptShare(dept string) string {
	for _, s := range shareNames {
		if len(dept) >= len(s) && dept[:len(s)] == s {
			return s
		}
	}
	if dept == "Human Resources" {
		return "HR"
	}
	return "Shared"
}

func (c *hctx) sqlDay() {
	s := &c.h.sys
	t := clock(c.day, 0, c.r.between(25, 40))
	name := fmt.Sprintf(`D:\Backup\TMS_%s.bak`, c.day.Format("20060102"))
	s.sql.Acct = sqlAccount
	c.fileEvent(s.sql, t, "FileCreated", newFile(name, "bak|"+name, int64(c.r.between(3_800_000_000, 4_300_000_000))), nil)
	c.fileEvent(s.sql, add(t, c.r.dur(4*time.Minute, 9*time.Minute)), "FileModified", newFile(name, "bak|"+name, int64(c.r.between(3_800_000_000, 4_300_000_000))), nil)
	old := fmt.Sprintf(`D:\Backup\TMS_%s.bak`, c.day.AddDate(0, 0, -7).Format("20060102"))
	c.fileEvent(s.sqlagent, add(t, 20*time.Minute), "FileDeleted", newFile(old, "bak|"+old, 0), nil)
	c.connect(s.sense, add(t, 30*time.Minute), "ConnectionSuccess", azureStorage.IP, 443, azureStorage.URL)
}

func (c *hctx) sccmDay() {
	p := c.spawn(c.h.sys.services, img("smsexec.exe"), `"C:\Program Files\Microsoft Configuration Manager\bin\X64\smsexec.exe"`, c.randomTime(0, 1), acctSystem)
	for range c.r.between(4, 10) {
		d := pick(c.r, windowsDests)
		c.connect(p, c.randomTime(0, 24), "ConnectionSuccess", d.IP, d.Port, d.URL)
	}
}

// jumpDay is the IT administrators' day on the jump host.
func (c *hctx) jumpDay() {
	f := c.g.fleet
	for i, u := range f.admins {
		p := c.g.today[u.idx]
		if !p.work || u.ws == nil || !c.r.chance(0.7) || p.arrive >= p.leave {
			continue
		}
		from := add(p.arrive, c.r.dur(20*time.Minute, 3*time.Hour))
		to := min(p.leave, add(from, c.r.dur(40*time.Minute, 3*time.Hour)))
		d := c.rdpIn(u.ws, u.admin, from, int64(2+i))
		c.h.sessions = append(c.h.sessions, session{u.admin, from, to})
		c.adminWork(d, from, to)
	}
	if t, ok := c.g.plan.supportAt(c.dayIdx); ok {
		u := c.g.plan.admin
		d := c.rdpIn(u.ws, u.admin, add(t, -10*time.Minute), 5)
		c.rdpOut(d, c.g.plan.target, t, 25*time.Minute)
	}
}

// rdpIn opens an administrator's RDP session on this host from ws and
// returns its desktop.
func (c *hctx) rdpIn(ws *host, acct *account, at value.Datetime, sessionID int64) *desktop {
	cl := c.peer(ws)
	d := &desktop{acct: acct}
	var mstsc *proc
	if ws.sys.winlogon != nil {
		mstsc = cl.spawn(ws.sys.winlogon, img("mstsc.exe"), `"C:\Windows\system32\mstsc.exe" /v:`+c.h.Name, at, &ws.owner.account)
		cl.connect(mstsc, add(at, time.Second), "ConnectionSuccess", c.h.IP, 3389, "")
	}
	c.accept(c.h.sys.termsvc, add(at, time.Second+time.Millisecond), ws.IP, c.ephemeral(), 3389)
	d.logonID = c.logon(add(at, 8*time.Second), logonEv{action: "LogonSuccess", ltype: "RemoteInteractive", proto: "Negotiate",
		acct: acct, remoteIP: ws.IP, remoteDev: ws.Name, remotePort: 0, admin: true})
	wl := c.newProc(c.h.sys.smss, img("winlogon.exe"), "winlogon.exe", add(at, 7*time.Second), acctSystem)
	wl.Session, wl.RemoteDev, wl.RemoteIP = sessionID, ws.Name, ws.IP
	ui := c.spawn(wl, img("userinit.exe"), `C:\Windows\system32\userinit.exe`, add(at, 10*time.Second), acct)
	ui.LogonID = d.logonID
	elevate(ui)
	d.explorer = elevate(c.spawn(ui, img("explorer.exe"), `C:\Windows\Explorer.EXE`, add(at, 12*time.Second), acct))
	c.spawn(c.h.sys.schedule, img("rdpclip.exe"), "rdpclip", add(at, 13*time.Second), acct).Session = sessionID
	return d
}

// rdpOut connects from an admin's session here to another host.
func (c *hctx) rdpOut(d *desktop, to *host, at value.Datetime, stay time.Duration) {
	m := c.spawn(d.explorer, img("mstsc.exe"), `"C:\Windows\system32\mstsc.exe" /v:`+to.Name, at, d.acct)
	c.connect(m, add(at, time.Second), "ConnectionSuccess", to.IP, 3389, "")
	p := c.peer(to)
	p.accept(to.sys.termsvc, add(at, time.Second+time.Millisecond), c.h.IP, c.ephemeral(), 3389)
	lid := p.logon(add(at, 9*time.Second), logonEv{action: "LogonSuccess", ltype: "RemoteInteractive", proto: "Negotiate",
		acct: d.acct, remoteIP: c.h.IP, remoteDev: c.h.Name, admin: true})
	wl := p.newProc(to.sys.smss, img("winlogon.exe"), "winlogon.exe", add(at, 8*time.Second), acctSystem)
	wl.Session, wl.RemoteDev, wl.RemoteIP = 3, c.h.Name, c.h.IP
	ui := elevate(p.spawn(wl, img("userinit.exe"), `C:\Windows\system32\userinit.exe`, add(at, 11*time.Second), d.acct))
	ui.LogonID = lid
	ex := elevate(p.spawn(ui, img("explorer.exe"), `C:\Windows\Explorer.EXE`, add(at, 13*time.Second), d.acct))
	if to.kind == kindWorkstation || to.kind == kindFile || to.kind == kindAppWin {
		t := add(at, c.r.dur(2*time.Minute, stay))
		cmd := elevate(p.spawn(ex, img("cmd.exe"), `"C:\Windows\system32\cmd.exe" `, t, d.acct))
		p.spawn(cmd, img("gpupdate.exe"), "gpupdate  /force", add(t, 20*time.Second), d.acct)
	}
	to.sessions = append(to.sessions, session{d.acct, at, add(at, stay)})
}

// adminWork is what an administrator does in a jump-host session.
func (c *hctx) adminWork(d *desktop, from, to value.Datetime) {
	f := c.g.fleet
	span := time.Duration(to-from) * 100
	at := func() value.Datetime { return add(from, c.r.dur(time.Minute, max(2*time.Minute, span))) }
	if c.r.chance(0.6) {
		t := at()
		ps := c.spawn(d.explorer, img("powershell.exe"), `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File "\\`+dnsDomain+`\NETLOGON\Scripts\Sync-PrinterMappings.ps1"`, t, d.acct)
		c.misc(ps, add(t, 2*time.Second), "PowerShellCommand", bag("Command", "Get-Printer"))
		c.misc(ps, add(t, 3*time.Second), "PowerShellCommand", bag("Command", "Add-Printer"))
	}
	if c.r.chance(0.45) {
		t := at()
		targets := f.psexecTargets()
		tgt := pick(c.r, targets)
		cmd := c.spawn(d.explorer, img("cmd.exe"), `"C:\Windows\system32\cmd.exe" `, add(t, -time.Minute), d.acct)
		c.psexec(cmd, d.acct, tgt, t, img("PsExec64.exe"), img("PSEXESVC.exe"), "gpupdate /force", "gpupdate.exe", `gpupdate  /force`)
	}
	if c.r.chance(0.5) {
		t := at()
		cmd := c.spawn(d.explorer, img("cmd.exe"), `"C:\Windows\system32\cmd.exe" `, t, d.acct)
		for i, x := range [][2]string{{"whoami.exe", "whoami  /groups"}, {"ipconfig.exe", "ipconfig  /all"},
			{"nltest.exe", "nltest  /dsgetdc:" + dnsDomain}, {"quser.exe", "quser  /server:srv-fs-01"}} {
			if c.r.chance(0.5) {
				c.spawn(cmd, img(x[0]), x[1], add(t, time.Duration(1+i)*time.Duration(c.r.between(20, 600))*time.Second), d.acct)
			}
		}
	}
	if c.r.chance(0.4) {
		c.spawn(d.explorer, img("mmc.exe"), `"C:\Windows\system32\mmc.exe" "C:\Windows\system32\dsa.msc" `, at(), d.acct)
	}
	if c.r.chance(0.3) {
		srv := pick(c.r, f.psexecTargets())
		c.rdpOut(d, srv, at(), 20*time.Minute)
	}
}

// psexec runs a command on tgt with PsExec: the client's process and SMB
// connection, and on the target the network logon, the service binary
// dropped over ADMIN$, the PSEXESVC service install and the command.
func (c *hctx) psexec(parent *proc, acct *account, tgt *host, at value.Datetime, client, svc *file, args, exe, cmdline string) *proc {
	ps := c.spawn(parent, client, fmt.Sprintf(`%s \\%s -accepteula -s %s`, client.Name, tgt.Name, args), at, acct)
	c.connect(ps, add(at, time.Second), "ConnectionSuccess", tgt.IP, 445, "")
	p := c.peer(tgt)
	p.accept(tgt.sys.system, add(at, time.Second+time.Millisecond), c.h.IP, c.ephemeral(), 445)
	p.logon(add(at, time.Second+3*time.Millisecond), logonEv{action: "LogonSuccess", ltype: "Network", proto: "Kerberos",
		acct: acct, remoteIP: c.h.IP, remoteDev: c.h.Name, remotePort: c.ephemeral(), admin: true})
	dropped := *svc
	dropped.Path, dropped.lowerPath = `C:\Windows\PSEXESVC.exe`, `c:\windows\psexesvc.exe`
	p.fileEvent(tgt.sys.system, add(at, 2*time.Second), "FileCreated", &dropped,
		&fileOp{ReqProtocol: "Smb", ReqSourceIP: c.h.IP, ReqSourcePort: c.ephemeral(), ReqAcct: acct, Share: "ADMIN$"})
	ev := p.misc(tgt.sys.services, add(at, 3*time.Second), "ServiceInstalled",
		bag("ServiceName", "PSEXESVC", "ServiceAccount", "LocalSystem", "ServiceStartType", 3, "ServiceType", 16))
	ev.file = &dropped
	svcProc := p.spawn(tgt.sys.services, &dropped, `C:\Windows\PSEXESVC.exe`, add(at, 3*time.Second+500*time.Millisecond), acctSystem)
	return p.spawn(svcProc, img(exe), cmdline, add(at, 4*time.Second), acctSystem)
}
