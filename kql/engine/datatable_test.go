package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// opsCase is one query and its expected result: the schema as
// (a:long, b:string) and rows as cells joined by "|", or an error
// substring.
type opsCase struct {
	name   string
	query  string
	schema string
	rows   []string
	err    string
}

// opsRun runs cases against cat (nil: no tables).
func opsRun(t *testing.T, cat Catalog, cases []opsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			opts := Options{Catalog: cat, Now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
			res, err := Query(context.Background(), tc.query, opts)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("query failed: %v", err)
			}
			b := res.Tables[len(res.Tables)-1]
			if tc.schema != "" {
				if got := b.Schema.String(); got != tc.schema {
					t.Errorf("schema = %s, want %s", got, tc.schema)
				}
			}
			got := opsRows(b)
			if strings.Join(got, "\n") != strings.Join(tc.rows, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.rows, "\n"))
			}
		})
	}
}

// opsRows formats each row as its cells joined by "|".
func opsRows(b *Batch) []string {
	var out []string
	for i := 0; i < b.N; i++ {
		cells := make([]string, len(b.Cols))
		for j, c := range b.Cols {
			cells[j] = c.Value(i).String()
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func TestDatatablePrintRange(t *testing.T) {
	opsRun(t, nil, []opsCase{
		{name: "datatable", query: `datatable(a:long, b:string, c:real, d:dynamic)[1, "x", 2, dynamic([1]), -3, 'y', -0.5, dynamic({"k":1})]`,
			schema: "(a:long, b:string, c:real, d:dynamic)", rows: []string{`1|x|2|[1]`, `-3|y|-0.5|{"k":1}`}},
		{name: "datatable trailing comma", query: `datatable(a:int)[1, 2,]`, schema: "(a:int)", rows: []string{"1", "2"}},
		{name: "datatable typed", query: `datatable(t:datetime, s:timespan, g:guid, b:bool)[datetime(2024-01-01), 1h, guid(6F9619FF-8B86-D011-B42D-00C04FC964FF), true]`,
			rows: []string{"2024-01-01T00:00:00.0000000Z|01:00:00|6f9619ff-8b86-d011-b42d-00c04fc964ff|true"}},
		{name: "datatable nulls", query: `datatable(a:long, d:dynamic)[long(null), dynamic(null)]`, rows: []string{"|"}},
		{name: "datatable ragged", query: `datatable(a:long, b:long)[1]`, err: "do not fill"},
		{name: "datatable bad type", query: `datatable(a:long)["x"]`, err: "does not fit"},
		{name: "print", query: `print 1, x = "a", 2.5`, schema: "(print_0:long, x:string, print_2:real)", rows: []string{"1|a|2.5"}},
		{name: "print let", query: `let v = 3; print v`, schema: "(print_0:long)", rows: []string{"3"}},
		{name: "range long", query: `range Steps from 1 to 8 step 3`, schema: "(Steps:long)", rows: []string{"1", "4", "7"}},
		{name: "range inclusive", query: `range x from 1 to 3 step 1`, rows: []string{"1", "2", "3"}},
		{name: "range down", query: `range x from 3 to 1 step -1`, rows: []string{"3", "2", "1"}},
		{name: "range empty", query: `range x from 3 to 1 step 1`, rows: nil},
		{name: "range real", query: `range x from 0.5 to 2 step 0.5`, schema: "(x:real)", rows: []string{"0.5", "1", "1.5", "2"}},
		{name: "range datetime", query: `range t from datetime(2024-01-01) to datetime(2024-01-01 02:00) step 1h`, schema: "(t:datetime)",
			rows: []string{"2024-01-01T00:00:00.0000000Z", "2024-01-01T01:00:00.0000000Z", "2024-01-01T02:00:00.0000000Z"}},
		{name: "range timespan", query: `range t from 0s to 2m step 1m`, schema: "(t:timespan)", rows: []string{"00:00:00", "00:01:00", "00:02:00"}},
		{name: "range zero step", query: `range x from 1 to 3 step 0`, err: "zero"},
		{name: "range mixed", query: `range x from datetime(2024-01-01) to 3 step 1h`, err: "range"},
	})
}

func TestRangeLarge(t *testing.T) {
	res, err := Query(context.Background(), "range x from 1 to 100000 step 1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Tables[0]
	if b.N != 100000 || b.Cols[0].Ints[99999] != 100000 {
		t.Fatalf("N = %d", b.N)
	}
}
