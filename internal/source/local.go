package source

// This file implements the local source: vigil's own engine over the
// embedded store (or any engine.Catalog).

import (
	"context"
	"errors"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
)

// LocalOptions configure a Local source.
type LocalOptions struct {
	// Now is the clock for now() and ago(); nil is the real clock. Tests
	// and re-runs of past investigations pin it.
	Now func() time.Time
}

// Local runs queries with vigil's engine. It ignores Query.Start/End: the
// embedded store takes no timespan, so a query bounds itself in its text.
type Local struct {
	name string
	cat  engine.Catalog
	now  func() time.Time
}

// NewLocal returns a source over cat.
func NewLocal(name string, cat engine.Catalog, opt LocalOptions) *Local {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Local{name: name, cat: cat, now: now}
}

func (s *Local) Name() string { return s.name }
func (s *Local) Kind() string { return KindLocal }

// Query runs q.Text with the engine.
func (s *Local) Query(ctx context.Context, q Query) (*Result, error) {
	began := time.Now()
	if q.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, q.Timeout)
		defer cancel()
	}
	res, err := engine.Query(ctx, q.Text, engine.Options{Catalog: s.cat, Now: s.now(), MaxRows: q.MaxRows})
	if err != nil {
		return nil, s.wrap(ctx, q.Text, err)
	}
	out := &Result{Tables: res.Tables, Truncated: res.Truncated}
	if res.Truncated {
		out.TruncatedReason = "MaxRows: the result had more rows than the cap of " + itoa(q.MaxRows)
	}
	return out.finish(s.name, q, time.Since(began)), nil
}

// wrap turns an engine error into an *Error with the query position.
func (s *Local) wrap(ctx context.Context, text string, err error) error {
	e := &Error{Source: s.name, Err: err, Message: err.Error()}
	var syn parser.ErrorList
	var run *engine.Error
	switch {
	case ctx.Err() != nil:
		e.Kind, e.Message = ErrTimeout, ctx.Err().Error()
	case errors.As(err, &syn) && len(syn) > 0:
		e.Kind, e.Pos, e.Message = ErrSyntax, syn[0].Pos, syn[0].Msg
		e.Pos.Filename = ""
	case errors.As(err, &run):
		e.Kind = ErrSemantic
		e.Pos = token.NewFile("", text).Position(run.Pos)
	default:
		e.Kind = ErrSemantic
	}
	return e
}
