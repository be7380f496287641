// Package store holds vigil's telemetry on disk and reads users' exported
// data into the engine.
//
// For now it loads a directory of exported files, one per table (a
// Sentinel/Log Analytics JSON-lines export or an advanced-hunting CSV
// export, named after the table: DeviceProcessEvents.jsonl,
// SigninLogs.csv), coercing every value to the catalog's column type.
// Records that cannot be read are reported with file, line and reason and
// kept aside; they are never dropped without a count.
package store
