package store

// This file writes one segment: a Parquet file of row groups and the
// terms file beside it, each made visible only once complete and fsynced.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// zstdCodec is shared by every writer; it pools its encoders.
var zstdCodec = &zstd.Codec{Level: zstd.SpeedFastest}

// segmentMeta describes one segment in the manifest.
type segmentMeta struct {
	ID        uint64 `json:"id"`
	Partition string `json:"partition"`
	// File is the Parquet file, relative to the workspace, with slashes;
	// the terms file has the same name ending in .terms.
	File      string `json:"file"`
	Rows      int64  `json:"rows"`
	Bytes     int64  `json:"bytes"`
	RowGroups int    `json:"rowGroups"`
	// Columns are the segment's columns, left out of the saved manifest
	// when they are its table's.
	Columns []string `json:"columns,omitempty"`
	// Times has an entry for every datetime column: the stored minimum
	// and maximum of its non-null values (meaningless when Nulls == Rows).
	Times map[string]*timeStat `json:"times,omitempty"`
}

// timeStat is the range of one datetime column of a segment, in ticks.
type timeStat struct {
	Min   int64 `json:"min"`
	Max   int64 `json:"max"`
	Nulls int64 `json:"nulls,omitempty"`
}

func (s *segmentMeta) termsFile() string {
	return s.File[:len(s.File)-len(".parquet")] + ".terms"
}

// segmentWriter streams batches into a new segment. Every batch written
// has the writer's schema.
type segmentWriter struct {
	ws      string // workspace directory
	meta    *segmentMeta
	cols    []types.Column
	rgRows  int
	noSync  bool
	dictMax int64
	pqFile  *os.File
	trFile  *os.File
	trBuf   *bufio.Writer
	pw      *parquet.Writer
	layout  string // pw's layoutKey
	tw      *termsWriter
	terms   []*columnTerms // per column; nil for non-string columns
	pending []*engine.Batch
	npend   int
	vals    []parquet.Value
	jsonBuf []byte
	jsonOff []int
}

// newSegmentWriter starts segment meta.File of the given columns.
func newSegmentWriter(ws string, meta *segmentMeta, cols []types.Column, o *Options) (sw *segmentWriter, err error) {
	sw = &segmentWriter{ws: ws, meta: meta, cols: cols, rgRows: o.RowGroupRows, noSync: o.NoSync, dictMax: 1 << 20}
	meta.Times = map[string]*timeStat{}
	dir := filepath.Dir(sw.path(meta.File))
	if sw.pqFile, err = os.CreateTemp(dir, tempPrefix+"*"); err != nil {
		return nil, err
	}
	if sw.trFile, err = os.CreateTemp(dir, tempPrefix+"*"); err != nil {
		sw.abort()
		return nil, err
	}
	sw.trBuf = trBufs.Get().(*bufio.Writer)
	sw.trBuf.Reset(sw.trFile)
	sw.tw = &termsWriter{w: sw.trBuf}
	sw.terms = make([]*columnTerms, len(cols))
	for i, c := range cols {
		meta.Columns = append(meta.Columns, c.Name)
		switch c.Type {
		case types.String:
			sw.terms[i] = termsPool.Get().(*columnTerms)
			sw.tw.columns = append(sw.tw.columns, c.Name)
		case types.Datetime:
			meta.Times[c.Name] = &timeStat{Min: maxStoredTicks, Max: minStoredTicks}
		}
	}
	return sw, nil
}

func (sw *segmentWriter) path(rel string) string {
	return filepath.Join(sw.ws, filepath.FromSlash(rel))
}

// write adds the rows of b, cutting row groups of rgRows rows. b is kept
// until its rows are written; the caller must not modify it.
func (sw *segmentWriter) write(b *engine.Batch) error {
	for from := 0; from < b.N; {
		to := min(b.N, from+sw.rgRows-sw.npend)
		sw.pending = append(sw.pending, b.Slice(from, to))
		sw.npend += to - from
		from = to
		if sw.npend == sw.rgRows {
			if err := sw.flushRowGroup(); err != nil {
				return err
			}
		}
	}
	return nil
}

// plainSample is how many of a segment's first rows decide whether a
// string column is written PLAIN.
const plainSample = 1024

// startParquet creates the Parquet writer once the first row group is
// pending: a string column most of whose first values are distinct is
// written PLAIN, since a dictionary would only add work.
func (sw *segmentWriter) startParquet() {
	plain := make([]bool, len(sw.cols))
	var seen map[string]struct{}
	for i, t := range sw.terms {
		if t == nil {
			continue
		}
		if seen == nil {
			seen = make(map[string]struct{}, plainSample)
		}
		clear(seen)
		n := 0
	sample:
		for _, b := range sw.pending {
			for _, s := range b.Cols[i].Strs {
				if n == plainSample {
					break sample
				}
				seen[s] = struct{}{}
				n++
			}
		}
		plain[i] = 2*len(seen) > n
	}
	meta := encodeSchema(sw.cols)
	sw.layout = layoutKey(meta, plain, sw.dictMax)
	if pool, ok := parquetWriters.Load(sw.layout); ok {
		if pw, ok := pool.(*sync.Pool).Get().(*parquet.Writer); ok {
			pw.Reset(sw.pqFile)
			sw.pw = pw
			return
		}
	}
	opts := []parquet.WriterOption{
		parquet.Compression(zstdCodec),
		parquet.DataPageVersion(1),
		parquet.DictionaryMaxBytes(sw.dictMax),
		parquet.CreatedBy("vigil", "1", ""),
		parquet.KeyValueMetadata(schemaKey, meta),
		// The writer buffers its output itself (and keeps the buffer
		// when it is reused): no bufio.Writer of ours goes between.
		parquet.WriteBufferSize(1 << 20),
	}
	for _, c := range sw.cols {
		switch c.Type {
		case types.String, types.Guid, types.Dynamic:
			// The term index serves strings; their min/max cost more
			// to compute than they save.
			opts = append(opts, parquet.SkipPageBounds(c.Name), parquet.SkipPageStatistics(c.Name))
		}
	}
	opts = append(opts, parquetSchema(sw.cols, plain))
	sw.pw = parquet.NewWriter(sw.pqFile, opts...)
}

// parquetWriters keeps closed Parquet writers for reuse, a pool per
// layout (layoutKey): a new writer allocates buffers for every column,
// which costs more than encoding a small segment.
var parquetWriters sync.Map // layout key → *sync.Pool of *parquet.Writer

// layoutKey identifies everything a Parquet writer is configured with:
// the columns and the columns written PLAIN.
func layoutKey(schema string, plain []bool, dictMax int64) string {
	b := make([]byte, 0, len(schema)+len(plain)+24)
	b = strconv.AppendInt(b, dictMax, 10)
	b = append(b, ' ')
	for _, p := range plain {
		b = append(b, "DP"[b2i(p)])
	}
	return string(append(append(b, ' '), schema...))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// releaseParquet returns a successfully closed writer to its pool.
func (sw *segmentWriter) releaseParquet() {
	pool, _ := parquetWriters.LoadOrStore(sw.layout, &sync.Pool{})
	pool.(*sync.Pool).Put(sw.pw)
	sw.pw = nil
}

// termsPool recycles the term collectors of string columns, whose sets
// grow to a row group's distinct keys.
var termsPool = sync.Pool{New: func() any { return &columnTerms{} }}

// trBufs recycles the buffered writers of terms files.
var trBufs = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 1<<16) }}

// writeEmpty writes n empty values (null, or "" for a string column) to
// leaf i, from a small reused run.
func (sw *segmentWriter) writeEmpty(cw *parquet.ColumnWriter, i, n int) error {
	v := parquet.NullValue().Level(0, 0, i)
	if sw.cols[i].Type == types.String {
		v = parquet.ByteArrayValue(nil).Level(0, 0, i)
	}
	run := sw.vals[:min(n, 4096)]
	for k := range run {
		run[k] = v
	}
	for n > 0 {
		k := min(n, len(run))
		if _, err := cw.WriteRowValues(run[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// isEmpty reports whether every value of col is null ("" for strings
// and guids).
func isEmpty(col *value.Column) bool {
	switch {
	case col.Strs != nil || col.Type == types.String || col.Type == types.Guid:
		for r, s := range col.Strs {
			if s != "" && !col.IsNull(r) {
				return false
			}
		}
	case col.Dyns != nil:
		for _, d := range col.Dyns {
			if d != nil {
				return false
			}
		}
	default:
		if col.Nulls == nil {
			return col.Len() == 0
		}
		for _, null := range col.Nulls {
			if !null {
				return false
			}
		}
	}
	return true
}

// flushRowGroup writes the pending rows as one row group.
func (sw *segmentWriter) flushRowGroup() error {
	if sw.npend == 0 {
		return nil
	}
	if sw.pw == nil {
		sw.startParquet()
	}
	if sw.vals == nil {
		sw.vals = valuesPool.Get().([]parquet.Value)[:0]
	}
	cws := sw.pw.ColumnWriters()
	for i, c := range sw.cols {
		// Index a column just before writing it, while its values are
		// in the cache.
		sw.indexTerms(i)
		if err := sw.writeColumn(cws[i], i, c); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
	}
	if err := sw.pw.Flush(); err != nil {
		return err
	}
	terms := sw.collectedTerms()
	if err := sw.tw.writeRowGroup(terms); err != nil {
		return err
	}
	for _, t := range terms {
		t.reset()
	}
	sw.meta.Rows += int64(sw.npend)
	sw.meta.RowGroups++
	clear(sw.pending)
	sw.pending, sw.npend = sw.pending[:0], 0
	return nil
}

// indexTerms adds the pending values of column i to its term index.
func (sw *segmentWriter) indexTerms(i int) {
	t := sw.terms[i]
	if t == nil {
		return
	}
	for _, b := range sw.pending {
		for _, s := range b.Cols[i].Strs {
			t.addValue(s)
		}
	}
}

// writeColumn writes the pending values of column i.
func (sw *segmentWriter) writeColumn(cw *parquet.ColumnWriter, i int, c types.Column) error {
	empty := c.Type != types.Datetime
	for _, b := range sw.pending {
		empty = empty && isEmpty(b.Cols[i])
	}
	if empty {
		return sw.writeEmpty(cw, i, sw.npend)
	}
	sw.vals, sw.jsonBuf = sw.vals[:0], sw.jsonBuf[:0]
	for _, b := range sw.pending {
		sw.appendValues(i, c, b.Cols[i])
	}
	_, err := cw.WriteRowValues(sw.vals)
	return err
}

// valuesPool recycles the value buffers of segment writers.
var valuesPool = sync.Pool{New: func() any { return make([]parquet.Value, 0, 1<<16) }}

func (sw *segmentWriter) collectedTerms() []*columnTerms {
	var out []*columnTerms
	for _, t := range sw.terms {
		if t != nil {
			out = append(out, t)
		}
	}
	return out
}

// appendValues appends column c's values to sw.vals as Parquet values of
// leaf i, and records their time range.
//
// Values are appended bare and their levels set in one pass after:
// parquet.Value.Level is too big to inline and cost more than building
// the values.
func (sw *segmentWriter) appendValues(i int, c types.Column, col *value.Column) {
	n, start := col.Len(), len(sw.vals)
	nulls := col.Nulls
	switch c.Type {
	case types.Bool:
		for r := 0; r < n; r++ {
			sw.vals = append(sw.vals, parquet.BooleanValue(col.Bools[r]))
		}
	case types.Int:
		for r := 0; r < n; r++ {
			sw.vals = append(sw.vals, parquet.Int32Value(int32(col.Ints[r])))
		}
	case types.Long, types.Timespan:
		for r := 0; r < n; r++ {
			sw.vals = append(sw.vals, parquet.Int64Value(col.Ints[r]))
		}
	case types.Real, types.Decimal:
		for r := 0; r < n; r++ {
			sw.vals = append(sw.vals, parquet.DoubleValue(col.Reals[r]))
		}
	case types.Datetime:
		sw.appendDatetimes(c, col)
	case types.String:
		// Strings are required: null is "".
		for r := 0; r < n; r++ {
			sw.vals = append(sw.vals, parquet.ByteArrayValue(bytesOf(col.Strs[r])))
		}
		nulls = nil
	case types.Guid:
		for r := 0; r < n; r++ {
			if s := col.Strs[r]; s != "" && !col.IsNull(r) {
				sw.vals = append(sw.vals, parquet.ByteArrayValue(bytesOf(s)))
			} else {
				sw.vals = append(sw.vals, parquet.NullValue())
			}
		}
	default:
		sw.appendJSON(col)
	}
	setLevels(sw.vals[start:], nulls, i, c.Type != types.String)
}

// setLevels gives values of leaf i their column index and, in an optional
// column, definition level 1 unless null (in nulls, or a null value).
func setLevels(vals []parquet.Value, nulls []bool, i int, optional bool) {
	for k := range vals {
		v := &vals[k]
		v.SetColumnIndex(i)
		if !optional {
			continue
		}
		if k < len(nulls) && nulls[k] {
			*v = parquet.NullValue()
			v.SetColumnIndex(i)
			continue
		}
		if !v.IsNull() {
			v.SetDefinitionLevel(1)
		}
	}
}

func (sw *segmentWriter) appendDatetimes(c types.Column, col *value.Column) {
	st := sw.meta.Times[c.Name]
	for r := 0; r < col.Len(); r++ {
		if col.IsNull(r) {
			st.Nulls++
			sw.vals = append(sw.vals, parquet.NullValue())
			continue
		}
		t := clampTicks(col.Ints[r])
		st.Min, st.Max = min(st.Min, t), max(st.Max, t)
		sw.vals = append(sw.vals, parquet.Int64Value(t*100))
	}
}

// appendJSON appends a dynamic column as JSON text; the texts live in
// sw.jsonBuf until the column is written (writeColumn empties it before
// the column's first batch: emptying it here would let one pending
// batch's texts overwrite another's).
func (sw *segmentWriter) appendJSON(col *value.Column) {
	sw.jsonOff = sw.jsonOff[:0]
	base := len(sw.jsonBuf)
	for r := 0; r < col.Len(); r++ {
		sw.jsonOff = append(sw.jsonOff, len(sw.jsonBuf)-base)
		if !col.IsNull(r) {
			sw.jsonBuf = value.AppendJSON(sw.jsonBuf, col.Dyns[r])
		}
	}
	sw.jsonOff = append(sw.jsonOff, len(sw.jsonBuf)-base)
	for r := 0; r < col.Len(); r++ {
		if col.IsNull(r) {
			sw.vals = append(sw.vals, parquet.NullValue())
			continue
		}
		b := sw.jsonBuf[base+sw.jsonOff[r] : base+sw.jsonOff[r+1] : base+sw.jsonOff[r+1]]
		sw.vals = append(sw.vals, parquet.ByteArrayValue(b))
	}
}

// bytesOf views s as bytes without copying; Parquet copies what it keeps.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// finish writes the last row group and footers, makes both files durable
// and renames them into place. The segment is still invisible: only the
// manifest makes it part of a table.
func (sw *segmentWriter) finish() (*segmentMeta, error) {
	err := sw.flushRowGroup()
	if sw.pw == nil {
		sw.startParquet() // an empty segment
	}
	if err == nil {
		err = sw.pw.Close()
	}
	if err == nil {
		err = sw.tw.finish(sw.meta.RowGroups)
	}
	for _, step := range []func() error{sw.trBuf.Flush, sw.sync, sw.close} {
		if err != nil {
			break
		}
		err = step()
	}
	if err == nil {
		err = sw.place()
	}
	sw.releaseVals()
	if err != nil {
		sw.abort()
		return nil, err
	}
	sw.releaseParquet()
	sw.releaseBufs()
	for i, t := range sw.terms {
		if t != nil {
			t.reset()
			termsPool.Put(t)
			sw.terms[i] = nil
		}
	}
	for name, st := range sw.meta.Times {
		if st.Nulls == sw.meta.Rows {
			sw.meta.Times[name] = &timeStat{Nulls: st.Nulls}
		}
	}
	return sw.meta, nil
}

func (sw *segmentWriter) sync() error {
	if sw.noSync {
		return nil
	}
	if err := sw.pqFile.Sync(); err != nil {
		return err
	}
	return sw.trFile.Sync()
}

func (sw *segmentWriter) close() error {
	err1 := sw.pqFile.Close()
	err2 := sw.trFile.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// place renames the finished temporary files to their segment names.
func (sw *segmentWriter) place() error {
	fi, err := os.Stat(sw.pqFile.Name())
	if err != nil {
		return err
	}
	ti, err := os.Stat(sw.trFile.Name())
	if err != nil {
		return err
	}
	sw.meta.Bytes = fi.Size() + ti.Size()
	if err := os.Rename(sw.trFile.Name(), sw.path(sw.meta.termsFile())); err != nil {
		return err
	}
	return os.Rename(sw.pqFile.Name(), sw.path(sw.meta.File))
}

// releaseVals returns the value buffer to the pool, dropping references
// to the batches' strings.
func (sw *segmentWriter) releaseVals() {
	if sw.vals != nil {
		clear(sw.vals[:cap(sw.vals)])
		valuesPool.Put(sw.vals[:0])
		sw.vals = nil
	}
}

// releaseBufs returns the terms file's buffer to its pool.
func (sw *segmentWriter) releaseBufs() {
	sw.trBuf.Reset(nil)
	trBufs.Put(sw.trBuf)
	sw.trBuf = nil
}

// abort removes whatever the writer created.
func (sw *segmentWriter) abort() {
	sw.releaseVals()
	for _, f := range []*os.File{sw.pqFile, sw.trFile} {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}
	os.Remove(sw.path(sw.meta.File))
	os.Remove(sw.path(sw.meta.termsFile()))
}
