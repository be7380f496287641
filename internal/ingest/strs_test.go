package ingest

import (
	"fmt"
	"testing"
	"unsafe"
)

// TestColStrings checks that interned strings equal their input, do not
// point into it, and that a repeated value gets the bytes of its first
// copy.
func TestColStrings(t *testing.T) {
	var cs colStrings
	input := []byte{}
	var want []string
	for i := 0; i < 3000; i++ {
		v := fmt.Sprintf("value-%d-%s", i%50, string(make([]byte, i%300)))
		want = append(want, v)
		input = append(input, v...)
	}
	var got []string
	off := 0
	for _, w := range want {
		s := unsafe.String(&input[off], len(w))
		off += len(w)
		got = append(got, cs.intern(s))
	}
	clear(input) // interned strings must not change
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("value %d = %q, want %q", i, got[i], want[i])
		}
	}
	if a, b := cs.intern(want[7]), cs.intern(string([]byte(want[7]))); unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("the recent value was copied again")
	}
	if cs.intern("") != "" {
		t.Error(`intern("") != ""`)
	}
}
