package lab

// This file lists the attack scenarios and selects the ones a Config asks
// for. Each scenario plants its rows from the shared plan with a random
// stream of its own, so selecting one never changes another.

import (
	"encoding/base64"
	"fmt"
	"unicode/utf16"

	"github.com/vigil-hunt/vigil/kql/value"
)

// scenarioDef describes a scenario and how to plant it.
type scenarioDef struct {
	id, title           string
	tactics, techniques []string
	plant               func(g *gen, sc *Scenario, r *rng)
}

var scenarioDefs = []scenarioDef{
	{"rdp-bruteforce", "RDP brute force from the internet, then a successful logon on windows-target-1",
		[]string{"Credential Access", "Initial Access"}, []string{"T1110.001", "T1133", "T1078.003"}, plantRDPBrute},
	{"encoded-powershell", "Encoded PowerShell download cradle",
		[]string{"Execution", "Defense Evasion", "Command and Control"}, []string{"T1059.001", "T1027.010", "T1105"}, plantCradle},
	{"defender-tamper", "Defender real-time protection disabled and an exclusion added",
		[]string{"Defense Evasion"}, []string{"T1562.001"}, plantTamper},
	{"certutil-download", "certutil -urlcache downloads the implant",
		[]string{"Command and Control"}, []string{"T1105"}, plantCertutil},
	{"c2-beacon", "Implant beacons to a rare domain every five minutes",
		[]string{"Command and Control", "Defense Evasion"}, []string{"T1071.001", "T1036.005"}, plantBeacon},
	{"runkey-persistence", "Run-key persistence for the implant",
		[]string{"Persistence", "Privilege Escalation"}, []string{"T1547.001"}, plantRunKey},
	{"schtask-persistence", "Scheduled task created to run the implant at logon as SYSTEM",
		[]string{"Persistence", "Execution", "Privilege Escalation"}, []string{"T1053.005"}, plantSchtask},
	{"discovery-burst", "Burst of user, group, domain controller and network discovery commands",
		[]string{"Discovery"}, []string{"T1033", "T1069.002", "T1087.002", "T1018", "T1016", "T1082", "T1057", "T1135"}, plantDiscovery},
	{"lsass-comsvcs", "LSASS memory dumped with rundll32 comsvcs.dll MiniDump",
		[]string{"Credential Access"}, []string{"T1003.001"}, plantComsvcs},
	{"psexec-lateral", "PsExec with stolen admin credentials to the file server (PSEXESVC)",
		[]string{"Lateral Movement", "Execution"}, []string{"T1021.002", "T1569.002", "T1570"}, plantPsExec},
	{"lsass-procdump", "procdump -ma lsass on the file server",
		[]string{"Credential Access"}, []string{"T1003.001"}, plantProcdump},
	{"wmi-lateral", "WMI remote process creation on the SQL server (wmiprvse spawns cmd)",
		[]string{"Execution", "Lateral Movement", "Defense Evasion"}, []string{"T1047", "T1021.003", "T1078.002"}, plantWMI},
	{"exfil-sftp", "Database backups archived with 7-Zip and sent out over SFTP with rclone",
		[]string{"Collection", "Exfiltration"}, []string{"T1560.001", "T1074.001", "T1048.002"}, plantExfil},
	{"ransomware", "Shadow copies deleted and file-server shares encrypted (mass renames, ransom notes)",
		[]string{"Impact"}, []string{"T1486", "T1490"}, plantRansomware},
	{"phishing-bitsadmin", "Macro document from e-mail uses bitsadmin to fetch and run a payload",
		[]string{"Initial Access", "Execution", "Defense Evasion", "Persistence", "Command and Control"},
		[]string{"T1566.001", "T1204.002", "T1197", "T1105", "T1071.001"}, plantPhishing},
	{"aad-password-spray", "Entra ID password spray from one address (ResultType 50126)",
		[]string{"Credential Access"}, []string{"T1110.003"}, plantSpray},
	{"impossible-travel", "Sign-in from Singapore 38 minutes after one from Boston",
		[]string{"Initial Access", "Defense Evasion"}, []string{"T1078.004"}, plantTravel},
	{"azure-owner-assignment", "Owner role assigned at subscription scope by an unusual caller",
		[]string{"Persistence", "Privilege Escalation"}, []string{"T1098.003"}, plantOwner},
	{"malicious-flows", "Known-bad address probing the web server (Traffic Analytics MaliciousFlow)",
		[]string{"Reconnaissance"}, []string{"T1595.001"}, plantMaliciousFlows},
	{"linux-ssh-bruteforce", "SSH brute force on the web server, then a successful logon",
		[]string{"Credential Access", "Initial Access"}, []string{"T1110.001", "T1078.003"}, plantSSHBrute},
	{"linux-cryptominer", "curl | bash installs a disguised cryptominer with cron persistence",
		[]string{"Execution", "Command and Control", "Impact", "Persistence"}, []string{"T1059.004", "T1105", "T1496.001", "T1053.003"}, plantMiner},
}

// ScenarioIDs returns the ids of every scenario, in planting order.
func ScenarioIDs() []string {
	ids := make([]string, len(scenarioDefs))
	for i, d := range scenarioDefs {
		ids[i] = d.id
	}
	return ids
}

// selectScenarios resolves a Config's scenario list: nil means all.
func selectScenarios(ids []string) ([]scenarioDef, error) {
	if ids == nil {
		return scenarioDefs, nil
	}
	var out []scenarioDef
	seen := map[string]bool{}
	for _, id := range ids {
		found := false
		for _, d := range scenarioDefs {
			if d.id == id {
				found = true
				if !seen[id] {
					out = append(out, d)
				}
				seen[id] = true
			}
		}
		if !found {
			return nil, fmt.Errorf("lab: unknown scenario %q", id)
		}
	}
	return out, nil
}

// on returns a context for planting rows on h.
func (g *gen) on(h *host, r *rng) *hctx { return &hctx{g: g, h: h, r: r} }

// created reports the creation of a process the plan built.
func (c *hctx) created(p *proc) {
	c.emit(tProcess, p.Created, &event{action: "ProcessCreated", init: p.Parent, proc: p, file: p.Img, acct: p.Acct, logonID: p.LogonID})
}

// encodePS encodes a script for powershell -EncodedCommand (UTF-16LE,
// Base64).
func encodePS(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, x := range u {
		b[2*i], b[2*i+1] = byte(x), byte(x>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// hourOf truncates t to the start of its UTC hour.
func hourOf(t value.Datetime) value.Datetime {
	const h = value.Datetime(3600 * 10_000_000)
	return t / h * h
}

func acctName(a *account) string { return a.Domain + `\` + a.Name }
