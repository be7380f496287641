package jsonl

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestWriteBatch(t *testing.T) {
	s := &types.Schema{Columns: []types.Column{
		{Name: "Timestamp", Type: types.Datetime},
		{Name: "Name", Type: types.String},
		{Name: "Port", Type: types.Int},
		{Name: "Id", Type: types.Guid},
		{Name: "Extra", Type: types.Dynamic},
	}}
	b := engine.NewBatch(s, 2)
	bag := value.NewBag(1)
	bag.Set("k", int64(1))
	rows := [][]value.Value{
		{value.OfDatetime(value.DatetimeOf(time.Date(2024, 6, 1, 2, 3, 4, 500, time.UTC))), value.OfString(`a"b`), value.OfInt(443), value.OfGuid("AB"), value.OfDynamic(bag)},
		{value.Null(types.Datetime), value.Null(types.String), value.Null(types.Int), value.Null(types.Guid), value.Null(types.Dynamic)},
	}
	for _, row := range rows {
		for i, v := range row {
			b.Cols[i].Append(v)
		}
		b.N++
	}
	dir := t.TempDir()
	w := NewWriter(dir)
	if err := w.WriteBatch("T", b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "T.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Timestamp":"2024-06-01T02:03:04.0000005Z","Name":"a\"b","Port":443,"Id":"ab","Extra":{"k":1}}
{"Timestamp":null,"Name":"","Port":null,"Id":null,"Extra":null}
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if f := w.Files(); len(f) != 1 || f[0].Rows != 2 || f[0].Bytes != int64(len(want)) {
		t.Errorf("Files() = %+v", f)
	}
}
