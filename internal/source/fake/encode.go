package fake

// This file writes cells the way each service puts them on the wire.

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// wire is one service's cell format.
type wire int

const (
	wireLogs  wire = iota // Log Analytics (A4): decimal and dynamic as strings
	wireGraph             // Graph hunting: as Log Analytics, decimals as numbers [U]
	wireKusto             // ADX v2: dynamic as JSON values
)

// cellJSON encodes row i of c.
func cellJSON(c *value.Column, i int, w wire) any {
	if c.Type == types.String {
		return c.Strs[i]
	}
	if c.IsNull(i) {
		return nil
	}
	switch c.Type {
	case types.Bool:
		return c.Bools[i]
	case types.Int, types.Long:
		return json.Number(strconv.FormatInt(c.Ints[i], 10))
	case types.Real:
		return realJSON(c.Reals[i])
	case types.Decimal:
		if w == wireGraph {
			return realJSON(c.Reals[i])
		}
		return strconv.FormatFloat(c.Reals[i], 'f', -1, 64)
	case types.Datetime:
		return value.Datetime(c.Ints[i]).Time().Format("2006-01-02T15:04:05.9999999Z")
	case types.Timespan:
		return value.Timespan(c.Ints[i]).String()
	case types.Guid:
		if c.Strs[i] == "" { // vigil keeps a null guid as ""
			return nil
		}
		return c.Strs[i]
	}
	text := value.FormatJSON(c.Dyns[i])
	if w == wireKusto {
		return json.RawMessage(text)
	}
	return text
}

// realJSON writes a real; NaN and infinities, which JSON lacks, as the
// strings Kusto prints [U for Log Analytics].
func realJSON(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return value.FormatReal(f)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// rowsJSON encodes rows [0, n) of columns cs as arrays.
func rowsJSON(cs []*value.Column, n int, w wire) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		row := make([]any, len(cs))
		for j, c := range cs {
			row[j] = cellJSON(c, i, w)
		}
		rows[i] = row
	}
	return rows
}

// netType is the .NET type name Defender's schema uses for t.
func netType(t types.Type) string {
	switch t {
	case types.Bool:
		return "Boolean"
	case types.Int:
		return "Int32"
	case types.Long:
		return "Int64"
	case types.Real:
		return "Double"
	case types.Decimal:
		return "Decimal"
	case types.Datetime:
		return "DateTime"
	case types.Timespan:
		return "TimeSpan"
	case types.Guid:
		return "Guid"
	case types.Dynamic:
		return "Object"
	}
	return "String"
}
