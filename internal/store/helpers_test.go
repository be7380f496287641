package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// noCatalog knows no table, so every test table takes its batch's schema.
type noCatalog struct{}

func (noCatalog) LookupTable(string) (*types.Schema, bool) { return nil, false }

// testOptions are small sizes so that tests cross row-group and segment
// boundaries with few rows.
func testOptions() Options {
	return Options{Schemas: noCatalog{}, RowGroupRows: 64, SegmentRows: 256, NoSync: true}
}

func openWS(t testing.TB, dir string, o Options) *Workspace {
	t.Helper()
	ws, err := Open(dir, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// day0 is the first instant test data uses.
var day0 = value.DatetimeOf(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))

// newBatch returns a batch of the given columns, filled by row.
func makeBatch(cols []types.Column, n int, row func(r int) []value.Value) *engine.Batch {
	b := engine.NewBatch(&types.Schema{Columns: cols}, n)
	for r := 0; r < n; r++ {
		for i, v := range row(r) {
			b.Cols[i].Append(v)
		}
	}
	b.N = n
	return b
}

// scanAll collects a scan of table through a fresh catalog.
func scanAll(t testing.TB, ws *Workspace, table string, req engine.ScanRequest) *engine.Batch {
	t.Helper()
	b, err := scanTable(ws.Catalog(), table, req)
	if err != nil {
		t.Fatalf("scan %s: %v", table, err)
	}
	return b
}

func scanTable(cat engine.Catalog, table string, req engine.ScanRequest) (*engine.Batch, error) {
	tab, ok := cat.Table(table)
	if !ok {
		return nil, fmt.Errorf("no table %s", table)
	}
	s, err := tab.Scan(context.Background(), req)
	if err != nil {
		return nil, err
	}
	return engine.Collect(context.Background(), s)
}

// rowKeys renders every row of b as a string, for comparisons that
// ignore order.
func rowKeys(b *engine.Batch) map[string]int {
	out := map[string]int{}
	for r := 0; r < b.N; r++ {
		out[rowKey(b, r)]++
	}
	return out
}

func rowKey(b *engine.Batch, r int) string {
	s := ""
	for i, c := range b.Cols {
		v := c.Value(r)
		null := v.IsNull() || v.Type == types.Guid && v.S == "" // the store keeps both as null
		s += fmt.Sprintf("%s=%v/%s|", b.Schema.Columns[i].Name, null, v.String())
	}
	return s
}

func sameRows(t testing.TB, got, want *engine.Batch) {
	t.Helper()
	g, w := rowKeys(got), rowKeys(want)
	if got.N != want.N {
		t.Errorf("got %d rows, want %d", got.N, want.N)
	}
	for k, n := range w {
		if g[k] != n {
			t.Errorf("row %q: got %d times, want %d", k, g[k], n)
			return
		}
	}
	for k, n := range g {
		if w[k] != n {
			t.Errorf("unexpected row %q (%d times)", k, n)
			return
		}
	}
}

// noStrayFiles fails for every file in dir that is neither the lock, the
// manifest nor a file of one of table's segments.
func noStrayFiles(t testing.TB, ws *Workspace, dir, table string) {
	t.Helper()
	want := map[string]bool{"LOCK": true, manifestName: true}
	for _, s := range ws.current().Tables[table].Segments {
		want[s.File], want[s.termsFile()] = true, true
	}
	for _, f := range listFiles(t, dir) {
		if !want[f] {
			t.Errorf("stray file %s", f)
		}
	}
}
