package engine

import "testing"

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"Device*", "DeviceId", true},
		{"Device*", "Device", true},
		{"Device*", "device", false},
		{"*Id", "DeviceId", true},
		{"*Id", "Id", true},
		{"*vice*", "DeviceId", true},
		{"D*e*d", "DeviceId", true},
		{"D*e*d", "Dd", false},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"*", "", true},
		{"x", "x", true},
	}
	for _, c := range cases {
		if got := wildcardMatch(c.pattern, c.name); got != c.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", c.pattern, c.name, got)
		}
	}
}

func TestNaturalLess(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"a9", "a10", true},
		{"a10", "a9", false},
		{"a10", "a100", true},
		{"a010", "a9", false},
		{"a", "a1", true},
		{"b1", "a2", false},
		{"a1b2", "a1b10", true},
	}
	for _, c := range cases {
		if got := naturalLess(c.a, c.b); got != c.want {
			t.Errorf("naturalLess(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
