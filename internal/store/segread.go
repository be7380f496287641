package store

// This file reads segments: it decodes Parquet column chunks page by page
// straight into value.Column slices. Fixed-width values are copied from
// the decoded page without per-row allocation; a page of plain strings
// becomes one Go string that every row's value slices, and a dictionary
// becomes one string per column chunk, so strings cost at most one
// allocation per page, not per value.

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// segmentFile is an open segment.
type segmentFile struct {
	f    *os.File
	pf   *parquet.File
	leaf map[string]int // column name → leaf index
}

func openSegment(path string) (*segmentFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	sf, err := readSegment(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store: segment %s: %w", path, err)
	}
	return sf, nil
}

func readSegment(f *os.File) (*segmentFile, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, fi.Size(),
		parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(1<<18))
	if err != nil {
		return nil, err
	}
	sf := &segmentFile{f: f, pf: pf, leaf: map[string]int{}}
	for i, path := range pf.Schema().Columns() {
		if len(path) == 1 {
			sf.leaf[path[0]] = i
		}
	}
	return sf, nil
}

func (sf *segmentFile) close() error { return sf.f.Close() }

func (sf *segmentFile) numRowGroups() int { return len(sf.pf.RowGroups()) }

// timeBounds returns the range of a datetime column in a row group from
// the Parquet statistics; ok is false when they are absent.
func (sf *segmentFile) timeBounds(rg int, column string) (lo, hi value.Datetime, ok bool) {
	i, found := sf.leaf[column]
	md := sf.pf.Metadata()
	if !found || rg >= len(md.RowGroups) || i >= len(md.RowGroups[rg].Columns) {
		return 0, 0, false
	}
	st := md.RowGroups[rg].Columns[i].MetaData.Statistics
	minB, maxB := st.MinValue, st.MaxValue
	if minB == nil || maxB == nil {
		minB, maxB = st.Min, st.Max
	}
	lo, ok1 := datetimeOfStat(minB)
	hi, ok2 := datetimeOfStat(maxB)
	return lo, hi, ok1 && ok2
}

// readRowGroup decodes the named columns of row group rg. A column the
// segment lacks (added to the table later) reads as nulls.
func (sf *segmentFile) readRowGroup(rg int, cols []types.Column) ([]*value.Column, int, error) {
	group := sf.pf.RowGroups()[rg]
	n := int(group.NumRows())
	out := make([]*value.Column, len(cols))
	chunks := group.ColumnChunks()
	for i, c := range cols {
		leaf, ok := sf.leaf[c.Name]
		if !ok {
			out[i] = value.NullColumn(c.Type, n)
			continue
		}
		col, err := decodeChunk(chunks[leaf], c.Type, n)
		if err != nil {
			return nil, 0, fmt.Errorf("column %s: %w", c.Name, err)
		}
		out[i] = col
	}
	return out, n, nil
}

// decodeChunk decodes a column chunk of n rows as type t.
func decodeChunk(chunk parquet.ColumnChunk, t types.Type, n int) (*value.Column, error) {
	d := newColumnDecoder(t, n)
	pages := chunk.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		err = d.page(p)
		parquet.Release(p)
		if err != nil {
			return nil, err
		}
	}
	if d.pos != n {
		return nil, fmt.Errorf("read %d values, want %d", d.pos, n)
	}
	return d.col, nil
}

// columnDecoder fills one column of a row group, page after page.
type columnDecoder struct {
	t    types.Type
	col  *value.Column
	n    int
	pos  int
	dict parquet.Dictionary // the dictionary dictVals was decoded from
	// decoded dictionary, by storage
	dictInts []int64
	dictStrs []string
	dictDyns []any
}

func newColumnDecoder(t types.Type, n int) *columnDecoder {
	d := &columnDecoder{t: t, n: n, col: &value.Column{Type: t}}
	switch t {
	case types.Bool:
		d.col.Bools = make([]bool, n)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		d.col.Ints = make([]int64, n)
	case types.Real, types.Decimal:
		d.col.Reals = make([]float64, n)
	case types.String, types.Guid:
		d.col.Strs = make([]string, n)
	default:
		d.col.Dyns = make([]any, n)
	}
	return d
}

var errPageOverflow = errors.New("page holds more rows than the row group")

// page decodes one data page.
func (d *columnDecoder) page(p parquet.Page) error {
	rows := int(p.NumRows())
	if d.pos+rows > d.n {
		return errPageOverflow
	}
	defs := p.DefinitionLevels()
	if len(defs) == 0 || p.NumNulls() == 0 {
		defs = nil
	}
	var err error
	if dict := p.Dictionary(); dict != nil {
		data := p.Data()
		err = d.dictPage(dict, data.Int32(), defs, rows)
	} else {
		err = d.plainPage(p, defs, rows)
	}
	d.pos += rows
	return err
}

// nullAt marks row pos+r null (the value slot keeps its zero value).
func (d *columnDecoder) nullAt(r int) {
	switch d.t {
	case types.String, types.Dynamic, types.Unknown, types.Invalid:
		return // "" and nil are these types' nulls
	}
	if d.col.Nulls == nil {
		d.col.Nulls = make([]bool, d.n)
	}
	d.col.Nulls[d.pos+r] = true
}

// spread calls set(r, k) for each non-null row r with k its index among
// the page's values, and marks the others null.
func (d *columnDecoder) spread(defs []byte, rows int, set func(r, k int)) {
	if defs == nil {
		for r := 0; r < rows; r++ {
			set(r, r)
		}
		return
	}
	k := 0
	for r := 0; r < rows; r++ {
		if defs[r] == 0 {
			d.nullAt(r)
			continue
		}
		set(r, k)
		k++
	}
}

func (d *columnDecoder) plainPage(p parquet.Page, defs []byte, rows int) error {
	data := p.Data()
	base := d.pos
	switch d.t {
	case types.Bool:
		bits, dst := data.Boolean(), d.col.Bools[base:base+rows]
		d.spread(defs, rows, func(r, k int) { dst[r] = bits[k/8]&(1<<(k%8)) != 0 })
	case types.Int:
		src, dst := data.Int32(), d.col.Ints[base:base+rows]
		d.spread(defs, rows, func(r, k int) { dst[r] = int64(src[k]) })
	case types.Long, types.Timespan:
		src, dst := data.Int64(), d.col.Ints[base:base+rows]
		if defs == nil {
			copy(dst, src[:rows])
			return nil
		}
		d.spread(defs, rows, func(r, k int) { dst[r] = src[k] })
	case types.Datetime:
		src, dst := data.Int64(), d.col.Ints[base:base+rows]
		if defs == nil {
			for r, ns := range src[:rows] {
				dst[r] = ticksOfNanos(ns)
			}
			return nil
		}
		d.spread(defs, rows, func(r, k int) { dst[r] = ticksOfNanos(src[k]) })
	case types.Real, types.Decimal:
		src, dst := data.Double(), d.col.Reals[base:base+rows]
		if defs == nil {
			copy(dst, src[:rows])
			return nil
		}
		d.spread(defs, rows, func(r, k int) { dst[r] = src[k] })
	case types.String, types.Guid:
		values, offsets := data.ByteArray()
		if len(offsets) == 0 {
			offsets = []uint32{0}
		}
		all, dst := string(values), d.col.Strs[base:base+rows]
		if defs == nil {
			for r := range dst {
				dst[r] = all[offsets[r]:offsets[r+1]]
			}
			return nil
		}
		d.spread(defs, rows, func(r, k int) { dst[r] = all[offsets[k]:offsets[k+1]] })
	default:
		dyns := parseDynamics(pageStrings(data.ByteArray()))
		dst := d.col.Dyns[base : base+rows]
		d.spread(defs, rows, func(r, k int) { dst[r] = dyns[k] })
	}
	return nil
}

func (d *columnDecoder) dictPage(dict parquet.Dictionary, idx []int32, defs []byte, rows int) error {
	if dict != d.dict {
		if err := d.loadDict(dict); err != nil {
			return err
		}
	}
	base := d.pos
	switch d.t {
	case types.String, types.Guid:
		vals, dst := d.dictStrs, d.col.Strs[base:base+rows]
		if defs == nil {
			for r, k := range idx[:rows] {
				dst[r] = vals[k]
			}
			return nil
		}
		d.spread(defs, rows, func(r, k int) { dst[r] = vals[idx[k]] })
	case types.Int, types.Long, types.Timespan, types.Datetime:
		vals, dst := d.dictInts, d.col.Ints[base:base+rows]
		d.spread(defs, rows, func(r, k int) { dst[r] = vals[idx[k]] })
	default:
		vals, dst := d.dictDyns, d.col.Dyns[base:base+rows]
		d.spread(defs, rows, func(r, k int) { dst[r] = vals[idx[k]] })
	}
	return nil
}

// loadDict decodes a column chunk's dictionary once for all its pages.
func (d *columnDecoder) loadDict(dict parquet.Dictionary) error {
	d.dict = dict
	data := dict.Page().Data()
	switch d.t {
	case types.String, types.Guid:
		d.dictStrs = pageStrings(data.ByteArray())
	case types.Int:
		d.dictInts = d.dictInts[:0]
		for _, v := range data.Int32() {
			d.dictInts = append(d.dictInts, int64(v))
		}
	case types.Long, types.Timespan:
		d.dictInts = append(d.dictInts[:0], data.Int64()...)
	case types.Datetime:
		d.dictInts = d.dictInts[:0]
		for _, v := range data.Int64() {
			d.dictInts = append(d.dictInts, ticksOfNanos(v))
		}
	case types.Dynamic, types.Unknown, types.Invalid:
		d.dictDyns = parseDynamics(pageStrings(data.ByteArray()))
	default:
		return fmt.Errorf("dictionary-encoded %s column is not supported", d.t)
	}
	return nil
}

// pageStrings converts a page of byte arrays (values and n+1 offsets) to
// strings sharing one allocation.
func pageStrings(values []byte, offsets []uint32) []string {
	if len(offsets) == 0 {
		return []string{}
	}
	all := string(values)
	out := make([]string, len(offsets)-1)
	for i := range out {
		out[i] = all[offsets[i]:offsets[i+1]]
	}
	return out
}

// parseDynamics parses JSON texts; a text that is not JSON (a file
// another tool wrote) stays a string.
func parseDynamics(texts []string) []any {
	out := make([]any, len(texts))
	for i, s := range texts {
		v, err := value.ParseJSON(s)
		if err != nil {
			v = s
		}
		out[i] = v
	}
	return out
}
