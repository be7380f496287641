package conformance

// This file compares a result table with a documented output table.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Compare returns "" when b matches the example's expected output, else a
// short description of the first difference.
func Compare(ex *Example, b *engine.Batch) string {
	want := ex.Expected
	var got []string
	for _, c := range b.Schema.Columns {
		got = append(got, c.Name)
	}
	if len(got) != len(want.Columns) {
		return fmt.Sprintf("columns: got %v, want %v", got, want.Columns)
	}
	// A bare scalar expression (documentation shorthand for print x)
	// names no column: the name over the documented value is the page's.
	for i := range got {
		if got[i] != strings.TrimSpace(want.Columns[i]) && !ex.BareScalar {
			return fmt.Sprintf("columns: got %v, want %v", got, want.Columns)
		}
	}
	approx := strings.Contains(ex.Query, "dcount") || strings.Contains(ex.Query, "hll")
	rows := make([][]value.Value, b.N)
	for i := range rows {
		rows[i] = make([]value.Value, len(b.Cols))
		for j, c := range b.Cols {
			rows[i][j] = c.Value(i)
		}
	}
	if len(ex.Nondeterministic) > 0 {
		if len(rows) != len(want.Rows) && !ex.PartialOutput {
			return fmt.Sprintf("rows: got %d, want %d", len(rows), len(want.Rows))
		}
		return "" // values vary by design; the shape matched
	}
	if len(rows) == 0 && blankTable(want.Rows) {
		return "" // an empty result, drawn as a table with one blank row
	}
	if !ex.PartialOutput && len(rows) != len(want.Rows) {
		return fmt.Sprintf("rows: got %d, want %d%s", len(rows), len(want.Rows), firstRows(rows))
	}
	if ex.Ordered && !ex.PartialOutput {
		for i, w := range want.Rows {
			if d := rowDiff(rows[i], w, approx); d != "" {
				return fmt.Sprintf("row %d: %s", i+1, d)
			}
		}
		return ""
	}
	used := make([]bool, len(rows))
	for i, w := range want.Rows {
		found := false
		for k, r := range rows {
			if !used[k] && rowDiff(r, w, approx) == "" {
				used[k], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("expected row %d %v not found%s", i+1, w, firstRows(rows))
		}
	}
	return ""
}

func firstRows(rows [][]value.Value) string {
	var b strings.Builder
	for i, r := range rows {
		if i == 3 {
			b.WriteString(" …")
			break
		}
		b.WriteString(" [")
		for j, v := range r {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(v.String())
		}
		b.WriteString("]")
	}
	if b.Len() == 0 {
		return ""
	}
	return "; got" + b.String()
}

func rowDiff(got []value.Value, want []string, approx bool) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d cells, want %d", len(got), len(want))
	}
	for j := range got {
		if !CellMatches(got[j], want[j], approx) {
			return fmt.Sprintf("column %d: got %q, want %q", j+1, got[j].String(), want[j])
		}
	}
	return ""
}

// CellMatches reports whether a value matches a documented display cell.
// approx allows the documented error of dcount-like estimates (a few
// percent).
func CellMatches(v value.Value, cell string, approx bool) bool {
	cell = strings.TrimSpace(strings.ReplaceAll(cell, "<br>", "\n"))
	cell = autolinkText(cell)
	if cell == "" || cell == "null" {
		if v.IsEmpty() {
			return true
		}
	}
	if v.IsNull() {
		return cell == "" || strings.EqualFold(cell, "null")
	}
	switch v.Type {
	case types.Bool:
		return strings.EqualFold(cell, v.String()) || (cell == "1") == v.B && (cell == "1" || cell == "0")
	case types.Int, types.Long:
		if n, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", ""), 64); err == nil {
			if approx && n != 0 {
				return math.Abs(float64(v.I)-n)/math.Abs(n) <= 0.05
			}
			return float64(v.I) == n
		}
		return false
	case types.Real, types.Decimal:
		return realMatches(v.F, cell)
	case types.Datetime:
		d, ok := value.ParseDatetime(cell)
		return ok && int64(d) == v.I
	case types.Timespan:
		t, ok := value.ParseTimespan(cell)
		return ok && int64(t) == v.I
	case types.Guid:
		return strings.EqualFold(cell, v.S)
	case types.String:
		// The harvest trims every cell, so surrounding blanks of a
		// string (a newline shown as <br>) are not part of the display.
		s := strings.TrimSpace(v.S)
		return s == cell || s == unquoteCell(cell)
	case types.Dynamic:
		return dynamicMatches(v.D, cell)
	}
	return v.String() == cell
}

// realMatches compares a real with a display cell to the precision shown.
func realMatches(f float64, cell string) bool {
	switch strings.ToLower(cell) {
	case "nan":
		return math.IsNaN(f)
	case "infinity", "inf", "+infinity", "∞":
		return math.IsInf(f, 1)
	case "-infinity", "-inf", "-∞":
		return math.IsInf(f, -1)
	}
	want, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", ""), 64)
	if err != nil {
		return false
	}
	if f == want {
		return true
	}
	if diff := math.Abs(f - want); diff <= 1e-9*math.Max(math.Abs(f), math.Abs(want)) {
		return true
	}
	// The documentation rounds: accept agreement to the decimals shown.
	decimals := 0
	if i := strings.IndexByte(cell, '.'); i >= 0 && !strings.ContainsAny(cell, "eE") {
		decimals = len(cell) - i - 1
	}
	if strings.ContainsAny(cell, "eE") {
		return math.Abs(f-want) <= 1e-6*math.Abs(want)
	}
	scale := math.Pow(10, float64(decimals))
	return math.Abs(math.Round(f*scale)-math.Round(want*scale)) <= 1
}

func dynamicMatches(d any, cell string) bool {
	if s, ok := d.(string); ok && (s == cell || s == unquoteCell(cell)) {
		return true
	}
	want, err := value.ParseJSON(cell)
	if err != nil {
		want, err = value.ParseJSON(strings.ReplaceAll(cell, "'", `"`))
	}
	if err == nil {
		return dynEqual(d, want)
	}
	return value.FormatJSON(d) == cell
}

// dynEqual is value.Equal with typed values in d compared to their JSON
// text in want.
func dynEqual(d, want any) bool {
	switch x := d.(type) {
	case value.Datetime:
		s, ok := want.(string)
		if !ok {
			return false
		}
		w, ok := value.ParseDatetime(s)
		return ok && w == x
	case value.Timespan:
		s, ok := want.(string)
		if !ok {
			return false
		}
		w, ok := value.ParseTimespan(s)
		return ok && w == x
	case []any:
		w, ok := want.([]any)
		if !ok || len(w) != len(x) {
			return false
		}
		for i := range x {
			if !dynEqual(x[i], w[i]) {
				return false
			}
		}
		return true
	case *value.Bag:
		w, ok := want.(*value.Bag)
		if !ok || w.Len() != x.Len() {
			return false
		}
		for _, k := range x.Keys() {
			xv, _ := x.Get(k)
			wv, ok := w.Get(k)
			if !ok || !dynEqual(xv, wv) {
				return false
			}
		}
		return true
	case float64:
		switch w := want.(type) {
		case float64:
			return realMatches(x, strconv.FormatFloat(w, 'g', -1, 64))
		case int64:
			return x == float64(w)
		}
	}
	return value.Equal(d, want)
}

func unquoteCell(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// autolinkText is the text a Markdown autolink (<https://x>) displays.
func autolinkText(cell string) string {
	if len(cell) > 2 && cell[0] == '<' && cell[len(cell)-1] == '>' && strings.Contains(cell, "://") && !strings.ContainsAny(cell[1:len(cell)-1], "<> ") {
		return cell[1 : len(cell)-1]
	}
	return cell
}

// blankTable reports whether documented rows are a single row of empty
// cells: how a Markdown page draws a result without rows.
func blankTable(rows [][]string) bool {
	if len(rows) != 1 {
		return false
	}
	for _, c := range rows[0] {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
