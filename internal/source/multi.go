package source

// This file fans one query out to several sources.

import (
	"context"
	"fmt"
	"sync"
)

// Multi runs a query on several sources at once.
type Multi struct {
	sources []Source
	limit   int
}

// NewMulti returns a Multi over sources, in that order.
func NewMulti(sources ...Source) *Multi { return &Multi{sources: sources} }

// WithLimit caps how many sources run at once (0: all).
func (m *Multi) WithLimit(n int) *Multi { m.limit = n; return m }

// Outcome is one source's answer.
type Outcome struct {
	Source string // the source's name
	Kind   string
	Result *Result // nil when Err is set
	Err    error
}

// Query runs q on every source concurrently and returns one Outcome per
// source, in the order the sources were given, whatever order they
// finish in. One source failing does not stop the others.
func (m *Multi) Query(ctx context.Context, q Query) []Outcome {
	out := make([]Outcome, len(m.sources))
	var sem chan struct{}
	if m.limit > 0 {
		sem = make(chan struct{}, m.limit)
	}
	var wg sync.WaitGroup
	for i, s := range m.sources {
		wg.Go(func() {
			if sem != nil {
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			out[i] = runOne(ctx, s, q)
		})
	}
	wg.Wait()
	return out
}

// runOne runs q on s, labelling the result and containing panics.
func runOne(ctx context.Context, s Source, q Query) (o Outcome) {
	o = Outcome{Source: s.Name(), Kind: s.Kind()}
	defer func() {
		if r := recover(); r != nil {
			o.Result, o.Err = nil, &Error{Source: s.Name(), Kind: ErrServer, Message: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	o.Result, o.Err = s.Query(ctx, q)
	if o.Result != nil {
		o.Result.Source = s.Name()
	}
	return o
}
