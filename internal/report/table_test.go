package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func sample() *engine.Batch {
	s := &types.Schema{Columns: []types.Column{{Name: "Name", Type: types.String}, {Name: "N", Type: types.Long}, {Name: "D", Type: types.Dynamic}}}
	b := engine.NewBatch(s, 2)
	d, _ := value.ParseJSON(`{"a":[1,2]}`)
	b.Cols[0].Append(value.OfString("alpha"))
	b.Cols[1].Append(value.OfLong(1))
	b.Cols[2].Append(value.OfDynamic(d))
	b.Cols[0].Append(value.OfString(strings.Repeat("x", 100)))
	b.Cols[1].Append(value.Null(types.Long))
	b.Cols[2].Append(value.Null(types.Dynamic))
	b.N = 2
	return b
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 5 || lines[4] != "(2 rows)" {
		t.Fatalf("table:\n%s", buf.String())
	}
	if !strings.HasPrefix(lines[0], "Name ") || !strings.Contains(lines[2], `{"a":[1,2]}`) {
		t.Errorf("table:\n%s", buf.String())
	}
	if !strings.Contains(lines[3], strings.Repeat("x", MaxCellWidth-1)+"…") {
		t.Errorf("long cell not cut:\n%s", lines[3])
	}
}

func TestWriteJSONAndLines(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSONLines(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	want := `{"Name":"alpha","N":1,"D":{"a":[1,2]}}` + "\n" + `{"Name":"` + strings.Repeat("x", 100) + `","N":null,"D":null}` + "\n"
	if buf.String() != want {
		t.Errorf("jsonl = %s", buf.String())
	}
	buf.Reset()
	if err := WriteJSON(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), `{"columns":[{"name":"Name","type":"string"},{"name":"N","type":"long"}`) {
		t.Errorf("json = %s", buf.String())
	}
	buf.Reset()
	if err := WriteCSV(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "Name,N,D\nalpha,1,\"{\"\"a\"\":[1,2]}\"\n") {
		t.Errorf("csv = %q", buf.String())
	}
}
