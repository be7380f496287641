package lab

// This file builds the devices: their roles, operating systems, addresses,
// Azure placement and the long-running processes every event hangs from.

import (
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// hostKind is what a device is for; it decides its background activity.
type hostKind uint8

const (
	kindWorkstation hostKind = iota // Windows desktop or laptop
	kindDevBox                      // Linux developer workstation
	kindDC                          // domain controller
	kindFile                        // Windows file server
	kindSQL                         // Windows SQL Server (Azure VM)
	kindJump                        // Windows admin jump host
	kindWeb                         // Linux nginx web server (Azure VM, internet facing)
	kindBackup                      // Windows backup target
	kindSCCM                        // Windows configuration manager
	kindScanner                     // Linux vulnerability scanner
	kindApp                         // Linux application server (Azure VM)
	kindAppWin                      // additional Windows application servers
)

// azureVM places a host in the Azure virtual network.
type azureVM struct {
	Name, RG, NIC, VNet, Subnet, Region, NSG, PublicIP string
}

// host is a device and everything generators need to know about it.
type host struct {
	Device
	kind                                     hostKind
	idx                                      int // position in the fleet
	linux, laptop, exposed                   bool
	platform, osVersion, osDist, osVerInfo   string
	clientVersion, model, vendor, deviceType string
	build                                    int64
	group, mac, aadID, aadObj                string
	owner                                    *user
	vm                                       *azureVM
	boot                                     value.Datetime
	sys                                      sysProcs
	helpdesk                                 *account // local administrator account
	machine                                  *account // the computer's domain account
	pidRNG                                   *rng
	linuxPID, logonSeq                       int64
	linuxAccts                               map[string]*account
	sessions                                 []session // who is logged on, on the day being generated
}

// sysProcs are a device's long-running processes, started at boot.
type sysProcs struct {
	system, smss, wininit, services, lsass, winlogon          *proc
	schedule, dcom, dnscache, termsvc, wuauserv, bits, netsvc *proc
	defender, sense, ccm, ime, spooler, sql, sqlagent, dns    *proc
	search, sysmain                                           *proc
	systemd, cron, sshd, mdatp, nginx, postgres, java, nessus *proc
}

type serverSpec struct {
	name   string
	kind   hostKind
	crit   int
	minDev int // only in fleets of at least this many devices
}

// servers lists the fixed server estate in the order devices are assigned.
var servers = []serverSpec{
	{"dc-01", kindDC, 5, 0},
	{"srv-fs-01", kindFile, 4, 0},
	{"srv-sql-01", kindSQL, 4, 0},
	{"srv-jump-01", kindJump, 4, 0},
	{"srv-web-01", kindWeb, 3, 0},
	{"srv-backup-01", kindBackup, 4, 0},
	{"srv-sccm-01", kindSCCM, 3, 0},
	{"srv-scan-01", kindScanner, 2, 0},
	{"dc-02", kindDC, 5, 20},
	{"srv-app-01", kindApp, 3, 24},
}

// minDevices is the smallest fleet the scenarios can be planted in.
const minDevices = 12

func (f *fleet) makeHosts(g *rng, n int) {
	var hs []*host
	for _, s := range servers {
		if n >= s.minDev {
			hs = append(hs, &host{kind: s.kind, Device: Device{Name: s.name, Criticality: s.crit}})
		}
	}
	for i := 2; len(hs) < n/7; i++ {
		hs = append(hs, &host{kind: kindAppWin, Device: Device{Name: fmt.Sprintf("srv-app-%02d", i), Criticality: 2}})
	}
	nServers := len(hs)
	// Workstations: windows-target-1 first, then one per user.
	perDept := map[string]int{}
	for i := 0; len(hs) < n; i++ {
		u := f.users[i%len(f.users)]
		h := &host{kind: kindWorkstation, owner: u, Device: Device{Criticality: 1}}
		switch {
		case i == 0:
			u = f.users[3%len(f.users)]
			h.owner, h.Name = u, "windows-target-1"
		case i == 5 && n >= 20:
			h.kind, h.Name = kindDevBox, "dev-ubuntu-01"
			u = f.userInDept("Engineering", u)
			h.owner = u
		default:
			if i <= 3 {
				u = f.users[i-1]
				h.owner = u
			}
			code := deptCode(u.Dept)
			perDept[code]++
			h.Name = fmt.Sprintf("wks-%s-%02d", code, perDept[code])
		}
		if h.owner.ws == nil {
			h.owner.ws = h
		}
		hs = append(hs, h)
	}
	for i, h := range hs {
		h.idx = i
		f.fillHost(g, h, i, i-nServers)
		if _, ok := f.byKind[kindKey(h.kind)]; !ok {
			f.byKind[kindKey(h.kind)] = h
		}
	}
	f.hosts = hs
}

func kindKey(k hostKind) string { return fmt.Sprint(uint8(k)) }

// first returns the first host of a kind.
func (f *fleet) first(k hostKind) *host { return f.byKind[kindKey(k)] }

func (f *fleet) userInDept(dept string, fallback *user) *user {
	for _, u := range f.users {
		if u.Dept == dept && u.ws == nil {
			return u
		}
	}
	return fallback
}

// fillHost sets a host's identity, OS and placement.
func (f *fleet) fillHost(g *rng, h *host, i, wsIndex int) {
	h.ID = g.hex(40)
	h.aadID, h.aadObj = g.guid(), g.guid()
	h.pidRNG = newRNG(int64(g.r.Uint64()), "pids")
	h.linuxPID = int64(g.between(900, 2500))
	h.logonSeq = int64(g.between(0x100000, 0x900000))
	h.Role = "server"
	h.deviceType = "Server"
	switch h.kind {
	case kindWorkstation, kindDevBox:
		h.Role, h.deviceType = "workstation", "Workstation"
		h.IP = fmt.Sprintf("10.10.%d.%d", 20+wsIndex/200, 20+wsIndex%200)
		h.laptop = g.chance(0.7)
	case kindDC:
		h.Role = "domain-controller"
	}
	if h.IP == "" {
		h.IP = fmt.Sprintf("10.10.1.%d", 10+i)
	}
	switch h.kind {
	case kindSQL, kindWeb, kindApp:
		vm := &azureVM{Name: h.Name, RG: "rg-prod-eastus", NIC: h.Name + "-nic", VNet: "vnet-prod-eastus", Region: "eastus"}
		switch h.kind {
		case kindWeb:
			vm.Subnet, vm.NSG, vm.PublicIP = "snet-web", "nsg-web", "192.0.2.50"
			h.exposed = true
		case kindSQL:
			vm.Subnet, vm.NSG, vm.PublicIP = "snet-data", "nsg-data", "192.0.2.51"
		default:
			vm.Subnet, vm.NSG, vm.PublicIP = "snet-app", "nsg-app", "192.0.2.52"
		}
		h.vm = vm
		h.IP = fmt.Sprintf("10.50.1.%d", 4+i)
		h.mac = fmt.Sprintf("00-0D-3A-%02X-%02X-%02X", g.intn(256), g.intn(256), g.intn(256))
	default:
		h.mac = fmt.Sprintf("%s-%02X-%02X-%02X", pick(g, []string{"F8-75-A4", "54-BF-64", "00-50-56", "3C-52-82"}), g.intn(256), g.intn(256), g.intn(256))
	}
	h.machine = &account{Domain: netbios, Name: h.Name + "$", Sid: fmt.Sprintf("%s-%d", domainSID, 2001+i)}
	f.setOS(g, h)
	h.OS = h.platform
	h.helpdesk = &account{Domain: h.Name, Name: "helpdesk",
		Sid: fmt.Sprintf("S-1-5-21-%d-%d-%d-1001", g.between(1e9, 4e9), g.between(1e9, 4e9), g.between(1e9, 4e9))}
}

func (f *fleet) setOS(g *rng, h *host) {
	switch h.kind {
	case kindWorkstation:
		h.group, h.model = "Workstations", pick(g, []string{"Latitude 7440", "Latitude 5540", "ThinkPad T14 Gen 4", "OptiPlex 7010"})
		h.vendor = "Dell Inc."
		if h.model[0] == 'T' {
			h.vendor = "Lenovo"
		}
		if g.chance(0.8) {
			h.platform, h.osVersion, h.osVerInfo, h.build = "Windows11", "10.0", "23H2", 22631
		} else {
			h.platform, h.osVersion, h.osVerInfo, h.build = "Windows10", "10.0", "22H2", 19045
		}
		h.clientVersion = fmt.Sprintf("10.8760.%d.%d", h.build, g.between(4000, 4400))
	case kindDevBox, kindWeb, kindScanner:
		h.linux, h.group = true, "Linux servers"
		h.platform, h.osDist, h.osVersion, h.osVerInfo = "Linux", "Ubuntu", "22.04", "22.04.4 LTS (Jammy Jellyfish)"
		if h.kind == kindDevBox {
			h.group = "Workstations"
		}
		h.clientVersion = "101.24082.0004"
	case kindApp:
		h.linux, h.group = true, "Linux servers"
		h.platform, h.osDist, h.osVersion, h.osVerInfo = "Linux", "RedHat", "9.4", "9.4 (Plow)"
		h.clientVersion = "101.24082.0004"
	case kindDC:
		h.group = "Domain Controllers"
		h.platform, h.osVersion, h.osVerInfo, h.build = "WindowsServer2022", "10.0", "21H2", 20348
	default:
		h.group = "Servers"
		h.platform, h.osVersion, h.osVerInfo, h.build = "WindowsServer2022", "10.0", "21H2", 20348
	}
	if h.build >= 20348 && h.build < 22000 {
		h.clientVersion = fmt.Sprintf("10.8760.%d.%d", h.build, g.between(2500, 2800))
	}
	switch {
	case h.vm != nil:
		h.model, h.vendor = "Virtual Machine", "Microsoft Corporation"
	case h.Role != "workstation":
		h.model, h.vendor = "VMware Virtual Platform", "VMware, Inc."
	case h.kind == kindDevBox:
		h.model, h.vendor = "Precision 3581", "Dell Inc."
	}
}

// nextPID returns a fresh process id in the host's style.
func (h *host) nextPID() int64 {
	if h.linux {
		h.linuxPID += int64(h.pidRNG.between(1, 40))
		if h.linuxPID > 4194000 {
			h.linuxPID = 1000
		}
		return h.linuxPID
	}
	return int64(h.pidRNG.between(100, 12000)) * 4
}

// nextLogonID returns a fresh logon session id.
func (h *host) nextLogonID() int64 {
	h.logonSeq += int64(h.pidRNG.between(0x200, 0x9000))
	return h.logonSeq
}

// Well-known logon ids of the built-in service identities.
const (
	logonSystem         = 0x3e7
	logonLocalService   = 0x3e5
	logonNetworkService = 0x3e4
)

// startSystem creates the host's boot-time processes. They are not
// reported (they started before the window) but every later event
// descends from them.
func (h *host) startSystem(boot value.Datetime) {
	h.boot = boot
	at := func(d time.Duration) value.Datetime { return boot + value.Datetime(d/100) }
	if h.linux {
		h.startLinux(at)
		return
	}
	s := &h.sys
	s.system = &proc{Img: img("System"), PID: 4, Created: boot, Acct: acctSystem, LogonID: logonSystem, Integrity: "System"}
	s.smss = h.bootProc(s.system, "smss.exe", `\SystemRoot\System32\smss.exe`, at(2*time.Second))
	s.wininit = h.bootProc(s.smss, "wininit.exe", "wininit.exe", at(5*time.Second))
	s.services = h.bootProc(s.wininit, "services.exe", `C:\Windows\system32\services.exe`, at(6*time.Second))
	s.lsass = h.bootProc(s.wininit, "lsass.exe", `C:\Windows\system32\lsass.exe`, at(6*time.Second))
	s.winlogon = h.bootProc(s.smss, "winlogon.exe", "winlogon.exe", at(5*time.Second))
	s.winlogon.Session = 1
	svc := func(args string, d time.Duration) *proc {
		return h.bootProc(s.services, "svchost.exe", `C:\Windows\system32\svchost.exe `+args, at(d))
	}
	s.dcom = svc("-k DcomLaunch -p", 8*time.Second)
	s.schedule = svc("-k netsvcs -p -s Schedule", 10*time.Second)
	s.netsvc = svc("-k netsvcs -p", 10*time.Second)
	s.dnscache = svc("-k NetworkService -p -s Dnscache", 9*time.Second)
	s.dnscache.Acct, s.dnscache.LogonID = acctNetworkService, logonNetworkService
	s.termsvc = svc("-k NetworkService -s TermService", 11*time.Second)
	s.termsvc.Acct, s.termsvc.LogonID = acctNetworkService, logonNetworkService
	s.wuauserv = svc("-k netsvcs -p -s wuauserv", 40*time.Second)
	s.bits = svc("-k netsvcs -p -s BITS", 42*time.Second)
	s.spooler = h.bootProc(s.services, "spoolsv.exe", `C:\Windows\System32\spoolsv.exe`, at(12*time.Second))
	s.defender = h.bootProc(s.services, "MsMpEng.exe", `"C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe"`, at(9*time.Second))
	s.sense = h.bootProc(s.services, "MsSense.exe", `"C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe"`, at(15*time.Second))
	s.ccm = h.bootProc(s.services, "CcmExec.exe", `C:\Windows\CCM\CcmExec.exe`, at(30*time.Second))
	if h.kind == kindWorkstation {
		s.search = h.bootProc(s.services, "SearchIndexer.exe", `C:\Windows\system32\SearchIndexer.exe /Embedding`, at(33*time.Second))
		s.sysmain = svc("-k LocalSystemNetworkRestricted -p -s SysMain", 13*time.Second)
		s.ime = h.bootProc(s.services, "Microsoft.Management.Services.IntuneWindowsAgent.exe",
			`"C:\Program Files (x86)\Microsoft Intune Management Extension\Microsoft.Management.Services.IntuneWindowsAgent.exe"`, at(35*time.Second))
	}
	switch h.kind {
	case kindSQL:
		s.sql = h.bootProc(s.services, "sqlservr.exe", `"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER`, at(20*time.Second))
		s.sqlagent = h.bootProc(s.services, "SQLAGENT.EXE", `"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\SQLAGENT.EXE" -i MSSQLSERVER`, at(25*time.Second))
	case kindDC:
		s.dns = h.bootProc(s.services, "dns.exe", `C:\Windows\system32\dns.exe`, at(14*time.Second))
	}
}

func (h *host) startLinux(at func(time.Duration) value.Datetime) {
	s := &h.sys
	root := h.rootAccount()
	s.systemd = &proc{Img: img("systemd"), PID: 1, Cmd: "/sbin/init splash", Created: h.boot, Acct: root}
	lp := func(name, cmd string, d time.Duration, acct *account) *proc {
		p := &proc{Img: img(name), PID: h.nextPID(), Cmd: cmd, Created: at(d), Acct: acct, Parent: s.systemd}
		p.UniqueID = uniqueID(p)
		return p
	}
	s.cron = lp("cron", "/usr/sbin/cron -f -P", 4*time.Second, root)
	s.sshd = lp("sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", 4*time.Second, root)
	s.mdatp = lp("wdavdaemon", "/opt/microsoft/mdatp/sbin/wdavdaemon", 6*time.Second, root)
	switch h.kind {
	case kindWeb:
		s.nginx = lp("nginx", "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;", 8*time.Second, root)
	case kindApp:
		s.java = lp("java", "/usr/lib/jvm/java-17-openjdk/bin/java -Xms2g -Xmx4g -jar /opt/tms/tms-api.jar --spring.profiles.active=prod", 12*time.Second, linuxUser(h, "tms"))
	case kindScanner:
		s.nessus = lp("nessusd", "/opt/nessus/sbin/nessusd -q", 10*time.Second, root)
	case kindDevBox:
		s.postgres = lp("postgres", "/usr/lib/postgresql/14/bin/postgres -D /var/lib/postgresql/14/main -c config_file=/etc/postgresql/14/main/postgresql.conf", 9*time.Second, linuxUser(h, "postgres"))
	}
}

// bootProc creates a long-running SYSTEM process.
func (h *host) bootProc(parent *proc, name, cmd string, t value.Datetime) *proc {
	p := &proc{Img: img(name), PID: h.nextPID(), Cmd: cmd, Created: t, Acct: acctSystem, LogonID: logonSystem,
		Integrity: "System", Elevation: "TokenElevationTypeDefault", Parent: parent}
	p.UniqueID = uniqueID(p)
	return p
}

// rootAccount is root on a Linux host: MDE reports the host as the domain.
func (h *host) rootAccount() *account { return linuxUser(h, "root") }

// linuxUser is a local Linux account on h; the same name gives the same
// account every time.
func linuxUser(h *host, name string) *account {
	if a, ok := h.linuxAccts[name]; ok {
		return a
	}
	if h.linuxAccts == nil {
		h.linuxAccts = map[string]*account{}
	}
	a := &account{Domain: h.Name, Name: name}
	h.linuxAccts[name] = a
	return a
}
