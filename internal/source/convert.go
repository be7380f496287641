package source

// This file converts JSON cells, as Log Analytics and Graph send them, to
// vigil's typed columns.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// columnType maps a service's type name to a vigil type: Kusto names and
// synonyms (long, int64, date, uniqueid), and the .NET names Defender uses
// (DateTime, Int64, Boolean, SByte, Double, Object, TimeSpan). An unknown
// name becomes dynamic, which keeps any JSON value.
func columnType(name string) types.Type {
	n := strings.ToLower(strings.TrimPrefix(name, "System."))
	switch n {
	case "sbyte", "byte":
		return types.Bool
	case "int16", "uint16":
		return types.Int
	case "uint32", "uint64":
		return types.Long
	case "single", "float":
		return types.Real
	case "sqldecimal":
		return types.Decimal
	case "object", "jobject", "jarray", "jtoken":
		return types.Dynamic
	case "uuid":
		return types.Guid
	}
	if t, ok := types.Lookup(n); ok {
		return t
	}
	return types.Dynamic
}

// tableBuilder fills one batch cell by cell, remembering the first failed
// conversion of each column so it can be reported once.
type tableBuilder struct {
	b      *engine.Batch
	failed map[int]string
}

func newTableBuilder(s *types.Schema, rows int) *tableBuilder {
	return &tableBuilder{b: engine.NewBatch(s, rows)}
}

// appendJSON appends one JSON cell to column i; a cell that does not
// convert becomes null and is reported by errors.
func (t *tableBuilder) appendJSON(i int, raw json.RawMessage) {
	c := t.b.Cols[i]
	if err := appendCell(c, raw); err != nil {
		c.AppendNull()
		if t.failed == nil {
			t.failed = map[int]string{}
		}
		if _, seen := t.failed[i]; !seen {
			t.failed[i] = err.Error()
		}
	}
}

// finish sets the row count and returns the conversion failures, one per
// column, in column order.
func (t *tableBuilder) finish(rows int) (*engine.Batch, []QueryError) {
	t.b.N = rows
	var errs []QueryError
	for i := range t.b.Cols {
		if msg, ok := t.failed[i]; ok {
			errs = append(errs, QueryError{
				Code:    "ConversionError",
				Message: fmt.Sprintf("column %s: %s (cells that failed are null)", t.b.Schema.Columns[i].Name, msg),
			})
		}
	}
	return t.b, errs
}

// appendCell appends raw, converted to c's type.
func appendCell(c *value.Column, raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		c.AppendNull()
		return nil
	}
	v, err := cellValue(c.Type, raw)
	if err != nil {
		return err
	}
	c.Append(v)
	return nil
}

// cellValue decodes one non-null JSON cell as type t.
func cellValue(t types.Type, raw json.RawMessage) (value.Value, error) {
	s, quoted := jsonString(raw)
	switch t {
	case types.Bool:
		return boolCell(s)
	case types.Int, types.Long:
		return intCell(t, s)
	case types.Real, types.Decimal:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return value.Value{}, fmt.Errorf("%q is not a number", s)
		}
		return value.Value{Type: t, F: f}, nil
	case types.Datetime:
		return datetimeCell(s)
	case types.Timespan:
		ts, ok := value.ParseTimespan(s)
		if !ok {
			return value.Value{}, fmt.Errorf("%q is not a timespan", s)
		}
		return value.OfTimespan(ts), nil
	case types.Guid:
		return value.OfGuid(s), nil
	case types.Dynamic:
		return dynamicCell(s, quoted, raw), nil
	}
	return value.OfString(s), nil
}

// jsonString returns a JSON string's text, or raw's text for other values.
func jsonString(raw json.RawMessage) (string, bool) {
	if raw[0] != '"' {
		return string(raw), false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return string(raw), false
	}
	return s, true
}

func boolCell(s string) (value.Value, error) {
	switch strings.ToLower(s) {
	case "true", "1":
		return value.OfBool(true), nil
	case "false", "0":
		return value.OfBool(false), nil
	}
	return value.Value{}, fmt.Errorf("%q is not a bool", s)
}

// intCell parses an integer exactly; JSON numbers written with a fraction
// or exponent (1e3) are accepted when they are whole.
func intCell(t types.Type, s string) (value.Value, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return value.Value{Type: t, I: i}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return value.Value{}, fmt.Errorf("%q is not an integer", s)
	}
	return value.Value{Type: t, I: int64(f)}, nil
}

// datetimeCell parses RFC 3339 with up to 7 fractional digits, falling
// back to the formats todatetime() accepts.
func datetimeCell(s string) (value.Value, error) {
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return value.OfDatetime(value.DatetimeOf(tm)), nil
	}
	if d, ok := value.ParseDatetime(s); ok {
		return value.OfDatetime(d), nil
	}
	return value.Value{}, fmt.Errorf("%q is not a datetime", s)
}

// dynamicCell decodes a dynamic cell. Log Analytics sends dynamic values
// as a string holding JSON; a string that is not JSON is kept as a string
// (the wire cannot tell a dynamic "5" from 5). Objects and arrays sent as
// JSON are decoded directly, keeping key order.
func dynamicCell(s string, quoted bool, raw json.RawMessage) value.Value {
	text := s
	if !quoted {
		text = string(raw)
	}
	if d, err := value.ParseJSON(text); err == nil {
		return value.OfDynamic(d)
	}
	return value.OfDynamic(s)
}
