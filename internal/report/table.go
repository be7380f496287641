package report

// This file renders query result tables.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// MaxCellWidth is the widest a cell is shown on a terminal; longer values
// are cut with an ellipsis.
const MaxCellWidth = 60

// WriteTable writes b as an aligned text table with a header, cutting long
// cells, followed by a row count.
func WriteTable(w io.Writer, b *engine.Batch) error {
	names := b.Schema.Names()
	width := make([]int, len(names))
	for i, n := range names {
		width[i] = utf8.RuneCountInString(n)
	}
	cells := make([][]string, b.N)
	for r := 0; r < b.N; r++ {
		cells[r] = make([]string, len(b.Cols))
		for i, c := range b.Cols {
			s := cut(oneLine(c.Value(r).String()), MaxCellWidth)
			cells[r][i] = s
			width[i] = max(width[i], utf8.RuneCountInString(s))
		}
	}
	var sb strings.Builder
	row := func(vals []string) {
		for i, v := range vals {
			if i > 0 {
				sb.WriteString("  ")
			}
			sb.WriteString(v)
			if i < len(vals)-1 {
				sb.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(v)))
			}
		}
		sb.WriteByte('\n')
	}
	row(names)
	rule := make([]string, len(names))
	for i := range names {
		rule[i] = strings.Repeat("-", width[i])
	}
	row(rule)
	for _, r := range cells {
		row(r)
	}
	fmt.Fprintf(&sb, "(%d row%s)\n", b.N, plural(b.N))
	_, err := io.WriteString(w, sb.String())
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ").Replace(s)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// WriteCSV writes b as CSV with a header row.
func WriteCSV(w io.Writer, b *engine.Batch) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(b.Schema.Names()); err != nil {
		return err
	}
	rec := make([]string, len(b.Cols))
	for r := 0; r < b.N; r++ {
		for i, c := range b.Cols {
			rec[i] = c.Value(r).String()
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSONLines writes one JSON object per row, keys in column order.
func WriteJSONLines(w io.Writer, b *engine.Batch) error {
	for r := 0; r < b.N; r++ {
		if _, err := w.Write(append(rowJSON(b, r), '\n')); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes {"columns":[{"name","type"}…],"rows":[{…}…]}.
func WriteJSON(w io.Writer, b *engine.Batch) error {
	var sb strings.Builder
	sb.WriteString(`{"columns":[`)
	for i, c := range b.Schema.Columns {
		if i > 0 {
			sb.WriteByte(',')
		}
		name, _ := json.Marshal(c.Name)
		fmt.Fprintf(&sb, `{"name":%s,"type":%q}`, name, c.Type.String())
	}
	sb.WriteString(`],"rows":[`)
	for r := 0; r < b.N; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.Write(rowJSON(b, r))
	}
	sb.WriteString("]}\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

// rowJSON encodes row r as a JSON object with typed values: numbers and
// bools as JSON, datetimes and timespans as strings, dynamic as JSON.
func rowJSON(b *engine.Batch, r int) []byte {
	out := []byte{'{'}
	for i, c := range b.Cols {
		if i > 0 {
			out = append(out, ',')
		}
		name, _ := json.Marshal(b.Schema.Columns[i].Name)
		out = append(out, name...)
		out = append(out, ':')
		v := c.Value(r)
		if v.IsNull() && v.Type != types.String {
			out = append(out, "null"...)
			continue
		}
		out = value.AppendJSON(out, v.ToDynamic())
	}
	return append(out, '}')
}
