package ingest

// This file describes the tables rows go to: their schemas, how an
// exported field name finds its column, and rows under construction.

import (
	"strings"
	"sync"

	"github.com/vigil-hunt/vigil/internal/catalog"
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// tableInfo is a target table: its schema and column index. Once built it
// is read-only and shared by the workers.
type tableInfo struct {
	name   string
	schema *types.Schema
	index  map[string]int
	known  bool // catalogued; fields that are not columns count as ignored
	// timeCol is TimeGenerated and timeFrom the column whose value it
	// takes when a row lacks it (see eventTimeColumns); -1 when none.
	timeCol, timeFrom int
}

// eventTimeColumns are, for tables whose exports sometimes leave out
// TimeGenerated, the column holding the same instant: Entra ID's portal
// downloads of sign-ins and audit events carry only their
// CreatedDateTime or ActivityDateTime. Without TimeGenerated the rows
// would fall outside every time-bounded hunt.
var eventTimeColumns = map[string]string{
	"SigninLogs":                      "CreatedDateTime",
	"AADNonInteractiveUserSignInLogs": "CreatedDateTime",
	"AuditLogs":                       "ActivityDateTime",
	"AADUserRiskEvents":               "ActivityDateTime",
}

func newTableInfo(name string, s *types.Schema, known bool) *tableInfo {
	t := &tableInfo{name: name, schema: s, known: known, index: make(map[string]int, len(s.Columns)), timeCol: -1, timeFrom: -1}
	for i, c := range s.Columns {
		t.index[c.Name] = i
	}
	if from, ok := eventTimeColumns[name]; ok {
		tc, tok := s.Lookup("TimeGenerated")
		fc, fok := s.Lookup(from)
		if tok && fok && tc.Type == types.Datetime && fc.Type == types.Datetime {
			t.timeCol, t.timeFrom = t.index["TimeGenerated"], t.index[from]
		}
	}
	return t
}

// column returns the index of the column an exported field name denotes,
// or -1. Besides the exact name it accepts the spellings exports add: the
// portal's " [UTC]" suffix on datetime columns and the type suffixes of
// Log Analytics exports (ReportId_long, AdditionalFields_string,
// DeviceDetail_dynamic, custom-log _s/_d/_b/_t/_g).
func (t *tableInfo) column(name string) int {
	if i, ok := t.index[name]; ok {
		return i
	}
	bare, untyped := exportNames(name)
	if i, ok := t.index[bare]; ok && bare != name {
		return i
	}
	if i, ok := t.index[untyped]; ok && untyped != bare {
		return i
	}
	return -1
}

// exportNames returns name without a bracketed suffix (" [UTC]") and,
// further, without a type suffix ("_long", "_s").
func exportNames(name string) (bare, untyped string) {
	bare = name
	if k := strings.Index(bare, " ["); k > 0 && strings.HasSuffix(bare, "]") {
		bare = bare[:k]
	}
	untyped = bare
	if k := strings.LastIndexByte(bare, '_'); k > 0 {
		switch bare[k+1:] {
		case "string", "dynamic", "long", "int", "real", "double", "bool", "datetime",
			"guid", "timespan", "decimal", "s", "d", "b", "t", "g":
			untyped = bare[:k]
		}
	}
	return bare, untyped
}

// registry holds what ingestion knows of a catalog's tables: their
// schemas (built on first use), their names for case-insensitive lookup,
// and the fitter. It is built once per catalog and shared.
type registry struct {
	cat    *catalog.Catalog
	lower  map[string]string // lower-case name → catalog name
	fit    *fitter
	tables sync.Map // name → *tableInfo
}

var registries sync.Map // *catalog.Catalog → *registry

func registryFor(cat *catalog.Catalog) *registry {
	if r, ok := registries.Load(cat); ok {
		return r.(*registry)
	}
	r := &registry{cat: cat, lower: map[string]string{}, fit: newFitter(cat)}
	for _, name := range cat.TableNames() {
		r.lower[strings.ToLower(name)] = name
	}
	actual, _ := registries.LoadOrStore(cat, r)
	return actual.(*registry)
}

// table returns the catalogued table named name, or nil.
func (r *registry) table(name string) *tableInfo {
	if t, ok := r.tables.Load(name); ok {
		return t.(*tableInfo)
	}
	s, ok := r.cat.LookupTable(name)
	if !ok {
		return nil
	}
	t, _ := r.tables.LoadOrStore(name, newTableInfo(name, s, true))
	return t.(*tableInfo)
}

// canonical returns the catalog's spelling of a table name matched
// case-insensitively, or "".
func (r *registry) canonical(name string) string {
	return r.lower[strings.ToLower(name)]
}

// row is a row under construction: one value per column, null until set.
type row struct {
	t    *tableInfo
	vals []value.Value
}

func newRow(t *tableInfo) *row {
	r := &row{t: t, vals: make([]value.Value, len(t.schema.Columns))}
	r.reset()
	return r
}

func (r *row) reset() {
	for i, c := range r.t.schema.Columns {
		r.vals[i] = value.Null(c.Type)
	}
}

// strictColumns makes setting a column the table lacks panic; the tests
// turn it on to catch misspelt mappings.
var strictColumns = false

func (r *row) idx(col string) int {
	i, ok := r.t.index[col]
	if !ok && strictColumns {
		panic("ingest: table " + r.t.name + " has no column " + col)
	}
	if !ok {
		return -1
	}
	return i
}

// str sets a column from text, converted to the column's type; empty
// text leaves it as it is. It reports false when text was not stored.
func (r *row) str(col, s string) bool {
	if s == "" {
		return true
	}
	if i := r.idx(col); i >= 0 {
		if v, err := fromString(s, r.t.schema.Columns[i].Type); err == nil {
			r.vals[i] = v
			return true
		}
	}
	return false
}

// set sets a column to v, converted to the column's type.
func (r *row) set(col string, v value.Value) {
	if i := r.idx(col); i >= 0 {
		r.vals[i] = value.Convert(v, r.t.schema.Columns[i].Type)
	}
}

// long sets an integer column from decimal or 0x-hex text; text that is
// not a number leaves it null.
func (r *row) long(col, s string) {
	if n, ok := parseInt(strings.TrimSpace(s)); ok {
		r.set(col, value.OfLong(n))
	}
}

func (r *row) time(col string, d value.Datetime, ok bool) {
	if ok {
		r.set(col, value.OfDatetime(d))
	}
}

// tableBuf collects one table's rows for a batch.
type tableBuf struct {
	t     *tableInfo
	b     *engine.Batch
	stamp []int32       // per column, the row (1-based) appendFields last set it in
	strs  []*colStrings // per column, made on first use
}

// strings returns column ci's string copier.
func (tb *tableBuf) strings(ci int) *colStrings {
	if tb.strs == nil {
		tb.strs = make([]*colStrings, len(tb.b.Cols))
	}
	cs := tb.strs[ci]
	if cs == nil {
		cs = &colStrings{}
		tb.strs[ci] = cs
	}
	return cs
}

func newTableBuf(t *tableInfo, capacity int) *tableBuf {
	return &tableBuf{t: t, b: engine.NewBatch(t.schema, capacity)}
}

func (tb *tableBuf) add(vals []value.Value) {
	for i, v := range vals {
		tb.b.Cols[i].Append(v)
	}
	tb.b.N++
}
