// Package ingest reads the telemetry exports analysts have into vigil's
// tables: Sentinel / Log Analytics JSON exports (JSON lines or an array),
// advanced-hunting and portal CSV exports, the Defender for Endpoint
// streaming API's Event Hub records, and Windows event logs (winlogbeat
// and OTRF JSON lines, evtx_dump JSON, Sentinel SecurityEvent /
// WindowsEvent / Event exports).
//
// The format is detected from the content. Rows go to the table the
// --table option, the row's Type column or the file's name gives; event
// logs stay in SecurityEvent / WindowsEvent and are also normalised into
// the Defender tables (Sysmon 1 → DeviceProcessEvents, Security 4624 →
// DeviceLogonEvents, …) so that hunts written for MDE run on them. Values
// are coerced to the catalog's column types. A record that cannot be read
// is rejected with its file, line and reason; nothing is dropped silently.
// A stream (a pipe, say) is ingested as it arrives: its rows reach the
// sink within Options.FlushAfter, not once a batch is full.
//
// Usage:
//
//	sum, err := ingest.File(ctx, "DeviceProcessEvents.jsonl", workspace, rejectsFile, ingest.Options{})
//	if err != nil {
//		return err
//	}
//	fmt.Println(sum) // DeviceProcessEvents 200000; 200000 records, 0 rejected; 512.0 MB in 1.2s (…)
package ingest
