package cli

// This file implements "vigil kql check": parse and check query files and
// Sentinel rule YAML, printing diagnostics as text, JSON or SARIF.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/internal/kqlfile"
	"github.com/vigil-hunt/vigil/internal/sarif"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// SyntaxError is the diagnostic code of parse errors.
const codeSyntax = "SyntaxError"

// diagnostic is one error found in a query.
type diagnostic struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line,omitempty"`
	EndColumn int    `json:"end_column,omitempty"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Suggest   string `json:"suggest,omitempty"`

	lineText, endLineText string
}

// checkedQuery is the JSON result for one query.
type checkedQuery struct {
	File     string        `json:"file"`
	Name     string        `json:"name,omitempty"`
	ID       string        `json:"id,omitempty"`
	Errors   []diagnostic  `json:"errors"`
	Analysis *analysisJSON `json:"analysis,omitempty"`
}

type analysisJSON struct {
	Output []columnJSON `json:"output"`
	Open   bool         `json:"output_open,omitempty"`
	Tables []tableJSON  `json:"tables"`
	Risks  []riskJSON   `json:"risks"`
}

type columnJSON struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type tableJSON struct {
	Table    string   `json:"table"`
	Known    bool     `json:"known"`
	Columns  []string `json:"columns"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Bounded  bool     `json:"time_bounded"`
	TimeCol  string   `json:"time_column,omitempty"`
	Lookback string   `json:"lookback,omitempty"`
	From     string   `json:"from,omitempty"`
	To       string   `json:"to,omitempty"`
}

type riskJSON struct {
	Kind   string `json:"kind"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Detail string `json:"detail"`
}

type checkFlags struct {
	syntaxOnly bool
	json       bool
	format     string
}

func newKQLCheckCmd(e *env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [FILE...|-]",
		Short: "Parse and check KQL against the table catalog",
		Long: `Parse and check KQL queries against the built-in table catalog.

FILE may be a query file (any extension), a Sentinel analytic-rule or
hunting-query YAML file (.yaml/.yml: its query: field is checked and errors
point at lines of the YAML file), or - for standard input. Errors print as
file:line:col: message; the exit code is 1 when any query has an error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(e, f, args)
		},
	}
	cmd.Flags().BoolVar(&f.syntaxOnly, "syntax-only", false, "check syntax only (for queries over tables the catalog does not know)")
	cmd.Flags().BoolVar(&f.json, "json", false, "print errors and the analysis as JSON (same as --format json)")
	cmd.Flags().StringVar(&f.format, "format", "text", "output format: text, json or sarif")
	return cmd
}

func runCheck(e *env, f checkFlags, args []string) error {
	if f.json {
		f.format = "json"
	}
	switch f.format {
	case "text", "json", "sarif":
	default:
		return usageErr("unknown --format %q (want text, json or sarif)", f.format)
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	var (
		results  []checkedQuery
		failed   bool
		readErrs []error
	)
	for _, path := range args {
		qs, err := kqlfile.Read(path, e.stdin)
		if err != nil {
			readErrs = append(readErrs, err)
			continue
		}
		for _, q := range qs {
			r := checkQuery(q, f.syntaxOnly)
			if len(r.Errors) > 0 {
				failed = true
			}
			results = append(results, r)
		}
	}
	for _, err := range readErrs {
		fmt.Fprintf(e.stderr, "vigil: %v\n", err)
	}
	if err := writeCheckResults(e, f.format, results); err != nil {
		return err
	}
	switch {
	case len(readErrs) > 0:
		return &exitError{code: ExitUsage}
	case failed:
		return &exitError{code: ExitFindings}
	}
	return nil
}

// checkQuery parses q and, when it parses, checks it.
func checkQuery(q kqlfile.Query, syntaxOnly bool) checkedQuery {
	r := checkedQuery{File: q.File.Name, Name: q.Name, ID: q.ID, Errors: []diagnostic{}}
	tree, err := parser.Parse(q.File)
	if err != nil {
		var list parser.ErrorList
		if !errors.As(err, &list) {
			r.Errors = append(r.Errors, diagnostic{File: q.File.Name, Code: codeSyntax, Message: err.Error()})
			return r
		}
		for _, pe := range list {
			d := spanDiagnostic(q.File, pe.Span, codeSyntax, pe.Msg)
			d.File, d.Line, d.Column = pe.Pos.Filename, pe.Pos.Line, pe.Pos.Column
			r.Errors = append(r.Errors, d)
		}
		return r
	}
	if syntaxOnly {
		return r
	}
	info, err := check.Check(tree, q.File, &check.Config{Tables: catalog.Default()})
	var list check.ErrorList
	if errors.As(err, &list) {
		for _, ce := range list {
			d := spanDiagnostic(q.File, ce.Span, string(ce.Code), ce.Msg)
			d.Suggest = ce.Suggest
			r.Errors = append(r.Errors, d)
		}
	}
	r.Analysis = analysis(q.File, info)
	return r
}

func spanDiagnostic(f *token.File, sp token.Span, code, msg string) diagnostic {
	p := f.Position(sp.Pos)
	d := diagnostic{File: f.Name, Line: p.Line, Column: p.Column, Code: code, Message: msg}
	d.lineText = f.Line(p.Line - f.LineOffset)
	if sp.End.IsValid() {
		ep := f.Position(sp.End)
		d.EndLine, d.EndColumn = ep.Line, ep.Column
		d.endLineText = f.Line(ep.Line - f.LineOffset)
	}
	return d
}

func analysis(f *token.File, info *check.Info) *analysisJSON {
	if info == nil {
		return nil
	}
	a := &analysisJSON{Output: []columnJSON{}, Tables: []tableJSON{}, Risks: []riskJSON{}}
	if info.Output != nil {
		for _, c := range info.Output.Columns {
			a.Output = append(a.Output, columnJSON{Name: c.Name, Type: c.Type.String()})
		}
		a.Open = info.Output.Open
	}
	for _, t := range info.Tables {
		p := f.Position(t.Span.Pos)
		tj := tableJSON{Table: t.Table, Known: t.Known, Columns: t.Columns, Line: p.Line, Column: p.Column,
			Bounded: t.Time.Bounded, TimeCol: t.Time.Column}
		if tj.Columns == nil {
			tj.Columns = []string{}
		}
		if t.Time.Lookback > 0 {
			tj.Lookback = t.Time.Lookback.String()
		}
		if t.Time.From != nil {
			tj.From = t.Time.From.UTC().Format(time.RFC3339Nano)
		}
		if t.Time.To != nil {
			tj.To = t.Time.To.UTC().Format(time.RFC3339Nano)
		}
		a.Tables = append(a.Tables, tj)
	}
	for _, r := range info.Risks {
		p := f.Position(r.Span.Pos)
		a.Risks = append(a.Risks, riskJSON{Kind: string(r.Kind), Line: p.Line, Column: p.Column, Detail: r.Detail})
	}
	return a
}

func writeCheckResults(e *env, format string, results []checkedQuery) error {
	switch format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if results == nil {
			results = []checkedQuery{}
		}
		return enc.Encode(results)
	case "sarif":
		return writeSARIF(e.stdout, results)
	}
	caret := isTerminal(e.stdout)
	n := 0
	for _, r := range results {
		for _, d := range r.Errors {
			n++
			fmt.Fprintf(e.stdout, "%s:%d:%d: %s\n", d.File, d.Line, d.Column, d.Message)
			if caret && d.lineText != "" {
				fmt.Fprintf(e.stdout, "\t%s\n\t%s^\n", d.lineText, caretPad(d.lineText, d.Column))
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "%d error(s) in %d quer%s\n", n, len(results), plural(len(results), "y", "ies"))
	}
	return nil
}

func writeSARIF(w io.Writer, results []checkedQuery) error {
	var (
		res   []sarif.Result
		codes = map[string]bool{}
	)
	for _, r := range results {
		for _, d := range r.Errors {
			codes[d.Code] = true
			res = append(res, sarif.Result{
				RuleID: d.Code, Level: "error", Message: d.Message, File: d.File,
				Line: d.Line, Column: d.Column, EndLine: d.EndLine, EndColumn: d.EndColumn,
				LineText: d.lineText, EndLineText: d.endLineText,
			})
		}
	}
	var rules []sarif.Rule
	for c := range codes {
		rules = append(rules, sarif.Rule{ID: c, Text: ruleText(c)})
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return sarif.Write(w, "vigil", Version, "", rules, res)
}

// ruleText describes a diagnostic code for SARIF consumers.
func ruleText(code string) string {
	if code == codeSyntax {
		return "The query is not valid KQL syntax."
	}
	return "KQL check: " + code
}

// caretPad returns the white space that puts a caret under byte column col
// of line, keeping tabs so the caret lines up.
func caretPad(line string, col int) string {
	b := make([]byte, 0, col)
	for i := 0; i < col-1 && i < len(line); i++ {
		if line[i] == '\t' {
			b = append(b, '\t')
		} else {
			b = append(b, ' ')
		}
	}
	return string(b)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
