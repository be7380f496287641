package check

// This file holds the checker's public API: Config, Info, Error and Check.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// Tables resolves table names to schemas. Names are case-sensitive.
// *catalog.Catalog implements it. An implementation may also offer
// Suggest(name) string (did-you-mean for unknown tables) and
// TableNames() []string (needed to expand wildcards such as union Device*).
type Tables interface {
	LookupTable(name string) (*types.Schema, bool)
}

// Config configures Check. The zero value knows no tables.
type Config struct {
	Tables  Tables // nil: no tables known
	MaxTake int64  // take/limit/top/sample above this is a risk (0: DefaultMaxTake)
}

// DefaultMaxTake is the row count above which take, limit, top and sample
// are reported as LargeTake when Config.MaxTake is 0.
const DefaultMaxTake = 100000

// Code classifies an error. Codes are stable: tests, guardrails and the
// LLM feedback match on them.
type Code string

// The error codes.
const (
	UnknownTable              Code = "UnknownTable"
	UnknownColumn             Code = "UnknownColumn"
	UnknownFunction           Code = "UnknownFunction"
	WrongArity                Code = "WrongArity"
	TypeMismatch              Code = "TypeMismatch"
	NotTabular                Code = "NotTabular"
	NotScalar                 Code = "NotScalar"
	AggregateOutsideSummarize Code = "AggregateOutsideSummarize"
	DuplicateColumn           Code = "DuplicateColumn"
	InvalidArgument           Code = "InvalidArgument" // a bad option value (join kind=…)
)

// Error is one finding of the checker. Soft errors are likely but not
// certain problems (a table a fuzzy union tolerates being absent).
type Error struct {
	Span    token.Span
	Pos     token.Position // start of Span, worked out from the file
	Code    Code
	Msg     string // includes the did-you-mean when there is one
	Soft    bool
	Suggest string // did-you-mean candidate, "" when none
}

// Error formats the error as file:line:col: Code: message.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Code, e.Msg)
}

// ErrorList is a list of errors, sortable by position. The zero value is
// an empty list ready to use.
type ErrorList []*Error

func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	if l[i].Span.Pos != l[j].Span.Pos {
		return l[i].Span.Pos < l[j].Span.Pos
	}
	if l[i].Code != l[j].Code {
		return l[i].Code < l[j].Code
	}
	return l[i].Msg < l[j].Msg
}

// Sort sorts the list by position, then code and message.
func (l ErrorList) Sort() { sort.Stable(l) }

// Err returns l as an error, or nil when l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error joins the messages, one a line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Info is what the checker learned about a query.
type Info struct {
	Types   map[ast.Expr]types.Type    // every scalar expression
	Schemas map[ast.Expr]*types.Schema // every tabular expression
	Output  *types.Schema              // result of the last query statement; nil if none
	Tables  []TableRead                // every read of a table, in source order
	Risks   []Risk                     // risky constructs, in source order
}

// TableRead is one reference to a table (catalogued or not).
type TableRead struct {
	Table   string
	Span    token.Span
	Known   bool      // the table is in the catalog
	Columns []string  // sorted: the table's columns the query references
	Time    TimeBound // how a where on the table's pipeline bounds its time
}

// TimeBound says whether and how a read's time column is bounded from
// below. Lookback is set for bounds relative to now (ago(3d) gives 72h;
// startofday(ago(1d)) gives the longest it can be, 48h); From and To hold
// literal absolute bounds. A bound whose value is not known statically
// (toscalar(…), a query parameter) is Bounded with neither set.
type TimeBound struct {
	Column   string // the bounded column; when unbounded, the table's time column ("" if none)
	Bounded  bool
	Lookback time.Duration
	From, To *time.Time
}

// RiskKind classifies a risky construct.
type RiskKind string

// The risk kinds.
const (
	ExternalData  RiskKind = "ExternalData"  // externaldata reads from a URL
	Plugin        RiskKind = "Plugin"        // evaluate of a plugin that reaches outside (http_request, python, sql_request, …)
	CrossScope    RiskKind = "CrossScope"    // cluster(), database(), workspace(), app() references
	LargeTake     RiskKind = "LargeTake"     // take/limit/top/sample N above Config.MaxTake
	UnboundedTime RiskKind = "UnboundedTime" // a table read with no time bound
)

// Risk is a risky construct found in the query.
type Risk struct {
	Kind   RiskKind
	Span   token.Span
	Detail string
}

// Check checks q, whose positions refer to f, against conf. The Info is
// always non-nil and as complete as the errors allow; the error is an
// ErrorList (sorted by position) or nil.
func Check(q *ast.Query, f *token.File, conf *Config) (*Info, error) {
	c := newChecker(f, conf)
	if q != nil {
		c.query_ = q
		c.query(q)
	}
	c.finish()
	c.errs.Sort()
	return c.info, c.errs.Err()
}
