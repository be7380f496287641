package sigma

// This file reads a rule's ATT&CK tags: technique ids checked against the
// catalog (ids of a newer ATT&CK release are kept, mapped by hand to
// their predecessor when one exists), the tactic, and the hunt library's
// intents.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

var techniqueTag = regexp.MustCompile(`(?i)^attack\.(t\d{4}(?:\.\d{3})?)$`)

// newerTechniques are ids of ATT&CK v19 (Defense Impairment, split from
// Defense Evasion), which the v18.1 catalog lacks, with the v18.1
// technique they continue. The firewall ones follow the cloud / system
// split of T1562.007 and T1562.004; the rest map to Impair Defenses.
var newerTechniques = map[string]string{
	"T1685":     "T1562",
	"T1685.001": "T1562",
	"T1685.005": "T1562",
	"T1686":     "T1562",
	"T1686.001": "T1562.007",
	"T1686.003": "T1562.004",
	"T1689":     "T1562",
}

// newerTactics are v19 tactic tags and the v18.1 tactic they split from.
var newerTactics = map[string]string{"stealth": "defense-evasion", "defense-impairment": "defense-evasion"}

// techniques reads the technique tags: catalogued ids first (revoked ones
// replaced), then ids the catalog lacks; notes say what changed.
func techniques(cat *attack.Catalog, tags []string) (known, unknown, notes []string) {
	for _, tag := range tags {
		m := techniqueTag.FindStringSubmatch(strings.TrimSpace(tag))
		if m == nil {
			continue
		}
		id := strings.ToUpper(m[1])
		t, err := cat.Resolve(id)
		var le *attack.LookupError
		switch {
		case err == nil:
			known = appendNew(known, t.ID)
		case asLookup(err, &le) && le.Code == "RevokedTechnique" && le.RevokedBy != "":
			known = appendNew(known, le.RevokedBy)
			notes = append(notes, fmt.Sprintf("%s was revoked by MITRE; %s is used", id, le.RevokedBy))
		default:
			unknown = appendNew(unknown, id)
		}
	}
	for _, id := range unknown {
		if prev, ok := newerTechniques[id]; ok {
			notes = append(notes, fmt.Sprintf("%s is from an ATT&CK release newer than the catalog (%s); mapped to %s", id, cat.Version(), prev))
			known = appendNew(known, prev)
			continue
		}
		notes = append(notes, fmt.Sprintf("%s is not in the ATT&CK catalog (%s); kept as written", id, cat.Version()))
	}
	return known, unknown, notes
}

func asLookup(err error, le **attack.LookupError) bool {
	e, ok := err.(*attack.LookupError)
	if ok {
		*le = e
	}
	return ok
}

// tactic picks the tactic tag the primary technique sits under.
func tactic(cat *attack.Catalog, tags []string, primary string) string {
	for _, tag := range tags {
		name, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(tag)), "attack.")
		if !ok || techniqueTag.MatchString(tag) {
			continue
		}
		if old, ok := newerTactics[name]; ok {
			name = old
		}
		if t, ok := cat.Tactic(name); ok && cat.InTactic(primary, t.ShortName) {
			return t.ShortName
		}
	}
	return ""
}

// tacticIntents are the hunt library's intents that a tactic serves.
var tacticIntents = map[string]string{
	"credential-access":   "credential_access",
	"persistence":         "persistence",
	"lateral-movement":    "lateral_movement",
	"discovery":           "discovery",
	"exfiltration":        "exfiltration",
	"impact":              "ransomware_impact",
	"command-and-control": "c2_beaconing", // for connections only
}

// techniqueIntents are intents of techniques, by id prefix.
var techniqueIntents = []struct{ prefix, intent string }{
	{"T1059.001", "powershell_scripting"},
	{"T1218", "lolbins"}, {"T1216", "lolbins"}, {"T1127", "lolbins"}, {"T1197", "lolbins"}, {"T1140", "lolbins"},
	{"T1105", "malware_download"},
	{"T1110", "brute_force"},
	{"T1003", "credential_access"},
	{"T1021", "lateral_movement"}, {"T1570", "lateral_movement"},
	{"T1547", "persistence"}, {"T1053", "persistence"}, {"T1543", "persistence"},
	{"T1490", "ransomware_impact"}, {"T1486", "ransomware_impact"},
}

// intents lists the hunt's intents; triage always.
func intents(table string, tags, techs []string) []string {
	var out []string
	switch table {
	case "SigninLogs":
		out = append(out, "signin")
	case "AuditLogs", "AzureActivity":
		out = append(out, "cloud_privilege")
	}
	for _, t := range techs {
		for _, ti := range techniqueIntents {
			if t == ti.prefix || strings.HasPrefix(t, ti.prefix+".") {
				out = appendNew(out, ti.intent)
			}
		}
	}
	for _, tag := range tags {
		in, ok := tacticIntents[strings.TrimPrefix(strings.ToLower(tag), "attack.")]
		if ok && (in != "c2_beaconing" || table == "DeviceNetworkEvents") {
			out = appendNew(out, in)
		}
	}
	return appendNew(out, "triage")
}

func appendNew(xs []string, x string) []string {
	if x == "" || slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}
