package value

// This file implements dynamic values: Kusto's JSON-like type.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A dynamic value is one of these Go values:
//
//	nil        null
//	bool
//	int64      a JSON number without fraction or exponent that fits
//	float64    any other number
//	string
//	Datetime   typed values placed in a dynamic by the query
//	Timespan
//	[]any      an array
//	*Bag       a property bag
//
// Property bags keep their keys in insertion order, as Kusto prints them.

// Bag is a property bag: string keys in insertion order.
type Bag struct {
	keys []string
	vals map[string]any
}

// NewBag returns an empty bag with room for n keys.
func NewBag(n int) *Bag {
	return &Bag{keys: make([]string, 0, n), vals: make(map[string]any, n)}
}

// Set sets key to v, keeping the key's first position if it exists.
func (b *Bag) Set(key string, v any) {
	if _, ok := b.vals[key]; !ok {
		b.keys = append(b.keys, key)
	}
	b.vals[key] = v
}

// Get returns the value of key.
func (b *Bag) Get(key string) (any, bool) {
	if b == nil {
		return nil, false
	}
	v, ok := b.vals[key]
	return v, ok
}

// Delete removes key.
func (b *Bag) Delete(key string) {
	if _, ok := b.vals[key]; !ok {
		return
	}
	delete(b.vals, key)
	for i, k := range b.keys {
		if k == key {
			b.keys = append(b.keys[:i], b.keys[i+1:]...)
			break
		}
	}
}

// Keys returns the keys in order. The slice must not be modified.
func (b *Bag) Keys() []string {
	if b == nil {
		return nil
	}
	return b.keys
}

// Len returns the number of keys.
func (b *Bag) Len() int {
	if b == nil {
		return 0
	}
	return len(b.keys)
}

// ParseJSON parses JSON text into a dynamic value. Numbers without a
// fraction or exponent become int64 when they fit.
func ParseJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if off := dec.InputOffset(); strings.TrimSpace(s[off:]) != "" {
		return nil, fmt.Errorf("unexpected data after JSON value at offset %d", off)
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	return decodeToken(dec, tok)
}

func decodeToken(dec *json.Decoder, tok json.Token) (any, error) {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ]
			return arr, err
		case '{':
			bag := NewBag(4)
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("property name is not a string at offset %d", dec.InputOffset())
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				bag.Set(key, v)
			}
			_, err := dec.Token() // }
			return bag, err
		}
		return nil, fmt.Errorf("unexpected %v at offset %d", t, dec.InputOffset())
	case json.Number:
		return Number(string(t)), nil
	default:
		return t, nil // nil, bool, string
	}
}

// Number converts JSON number text to int64 or float64.
func Number(s string) any {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return f
}

// FormatJSON formats a dynamic value as compact JSON, as tostring() does.
func FormatJSON(v any) string {
	return string(AppendJSON(nil, v))
}

// AppendJSON appends the compact JSON of v to dst.
func AppendJSON(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case float64:
		return appendFloat(dst, x)
	case string:
		return appendString(dst, x)
	case Datetime:
		return appendString(dst, x.String())
	case Timespan:
		return appendString(dst, x.String())
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, e)
		}
		return append(dst, ']')
	case *Bag:
		dst = append(dst, '{')
		for i, k := range x.Keys() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = AppendJSON(dst, x.vals[k])
		}
		return append(dst, '}')
	}
	return appendString(dst, fmt.Sprint(v))
}

func appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	}
	return appendReal(dst, f)
}

func appendString(dst []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if utf8.ValidString(s) {
		_ = enc.Encode(s)
	} else {
		_ = enc.Encode(strings.ToValidUTF8(s, "\uFFFD"))
	}
	return append(dst, bytes.TrimRight(buf.Bytes(), "\n")...)
}

// Equal reports whether two dynamic values are equal: same kind and value,
// arrays element-wise, bags key-wise regardless of key order. An int64 and
// a float64 of the same numeric value are equal.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Bag:
		y, ok := b.(*Bag)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			yv, ok := y.Get(k)
			if !ok || !Equal(x.vals[k], yv) {
				return false
			}
		}
		return true
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	}
	return a == b
}

// SortedKeys returns a bag's keys sorted, for deterministic output where
// insertion order is not meaningful.
func (b *Bag) SortedKeys() []string {
	keys := append([]string(nil), b.Keys()...)
	sort.Strings(keys)
	return keys
}
