package engine

// This file implements the entry points: compiling a query's statements
// and running its query expressions.

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Options configure a run.
type Options struct {
	// Catalog resolves table names; nil means no tables.
	Catalog Catalog
	// Now pins now() and ago(); zero means the current time. Tests and
	// re-runs of past investigations pin it.
	Now time.Time
	// MaxRows caps each result table (0: no cap). Truncation is reported
	// in Result.Truncated.
	MaxRows int
}

// Result holds the result tables of a query, one per query statement.
type Result struct {
	Tables    []*Batch
	Truncated bool
}

// runtime is the state shared by every plan of one run.
type runtime struct {
	// ctx is the run's context, for work done outside a stream's Next
	// (sub-queries of toscalar and in, plugins whose schema needs data).
	ctx     context.Context
	catalog Catalog
	now     value.Datetime
	// materialized caches the result of materialize() and as, by plan.
	materialized map[plan]*Batch
}

// plan is a compiled tabular expression.
type plan interface {
	// schema is the output schema, known before running.
	schema() *types.Schema
	// open starts producing rows.
	open(ctx context.Context, rt *runtime) (Stream, error)
}

// Query parses and runs src.
func Query(ctx context.Context, src string, opts Options) (*Result, error) {
	q, err := parser.Parse(token.NewFile("query", src))
	if err != nil {
		return nil, err
	}
	return Run(ctx, q, opts)
}

// Run compiles and runs q.
func Run(ctx context.Context, q *ast.Query, opts Options) (res *Result, err error) {
	defer func() {
		// A bug in an operator must not take the process down with it.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error running query: %v", r)
		}
	}()
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	rt := &runtime{ctx: ctx, catalog: opts.Catalog, now: value.DatetimeOf(now), materialized: map[plan]*Batch{}}
	c := &compiler{rt: rt}
	sc := newScope(nil)
	res = &Result{}
	for _, st := range q.Stmts {
		switch st := st.(type) {
		case *ast.LetStmt:
			if err := c.let(st, sc); err != nil {
				return nil, err
			}
		case *ast.SetStmt, *ast.DeclareStmt:
			// Request options do not change results here.
		case *ast.ExprStmt:
			p, err := c.tabular(st.X, sc)
			if err != nil {
				return nil, err
			}
			var tables []*Batch
			if mp, ok := p.(multiPlan); ok {
				tables, err = mp.tables(ctx, rt)
			} else {
				var b *Batch
				b, err = runPlan(ctx, rt, p)
				tables = []*Batch{b}
			}
			if err != nil {
				return nil, err
			}
			for _, b := range tables {
				if opts.MaxRows > 0 && b.N > opts.MaxRows {
					b = b.Slice(0, opts.MaxRows)
					res.Truncated = true
				}
				res.Tables = append(res.Tables, b)
			}
		default:
			return nil, errorf(st.Pos(), "", "unsupported statement %T", st)
		}
	}
	return res, nil
}

// runPlan opens p and collects its rows.
func runPlan(ctx context.Context, rt *runtime, p plan) (*Batch, error) {
	s, err := p.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return Collect(ctx, s)
}
