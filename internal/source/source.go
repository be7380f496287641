package source

// This file declares the API every source implements: one query in, typed
// tables, truncation and partial errors out.

import (
	"context"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// Source kinds, as written in configuration.
const (
	KindLocal        = "local"
	KindLogAnalytics = "log-analytics"
	KindDefender     = "defender"
	KindADX          = "adx"
)

// Source runs KQL somewhere: the embedded store, a Log Analytics
// workspace, Defender XDR advanced hunting or an Azure Data Explorer
// database. Implementations are safe for concurrent use.
type Source interface {
	// Name is the configured name, used to label results.
	Name() string
	// Kind is one of the Kind constants.
	Kind() string
	// Query runs q. A query the service rejected or that failed outright
	// returns an *Error; a query that returned rows but not all of them
	// returns a Result with Truncated or PartialErrors set and no error.
	Query(ctx context.Context, q Query) (*Result, error)
}

// Query is one KQL query and the limits to run it under.
type Query struct {
	Text string
	// Start and End are the timespan the service applies on top of the
	// query's own filters, where it takes one (Log Analytics, Defender).
	// Both zero means none; End zero with Start set means "until now".
	// Local and ADX sources ignore them: bound the query in its text.
	Start, End time.Time
	// MaxRows caps every result table (0: no cap beyond the service's).
	MaxRows int
	// Timeout bounds the run. Remote sources pass it to the service as
	// its server timeout, and give the HTTP call a little longer.
	Timeout time.Duration
}

// Result is what a source returned.
type Result struct {
	// Tables are the result tables, typed with kql/types, in the order
	// the service returned them.
	Tables []*engine.Batch
	// Truncated says rows are missing: the service stopped at its row or
	// size limit and splitting could not complete the answer, or MaxRows
	// cut a table. TruncatedReason says which, in words.
	Truncated       bool
	TruncatedReason string
	// PartialErrors are errors the service reported beside the rows it did
	// return (including the truncation notice, when it sends one).
	PartialErrors []QueryError
	Stats         Stats
	// Source is the name of the source that produced the result.
	Source string

	// limited is set when the service (not MaxRows) cut the result, so a
	// time split may complete it.
	limited bool
}

// QueryError is an error the service reported beside the rows.
type QueryError struct {
	Code    string // innermost code: "-2133196797", "LimitsExceeded"
	Message string // innermost message
}

// Stats describes a run.
type Stats struct {
	Rows     int           // rows over all tables, after MaxRows
	Duration time.Duration // wall time, retries and splits included
	// Requests counts the service calls made: more than one after a
	// time split (retries of one call are not counted).
	Requests int
	// ServerStats is what the service said about the run, raw: Log
	// Analytics' statistics object (json.RawMessage), ADX's
	// QueryCompletionInformation payloads ([]string); a []any holding
	// each piece's after a split. Nil when the service sent none.
	ServerStats any
}

// rows counts the rows of every table.
func (r *Result) rows() int {
	n := 0
	for _, t := range r.Tables {
		n += t.N
	}
	return n
}

// finish applies MaxRows, fills Stats.Rows and labels the result.
func (r *Result) finish(name string, q Query, took time.Duration) *Result {
	if q.MaxRows > 0 {
		for i, t := range r.Tables {
			if t.N > q.MaxRows {
				r.Tables[i] = t.Slice(0, q.MaxRows)
				r.Truncated = true
				if r.TruncatedReason == "" {
					r.TruncatedReason = "MaxRows: the result had more rows than the cap of " + itoa(q.MaxRows)
				}
			}
		}
	}
	r.Source = name
	r.Stats.Rows = r.rows()
	r.Stats.Duration = took
	if r.Stats.Requests == 0 {
		r.Stats.Requests = 1
	}
	return r
}
