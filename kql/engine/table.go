package engine

// This file declares what the engine needs from a data source: tables that
// can be scanned with column projection and pushed-down predicates.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Catalog resolves table names. Names are case-sensitive.
type Catalog interface {
	Table(name string) (Table, bool)
	// TableNames lists every table, for union wildcards (Device*).
	TableNames() []string
}

// Table is a source of rows.
type Table interface {
	Schema() *types.Schema
	// Scan streams the table's rows. The engine re-applies every predicate
	// in req, so a table may use them only to skip data that cannot match
	// (partitions outside a time range, segments whose term index lacks a
	// needle); it must never return fewer matching rows.
	Scan(ctx context.Context, req ScanRequest) (Stream, error)
}

// ScanRequest says which part of a table a query needs.
type ScanRequest struct {
	// Columns to return, in this order; nil means every column.
	Columns []string
	// Preds are conjunctive hints: every returned row that matters
	// satisfies all of them.
	Preds []Pred
}

// PredKind is the kind of a pushed-down predicate.
type PredKind uint8

// Predicate kinds.
const (
	// PredTimeRange: Column (a datetime) lies in [From, To]; either bound
	// may be absent (HasFrom/HasTo false).
	PredTimeRange PredKind = iota + 1
	// PredEquals: Column equals one of Values (case-sensitive unless
	// CaseInsensitive).
	PredEquals
	// PredHasTerm: Column has Term as the has operator tests it
	// (case-insensitive, on term boundaries). Term is the needle as
	// written and may hold several terms ("-enc", "cmd.exe"): a term index
	// can skip data that lacks any one of the needle's whole terms (the
	// first and last ones may be partial in Kusto's has; skip only on the
	// inner, complete terms, or on all when the needle is one term).
	PredHasTerm
	// PredContains: Column contains Term as a substring (case-insensitive).
	PredContains
)

// Pred is one pushed-down predicate.
type Pred struct {
	Kind            PredKind
	Column          string
	From, To        value.Datetime
	HasFrom, HasTo  bool
	Values          []value.Value
	CaseInsensitive bool
	Term            string
}

// MemTable is a table held in memory, for tests, datatable-like sources
// and small loaded files.
type MemTable struct {
	schema *types.Schema
	data   *Batch
}

// NewMemTable returns a table over b.
func NewMemTable(b *Batch) *MemTable { return &MemTable{schema: b.Schema, data: b} }

// Schema returns the table's schema.
func (t *MemTable) Schema() *types.Schema { return t.schema }

// Scan streams the table in BatchSize slices, projecting req.Columns.
func (t *MemTable) Scan(ctx context.Context, req ScanRequest) (Stream, error) {
	data := t.data
	if req.Columns != nil {
		data = project(data, req.Columns)
	}
	var batches []*Batch
	for from := 0; from < data.N; from += BatchSize {
		to := min(from+BatchSize, data.N)
		batches = append(batches, data.Slice(from, to))
	}
	return NewBatchStream(data.Schema, batches...), nil
}

// project returns b with only the named columns, in that order; names b
// lacks are skipped.
func project(b *Batch, names []string) *Batch {
	s := &types.Schema{}
	var cols []*value.Column
	for _, n := range names {
		if i := b.Schema.Index(n); i >= 0 {
			s.Columns = append(s.Columns, b.Schema.Columns[i])
			cols = append(cols, b.Cols[i])
		}
	}
	return &Batch{Schema: s, Cols: cols, N: b.N}
}

// MemCatalog is a Catalog of in-memory tables.
type MemCatalog struct {
	tables map[string]Table
	names  []string
}

// NewMemCatalog returns an empty catalog.
func NewMemCatalog() *MemCatalog { return &MemCatalog{tables: map[string]Table{}} }

// Add adds or replaces a table.
func (c *MemCatalog) Add(name string, t Table) {
	if _, ok := c.tables[name]; !ok {
		c.names = append(c.names, name)
	}
	c.tables[name] = t
}

// Table returns the named table.
func (c *MemCatalog) Table(name string) (Table, bool) {
	t, ok := c.tables[name]
	return t, ok
}

// TableNames returns the table names in the order they were added.
func (c *MemCatalog) TableNames() []string { return append([]string(nil), c.names...) }
