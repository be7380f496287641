package ingest

// This file implements the workers: each decodes units of records into
// per-table batches, rejects and counts, and routes row exports to their
// tables.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

// unitResult is what a worker made of one unit of records.
type unitResult struct {
	bufs    []*tableBuf
	byTable map[*tableInfo]*tableBuf
	pending []pendingRow
	rejects []Reject
	ignored map[ignoredKey]int
	records int
}

type ignoredKey struct{ table, field string }

// worker holds one decoding goroutine's scratch space.
type worker struct {
	in      *input
	res     *unitResult
	cur     *rec     // the record being decoded
	fields  []field  // scratch for the record's fields
	hint    []string // the field names of the previous record
	inner   []field  // scratch for nested objects
	props   []field
	rows    map[*tableInfo]*row
	keys    map[*tableInfo]*keyCache
	fits    map[string]string
	ev      winEvent // scratch for the record's Windows event
	out     int      // rows made from the current record, for ReportIds
	unitLen int      // records in the current unit, to size batches
}

func newWorker(in *input) *worker {
	return &worker{in: in, rows: map[*tableInfo]*row{}, keys: map[*tableInfo]*keyCache{}, fits: map[string]string{}}
}

func (w *worker) process(recs []rec) *unitResult {
	w.res = &unitResult{byTable: map[*tableInfo]*tableBuf{}, ignored: map[ignoredKey]int{}}
	w.unitLen = len(recs)
	for i := range recs {
		r := &recs[i]
		w.cur, w.out = r, 0
		if r.err != "" {
			w.res.records++
			w.reject(r.line, r.text, r.err)
			continue
		}
		switch w.in.format {
		case CSV:
			w.csvRecord(r)
		case EventHub:
			w.hubRecord(r)
		case Winlogbeat, EvtxDump:
			w.eventRecord(r)
		default:
			w.jsonRecord(r)
		}
	}
	res := w.res
	w.res, w.cur = nil, nil
	return res
}

func (w *worker) reject(line int, text, reason string) {
	w.res.rejects = append(w.res.rejects, Reject{File: w.in.name, Line: line, Reason: reason, Record: text})
}

// row returns the worker's scratch row for t.
func (w *worker) row(t *tableInfo) *row {
	r := w.rows[t]
	if r == nil {
		r = newRow(t)
		w.rows[t] = r
	}
	r.reset()
	return r
}

// emit appends a finished row to the unit's batch for its table.
func (w *worker) emit(r *row) {
	w.buf(r.t).add(r.vals)
	w.out++
}

// buf returns the unit's batch for t. The first table of a unit is sized
// for all its records (row exports usually hold one table); others start
// small.
func (w *worker) buf(t *tableInfo) *tableBuf {
	tb := w.res.byTable[t]
	if tb == nil {
		size := 64
		if len(w.res.bufs) == 0 {
			size = w.unitLen
		}
		tb = newTableBuf(t, size)
		w.res.byTable[t] = tb
		w.res.bufs = append(w.res.bufs, tb)
	}
	return tb
}

// setHint remembers the field names of a row for the next one; a name
// with escapes cannot be matched in place and ends the hint.
func (w *worker) setHint(fields []field) {
	n := 0
	for p, f := range fields {
		if p < len(w.hint) && w.hint[p] == f.name {
			n++
			continue
		}
		if strings.IndexByte(f.name, '"') >= 0 || strings.IndexByte(f.name, '\\') >= 0 {
			break
		}
		if p < len(w.hint) {
			w.hint[p] = f.name
		} else {
			w.hint = append(w.hint, f.name)
		}
		n++
	}
	w.hint = w.hint[:n]
}

// objectRecord scans a record that must be one JSON object.
func (w *worker) objectRecord(text string) ([]field, error) {
	i := skipWS(text, 0)
	if i < len(text) && text[i] != '{' {
		return nil, errAt(i, "a record must be a JSON object")
	}
	fields, end, err := scanObjectHint(text, i, w.fields[:0], w.hint)
	w.fields = fields[:0]
	if err != nil {
		return nil, err
	}
	w.setHint(fields)
	if end = skipWS(text, end); end != len(text) {
		return nil, errAt(end, "data after the object")
	}
	return fields, nil
}

func (w *worker) jsonRecord(r *rec) {
	w.res.records++
	fields, err := w.objectRecord(r.text)
	if err != nil {
		w.reject(r.line, r.text, err.Error())
		return
	}
	w.rowRecord(fields, r.line, r.text, false)
}

func (w *worker) csvRecord(r *rec) {
	w.res.records++
	fields := w.fields[:0]
	for i, c := range r.cells {
		fields = append(fields, field{name: w.in.header[i], v: jval{k: kStr, s: c}})
	}
	w.fields = fields[:0]
	w.rowRecord(fields, r.line, r.text, true)
}

// rowRecord writes one row of a row export to the table it routes to, and
// normalises it when it is a Windows event.
func (w *worker) rowRecord(fields []field, line int, text string, csv bool) {
	name, why := w.route(fields)
	if name == "" {
		w.reject(line, text, why)
		return
	}
	t := w.tableRow(name, fields, line, text, csv)
	if t != nil && !w.in.opts.NoNormalize {
		if ev, ok := w.eventFromRow(t.name, fields); ok {
			w.normalize(ev)
		}
	}
}

// tableRow writes fields as a row of the table named name; it returns the
// table, or nil when the row was rejected or waits for an inferred schema.
func (w *worker) tableRow(name string, fields []field, line int, text string, csv bool) *tableInfo {
	t := w.in.reg.table(name)
	if t == nil {
		w.res.pending = append(w.res.pending, pendingRow{table: name, fields: append([]field(nil), fields...),
			csv: csv, line: line, text: text})
		return nil
	}
	kc := w.keys[t]
	if kc == nil {
		kc = &keyCache{}
		w.keys[t] = kc
	}
	if err := appendFields(w.buf(t), fields, kc, func(f string) { w.res.ignored[ignoredKey{t.name, f}]++ }); err != nil {
		w.reject(line, text, err.Error())
		return nil
	}
	w.out++
	return t
}

// route picks the table of a row: the --table option; the row's Type (or
// portal $table) column when it names a catalogued table; the catalogued
// table the file is named after; the Type column's custom table; the
// catalogued table whose columns the row's fields fit; SecurityEvent for a
// bare Windows event; a table named after the file.
func (w *worker) route(fields []field) (string, string) {
	in := w.in
	if t := in.opts.Table; t != "" {
		if c := in.reg.canonical(t); c != "" {
			return c, ""
		}
		return t, ""
	}
	custom := ""
	for _, key := range [...]string{"Type", "$table"} {
		if v, ok := lookup(fields, key); ok && v.k == kStr && v.s != "" {
			if c := in.reg.canonical(v.s); c != "" {
				return c, ""
			}
			if isIdent(v.s) {
				custom = v.s
			}
		}
	}
	switch {
	case in.fileTable != "":
		return in.fileTable, ""
	case custom != "":
		return custom, ""
	}
	if t := w.fit(fields); t != "" {
		return t, ""
	}
	if bareWindowsEvent(fields) {
		return "SecurityEvent", ""
	}
	if in.fallback != "" {
		return in.fallback, ""
	}
	return "", "no table: the record has no Type column, its fields fit no catalogued table and the input has no name to take one from (give --table)"
}

// fit returns the catalogued table the row's non-empty fields fit, caching
// the answer per field set.
func (w *worker) fit(fields []field) string {
	var b strings.Builder
	var names []string
	for _, f := range fields {
		if f.v.k == kNull || (f.v.k == kStr && f.v.s == "") {
			continue
		}
		names = append(names, f.name)
		b.WriteString(f.name)
		b.WriteByte(0)
	}
	key := b.String()
	if t, ok := w.fits[key]; ok {
		return t
	}
	t := w.in.reg.fit.best(names)
	w.fits[key] = t
	return t
}

// bareWindowsEvent reports whether a row without a table is a Windows
// event record (an EventID and a Computer), as Sentinel exports of the
// Windows Filtering Platform sometimes are.
func bareWindowsEvent(fields []field) bool {
	_, eid := lookup(fields, "EventID")
	c, comp := lookup(fields, "Computer")
	return eid && comp && c.k == kStr && c.s != ""
}

func isIdent(s string) bool {
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// reportID makes a ReportId for a normalised row: a hash of the record's
// text, the device and the row's place among the record's rows, so that
// re-ingesting a file gives the same ids. It fits in 53 bits to survive
// JSON readers that use doubles.
func (w *worker) reportID(device string) value.Value {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range [...]string{device, w.cur.text} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h = (h ^ 0xff) * prime
	}
	h = (h ^ uint64(w.out)) * prime
	return value.OfLong(int64(h & (1<<53 - 1)))
}
