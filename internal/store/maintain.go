package store

// This file implements the maintenance operations: Compact merges the
// small segments of each partition, Retain drops rows older than an age.
// Both write their new segments first and then swap them for the old ones
// in one manifest commit, so readers and a crash see either the old
// segments or the new ones, and every row exactly once.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Compact merges, in every table and partition, runs of segments smaller
// than half of Options.SegmentRows into segments of at most SegmentRows
// rows. Each merge commits on its own, so an interrupted Compact keeps
// the merges it finished. Writes may continue meanwhile.
func (w *Workspace) Compact(ctx context.Context) error {
	if err := w.writable(); err != nil {
		return err
	}
	w.maintMu.Lock()
	defer w.maintMu.Unlock()
	return w.compact(ctx, tally{})
}

// compact is Compact for a caller holding maintMu; it notes each merge
// it commits in t.
func (w *Workspace) compact(ctx context.Context, t tally) error {
	m := w.current()
	for _, name := range m.tableNames() {
		tm := m.Tables[name]
		for _, group := range compactionGroups(tm.Segments, w.opts.SegmentRows) {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.merge(ctx, name, tm.schema, group, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// compactionGroups returns the runs of small segments to merge: within a
// partition, consecutive small segments packed up to limit rows.
func compactionGroups(segs []*segmentMeta, limit int) [][]*segmentMeta {
	byPart := map[string][]*segmentMeta{}
	var parts []string
	for _, s := range segs {
		if s.Rows >= int64(limit/2) {
			continue
		}
		if _, ok := byPart[s.Partition]; !ok {
			parts = append(parts, s.Partition)
		}
		byPart[s.Partition] = append(byPart[s.Partition], s)
	}
	var out [][]*segmentMeta
	for _, p := range parts {
		var bin []*segmentMeta
		var rows int64
		for _, s := range byPart[p] {
			if rows+s.Rows > int64(limit) {
				if len(bin) > 1 {
					out = append(out, bin)
				}
				bin, rows = nil, 0
			}
			bin = append(bin, s)
			rows += s.Rows
		}
		if len(bin) > 1 {
			out = append(out, bin)
		}
	}
	return out
}

// merge rewrites segs (one partition of table) as one segment.
func (w *Workspace) merge(ctx context.Context, table string, schema *types.Schema, segs []*segmentMeta, t tally) error {
	meta := w.newSegment(table, segs[0].Partition)
	err := w.rewrite(ctx, meta, schema, segs, nil)
	if err != nil {
		return fmt.Errorf("store: compact %s: %w", table, err)
	}
	return w.replace(table, segs, []*segmentMeta{meta}, t)
}

// rewrite writes the rows of segs that keep accepts (all when keep is
// nil) as segment meta; meta.Rows is 0 afterwards if none were kept, and
// then no file remains.
func (w *Workspace) rewrite(ctx context.Context, meta *segmentMeta, schema *types.Schema, segs []*segmentMeta, keep func(*engine.Batch) []int) error {
	sw, err := w.startSegment(meta, schema.Columns)
	if err != nil {
		return err
	}
	for _, s := range segs {
		if err := w.copyRows(ctx, sw, schema, s, keep); err != nil {
			sw.abort()
			return err
		}
	}
	if _, err := sw.finish(); err != nil {
		return err
	}
	if meta.Rows == 0 {
		w.removeSegments([]*segmentMeta{meta})
		return nil
	}
	return w.syncSegmentDirs([]*segmentMeta{meta})
}

// copyRows feeds one segment's rows to sw, a row group at a time.
func (w *Workspace) copyRows(ctx context.Context, sw *segmentWriter, schema *types.Schema, s *segmentMeta, keep func(*engine.Batch) []int) error {
	sf, err := openSegment(filepath.Join(w.dir, filepath.FromSlash(s.File)))
	if err != nil {
		return err
	}
	defer sf.close()
	for rg := 0; rg < sf.numRowGroups(); rg++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		cols, n, err := sf.readRowGroup(rg, schema.Columns)
		if err != nil {
			return fmt.Errorf("%s row group %d: %w", s.File, rg, err)
		}
		b := &engine.Batch{Schema: schema, Cols: cols, N: n}
		if keep != nil {
			b = b.Gather(keep(b))
		}
		if err := sw.write(b); err != nil {
			return err
		}
	}
	return nil
}

// replace commits the swap of old segments of table for new ones (placed
// where the first old one was) and notes it in t. It fails, removing the
// new files, if an old segment is gone.
func (w *Workspace) replace(table string, old, new []*segmentMeta, t tally) error {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	next := w.current().edit()
	tm, ok := next.Tables[table]
	if !ok {
		w.removeSegments(new)
		return fmt.Errorf("store: table %s changed during maintenance", table)
	}
	segsBefore := len(tm.Segments)
	drop := map[uint64]bool{}
	for _, s := range old {
		drop[s.ID] = true
	}
	var segs []*segmentMeta
	found := 0
	for _, s := range tm.Segments {
		if !drop[s.ID] {
			segs = append(segs, s)
			continue
		}
		if found == 0 {
			segs = append(segs, new...)
		}
		found++
	}
	if found != len(old) {
		w.removeSegments(new)
		return fmt.Errorf("store: table %s changed during maintenance", table)
	}
	tm.Segments = segs
	err := w.commit(next)
	switch {
	case err == nil || committed(err):
		t.note(table, segsBefore, old, new)
	default:
		w.removeSegments(new)
	}
	return err
}

// Retain removes the rows of table ("" for every table) whose time column
// is older than now-maxAge. Segments entirely older are dropped; segments
// straddling the cutoff are rewritten without the old rows. Rows whose
// time is null are kept, as are tables without a time column (naming one
// is an error).
func (w *Workspace) Retain(ctx context.Context, table string, maxAge time.Duration, now time.Time) error {
	if err := w.writable(); err != nil {
		return err
	}
	if maxAge <= 0 {
		return errors.New("store: retention age must be positive")
	}
	w.maintMu.Lock()
	defer w.maintMu.Unlock()
	m := w.current()
	names := m.tableNames()
	if table != "" {
		t, ok := m.Tables[table]
		if !ok {
			return fmt.Errorf("store: retain: no table %s", table)
		}
		if t.TimeColumn == "" {
			return fmt.Errorf("store: retain: table %s has no time column", table)
		}
		names = []string{table}
	}
	for _, name := range names {
		if err := w.retainTable(ctx, name, m.Tables[name], cutoffOf(now, maxAge), tally{}); err != nil {
			return err
		}
	}
	return nil
}

// cutoffOf is the time column value below which rows are older than maxAge.
func cutoffOf(now time.Time, maxAge time.Duration) int64 {
	return int64(value.DatetimeOf(now.Add(-maxAge)))
}

// retainTable drops the rows of table name older than cutoff, noting the
// change in tl. The caller holds maintMu.
func (w *Workspace) retainTable(ctx context.Context, name string, t *tableMeta, cutoff int64, tl tally) error {
	if err := w.retainSegments(ctx, name, t, cutoff, tl); err != nil {
		return fmt.Errorf("store: retain %s: %w", name, err)
	}
	return nil
}

func (w *Workspace) retainSegments(ctx context.Context, name string, t *tableMeta, cutoff int64, tl tally) error {
	if t.TimeColumn == "" {
		return nil
	}
	var old, new []*segmentMeta
	for _, s := range t.Segments {
		st, ok := s.Times[t.TimeColumn]
		if !ok || st.Nulls == s.Rows || st.Min >= cutoff {
			continue // nothing to drop
		}
		old = append(old, s)
		if st.Max < cutoff && st.Nulls == 0 {
			continue // drop whole
		}
		meta := w.newSegment(name, s.Partition)
		err := w.rewrite(ctx, meta, t.schema, []*segmentMeta{s}, keepSince(t.TimeColumn, cutoff))
		if err != nil {
			w.removeSegments(new)
			return err
		}
		if meta.Rows > 0 {
			new = append(new, meta)
		}
	}
	if len(old) == 0 {
		return nil
	}
	return w.replace(name, old, new, tl)
}

// keepSince selects the rows whose column col is null or not before cutoff.
func keepSince(col string, cutoff int64) func(*engine.Batch) []int {
	return func(b *engine.Batch) []int {
		c := b.Col(col)
		var idx []int
		for r := 0; r < b.N; r++ {
			if c.IsNull(r) || c.Ints[r] >= cutoff {
				idx = append(idx, r)
			}
		}
		return idx
	}
}
