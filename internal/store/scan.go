package store

// This file implements the engine's Catalog and Table over a manifest
// snapshot, and the scan stream: it plans which row groups to read
// (pruning), opens their segments at once (so a concurrent compaction
// cannot remove them mid-scan), decodes row groups on several goroutines
// and hands them out in segment order, BatchSize rows at a time.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// ErrStale is returned by a scan whose segments another process removed
// (compaction or retention) after the catalog was taken. Take a new
// Catalog and run the query again. Scans in the writing process never
// see it: its workspace keeps files until no catalog refers to them.
var ErrStale = errors.New("store: segment removed by a concurrent writer; retry with a new catalog")

// snapshot is one manifest generation as seen by a catalog and its scans.
// While it is reachable, the workspace keeps the files it references.
type snapshot struct {
	ws *Workspace
	m  *manifest
}

// storeCatalog is the engine.Catalog of a snapshot.
type storeCatalog struct{ snap *snapshot }

func (c *storeCatalog) Table(name string) (engine.Table, bool) {
	t, ok := c.snap.m.Tables[name]
	if !ok {
		return nil, false
	}
	return &storeTable{snap: c.snap, name: name, meta: t}, true
}

func (c *storeCatalog) TableNames() []string { return c.snap.m.tableNames() }

// storeTable is one table of a snapshot.
type storeTable struct {
	snap *snapshot
	name string
	meta *tableMeta
}

func (t *storeTable) Schema() *types.Schema { return t.meta.schema.Clone() }

// Scan streams the table's rows, reading only req.Columns (names the
// table lacks are skipped) and skipping segments and row groups that
// req.Preds show cannot match.
func (t *storeTable) Scan(ctx context.Context, req engine.ScanRequest) (engine.Stream, error) {
	out := t.outSchema(req.Columns)
	pr := newPruner(req.Preds, t.meta.schema)
	st := &scanState{schema: out}
	for _, seg := range t.meta.Segments {
		if pr.skipSegment(seg) {
			continue
		}
		if err := st.plan(t.snap.ws.dir, seg, pr); err != nil {
			st.closeFiles()
			return nil, err
		}
	}
	st.keep = t.snap
	st.start(ctx)
	s := &scanStream{st: st}
	runtime.AddCleanup(s, (*scanState).shutdown, st)
	return s, nil
}

func (t *storeTable) outSchema(names []string) *types.Schema {
	if names == nil {
		return t.meta.schema.Clone()
	}
	out := &types.Schema{}
	for _, n := range names {
		if c, ok := t.meta.schema.Lookup(n); ok && out.Index(n) < 0 {
			out.Columns = append(out.Columns, c)
		}
	}
	return out
}

// unit is one row group to decode.
type unit struct {
	seg *heldSegment
	rg  int
}

// heldSegment is a segment file a scan holds open until its last row
// group is handed out.
type heldSegment struct {
	sf      *segmentFile
	pending int
}

type unitResult struct {
	cols []*value.Column
	n    int
	err  error
}

// scanState is shared by a stream and its decoding goroutines.
type scanState struct {
	schema  *types.Schema
	units   []unit
	segs    []*heldSegment
	results []chan unitResult
	keep    *snapshot       // pins the snapshot's files while the scan lives
	ctx     context.Context // the decoders' context: Scan's, until shutdown
	cancel  context.CancelFunc
	slots   chan struct{}

	mu     sync.Mutex
	closed bool

	next int // next unit to hand out
	cur  unitResult
	off  int
	err  error
}

// plan adds the row groups of a segment that pruning keeps, consulting
// the term index first so that a needle absent from the segment never
// opens its Parquet file.
func (st *scanState) plan(dir string, seg *segmentMeta, pr *pruner) error {
	keep := make([]bool, seg.RowGroups)
	for rg := range keep {
		keep[rg] = true
	}
	if len(pr.needles) > 0 {
		ok, err := termsKeep(filepath.Join(dir, filepath.FromSlash(seg.termsFile())), pr, keep)
		if err != nil || !ok {
			return err
		}
	}
	sf, err := openSegment(filepath.Join(dir, filepath.FromSlash(seg.File)))
	if err != nil {
		return staleOr(err)
	}
	if sf.numRowGroups() != len(keep) {
		sf.close()
		return fmt.Errorf("store: %s has %d row groups, the manifest says %d", seg.File, sf.numRowGroups(), len(keep))
	}
	h := &heldSegment{sf: sf}
	for rg, k := range keep {
		if k && !pr.skipRowGroupStats(sf, rg) {
			st.units = append(st.units, unit{seg: h, rg: rg})
			h.pending++
		}
	}
	if h.pending == 0 {
		sf.close()
		return nil
	}
	st.segs = append(st.segs, h)
	return nil
}

// termsKeep clears keep[rg] for the row groups the term index rules out
// and reports whether any is left.
func termsKeep(path string, pr *pruner, keep []bool) (bool, error) {
	ti, err := openTerms(path)
	if err != nil {
		return false, staleOr(err)
	}
	defer ti.close()
	left := false
	for rg := range keep {
		skip, err := pr.skipRowGroupTerms(ti, rg)
		if err != nil {
			return false, fmt.Errorf("store: %s: %w", path, err)
		}
		keep[rg] = !skip
		left = left || !skip
	}
	return left, nil
}

func staleOr(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %v", ErrStale, err)
	}
	return err
}

// start launches the decoding goroutines: at most len(slots) decoded row
// groups wait to be handed out.
func (st *scanState) start(ctx context.Context) {
	st.ctx, st.cancel = context.WithCancel(ctx)
	st.results = make([]chan unitResult, len(st.units))
	for i := range st.results {
		st.results[i] = make(chan unitResult, 1)
	}
	st.slots = make(chan struct{}, inflight(len(st.schema.Columns)))
	go st.dispatch(st.ctx)
}

// inflight bounds decoded-but-unread row groups by memory (about 256 MB
// of column data) and by the processors available.
func inflight(ncols int) int {
	perUnit := 65536 * 24 * max(1, ncols)
	return max(2, min(2*runtime.GOMAXPROCS(0), (256<<20)/perUnit))
}

func (st *scanState) dispatch(ctx context.Context) {
	cols := st.schema.Columns
	for i, u := range st.units {
		select {
		case st.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		go func() {
			st.results[i] <- decodeUnit(ctx, u, cols)
		}()
	}
}

func decodeUnit(ctx context.Context, u unit, cols []types.Column) (res unitResult) {
	defer func() {
		if r := recover(); r != nil {
			res = unitResult{err: fmt.Errorf("store: corrupt row group %d: %v", u.rg, r)}
		}
	}()
	if err := ctx.Err(); err != nil {
		return unitResult{err: err}
	}
	c, n, err := u.seg.sf.readRowGroup(u.rg, cols)
	if err != nil {
		err = fmt.Errorf("store: %s row group %d: %w", u.seg.sf.f.Name(), u.rg, err)
	}
	return unitResult{cols: c, n: n, err: err}
}

// nextBatch returns the next batch of at most engine.BatchSize rows.
func (st *scanState) nextBatch(ctx context.Context) (*engine.Batch, error) {
	if st.err != nil {
		return nil, st.err
	}
	for st.off >= st.cur.n {
		if st.next == len(st.units) {
			st.finish(io.EOF)
			return nil, io.EOF
		}
		select {
		case res := <-st.results[st.next]:
			<-st.slots
			st.release(st.units[st.next].seg)
			st.next++
			if res.err != nil {
				st.finish(res.err)
				return nil, res.err
			}
			st.cur, st.off = res, 0
		case <-ctx.Done():
			st.finish(ctx.Err())
			return nil, ctx.Err()
		case <-st.ctx.Done(): // Scan's context ended
			err := st.ctx.Err()
			st.finish(err)
			return nil, err
		}
	}
	from, to := st.off, min(st.cur.n, st.off+engine.BatchSize)
	st.off = to
	b := &engine.Batch{Schema: st.schema, Cols: make([]*value.Column, len(st.cur.cols)), N: to - from}
	for i, c := range st.cur.cols {
		b.Cols[i] = c.Slice(from, to)
	}
	return b, nil
}

// release closes a segment once its last row group is handed out.
func (st *scanState) release(h *heldSegment) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if h.pending--; h.pending == 0 && !st.closed {
		h.sf.close()
	}
}

// finish ends the scan with err (io.EOF when complete).
func (st *scanState) finish(err error) {
	st.err = err
	st.cur = unitResult{}
	st.shutdown()
}

// shutdown stops the decoders and closes every file; it runs when the
// stream ends or, for an abandoned stream, when it is garbage collected.
func (st *scanState) shutdown() {
	if st.cancel != nil {
		st.cancel()
	}
	st.closeFiles()
	st.keep = nil
}

func (st *scanState) closeFiles() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return
	}
	st.closed = true
	for _, h := range st.segs {
		if h.pending > 0 {
			h.sf.close()
		}
	}
}

// scanStream is the engine.Stream of a scan. It is a separate object
// from scanState so that abandoning it lets the garbage collector run
// the clean-up.
type scanStream struct{ st *scanState }

func (s *scanStream) Schema() *types.Schema { return s.st.schema }

func (s *scanStream) Next(ctx context.Context) (*engine.Batch, error) {
	return s.st.nextBatch(ctx)
}
