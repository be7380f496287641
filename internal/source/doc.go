// Package source runs one KQL query against the places vigil hunts in:
// the embedded store (Local), Log Analytics / Sentinel workspaces
// (LogAnalytics, over azquery), Defender XDR advanced hunting (Defender,
// over Microsoft Graph runHuntingQuery) and Azure Data Explorer (ADX, over
// azkustodata). Every one returns vigil's own typed batches.
//
// A Result that came back incomplete says so: Truncated and
// TruncatedReason when the service cut the rows at its limit, and
// PartialErrors for errors the service sent beside the rows it did
// return (Log Analytics' "error" object, ADX's end-of-table OneApiErrors).
// When a Log Analytics or Defender query is cut and is one table filtered
// row by row over a timespan, the timespan is halved until the pieces fit
// (see split.go). Failures are *Error values whose Kind tests with
// errors.Is; service syntax errors carry the line:column in the query.
//
// Throttling (429 with Retry-After) and transient 5xx are retried: by
// azcore's retry policy for Log Analytics, by vigil's retry transport for
// Graph and ADX. 504 (a query that ran out of time) is never retried.
//
// Usage:
//
//	srcs, err := source.Open(source.Config{Sources: []source.SourceConfig{
//		{Name: "sentinel", Kind: source.KindLogAnalytics, WorkspaceID: "<guid>"},
//		{Name: "xdr", Kind: source.KindDefender},
//		{Name: "adx", Kind: source.KindADX, Cluster: "https://c.westeurope.kusto.windows.net", Database: "Logs"},
//	}}, source.Deps{}) // DefaultAzureCredential: az login just works
//	if err != nil { … }
//	all, _ := source.Select(srcs)
//	for _, o := range source.NewMulti(all...).Query(ctx, source.Query{
//		Text: `SigninLogs | where ResultType != 0`, Start: from, End: to, Timeout: 2 * time.Minute,
//	}) {
//		// o.Source, o.Result (Tables, Truncated, PartialErrors), o.Err
//	}
//
// Package fake holds httptest servers speaking each service's wire format,
// with scripted faults, for tests that never touch the network.
package source
