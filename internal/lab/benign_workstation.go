package lab

// This file generates a Windows workstation's working day: the owner's
// logon and desktop, Outlook, Teams, a browser, Office documents,
// downloads, screen locks and unlocks.

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// session is a logged-on user, for DeviceInfo.LoggedOnUsers.
type session struct {
	acct     *account
	from, to value.Datetime
}

// desktop is a user's interactive session and the programs in it.
type desktop struct {
	u                        *user
	acct                     *account
	logonID                  int64
	explorer, browserNet     *proc
	outlook, teams, onedrive *proc
	browser                  *file
}

var documents = []string{
	"Q3 Freight Forecast.xlsx", "Carrier Rates 2024.xlsx", "Board Update.pptx", "Shipment Exceptions.xlsx",
	"Vendor Contract - Baltic Lines.docx", "Team Meeting Notes.docx", "Budget FY25.xlsx", "Route Optimization.pptx",
	"Customs Checklist.docx", "Warehouse Inventory.xlsx", "Invoice Reconciliation.xlsx", "Onboarding Plan.docx",
	"Safety Audit.docx", "Port Schedule.xlsx", "Claims Log.xlsx", "Fleet Maintenance.xlsx", "Quarterly Review.pptx",
}

var downloads = []struct{ name, url string }{
	{"rate-sheet-2024.pdf", "https://www.maersk.com/-/media/rates/rate-sheet-2024.pdf"},
	{"BOL_448213.pdf", "https://www.fedex.com/content/dam/bol/BOL_448213.pdf"},
	{"tracking_report.xlsx", "https://www.ups.com/track/export/tracking_report.xlsx"},
	{"schedule_export.csv", "https://www.marinetraffic.com/en/reports/schedule_export.csv"},
	{"Harborline_Benefits_Guide.pdf", "https://harborline.sharepoint.com/sites/hr/Shared%20Documents/Harborline_Benefits_Guide.pdf"},
	{"invoice_99812.pdf", "https://harborline.my.salesforce.com/sfc/servlet.shepherd/document/download/invoice_99812.pdf"},
	{"vessel_positions.json", "https://www.marinetraffic.com/en/data/vessel_positions.json"},
}

func userProfile(a *account) string { return `C:\Users\` + a.Name }

// hkcu returns a per-user registry key as MDE spells it.
func hkcu(a *account, path string) string { return `HKEY_CURRENT_USER\` + a.Sid + `\` + path }

func (c *hctx) workstationDay() {
	u := c.h.owner
	p := c.g.today[u.idx]
	if !p.work {
		return
	}
	if c.h.laptop && p.remote && c.r.chance(0.5) && c.g.plan.hookFor(c.h, c.dayIdx) == nil {
		c.desktopDay(u, p, "CachedInteractive")
		return
	}
	c.desktopDay(u, p, "Interactive")
}

// desktopDay runs a user's day at the keyboard.
func (c *hctx) desktopDay(u *user, p presence, ltype string) {
	hook := c.g.plan.hookFor(c.h, c.dayIdx)
	if hook != nil && hook.arrive < p.arrive {
		p.arrive = hook.arrive
	}
	var id int64
	if hook != nil {
		id = hook.logonID
	}
	d := c.logonDesktop(u, p.arrive, ltype, id)
	c.h.sessions = append(c.h.sessions, session{d.acct, p.arrive, p.leave})
	if hook != nil {
		d.outlook = hook.outlook
		d.outlook.Parent, d.outlook.Integrity, d.outlook.Elevation = d.explorer, d.explorer.Integrity, d.explorer.Elevation
		c.created(d.outlook)
	} else {
		d.outlook = c.spawn(d.explorer, img("OUTLOOK.EXE"), `"C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE" `,
			add(p.arrive, c.r.dur(time.Minute, 6*time.Minute)), d.acct)
	}
	c.appLaunched(d, d.outlook, d.outlook.Created)
	spans := p.activeSpans(c.r)
	for i, s := range spans {
		if i > 0 {
			c.unlock(d, s[0])
		}
		c.officeTraffic(d, s[0], s[1])
		c.desktopNoise(d, s[0], s[1])
	}
	c.officeWork(d, spans)
	if c.r.chance(0.08) {
		// OneDrive re-registers itself at sign-in after an update: a benign Run key.
		c.regSet(d.onedrive, add(p.arrive, 40*time.Second), hkcu(d.acct, `Software\Microsoft\Windows\CurrentVersion\Run`),
			"String", "OneDrive", `"C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background`)
	}
}

// logonDesktop logs the user on and starts the shell and startup apps.
func (c *hctx) logonDesktop(u *user, at value.Datetime, ltype string, id int64) *desktop {
	d := &desktop{u: u, acct: &u.account, browser: img("chrome.exe")}
	if u.idx%5 == 1 {
		d.browser = img("msedge.exe")
	}
	if c.r.chance(0.05) {
		c.logon(add(at, -20*time.Second), logonEv{action: "LogonFailed", ltype: "Interactive", proto: "Negotiate",
			failure: "InvalidUserNameOrPassword", acct: d.acct})
	}
	d.logonID = c.logon(at, logonEv{action: "LogonSuccess", ltype: ltype, proto: "Negotiate", acct: d.acct, id: id})
	sys := &c.h.sys
	for _, v := range []string{"LastLoggedOnUser", "LastLoggedOnSAMUser"} {
		c.regSet(sys.winlogon, add(at, time.Second), `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Authentication\LogonUI`,
			"String", v, netbios+`\`+d.acct.Name)
	}
	userinit := c.spawn(sys.winlogon, img("userinit.exe"), `C:\Windows\system32\userinit.exe`, add(at, 2*time.Second), d.acct)
	userinit.LogonID, userinit.Session = d.logonID, 1
	d.explorer = c.spawn(userinit, img("explorer.exe"), `C:\Windows\Explorer.EXE`, add(at, 4*time.Second), d.acct)
	for i, s := range []struct{ name, cmd string }{
		{"sihost.exe", "sihost.exe"},
		{"taskhostw.exe", "taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}"},
		{"ctfmon.exe", `"ctfmon.exe"`},
	} {
		p := c.spawn(sys.schedule, img(s.name), s.cmd, add(at, time.Duration(3+i)*time.Second), d.acct)
		p.LogonID, p.Session = d.logonID, 1
	}
	c.spawn(d.explorer, img("SecurityHealthSystray.exe"), `"C:\Windows\System32\SecurityHealthSystray.exe" `, add(at, 9*time.Second), d.acct)
	d.onedrive = c.spawn(d.explorer, img("OneDrive.exe"), `"C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background`, add(at, 10*time.Second), d.acct)
	d.teams = c.spawn(d.explorer, img("ms-teams.exe"), `"C:\Program Files\WindowsApps\MSTeams_24277.3502.3161.3007_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated`, add(at, 12*time.Second), d.acct)
	c.appLaunched(d, d.teams, add(at, 12*time.Second))
	c.appLaunched(d, d.onedrive, add(at, 10*time.Second))
	bt := add(at, c.r.dur(2*time.Minute, 15*time.Minute))
	main := c.spawn(d.explorer, d.browser, `"`+d.browser.Path+`" `, bt, d.acct)
	d.browserNet = c.spawn(main, d.browser, `"`+d.browser.Path+`" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=2084 --field-trial-handle=1936,i,`+c.r.hex(16)+`,`+c.r.hex(16)+`,262144 /prefetch:11`, add(bt, 400*time.Millisecond), d.acct)
	for i := range c.r.between(2, 5) {
		c.spawn(main, d.browser, fmt.Sprintf(`"%s" --type=renderer --lang=en-US --js-flags=--ms-user-locale= --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id=%d --launch-time-ticks=%d /prefetch:1`,
			d.browser.Path, 7+i, 1000000+c.r.intn(90000000)), add(bt, time.Duration(1+i)*time.Second), d.acct)
	}
	c.appLaunched(d, main, bt)
	return d
}

// bamWrite reports the Background Activity Moderator recording a program
// the user ran, as svchost does for every interactive launch.
func (c *hctx) bamWrite(d *desktop, p *proc, at value.Datetime) {
	c.regSet(c.h.sys.netsvc, at, `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\bam\State\UserSettings\`+d.acct.Sid,
		"Binary", `\Device\HarddiskVolume3`+p.Img.Path[2:], "")
}

// unlock reports the user coming back to a locked screen.
func (c *hctx) unlock(d *desktop, at value.Datetime) {
	if c.r.chance(0.04) {
		c.logon(add(at, -15*time.Second), logonEv{action: "LogonFailed", ltype: "Interactive", proto: "Negotiate",
			failure: "InvalidUserNameOrPassword", acct: d.acct})
	}
	c.logon(at, logonEv{action: "LogonSuccess", ltype: "Unlock", proto: "Negotiate", acct: d.acct})
}

// officeTraffic is the network chatter of the user's apps while active.
func (c *hctx) officeTraffic(d *desktop, from, to value.Datetime) {
	c.stream(d.browserNet, from, to, time.Minute, browsing, true)
	c.stream(d.teams, from, to, 5*time.Minute, teamsDests, false)
	c.stream(d.outlook, from, to, 8*time.Minute, outlookDests, false)
	c.stream(d.onedrive, from, to, 12*time.Minute, oneDriveDests, false)
	if d.u.Dept == "Engineering" {
		c.stream(d.browserNet, from, to, 4*time.Minute, devDests, false)
	}
}

// stream emits connections from p to dests at random with the given mean
// gap; skewed picks favour the first destinations, as browsing does.
func (c *hctx) stream(p *proc, from, to value.Datetime, mean time.Duration, dests []dest, skewed bool) {
	for t := add(from, c.r.exp(mean)); t < to; t = add(t, c.r.exp(mean)) {
		i := c.r.intn(len(dests))
		if skewed {
			i = min(c.r.intn(len(dests)), c.r.intn(len(dests)))
		}
		ds := dests[i]
		action := "ConnectionSuccess"
		if c.r.chance(0.01) {
			action = "ConnectionFailed"
		}
		c.connect(p, t, action, ds.IP, ds.Port, ds.URL)
		if ds.URL != "" && c.r.chance(0.06) {
			c.dnsQuery(p, add(t, -30*time.Millisecond), ds.URL, ds.IP)
		}
	}
}

// dnsQuery reports a DNS answer the process asked for.
func (c *hctx) dnsQuery(p *proc, at value.Datetime, name, ip string) {
	c.misc(p, at, "DnsQueryResponse", bag("DnsQueryString", name,
		"DnsQueryResult", []any{bag("DnsQueryType", 1, "DnsQueryTypeName", "A", "Address", ip)}))
}

// officeWork opens documents, saves attachments and downloads files.
func (c *hctx) officeWork(d *desktop, spans [][2]value.Datetime) {
	home := userProfile(d.acct)
	for range c.r.between(1, 5) {
		s := pick(c.r, spans)
		if s[1]-s[0] < value.Datetime(10*time.Minute/100) {
			continue
		}
		at := add(s[0], c.r.dur(time.Minute, time.Duration(s[1]-s[0])*100-5*time.Minute))
		c.openDocument(d, at, pick(c.r, documents), home)
	}
	for range c.r.between(0, 3) {
		s := pick(c.r, spans)
		at := add(s[0], c.r.dur(0, time.Duration(s[1]-s[0])*100))
		name := fmt.Sprintf("%s_%d.pdf", pick(c.r, []string{"Invoice", "Shipping_Notice", "PO", "Remittance"}), c.r.between(10000, 99999))
		path := fmt.Sprintf(`%s\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\%s\%s`, home, upperHex(c.r, 8), name)
		c.fileEvent(d.outlook, at, "FileCreated", newFile(path, "attach|"+path, int64(c.r.between(40000, 900000))), nil)
	}
	for range c.r.between(0, 2) {
		s := pick(c.r, spans)
		at := add(s[0], c.r.dur(0, time.Duration(s[1]-s[0])*100))
		dl := pick(c.r, downloads)
		path := home + `\Downloads\` + dl.name
		host := hostOf(dl.url)
		c.fileEvent(d.browserNet.Parent, at, "FileCreated", newFile(path, "dl|"+dl.url, int64(c.r.between(20000, 4000000))),
			&fileOp{OriginURL: dl.url, OriginReferrer: "https://" + host + "/", OriginIP: lookupIP(host)})
	}
	if c.r.chance(0.3) {
		s := pick(c.r, spans)
		at := add(s[0], c.r.dur(0, time.Duration(s[1]-s[0])*100))
		url := "https://" + pick(c.r, browsing[:12]).URL + "/"
		c.emit(tEvents, at, &event{action: "BrowserLaunchedToOpenUrl", init: d.outlook, net: &netInfo{RemoteURL: url}})
	}
}

// openDocument opens a document in Word, Excel or PowerPoint and works on
// it for a while: lock file, autosaves, MRU registry writes.
func (c *hctx) openDocument(d *desktop, at value.Datetime, name, home string) {
	app := "WINWORD.EXE"
	mru := "Word"
	switch name[len(name)-4:] {
	case "xlsx":
		app, mru = "EXCEL.EXE", "Excel"
	case "pptx":
		app, mru = "POWERPNT.EXE", "PowerPoint"
	}
	folder := home + `\OneDrive - Harborline Freight\Documents`
	path := folder + `\` + name
	p := c.spawn(d.explorer, img(app), fmt.Sprintf(`"%s" /n "%s"`, img(app).Path, path), at, d.acct)
	c.appLaunched(d, p, at)
	c.regSet(p, add(at, 3*time.Second), hkcu(d.acct, `SOFTWARE\Microsoft\Office\16.0\`+mru+`\Reading Locations\Document 0`),
		"String", "File Path", path)
	c.regSet(d.explorer, add(at, 2*time.Second), hkcu(d.acct, `SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs\.`+name[len(name)-4:]),
		"Binary", "MRUListEx", "")
	lock := newFile(folder+`\~$`+name[2:], "lock|"+path, 162)
	c.fileEvent(p, add(at, 2*time.Second), "FileCreated", lock, nil)
	doc := newFile(path, fmt.Sprintf("doc|%s|%d", path, c.dayIdx), int64(c.r.between(30000, 2500000)))
	t := add(at, 2*time.Second)
	for range c.r.between(1, 4) {
		t = add(t, c.r.dur(4*time.Minute, 14*time.Minute))
		c.fileEvent(p, t, "FileModified", doc, nil)
		c.fileEvent(d.onedrive, add(t, c.r.dur(5*time.Second, 40*time.Second)), "FileModified", doc, nil)
	}
	c.fileEvent(p, add(t, c.r.dur(time.Minute, 10*time.Minute)), "FileDeleted", lock, nil)
}

func upperHex(r *rng, n int) string {
	b := []byte(r.hex(n))
	for i, ch := range b {
		if ch >= 'a' {
			b[i] = ch - 32
		}
	}
	return string(b)
}

// hostOf returns the host name of an http(s) URL.
func hostOf(url string) string {
	_, rest, _ := strings.Cut(url, "://")
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// lookupIP resolves a host name among the known browsing destinations.
func lookupIP(host string) string {
	for _, d := range browsing {
		if d.URL == host {
			return d.IP
		}
	}
	return ""
}
