package conformance

import (
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
