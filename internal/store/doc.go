// Package store holds vigil's telemetry on disk: a workspace is a
// directory of day-partitioned Parquet segments per table with a
// manifest, written atomically and scanned with column projection and
// pruning by time and by term indexes (see Workspace), and kept in shape
// by a policy of retention per table and compaction (see Maintain). It
// also loads a directory of exported files into memory tables without a
// workspace (LoadDir), reading them with package ingest.
package store
