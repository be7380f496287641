package suite

// This file compares the results of the two engines: both are turned into
// rows of text cells written the same way, then matched as multisets.

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Result is a query result as text: datetimes in UTC to the microsecond
// (DuckDB's precision), numbers in decimal, nulls as "∅" (an empty string
// stays "").
type Result struct {
	Columns []string
	Rows    [][]string
}

const (
	nullCell = "∅"
	timeCell = "2006-01-02T15:04:05.000000Z"
)

// ApproxTolerance is the relative difference allowed between two
// estimates of a distinct count.
const ApproxTolerance = 0.05

// FromBatch converts vigil's result.
func FromBatch(b *engine.Batch) *Result {
	r := &Result{Columns: b.Schema.Names()}
	for i := 0; i < b.N; i++ {
		row := make([]string, len(b.Cols))
		for j, c := range b.Cols {
			row[j] = vigilCell(c.Value(i))
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

func vigilCell(v value.Value) string {
	if v.IsNull() {
		return nullCell
	}
	switch v.Type {
	case types.Datetime:
		return value.Datetime(v.I).Time().Truncate(time.Microsecond).Format(timeCell)
	case types.Int, types.Long:
		return strconv.FormatInt(v.I, 10)
	case types.Real, types.Decimal:
		return strconv.FormatFloat(v.F, 'g', 12, 64)
	case types.Dynamic:
		return value.FormatJSON(v.D)
	}
	return v.String()
}

// FromRows converts DuckDB's result: column names and rows of the values
// database/sql scanned.
func FromRows(cols []string, rows [][]any) *Result {
	r := &Result{Columns: cols}
	for _, in := range rows {
		row := make([]string, len(in))
		for j, v := range in {
			row[j] = sqlCell(v)
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

func sqlCell(v any) string {
	switch x := v.(type) {
	case nil:
		return nullCell
	case time.Time:
		return x.UTC().Truncate(time.Microsecond).Format(timeCell)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', 12, 64)
	case float64:
		return strconv.FormatFloat(x, 'g', 12, 64)
	case []byte:
		return string(x)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v) // strings, bools, integers of any width
}

// Compare reports how the DuckDB result got differs from vigil's want,
// ignoring row order and allowing ApproxTolerance on the columns q.Approx
// names; "" means they agree.
func Compare(q Query, want, got *Result) string {
	if len(want.Columns) != len(got.Columns) {
		return fmt.Sprintf("columns %v vs %v", want.Columns, got.Columns)
	}
	var notes []string
	if !slices.Equal(want.Columns, got.Columns) {
		notes = append(notes, fmt.Sprintf("column names %v vs %v", want.Columns, got.Columns))
	}
	if len(want.Rows) != len(got.Rows) {
		return strings.Join(append(notes, fmt.Sprintf("%d rows vs %d", len(want.Rows), len(got.Rows))), "; ")
	}
	approx := make([]bool, len(want.Columns))
	for i, c := range want.Columns {
		approx[i] = slices.Contains(q.Approx, c)
	}
	w, g := sortedByKey(want.Rows, approx), sortedByKey(got.Rows, approx)
	bad, first := 0, ""
	for i := range w {
		if d := rowDiff(w[i], g[i], approx); d != "" {
			if bad == 0 {
				first = d
			}
			bad++
		}
	}
	if bad > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d rows differ (first: %s)", bad, len(w), first))
	}
	return strings.Join(notes, "; ")
}

// sortedByKey sorts rows by their exact cells, then their estimates.
func sortedByKey(rows [][]string, approx []bool) [][]string {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b []string) int {
		for pass := range 2 {
			for i := range a {
				if approx[i] == (pass == 1) {
					if c := strings.Compare(a[i], b[i]); c != 0 {
						return c
					}
				}
			}
		}
		return 0
	})
	return out
}

func rowDiff(w, g []string, approx []bool) string {
	for i := range w {
		if w[i] == g[i] || approx[i] && close(w[i], g[i]) {
			continue
		}
		return fmt.Sprintf("vigil %q, DuckDB %q", w, g)
	}
	return ""
}

// close reports whether two estimates are within ApproxTolerance.
func close(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= ApproxTolerance*math.Max(math.Abs(x), math.Abs(y))
}
