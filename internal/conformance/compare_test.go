package conformance

import (
	"github.com/vigil-hunt/vigil/kql/engine"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestCellMatches(t *testing.T) {
	d, _ := value.ParseDatetime("2017-01-01 00:05:00")
	ts, _ := value.ParseTimespan("1.02:03:04")
	bag, _ := value.ParseJSON(`{"a":1,"b":[1,2]}`)
	tests := []struct {
		name   string
		v      value.Value
		cell   string
		approx bool
		want   bool
	}{
		{"long", value.OfLong(42), "42", false, true},
		{"long differs", value.OfLong(42), "43", false, false},
		{"dcount within error", value.OfLong(1003), "1000", true, true},
		{"dcount outside error", value.OfLong(1100), "1000", true, false},
		{"real rounded in docs", value.OfReal(0.33333333333), "0.333", false, true},
		{"real wrong", value.OfReal(0.5), "0.333", false, false},
		{"real exponent", value.OfReal(1.5e20), "1.5E+20", false, true},
		{"datetime display", value.OfDatetime(d), "2017-01-01 00:05:00.0000000", false, true},
		{"datetime iso", value.OfDatetime(d), "2017-01-01T00:05:00Z", false, true},
		{"timespan", value.OfTimespan(ts), "1.02:03:04", false, true},
		{"string", value.OfString("abc"), "abc", false, true},
		{"empty string", value.OfString(""), "", false, true},
		{"string blanks trimmed as in the harvest", value.OfString("  a b \n"), "a b", false, true},
		{"string inner blanks kept", value.OfString("a  b"), "a b", false, false},
		{"markdown autolink", value.OfString("https://bing.com"), "<https://bing.com>", false, true},
		{"angle brackets kept", value.OfString("<a>"), "<a>", false, true},
		{"null long", value.Null(types.Long), "", false, true},
		{"null is not zero", value.Null(types.Long), "0", false, false},
		{"dynamic multi-line", value.OfDynamic(bag), "{<br>  \"b\": [1, 2],<br>  \"a\": 1<br>}", false, true},
		{"dynamic differs", value.OfDynamic(bag), `{"a":2,"b":[1,2]}`, false, false},
		{"dynamic string", value.OfDynamic("x"), "x", false, true},
		{"bool", value.OfBool(true), "True", false, true},
		{"bool differs", value.OfBool(false), "true", false, false},
	}
	for _, tt := range tests {
		if got := CellMatches(tt.v, tt.cell, tt.approx); got != tt.want {
			t.Errorf("%s: CellMatches(%v, %q) = %v, want %v", tt.name, tt.v.String(), tt.cell, got, tt.want)
		}
	}
}

func TestReadReportsLine(t *testing.T) {
	_, err := Read("x.jsonl", strings.NewReader("{\"id\":\"a\",\"query\":\"print 1\"}\n{bad\n"))
	if err == nil || !strings.Contains(err.Error(), "x.jsonl:2") {
		t.Fatalf("err = %v, want one naming x.jsonl:2", err)
	}
}

func TestCompareBareScalarIgnoresColumnName(t *testing.T) {
	b := &engine.Batch{Schema: &types.Schema{Columns: []types.Column{{Name: "print_0", Type: types.Long}}},
		Cols: []*value.Column{value.Const(value.OfLong(3), 1)}, N: 1}
	ex := &Example{BareScalar: true}
	ex.Expected.Columns = []string{"Result"}
	ex.Expected.Rows = [][]string{{"3"}}
	if d := Compare(ex, b); d != "" {
		t.Errorf("bare scalar: %s", d)
	}
	ex.BareScalar = false
	if d := Compare(ex, b); d == "" {
		t.Errorf("a named query's column name must match")
	}
}

func TestCompareBlankRowMeansNoRows(t *testing.T) {
	s := &types.Schema{Columns: []types.Column{{Name: "a", Type: types.String}, {Name: "b", Type: types.Long}}}
	empty := &engine.Batch{Schema: s, Cols: []*value.Column{value.NewColumn(types.String, 0), value.NewColumn(types.Long, 0)}}
	ex := &Example{}
	ex.Expected.Columns = []string{"a", "b"}
	ex.Expected.Rows = [][]string{{""}}
	if d := Compare(ex, empty); d != "" {
		t.Errorf("no rows vs a blank documented row: %s", d)
	}
	ex.Expected.Rows = [][]string{{"", "1"}}
	if d := Compare(ex, empty); d == "" {
		t.Errorf("no rows must not match a documented row with values")
	}
}
