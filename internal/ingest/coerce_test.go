package ingest

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestParseDatetime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2020-09-21T19:11:13.543Z", "2020-09-21T19:11:13.5430000Z"},
		{"2020-09-21T19:11:13.1234567Z", "2020-09-21T19:11:13.1234567Z"},
		{"2020-09-21T19:11:13.123456789Z", "2020-09-21T19:11:13.1234567Z"},
		{"2020-09-21 19:11:13.543", "2020-09-21T19:11:13.5430000Z"},
		{"2020-09-21T21:11:13+02:00", "2020-09-21T19:11:13.0000000Z"},
		{"2020-09-21T17:11:13.5-0200", "2020-09-21T19:11:13.5000000Z"},
		{"2020-09-21 19:11 UTC", "2020-09-21T19:11:00.0000000Z"},
		{"2020-09-21", "2020-09-21T00:00:00.0000000Z"},
		{"9/21/2020 7:11:13 PM", "2020-09-21T19:11:13.0000000Z"},
		{"9/21/2020, 7:11:13.5 pm", "2020-09-21T19:11:13.5000000Z"},
		{"4/28/2021, 2:31:30.021 PM", "2021-04-28T14:31:30.0210000Z"},
		{"12/1/2020 12:00:00 AM", "2020-12-01T00:00:00.0000000Z"},
		{"12/1/2020 12:30:00 PM", "2020-12-01T12:30:00.0000000Z"},
		{"21/9/2020 19:11:13", "2020-09-21T19:11:13.0000000Z"},
		{"21.09.2020 19:11:13", "2020-09-21T19:11:13.0000000Z"},
		{"9/21/2020", "2020-09-21T00:00:00.0000000Z"},
		{"1600715473", "2020-09-21T19:11:13.0000000Z"},
		{"1600715473.25", "2020-09-21T19:11:13.2500000Z"},
		{"1600715473543", "2020-09-21T19:11:13.5430000Z"},
		{"1600715473543210", "2020-09-21T19:11:13.5432100Z"},
		{"/Date(1600715473543)/", "2020-09-21T19:11:13.5430000Z"},
		{"/Date(1600715473543+0200)/", "2020-09-21T19:11:13.5430000Z"},
		{"Mon, 21 Sep 2020 19:11:13 GMT", "2020-09-21T19:11:13.0000000Z"},
		{" 2020-09-21T19:11:13Z ", "2020-09-21T19:11:13.0000000Z"},
		{"2020-02-29T00:00:00Z", "2020-02-29T00:00:00.0000000Z"},
	}
	for _, tt := range tests {
		d, ok := ParseDatetime(tt.in)
		if !ok || d.String() != tt.want {
			t.Errorf("ParseDatetime(%q) = %v, %v; want %s", tt.in, d, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2020-13-01", "2019-02-29", "2020-09-21T25:00:00Z",
		"9/21/2020 13:00:00 PM", "2020-09-21T19:11:13+25:00", "2020-09-21T19:11:13Zjunk", "12.5.2020x"} {
		if d, ok := ParseDatetime(bad); ok {
			t.Errorf("ParseDatetime(%q) = %v, want failure", bad, d)
		}
	}
}

func TestCoerce(t *testing.T) {
	bag := value.NewBag(1)
	bag.Set("k", []any{int64(1), "x"})
	tests := []struct {
		in   any
		typ  types.Type
		want string // "null", "error: …" or the value's text
	}{
		{"0x1f", types.Long, "31"},
		{" 42 ", types.Long, "42"},
		{"443.0", types.Long, "443"},
		{"1.5", types.Long, "error: cannot read"},
		{"12", types.Int, "12"},
		{"99999999999", types.Int, "error: cannot read"},
		{"", types.Long, "null"},
		{"", types.String, ""},
		{nil, types.Datetime, "null"},
		{int64(5), types.String, "5"},
		{float64(3), types.Long, "3"},
		{true, types.Long, "1"},
		{"abc", types.Real, "error: cannot read \"abc\" as real"},
		{"2.5", types.Real, "2.5"},
		{"True", types.Bool, "true"},
		{"0", types.Bool, "false"},
		{"maybe", types.Bool, "error: cannot read"},
		{`{"a":1}`, types.Dynamic, `{"a":1}`},
		{` [1, "x"] `, types.Dynamic, `[1,"x"]`},
		{"plain", types.Dynamic, "plain"},
		{"{not json", types.Dynamic, "{not json"},
		{bag, types.String, `{"k":[1,"x"]}`},
		{bag, types.Dynamic, `{"k":[1,"x"]}`},
		{bag, types.Long, "error: cannot read"},
		{"{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", types.Guid, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"},
		{"not-a-guid", types.Guid, "error: cannot read"},
		{"1.02:03:04", types.Timespan, "1.02:03:04"},
		{float64(1600715473), types.Datetime, "2020-09-21T19:11:13.0000000Z"},
		{"9/21/2020 7:11:13 PM", types.Datetime, "2020-09-21T19:11:13.0000000Z"},
		{"NaN", types.Long, "null"},
	}
	for _, tt := range tests {
		v, err := Coerce(tt.in, tt.typ, false)
		var got string
		switch {
		case err != nil:
			got = "error: " + err.Error()
		case v.IsNull():
			got = "null"
		default:
			got = v.String()
		}
		if strings.HasPrefix(tt.want, "error: ") && strings.HasPrefix(got, tt.want) {
			continue
		}
		if got != tt.want {
			t.Errorf("Coerce(%#v, %s) = %s, want %s", tt.in, tt.typ, got, tt.want)
		}
		if err == nil && !v.IsNull() && v.Type != tt.typ {
			t.Errorf("Coerce(%#v, %s) has type %s", tt.in, tt.typ, v.Type)
		}
	}
}

func TestScanner(t *testing.T) {
	good := []string{`{}`, `{"a":1}`, `{"a":[1,{"b":[]}],"c":"\u00e9\\\""}`, ` {"a" : null , "b":true} `,
		`{"n":-1.5e+3}`, `{"x":NaN,"y":-Infinity}`, "{\"tab\":\"a\tb\"}"}
	for _, s := range good {
		if _, _, err := scanObject(s, 0, nil); err != nil {
			t.Errorf("scanObject(%s): %v", s, err)
		}
	}
	bad := []string{`{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":01x}`, `{"a":[1,]}`, `{"a":"\x"}`, `{"a":tru}`,
		`{"a":{"b":1}`, `{a:1}`, `{"a":1]`, `{"a":-}`, `{"a":1.}`, strings.Repeat(`{"a":`, maxDepth+5)}
	for _, s := range bad {
		if _, _, err := scanObject(s, 0, nil); err == nil {
			t.Errorf("scanObject(%s): no error", s)
		}
	}
	d, err := parseJSONText(`{"a":[1,2.5,"x",true,null,{"b":{}}]}`)
	if err != nil || value.FormatJSON(d) != `{"a":[1,2.5,"x",true,null,{"b":{}}]}` {
		t.Errorf("parseJSONText = %v, %v", value.FormatJSON(d), err)
	}
}

func TestCSVRecords(t *testing.T) {
	in := "a,b,c\r\n1,\"x,y\",3\r\n\"multi\nline\",\"say \"\"hi\"\"\",\r\n\nq\"uote,\"tail\"junk,z\n\"open,2,3\nlast,1,2"
	f := newCSVFramer(in)
	if strings.Join(f.header, "|") != "a|b|c" {
		t.Fatalf("header %q", f.header)
	}
	recs, _, _ := f.next()
	var got []string
	for _, r := range recs {
		if r.err != "" {
			got = append(got, strings.Join([]string{itoa(r.line), "ERR", r.err, r.text}, "|"))
			continue
		}
		got = append(got, itoa(r.line)+"|"+strings.Join(r.cells, "|"))
	}
	want := []string{
		"2|1|x,y|3",
		"3|multi\nline|say \"hi\"|",
		"6|q\"uote|tailjunk|z",
		"7|ERR|unterminated quoted field|\"open,2,3",
		"8|last|1|2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func itoa(i int) string { return value.OfLong(int64(i)).String() }
