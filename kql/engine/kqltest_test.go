package engine

// This file runs the query scripts in testdata/*.kqltest: each case is a
// query and the rows it must return (or an error it must raise), the way
// promql tests its engine with data files.
//
// Format:
//
//	# comment
//	name: a short case name
//	now: 2024-01-01T00:00:00Z        (optional; pins now())
//	query:
//	T | where x > 1
//	expect: [ordered]
//	x:long, s:string                 (header: name:type, comma-separated)
//	2, "two"                          (rows, CSV; cells in tostring() form;
//	                                   null for a null, "" for an empty string)
//	---
//
// or "error: substring" instead of expect. Cases are separated by "---".
// The rows are compared with the query's first result table.
// The tables T (x:long, s:string, t:datetime, d:dynamic) and Empty are
// always available.

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

type kqlCase struct {
	file, name string
	line       int
	now        time.Time
	query      string
	header     string
	rows       []string
	ordered    bool
	wantErr    string
}

func TestScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.kqltest"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		cases, err := readScript(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, kc := range cases {
			t.Run(filepath.Base(f)+"/"+kc.name, func(t *testing.T) { runCase(t, kc) })
		}
	}
}

func readScript(path string) ([]kqlCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var (
		cases []kqlCase
		cur   kqlCase
		mode  string // "query", "expect" or ""
	)
	flush := func() {
		if strings.TrimSpace(cur.query) != "" {
			if cur.name == "" {
				cur.name = fmt.Sprintf("line%d", cur.line)
			}
			cases = append(cases, cur)
		}
		cur, mode = kqlCase{file: path}, ""
	}
	cur.file = path
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "---":
			flush()
		case strings.HasPrefix(trimmed, "#") && mode != "query":
		case strings.HasPrefix(trimmed, "name:") && mode == "":
			cur.name = strings.TrimSpace(strings.TrimPrefix(trimmed, "name:"))
		case strings.HasPrefix(trimmed, "now:") && mode == "":
			ts, err := time.Parse(time.RFC3339, strings.TrimSpace(strings.TrimPrefix(trimmed, "now:")))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: bad now: %v", path, i+1, err)
			}
			cur.now = ts
		case trimmed == "query:":
			mode, cur.line = "query", i+1
		case strings.HasPrefix(trimmed, "expect:"):
			mode = "expect"
			cur.ordered = strings.Contains(trimmed, "ordered")
		case strings.HasPrefix(trimmed, "error:"):
			cur.wantErr = strings.TrimSpace(strings.TrimPrefix(trimmed, "error:"))
			mode = ""
		case mode == "query":
			cur.query += line + "\n"
		case mode == "expect" && trimmed != "":
			if cur.header == "" {
				cur.header = trimmed
			} else {
				cur.rows = append(cur.rows, trimmed)
			}
		}
	}
	flush()
	return cases, nil
}

func runCase(t *testing.T, kc kqlCase) {
	now := kc.now
	if now.IsZero() {
		now = time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	}
	res, err := Query(context.Background(), kc.query, Options{Catalog: scriptCatalog(), Now: now})
	where := fmt.Sprintf("%s:%d", kc.file, kc.line)
	if kc.wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), kc.wantErr) {
			t.Fatalf("%s: err = %v, want an error containing %q", where, err, kc.wantErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if len(res.Tables) == 0 {
		t.Fatalf("%s: no result table", where)
	}
	b := res.Tables[0] // fork and facet return several; scripts check the first
	var hdr []string
	for _, c := range b.Schema.Columns {
		hdr = append(hdr, c.Name+":"+c.Type.String())
	}
	if got := strings.Join(hdr, ", "); got != normHeader(kc.header) {
		t.Errorf("%s: columns = %s, want %s", where, got, normHeader(kc.header))
	}
	got := make([]string, b.N)
	for i := 0; i < b.N; i++ {
		cells := make([]string, len(b.Cols))
		for j, c := range b.Cols {
			cells[j] = cellText(c.Value(i))
		}
		got[i] = strings.Join(cells, ", ")
	}
	want := make([]string, len(kc.rows))
	for i, r := range kc.rows {
		want[i] = normRow(t, r)
	}
	if !kc.ordered {
		sort.Strings(got)
		sort.Strings(want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: rows differ\n--- got\n%s\n--- want\n%s", where, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// cellText renders a value the way expectations are written.
func cellText(v value.Value) string {
	if v.IsNull() {
		return "null"
	}
	if v.Type == types.String || v.Type == types.Dynamic {
		return fmt.Sprintf("%q", v.String())
	}
	return v.String()
}

func normHeader(h string) string {
	parts := strings.Split(h, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// normRow re-renders a CSV expectation row: quoted cells stay quoted.
func normRow(t *testing.T, row string) string {
	r := csv.NewReader(strings.NewReader(row))
	r.LazyQuotes = true
	r.TrimLeadingSpace = true
	cells, err := r.Read()
	if err != nil {
		t.Fatalf("bad expectation row %q: %v", row, err)
	}
	raw := splitTopLevel(row)
	for i := range cells {
		if i < len(raw) && strings.HasPrefix(strings.TrimSpace(raw[i]), `"`) {
			cells[i] = fmt.Sprintf("%q", cells[i])
		}
	}
	return strings.Join(cells, ", ")
}

// splitTopLevel splits a CSV row on commas outside double quotes.
func splitTopLevel(row string) []string {
	var out []string
	inQ, start := false, 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '"':
			inQ = !inQ
		case ',':
			if !inQ {
				out = append(out, row[start:i])
				start = i + 1
			}
		}
	}
	return append(out, row[start:])
}

// scriptCatalog holds the tables the scripts may use.
func scriptCatalog() *MemCatalog {
	s := &types.Schema{Columns: []types.Column{
		{Name: "x", Type: types.Long}, {Name: "s", Type: types.String},
		{Name: "t", Type: types.Datetime}, {Name: "d", Type: types.Dynamic},
	}}
	b := NewBatch(s, 4)
	base := value.DatetimeOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	rows := []struct {
		x int64
		s string
		h int
		d string
	}{
		{1, "one", 0, `{"k":"a","n":1}`},
		{2, "two", 1, `{"k":"b","n":2}`},
		{3, "three", 2, `[1,2,3]`},
		{4, "", 3, `null`},
	}
	for _, r := range rows {
		d, _ := value.ParseJSON(r.d)
		b.Cols[0].Append(value.OfLong(r.x))
		b.Cols[1].Append(value.OfString(r.s))
		b.Cols[2].Append(value.OfDatetime(base + value.Datetime(r.h)*value.Datetime(value.Hour)))
		b.Cols[3].Append(value.OfDynamic(d))
		b.N++
	}
	cat := NewMemCatalog()
	cat.Add("T", NewMemTable(b))
	cat.Add("Empty", NewMemTable(NewBatch(s.Clone(), 0)))
	return cat
}
