package value

import "testing"

func TestParseAndFormatJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b": 1, "a": [1, 2.5, "x", null, true]}`, `{"b":1,"a":[1,2.5,"x",null,true]}`},
		{`12345678901234567890`, `1.2345678901234567E+19`},
		{`"é\u0041"`, `"éA"`},
		{`{"k": {"n": {}}}`, `{"k":{"n":{}}}`},
		{`[]`, `[]`},
	}
	for _, tt := range tests {
		v, err := ParseJSON(tt.in)
		if err != nil {
			t.Fatalf("ParseJSON(%q): %v", tt.in, err)
		}
		if got := FormatJSON(v); got != tt.want {
			t.Errorf("FormatJSON(ParseJSON(%q)) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`{`, `{"a":1} x`, `nope`, ``} {
		if _, err := ParseJSON(bad); err == nil {
			t.Errorf("ParseJSON(%q) succeeded, want an error", bad)
		}
	}
}

func TestJSONIntegers(t *testing.T) {
	v, _ := ParseJSON(`[1, 1.0, -3]`)
	arr := v.([]any)
	if _, ok := arr[0].(int64); !ok {
		t.Errorf("1 decoded as %T, want int64", arr[0])
	}
	if _, ok := arr[1].(float64); !ok {
		t.Errorf("1.0 decoded as %T, want float64", arr[1])
	}
}

func TestBagAndEqual(t *testing.T) {
	a := NewBag(2)
	a.Set("x", int64(1))
	a.Set("y", "s")
	a.Set("x", int64(2)) // keeps position
	if got := FormatJSON(a); got != `{"x":2,"y":"s"}` {
		t.Errorf("bag = %s", got)
	}
	b, _ := ParseJSON(`{"y":"s","x":2.0}`)
	if !Equal(a, b) {
		t.Error("bags with the same entries in another order must be equal")
	}
	a.Delete("y")
	if Equal(a, b) || a.Len() != 1 {
		t.Error("Delete did not remove the key")
	}
	if Equal([]any{int64(1)}, []any{"1"}) {
		t.Error("1 and \"1\" must differ")
	}
}
