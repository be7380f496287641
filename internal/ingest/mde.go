package ingest

// This file holds what normalising Windows events into the Defender
// tables shares: the row header every Defender row gets (Timestamp,
// DeviceName as MDE writes it: the lower-case host name; a DeviceId and a
// ReportId synthesised from it), and the field transforms of the mapping
// in shared/data/attack-datasets/README.md.

import (
	"crypto/sha1"
	"encoding/hex"
	"net/netip"
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

// normalize maps a Windows event to the Defender tables, when it is one
// of the events the mapping covers; the event itself is always kept in
// its own table.
func (w *worker) normalize(e *winEvent) {
	switch {
	case isSysmon(e):
		w.sysmon(e)
	case strings.EqualFold(e.channel, "Security") || e.provider == "Microsoft-Windows-Security-Auditing":
		w.security(e)
	case strings.EqualFold(e.channel, "System") && e.eventID == 7045:
		w.serviceInstalled(e, "ImagePath", "StartType", "AccountName")
	case e.channel == "Microsoft-Windows-PowerShell/Operational" && e.eventID == 4103:
		w.powerShellCommand(e)
	}
}

func isSysmon(e *winEvent) bool {
	return e.channel == "Microsoft-Windows-Sysmon/Operational" || e.provider == "Microsoft-Windows-Sysmon"
}

// mdeRow starts a row of a Defender table for e at time ts.
func (w *worker) mdeRow(table string, e *winEvent, ts value.Datetime, ok bool, action string) *row {
	r := w.row(w.in.reg.table(table))
	device := strings.ToLower(e.computer)
	r.time("Timestamp", ts, ok)
	r.time("TimeGenerated", ts, ok)
	r.str("DeviceName", device)
	r.str("DeviceId", deviceID(device))
	r.str("ActionType", action)
	r.str("Type", table)
	r.set("ReportId", w.reportID(device))
	return r
}

// deviceID synthesises a stable DeviceId (40 hex digits, as MDE's) from
// the device name.
func deviceID(device string) string {
	if device == "" {
		return ""
	}
	sum := sha1.Sum([]byte(device))
	return hex.EncodeToString(sum[:])
}

// path sets a full path column and its file-name column (basename).
func (r *row) path(folderCol, fileCol, p string) {
	if p == "" || p == "-" {
		return
	}
	r.str(folderCol, p)
	r.str(fileCol, basename(p))
}

func basename(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// splitUser splits DOMAIN\user.
func splitUser(u string) (domain, name string) {
	if u == "" || u == "-" {
		return "", ""
	}
	if i := strings.IndexByte(u, '\\'); i >= 0 {
		return u[:i], u[i+1:]
	}
	return "", u
}

// user sets <prefix>AccountDomain and <prefix>AccountName from DOMAIN\user.
func (r *row) user(prefix, u string) {
	d, n := splitUser(u)
	r.str(prefix+"AccountDomain", d)
	r.str(prefix+"AccountName", n)
}

// hashes sets <prefix>SHA1, MD5 and SHA256 from Sysmon's
// "SHA1=…,MD5=…,SHA256=…,IMPHASH=…", lower-cased.
func (r *row) hashes(prefix, s string) {
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k = strings.ToUpper(k); k {
		case "SHA1", "MD5", "SHA256":
			r.str(prefix+k, strings.ToLower(v))
		}
	}
}

// initiating sets the InitiatingProcess columns from an image path, a
// process id and a DOMAIN\user.
func (r *row) initiating(image, pid, user string) {
	r.path("InitiatingProcessFolderPath", "InitiatingProcessFileName", image)
	r.long("InitiatingProcessId", pid)
	r.user("InitiatingProcess", user)
}

// extras sets AdditionalFields to the event's non-empty fields, named as
// in the event or renamed by "Field=Name".
func (r *row) extras(e *winEvent, names ...string) {
	kv := make([]string, 0, 2*len(names))
	for _, n := range names {
		from, to, renamed := strings.Cut(n, "=")
		if !renamed {
			to = from
		}
		kv = append(kv, to, e.get(from))
	}
	r.additional(kv...)
}

// additional sets AdditionalFields to a bag of the non-empty values of
// key, value pairs.
func (r *row) additional(kv ...string) {
	bag := value.NewBag(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			bag.Set(kv[i], kv[i+1])
		}
	}
	if bag.Len() > 0 {
		r.set("AdditionalFields", value.OfDynamic(bag))
	}
}

// ipType classifies an address as MDE's LocalIPType / RemoteIPType do.
func ipType(ip string) string {
	a, err := netip.ParseAddr(strings.Trim(ip, "[]"))
	if err != nil {
		return ""
	}
	switch {
	case a.Is4In6():
		return "FourToSixMapping"
	case a.IsLoopback():
		return "Loopback"
	case a.IsPrivate():
		return "Private"
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "Broadcast"
	case a.IsLinkLocalUnicast(), a.IsMulticast(), a.IsUnspecified(), a.IsLinkLocalMulticast():
		return "Reserved"
	case a.Is6() && strings.HasPrefix(strings.ToLower(a.String()), "2001:0:"):
		return "Teredo"
	}
	return "Public"
}

// expandHive rewrites Sysmon's short hive names as MDE spells them.
func expandHive(key string) string {
	for _, h := range [...][2]string{
		{`HKLM\`, `HKEY_LOCAL_MACHINE\`}, {`HKU\`, `HKEY_USERS\`},
		{`HKCU\`, `HKEY_CURRENT_USER\`}, {`HKCR\`, `HKEY_CLASSES_ROOT\`},
		{`\REGISTRY\MACHINE\`, `HKEY_LOCAL_MACHINE\`}, {`\REGISTRY\USER\`, `HKEY_USERS\`},
	} {
		if len(key) >= len(h[0]) && strings.EqualFold(key[:len(h[0])], h[0]) {
			return h[1] + key[len(h[0]):]
		}
	}
	switch strings.ToUpper(key) {
	case "HKLM", `\REGISTRY\MACHINE`:
		return "HKEY_LOCAL_MACHINE"
	case "HKU", `\REGISTRY\USER`:
		return "HKEY_USERS"
	}
	return key
}

// drivePath rewrites a \Device\HarddiskVolumeN\ path (Windows Filtering
// Platform and object-access events) with a drive letter. The volume's
// letter is not in the event; C: is assumed.
func drivePath(p string) string {
	const prefix = `\device\harddiskvolume`
	if len(p) <= len(prefix) || !strings.EqualFold(p[:len(prefix)], prefix) {
		return p
	}
	rest := p[len(prefix):]
	i := strings.IndexByte(rest, '\\')
	if i < 0 {
		return p
	}
	return `C:` + rest[i:]
}

func protocolName(p string) string {
	switch strings.ToLower(p) {
	case "tcp", "6":
		return "Tcp"
	case "udp", "17":
		return "Udp"
	case "icmp", "1":
		return "Icmp"
	case "icmpv6", "58":
		return "IcmpV6"
	}
	return p
}

// integrity maps Sysmon's IntegrityLevel and Security's MandatoryLabel.
func integrity(s string) string {
	switch s {
	case "S-1-16-4096":
		return "Low"
	case "S-1-16-8192":
		return "Medium"
	case "S-1-16-12288":
		return "High"
	case "S-1-16-16384":
		return "System"
	case "S-1-16-0":
		return "Untrusted"
	}
	return s
}

func tokenElevation(s string) string {
	switch s {
	case "%%1936":
		return "TokenElevationTypeDefault"
	case "%%1937":
		return "TokenElevationTypeFull"
	case "%%1938":
		return "TokenElevationTypeLimited"
	}
	return s
}

var logonTypes = map[string]string{
	"0": "System", "2": "Interactive", "3": "Network", "4": "Batch", "5": "Service", "7": "Unlock",
	"8": "NetworkCleartext", "9": "NewCredentials", "10": "RemoteInteractive", "11": "CachedInteractive",
	"12": "CachedRemoteInteractive", "13": "CachedUnlock",
}

func logonTypeName(n string) string { return logonTypes[strings.TrimSpace(n)] }

// failureReasons names the NTSTATUS codes of failed logons.
var failureReasons = map[string]string{
	"0XC000006A": "WrongPassword", "0XC0000064": "UnknownUser", "0XC0000234": "AccountLocked",
	"0XC0000072": "AccountDisabled", "0XC0000071": "PasswordExpired", "0XC0000193": "AccountExpired",
	"0XC000006F": "InvalidLogonHours", "0XC0000070": "InvalidWorkstation", "0XC000015B": "LogonTypeNotGranted",
	"0XC000006D": "InvalidUserNameOrPassword", "0XC0000224": "PasswordMustChange", "0XC0000133": "ClockSkew",
	"0XC000005E": "NoLogonServers", "0XC0000413": "AuthenticationFirewallFailed", "0XC000018C": "TrustFailure",
}

// failureReason names a 4625's failure from SubStatus, else Status.
func failureReason(status, sub string) string {
	for _, code := range [...]string{sub, status} {
		code = strings.ToUpper(strings.TrimSpace(code))
		if code == "" || code == "0X0" || code == "0X00000000" {
			continue
		}
		if r, ok := failureReasons[code]; ok {
			return r
		}
		return code
	}
	return ""
}

// clean reads Windows' "-" placeholder as empty.
func clean(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
