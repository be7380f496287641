// Package fake provides TLS test servers for the services package source
// queries: Log Analytics (NewLogAnalytics), Graph advanced hunting
// (NewGraph), Azure Data Explorer (NewKusto) and Entra ID's token endpoint
// (NewEntra), plus a Credential that needs no network.
//
// The fakes run the query with vigil's own engine over in-memory tables,
// apply the request's timespan first, and answer in the service's wire
// format, including its row limit (RowLimit) and its documented error
// bodies. Faults are scripted per request:
//
//	la := fake.NewLogAnalytics(t, &fake.Data{Tables: tables, TimeColumn: "TimeGenerated"})
//	la.Script(fake.Fault{Status: 429, RetryAfter: "1"}, fake.Fault{Partial: true})
//	// point the client at la.Endpoint() through la.HTTPClient()
//
// Where the services' documentation is silent the fakes guess, and say so
// with [U] in their comments.
package fake
