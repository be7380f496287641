package ingest

// This file turns scanned JSON into Kusto dynamic values.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/value"
)

// dynamicOf converts a scanned value to package value's dynamic
// representation; objects and arrays are decoded recursively.
func dynamicOf(v jval) (any, error) {
	switch v.k {
	case kNull:
		return nil, nil
	case kBool:
		return v.s == "true", nil
	case kNum:
		return value.Number(v.s), nil
	case kStr:
		return v.s, nil
	case kObj:
		return decodeObject(v.s)
	}
	return decodeArray(v.s)
}

func decodeObject(s string) (any, error) {
	fields, _, err := scanObject(s, 0, nil)
	if err != nil {
		return nil, err
	}
	bag := value.NewBag(len(fields))
	for _, f := range fields {
		d, err := dynamicOf(f.v)
		if err != nil {
			return nil, err
		}
		bag.Set(f.name, d)
	}
	return bag, nil
}

func decodeArray(s string) (any, error) {
	arr := []any{}
	_, err := scanArray(s, 0, func(v jval, _ int) error {
		d, err := dynamicOf(v)
		arr = append(arr, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return arr, nil
}

// parseJSONText parses text that holds one JSON value (and nothing else but
// white space).
func parseJSONText(s string) (any, error) {
	v, end, err := scanValue(s, 0)
	if err != nil {
		return nil, err
	}
	if end = skipWS(s, end); end != len(s) {
		return nil, errAt(end, "data after the JSON value")
	}
	return dynamicOf(v)
}

// looksLikeJSONContainer reports whether text starts like a JSON object or
// array: exports carry dynamic columns as JSON text.
func looksLikeJSONContainer(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return s != "" && (s[0] == '{' || s[0] == '[')
}
