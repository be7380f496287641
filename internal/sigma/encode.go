package sigma

// This file implements the value-transforming modifiers: windash, the
// UTF-16 encodings, base64 and base64offset.

import (
	"encoding/base64"
	"regexp"
	"strings"
	"unicode/utf16"
)

// dashes are the characters Windows command lines accept for an option's
// leading dash: hyphen, slash, en dash, em dash, horizontal bar.
var dashes = []string{"-", "/", "\u2013", "\u2014", "\u2015"}

// optionDash finds a dash or slash that starts an option: at the start or
// after a non-word character, and followed by a word character.
var optionDash = regexp.MustCompile(`(^|[^\w])[-/](\w)`)

// windash expands a pattern into one variant per combination of dash
// characters at its option dashes, as pySigma does.
func windash(p pattern) []pattern {
	const mark = "\x00"
	marked := p.mapLiterals(func(s string) string { return optionDash.ReplaceAllString(s, "${1}"+mark+"${2}") })
	n := 0
	for _, x := range marked {
		n += strings.Count(x.lit, mark)
	}
	out := []pattern{marked}
	for i := 0; i < n; i++ {
		var next []pattern
		for _, q := range out {
			for _, d := range dashes {
				done := false
				next = append(next, q.mapLiterals(func(s string) string {
					if done || !strings.Contains(s, mark) {
						return s
					}
					done = true
					return strings.Replace(s, mark, d, 1)
				}))
			}
		}
		out = next
	}
	return out
}

// encode returns the bytes of s in an encoding: UTF-8 (""), utf16le,
// utf16be, or utf16 (little-endian with a byte-order mark).
func encode(s, encoding string) []byte {
	if encoding == "" {
		return []byte(s)
	}
	units := utf16.Encode([]rune(s))
	var b []byte
	if encoding == "utf16" {
		b = append(b, 0xff, 0xfe)
	}
	for _, u := range units {
		if encoding == "utf16be" {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// base64Offsets are the three base64 renderings of b that hold whatever
// its position in a longer encoded text: b is shifted by 0, 1 and 2 bytes,
// and the characters that depend on neighbouring bytes are cut.
func base64Offsets(b []byte) []string {
	lead := []int{0, 2, 3}
	var out []string
	for i := 0; i < 3; i++ {
		shifted := append(make([]byte, i), b...)
		enc := base64Std(shifted)
		end := len(enc)
		switch (len(b) + i) % 3 {
		case 1:
			end -= 3
		case 2:
			end -= 2
		}
		if end <= lead[i] {
			continue
		}
		out = append(out, enc[lead[i]:end])
	}
	return out
}
