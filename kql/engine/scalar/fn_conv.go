package scalar

// This file implements the conversion functions: tostring, toint, tolong,
// toreal/todouble, todecimal, tobool, todatetime, totimespan, toguid,
// todynamic/parse_json, tohex and gettype.

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(bindToString, "tostring")
	def(toType(types.Int), "toint")
	def(toType(types.Long), "tolong")
	def(toType(types.Real), "toreal", "todouble")
	def(toType(types.Decimal), "todecimal")
	def(toType(types.Bool), "tobool", "toboolean")
	def(toType(types.Datetime), "todatetime")
	def(toType(types.Timespan), "totimespan", "totime")
	def(toType(types.Guid), "toguid")
	def(bindToDynamic, "todynamic", "toobject", "parse_json", "parsejson")
	def(bindToHex, "tohex")
	def(unary1(types.String, func(v value.Value) value.Value { return value.OfString(typeName(v)) }), "gettype")
}

func bindToString(c *call) (*Fn, error) {
	x := c.args[0]
	return &Fn{Type: types.String, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		v := strsOf(x, cols[0])
		if v.s != nil {
			return strCol(types.String, v.s[:n:n]), nil
		}
		out := make([]string, n)
		for i := range out {
			out[i] = v.k
		}
		return strCol(types.String, out), nil
	}}, nil
}

// toType binds a to<type>() conversion; a value already of the type is
// passed through.
func toType(t types.Type) binder {
	return func(c *call) (*Fn, error) {
		x := c.args[0]
		if x.Type == t {
			return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
				if cols[0] == nil {
					return constColumn(*x.Const, n), nil
				}
				return cols[0], nil
			}}, nil
		}
		if t == types.Real && (isIntType(x.Type) || x.Type == types.Decimal) {
			return &Fn{Type: t, eval: func(cols []*value.Column, n int) (*value.Column, error) {
				v := realsOf(x, cols[0])
				s, nulls := mapv(n, v, func(f float64) (float64, bool) { return f, true })
				return realCol(t, s, nulls), nil
			}}, nil
		}
		return c.rows(t, func(v []value.Value) value.Value { return convertTo(v[0], t) }), nil
	}
}

func bindToDynamic(c *call) (*Fn, error) {
	x := c.args[0]
	if x.Type == types.Dynamic {
		return &Fn{Type: types.Dynamic, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			if cols[0] == nil {
				return constColumn(*x.Const, n), nil
			}
			return cols[0], nil
		}}, nil
	}
	return c.rows(types.Dynamic, func(v []value.Value) value.Value { return toDynamicValue(v[0]) }), nil
}

// bindToHex is tohex(value[, min_length]): lower-case hex of a long, a
// negative value in two's complement.
func bindToHex(c *call) (*Fn, error) {
	return c.strict(types.String, func(v []value.Value) value.Value {
		i, ok := argInt(v[0])
		if !ok {
			return value.OfString("")
		}
		s := strconv.FormatUint(uint64(i), 16)
		if len(v) > 1 {
			if w, ok := argInt(v[1]); ok && int(w) > len(s) {
				s = strings.Repeat("0", int(w)-len(s)) + s
			}
		}
		return value.OfString(s)
	}), nil
}

// typeName is gettype()'s name for a value's run-time type.
func typeName(v value.Value) string {
	if v.Type != types.Dynamic {
		return v.Type.String()
	}
	switch v.D.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		return "long"
	case float64:
		return "real"
	case string:
		return "string"
	case value.Datetime:
		return "datetime"
	case value.Timespan:
		return "timespan"
	case []any:
		return "array"
	case *value.Bag:
		return "dictionary"
	}
	return "dynamic"
}
