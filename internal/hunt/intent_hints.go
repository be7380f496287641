package hunt

// This file scores what is not a word of the cue table: the entities a
// request names (invoice.pdf.exe is a lure) and MITRE ATT&CK technique
// ids ("T1059.001", "T1486"), strong cues for the intents that hunt them.

import (
	"path"
	"regexp"
	"strings"
)

var reTechnique = regexp.MustCompile(`(?i)\bT(1\d{3})(?:\.(\d{3}))?\b`)

// techniqueIntents maps technique ids (sub-technique first, then the
// parent) to intents.
var techniqueIntents = map[string][]string{
	"T1078": {IntentLogon}, "T1133": {IntentLogon}, "T1021.001": {IntentLogon, IntentLateralMovement},
	"T1021.004": {IntentLogon, IntentLateralMovement}, "T1078.004": {IntentSignin},
	"T1110": {IntentBruteForce}, "T1110.003": {IntentBruteForce, IntentSignin}, "T1621": {IntentSignin},
	"T1539": {IntentSignin}, "T1550.004": {IntentSignin}, "T1528": {IntentSignin},
	"T1059": {IntentPowerShell}, "T1027": {IntentPowerShell}, "T1059.003": {IntentPowerShell},
	"T1218": {IntentLOLBins}, "T1197": {IntentLOLBins}, "T1140": {IntentLOLBins}, "T1127": {IntentLOLBins},
	"T1220": {IntentLOLBins}, "T1216": {IntentLOLBins},
	"T1547": {IntentPersistence}, "T1053": {IntentPersistence}, "T1543": {IntentPersistence},
	"T1546": {IntentPersistence}, "T1136": {IntentPersistence}, "T1037": {IntentPersistence},
	"T1574": {IntentPersistence}, "T1137": {IntentPersistence}, "T1505": {IntentPersistence},
	"T1003": {IntentCredentialAccess}, "T1558": {IntentCredentialAccess}, "T1555": {IntentCredentialAccess},
	"T1552": {IntentCredentialAccess}, "T1056": {IntentCredentialAccess}, "T1550.002": {IntentCredentialAccess, IntentLateralMovement},
	"T1021": {IntentLateralMovement}, "T1570": {IntentLateralMovement}, "T1569": {IntentLateralMovement},
	"T1047": {IntentLateralMovement}, "T1550": {IntentLateralMovement}, "T1563": {IntentLateralMovement},
	"T1071": {IntentC2Beaconing}, "T1573": {IntentC2Beaconing}, "T1095": {IntentC2Beaconing},
	"T1572": {IntentC2Beaconing}, "T1090": {IntentC2Beaconing}, "T1568": {IntentC2Beaconing},
	"T1571": {IntentC2Beaconing}, "T1219": {IntentC2Beaconing}, "T1102": {IntentC2Beaconing},
	"T1041": {IntentExfiltration}, "T1048": {IntentExfiltration}, "T1567": {IntentExfiltration},
	"T1537": {IntentExfiltration}, "T1020": {IntentExfiltration}, "T1030": {IntentExfiltration},
	"T1560": {IntentExfiltration}, "T1074": {IntentExfiltration}, "T1052": {IntentExfiltration},
	"T1486": {IntentRansomware}, "T1490": {IntentRansomware}, "T1485": {IntentRansomware},
	"T1561": {IntentRansomware}, "T1489": {IntentRansomware}, "T1491": {IntentRansomware}, "T1496": {IntentRansomware},
	"T1087": {IntentDiscovery}, "T1069": {IntentDiscovery}, "T1018": {IntentDiscovery}, "T1016": {IntentDiscovery},
	"T1082": {IntentDiscovery}, "T1057": {IntentDiscovery}, "T1135": {IntentDiscovery}, "T1482": {IntentDiscovery},
	"T1033": {IntentDiscovery}, "T1046": {IntentDiscovery}, "T1083": {IntentDiscovery}, "T1049": {IntentDiscovery},
	"T1007": {IntentDiscovery}, "T1012": {IntentDiscovery}, "T1518": {IntentDiscovery}, "T1201": {IntentDiscovery},
	"T1098": {IntentCloudPrivilege}, "T1484": {IntentCloudPrivilege}, "T1078.001": {IntentLogon},
	"T1105": {IntentMalwareDownload}, "T1566": {IntentMalwareDownload}, "T1204": {IntentMalwareDownload},
	"T1189": {IntentMalwareDownload},
	"T1595": {IntentNetworkThreats}, "T1190": {IntentNetworkThreats}, "T1498": {IntentNetworkThreats},
	"T1499": {IntentNetworkThreats}, "T1046.001": {IntentNetworkThreats},
}

// techniqueHints adds a strong cue for each intent a technique id in
// text points to.
func techniqueHints(text string, hints map[string]scored) {
	for _, m := range reTechnique.FindAllStringSubmatch(text, -1) {
		id := "T" + m[1]
		full := id
		if m[2] != "" {
			full += "." + m[2]
		}
		intents, ok := techniqueIntents[full]
		if !ok {
			intents = techniqueIntents[id]
		}
		for _, in := range intents {
			s := hints[in]
			s.score += strongCue
			s.cues = append(s.cues, strings.ToUpper(full))
			hints[in] = s
		}
	}
}

// entityHints scores what entities say on their own: a file with a
// double extension (invoice.pdf.exe) is a strong sign of a malicious
// download, a URL to an executable or script a medium one.
func entityHints(e Entities) map[string]scored {
	out := map[string]scored{}
	add := func(id, cue string, w float64) {
		s := out[id]
		s.score += w
		s.cues = append(s.cues, cue)
		out[id] = s
	}
	for _, f := range e.Files {
		if doubleExtension(f) {
			add(IntentMalwareDownload, "double extension: "+f, strongCue)
			break
		}
	}
	for _, u := range e.URLs {
		if ext := path.Ext(strings.ToLower(strings.SplitN(u, "?", 2)[0])); runnableExts[strings.TrimPrefix(ext, ".")] {
			add(IntentMalwareDownload, "URL to a "+ext+" file", mediumCue)
			break
		}
	}
	return out
}

// runnableExts are extensions of files that run or carry code.
var runnableExts = set("exe", "dll", "scr", "ps1", "bat", "cmd", "vbs", "vbe", "js", "jse", "hta", "msi",
	"lnk", "jar", "sh", "py", "elf", "bin", "iso", "img", "zip", "rar", "7z", "docm", "xlsm", "sct", "wsf")

// lureExts are extensions a double-extension lure pretends to have.
var lureExts = set("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "gif", "txt", "rtf", "csv", "mp4", "mp3")

func doubleExtension(f string) bool {
	parts := strings.Split(f, ".")
	n := len(parts)
	return n >= 3 && lureExts[parts[n-2]] && runnableExts[parts[n-1]]
}
