package source

// This file converts azkustodata's typed values to vigil's.

import (
	"strconv"

	kvalue "github.com/Azure/azure-kusto-go/azkustodata/value"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// appendKusto appends one SDK value to c.
func appendKusto(c *value.Column, v kvalue.Kusto) {
	if x, ok := kustoValue(v); ok {
		c.Append(x)
		return
	}
	c.AppendNull()
}

// kustoValue converts v; false means null (or a value that did not parse).
func kustoValue(v kvalue.Kusto) (value.Value, bool) {
	switch v := v.(type) {
	case *kvalue.Bool:
		return ptrValue(v.Ptr(), value.OfBool)
	case *kvalue.Int:
		return ptrValue(v.Ptr(), func(i int32) value.Value { return value.OfInt(int64(i)) })
	case *kvalue.Long:
		return ptrValue(v.Ptr(), value.OfLong)
	case *kvalue.Real:
		return ptrValue(v.Ptr(), value.OfReal)
	case *kvalue.Decimal:
		f, err := strconv.ParseFloat(v.String(), 64)
		return value.Value{Type: types.Decimal, F: f}, err == nil
	case *kvalue.String:
		return value.OfString(v.Value), true
	case *kvalue.GUID:
		s := v.String()
		return value.OfGuid(s), s != ""
	case *kvalue.DateTime:
		if p := v.Ptr(); p != nil {
			return value.OfDatetime(value.DatetimeOf(*p)), true
		}
	case *kvalue.Timespan:
		if p := v.Ptr(); p != nil {
			return value.OfTimespan(value.TimespanOf(*p)), true
		}
	case *kvalue.Dynamic:
		if v.Value == nil {
			return value.Value{}, false
		}
		if d, err := value.ParseJSON(string(v.Value)); err == nil {
			return value.OfDynamic(d), true
		}
		return value.OfDynamic(string(v.Value)), true
	}
	return value.Value{}, false
}

func ptrValue[T any](p *T, of func(T) value.Value) (value.Value, bool) {
	if p == nil {
		return value.Value{}, false
	}
	return of(*p), true
}
