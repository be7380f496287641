// Package sigma imports Sigma detection rules as KQL hunts of the hunt
// library.
//
// Parse reads a rule's YAML: metadata, log source, named searches (maps
// of field items, lists of maps, keywords) with their modifiers, and the
// condition (and, or, not, parentheses, "1 of x*", "all of them").
// Compile turns a rule into a query over the table of its log source —
// Windows process_creation, network_connection, file_event and
// registry_set / registry_event to the Defender tables after the field
// mapping of the pySigma Kusto backend (shared/data/sigma/README.md), and
// the Azure signinlogs, auditlogs and activitylogs services to
// SigninLogs, AuditLogs and AzureActivity. Values keep Sigma's
// case-insensitive semantics (=~, in~, contains, has where term
// boundaries make it exact, startswith, endswith, matches regex with
// (?i) for inner wildcards). The query declares the hunt library's
// start / end and entity parameters, so it is time-bounded and scoped
// like a built-in hunt, and every row carries the rule's title, id,
// author(s) and link, as the Detection Rule License asks.
//
// Import converts a directory; every rule that does not convert is
// reported with the reason (log source, field without a mapping,
// modifier, regular expression RE2 cannot read, aggregation), never
// dropped. WriteHunts writes the hunts where hunt.LoadDir reads them.
//
//	res, err := sigma.Import("rules/")
//	if err != nil {
//		return err
//	}
//	for _, s := range res.Skipped {
//		fmt.Printf("%s: %s\n", s.Path, s.Reason)
//	}
//	notWritten, err := res.WriteHunts(filepath.Join(home, "hunts"))
//
// What differs from the pySigma pipeline: TargetObject is compared with
// key\value name (Sysmon's form) rather than the key alone; Sysmon's
// renderings of registry data ("DWORD (0x00000001)", "(Empty)") become
// MDE's; CurrentControlSet also matches ControlSet001, which MDE reports
// (the pipeline's CurrentControlSet001 matches neither); HKU and HKCR try
// both spellings MDE is seen with.
package sigma
