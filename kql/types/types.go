// Package types defines Kusto's scalar types and the schemas of tabular
// values. It is a leaf package shared by the checker, the engine, the table
// catalog and the function table, so that each speaks of "a long column"
// in the same words.
package types

import (
	"strings"
)

// Type is a Kusto scalar type.
type Type uint8

// The scalar types. Invalid marks an expression whose type could not be
// worked out because of an earlier error; the checker treats it as
// compatible with everything so that one mistake does not cascade. Unknown
// is a value whose type is only known at run time (a column of a table the
// catalog does not describe).
const (
	Invalid Type = iota
	Bool
	Int
	Long
	Real
	Decimal
	String
	Datetime
	Timespan
	Guid
	Dynamic
	Unknown
)

var typeNames = [...]string{
	Invalid:  "invalid",
	Bool:     "bool",
	Int:      "int",
	Long:     "long",
	Real:     "real",
	Decimal:  "decimal",
	String:   "string",
	Datetime: "datetime",
	Timespan: "timespan",
	Guid:     "guid",
	Dynamic:  "dynamic",
	Unknown:  "unknown",
}

// String returns Kusto's name for the type.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// Lookup returns the type a Kusto type name denotes, including the
// documented synonyms (boolean, double, date, time, uniqueid, int32,
// int64). Names are case-insensitive.
func Lookup(name string) (Type, bool) {
	switch strings.ToLower(name) {
	case "bool", "boolean":
		return Bool, true
	case "int", "int32":
		return Int, true
	case "long", "int64":
		return Long, true
	case "real", "double":
		return Real, true
	case "decimal":
		return Decimal, true
	case "string":
		return String, true
	case "datetime", "date":
		return Datetime, true
	case "timespan", "time":
		return Timespan, true
	case "guid", "uniqueid":
		return Guid, true
	case "dynamic":
		return Dynamic, true
	}
	return Invalid, false
}

// IsNumeric reports whether t is int, long, real or decimal.
func (t Type) IsNumeric() bool { return t == Int || t == Long || t == Real || t == Decimal }

// IsKnown reports whether t is a concrete type (not Invalid or Unknown).
func (t Type) IsKnown() bool { return t != Invalid && t != Unknown }

// Column is a named, typed column of a tabular value.
type Column struct {
	Name string
	Type Type
}

// Schema is the ordered column list of a tabular value. Open marks a schema
// whose columns are only partly known (after evaluate bag_unpack, or a
// table the catalog does not describe): a reference to a column it does not
// list is then not an error.
type Schema struct {
	Columns []Column
	Open    bool
}

// Index returns the position of the column named name, or -1. Column names
// are case-sensitive in Kusto.
func (s *Schema) Index(name string) int {
	if s == nil {
		return -1
	}
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Lookup returns the column named name.
func (s *Schema) Lookup(name string) (Column, bool) {
	if i := s.Index(name); i >= 0 {
		return s.Columns[i], true
	}
	return Column{}, false
}

// Names returns the column names in order.
func (s *Schema) Names() []string {
	if s == nil {
		return nil
	}
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Name
	}
	return out
}

// Clone returns a copy of s that shares no memory with it.
func (s *Schema) Clone() *Schema {
	if s == nil {
		return nil
	}
	return &Schema{Columns: append([]Column(nil), s.Columns...), Open: s.Open}
}

// String formats the schema as Kusto prints one: (a:string, b:long).
func (s *Schema) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, c := range s.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
		b.WriteByte(':')
		b.WriteString(c.Type.String())
	}
	if s.Open {
		if len(s.Columns) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("*")
	}
	b.WriteByte(')')
	return b.String()
}
