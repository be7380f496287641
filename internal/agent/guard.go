package agent

// This file implements the guardrails every run_kql query passes before it
// reaches a source: parse and check against the catalog, the table and
// column allow-list, a required and capped time bound on every table read,
// refusal of constructs that reach outside, and a row cap.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// GuardConfig is the query policy. The zero value takes the defaults.
type GuardConfig struct {
	// Tables resolves schemas; nil: catalog.Default().
	Tables check.Tables
	// Allow maps a table to the columns the model may read; an empty list
	// allows every column of that table. Nil allows every table Tables
	// knows.
	Allow map[string][]string
	// MaxLookback caps the time bound of every read; default 30 days.
	MaxLookback time.Duration
	// FetchRows is the row cap appended to every query; default 1000.
	FetchRows int
	// AllowCrossScope permits cluster(), database() and workspace().
	AllowCrossScope bool
	// MaxQueryBytes refuses longer query texts; default 8192.
	MaxQueryBytes int
}

func (g GuardConfig) withDefaults() GuardConfig {
	if g.Tables == nil {
		g.Tables = catalog.Default()
	}
	if g.MaxLookback <= 0 {
		g.MaxLookback = 30 * 24 * time.Hour
	}
	if g.FetchRows <= 0 {
		g.FetchRows = 1000
	}
	if g.MaxQueryBytes <= 0 {
		g.MaxQueryBytes = 8192
	}
	return g
}

// Guard applies a GuardConfig. It is read-only and safe for concurrent use.
type Guard struct {
	cfg GuardConfig
}

// NewGuard returns a guard for cfg (defaults filled in).
func NewGuard(cfg GuardConfig) *Guard { return &Guard{cfg: cfg.withDefaults()} }

// Checked is a query the guard let through.
type Checked struct {
	Query  string            // the text to run: the model's, with the row cap
	Capped bool              // a take was appended
	Reads  []check.TableRead // every table read, with its columns and bound
}

// Table is the first table the query reads, for labelling evidence.
func (c *Checked) Table() string {
	if len(c.Reads) == 0 {
		return "query"
	}
	return c.Reads[0].Table
}

// Refusal is a tool call the guard or a tool refused. Message is what the
// model sees: every problem, with a caret under the offending source.
type Refusal struct {
	Tool    string
	Code    string // first problem's code: UnboundedTime, UnknownColumn, …
	Message string
	Input   string // the query or arguments refused
}

func (r *Refusal) Error() string { return "refused (" + r.Code + "): " + r.Message }

// problem is one reason to refuse, located in the source when possible.
type problem struct {
	code string
	span token.Span
	msg  string
}

// Check parses, checks and polices query with now as the reference for
// absolute time bounds.
func (g *Guard) Check(query string, now time.Time) (*Checked, *Refusal) {
	if strings.TrimSpace(query) == "" {
		return nil, &Refusal{Tool: "run_kql", Code: "EmptyQuery", Message: "the query is empty", Input: query}
	}
	if len(query) > g.cfg.MaxQueryBytes {
		return nil, &Refusal{Tool: "run_kql", Code: "QueryTooLong", Input: query,
			Message: fmt.Sprintf("the query is %d bytes; the limit is %d", len(query), g.cfg.MaxQueryBytes)}
	}
	f := token.NewFile("query", query)
	q, err := parser.Parse(f)
	if err != nil {
		return nil, g.refuse(f, syntaxProblems(err))
	}
	info, err := check.Check(q, f, &check.Config{Tables: g.cfg.Tables, MaxTake: int64(g.cfg.FetchRows)})
	var probs []problem
	if errs, ok := err.(check.ErrorList); ok {
		for _, e := range errs {
			if !e.Soft {
				probs = append(probs, problem{string(e.Code), e.Span, e.Msg})
			}
		}
	} else if err != nil {
		probs = append(probs, problem{code: "CheckFailed", msg: err.Error()})
	}
	probs = append(probs, g.risks(info)...)
	probs = append(probs, g.reads(info, now)...)
	if len(probs) > 0 {
		return nil, g.refuse(f, probs)
	}
	text, capped := capRows(query, q, g.cfg.FetchRows)
	return &Checked{Query: text, Capped: capped, Reads: info.Tables}, nil
}

func syntaxProblems(err error) []problem {
	errs, ok := err.(parser.ErrorList)
	if !ok {
		return []problem{{code: "SyntaxError", msg: err.Error()}}
	}
	var out []problem
	for _, e := range errs {
		out = append(out, problem{"SyntaxError", e.Span, e.Msg})
	}
	return out
}

// risks refuses constructs that reach outside the workspace.
func (g *Guard) risks(info *check.Info) []problem {
	var out []problem
	for _, r := range info.Risks {
		switch r.Kind {
		case check.ExternalData:
			out = append(out, problem{string(r.Kind), r.Span, "externaldata is not allowed: queries may read the workspace only"})
		case check.Plugin:
			out = append(out, problem{string(r.Kind), r.Span, r.Detail + " reaches outside the workspace and is not allowed"})
		case check.CrossScope:
			if !g.cfg.AllowCrossScope {
				out = append(out, problem{string(r.Kind), r.Span, r.Detail + " is not allowed: query this workspace only"})
			}
		}
	}
	return out
}

// reads applies the allow-list and the time-bound rule to every read.
func (g *Guard) reads(info *check.Info, now time.Time) []problem {
	var out []problem
	for _, tr := range info.Tables {
		if p, ok := g.allowed(tr); !ok {
			out = append(out, p...)
			continue
		}
		if p, ok := g.bounded(tr, now); !ok {
			out = append(out, p)
		}
	}
	return append(out, g.outputColumns(info)...)
}

func (g *Guard) allowed(tr check.TableRead) ([]problem, bool) {
	if g.cfg.Allow == nil {
		return nil, tr.Known // an unknown table is already a checker error
	}
	cols, ok := g.cfg.Allow[tr.Table]
	if !ok {
		return []problem{{"TableNotAllowed", tr.Span, fmt.Sprintf("table %s is not allowed in this run; allowed: %s",
			tr.Table, strings.Join(sortedKeys(g.cfg.Allow), ", "))}}, false
	}
	var out []problem
	for _, c := range tr.Columns {
		if len(cols) > 0 && !slices.Contains(cols, c) {
			out = append(out, problem{"ColumnNotAllowed", tr.Span, fmt.Sprintf("column %s of %s is not allowed in this run", c, tr.Table)})
		}
	}
	return out, len(out) == 0
}

// outputColumns refuses a result that would carry a column the allow-list
// withholds (a read without project returns every column).
func (g *Guard) outputColumns(info *check.Info) []problem {
	if g.cfg.Allow == nil || info.Output == nil {
		return nil
	}
	var out []problem
	for _, tr := range info.Tables {
		cols := g.cfg.Allow[tr.Table]
		schema, ok := g.cfg.Tables.LookupTable(tr.Table)
		if len(cols) == 0 || !ok {
			continue
		}
		for _, c := range info.Output.Columns {
			if schema.Index(c.Name) >= 0 && !slices.Contains(cols, c.Name) {
				out = append(out, problem{"ColumnNotAllowed", tr.Span, fmt.Sprintf("the result would include column %s of %s, which is not allowed; project allowed columns only", c.Name, tr.Table)})
			}
		}
	}
	return out
}

// bounded requires a lower time bound no longer than MaxLookback. A table
// with no time column cannot be bounded and is let through (rows are
// still capped).
func (g *Guard) bounded(tr check.TableRead, now time.Time) (problem, bool) {
	b := tr.Time
	limit := g.cfg.MaxLookback
	if !b.Bounded {
		if b.Column == "" {
			return problem{}, true
		}
		return problem{string(check.UnboundedTime), tr.Span, fmt.Sprintf(
			"no time filter on %s: add | where %s > ago(1d) (at most ago(%s)) right after the table", tr.Table, b.Column, days(limit))}, false
	}
	look := b.Lookback
	if b.From != nil {
		look = max(look, now.Sub(*b.From))
	}
	if b.Lookback == 0 && b.From == nil {
		return problem{"TimeBoundUnknown", tr.Span, fmt.Sprintf(
			"the time bound on %s cannot be worked out before running; use %s > ago(…) or a datetime literal", tr.Table, b.Column)}, false
	}
	if look > limit {
		return problem{"LookbackTooLong", tr.Span, fmt.Sprintf(
			"the time bound on %s reaches back %s; the limit is %s", tr.Table, days(look), days(limit))}, false
	}
	return problem{}, true
}

// days formats a duration in KQL's own units: 30d, 36h, 90m.
func days(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d > 24*time.Hour:
		return strconv.FormatFloat(d.Hours()/24, 'f', 1, 64) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/time.Minute)) + "m"
}

// refuse builds the refusal the model sees: each problem with its
// position, message and a caret line under the source.
func (g *Guard) refuse(f *token.File, probs []problem) *Refusal {
	var b strings.Builder
	for i, p := range probs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(describe(f, p.span, p.code, p.msg))
	}
	return &Refusal{Tool: "run_kql", Code: probs[0].code, Message: b.String(), Input: f.Src}
}

// capRows appends "| take n" to every query statement whose pipeline does
// not already end in a take, limit or top of at most n.
func capRows(src string, q *ast.Query, n int) (string, bool) {
	capped := false
	for i := len(q.Stmts) - 1; i >= 0; i-- {
		st, ok := q.Stmts[i].(*ast.ExprStmt)
		if !ok || smallTake(st.X, n) {
			continue
		}
		at := st.X.End().Offset()
		src = src[:at] + "\n| take " + strconv.Itoa(n) + src[at:]
		capped = true
	}
	return src, capped
}

func smallTake(x ast.Expr, n int) bool {
	p, ok := x.(*ast.PipeExpr)
	if !ok {
		return false
	}
	var count ast.Expr
	switch op := p.Op.(type) {
	case *ast.TakeOp:
		count = op.N
	case *ast.TopOp:
		count = op.N
	default:
		return false
	}
	lit, ok := count.(*ast.BasicLit)
	if !ok {
		return false
	}
	v, err := strconv.Atoi(lit.Value)
	return err == nil && v <= n
}
