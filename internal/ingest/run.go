package ingest

// This file runs an ingestion: one goroutine frames the input into units
// of records, workers decode units into batches, and the calling goroutine
// writes their output to the sink in input order.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
)

// job is one unit of records on its way through the pipeline; quiet
// asks the writer to flush once it has written them.
type job struct {
	recs  []rec
	quiet bool
	done  chan *unitResult
}

func run(ctx context.Context, in *input, sink Sink, rejects io.Writer) (Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if in.stream != nil {
		// A stream may wait for input for ever: stop waiting when the
		// ingestion is cancelled or fails.
		context.AfterFunc(ctx, in.stream.close)
	}
	workers := workerCount(in.opts)
	if workers == 1 {
		return runSerial(ctx, in, sink, rejects)
	}
	todo := make(chan *job, workers)
	order := make(chan *job, 2*workers+2)
	var readErr error
	go func() {
		defer close(todo)
		defer close(order)
		for ctx.Err() == nil {
			recs, quiet, err := in.fr.next()
			if err != nil {
				if ctx.Err() == nil { // else the stream was closed for it
					readErr = err
				}
				return
			}
			if recs == nil && !quiet {
				return
			}
			j := &job{recs: recs, quiet: quiet, done: make(chan *unitResult, 1)}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
			todo <- j
		}
	}()
	for i := 0; i < workers; i++ {
		go func() {
			w := newWorker(in)
			for j := range todo {
				j.done <- w.process(j.recs)
			}
		}()
	}
	wr := newWriter(in, sink, rejects)
	err := wr.drain(ctx, order)
	if err != nil {
		cancel()
		for j := range order { // let the reader and workers finish
			<-j.done
		}
		wr.closeStager() // commits what was written before the failure
		return wr.sum, err
	}
	if readErr != nil {
		return wr.sum, readErr
	}
	return wr.sum, ctx.Err()
}

// runSerial runs an ingestion on the calling goroutine alone.
func runSerial(ctx context.Context, in *input, sink Sink, rejects io.Writer) (Summary, error) {
	wr := newWriter(in, sink, rejects)
	w := newWorker(in)
	fail := func(err error) (Summary, error) {
		wr.closeStager() // commits what was written before the failure
		return wr.sum, err
	}
	for ctx.Err() == nil {
		recs, quiet, err := in.fr.next()
		if err != nil && ctx.Err() != nil {
			return fail(ctx.Err()) // the stream was closed for it
		}
		if err != nil {
			return fail(err)
		}
		if recs == nil && !quiet {
			break
		}
		if err := wr.unit(w.process(recs), quiet); err != nil {
			return fail(err)
		}
		wr.progress(false)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	return wr.sum, wr.finish()
}

// writer merges the workers' output, in input order, into batches for
// the sink, and keeps the summary.
type writer struct {
	in      *input
	sink    Sink
	rejects io.Writer
	sum     Summary
	acc     map[string]*engine.Batch
	accList []string // table names in first-written order
	pending map[string]*pendingTable
	pendOrd []string
	start   time.Time
	lastRep time.Time
	rejErr  error
	stg     *stager // when the sink stages; closed by finish or abort
}

func newWriter(in *input, sink Sink, rejects io.Writer) *writer {
	w := &writer{in: in, sink: sink, rejects: rejects, sum: newSummary(),
		acc: map[string]*engine.Batch{}, pending: map[string]*pendingTable{}, start: time.Now()}
	w.sum.Format = in.format
	w.lastRep = w.start
	if ss, ok := sink.(StagingSink); ok {
		w.stg = newStager(ss, workerCount(in.opts))
	}
	return w
}

// workerCount is the number of decoding goroutines, and of staging ones.
func workerCount(o Options) int {
	if o.Workers > 0 {
		return o.Workers
	}
	return min(2, runtime.GOMAXPROCS(0))
}

// closeStager waits for the staged batches and counts their rows.
func (w *writer) closeStager() error {
	if w.stg == nil {
		return nil
	}
	rows, err := w.stg.close()
	w.stg = nil
	for t, n := range rows {
		w.sum.Rows[t] += n
	}
	return err
}

func (w *writer) drain(ctx context.Context, order <-chan *job) error {
	for j := range order {
		var res *unitResult
		select {
		case res = <-j.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := w.unit(res, j.quiet); err != nil {
			return err
		}
		w.progress(false)
	}
	return w.finish()
}

// finish writes what is still queued.
func (w *writer) finish() error {
	err := w.flushPending()
	for _, name := range w.accList {
		if err != nil {
			break
		}
		err = w.flush(name)
	}
	if serr := w.closeStager(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	w.progress(true)
	return w.rejErr
}

// unit adds a unit's output; quiet flushes what is held for fuller
// batches.
func (w *writer) unit(res *unitResult, quiet bool) error {
	w.sum.Records += res.records
	for _, r := range res.rejects {
		w.reject(r)
	}
	for k, n := range res.ignored {
		w.sum.Ignored[k.table+"."+k.field] += n
	}
	for _, tb := range res.bufs {
		if err := w.add(tb.t.name, tb.b); err != nil {
			return err
		}
	}
	for _, p := range res.pending {
		if err := w.addPending(p); err != nil {
			return err
		}
	}
	if quiet {
		return w.flushQuiet()
	}
	return nil
}

// flushQuiet writes the rows held for fuller batches, once a stream has
// gone quiet. Tables whose schema is still to be inferred keep waiting
// for their sample: a schema fixed from a handful of rows would be the
// table's for good.
func (w *writer) flushQuiet() error {
	for _, name := range w.pendOrd {
		pt := w.pending[name]
		if pt.t == nil || pt.buf.b.N == 0 {
			continue
		}
		b := pt.buf.b
		pt.buf = newTableBuf(pt.t, 0)
		if err := w.add(name, b); err != nil {
			return err
		}
	}
	for _, name := range w.accList {
		if err := w.flush(name); err != nil {
			return err
		}
	}
	return nil
}

// add queues b's rows for table, writing full batches.
func (w *writer) add(table string, b *engine.Batch) error {
	size := w.in.opts.BatchSize
	acc := w.acc[table]
	if acc == nil {
		w.accList = append(w.accList, table)
	}
	for from := 0; from < b.N; {
		if (acc == nil || acc.N == 0) && b.N-from >= size/4 {
			to := min(b.N, from+size)
			part := b
			if from > 0 || to < b.N {
				part = b.Slice(from, to)
			}
			if err := w.write(table, part); err != nil {
				return err
			}
			from = to
			continue
		}
		if acc == nil || acc.N == 0 {
			acc = engine.NewBatch(b.Schema, w.accCap(b.N-from))
			w.acc[table] = acc
		}
		to := min(b.N, from+size-acc.N)
		part := b.Slice(from, to)
		for i, c := range part.Cols {
			acc.Cols[i].AppendColumn(c)
		}
		acc.N += part.N
		from = to
		if acc.N >= size {
			if err := w.flush(table); err != nil {
				return err
			}
			acc = nil
		}
	}
	return nil
}

// accCap is the capacity to give a table's new accumulator, which n rows
// start: a whole batch, except for a stream, whose batches are flushed
// as small as they are when it goes quiet; there the columns grow as
// rows come.
func (w *writer) accCap(n int) int {
	size := w.in.opts.BatchSize
	if w.in.stream == nil {
		return size
	}
	return min(size, max(4*n, 1024))
}

func (w *writer) flush(table string) error {
	acc := w.acc[table]
	if acc == nil || acc.N == 0 {
		return nil
	}
	w.acc[table] = nil
	return w.write(table, acc)
}

func (w *writer) write(table string, b *engine.Batch) error {
	if w.stg != nil {
		return w.stg.submit(table, b) // counted once committed
	}
	if err := w.sink.WriteBatch(table, b); err != nil {
		return err
	}
	w.sum.Rows[table] += b.N
	return nil
}

func (w *writer) reject(r Reject) {
	w.sum.Rejects++
	if w.in.opts.OnReject != nil {
		w.in.opts.OnReject(r)
	}
	if w.rejects == nil || w.rejErr != nil {
		return
	}
	line, _ := json.Marshal(r)
	if _, err := w.rejects.Write(append(line, '\n')); err != nil {
		w.rejErr = errors.Join(errors.New("writing rejects"), err)
	}
}

func (w *writer) progress(final bool) {
	fn := w.in.opts.Progress
	if fn == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(w.lastRep) < 200*time.Millisecond {
		return
	}
	w.lastRep = now
	fn(Progress{Name: w.in.name, Bytes: w.in.bytes(), Records: w.sum.Records,
		Rejects: w.sum.Rejects, Elapsed: now.Sub(w.start)})
}
