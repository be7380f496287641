package store

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	v, err := value.ParseJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRoundTripTypes(t *testing.T) {
	null := func(tt types.Type) value.Value { return value.Null(tt) }
	tests := []struct {
		typ  types.Type
		vals []value.Value
	}{
		{types.Bool, []value.Value{value.OfBool(true), null(types.Bool), value.OfBool(false)}},
		{types.Int, []value.Value{value.OfInt(math.MaxInt32), value.OfInt(math.MinInt32), null(types.Int), value.OfInt(0)}},
		{types.Long, []value.Value{value.OfLong(math.MaxInt64), value.OfLong(math.MinInt64), null(types.Long), value.OfLong(-1)}},
		{types.Real, []value.Value{value.OfReal(1.5), value.OfReal(math.Inf(-1)), null(types.Real), value.OfReal(-0.25), value.OfReal(math.NaN())}},
		{types.Decimal, []value.Value{{Type: types.Decimal, F: 12.75}, null(types.Decimal)}},
		{types.Datetime, []value.Value{
			value.OfDatetime(day0 + 1), // one tick: exact in nanoseconds
			value.OfDatetime(0),
			value.OfDatetime(-12345678901),
			null(types.Datetime),
			value.OfDatetime(value.Datetime(maxStoredTicks)),
		}},
		{types.Timespan, []value.Value{value.OfTimespan(value.Hour + 3), value.OfTimespan(-1), null(types.Timespan), value.OfTimespan(math.MaxInt64)}},
		{types.String, []value.Value{value.OfString("héllo wörld"), value.OfString(""), value.OfString(strings.Repeat("x", 5000)), value.OfString("\x00\xff")}},
		{types.Guid, []value.Value{value.OfGuid("6F9619FF-8B86-D011-B42D-00C04FC964FF"), null(types.Guid)}},
		{types.Dynamic, []value.Value{
			value.OfDynamic(mustJSON(t, `{"a":[1,2.5,"x",null,true],"b":{"c":"d"}}`)),
			null(types.Dynamic),
			value.OfDynamic(int64(7)),
			value.OfDynamic("text"),
			value.OfDynamic(mustJSON(t, `[]`)),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.typ.String(), func(t *testing.T) {
			ws := openWS(t, t.TempDir(), testOptions())
			cols := []types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "V", Type: tc.typ}}
			// Repeat the values past a row-group boundary, in plain and
			// dictionary pages alike.
			n := 3 * len(tc.vals) * 30
			in := makeBatch(cols, n, func(r int) []value.Value {
				return []value.Value{value.OfDatetime(day0 + value.Datetime(r)), tc.vals[r%len(tc.vals)]}
			})
			if err := ws.WriteBatch("T", in); err != nil {
				t.Fatal(err)
			}
			got := scanAll(t, ws, "T", engine.ScanRequest{})
			if got.N != n {
				t.Fatalf("got %d rows, want %d", got.N, n)
			}
			if got.Schema.String() != in.Schema.String() {
				t.Fatalf("schema %s, want %s", got.Schema, in.Schema)
			}
			for r := 0; r < n; r++ {
				if g, w := got.Cols[1].Value(r), in.Cols[1].Value(r); !sameValue(g, w) {
					t.Fatalf("row %d: got %#v, want %#v", r, g, w)
				}
				if g, w := got.Cols[0].Value(r), in.Cols[0].Value(r); g != w {
					t.Fatalf("row %d time: got %v, want %v", r, g, w)
				}
			}
		})
	}
}

// sameValue compares values exactly, NaN equal to NaN, dynamics by
// value.Equal, and a null guid equal to "" (the store keeps both as null).
func sameValue(a, b value.Value) bool {
	if a.Type == types.Guid && b.Type == types.Guid && (a.IsNull() || a.S == "") && (b.IsNull() || b.S == "") {
		return true
	}
	if a.Type != b.Type || a.IsNull() != b.IsNull() {
		return false
	}
	if a.IsNull() {
		return true
	}
	switch a.Type {
	case types.Dynamic:
		return value.Equal(a.D, b.D)
	case types.Real, types.Decimal:
		return a.F == b.F || math.IsNaN(a.F) && math.IsNaN(b.F)
	}
	return a == b
}

func TestDatetimeClamped(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	cols := []types.Column{{Name: "Timestamp", Type: types.Datetime}}
	vals := []value.Datetime{value.MinDatetime, value.MaxDatetime}
	in := makeBatch(cols, 2, func(r int) []value.Value { return []value.Value{value.OfDatetime(vals[r])} })
	if err := ws.WriteBatch("T", in); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, ws, "T", engine.ScanRequest{})
	want := map[int64]bool{minStoredTicks: true, maxStoredTicks: true}
	for r := 0; r < got.N; r++ {
		if !want[got.Cols[0].Ints[r]] {
			t.Errorf("row %d: %v is not clamped to the nanosecond range", r, got.Cols[0].Value(r))
		}
	}
}

func TestSchemaEvolution(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	first := makeBatch([]types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "A", Type: types.Long}}, 3,
		func(r int) []value.Value { return []value.Value{value.OfDatetime(day0), value.OfLong(int64(r))} })
	second := makeBatch([]types.Column{{Name: "B", Type: types.String}, {Name: "A", Type: types.Int}, {Name: "Timestamp", Type: types.Datetime}}, 2,
		func(r int) []value.Value {
			return []value.Value{value.OfString("b"), value.OfInt(int64(10 + r)), value.OfDatetime(day0)}
		})
	for _, b := range []*engine.Batch{first, second} {
		if err := ws.WriteBatch("T", b); err != nil {
			t.Fatal(err)
		}
	}
	got := scanAll(t, ws, "T", engine.ScanRequest{Columns: []string{"B", "A", "Missing"}})
	want := makeBatch([]types.Column{{Name: "B", Type: types.String}, {Name: "A", Type: types.Long}}, 5, func(r int) []value.Value {
		if r < 3 {
			return []value.Value{value.OfString(""), value.OfLong(int64(r))}
		}
		return []value.Value{value.OfString("b"), value.OfLong(int64(7 + r))}
	})
	sameRows(t, got, want)
	bad := makeBatch([]types.Column{{Name: "A", Type: types.String}}, 1, func(int) []value.Value { return []value.Value{value.OfString("x")} })
	if err := ws.WriteBatch("T", bad); err == nil || !strings.Contains(err.Error(), "column A is long") {
		t.Errorf("writing a string into a long column: err = %v", err)
	}
}

func TestCatalogSchema(t *testing.T) {
	o := testOptions()
	o.Schemas = nil // catalog.Default()
	ws := openWS(t, t.TempDir(), o)
	in := makeBatch([]types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "DeviceName", Type: types.String}}, 1,
		func(int) []value.Value { return []value.Value{value.OfDatetime(day0), value.OfString("pc1")} })
	if err := ws.WriteBatch("DeviceProcessEvents", in); err != nil {
		t.Fatal(err)
	}
	tab, _ := ws.Catalog().Table("DeviceProcessEvents")
	s := tab.Schema()
	if len(s.Columns) < 50 || s.Columns[0].Name != "Timestamp" {
		t.Fatalf("schema is not the catalog's: %s", s)
	}
	got := scanAll(t, ws, "DeviceProcessEvents", engine.ScanRequest{Columns: []string{"DeviceName", "ProcessId"}})
	if got.N != 1 || got.Cols[0].Strs[0] != "pc1" || !got.Cols[1].IsNull(0) {
		t.Errorf("got %q, %v", got.Cols[0].Strs, got.Cols[1].Value(0))
	}
}

func TestScanCancelled(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	if err := ws.WriteBatch("T", idBatch(1, 500, day0, 0)); err != nil {
		t.Fatal(err)
	}
	tab, _ := ws.Catalog().Table("T")
	for _, cancelScan := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		next := context.Background()
		if !cancelScan {
			next = ctx
		}
		s, err := tab.Scan(ctx, engine.ScanRequest{})
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		var b *engine.Batch
		for err == nil {
			b, err = s.Next(next)
			_ = b
		}
		if !errors.Is(err, context.Canceled) && err != io.EOF {
			t.Errorf("cancelled scan (scan ctx %v): %v", cancelScan, err)
		}
		if _, err2 := s.Next(next); err2 == nil {
			t.Error("Next after the end returned a batch")
		}
	}
}

// TestEmptyColumns writes columns that are null (or "") in every row, in
// one batch and alongside batches that fill them.
func TestEmptyColumns(t *testing.T) {
	ws := openWS(t, t.TempDir(), testOptions())
	cols := []types.Column{{Name: "Timestamp", Type: types.Datetime}, {Name: "S", Type: types.String},
		{Name: "G", Type: types.Guid}, {Name: "D", Type: types.Dynamic}, {Name: "L", Type: types.Long},
		{Name: "B", Type: types.Bool}, {Name: "R", Type: types.Real}, {Name: "T2", Type: types.Datetime}}
	empty := makeBatch(cols, 100, func(int) []value.Value {
		row := make([]value.Value, len(cols))
		for i, c := range cols {
			row[i] = value.Null(c.Type)
		}
		return row
	})
	full := makeBatch(cols, 10, func(r int) []value.Value {
		return []value.Value{value.OfDatetime(day0), value.OfString("s"), value.OfGuid("00000000-0000-0000-0000-000000000001"),
			value.OfDynamic(int64(r)), value.OfLong(1), value.OfBool(true), value.OfReal(2), value.OfDatetime(day0)}
	})
	for _, b := range []*engine.Batch{empty, full, empty} {
		if err := ws.WriteBatch("T", b); err != nil {
			t.Fatal(err)
		}
	}
	want := makeBatch(cols, 0, nil)
	for _, b := range []*engine.Batch{empty, full, empty} {
		for i, c := range b.Cols {
			want.Cols[i].AppendColumn(c)
		}
		want.N += b.N
	}
	sameRows(t, scanAll(t, ws, "T", engine.ScanRequest{}), want)
	if err := ws.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameRows(t, scanAll(t, ws, "T", engine.ScanRequest{}), want)
}
