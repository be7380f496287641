package main

import "testing"

func TestPunycode(t *testing.T) {
	for in, want := range map[string]string{
		"bücher":  "xn--bcher-kva",
		"рф":      "xn--p1ai",
		"中国":      "xn--fiqs8s",
		"ελ":      "xn--qxam",
		"example": "example",
	} {
		got, err := toASCII(in)
		if err != nil || got != want {
			t.Errorf("toASCII(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
