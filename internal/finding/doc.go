// Package finding is the one format in which vigil's reasoners (the
// deterministic hunter, the LLM agent and converted Sigma rules) report
// what they found, and which reports, the audit log, the response policy
// and the web console read. finding.schema.json (returned by Schema) is
// the JSON form; SCHEMA.md explains it.
//
// A producer fills a Finding, attaches its evidence (the exact KQL and the
// rows it returned), and lets the package derive the rest:
//
//	f := finding.Finding{Title: "LSASS dumped", Severity: finding.High,
//		Confidence: finding.Confidence{Level: finding.LevelHigh, Score: 90},
//		Evidence:   evidence, Entities: entities,
//		Producer:   finding.Producer{Kind: finding.ProducerHunter, HuntID: "cred-lsass"},
//		Verified:   true, FirstSeen: first, LastSeen: last}
//	if err := f.SetAttack(attack.Default(), "T1003.001", "credential-access"); err != nil {
//		return err // unknown, revoked (with its replacement) or wrong tactic
//	}
//	f.IOCs = finding.ExtractIOCs(f.Evidence)
//	f.RiskScore = finding.Score(f.Severity, f.Confidence, assetTier, rarity)
//	f.ID = f.ComputeID()
//	if errs := finding.Validate(f); len(errs) > 0 { … }
//
// For an LLM agent's finding, VerifyAgainstEvidence lists the IOCs and
// entities its rows do not support; MarkUnverified or DropUnverified acts
// on the list. Merge folds findings with the same id (the hunter's and the
// agent's view of one activity) into one.
//
// The sub-packages hold the ATT&CK catalog (attack) and IOC extraction
// (ioc).
package finding
