package check

// This file implements relations and the flow of table reads through a
// pipeline: which table columns a column of the current schema still is,
// so that column references and time bounds are credited to the read.

import (
	"sort"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// rel is a tabular value: its schema and the reads whose rows flow into
// it unchanged (only row- and column-preserving operators in between).
type rel struct {
	schema *types.Schema
	flows  []*flow
}

// flow is one read's rows as seen at a point of a pipeline.
type flow struct {
	r     *read
	cols  map[string]string // column name here -> the table's column name
	bound TimeBound         // the tightest bound met so far on this path
	done  bool              // bound already committed (right side of a join); only column tracking goes on
}

// read is one reference to a table.
type read struct {
	name    string
	span    token.Span
	known   bool
	open    bool            // the table's schema is not known: any column name may be one of its columns
	timeCol string          // the table's time column, "" if none
	dtCols  map[string]bool // the table's datetime columns
	refs    map[string]bool
	paths   []TimeBound // the bound of every path the rows take to a result
}

// openRel returns a relation with an open schema and no reads.
func openRel() *rel { return &rel{schema: &types.Schema{Open: true}} }

// emptyRel returns a relation with a closed schema of cols and no reads.
func schemaRel(s *types.Schema) *rel { return &rel{schema: s} }

// newRead records a read of table name at n and returns its relation.
func (c *checker) newRead(name string, n ast.Node, s *types.Schema, known bool) *rel {
	rd := &read{
		name: name, span: token.Span{Pos: n.Pos(), End: n.End()}, known: known,
		open: s.Open, dtCols: make(map[string]bool), refs: make(map[string]bool),
	}
	f := &flow{r: rd, cols: make(map[string]string, len(s.Columns))}
	for _, col := range s.Columns {
		f.cols[col.Name] = col.Name
		if col.Type == types.Datetime {
			rd.dtCols[col.Name] = true
		}
	}
	for _, tc := range [...]string{"Timestamp", "TimeGenerated"} {
		if rd.dtCols[tc] {
			rd.timeCol = tc
			break
		}
	}
	if rd.timeCol == "" {
		for _, col := range s.Columns {
			if col.Type == types.Datetime {
				rd.timeCol = col.Name
				break
			}
		}
	}
	f.bound.Column = rd.timeCol
	if c.quiet == 0 {
		c.reads = append(c.reads, rd)
	}
	return &rel{schema: s, flows: []*flow{f}}
}

// clone copies r so that a let-bound value can flow into several uses.
func (r *rel) clone() *rel {
	out := &rel{schema: r.schema.Clone()}
	for _, f := range r.flows {
		g := *f
		g.cols = make(map[string]string, len(f.cols))
		for k, v := range f.cols {
			g.cols[k] = v
		}
		out.flows = append(out.flows, &g)
	}
	return out
}

// trackOnly copies r for a sub-query (mv-apply, partition, fork): its
// column references are credited, but its filters and breaks do not
// decide the reads' time bounds.
func trackOnly(r *rel) *rel {
	out := r.clone()
	for _, f := range out.flows {
		f.done = true
	}
	return out
}

// carry returns the relation of out, whose columns named in pass are the
// input columns they map to; other columns are new.
func carry(in *rel, out *types.Schema, pass map[string]string) *rel {
	r := &rel{schema: out}
	for _, f := range in.flows {
		g := *f
		g.cols = make(map[string]string)
		for o, i := range pass {
			if t, ok := f.cols[i]; ok {
				g.cols[o] = t
			}
		}
		r.flows = append(r.flows, &g)
	}
	return r
}

// keepSame carries in into out, mapping every column of out that has the
// same name and was not recomputed (not in changed).
func keepSame(in *rel, out *types.Schema, changed map[string]bool) *rel {
	pass := make(map[string]string)
	for _, col := range out.Columns {
		if !changed[col.Name] && in.schema.Index(col.Name) >= 0 {
			pass[col.Name] = col.Name
		}
	}
	return carry(in, out, pass)
}

// commit ends every flow of r: its rows reach a result or an operator
// that does not preserve them, so the bound met so far is final.
func (c *checker) commit(r *rel) {
	if r == nil {
		return
	}
	for _, f := range r.flows {
		if !f.done {
			f.r.paths = append(f.r.paths, f.bound)
			f.done = true
		}
	}
}

// breakRel commits r's flows and returns a relation of s without reads.
func (c *checker) breakRel(r *rel, s *types.Schema) *rel {
	c.commit(r)
	return &rel{schema: s}
}

// refColumn credits a reference to column name of r to the reads.
func refColumn(r *rel, name string) {
	if r == nil {
		return
	}
	known := r.schema.Index(name) >= 0
	for _, f := range r.flows {
		if t, ok := f.cols[name]; ok {
			f.r.refs[t] = true
		} else if !known && f.r.open {
			f.r.refs[name] = true
		}
	}
}

// refAll credits every column of r (a * in arg_max, distinct *, …).
func refAll(r *rel) {
	for _, col := range r.schema.Columns {
		refColumn(r, col.Name)
	}
}

// finishReads fills Info.Tables from the reads.
func (c *checker) finishReads() {
	sort.SliceStable(c.reads, func(i, j int) bool { return c.reads[i].span.Pos < c.reads[j].span.Pos })
	for _, rd := range c.reads {
		tr := TableRead{Table: rd.name, Span: rd.span, Known: rd.known, Columns: []string{}, Time: rd.bound()}
		for col := range rd.refs {
			tr.Columns = append(tr.Columns, col)
		}
		sort.Strings(tr.Columns)
		c.info.Tables = append(c.info.Tables, tr)
		if !tr.Time.Bounded {
			detail := "no time filter on " + rd.name
			if rd.timeCol != "" {
				detail += " (add a where on " + rd.timeCol + ")"
			}
			c.info.Risks = append(c.info.Risks, Risk{Kind: UnboundedTime, Span: rd.span, Detail: detail})
		}
	}
}

// bound combines the paths of a read: bounded only if every path is, and
// then as loose as the loosest path.
func (rd *read) bound() TimeBound {
	if len(rd.paths) == 0 {
		return TimeBound{Column: rd.timeCol}
	}
	out := rd.paths[0]
	for _, p := range rd.paths[1:] {
		if !p.Bounded || !out.Bounded {
			return TimeBound{Column: rd.timeCol}
		}
		out = looser(out, p)
	}
	if !out.Bounded {
		out.Column = rd.timeCol
		if out.Column == "" {
			out = TimeBound{}
		}
	}
	return out
}

// looser returns the bound that admits more rows, of two bounded paths.
// A bound of unknown value on either path makes the result unknown.
func looser(a, b TimeBound) TimeBound {
	out := a
	if unknownValue(a) || unknownValue(b) {
		out.Lookback, out.From = 0, nil
	} else {
		out.Lookback = maxDur(a.Lookback, b.Lookback)
		out.From = earlier(a.From, b.From)
	}
	if a.To == nil || b.To == nil {
		out.To = nil
	} else if b.To.After(*a.To) {
		out.To = b.To
	}
	return out
}

func unknownValue(b TimeBound) bool { return b.Lookback == 0 && b.From == nil }

// earlier returns the earlier of two times; nil when either is nil.
func earlier(a, b *time.Time) *time.Time {
	if a == nil || b == nil {
		return nil
	}
	if b.Before(*a) {
		return b
	}
	return a
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}
