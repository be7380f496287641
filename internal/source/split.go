package source

// This file implements time splitting: a query whose result the service
// cut at its row or size limit is run again on each half of its timespan,
// recursively, and the halves' rows are concatenated.
//
// Splitting is only correct when the answer over [a, c) is the answer
// over [a, b) followed by the answer over [b, c): the query must filter,
// project and extend rows of one table and nothing more (no summarize,
// take, top, sort, join, sub-query or user function, whose results over
// the halves do not add up). splittable checks that on the syntax tree.
//
// The recursion is bounded by SplitOptions.MaxDepth (2^depth pieces at
// most, each a service call, 2^(depth+1)-1 calls in the worst case) and
// MinSpan. Halves are half-open, [start, mid) and [mid, end), the way the
// services are assumed to apply a timespan [U: not documented]. Pieces run
// one after another, to stay inside the services' concurrency limits.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// SplitOptions bound time splitting. Zero values take the defaults.
type SplitOptions struct {
	// MaxDepth is how many times a range may be halved (4: 16 pieces).
	// Negative disables splitting.
	MaxDepth int
	// MinSpan is the shortest range that is still halved (1 minute).
	MinSpan time.Duration
}

func (o SplitOptions) withDefaults() SplitOptions {
	if o.MaxDepth == 0 {
		o.MaxDepth = 4
	}
	if o.MinSpan <= 0 {
		o.MinSpan = time.Minute
	}
	return o
}

// runFunc runs one piece of a query.
type runFunc func(ctx context.Context, q Query) (*Result, error)

// runSplit runs q, halving its timespan while the service truncates.
func runSplit(ctx context.Context, q Query, opt SplitOptions, run runFunc) (*Result, error) {
	ok := opt.MaxDepth > 0 && !q.Start.IsZero() && !q.End.IsZero() && splittable(q.Text)
	return splitRec(ctx, q, opt, 0, ok, run)
}

func splitRec(ctx context.Context, q Query, opt SplitOptions, depth int, ok bool, run runFunc) (*Result, error) {
	res, err := run(ctx, q)
	if !ok || !needsSplit(res, err, q) {
		return res, err
	}
	if depth >= opt.MaxDepth || q.End.Sub(q.Start) < 2*opt.MinSpan {
		return stillCut(res, err, depth)
	}
	mid := q.Start.Add(q.End.Sub(q.Start) / 2).Truncate(100 * time.Nanosecond)
	left, right := q, q
	left.End, right.Start = mid, mid
	lr, err := splitRec(ctx, left, opt, depth+1, ok, run)
	if err != nil {
		return nil, err
	}
	rr, err := splitRec(ctx, right, opt, depth+1, ok, run)
	if err != nil {
		return nil, err
	}
	out, err := merge(lr, rr)
	if err != nil {
		return nil, err
	}
	out.Stats.Requests++ // the call whose cut answer was split
	return out, nil
}

// needsSplit reports whether the service cut the answer: a truncated
// result, or a result-too-large error.
func needsSplit(res *Result, err error, q Query) bool {
	if err != nil {
		return errors.Is(err, ErrTooLarge)
	}
	if !res.limited {
		return false
	}
	// MaxRows rows are all the caller wants; more pieces cannot help.
	return q.MaxRows == 0 || res.rows() < q.MaxRows
}

// stillCut returns a piece that is still cut when no more splitting is
// allowed, saying so.
func stillCut(res *Result, err error, depth int) (*Result, error) {
	if err != nil {
		return nil, err
	}
	if depth > 0 {
		res.TruncatedReason += fmt.Sprintf(" (still cut after splitting the timespan %d times)", depth)
	}
	return res, nil
}

// merge concatenates two pieces' tables, which must have the same shape.
func merge(a, b *Result) (*Result, error) {
	if len(a.Tables) != len(b.Tables) {
		return nil, fmt.Errorf("time split: pieces returned %d and %d tables", len(a.Tables), len(b.Tables))
	}
	out := &Result{
		PartialErrors: append(append([]QueryError(nil), a.PartialErrors...), b.PartialErrors...),
		limited:       a.limited || b.limited,
	}
	for i, t := range a.Tables {
		u := b.Tables[i]
		if t.Schema.String() != u.Schema.String() {
			return nil, fmt.Errorf("time split: pieces returned tables %s and %s", t.Schema, u.Schema)
		}
		m := engine.NewBatch(t.Schema, t.N+u.N)
		for j := range m.Cols {
			m.Cols[j].AppendColumn(t.Cols[j])
			m.Cols[j].AppendColumn(u.Cols[j])
		}
		m.N = t.N + u.N
		out.Tables = append(out.Tables, m)
	}
	out.Truncated = a.Truncated || b.Truncated
	out.TruncatedReason = firstNonEmpty(a.TruncatedReason, b.TruncatedReason)
	out.Stats.Requests = max(a.Stats.Requests, 1) + max(b.Stats.Requests, 1)
	out.Stats.ServerStats = appendStats(a.Stats.ServerStats, b.Stats.ServerStats)
	return out, nil
}

// appendStats gathers the pieces' server statistics into one []any.
func appendStats(a, b any) any {
	var out []any
	for _, s := range []any{a, b} {
		switch s := s.(type) {
		case nil:
		case []any:
			out = append(out, s...)
		default:
			out = append(out, s)
		}
	}
	if out == nil {
		return nil
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// rowwiseOps are the operators whose output over a union of time ranges
// is the union of their outputs.
func rowwise(op ast.Operator) bool {
	switch op.(type) {
	case *ast.WhereOp, *ast.ProjectOp, *ast.ExtendOp, *ast.ProjectAwayOp,
		*ast.ProjectRenameOp, *ast.ProjectReorderOp, *ast.ParseOp, *ast.ParseKVOp,
		*ast.MvExpandOp:
		return true
	}
	return false
}

// tabularFuncs are calls that read other tables or results.
var tabularFuncs = map[string]bool{
	"table": true, "materialize": true, "toscalar": true, "database": true,
	"cluster": true, "workspace": true, "app": true, "resource": true, "view": true,
}

// splittable reports whether text is one table piped through row-wise
// operators only, with scalar let statements at most.
func splittable(text string) bool {
	q, err := parser.Parse(token.NewFile("", text))
	if err != nil {
		return false
	}
	lets := map[string]bool{}
	var main ast.Expr
	for _, st := range q.Stmts {
		switch st := st.(type) {
		case *ast.LetStmt:
			if _, alias := st.Value.(*ast.Ident); alias || !scalarOnly(st.Value, lets) {
				return false
			}
			lets[st.Name.Name] = true
		case *ast.SetStmt:
		case *ast.ExprStmt:
			if main != nil {
				return false
			}
			main = st.X
		default:
			return false
		}
	}
	return main != nil && rowwisePipeline(main, lets)
}

// rowwisePipeline checks T | op | op … with every op row-wise.
func rowwisePipeline(x ast.Expr, lets map[string]bool) bool {
	for {
		switch e := x.(type) {
		case *ast.PipeExpr:
			if e.X == nil || !rowwise(e.Op) || !scalarOnly(e.Op, lets) {
				return false
			}
			x = e.X
		case *ast.Ident:
			return !lets[e.Name] // a let-bound name could hide a tabular value
		default:
			return false
		}
	}
}

// scalarOnly reports whether n reads no table: no sub-query, no tabular
// function, no user function, no lambda, and no bare name as the list of
// an in-operator (it could be a table).
func scalarOnly(n ast.Node, lets map[string]bool) bool {
	ok := true
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.PipeExpr, *ast.FuncLit:
			ok = false
		case *ast.CallExpr:
			if tabularFuncs[n.Fun.Name] || lets[n.Fun.Name] {
				ok = false
			}
		case *ast.InExpr:
			if len(n.List) == 1 {
				if id, isIdent := n.List[0].(*ast.Ident); isIdent && !lets[id.Name] {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}
