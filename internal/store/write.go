package store

// This file implements WriteBatch: it fits a batch to its table's schema,
// splits it by day, writes the segments (Stage) and commits them in one
// manifest update (Commit), so a batch is visible entirely or not at all.

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/vigil-hunt/vigil/internal/ingest"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// WriteBatch appends b's rows to table, creating the table if needed.
// When it returns nil the rows are durable (unless Options.NoSync) and
// visible to every later Catalog; when it returns an error none of them
// are, except when fsync of the workspace directory fails after the new
// manifest took its place: the rows are then visible but perhaps not
// durable, and the workspace refuses writes until reopened.
//
// Columns are matched by name: a column the table lacks is added to its
// schema, a column the batch lacks is null, and values of a compatible
// type are converted (int↔long, numbers to real, anything to dynamic,
// guid to string). The batch is not modified and may be reused once
// WriteBatch returns.
//
// WriteBatch is Stage followed by Commit.
func (w *Workspace) WriteBatch(table string, b *engine.Batch) error {
	st, err := w.Stage(table, b)
	if err != nil {
		return err
	}
	return st.Commit()
}

// Stage does the work of WriteBatch but the commit: it writes b's rows
// to durable segments that no manifest names yet. Stages may run on
// several goroutines at once (encoding is most of a write's cost), while
// commits are serialized, so a caller that stages batches concurrently
// and commits them in order keeps its rows in order. Until the returned
// batch is committed its rows are invisible, and a crash leaves only
// files the next Open removes. The batch is not modified and may be
// reused once Stage returns.
func (w *Workspace) Stage(table string, b *engine.Batch) (ingest.Staged, error) {
	if err := w.writable(); err != nil {
		return nil, err
	}
	if err := checkBatch(table, b); err != nil {
		return nil, err
	}
	st := &staged{w: w, table: table}
	if b.N == 0 {
		return st, nil
	}
	w.staging.RLock() // Close waits for stages in flight
	defer w.staging.RUnlock()
	if err := w.writable(); err != nil {
		return nil, err
	}
	tm, err := w.tableFor(w.current(), table, b.Schema)
	if err != nil {
		return nil, err
	}
	nb, err := conform(b, tm.schema)
	if err != nil {
		return nil, fmt.Errorf("store: table %s: %w", table, err)
	}
	st.schema = tm.schema
	for _, part := range partitionRows(nb, tm.TimeColumn) {
		for from := 0; from < part.b.N; from += w.opts.SegmentRows {
			to := min(part.b.N, from+w.opts.SegmentRows)
			seg, err := w.writeSegment(table, part.key, tm.schema.Columns, part.b.Slice(from, to))
			if err != nil {
				w.removeSegments(st.segs)
				return nil, fmt.Errorf("store: table %s: write segment: %w", table, err)
			}
			st.segs = append(st.segs, seg)
		}
	}
	if err := w.syncSegmentDirs(st.segs); err != nil {
		w.removeSegments(st.segs)
		return nil, fmt.Errorf("store: table %s: %w", table, err)
	}
	return st, nil
}

// staged is a batch Stage wrote and no manifest names yet.
type staged struct {
	w      *Workspace
	table  string
	schema *types.Schema // the table's columns the segments were written with
	segs   []*segmentMeta
	done   bool
}

// Commit publishes the staged rows in one manifest update, after every
// batch committed before it. It fails, removing the segments, if the
// workspace was closed or the table gained a column of another type
// since the batch was staged.
func (s *staged) Commit() error {
	if s.done {
		return fmt.Errorf("store: table %s: staged batch already committed or aborted", s.table)
	}
	s.done = true
	if len(s.segs) == 0 {
		return nil
	}
	w := s.w
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	cur := w.current()
	tm, err := w.tableFor(cur, s.table, s.schema)
	if err == nil {
		err = sameTypes(s.table, tm.schema, s.schema)
	}
	if err != nil {
		w.removeSegments(s.segs)
		return err
	}
	next := cur.edit()
	tm.Segments = append(tm.Segments, s.segs...)
	next.Tables[s.table] = tm
	if err := w.commit(next); err != nil {
		if !committed(err) {
			w.removeSegments(s.segs)
		}
		return err
	}
	return nil
}

// Abort removes the staged segments.
func (s *staged) Abort() {
	if !s.done {
		s.done = true
		s.w.removeSegments(s.segs)
	}
}

// sameTypes checks that the columns segments were written with have the
// table's types: a batch staged while another added the same new column
// with another type cannot join the table.
func sameTypes(table string, s, written *types.Schema) error {
	for _, c := range written.Columns {
		if t, ok := s.Lookup(c.Name); ok && t.Type != c.Type {
			return fmt.Errorf("store: table %s: column %s became %s while a batch with %s values was being written", table, c.Name, t.Type, c.Type)
		}
	}
	return nil
}

func checkBatch(table string, b *engine.Batch) error {
	if table == "" {
		return errors.New("store: empty table name")
	}
	if b == nil || b.Schema == nil || len(b.Cols) != len(b.Schema.Columns) {
		return fmt.Errorf("store: table %s: malformed batch", table)
	}
	if len(b.Cols) == 0 && b.N > 0 {
		return fmt.Errorf("store: table %s: batch has rows but no columns", table)
	}
	for i, c := range b.Cols {
		if c == nil || c.Len() != b.N {
			return fmt.Errorf("store: table %s: column %s has %d rows, batch has %d", table, b.Schema.Columns[i].Name, lenOf(c), b.N)
		}
	}
	return nil
}

func lenOf(c *value.Column) int {
	if c == nil {
		return 0
	}
	return c.Len()
}

// writeSegment writes rows b (already in the schema cols) as one segment.
func (w *Workspace) writeSegment(table, partition string, cols []types.Column, b *engine.Batch) (*segmentMeta, error) {
	meta := w.newSegment(table, partition)
	sw, err := w.startSegment(meta, cols)
	if err != nil {
		return nil, err
	}
	if err := sw.write(b); err != nil {
		sw.abort()
		return nil, err
	}
	return sw.finish()
}

func (w *Workspace) segmentDir(meta *segmentMeta) string {
	return filepath.Dir(filepath.Join(w.dir, filepath.FromSlash(meta.File)))
}

func (w *Workspace) startSegment(meta *segmentMeta, cols []types.Column) (*segmentWriter, error) {
	if err := mkdirDurable(w.segmentDir(meta), w.opts.NoSync); err != nil {
		return nil, err
	}
	return newSegmentWriter(w.dir, meta, cols, &w.opts)
}

// tableFor returns a copy of table's metadata with its schema extended by
// the batch's new columns, or new metadata for a new table.
func (w *Workspace) tableFor(m *manifest, table string, bs *types.Schema) (*tableMeta, error) {
	var tm tableMeta
	if t, ok := m.Tables[table]; ok {
		tm = *t
		tm.Segments = append([]*segmentMeta(nil), t.Segments...)
	} else if s, ok := w.opts.Schemas.LookupTable(table); ok {
		tm.schema = s.Clone()
	} else {
		tm.schema = &types.Schema{}
	}
	schema := &types.Schema{Columns: append([]types.Column(nil), tm.schema.Columns...)}
	for _, c := range bs.Columns {
		i := schema.Index(c.Name)
		if i < 0 {
			schema.Columns = append(schema.Columns, types.Column{Name: c.Name, Type: storedType(c.Type)})
			continue
		}
		if !convertible(c.Type, schema.Columns[i].Type) {
			return nil, fmt.Errorf("store: table %s: column %s is %s; cannot store %s values in it", table, c.Name, schema.Columns[i].Type, c.Type)
		}
	}
	for i, c := range schema.Columns {
		schema.Columns[i].Type = storedType(c.Type)
	}
	tm.schema = schema
	tm.Columns = metaColumns(schema.Columns)
	if tm.TimeColumn == "" && len(tm.Segments) == 0 {
		tm.TimeColumn = timeColumn(schema)
	}
	return &tm, nil
}

// timeColumn picks the column a table is partitioned by.
func timeColumn(s *types.Schema) string {
	for _, name := range []string{"Timestamp", "TimeGenerated"} {
		if c, ok := s.Lookup(name); ok && c.Type == types.Datetime {
			return name
		}
	}
	for _, c := range s.Columns {
		if c.Type == types.Datetime {
			return c.Name
		}
	}
	return ""
}

// convertible reports whether a batch column of type from may be stored
// in a table column of type to.
func convertible(from, to types.Type) bool {
	from, to = storedType(from), storedType(to)
	switch {
	case from == to, to == types.Dynamic:
		return true
	case from.IsNumeric() && to.IsNumeric():
		return to == types.Real || to == types.Decimal || from == types.Int || from == types.Long
	case from == types.Guid && to == types.String:
		return true
	}
	return false
}

// conform returns b's rows with exactly the columns of s, in order.
func conform(b *engine.Batch, s *types.Schema) (*engine.Batch, error) {
	out := &engine.Batch{Schema: s, Cols: make([]*value.Column, len(s.Columns)), N: b.N}
	for i, c := range s.Columns {
		j := b.Schema.Index(c.Name)
		switch {
		case j < 0:
			out.Cols[i] = value.NullColumn(c.Type, b.N)
		case b.Cols[j].Type == c.Type:
			out.Cols[i] = b.Cols[j]
		default:
			col := value.NewColumn(c.Type, b.N)
			col.AppendColumn(b.Cols[j])
			if col.Len() != b.N {
				return nil, fmt.Errorf("column %s: converted %d of %d rows", c.Name, col.Len(), b.N)
			}
			out.Cols[i] = col
		}
	}
	return out, nil
}

// part is the rows of a batch that fall in one partition.
type part struct {
	key string
	b   *engine.Batch
}

// partitionRows splits b by the UTC day of its time column, in day order.
func partitionRows(b *engine.Batch, timeCol string) []part {
	if timeCol == "" {
		return []part{{key: "none", b: b}}
	}
	col := b.Col(timeCol)
	const none = int64(-1 << 63)
	days := make([]int64, b.N)
	uniform := true
	for r := range days {
		days[r] = none
		if !col.IsNull(r) {
			days[r] = floorDiv(clampTicks(col.Ints[r]), int64(value.Day))
		}
		uniform = uniform && days[r] == days[0]
	}
	key := func(d int64) string {
		if d == none {
			return "none"
		}
		return value.Datetime(d * int64(value.Day)).Time().Format("2006-01-02")
	}
	if uniform {
		return []part{{key: key(days[0]), b: b}}
	}
	rows := map[int64][]int{}
	for r, d := range days {
		rows[d] = append(rows[d], r)
	}
	order := make([]int64, 0, len(rows))
	for d := range rows {
		order = append(order, d)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	out := make([]part, 0, len(order))
	for _, d := range order {
		out = append(out, part{key: key(d), b: b.Gather(rows[d])})
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
