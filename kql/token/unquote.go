package token

// This file decodes the source text of string literals.

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Unquote decodes the source text of a STRING literal as the syntax tree
// stores it: one or several adjacent string tokens joined by single spaces,
// which Kusto concatenates. It accepts '…' and "…" with backslash escapes,
// verbatim @'…' and @"…" (a doubled quote stands for one quote), obfuscated
// h'…', H"…", h@'…' (decoded like the plain form) and multi-line ```…```
// (raw text).
//
// An unknown escape such as \d keeps its backslash, so that regular
// expressions written in plain strings keep their meaning.
func Unquote(lit string) (string, error) {
	var b strings.Builder
	s := strings.TrimSpace(lit)
	if s == "" {
		return "", errors.New("empty string literal")
	}
	for s != "" {
		n, err := unquoteOne(&b, s)
		if err != nil {
			return "", err
		}
		s = strings.TrimLeft(s[n:], " \t\r\n")
	}
	return b.String(), nil
}

// unquoteOne decodes the string token at the start of s into b and returns
// the token's length.
func unquoteOne(b *strings.Builder, s string) (int, error) {
	i := 0
	if s[0] == 'h' || s[0] == 'H' {
		i++
	}
	verbatim := false
	if i < len(s) && s[i] == '@' {
		verbatim = true
		i++
	}
	if strings.HasPrefix(s[i:], "```") {
		if verbatim {
			return 0, errors.New("verbatim multi-line string")
		}
		end := strings.Index(s[i+3:], "```")
		if end < 0 {
			return 0, errors.New("multi-line string literal not terminated")
		}
		b.WriteString(s[i+3 : i+3+end])
		return i + 3 + end + 3, nil
	}
	if i >= len(s) || (s[i] != '\'' && s[i] != '"') {
		return 0, errors.New("not a string literal: " + strconv.Quote(s))
	}
	if verbatim {
		return unquoteVerbatim(b, s, i)
	}
	return unquoteEscaped(b, s, i)
}

func unquoteVerbatim(b *strings.Builder, s string, i int) (int, error) {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		if s[j] != q {
			b.WriteByte(s[j])
			continue
		}
		if j+1 < len(s) && s[j+1] == q {
			b.WriteByte(q)
			j++
			continue
		}
		return j + 1, nil
	}
	return 0, errors.New("string literal not terminated")
}

func unquoteEscaped(b *strings.Builder, s string, i int) (int, error) {
	q := s[i]
	for j := i + 1; j < len(s); {
		c := s[j]
		switch {
		case c == q:
			return j + 1, nil
		case c == '\n':
			return 0, errors.New("newline in string literal")
		case c != '\\':
			b.WriteByte(c)
			j++
			continue
		}
		n, err := unescape(b, s[j:])
		if err != nil {
			return 0, err
		}
		j += n
	}
	return 0, errors.New("string literal not terminated")
}

// simpleEscapes maps the character after a backslash to its value.
var simpleEscapes = map[byte]byte{
	'\\': '\\', '\'': '\'', '"': '"', 'n': '\n', 't': '\t', 'r': '\r',
	'0': 0, 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v',
}

// unescape decodes the escape sequence at the start of s (s[0] is the
// backslash) into b and returns its length.
func unescape(b *strings.Builder, s string) (int, error) {
	if len(s) < 2 {
		return 0, errors.New("string literal not terminated")
	}
	if v, ok := simpleEscapes[s[1]]; ok {
		b.WriteByte(v)
		return 2, nil
	}
	digits := 0
	switch s[1] {
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		b.WriteByte('\\')
		return 1, nil
	}
	if len(s) < 2+digits {
		return 0, errors.New("invalid escape sequence " + strconv.Quote(s))
	}
	v, err := strconv.ParseUint(s[2:2+digits], 16, 32)
	if err != nil {
		return 0, errors.New("invalid escape sequence " + strconv.Quote(s[:2+digits]))
	}
	if v > utf8.MaxRune {
		return 0, errors.New("escape sequence is not a valid Unicode code point " + strconv.Quote(s[:2+digits]))
	}
	b.WriteRune(rune(v))
	return 2 + digits, nil
}
