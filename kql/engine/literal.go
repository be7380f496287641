package engine

// This file implements the values of literals.

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// literal returns the value of a literal node.
func literal(e ast.Expr, rt *runtime) (value.Value, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		return basicLit(e)
	case *ast.TypedLit:
		return typedLit(e, rt)
	case *ast.DynamicLit:
		if e.Value == nil {
			return value.Null(types.Dynamic), nil
		}
		d, err := dynamicLit(e.Value, rt)
		if err != nil {
			return value.Value{}, err
		}
		return value.OfDynamic(d), nil
	}
	return value.Value{}, errorf(e.Pos(), "", "not a literal: %T", e)
}

func basicLit(l *ast.BasicLit) (value.Value, error) {
	switch l.Kind {
	case token.INT:
		i, err := parseInt(l.Value)
		if err != nil {
			// Too large for a long: Kusto reads it as a real.
			f, ferr := strconv.ParseFloat(l.Value, 64)
			if ferr != nil {
				return value.Value{}, errorf(l.Pos(), "", "bad integer literal %s", l.Value)
			}
			return value.OfReal(f), nil
		}
		return value.OfLong(i), nil
	case token.REAL:
		f, err := strconv.ParseFloat(l.Value, 64)
		if err != nil {
			return value.Value{}, errorf(l.Pos(), "", "bad real literal %s", l.Value)
		}
		return value.OfReal(f), nil
	case token.STRING:
		s, err := token.Unquote(l.Value)
		if err != nil {
			return value.Value{}, errorf(l.Pos(), "", "bad string literal: %v", err)
		}
		return value.OfString(s), nil
	case token.TIMESPAN:
		t, ok := value.ParseTimespan(l.Value)
		if !ok {
			return value.Value{}, errorf(l.Pos(), "", "bad timespan literal %s", l.Value)
		}
		return value.OfTimespan(t), nil
	case token.BOOL:
		return value.OfBool(l.Value == "true"), nil
	case token.NULL:
		return value.Null(types.Dynamic), nil
	}
	return value.Value{}, errorf(l.Pos(), "", "unsupported literal %s", l.Value)
}

func parseInt(s string) (int64, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		return int64(u), err
	}
	return strconv.ParseInt(s, 10, 64)
}

// typedLit evaluates type(text) literals.
func typedLit(l *ast.TypedLit, rt *runtime) (value.Value, error) {
	t, ok := types.Lookup(l.Type)
	if !ok {
		return value.Value{}, errorf(l.Pos(), "", "unknown literal type %s", l.Type)
	}
	text := strings.TrimSpace(l.Text)
	if strings.EqualFold(text, "null") {
		return value.Null(t), nil
	}
	bad := func() (value.Value, error) {
		return value.Value{}, errorf(l.Pos(), "", "bad %s literal %s(%s)", t, l.Type, l.Text)
	}
	switch t {
	case types.Datetime:
		if text == "" {
			return value.OfDatetime(rt.now), nil
		}
		d, ok := value.ParseDatetime(text)
		if !ok {
			return bad()
		}
		return value.OfDatetime(d), nil
	case types.Timespan:
		ts, ok := value.ParseTimespan(text)
		if !ok {
			return bad()
		}
		return value.OfTimespan(ts), nil
	case types.Guid:
		g, ok := value.ParseGuid(strings.Trim(text, `"'`))
		if !ok {
			return bad()
		}
		return value.OfGuid(g), nil
	case types.Bool:
		switch strings.ToLower(text) {
		case "true", "1":
			return value.OfBool(true), nil
		case "false", "0":
			return value.OfBool(false), nil
		}
		return bad()
	case types.Int, types.Long:
		i, err := parseInt(strings.TrimPrefix(text, "+"))
		if err != nil {
			return bad()
		}
		if t == types.Int {
			return value.OfInt(i), nil
		}
		return value.OfLong(i), nil
	case types.Real, types.Decimal:
		f, ok := parseReal(text)
		if !ok {
			return bad()
		}
		return value.Value{Type: t, F: f}, nil
	case types.String:
		s, err := token.Unquote(text)
		if err != nil {
			return bad()
		}
		return value.OfString(s), nil
	}
	return bad()
}

// parseReal parses a real literal's text, including nan and ±inf.
func parseReal(s string) (float64, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nan":
		return nanValue, true
	case "inf", "+inf":
		return posInf, true
	case "-inf":
		return negInf, true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// dynamicLit builds the dynamic value of a literal inside dynamic(…).
func dynamicLit(e ast.Expr, rt *runtime) (any, error) {
	switch e := e.(type) {
	case *ast.ArrayLit:
		arr := make([]any, 0, len(e.Elems))
		for _, el := range e.Elems {
			v, err := dynamicLit(el, rt)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case *ast.BagLit:
		bag := value.NewBag(len(e.Entries))
		for _, en := range e.Entries {
			k, err := token.Unquote(en.Key.Value)
			if err != nil {
				return nil, errorf(en.Key.Pos(), "", "bad property name: %v", err)
			}
			v, err := dynamicLit(en.Value, rt)
			if err != nil {
				return nil, err
			}
			bag.Set(k, v)
		}
		return bag, nil
	case *ast.UnaryExpr:
		v, err := dynamicLit(e.X, rt)
		if err != nil {
			return nil, err
		}
		if e.Op == token.SUB {
			switch x := v.(type) {
			case int64:
				return -x, nil
			case float64:
				return -x, nil
			}
		}
		return v, nil
	}
	v, err := literal(e, rt)
	if err != nil {
		return nil, err
	}
	return v.ToDynamic(), nil
}
