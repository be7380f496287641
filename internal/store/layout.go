package store

// This file maps Kusto column types to Parquet columns: the physical and
// logical types a segment uses, so that DuckDB, Spark, pandas and ADX read
// the same files vigil does.
//
//	Kusto      Parquet                                   repetition
//	bool       BOOLEAN                                   OPTIONAL
//	int        INT32                                     OPTIONAL
//	long       INT64                                     OPTIONAL
//	real       DOUBLE                                    OPTIONAL
//	decimal    DOUBLE (vigil holds decimals as float64)  OPTIONAL
//	datetime   INT64 TIMESTAMP(NANOS, isAdjustedToUTC)   OPTIONAL
//	timespan   INT64, a count of 100-ns ticks             OPTIONAL
//	string     BYTE_ARRAY STRING (UTF8)                  REQUIRED ("" is Kusto's null string)
//	guid       BYTE_ARRAY STRING, lower-case canonical   OPTIONAL (null, or "", is stored as null)
//	dynamic    BYTE_ARRAY STRING holding compact JSON    OPTIONAL (null is stored as null)
//
// Strings, guids and dynamics are dictionary-encoded (RLE_DICTIONARY,
// falling back to PLAIN past 1 MB) unless most values of a segment's
// first row group are distinct, then PLAIN; other columns are PLAIN.
// Pages are data page v1, compressed with zstd.
//
// Datetimes: a tick is 100 ns, so ticks×100 is exact in nanoseconds for
// every instant in 1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z
// (all real telemetry); instants outside that range are clamped to it
// when written. NANOS keeps Defender's seven fractional digits, which
// MICROS would drop. pandas/pyarrow and arrow-rs read the column exactly;
// DuckDB reads it as TIMESTAMPTZ, truncated to microseconds; Spark reads
// it only with spark.sql.legacy.parquet.nanosAsLong=true, as a long. A
// timespan has no Parquet logical type that those readers share, so it is
// a plain INT64 of ticks (divide by 10^7 for seconds).
//
// Dynamics round-trip through their JSON text (value.FormatJSON and
// value.ParseJSON), as tostring() prints them: a real with an integral
// value comes back as a long, and a datetime or timespan inside a dynamic
// comes back as a string.
//
// Each file also carries key-value metadata "vigil.schema", the Kusto
// type of every column as JSON, so that a reader of the bare files can
// tell guids, timespans, dynamics and decimals from plain strings, longs
// and doubles (vigil itself takes the types from the manifest).

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// schemaKey is the Parquet key-value metadata entry holding the Kusto
// schema of a segment.
const schemaKey = "vigil.schema"

// storedType returns the type a column of type t is stored as: types
// without a storage of their own (unknown, invalid) become dynamic.
func storedType(t types.Type) types.Type {
	if !t.IsKnown() {
		return types.Dynamic
	}
	return t
}

// columnNode returns the Parquet node of a column of Kusto type t; dict
// asks for dictionary encoding of a byte-array column.
func columnNode(t types.Type, dict bool) parquet.Node {
	switch t {
	case types.Bool:
		return parquet.Optional(parquet.Leaf(parquet.BooleanType))
	case types.Int:
		return parquet.Optional(parquet.Leaf(parquet.Int32Type))
	case types.Long, types.Timespan:
		return parquet.Optional(parquet.Leaf(parquet.Int64Type))
	case types.Real, types.Decimal:
		return parquet.Optional(parquet.Leaf(parquet.DoubleType))
	case types.Datetime:
		return parquet.Optional(parquet.TimestampAdjusted(parquet.Nanosecond, true))
	}
	str := parquet.Encoded(parquet.String(), &parquet.Plain)
	if dict {
		str = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
	}
	if t == types.String {
		return str
	}
	return parquet.Optional(str) // guid, dynamic
}

// parquetSchema returns the Parquet schema of a segment holding cols, in
// their order; plain[i] asks for PLAIN encoding of column i.
func parquetSchema(cols []types.Column, plain []bool) *parquet.Schema {
	g := &orderedGroup{}
	for i, c := range cols {
		g.fields = append(g.fields, &orderedField{Node: columnNode(c.Type, !plain[i]), name: c.Name})
	}
	return parquet.NewSchema("vigil", g)
}

// encodeSchema returns the JSON of the "vigil.schema" metadata entry: the
// columns as the manifest lists them.
func encodeSchema(cols []types.Column) string {
	b, _ := json.Marshal(metaColumns(cols))
	return string(b)
}

// columnMeta is one column of a schema as the manifest spells it.
type columnMeta struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func metaColumns(cols []types.Column) []columnMeta {
	out := make([]columnMeta, len(cols))
	for i, c := range cols {
		out[i] = columnMeta{Name: c.Name, Type: c.Type.String()}
	}
	return out
}

func schemaColumns(cols []columnMeta) ([]types.Column, error) {
	out := make([]types.Column, len(cols))
	for i, c := range cols {
		t, ok := types.Lookup(c.Type)
		if !ok {
			return nil, fmt.Errorf("column %q has unknown type %q", c.Name, c.Type)
		}
		out[i] = types.Column{Name: c.Name, Type: t}
	}
	return out, nil
}

// Nanosecond bounds of the datetimes a segment can hold, in ticks.
const (
	minStoredTicks = math.MinInt64/100 + 1
	maxStoredTicks = math.MaxInt64 / 100
)

// clampTicks returns the datetime a segment stores for d.
func clampTicks(d int64) int64 {
	return min(max(d, minStoredTicks), maxStoredTicks)
}

// ticksOfNanos converts stored nanoseconds back to ticks, rounding down
// (exact for everything vigil wrote).
func ticksOfNanos(ns int64) int64 {
	t := ns / 100
	if ns%100 < 0 {
		t--
	}
	return t
}

// datetimeOfStat decodes a Parquet INT64 statistic (little-endian).
func datetimeOfStat(b []byte) (value.Datetime, bool) {
	if len(b) != 8 {
		return 0, false
	}
	var ns int64
	for i := 7; i >= 0; i-- {
		ns = ns<<8 | int64(b[i])
	}
	return value.Datetime(ticksOfNanos(ns)), true
}

// orderedGroup is a Parquet group node whose fields keep the table's
// column order (parquet.Group sorts them by name).
type orderedGroup struct {
	fields []parquet.Field
}

func (g *orderedGroup) ID() int                     { return 0 }
func (g *orderedGroup) String() string              { return "group" }
func (g *orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g *orderedGroup) Optional() bool              { return false }
func (g *orderedGroup) Repeated() bool              { return false }
func (g *orderedGroup) Required() bool              { return true }
func (g *orderedGroup) Leaf() bool                  { return false }
func (g *orderedGroup) Fields() []parquet.Field     { return g.fields }
func (g *orderedGroup) Encoding() encoding.Encoding { return nil }
func (g *orderedGroup) Compression() compress.Codec { return nil }
func (g *orderedGroup) GoType() reflect.Type        { return reflect.TypeOf(map[string]any{}) }

type orderedField struct {
	parquet.Node
	name string
}

func (f *orderedField) Name() string                           { return f.name }
func (f *orderedField) Value(base reflect.Value) reflect.Value { return reflect.Value{} }
