// Package lab generates a lab workspace: a week (or more) of Defender for
// Endpoint and Sentinel telemetry from the fleet of a fictional freight
// company, Harborline, with labelled attacks hidden in it and the ground
// truth to score a hunt against.
//
// The fleet has Windows workstations (windows-target-1 among them), file,
// SQL, backup, configuration-manager and jump servers, one or two domain
// controllers, and Linux web, application and scanner hosts, three of
// them Azure VMs. Its benign background follows office hours and
// weekends, and includes the false positives an analyst meets: PsExec
// from the jump host, -ExecutionPolicy Bypass scripts from Intune and
// Configuration Manager, a nightly backup copying hundreds of files, a
// credentialed vulnerability scan, VPN and travel sign-ins. Twenty-one
// scenarios (ScenarioIDs) plant attacks across thirteen ATT&CK tactics.
//
// Every column of each generated table's catalog schema is filled as the
// product fills it; columns the product leaves empty for an event stay
// empty. Rows are identified by IDColumn: ReportId (a long, unique per
// table) on the Defender tables, Id on SigninLogs, EventDataId on
// AzureActivity and _ItemId on AzureNetworkAnalytics_CL.
//
// Generation is deterministic: the same Config gives the same batches and
// ground truth, byte for byte. Attacker addresses are in the
// documentation ranges 198.51.100.0/24 and 203.0.113.0/24 and attacker
// domains end in .example; no benign row contains any scenario indicator.
//
// Usage:
//
//	cfg := lab.DefaultConfig(time.Now())
//	truth, err := lab.Generate(cfg, w) // w implements lab.Writer
//	if err != nil {
//		return err
//	}
//	return truth.WriteJSON(os.Stdout)
//
// To generate benign activity only, set cfg.Scenarios to []string{}.
package lab
