package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 0, 0},
		{"abc", "abc", 0, 0},
		{"tostring", "tostrnig", 0, 1}, // adjacent swap
		{"DeviceProcesEvents", "DeviceProcessEvents", 0, 1},
		{"kitten", "sitting", 0, 3},
		{"kitten", "sitting", 2, 2}, // cut off at the limit
		{"a", "abcdef", 3, 3},
		{"café", "cafe", 0, 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
