// Package suite holds the hunting queries vigil's benchmark runs, each
// written twice: in KQL for vigil and in equivalent SQL for DuckDB over
// the same Parquet segments.
//
// The SQL reads views named after the tables (see Views). Where the two
// languages differ the SQL follows Kusto:
//
//   - has: Kusto terms are maximal runs of ASCII letters and digits and
//     has ignores ASCII case, so `X has "t"` becomes an ILIKE prefilter
//     and a regular expression with [^0-9a-z] (not \b, whose word
//     characters include _) on each side. For the ASCII needles used here
//     the two agree; on non-ASCII text RE2's (?i) folds a few runes (the
//     Kelvin sign) that vigil's ASCII folding does not.
//   - =~ and in~ become lower(X) = / IN: the same for ASCII values.
//   - dcount is Kusto's HyperLogLog estimate of a distinct count; the SQL
//     computes the exact count(DISTINCT). vigil's estimate is exact at the
//     cardinalities here, while DuckDB's approx_count_distinct is off by
//     several per cent on a few dozen values; dcount columns are compared
//     with a tolerance all the same.
//   - Datetimes are stored as TIMESTAMP(NANOS, UTC), which DuckDB reads as
//     TIMESTAMPTZ truncated to microseconds. Time bounds are whole days,
//     half-open, so truncation cannot move a row across them. The DuckDB
//     of go-duckdb has no ICU, so arithmetic and date_trunc on those
//     columns go through a cast to TIMESTAMP (the UTC wall time).
//   - Strings are stored REQUIRED ("" is Kusto's null string), so DuckDB
//     sees "" where Kusto sees an empty string, and both count it.
//
// Usage:
//
//	for _, q := range suite.Queries(end) { … q.KQL … q.SQL … }
package suite

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Query is one benchmark query.
type Query struct {
	Name string
	// Needle marks a needle search, where vigil's term and value
	// indexes should let it skip most of the data.
	Needle bool
	KQL    string
	SQL    string
	// Approx names the result columns holding estimates (dcount), which
	// are compared with a tolerance; the other columns must be equal.
	Approx []string
}

// Queries returns the suite for a lab workspace whose window ends at end
// (lab.Config.End, a whole UTC day); run the KQL with engine.Options.Now
// set to end.
func Queries(end time.Time) []Query {
	r := timeReplacer(end)
	out := make([]Query, len(queries))
	for i, q := range queries {
		q.KQL = r(q.KQL, kqlTime)
		q.SQL = r(q.SQL, sqlTime)
		out[i] = q
	}
	return out
}

// Views returns the statements creating one DuckDB view per table over
// the table's segments in the workspace directory ws.
func Views(ws string, tables []string) []string {
	var out []string
	for _, t := range tables {
		glob := filepath.ToSlash(filepath.Join(ws, "tables", t, "*", "*.parquet"))
		out = append(out, fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet('%s')", t, glob))
	}
	return out
}

// The queries name times relative to the end of the window: {end},
// {1d} (a day before it), {2d}, {7d}.
var offsets = map[string]time.Duration{"{end}": 0, "{1d}": 24 * time.Hour, "{2d}": 48 * time.Hour, "{7d}": 7 * 24 * time.Hour}

func kqlTime(t time.Time) string { return "datetime(" + t.Format(time.RFC3339) + ")" }
func sqlTime(t time.Time) string { return "TIMESTAMPTZ '" + t.Format("2006-01-02 15:04:05") + "+00'" }

func timeReplacer(end time.Time) func(s string, lit func(time.Time) string) string {
	return func(s string, lit func(time.Time) string) string {
		var pairs []string
		for k, d := range offsets {
			pairs = append(pairs, k, lit(end.UTC().Add(-d)))
		}
		return strings.TrimSpace(strings.NewReplacer(pairs...).Replace(s))
	}
}

// hasSQL is the SQL of `col has term` for a term of ASCII letters and
// digits.
func hasSQL(col, term string) string {
	return fmt.Sprintf(`%[1]s ILIKE '%%%[2]s%%' AND regexp_matches(%[1]s, '(?i)(^|[^0-9a-z])%[2]s($|[^0-9a-z])')`, col, term)
}

var queries = []Query{
	{
		Name:   "needle-cmdline-has",
		Needle: true,
		KQL: `
DeviceProcessEvents
| where ProcessCommandLine has "comsvcs"
| project Timestamp, DeviceName, AccountName, ProcessCommandLine`,
		SQL: `
SELECT Timestamp, DeviceName, AccountName, ProcessCommandLine
FROM DeviceProcessEvents
WHERE ` + hasSQL("ProcessCommandLine", "comsvcs"),
	},
	{
		Name:   "needle-url-has",
		Needle: true,
		KQL: `
DeviceNetworkEvents
| where RemoteUrl has "lumenrelay"
| project Timestamp, DeviceName, RemoteIP, RemotePort, RemoteUrl, InitiatingProcessFileName`,
		SQL: `
SELECT Timestamp, DeviceName, RemoteIP, RemotePort, RemoteUrl, InitiatingProcessFileName
FROM DeviceNetworkEvents
WHERE ` + hasSQL("RemoteUrl", "lumenrelay"),
	},
	{
		Name:   "needle-ip-equals",
		Needle: true,
		KQL: `
DeviceNetworkEvents
| where RemoteIP == "203.0.113.200"
| project Timestamp, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName, InitiatingProcessCommandLine`,
		SQL: `
SELECT Timestamp, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName, InitiatingProcessCommandLine
FROM DeviceNetworkEvents
WHERE RemoteIP = '203.0.113.200'`,
	},
	{
		Name: "time-filter-shells",
		KQL: `
DeviceProcessEvents
| where Timestamp >= {1d} and Timestamp < {end}
| where FileName in~ ("powershell.exe", "pwsh.exe", "cmd.exe")
| summarize Runs = count() by DeviceName, FileName`,
		SQL: `
SELECT DeviceName, FileName, count(*) AS Runs
FROM DeviceProcessEvents
WHERE Timestamp >= {1d} AND Timestamp < {end}
  AND lower(FileName) IN ('powershell.exe', 'pwsh.exe', 'cmd.exe')
GROUP BY DeviceName, FileName`,
	},
	{
		Name: "bin-hourly-network",
		KQL: `
DeviceNetworkEvents
| where Timestamp >= {7d} and Timestamp < {end}
| summarize Connections = count() by bin(Timestamp, 1h), ActionType`,
		SQL: `
SELECT date_trunc('hour', Timestamp::TIMESTAMP) AS Timestamp, ActionType, count(*) AS Connections
FROM DeviceNetworkEvents
WHERE Timestamp >= {7d} AND Timestamp < {end}
GROUP BY ALL`,
	},
	{
		Name: "dcount-destinations",
		KQL: `
DeviceNetworkEvents
| summarize Destinations = dcount(RemoteIP), Connections = count() by DeviceName`,
		SQL: `
SELECT DeviceName, count(DISTINCT RemoteIP) AS Destinations, count(*) AS Connections
FROM DeviceNetworkEvents
GROUP BY DeviceName`,
		Approx: []string{"Destinations"},
	},
	{
		Name: "logon-failures-daily",
		KQL: `
DeviceLogonEvents
| where ActionType == "LogonFailed"
| summarize Failures = count() by bin(Timestamp, 1d), AccountName
| where Failures > 5`,
		SQL: `
SELECT date_trunc('day', Timestamp::TIMESTAMP) AS Timestamp, AccountName, count(*) AS Failures
FROM DeviceLogonEvents
WHERE ActionType = 'LogonFailed'
GROUP BY ALL
HAVING count(*) > 5`,
	},
	{
		Name: "join-powershell-network",
		KQL: `
DeviceProcessEvents
| where Timestamp >= {2d} and Timestamp < {end}
| where FileName =~ "powershell.exe"
| project DeviceId, ProcTime = Timestamp
| join kind=inner (
    DeviceNetworkEvents
    | where Timestamp >= {2d} and Timestamp < {end}
    | project DeviceId, DeviceName, Timestamp, RemoteIP
  ) on DeviceId
| where Timestamp between (ProcTime .. ProcTime + 10m)
| summarize Connections = count(), Destinations = dcount(RemoteIP) by DeviceName`,
		SQL: `
SELECT n.DeviceName, count(*) AS Connections, count(DISTINCT n.RemoteIP) AS Destinations
FROM (SELECT DeviceId, Timestamp::TIMESTAMP AS ProcTime FROM DeviceProcessEvents
      WHERE Timestamp >= {2d} AND Timestamp < {end} AND lower(FileName) = 'powershell.exe') p
JOIN (SELECT DeviceId, DeviceName, Timestamp::TIMESTAMP AS Timestamp, RemoteIP FROM DeviceNetworkEvents
      WHERE Timestamp >= {2d} AND Timestamp < {end}) n
  ON p.DeviceId = n.DeviceId
WHERE n.Timestamp BETWEEN p.ProcTime AND p.ProcTime + INTERVAL 10 MINUTE
GROUP BY n.DeviceName`,
		Approx: []string{"Destinations"},
	},
	{
		Name: "arg-max-per-device",
		KQL: `
DeviceNetworkEvents
| summarize arg_max(Timestamp, RemoteIP, RemotePort) by DeviceId`,
		SQL: `
SELECT DeviceId, a.Timestamp, a.RemoteIP, a.RemotePort
FROM (SELECT DeviceId, arg_max({'Timestamp': Timestamp, 'RemoteIP': RemoteIP, 'RemotePort': RemotePort}, Timestamp) AS a
      FROM DeviceNetworkEvents
      GROUP BY DeviceId)`,
	},
	{
		Name: "top-process-ports",
		KQL: `
DeviceNetworkEvents
| summarize Connections = count() by InitiatingProcessFileName, RemotePort
| top 10 by Connections`,
		SQL: `
SELECT InitiatingProcessFileName, RemotePort, count(*) AS Connections
FROM DeviceNetworkEvents
GROUP BY ALL
ORDER BY Connections DESC
LIMIT 10`,
	},
	{
		Name: "rare-parent-child",
		KQL: `
DeviceProcessEvents
| summarize Runs = count(), Devices = dcount(DeviceId) by InitiatingProcessFileName, FileName
| where Runs <= 3`,
		SQL: `
SELECT InitiatingProcessFileName, FileName, count(*) AS Runs, count(DISTINCT DeviceId) AS Devices
FROM DeviceProcessEvents
GROUP BY ALL
HAVING count(*) <= 3`,
		Approx: []string{"Devices"},
	},
}
