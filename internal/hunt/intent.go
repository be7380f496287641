package hunt

// This file holds the fixed set of intents: their ids, what each means,
// and the tables a plan falls back to when no hunt registry is given.
// The cues that recognise them are in intent_cues.go.

// Intent ids. Hunts name these in HuntInfo.Intents; IntentTriage marks
// the broad hunts a request with no clear intent runs.
const (
	IntentLogon            = "logon"
	IntentBruteForce       = "brute_force"
	IntentSignin           = "signin"
	IntentPowerShell       = "powershell_scripting"
	IntentLOLBins          = "lolbins"
	IntentPersistence      = "persistence"
	IntentCredentialAccess = "credential_access"
	IntentLateralMovement  = "lateral_movement"
	IntentC2Beaconing      = "c2_beaconing"
	IntentExfiltration     = "exfiltration"
	IntentRansomware       = "ransomware_impact"
	IntentDiscovery        = "discovery"
	IntentCloudPrivilege   = "cloud_privilege"
	IntentMalwareDownload  = "malware_download"
	IntentNetworkThreats   = "network_threats"
	IntentTriage           = "triage"
)

// Intent is one thing the analyst is worried about, with the cues in the
// request that point to it.
type Intent struct {
	ID string `json:"id"`
	// Confidence is in (0, 1): 1-exp(-score), where a strong cue scores
	// 1, a medium one 0.5 and a weak one 0.25. An intent fires at 1.
	Confidence float64  `json:"confidence"`
	Cues       []string `json:"cues"`
}

// IntentInfo describes an intent.
type IntentInfo struct {
	ID      string
	Summary string
	// Tables are read for this intent when the caller supplies no hunts.
	Tables []string
}

// intentInfos lists the intents in their canonical order.
var intentInfos = []IntentInfo{
	{IntentLogon, "interactive, remote (RDP, SSH) and network logons to devices",
		[]string{"DeviceLogonEvents", "SecurityEvent", "Syslog"}},
	{IntentBruteForce, "password guessing: many failed logons, then perhaps a success",
		[]string{"DeviceLogonEvents", "SecurityEvent", "Syslog", "SigninLogs"}},
	{IntentSignin, "Entra ID (Azure AD) sign-ins: MFA, impossible travel, password spray, odd locations",
		[]string{"SigninLogs", "AADNonInteractiveUserSignInLogs", "AADSignInEventsBeta"}},
	{IntentPowerShell, "PowerShell and script hosts: encoded commands, download cradles, wscript/cscript/mshta",
		[]string{"DeviceProcessEvents", "DeviceEvents"}},
	{IntentLOLBins, "living off the land: certutil, bitsadmin, regsvr32, rundll32, mshta and friends",
		[]string{"DeviceProcessEvents", "DeviceNetworkEvents"}},
	{IntentPersistence, "run keys, scheduled tasks, services, startup folder, WMI subscriptions, cron",
		[]string{"DeviceRegistryEvents", "DeviceProcessEvents", "DeviceEvents", "DeviceFileEvents"}},
	{IntentCredentialAccess, "LSASS access and dumps, mimikatz, SAM/NTDS theft, credential dumping",
		[]string{"DeviceProcessEvents", "DeviceEvents", "DeviceFileEvents"}},
	{IntentLateralMovement, "PsExec, WMI, WinRM, remote services, admin shares: moving between machines",
		[]string{"DeviceProcessEvents", "DeviceLogonEvents", "DeviceNetworkEvents", "DeviceEvents"}},
	{IntentC2Beaconing, "command and control: regular connections to rare destinations, beacons",
		[]string{"DeviceNetworkEvents", "DnsEvents"}},
	{IntentExfiltration, "data leaving: large uploads, archiving and transfer tools",
		[]string{"DeviceNetworkEvents", "DeviceProcessEvents", "DeviceFileEvents"}},
	{IntentRansomware, "ransomware and impact: mass encryption or renames, shadow copy deletion, wipers",
		[]string{"DeviceFileEvents", "DeviceProcessEvents"}},
	{IntentDiscovery, "reconnaissance from a host: whoami, net group, nltest, enumeration",
		[]string{"DeviceProcessEvents"}},
	{IntentCloudPrivilege, "Azure privilege changes: role assignments (Owner, Contributor), new admins",
		[]string{"AzureActivity", "AuditLogs"}},
	{IntentMalwareDownload, "something downloaded and run: droppers, payloads fetched from the internet",
		[]string{"DeviceFileEvents", "DeviceNetworkEvents", "DeviceProcessEvents"}},
	{IntentNetworkThreats, "malicious flows, scanning and attack traffic in Azure network analytics",
		[]string{"AzureNetworkAnalytics_CL", "DeviceNetworkEvents"}},
}

// triageTables are read for triage when the caller supplies no hunts.
var triageTables = []string{"DeviceProcessEvents", "DeviceNetworkEvents", "DeviceLogonEvents",
	"DeviceFileEvents", "DeviceRegistryEvents", "DeviceEvents", "AlertInfo", "AlertEvidence"}

// Intents lists every intent in canonical order.
func Intents() []IntentInfo {
	out := make([]IntentInfo, len(intentInfos))
	copy(out, intentInfos)
	return out
}

// intentRank is an intent's position in the canonical order.
func intentRank(id string) int {
	for i, in := range intentInfos {
		if in.ID == id {
			return i
		}
	}
	return len(intentInfos)
}
