package engine

// This file implements batches and the streams that carry them between
// operators.

import (
	"context"
	"github.com/vigil-hunt/vigil/kql/value"
	"io"

	"github.com/vigil-hunt/vigil/kql/types"
)

// BatchSize is the number of rows operators aim for in one batch: large
// enough to amortise per-batch work, small enough to stay in cache.
const BatchSize = 4096

// Batch is a set of rows stored column by column. Every column has N rows.
type Batch struct {
	Schema *types.Schema
	Cols   []*value.Column
	N      int
}

// NewBatch returns an empty batch of the schema's column types.
func NewBatch(s *types.Schema, capacity int) *Batch {
	b := &Batch{Schema: s, Cols: make([]*value.Column, len(s.Columns))}
	for i, c := range s.Columns {
		b.Cols[i] = value.NewColumn(c.Type, capacity)
	}
	return b
}

// Col returns the column named name, or nil.
func (b *Batch) Col(name string) *value.Column {
	if i := b.Schema.Index(name); i >= 0 {
		return b.Cols[i]
	}
	return nil
}

// Gather returns a batch of the rows at idx.
func (b *Batch) Gather(idx []int) *Batch {
	out := &Batch{Schema: b.Schema, Cols: make([]*value.Column, len(b.Cols)), N: len(idx)}
	for i, c := range b.Cols {
		out.Cols[i] = c.Gather(idx)
	}
	return out
}

// Slice returns rows [from, to), sharing memory.
func (b *Batch) Slice(from, to int) *Batch {
	out := &Batch{Schema: b.Schema, Cols: make([]*value.Column, len(b.Cols)), N: to - from}
	for i, c := range b.Cols {
		out.Cols[i] = c.Slice(from, to)
	}
	return out
}

// Stream produces batches. Next returns io.EOF after the last batch. A
// batch returned by Next belongs to the consumer: the producer never
// modifies it afterwards (it may share column data with its own input,
// which is never modified in place either), so consumers keep batches
// without copying.
type Stream interface {
	Schema() *types.Schema
	Next(ctx context.Context) (*Batch, error)
}

// batchStream streams a fixed list of batches.
type batchStream struct {
	schema  *types.Schema
	batches []*Batch
	i       int
}

// NewBatchStream returns a stream over batches.
func NewBatchStream(s *types.Schema, batches ...*Batch) Stream {
	return &batchStream{schema: s, batches: batches}
}

func (s *batchStream) Schema() *types.Schema { return s.schema }

func (s *batchStream) Next(ctx context.Context) (*Batch, error) {
	for s.i < len(s.batches) {
		b := s.batches[s.i]
		s.i++
		if b.N > 0 {
			return b, nil
		}
	}
	return nil, io.EOF
}

// Collect reads a stream to the end into one batch. It keeps the batches
// it reads and copies them once, into columns allocated at their final
// size; a batch with the stream's whole result is returned as it is.
func Collect(ctx context.Context, s Stream) (*Batch, error) {
	var parts []*Batch
	n := 0
	for {
		b, err := s.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		parts = append(parts, b)
		n += b.N
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	out := NewBatch(s.Schema(), n)
	for _, b := range parts {
		for i, c := range b.Cols {
			out.Cols[i].AppendColumn(c)
		}
		out.N += b.N
	}
	return out, nil
}
