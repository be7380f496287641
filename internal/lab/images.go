package lab

// This file holds the executables the fleet runs: their paths, version
// resources, signers and stable hashes, and the process model built on
// them.

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

// file is a file as MDE describes it. Path is the full path including the
// name, as FolderPath shows it.
type file struct {
	Name, Path string
	lowerPath  string // InitiatingProcessFolderPath spells Windows paths in lower case
	digest
	Size              int64
	ver               *verInfo // nil for files without a version resource
	signer, sigStatus string
}

// verInfo is a PE version resource.
type verInfo struct{ Company, Product, Version, Internal, Original, Description string }

// proc is a running process.
type proc struct {
	Img                  *file
	PID                  int64
	Cmd                  string
	Created              value.Datetime
	Acct                 *account
	Integrity, Elevation string
	LogonID, Session     int64
	Parent               *proc
	RemoteDev, RemoteIP  string // origin of a remote (RDP) session
	UniqueID             string
}

// uniqueID derives InitiatingProcessUniqueId from a process's identity.
func uniqueID(p *proc) string {
	x := uint64(p.Created)*0x9e3779b97f4a7c15 ^ uint64(p.PID)*0xbf58476d1ce4e5b9
	return strconv.FormatUint(x>>12, 10)
}

const (
	msCorp  = "Microsoft Corporation"
	msWinOS = "Microsoft® Windows® Operating System"
	winVer  = "10.0.22621.4317"
	sys32   = `C:\Windows\System32\`
)

type imageDef struct {
	path, company, product, version, desc string
	size                                  int64
	signer                                string
}

// winSys is a Windows system binary in System32.
func winSys(name, desc string, size int64) imageDef {
	return imageDef{sys32 + name, msCorp, msWinOS, winVer, desc, size, "OsVendor"}
}

var imageDefs = []imageDef{
	{path: "System"},
	winSys("smss.exe", "Windows Session Manager", 184320),
	winSys("csrss.exe", "Client Server Runtime Process", 22016),
	winSys("wininit.exe", "Windows Start-Up Application", 541184),
	winSys("services.exe", "Services and Controller app", 738112),
	winSys("lsass.exe", "Local Security Authority Process", 85328),
	winSys("winlogon.exe", "Windows Logon Application", 925696),
	winSys("svchost.exe", "Host Process for Windows Services", 57360),
	winSys("userinit.exe", "Userinit Logon Application", 33792),
	{`C:\Windows\explorer.exe`, msCorp, msWinOS, winVer, "Windows Explorer", 5505624, "OsVendor"},
	winSys("taskhostw.exe", "Host Process for Windows Tasks", 99328),
	winSys("RuntimeBroker.exe", "Runtime Broker", 143360),
	winSys("dllhost.exe", "COM Surrogate", 21312),
	winSys("conhost.exe", "Console Window Host", 1003520),
	winSys("cmd.exe", "Windows Command Processor", 323584),
	{sys32 + `WindowsPowerShell\v1.0\powershell.exe`, msCorp, msWinOS, winVer, "Windows PowerShell", 450560, "OsVendor"},
	{sys32 + `WindowsPowerShell\v1.0\powershell_ise.exe`, msCorp, msWinOS, winVer, "Windows PowerShell ISE", 257024, "OsVendor"},
	winSys("rundll32.exe", "Windows host process (Rundll32)", 71680),
	winSys("reg.exe", "Registry Console Tool", 77824),
	winSys("schtasks.exe", "Task Scheduler Configuration Tool", 235520),
	winSys("sc.exe", "Service Control Manager Configuration Tool", 69632),
	winSys("net.exe", "Net Command", 59904),
	winSys("net1.exe", "Net Command", 178176),
	winSys("whoami.exe", "whoami - displays logged on user information", 90112),
	winSys("nltest.exe", "Microsoft® Logon Server Test Utility", 548352),
	winSys("ipconfig.exe", "IP Configuration Utility", 35840),
	winSys("systeminfo.exe", "Displays system information", 98304),
	winSys("tasklist.exe", "Lists the current running tasks", 98816),
	winSys("quser.exe", "Query User Utility", 27648),
	winSys("nslookup.exe", "nslookup", 98304),
	winSys("certutil.exe", "CertUtil.exe", 1651712),
	winSys("bitsadmin.exe", "BITS administration utility", 206848),
	winSys("vssadmin.exe", "Command Line Interface for Microsoft® Volume Shadow Copy Service", 139264),
	{sys32 + `wbem\WMIC.exe`, msCorp, msWinOS, winVer, "WMI Commandline Utility", 571392, "OsVendor"},
	{sys32 + `wbem\WmiPrvSE.exe`, msCorp, msWinOS, winVer, "WMI Provider Host", 496640, "OsVendor"},
	winSys("bcdedit.exe", "Boot Configuration Data Editor", 425984),
	winSys("gpupdate.exe", "Microsoft® Windows Group Policy Update Utility", 30720),
	winSys("consent.exe", "Consent UI for administrative applications", 159744),
	winSys("SearchIndexer.exe", "Microsoft Windows Search Indexer", 1031168),
	winSys("SearchProtocolHost.exe", "Microsoft Windows Search Protocol Host", 425984),
	winSys("sihost.exe", "Shell Infrastructure Host", 110592),
	winSys("ctfmon.exe", "CTF Loader", 20480),
	winSys("mstsc.exe", "Remote Desktop Connection", 1392640),
	winSys("rdpclip.exe", "RDP Clipboard Monitor", 423936),
	winSys("Robocopy.exe", "Microsoft Robocopy", 135168),
	winSys("mmc.exe", "Microsoft Management Console", 2005504),
	winSys("usoclient.exe", "UsoClient", 63488),
	winSys("MoUsoCoreWorker.exe", "MoUSO Core Worker Process", 1626112),
	{`C:\Windows\WinSxS\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4313_none_70b4a1ee45c4ea1b\TiWorker.exe`, msCorp, msWinOS, winVer, "Windows Modules Installer Worker", 228352, "OsVendor"},
	{`C:\Windows\servicing\TrustedInstaller.exe`, msCorp, msWinOS, winVer, "Windows Modules Installer", 161280, "OsVendor"},
	winSys("spoolsv.exe", "Spooler SubSystem App", 958464),
	winSys("SecurityHealthSystray.exe", "Windows Security notification icon", 80384),
	winSys("backgroundTaskHost.exe", "Background Task Host", 19456),
	winSys("CompatTelRunner.exe", "Microsoft Compatibility Telemetry", 221184),
	winSys("wermgr.exe", "Windows Problem Reporting", 213520),
	winSys("dns.exe", "Domain Name System (DNS) Server", 2453504),
	winSys("wbadmin.exe", "Command Line Interface for Microsoft® BLB Backup", 245760),
	winSys("notepad.exe", "Notepad", 201216),
	winSys("wevtutil.exe", "Eventing Command Line Utility", 285696),
	{`C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe`, msCorp, "Microsoft Malware Protection", "4.18.24090.11", "Antimalware Service Executable", 133576, "Microsoft"},
	{`C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MpCmdRun.exe`, msCorp, "Microsoft Malware Protection", "4.18.24090.11", "Microsoft Malware Protection Command Line Utility", 1548104, "Microsoft"},
	{`C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe`, msCorp, msWinOS, "10.8760.22631.4317", "Windows Defender Advanced Threat Protection Service Executable", 4845232, "Microsoft"},
	{`C:\Program Files\Windows Defender Advanced Threat Protection\SenseIR.exe`, msCorp, msWinOS, "10.8760.22631.4317", "Windows Defender Advanced Threat Protection Automated Investigation and Remediation", 3313360, "Microsoft"},
	{`C:\Windows\CCM\CcmExec.exe`, msCorp, "System Center Configuration Manager", "5.0.9128.1000", "Host Process for Microsoft Configuration Manager", 3102600, "Microsoft"},
	{`C:\Program Files (x86)\Microsoft Intune Management Extension\Microsoft.Management.Services.IntuneWindowsAgent.exe`, msCorp, "Microsoft Intune Management Extension", "1.83.107.0", "Microsoft.Management.Services.IntuneWindowsAgent", 71600, "Microsoft"},
	{`C:\Program Files (x86)\Microsoft Intune Management Extension\AgentExecutor.exe`, msCorp, "Microsoft Intune Management Extension", "1.83.107.0", "AgentExecutor", 42936, "Microsoft"},
	{`C:\Program Files\Google\Chrome\Application\chrome.exe`, "Google LLC", "Google Chrome", "130.0.6723.92", "Google Chrome", 2998048, "ThirdParty"},
	{`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, msCorp, "Microsoft Edge", "130.0.2849.68", "Microsoft Edge", 4193704, "Microsoft"},
	{`C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`, msCorp, "Microsoft Outlook", "16.0.17928.20216", "Microsoft Outlook", 42945880, "Microsoft"},
	{`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, msCorp, "Microsoft Office", "16.0.17928.20216", "Microsoft Word", 1637224, "Microsoft"},
	{`C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE`, msCorp, "Microsoft Office", "16.0.17928.20216", "Microsoft Excel", 70229864, "Microsoft"},
	{`C:\Program Files\Microsoft Office\root\Office16\POWERPNT.EXE`, msCorp, "Microsoft Office", "16.0.17928.20216", "Microsoft PowerPoint", 1883496, "Microsoft"},
	{`C:\Program Files\Common Files\microsoft shared\ClickToRun\OfficeClickToRun.exe`, msCorp, "Microsoft Office", "16.0.17928.20216", "Microsoft Office Click-to-Run", 11851136, "Microsoft"},
	{`C:\Program Files\WindowsApps\MSTeams_24277.3502.3161.3007_x64__8wekyb3d8bbwe\ms-teams.exe`, msCorp, "Microsoft Teams", "24277.3502.3161.3007", "Microsoft Teams", 1094984, "Microsoft"},
	{`C:\Program Files\Microsoft OneDrive\OneDrive.exe`, msCorp, "Microsoft OneDrive", "24.201.1006.0005", "Microsoft OneDrive", 3713608, "Microsoft"},
	{`C:\Program Files (x86)\Google\Update\GoogleUpdate.exe`, "Google LLC", "Google Update", "1.3.36.372", "Google Installer", 158672, "ThirdParty"},
	{`C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe`, msCorp, "Microsoft Edge Update", "1.3.195.31", "Microsoft Edge Update", 205648, "Microsoft"},
	{`C:\Program Files\7-Zip\7z.exe`, "Igor Pavlov", "7-Zip", "23.01", "7-Zip Console", 545280, "ThirdParty"},
	{`C:\Tools\Sysinternals\PsExec64.exe`, "Sysinternals - www.sysinternals.com", "Sysinternals PsExec", "2.43", "Execute processes remotely", 833472, "ThirdParty"},
	{`C:\Windows\PSEXESVC.exe`, "Sysinternals - www.sysinternals.com", "Sysinternals PsExec", "2.43", "PsExec Service", 197096, "ThirdParty"},
	{`C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe`, msCorp, "Microsoft SQL Server", "2022.160.4135.4", "SQL Server Windows NT - 64 Bit", 524216, "Microsoft"},
	{`C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\SQLAGENT.EXE`, msCorp, "Microsoft SQL Server", "2022.160.4135.4", "SQLAGENT - SQL Server Agent", 755640, "Microsoft"},
	{`C:\Program Files\Microsoft SQL Server\Client SDK\ODBC\170\Tools\Binn\SQLCMD.EXE`, msCorp, "Microsoft SQL Server", "2022.160.4135.4", "T-SQL execution command line utility", 322488, "Microsoft"},
	{`C:\Program Files\Microsoft Configuration Manager\bin\X64\smsexec.exe`, msCorp, "System Center Configuration Manager", "5.0.9128.1000", "SMS Executive", 2631048, "Microsoft"},
	// Linux.
	{path: "/usr/lib/systemd/systemd", size: 1849792},
	{path: "/usr/sbin/cron", size: 55944},
	{path: "/usr/sbin/sshd", size: 921416},
	{path: "/usr/bin/bash", size: 1396520},
	{path: "/usr/bin/dash", size: 125688},
	{path: "/usr/bin/sudo", size: 232416},
	{path: "/usr/bin/apt-get", size: 18824},
	{path: "/usr/lib/apt/methods/http", size: 84424},
	{path: "/usr/bin/dpkg", size: 305104},
	{path: "/usr/sbin/logrotate", size: 96536},
	{path: "/usr/bin/run-parts", size: 27024},
	{path: "/usr/bin/python3.10", size: 5912968},
	{path: "/usr/sbin/nginx", size: 1196584},
	{path: "/usr/lib/postgresql/14/bin/postgres", size: 9212232},
	{path: "/usr/lib/jvm/java-17-openjdk/bin/java", size: 12856},
	{path: "/usr/bin/curl", size: 260328},
	{path: "/usr/bin/ls", size: 138216},
	{path: "/usr/bin/grep", size: 186392},
	{path: "/usr/bin/ps", size: 137688},
	{path: "/usr/bin/vim.basic", size: 3703432},
	{path: "/usr/bin/tail", size: 68696},
	{path: "/usr/bin/systemctl", size: 1044656},
	{path: "/usr/bin/journalctl", size: 80032},
	{path: "/usr/bin/find", size: 282088},
	{path: "/usr/bin/tar", size: 531584},
	{path: "/usr/bin/gzip", size: 98216},
	{path: "/usr/bin/git", size: 4051928},
	{path: "/usr/bin/rsync", size: 531312},
	{path: "/usr/bin/df", size: 84472},
	{path: "/usr/bin/uname", size: 35208},
	{path: "/usr/bin/id", size: 39424},
	{path: "/usr/bin/chmod", size: 64448},
	{path: "/usr/bin/crontab", size: 47480},
	{path: "/opt/microsoft/mdatp/sbin/wdavdaemon", size: 6216712},
	{path: "/opt/nessus/sbin/nessusd", size: 12998760},
}

// images maps a file name (or Linux base name) to its file. Built once;
// read-only afterwards.
var images = buildImages()

func buildImages() map[string]*file {
	m := make(map[string]*file, len(imageDefs))
	for _, d := range imageDefs {
		f := newFile(d.path, d.path+"|"+d.version, d.size)
		if d.path == "System" {
			f = &file{Name: "System"}
		}
		if d.company != "" {
			f.ver = &verInfo{Company: d.company, Product: d.product, Version: d.version,
				Internal: originalName(f.Name), Original: originalName(f.Name), Description: d.desc}
			f.signer, f.sigStatus = d.signer, "Valid"
		}
		m[f.Name] = f
	}
	return m
}

// originalName is the OriginalFileName a binary's version resource carries.
func originalName(name string) string {
	switch strings.ToLower(name) {
	case "cmd.exe":
		return "Cmd.Exe"
	case "powershell.exe":
		return "PowerShell.EXE.MUI"
	case "rundll32.exe":
		return "RUNDLL32.EXE"
	case "net.exe":
		return "net.exe"
	}
	return name
}

// img returns the catalogued executable named name; unknown names are a
// programming error and panic.
func img(name string) *file {
	f, ok := images[name]
	if !ok {
		panic("lab: unknown image " + name)
	}
	return f
}

// newFile describes a file whose hashes derive from identity.
func newFile(path, identity string, size int64) *file {
	f := &file{Name: baseName(path), Path: path, digest: digestOf(identity), Size: size, lowerPath: path}
	if strings.Contains(path, `\`) {
		f.lowerPath = strings.ToLower(path)
	}
	return f
}

// baseName returns the last element of a Windows or Linux path.
func baseName(path string) string {
	if i := strings.LastIndexAny(path, `\/`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// dirOf returns the folder part of a path, without the trailing separator.
func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `\/`); i >= 0 {
		return path[:i]
	}
	return ""
}
