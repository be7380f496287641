package catalog

//go:generate go run ./internal/gen -in ../../../shared/data/schemas/tables.json -out tables.json

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"github.com/vigil-hunt/vigil/kql/suggest"
	"sort"
	"strings"
	"sync"

	"github.com/vigil-hunt/vigil/kql/types"
)

// Availability says in which product a column exists. The zero value is
// Both, so hand-built columns are available everywhere unless marked.
type Availability uint8

// The availabilities, spelled in String as in the research data.
const (
	Both            Availability = iota // advanced hunting and Sentinel
	AdvancedHunting                     // Defender XDR advanced hunting only
	Sentinel                            // Log Analytics / Sentinel only
)

var availabilityNames = [...]string{
	Both:            "both",
	AdvancedHunting: "advanced_hunting",
	Sentinel:        "sentinel",
}

// String returns the name the data file uses: both, advanced_hunting or
// sentinel; an out-of-range value prints as Availability(n).
func (a Availability) String() string {
	if int(a) < len(availabilityNames) {
		return availabilityNames[a]
	}
	return fmt.Sprintf("Availability(%d)", uint8(a))
}

func parseAvailability(s string) (Availability, bool) {
	for i, n := range availabilityNames {
		if n == s {
			return Availability(i), true
		}
	}
	return 0, false
}

// Column is one column of a catalog table. Type is the Log Analytics type
// where the column exists there; AHType is the advanced-hunting type when
// that differs (e.g. dynamic in Sentinel, JSON text in advanced hunting),
// and types.Invalid when it is the same.
type Column struct {
	Name   string
	Type   types.Type
	In     Availability
	AHType types.Type
}

// Table is a table's name and its columns in documentation order. The
// column set is the union of both products; In tells them apart.
type Table struct {
	Name    string
	Columns []Column
}

// Schema returns the table's columns as a closed schema. It is a fresh
// copy on every call, so the caller may extend or reorder it.
func (t *Table) Schema() *types.Schema {
	cols := make([]types.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = types.Column{Name: c.Name, Type: c.Type}
	}
	return &types.Schema{Columns: cols}
}

// Column returns the column named name; names are case-sensitive.
func (t *Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// TimeColumn returns the column a time filter should use: Timestamp when
// present, else TimeGenerated, else "". Defender tables in Sentinel carry
// both; Timestamp is the event time there and the only one in advanced
// hunting. A column of that name that is not a datetime does not count.
func (t *Table) TimeColumn() string {
	if cols := t.TimeColumns(); len(cols) > 0 {
		return cols[0]
	}
	return ""
}

// TimeColumns returns the datetime columns named Timestamp and
// TimeGenerated that the table has, in that order.
func (t *Table) TimeColumns() []string {
	var out []string
	for _, name := range [...]string{"Timestamp", "TimeGenerated"} {
		if c, ok := t.Column(name); ok && c.Type == types.Datetime {
			out = append(out, name)
		}
	}
	return out
}

// Catalog is a set of tables looked up by exact name. It is read-only once
// built and safe for concurrent use; callers must not modify the tables it
// returns.
type Catalog struct {
	tables []*Table // sorted by name
	byName map[string]*Table
}

// New builds a catalog of tables. When two tables share a name the later
// one wins.
func New(tables []*Table) *Catalog {
	c := &Catalog{byName: make(map[string]*Table, len(tables))}
	for _, t := range tables {
		c.byName[t.Name] = t
	}
	for _, t := range c.byName {
		c.tables = append(c.tables, t)
	}
	sort.Slice(c.tables, func(i, j int) bool { return c.tables[i].Name < c.tables[j].Name })
	return c
}

//go:embed tables.json
var embedded []byte

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
)

// Default returns the catalog of Defender XDR and Sentinel tables built
// into the binary, parsing it on first use. The embedded file is checked by
// the tests, so a parse failure is a build defect and panics.
func Default() *Catalog {
	defaultOnce.Do(func() {
		tables, err := decode(embedded)
		if err != nil {
			panic(fmt.Sprintf("catalog: embedded tables.json: %v", err))
		}
		defaultCatalog = New(tables)
	})
	return defaultCatalog
}

// Table returns the table named name. Kusto table names are
// case-sensitive, so "deviceprocessevents" does not match; see Suggest.
func (c *Catalog) Table(name string) (*Table, bool) {
	t, ok := c.byName[name]
	return t, ok
}

// Tables returns every table sorted by name, in a slice the caller owns.
func (c *Catalog) Tables() []*Table {
	return append([]*Table(nil), c.tables...)
}

// LookupTable returns a fresh schema of the table named name; it is the
// TableNames returns every table name, sorted; the checker and the engine
// expand wildcards such as Device* against it.
func (c *Catalog) TableNames() []string {
	tables := c.Tables()
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.Name
	}
	return names
}

// method the KQL checker's table-lookup interface calls.
func (c *Catalog) LookupTable(name string) (*types.Schema, bool) {
	t, ok := c.byName[name]
	if !ok {
		return nil, false
	}
	return t.Schema(), true
}

// Suggest returns the table name closest to name by edit distance, compared
// case-insensitively, for "did you mean" messages. It returns "" when the
// best distance exceeds max(2, len(name)/4); ties go to the first name in
// sorted order.
func (c *Catalog) Suggest(name string) string {
	limit := max(2, len(name)/4)
	lower := strings.ToLower(name)
	best, bestDist := "", limit+1
	for _, t := range c.tables {
		if d := suggest.Distance(lower, strings.ToLower(t.Name), 0); d < bestDist {
			best, bestDist = t.Name, d
		}
	}
	return best
}

// fileColumn and fileTable are the embedded format written by
// internal/gen (which keeps its own copy of these shapes).
type fileColumn struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	In     string `json:"in"`
	AHType string `json:"ah_type"`
}

type fileTable struct {
	Name    string       `json:"name"`
	Columns []fileColumn `json:"columns"`
}

// decode parses the embedded format. Unknown fields are rejected, which
// also keeps prose (descriptions, notes) out of the file.
func decode(data []byte) ([]*Table, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var file []fileTable
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("decoding: %w", err)
	}
	tables := make([]*Table, len(file))
	for i, ft := range file {
		t, err := decodeTable(ft)
		if err != nil {
			return nil, err
		}
		tables[i] = t
	}
	return tables, nil
}

func decodeTable(ft fileTable) (*Table, error) {
	t := &Table{Name: ft.Name, Columns: make([]Column, len(ft.Columns))}
	for i, fc := range ft.Columns {
		c, err := decodeColumn(fc)
		if err != nil {
			return nil, fmt.Errorf("table %s, column %q: %w", ft.Name, fc.Name, err)
		}
		t.Columns[i] = c
	}
	return t, nil
}

func decodeColumn(fc fileColumn) (Column, error) {
	typ, ok := types.Lookup(fc.Type)
	if !ok {
		return Column{}, fmt.Errorf("unknown type %q", fc.Type)
	}
	in, ok := parseAvailability(fc.In)
	if !ok {
		return Column{}, fmt.Errorf("unknown availability %q", fc.In)
	}
	c := Column{Name: fc.Name, Type: typ, In: in}
	if fc.AHType != "" {
		if c.AHType, ok = types.Lookup(fc.AHType); !ok {
			return Column{}, fmt.Errorf("unknown ah_type %q", fc.AHType)
		}
	}
	return c, nil
}
