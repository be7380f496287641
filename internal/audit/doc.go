// Package audit keeps vigil's tamper-evident audit trail: an append-only
// file of JSON lines, one record per query, model call, finding, proposal,
// decision or API call, chained by SHA-256 so that any edit, deletion,
// insertion or reordering is found by Verify.
//
//	log, err := audit.Open("/var/lib/vigil/audit.jsonl")
//	if err != nil { ... }
//	defer log.Close()
//	rec, err := log.Append(audit.KindDecision, "alice@contoso.com",
//		map[string]any{"proposal": "P-000001", "verdict": "approved"})
//	...
//	rep, err := audit.Verify("/var/lib/vigil/audit.jsonl")
//	var te *audit.TamperError
//	if errors.As(err, &te) {
//		fmt.Printf("first bad record: seq %d, line %d: %s\n", te.Seq, te.Line, te.Reason)
//	}
//
// # Record format
//
// Each line is the canonical JSON encoding of a [Record]: keys in the order
// seq, time, kind, actor, payload, prev, hash; no insignificant white space;
// payload objects with sorted keys; time in UTC with nine fractional digits.
// hash is the SHA-256 (hex) of the line's canonical bytes with the hash field
// left out; prev is the hash of the record before (64 zeros for the first).
// Seq starts at 1 and equals the line number in an untouched log.
//
// # Secrets
//
// Payloads (and actors) pass through [Redact] before they are written:
// values of secret-looking keys and strings shaped like bearer tokens, JWTs
// or API keys become "[redacted]". Redaction is a safety net, not a licence
// to pass credentials in payloads.
//
// # Concurrency and durability
//
// A Log is safe for concurrent use. Across processes, every Append takes an
// exclusive lock (flock on Unix, LockFileEx on Windows) on the side file
// path+".lock", re-reads the last record from the file (another process may
// have appended since), writes the whole line with one write on a file opened
// O_APPEND, fsyncs it, and only then releases the lock. The lock is what
// keeps the chain linear; O_APPEND alone would keep lines whole but let two
// writers chain to the same predecessor. Writers that bypass this package
// break the chain, and Verify reports it.
//
// # Truncation
//
// A hash chain cannot show that records were cut from its end. After each
// Append the head (last seq and hash) is written to path+".head"; Verify
// checks the log against it and reports a log that ends before the head. A
// head file that is missing is reported in [Report] but is not an error. To
// resist someone who can rewrite both files, publish [Report.LastHash]
// elsewhere (a ticket, the findings report) and compare later.
package audit
