package lab

// This file generates the Linux devices: cron and systemd jobs, package
// updates, administrators over SSH from the jump host, the public web
// server's visitors and the internet's background SSH noise, the
// vulnerability scanner's nightly sweep, the application server's
// database pool and a developer's workstation.

import (
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// cronJobs are the periodic jobs every Linux host runs.
var cronJobs = []struct {
	every time.Duration
	cmd   string
	prog  string
}{
	{10 * time.Minute, "command -v debian-sa1 > /dev/null && debian-sa1 1 1", "dash"},
	{time.Hour, "cd / && run-parts --report /etc/cron.hourly", "run-parts"},
}

func (c *hctx) linuxBackground() {
	s := &c.h.sys
	root := c.h.rootAccount()
	for _, j := range cronJobs {
		if j.prog == "dash" && c.h.osDist != "Ubuntu" {
			continue // sysstat's cron job is Debian's
		}
		for t := add(c.d, c.r.dur(0, j.every)); t < c.dayEnd(); t = add(t, j.every) {
			child := c.newProc(s.cron, img("cron"), "/usr/sbin/CRON -f -P", t, root)
			sh := c.spawn(child, img("dash"), "/bin/sh -c "+j.cmd, add(t, 5*time.Millisecond), root)
			if j.prog != "dash" {
				c.spawn(sh, img(j.prog), "run-parts --report /etc/cron.hourly", add(t, 9*time.Millisecond), root)
			}
		}
	}
	t := clock(c.day, 6, c.r.between(0, 59))
	lr := c.spawn(s.systemd, img("logrotate"), "/usr/sbin/logrotate /etc/logrotate.conf", t, root)
	c.fileEvent(lr, add(t, time.Second), "FileRenamed", newFile("/var/log/syslog.1", fmt.Sprintf("syslog|%s|%d", c.h.Name, c.dayIdx), int64(c.r.between(1e5, 9e6))),
		&fileOp{PrevPath: "/var/log/syslog"})
	dests := linuxDests
	if c.h.osDist == "RedHat" {
		dests = rhelDests
	}
	t = c.randomTime(6, 7)
	apt := c.spawn(s.systemd, img("apt-get"), "/usr/bin/apt-get -qq -y update", t, root)
	for i, d := range dests[:2] {
		c.connect(c.newProc(apt, img("http"), "/usr/lib/apt/methods/http", add(t, time.Second), root), add(t, time.Duration(2+i)*time.Second), "ConnectionSuccess", d.IP, d.Port, d.URL)
	}
	c.stream(s.mdatp, c.d, c.dayEnd(), 12*time.Minute, mdatpDests, false)
	c.stream(s.systemd, c.d, c.dayEnd(), 4*time.Hour, dests[2:], false)
	c.adminSSH()
}

// adminSSH is an administrator logging in from the jump host to check on
// a server.
func (c *hctx) adminSSH() {
	if c.h.kind == kindDevBox || !isWorkday(c.day) || !c.r.chance(0.6) {
		return
	}
	f := c.g.fleet
	u := pick(c.r, f.admins)
	jump := f.first(kindJump)
	t := c.randomTime(9, 17)
	acct := linuxUser(c.h, u.Name)
	if c.r.chance(0.1) {
		c.logon(add(t, -30*time.Second), logonEv{action: "LogonFailed", ltype: "Network", proto: "", failure: "InvalidUserNameOrPassword",
			acct: acct, remoteIP: jump.IP, remotePort: c.r.between(49152, 65535), init: c.h.sys.sshd})
	}
	c.accept(c.h.sys.sshd, add(t, -time.Second), jump.IP, c.r.between(49152, 65535), 22)
	c.logon(t, logonEv{action: "LogonSuccess", ltype: "Network", acct: acct, remoteIP: jump.IP, remotePort: c.r.between(49152, 65535), init: c.h.sys.sshd})
	priv := c.spawn(c.h.sys.sshd, img("sshd"), "sshd: "+u.Name+" [priv]", add(t, 100*time.Millisecond), c.h.rootAccount())
	sh := c.spawn(priv, img("bash"), "-bash", add(t, 400*time.Millisecond), acct)
	c.h.sessions = append(c.h.sessions, session{acct, t, add(t, 30*time.Minute)})
	cmds := [][2]string{{"df", "df -h"}, {"uname", "uname -a"}, {"ps", "ps aux"}, {"tail", "tail -n 200 /var/log/syslog"},
		{"journalctl", "journalctl -u nginx --since today"}, {"systemctl", "systemctl status --no-pager"}, {"grep", "grep -i error /var/log/syslog"}}
	at := t
	for range c.r.between(2, 6) {
		at = add(at, c.r.dur(10*time.Second, 3*time.Minute))
		x := pick(c.r, cmds)
		if c.r.chance(0.3) {
			sudo := c.spawn(sh, img("sudo"), "sudo "+x[1], at, acct)
			c.spawn(sudo, img(x[0]), x[1], add(at, 200*time.Millisecond), c.h.rootAccount())
			continue
		}
		c.spawn(sh, img(x[0]), x[1], at, acct)
	}
}

func (c *hctx) webDay() {
	s := &c.h.sys
	wwwData := linuxUser(c.h, "www-data")
	worker := c.newProc(s.nginx, img("nginx"), "nginx: worker process", c.h.boot, wwwData)
	app := c.g.fleet.first(kindApp)
	for t := add(c.d, c.r.exp(80*time.Second)); t < c.dayEnd(); t = add(t, c.r.exp(webGap(t))) {
		c.accept(worker, t, pick(c.r, webClients), c.r.between(1024, 65535), 443)
		if app != nil && c.r.chance(0.3) {
			c.connect(worker, add(t, 20*time.Millisecond), "ConnectionSuccess", app.IP, 8443, "")
			c.peer(app).accept(app.sys.java, add(t, 21*time.Millisecond), c.h.IP, c.ephemeral(), 8443)
		}
	}
	// The internet's SSH background noise: a few guesses a day.
	for range c.r.between(2, 6) {
		ip := pick(c.r, webClients[6:])
		t := c.randomTime(0, 24)
		for i := range c.r.between(1, 4) {
			at := add(t, time.Duration(i)*c.r.dur(2*time.Second, 20*time.Second))
			c.accept(s.sshd, at, ip, c.r.between(30000, 65535), 22)
			c.logon(add(at, 2*time.Second), logonEv{action: "LogonFailed", ltype: "Network", failure: "InvalidUserNameOrPassword",
				acct: linuxUser(c.h, pick(c.r, []string{"root", "admin", "ubuntu", "user"})), remoteIP: ip, remotePort: c.r.between(30000, 65535), init: s.sshd})
		}
	}
}

// webGap is the mean gap between web visitors: busier by day.
func webGap(t value.Datetime) time.Duration {
	h := t.Time().In(companyZone).Hour()
	if h >= 8 && h < 20 {
		return 50 * time.Second
	}
	return 4 * time.Minute
}

func (c *hctx) appDay() {
	sql := c.g.fleet.first(kindSQL)
	p := c.peer(sql)
	for t := add(c.d, c.r.exp(6*time.Minute)); t < c.dayEnd(); t = add(t, c.r.exp(6*time.Minute)) {
		c.connect(c.h.sys.java, t, "ConnectionSuccess", sql.IP, 1433, "")
		p.accept(sql.sys.sql, add(t, time.Millisecond), c.h.IP, c.ephemeral(), 1433)
	}
}

// scannerDay is the vulnerability scanner's nightly credentialed sweep of
// a rotating slice of the fleet.
func (c *hctx) scannerDay() {
	f := c.g.fleet
	s := &c.h.sys
	scanUser := linuxUser(c.h, "nessus")
	sc := c.spawn(s.nessus, img("nessusd"), "/opt/nessus/sbin/nessusd -q --scan=weekly-internal", clock(c.day, 1, 0), scanUser)
	t := clock(c.day, 1, c.r.between(1, 10))
	for i, h := range f.hosts {
		if h == c.h || (i+c.dayIdx)%3 != 0 {
			continue
		}
		p := c.peer(h)
		for _, port := range []int{22, 80, 135, 139, 443, 445, 1433, 3389, 5985, 8443} {
			t = add(t, c.r.dur(50*time.Millisecond, 2*time.Second))
			open := scanOpen(h, port)
			action := "ConnectionFailed"
			if open {
				action = "ConnectionSuccess"
			}
			c.connect(sc, t, action, h.IP, port, "")
			if open && listener(h, port) != nil {
				p.accept(listener(h, port), add(t, time.Millisecond), c.h.IP, c.ephemeral(), port)
			}
		}
		if h.linux {
			continue
		}
		t = add(t, c.r.dur(time.Second, 5*time.Second))
		p.logon(t, logonEv{action: "LogonSuccess", ltype: "Network", proto: "NTLM", acct: f.svcScan, remoteIP: c.h.IP,
			remoteDev: c.h.Name, remotePort: c.ephemeral(), admin: true})
		if c.r.chance(0.25) {
			p.logon(add(t, time.Second), logonEv{action: "LogonFailed", ltype: "Network", proto: "NTLM", failure: "InvalidUserNameOrPassword",
				acct: &account{Domain: h.Name, Name: "administrator"}, remoteIP: c.h.IP, remoteDev: c.h.Name, remotePort: c.ephemeral()})
		}
	}
}

// scanOpen says whether a port answers on a host.
func scanOpen(h *host, port int) bool {
	switch port {
	case 22:
		return h.linux
	case 135, 139, 445, 5985:
		return !h.linux
	case 3389:
		return !h.linux && h.Role != "workstation" || h.Name == "windows-target-1"
	case 443:
		return h.kind == kindWeb || h.kind == kindSCCM
	case 1433:
		return h.kind == kindSQL
	case 8443:
		return h.kind == kindApp
	}
	return false
}

// listener returns the process that accepts connections on a port.
func listener(h *host, port int) *proc {
	s := &h.sys
	switch port {
	case 22:
		return s.sshd
	case 135:
		return s.netsvc
	case 139, 445, 443:
		if h.linux {
			return s.nginx
		}
		return s.system
	case 3389:
		return s.termsvc
	case 1433:
		return s.sql
	case 8443:
		return s.java
	case 5985:
		return s.system
	}
	return nil
}

func (c *hctx) devboxDay() {
	u := c.h.owner
	p := c.g.today[u.idx]
	if !p.work {
		return
	}
	acct := linuxUser(c.h, u.Name)
	c.logon(p.arrive, logonEv{action: "LogonSuccess", ltype: "Interactive", acct: acct, init: c.h.sys.systemd})
	c.h.sessions = append(c.h.sessions, session{acct, p.arrive, p.leave})
	sh := c.spawn(c.h.sys.systemd, img("bash"), "/usr/bin/bash", add(p.arrive, 30*time.Second), acct)
	for _, s := range p.activeSpans(c.r) {
		c.stream(sh, s[0], s[1], 6*time.Minute, devDests, false)
		for t := add(s[0], c.r.exp(25*time.Minute)); t < s[1]; t = add(t, c.r.exp(25*time.Minute)) {
			x := pick(c.r, [][2]string{{"git", "git pull --rebase"}, {"git", "git status"}, {"python3.10", "python3 -m pytest -q"},
				{"grep", "grep -rn TODO src/"}, {"vim.basic", "vim src/routes/planner.py"}, {"ls", "ls -la"}})
			pr := c.spawn(sh, img(x[0]), x[1], t, acct)
			if x[0] == "git" && x[1] == "git pull --rebase" {
				c.connect(pr, add(t, time.Second), "ConnectionSuccess", devDests[0].IP, 443, devDests[0].URL)
			}
		}
	}
}
