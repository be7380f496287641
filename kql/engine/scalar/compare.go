package scalar

// This file implements the comparison operators == != < <= > >= and the
// logical operators and/or with Kusto's null rules: == of two nulls is
// null, of one null false (!= true); an ordering with a null is null; true
// or null is true, false and null is false.

import (
	"cmp"
	"strings"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// Binary binds x op y for every binary operator: arithmetic, comparison,
// logical and string operators.
func Binary(op token.Kind, x, y Arg) (*Fn, error) {
	switch {
	case op == token.AND || op == token.OR:
		return logic(op, x, y), nil
	case op >= token.ADD && op <= token.REM:
		return arith(op, x, y)
	case op >= token.EQL && op <= token.GEQ:
		return compare(op, x, y)
	}
	return strOp(op, x, y)
}

// cmpKind is how two operand types compare.
type cmpKind uint8

const (
	cmpNone cmpKind = iota
	cmpInt          // integers, datetimes, timespans, bools as int64
	cmpReal
	cmpStr
	cmpGuidStr // a guid with a string: case-insensitive text
	cmpDyn     // row by row through compareValues
)

func cmpKindOf(l, r types.Type, equality bool) cmpKind {
	switch {
	case l == types.Dynamic || r == types.Dynamic:
		return cmpDyn
	case isIntType(l) && isIntType(r):
		return cmpInt
	case l.IsNumeric() && r.IsNumeric():
		return cmpReal
	case l == r && (l == types.Datetime || l == types.Timespan):
		return cmpInt
	case l == types.String && r == types.String:
		return cmpStr
	case l == types.Guid && r == types.Guid:
		return cmpStr
	case equality && (l == types.Guid && r == types.String || l == types.String && r == types.Guid):
		return cmpGuidStr
	case l == types.Bool && r == types.Bool:
		return cmpInt
	case equality && (l == types.Bool && r.IsNumeric() || l.IsNumeric() && r == types.Bool):
		return cmpReal
	}
	return cmpNone
}

// compare binds a comparison operator.
func compare(op token.Kind, x, y Arg) (*Fn, error) {
	eq := op == token.EQL || op == token.NEQ
	k := cmpKindOf(x.Type, y.Type, eq)
	if k == cmpNone && looseComparable(x.Type, y.Type) {
		return looseCompare(op, x, y), nil
	}
	if k == cmpNone {
		return nil, errorf("operator "+op.String(), "cannot compare %s and %s", x.Type, y.Type)
	}
	if k == cmpDyn {
		return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			return compareRows(op, x, cols[0], y, cols[1], n), nil
		}}, nil
	}
	test := cmpTest(op)
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		var out []bool
		switch k {
		case cmpInt:
			out = cmpLoop(n, intsOf(x, cols[0]), intsOf(y, cols[1]), test)
		case cmpReal:
			out = cmpLoop(n, realsOf(x, cols[0]), realsOf(y, cols[1]), test)
		case cmpStr:
			a, b := strsOf(x, cols[0]), strsOf(y, cols[1])
			if eq && b.s == nil {
				out = strEqConst(n, a, b.k, op == token.NEQ)
			} else {
				out = cmpLoop(n, a, b, test)
			}
		case cmpGuidStr:
			out, _ = zip(n, strsOf(x, cols[0]), strsOf(y, cols[1]), func(p, q string) (bool, bool) {
				return strings.EqualFold(p, q) == (op == token.EQL), true
			})
		}
		xa, xm := nullMask(x, cols[0])
		ya, ym := nullMask(y, cols[1])
		return boolCol(out, fixCmpNulls(op, out, xa, xm, ya, ym)), nil
	}}, nil
}

// nullMask says where an argument is null: all for a null constant, else
// a mask (nil when no row is null).
func nullMask(a Arg, c *value.Column) (all bool, mask []bool) {
	if c == nil {
		return a.Const == nil || a.Const.IsNull(), nil
	}
	if c.Type == types.Dynamic {
		var m []bool
		for i, d := range c.Dyns {
			if d == nil {
				m = setNull(m, len(c.Dyns), i)
			}
		}
		return false, m
	}
	return false, c.Nulls
}

// fixCmpNulls applies the null rules to a comparison's result and returns
// its null mask: == / != with exactly one null side are false / true, any
// other comparison involving a null is null.
func fixCmpNulls(op token.Kind, out []bool, xa bool, xm []bool, ya bool, ym []bool) []bool {
	if !xa && xm == nil && !ya && ym == nil {
		return nil
	}
	var nulls []bool
	n := len(out)
	for i := 0; i < n; i++ {
		xn := xa || xm != nil && xm[i]
		yn := ya || ym != nil && ym[i]
		if !xn && !yn {
			continue
		}
		if (op == token.EQL || op == token.NEQ) && xn != yn {
			out[i] = op == token.NEQ
			continue
		}
		out[i] = false
		nulls = setNull(nulls, n, i)
	}
	return nulls
}

// cmpLoop compares rows with test(cmp(a, b)); null rows are fixed later.
func cmpLoop[T cmp.Ordered](n int, a, b vec[T], test func(int) bool) []bool {
	out := make([]bool, n)
	switch {
	case a.s != nil && b.s != nil:
		for i := 0; i < n; i++ {
			out[i] = test(cmp.Compare(a.s[i], b.s[i]))
		}
	case a.s != nil:
		k := b.k
		for i, x := range a.s[:n] {
			out[i] = test(cmp.Compare(x, k))
		}
	case b.s != nil:
		k := a.k
		for i, y := range b.s[:n] {
			out[i] = test(cmp.Compare(k, y))
		}
	default:
		r := test(cmp.Compare(a.k, b.k))
		for i := range out {
			out[i] = r
		}
	}
	return out
}

// strEqConst is the hot path of s == "const" and s != "const".
func strEqConst(n int, a vec[string], k string, neg bool) []bool {
	out := make([]bool, n)
	if a.s == nil {
		r := (a.k == k) != neg
		for i := range out {
			out[i] = r
		}
		return out
	}
	for i, s := range a.s[:n] {
		out[i] = (s == k) != neg
	}
	return out
}

func cmpTest(op token.Kind) func(int) bool {
	switch op {
	case token.EQL:
		return func(c int) bool { return c == 0 }
	case token.NEQ:
		return func(c int) bool { return c != 0 }
	case token.LSS:
		return func(c int) bool { return c < 0 }
	case token.LEQ:
		return func(c int) bool { return c <= 0 }
	case token.GTR:
		return func(c int) bool { return c > 0 }
	}
	return func(c int) bool { return c >= 0 }
}

// compareRows compares row by row when an operand is dynamic: a dynamic
// element compared with a typed value is converted to that type first.
func compareRows(op token.Kind, x Arg, cx *value.Column, y Arg, cy *value.Column, n int) *value.Column {
	args, cols := []Arg{x, y}, []*value.Column{cx, cy}
	out := make([]bool, n)
	var nulls []bool
	test := cmpTest(op)
	eq := op == token.EQL || op == token.NEQ
	for i := 0; i < n; i++ {
		a, b := argVal(args, cols, 0, i), argVal(args, cols, 1, i)
		an, bn := a.IsNull(), b.IsNull()
		if an || bn {
			if eq && an != bn {
				out[i] = op == token.NEQ
			} else {
				nulls = setNull(nulls, n, i)
			}
			continue
		}
		c, ok := compareValues(a, b, eq)
		if !ok {
			if eq {
				out[i] = op == token.NEQ
			} else {
				nulls = setNull(nulls, n, i)
			}
			continue
		}
		out[i] = test(c)
	}
	return boolCol(out, nulls)
}

// compareValues orders two non-null values. A dynamic element is unwrapped
// and, facing a typed value, converted to its type. ok is false when the
// values do not compare (a string and a bag).
func compareValues(a, b value.Value, equality bool) (int, bool) {
	ad, bd := a.Type == types.Dynamic, b.Type == types.Dynamic
	if ad && bd {
		if isContainer(a.D) || isContainer(b.D) {
			if equality && value.Equal(a.D, b.D) {
				return 0, true
			}
			return 0, false
		}
	}
	if ad {
		a = fromDyn(a.D)
		if !bd && a.Type != types.Dynamic && a.Type != b.Type && !(a.Type.IsNumeric() && b.Type.IsNumeric()) {
			a = convertTo(a, b.Type)
		}
	}
	if bd {
		b = fromDyn(b.D)
		if !ad && b.Type != types.Dynamic && b.Type != a.Type && !(a.Type.IsNumeric() && b.Type.IsNumeric()) {
			b = convertTo(b, a.Type)
		}
	}
	if a.IsNull() || b.IsNull() {
		return 0, false
	}
	switch cmpKindOf(a.Type, b.Type, equality) {
	case cmpInt:
		return cmp.Compare(intOfValue(a), intOfValue(b)), true
	case cmpReal:
		return cmp.Compare(realOfValue(a), realOfValue(b)), true
	case cmpStr:
		return cmp.Compare(a.S, b.S), true
	case cmpGuidStr:
		if strings.EqualFold(a.S, b.S) {
			return 0, true
		}
		return cmp.Compare(strings.ToLower(a.S), strings.ToLower(b.S)), true
	}
	return 0, false
}

func isContainer(d any) bool {
	switch d.(type) {
	case []any, *value.Bag:
		return true
	}
	return false
}

// intOfValue is the int64 of an integer-storage or bool value.
func intOfValue(v value.Value) int64 {
	switch {
	case v.Type == types.Bool:
		return b2i(v.B)
	case isRealType(v.Type):
		return int64(v.F)
	}
	return v.I
}

// realOfValue is the float64 of a numeric or bool value.
func realOfValue(v value.Value) float64 {
	switch {
	case v.Type == types.Bool:
		return float64(b2i(v.B))
	case isRealType(v.Type):
		return v.F
	}
	return float64(v.I)
}

// equalValues reports a == b with the comparison rules; nulls are unequal.
func equalValues(a, b value.Value) bool {
	if a.IsNull() || b.IsNull() {
		return false
	}
	c, ok := compareValues(a, b, true)
	return ok && c == 0
}

// logic binds and/or with three-valued logic.
func logic(op token.Kind, x, y Arg) *Fn {
	and := op == token.AND
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		a, b := boolsOf(x, cols[0]), boolsOf(y, cols[1])
		out := make([]bool, n)
		if !a.hasNulls() && !b.hasNulls() && a.s != nil && b.s != nil {
			if and {
				for i := range out {
					out[i] = a.s[i] && b.s[i]
				}
			} else {
				for i := range out {
					out[i] = a.s[i] || b.s[i]
				}
			}
			return boolCol(out, nil), nil
		}
		var nulls []bool
		for i := 0; i < n; i++ {
			av, an := a.at(i), a.null(i)
			bv, bn := b.at(i), b.null(i)
			switch {
			case and && (!an && !av || !bn && !bv):
				out[i] = false
			case !and && (!an && av || !bn && bv):
				out[i] = true
			case an || bn:
				nulls = setNull(nulls, n, i)
			default:
				out[i] = and
			}
		}
		return boolCol(out, nulls), nil
	}}
}

// Not binds not(x).
func notFn(x Arg) *Fn {
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		s, nulls := mapv(n, boolsOf(x, cols[0]), func(b bool) (bool, bool) { return !b, true })
		return boolCol(s, nulls), nil
	}}
}

// looseComparable reports a string compared with a number, bool, datetime
// or timespan. Kusto accepts these (vetted Sentinel rules write
// EventID == "4688" and ResultType == 0), and so does the checker.
func looseComparable(l, r types.Type) bool {
	scalar := func(t types.Type) bool {
		return t.IsNumeric() || t == types.Bool || t == types.Datetime || t == types.Timespan
	}
	return l == types.String && scalar(r) || r == types.String && scalar(l)
}

// looseCompare compares a string with a value of another type by reading
// the string as that type; a string that does not read as one is unequal
// to every value and unordered.
func looseCompare(op token.Kind, x, y Arg) *Fn {
	eq := op == token.EQL || op == token.NEQ
	test := cmpTest(op)
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		args := []Arg{x, y}
		out := make([]bool, n)
		var nulls []bool
		for i := 0; i < n; i++ {
			a, b := argVal(args, cols, 0, i), argVal(args, cols, 1, i)
			if a.Type == types.String {
				if b.IsNull() {
					nulls = setNull(nulls, n, i)
					continue
				}
				a = convertTo(a, b.Type)
			} else {
				if a.IsNull() {
					nulls = setNull(nulls, n, i)
					continue
				}
				b = convertTo(b, a.Type)
			}
			if a.IsNull() || b.IsNull() {
				if eq {
					out[i] = op == token.NEQ
				} else {
					nulls = setNull(nulls, n, i)
				}
				continue
			}
			c, ok := compareValues(a, b, eq)
			if !ok {
				if eq {
					out[i] = op == token.NEQ
				} else {
					nulls = setNull(nulls, n, i)
				}
				continue
			}
			out[i] = test(c)
		}
		return boolCol(out, nulls), nil
	}}
}
