package engine

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// testCatalog returns a small Events table.
func testCatalog(t *testing.T) *MemCatalog {
	t.Helper()
	s := &types.Schema{Columns: []types.Column{
		{Name: "Timestamp", Type: types.Datetime},
		{Name: "DeviceName", Type: types.String},
		{Name: "Count", Type: types.Long},
	}}
	b := NewBatch(s, 3)
	base := value.DatetimeOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	for i, dev := range []string{"a", "b", "c"} {
		b.Cols[0].Append(value.OfDatetime(base + value.Datetime(i)*value.Datetime(value.Hour)))
		b.Cols[1].Append(value.OfString(dev))
		b.Cols[2].Append(value.OfLong(int64(i * 10)))
		b.N++
	}
	cat := NewMemCatalog()
	cat.Add("Events", NewMemTable(b))
	return cat
}

func TestProjectExtendTake(t *testing.T) {
	cat := testCatalog(t)
	res, err := Query(context.Background(), "Events | extend Dev = DeviceName, One = 1 | project Dev, One, Count | take 2", Options{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Tables[0]
	if got := b.Schema.String(); got != "(Dev:string, One:long, Count:long)" {
		t.Errorf("schema = %s", got)
	}
	if b.N != 2 || b.Cols[0].Strs[1] != "b" || b.Cols[1].Ints[0] != 1 || b.Cols[2].Ints[1] != 10 {
		t.Errorf("rows = %+v", b.Cols)
	}
}

func TestUnknownTableErrorNamesPosition(t *testing.T) {
	_, err := Query(context.Background(), "Nope | take 1", Options{Catalog: testCatalog(t)})
	e, ok := err.(*Error)
	if !ok || e.Pos != 1 {
		t.Fatalf("err = %#v, want *Error at 1", err)
	}
}
