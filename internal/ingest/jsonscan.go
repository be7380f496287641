package ingest

// This file implements the JSON scanner every JSON format uses: it splits
// an object into name/value fields over the record's text without building
// maps, keeping nested objects and arrays as raw text for the column that
// wants them.

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// kind is the JSON kind of a scanned value.
type kind uint8

const (
	kNull kind = iota
	kBool      // s is "true" or "false"
	kNum       // s is the number's text (NaN and ±Infinity included)
	kStr       // s is the decoded string
	kObj       // s is the object's raw JSON text
	kArr       // s is the array's raw JSON text
)

// jval is one scanned value. Strings without escapes share memory with
// the record's text.
type jval struct {
	k kind
	s string
}

// field is one name/value pair of an object or of a CSV row.
type field struct {
	name string
	v    jval
}

// text returns the value as an event field's text: strings as they are,
// numbers and booleans as written, null as "", objects and arrays as JSON.
func (v jval) text() string {
	if v.k == kNull {
		return ""
	}
	return v.s
}

// maxDepth bounds the nesting of arrays and objects.
const maxDepth = 1000

type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.off, e.msg)
}

func errAt(off int, format string, args ...any) error {
	return &syntaxError{off: off, msg: fmt.Sprintf(format, args...)}
}

func skipWS(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanObject appends the fields of the object at s[i:] (after optional
// white space) to out and returns the offset after the closing brace.
func scanObject(s string, i int, out []field) ([]field, int, error) {
	return scanObjectHint(s, i, out, nil)
}

// scanObjectHint is scanObject for rows that list their fields in the
// order hint does (rows of one export): a name that is the hinted one is
// matched in place instead of scanned. Hinted names hold no escapes.
func scanObjectHint(s string, i int, out []field, hint []string) ([]field, int, error) {
	i = skipWS(s, i)
	if i >= len(s) || s[i] != '{' {
		return out, i, errAt(i, "expected an object")
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return out, i + 1, nil
	}
	for p := 0; ; p++ {
		if i >= len(s) || s[i] != '"' {
			return out, i, errAt(i, "expected a property name")
		}
		var name string
		var j int
		if p < len(hint) && hintAt(s, i+1, hint[p]) {
			name, j = hint[p], i+len(hint[p])+2
		} else {
			var err error
			if name, j, err = scanString(s, i); err != nil {
				return out, j, err
			}
		}
		j = skipWS(s, j)
		if j >= len(s) || s[j] != ':' {
			return out, j, errAt(j, "expected ':' after property name")
		}
		v, k, err := scanValue(s, j+1)
		if err != nil {
			return out, k, err
		}
		out = append(out, field{name: name, v: v})
		k = skipWS(s, k)
		if k >= len(s) {
			return out, k, errAt(k, "unterminated object")
		}
		switch s[k] {
		case ',':
			i = skipWS(s, k+1)
		case '}':
			return out, k + 1, nil
		default:
			return out, k, errAt(k, "expected ',' or '}'")
		}
	}
}

// hintAt reports whether s[i:] is name followed by a closing quote.
func hintAt(s string, i int, name string) bool {
	end := i + len(name)
	return end < len(s) && s[end] == '"' && s[i:end] == name
}

// scanValue scans the value at s[i:] (after optional white space).
func scanValue(s string, i int) (jval, int, error) {
	i = skipWS(s, i)
	if i >= len(s) {
		return jval{}, i, errAt(i, "unexpected end of input")
	}
	switch c := s[i]; {
	case c == '"':
		str, j, err := scanString(s, i)
		return jval{k: kStr, s: str}, j, err
	case c == '{' || c == '[':
		j, err := skipComposite(s, i)
		if err != nil {
			return jval{}, j, err
		}
		k := kObj
		if c == '[' {
			k = kArr
		}
		return jval{k: k, s: s[i:j]}, j, nil
	case c == 't':
		return literal(s, i, "true", jval{k: kBool, s: "true"})
	case c == 'f':
		return literal(s, i, "false", jval{k: kBool, s: "false"})
	case c == 'n':
		return literal(s, i, "null", jval{})
	case c == 'N':
		return literal(s, i, "NaN", jval{k: kNum, s: "NaN"})
	case c == 'I':
		return literal(s, i, "Infinity", jval{k: kNum, s: "Infinity"})
	case c == '-' || (c >= '0' && c <= '9'):
		if strings.HasPrefix(s[i:], "-Infinity") {
			return jval{k: kNum, s: "-Infinity"}, i + len("-Infinity"), nil
		}
		j, err := scanNumber(s, i)
		return jval{k: kNum, s: s[i:j]}, j, err
	}
	return jval{}, i, errAt(i, "unexpected character %q", s[i])
}

func literal(s string, i int, lit string, v jval) (jval, int, error) {
	if !strings.HasPrefix(s[i:], lit) {
		return jval{}, i, errAt(i, "invalid literal")
	}
	return v, i + len(lit), nil
}

// scanNumber checks JSON number syntax at s[i:] and returns its end.
func scanNumber(s string, i int) (int, error) {
	start := i
	if i < len(s) && s[i] == '-' {
		i++
	}
	if j := digitsEnd(s, i); j > i {
		i = j
	} else {
		return i, errAt(start, "invalid number")
	}
	if i < len(s) && s[i] == '.' {
		j := digitsEnd(s, i+1)
		if j == i+1 {
			return j, errAt(start, "invalid number")
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitsEnd(s, i)
		if j == i {
			return j, errAt(start, "invalid number")
		}
		i = j
	}
	return i, nil
}

func digitsEnd(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// scanString decodes the string whose opening quote is s[i]. Raw control
// characters are accepted: exports of event logs carry raw tabs.
func scanString(s string, i int) (string, int, error) {
	body := i + 1
	j := body
	for end := min(len(s), body+16); j < end; j++ { // short strings: one pass
		switch s[j] {
		case '"':
			return s[body:j], j + 1, nil
		case '\\':
			return unescape(s, i)
		}
	}
	q := strings.IndexByte(s[j:], '"')
	if q < 0 {
		return "", len(s), errAt(i, "unterminated string")
	}
	q += j
	if strings.IndexByte(s[j:q], '\\') < 0 {
		return s[body:q], q + 1, nil
	}
	return unescape(s, i)
}

// unescape decodes a string with escapes; the slow path of scanString.
func unescape(s string, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	q := strings.IndexByte(s[j:], '"') // the first quote; escapes may hide the real end
	if q < 0 {
		return "", len(s), errAt(i, "unterminated string")
	}
	q += j
	b.Grow(q - j)
	for q >= j {
		k := strings.IndexByte(s[j:q], '\\')
		if k < 0 {
			b.WriteString(s[j:q])
			return b.String(), q + 1, nil
		}
		b.WriteString(s[j : j+k])
		j += k
		if j+1 >= len(s) {
			break
		}
		e := s[j+1]
		j += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n, ok := unicodeEscape(s, j)
			if !ok {
				return "", j, errAt(j-2, "invalid \\u escape")
			}
			b.WriteRune(r)
			j += n
		default:
			return "", j, errAt(j-2, "invalid escape \\%c", e)
		}
		if j > q {
			if k := strings.IndexByte(s[j:], '"'); k >= 0 {
				q = j + k
			} else {
				break
			}
		}
	}
	return "", len(s), errAt(i, "unterminated string")
}

// unicodeEscape decodes the four hex digits at s[j:] (after "\u"), joining
// a surrogate pair; it returns the rune and the bytes consumed after "\u".
func unicodeEscape(s string, j int) (rune, int, bool) {
	r1, ok := hex4(s, j)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r1) {
		return r1, 4, true
	}
	if j+10 <= len(s) && s[j+4] == '\\' && s[j+5] == 'u' {
		if r2, ok := hex4(s, j+6); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, 10, true
			}
		}
	}
	return utf8.RuneError, 4, true
}

func hex4(s string, j int) (rune, bool) {
	if j+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[j : j+4]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// skipComposite checks the object or array at s[i] and returns its end.
// It walks iteratively so that deep nesting cannot exhaust the stack.
func skipComposite(s string, i int) (int, error) {
	var stack []byte // expected closers
	for {
		i = skipWS(s, i)
		if i >= len(s) {
			return i, errAt(i, "unexpected end of input")
		}
		switch s[i] {
		case '{':
			if len(stack) >= maxDepth {
				return i, errAt(i, "nesting deeper than %d", maxDepth)
			}
			stack = append(stack, '}')
			i = skipWS(s, i+1)
			if i < len(s) && s[i] == '}' {
				stack = stack[:len(stack)-1]
				i++
				break
			}
			j, err := objectKey(s, i)
			if err != nil {
				return j, err
			}
			i = j
			continue
		case '[':
			if len(stack) >= maxDepth {
				return i, errAt(i, "nesting deeper than %d", maxDepth)
			}
			stack = append(stack, ']')
			i = skipWS(s, i+1)
			if i < len(s) && s[i] == ']' {
				stack = stack[:len(stack)-1]
				i++
				break
			}
			continue
		default:
			_, j, err := scanValue(s, i)
			if err != nil {
				return j, err
			}
			i = j
		}
		// After a complete value: close containers or move to the next item.
		for {
			if len(stack) == 0 {
				return i, nil
			}
			i = skipWS(s, i)
			if i >= len(s) {
				return i, errAt(i, "unexpected end of input")
			}
			top := stack[len(stack)-1]
			if s[i] == top {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if s[i] != ',' {
				return i, errAt(i, "expected ',' or %q", top)
			}
			i++
			if top == '}' {
				j, err := objectKey(s, i)
				if err != nil {
					return j, err
				}
				i = j
			}
			break
		}
	}
}

// objectKey scans `"name":` at s[i:] and returns the offset after the colon.
func objectKey(s string, i int) (int, error) {
	i = skipWS(s, i)
	if i >= len(s) || s[i] != '"' {
		return i, errAt(i, "expected a property name")
	}
	_, j, err := scanString(s, i)
	if err != nil {
		return j, err
	}
	j = skipWS(s, j)
	if j >= len(s) || s[j] != ':' {
		return j, errAt(j, "expected ':' after property name")
	}
	return j + 1, nil
}

// scanArray calls fn with each element of the array at s[i:] and its
// offset, and returns the offset after the closing bracket.
func scanArray(s string, i int, fn func(v jval, off int) error) (int, error) {
	i = skipWS(s, i)
	if i >= len(s) || s[i] != '[' {
		return i, errAt(i, "expected an array")
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == ']' {
		return i + 1, nil
	}
	for {
		start := skipWS(s, i)
		v, j, err := scanValue(s, start)
		if err != nil {
			return j, err
		}
		if err := fn(v, start); err != nil {
			return j, err
		}
		j = skipWS(s, j)
		if j >= len(s) {
			return j, errAt(j, "unterminated array")
		}
		switch s[j] {
		case ',':
			i = j + 1
		case ']':
			return j + 1, nil
		default:
			return j, errAt(j, "expected ',' or ']'")
		}
	}
}

// lookup returns the value of the first field named name.
func lookup(fields []field, name string) (jval, bool) {
	for i := range fields {
		if fields[i].name == name {
			return fields[i].v, true
		}
	}
	return jval{}, false
}
