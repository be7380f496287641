package agent

// This file measures result minimisation: for each query, the tokens of
// the answer the model would read against the same rows as CSV, and
// whether every row comes back exactly from its handle.

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/tabwriter"

	"github.com/tiktoken-go/tokenizer"
	"github.com/vigil-hunt/vigil/kql/engine"
)

// BenchQueries are hunt-shaped queries over the lab's tables, relative
// to the lab's end time.
var BenchQueries = []string{
	`DeviceProcessEvents | where Timestamp > ago(7d) | where FileName in~ ("powershell.exe", "pwsh.exe", "cmd.exe", "rundll32.exe", "wmic.exe") | project Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine, InitiatingProcessFileName, SHA256, ReportId`,
	`DeviceLogonEvents | where Timestamp > ago(7d) | where ActionType == "LogonFailed"`,
	`SigninLogs | where TimeGenerated > ago(7d) | where ResultType != "0"`,
	`DeviceNetworkEvents | where Timestamp > ago(3d) | where RemotePort in (22, 445, 3389, 5985) | project Timestamp, DeviceName, ActionType, RemoteIP, RemotePort, InitiatingProcessFileName, InitiatingProcessAccountName`,
	`DeviceFileEvents | where Timestamp > ago(2d) | where FolderPath has @"\Temp\" or FileName endswith ".ps1"`,
	`DeviceRegistryEvents | where Timestamp > ago(7d) | where RegistryKey has @"\CurrentVersion\Run"`,
	`DeviceEvents | where Timestamp > ago(7d) | where ActionType == "OpenProcessApiCall" and FileName =~ "lsass.exe"`,
	`DeviceProcessEvents | where Timestamp > ago(7d) | summarize n = count(), devices = dcount(DeviceName) by FileName, InitiatingProcessFileName | top 50 by n`,
	`AzureActivity | where TimeGenerated > ago(7d) | where OperationNameValue has "write"`,
}

// MinimisationRow measures one query's result.
type MinimisationRow struct {
	Query       string
	Rows        int    // rows the query returned (after the guard's cap)
	Distinct    int    // groups of identical rows
	Shown       int    // groups shown to the model
	Format      string // text or json, whichever was cheaper
	CSVTokens   int    // the same rows as CSV with a header
	Tokens      int    // the fenced answer the model reads
	AllTokens   int    // minimised with every group shown (no row cap)
	Recoverable bool   // every row came back exactly from its handle
}

// MinimisationSummary is a MinimisationReport.
type MinimisationSummary struct {
	Model string
	Rows  []MinimisationRow
}

// Totals sums the token columns.
func (s *MinimisationSummary) Totals() (csvTokens, tokens, allTokens int) {
	for _, r := range s.Rows {
		csvTokens += r.CSVTokens
		tokens += r.Tokens
		allTokens += r.AllTokens
	}
	return
}

// Ratio is CSV tokens over minimised tokens, over all queries.
func (s *MinimisationSummary) Ratio() float64 {
	c, t, _ := s.Totals()
	if t == 0 {
		return 0
	}
	return float64(c) / float64(t)
}

// Recoverable reports whether every row of every query was recovered.
func (s *MinimisationSummary) Recoverable() bool {
	for _, r := range s.Rows {
		if !r.Recoverable {
			return false
		}
	}
	return true
}

// WriteTo prints the report as a table and a total line.
func (s *MinimisationSummary) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\trows\tdistinct\tshown\tformat\tcsv tok\tsent tok\tratio\tall-rows tok\tratio\trecoverable\t")
	for i, r := range s.Rows {
		fmt.Fprintf(tw, "q%d\t%d\t%d\t%d\t%s\t%d\t%d\t%.1f×\t%d\t%.1f×\t%v\t\n", i+1, r.Rows, r.Distinct, r.Shown, r.Format,
			r.CSVTokens, r.Tokens, ratio(r.CSVTokens, r.Tokens), r.AllTokens, ratio(r.CSVTokens, r.AllTokens), r.Recoverable)
	}
	tw.Flush()
	c, t, all := s.Totals()
	fmt.Fprintf(&b, "total (%s tokens): CSV %d, minimised %d (%.1f× fewer), every group shown %d (%.1f× fewer); every row recoverable: %v\n",
		s.Model, c, t, ratio(c, t), all, ratio(c, all), s.Recoverable())
	for i, r := range s.Rows {
		fmt.Fprintf(&b, "q%d: %s\n", i+1, r.Query)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// MinimisationReport runs each query through the guard and src, as
// run_kql would, and measures its minimised answer for model's tokenizer
// (o200k_base for unknown names). cfg supplies the guard, the view and Now.
func MinimisationReport(ctx context.Context, src Querier, queries []string, model string, cfg Config) (*MinimisationSummary, error) {
	cfg = cfg.withDefaults()
	guard := NewGuard(cfg.Guard)
	codec := codecFor(nil, model)
	out := &MinimisationSummary{Model: codec.GetName()}
	for _, q := range queries {
		checked, ref := guard.Check(q, cfg.Now)
		if ref != nil {
			return nil, fmt.Errorf("%s: %w", q, ref)
		}
		qr, err := src.Query(ctx, checked.Query, cfg.Guard.FetchRows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		for _, b := range qr.Tables {
			out.Rows = append(out.Rows, measure(q, checked.Table(), checked.Query, qr, b, cfg, codec))
		}
	}
	return out, nil
}

func measure(q, table, text string, qr *QueryResult, b *engine.Batch, cfg Config, codec tokenizer.Codec) MinimisationRow {
	ev := newEvidence()
	res := newResult(table, text, qr.Source, b)
	res.Truncated = qr.Truncated
	m := minimise(res)
	m.handles = ev.add(res, m.groups)
	tk := codec
	body, format, _, n := m.render(cfg.Show, tk)
	all := cfg.Show
	all.MaxGroups, all.MaxTokens = max(len(m.groups), 1), 1<<30
	allBody, _, _, _ := m.render(all, tk)
	return MinimisationRow{
		Query: q, Rows: b.N, Distinct: len(m.groups), Shown: n, Format: format,
		CSVTokens:   countTokens(tk, csvText(b)),
		Tokens:      countTokens(tk, fence(table, body)),
		AllTokens:   countTokens(tk, fence(table, allBody)),
		Recoverable: recoverable(ev, m, b),
	}
}

// csvText writes a batch as CSV: a header, then every cell as text.
func csvText(b *engine.Batch) string {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write(b.Schema.Names())
	for i := range b.N {
		rec := make([]string, len(b.Cols))
		for j, c := range b.Cols {
			rec[j] = cellText(cellJSON(c.Value(i)))
		}
		w.Write(rec)
	}
	w.Flush()
	return sb.String()
}

// recoverable checks that every row of b comes back, exactly and once,
// through the handles the model was given.
func recoverable(ev *Evidence, m *minimised, b *engine.Batch) bool {
	seen := make([]int, b.N)
	for g, h := range m.handles {
		got, ok := ev.Lookup(h)
		if !ok || len(got.Rows) != len(m.groups[g]) {
			return false
		}
		for k, i := range m.groups[g] {
			seen[i]++
			for j, c := range b.Cols {
				if !reflect.DeepEqual(got.Rows[k][b.Schema.Columns[j].Name], cellJSON(c.Value(i))) {
					return false
				}
			}
		}
	}
	for _, n := range seen {
		if n != 1 {
			return false
		}
	}
	return true
}
