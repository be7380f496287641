package finding

// This file pulls indicators out of a finding's evidence rows.

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

// ExtractIOCs finds the indicators in evidence rows, walking entries, rows
// and columns in order (columns not listed in Columns come after, sorted)
// and dynamic values depth-first with map keys sorted. Each indicator is
// reported once, with the cell it was first seen in.
func ExtractIOCs(evidence []Evidence) []ioc.IOC {
	var set ioc.Set
	for e, ev := range evidence {
		for r, row := range ev.Rows {
			for _, col := range rowColumns(ev.Columns, row) {
				cell := ioc.Cell{Evidence: e, Row: r, Column: col}
				for _, s := range cellStrings(row[col], nil) {
					for _, x := range ioc.ExtractIn(s, col) {
						c := cell
						x.FirstSeen = &c
						set.Add(x)
					}
				}
			}
		}
	}
	return set.List()
}

// rowColumns lists the columns of a row: the declared order first, then
// any other keys sorted.
func rowColumns(declared []string, row map[string]any) []string {
	cols := make([]string, 0, len(row))
	seen := map[string]bool{}
	for _, c := range declared {
		if _, ok := row[c]; ok && !seen[c] {
			cols = append(cols, c)
			seen[c] = true
		}
	}
	var extra []string
	for c := range row {
		if !seen[c] {
			extra = append(extra, c)
		}
	}
	sort.Strings(extra)
	return append(cols, extra...)
}

// cellStrings flattens a cell value into its string leaves: strings as
// they are, numbers and booleans formatted, maps (keys sorted) and arrays
// walked, nulls skipped.
func cellStrings(v any, out []string) []string {
	switch x := v.(type) {
	case nil:
	case string:
		out = append(out, x)
	case float64:
		out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		out = append(out, strconv.FormatBool(x))
	case []any:
		for _, e := range x {
			out = cellStrings(e, out)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = cellStrings(x[k], out)
		}
	case []string:
		out = append(out, x...)
	case fmt.Stringer:
		out = append(out, x.String())
	default:
		out = append(out, fmt.Sprint(x))
	}
	return out
}
