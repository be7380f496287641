package scalar

// This file implements the set operators in, !in, in~, !in~, has_any and
// has_all against a list of values, and between / !between.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// In binds x op (list…) for op in, !in, in~, !in~, has_any, has_all. The
// list holds the flattened elements: constants (dynamic arrays already
// spread into their elements) or non-constant scalars. Evaluation passes
// x's column followed by one column per list element (nil for constants).
func In(op token.Kind, x Arg, list []Arg) (*Fn, error) {
	what := "operator " + op.String()
	switch op {
	case token.IN, token.NOT_IN, token.IN_CI, token.NOT_IN_CI, token.HAS_ANY, token.HAS_ALL:
	default:
		return nil, errorf(what, "is not a set operator")
	}
	for _, a := range list {
		if !a.IsConst() {
			return inRows(op, x, list), nil
		}
	}
	vals := make([]value.Value, len(list))
	for i, a := range list {
		vals[i] = *a.Const
	}
	switch op {
	case token.HAS_ANY, token.HAS_ALL:
		return hasAnyAll(op == token.HAS_ALL, x, vals), nil
	}
	neg := op == token.NOT_IN || op == token.NOT_IN_CI
	ci := op == token.IN_CI || op == token.NOT_IN_CI
	set := newValueSet(vals, ci)
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		return boolCol(set.test(x, cols[0], n, neg), nil), nil
	}}, nil
}

// valueSet holds a constant list for fast membership tests by kind.
type valueSet struct {
	ci     bool
	strs   map[string]struct{}
	ints   map[int64]struct{} // integers (also integral reals)
	reals  map[float64]struct{}
	times  map[int64]struct{} // datetimes
	spans  map[int64]struct{} // timespans
	bools  [2]bool
	other  []any  // arrays and bags
	lens   uint64 // bit l set when some key has byte length l (l < 64)
	maxLen int    // the longest key's byte length
}

func newValueSet(vals []value.Value, ci bool) *valueSet {
	s := &valueSet{ci: ci, strs: map[string]struct{}{}, ints: map[int64]struct{}{},
		reals: map[float64]struct{}{}, times: map[int64]struct{}{}, spans: map[int64]struct{}{}}
	for _, v := range vals {
		if v.Type == types.Dynamic {
			v = fromDyn(v.D)
		}
		if v.IsNull() {
			continue
		}
		switch {
		case v.Type == types.String || v.Type == types.Guid:
			k := v.S
			if ci {
				k = strings.ToLower(k)
			}
			s.strs[k] = struct{}{}
			if len(k) < 64 {
				s.lens |= 1 << len(k)
			}
			s.maxLen = max(s.maxLen, len(k))
		case isIntType(v.Type):
			s.ints[v.I] = struct{}{}
			s.reals[float64(v.I)] = struct{}{}
		case isRealType(v.Type):
			s.reals[v.F] = struct{}{}
			if float64(int64(v.F)) == v.F {
				s.ints[int64(v.F)] = struct{}{}
			}
		case v.Type == types.Datetime:
			s.times[v.I] = struct{}{}
		case v.Type == types.Timespan:
			s.spans[v.I] = struct{}{}
		case v.Type == types.Bool:
			s.bools[b2i(v.B)] = true
		default:
			s.other = append(s.other, v.D)
		}
	}
	return s
}

// test returns, for each row of x, whether it is in the set (or not, when neg).
func (s *valueSet) test(x Arg, c *value.Column, n int, neg bool) []bool {
	out := make([]bool, n)
	t := x.Type
	switch {
	case t == types.String || t == types.Guid:
		v := strsOf(x, c)
		var buf []byte
		for i := 0; i < n; i++ {
			var ok bool
			ok, buf = s.hasStr(v.at(i), buf)
			out[i] = ok != neg
		}
		return out
	case isIntType(t) || t == types.Datetime || t == types.Timespan:
		m := s.ints
		if t == types.Datetime {
			m = s.times
		} else if t == types.Timespan {
			m = s.spans
		}
		v := intsOf(x, c)
		for i := 0; i < n; i++ {
			_, ok := m[v.at(i)]
			out[i] = (ok && !v.null(i)) != neg
		}
		return out
	case isRealType(t):
		v := realsOf(x, c)
		for i := 0; i < n; i++ {
			_, ok := s.reals[v.at(i)]
			out[i] = (ok && !v.null(i)) != neg
		}
		return out
	}
	for i := 0; i < n; i++ {
		out[i] = s.hasValue(argVal([]Arg{x}, []*value.Column{c}, 0, i)) != neg
	}
	return out
}

// hasStr looks a string up, lower-casing it into buf for in~ without
// allocating when it is ASCII.
func (s *valueSet) hasStr(k string, buf []byte) (bool, []byte) {
	if (len(k) > s.maxLen || len(k) < 64 && s.lens&(1<<len(k)) == 0) && !(s.ci && !isASCII(k)) {
		return false, buf
	}
	if !s.ci {
		_, ok := s.strs[k]
		return ok, buf
	}
	if !isASCII(k) {
		_, ok := s.strs[strings.ToLower(k)]
		return ok, buf
	}
	buf = append(buf[:0], k...)
	for i, c := range buf {
		if c >= 'A' && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	_, ok := s.strs[string(buf)]
	return ok, buf
}

// hasValue tests one value of any type (dynamic elements are unwrapped).
func (s *valueSet) hasValue(v value.Value) bool {
	if v.Type == types.Dynamic {
		if isContainer(v.D) {
			for _, o := range s.other {
				if value.Equal(o, v.D) {
					return true
				}
			}
			return false
		}
		v = fromDyn(v.D)
	}
	if v.IsNull() {
		return false
	}
	var ok bool
	switch {
	case v.Type == types.String || v.Type == types.Guid:
		ok, _ = s.hasStr(v.S, nil)
	case isIntType(v.Type):
		_, ok = s.ints[v.I]
	case isRealType(v.Type):
		_, ok = s.reals[v.F]
	case v.Type == types.Datetime:
		_, ok = s.times[v.I]
	case v.Type == types.Timespan:
		_, ok = s.spans[v.I]
	case v.Type == types.Bool:
		ok = s.bools[b2i(v.B)]
	}
	return ok
}

// inRows is the row-by-row form for lists with non-constant elements.
func inRows(op token.Kind, x Arg, list []Arg) *Fn {
	args := append([]Arg{x}, list...)
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		out := make([]bool, n)
		vals := make([]value.Value, 0, len(list))
		for i := 0; i < n; i++ {
			vals = vals[:0]
			for k := 1; k < len(args); k++ {
				v := argVal(args, cols, k, i)
				if arr, ok := v.D.([]any); ok && v.Type == types.Dynamic {
					for _, e := range arr {
						vals = append(vals, fromDyn(e))
					}
					continue
				}
				vals = append(vals, v)
			}
			xv := argVal(args, cols, 0, i)
			switch op {
			case token.HAS_ANY, token.HAS_ALL:
				out[i] = hasAnyAllValues(op == token.HAS_ALL, toStr(xv), vals)
			default:
				ci := op == token.IN_CI || op == token.NOT_IN_CI
				neg := op == token.NOT_IN || op == token.NOT_IN_CI
				out[i] = newValueSet(vals, ci).hasValue(xv) != neg
			}
		}
		return boolCol(out, nil), nil
	}}
}

func hasAnyAllValues(all bool, h string, vals []value.Value) bool {
	for _, v := range vals {
		ok := newMatcher(mHas, toStr(v), false).match(h)
		if ok != all {
			return ok
		}
	}
	return all
}

// hasAnyAll binds has_any / has_all over constant needles. For has_any,
// needles that are single terms go into a term set the haystack's terms
// are looked up in (after cheap length and first-byte filters); others
// are matched one by one.
func hasAnyAll(all bool, x Arg, vals []value.Value) *Fn {
	var ms []*matcher
	ts := &termSet{terms: map[string]struct{}{}}
	for _, v := range vals {
		s := toStr(v)
		if !all && len(vals) > 2 && s != "" && isSingleTerm(s) {
			ts.add(lowerASCII(s))
			continue
		}
		ms = append(ms, newMatcher(mHas, s, false))
	}
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		a := strsOf(x, cols[0])
		out := make([]bool, n)
		var buf []byte
		for i := 0; i < n; i++ {
			h := a.at(i)
			if all {
				ok := true
				for _, m := range ms {
					if !m.match(h) {
						ok = false
						break
					}
				}
				out[i] = ok
				continue
			}
			found := false
			if len(ts.terms) > 0 {
				found, buf = ts.anyTerm(h, buf)
			}
			for _, m := range ms {
				if found {
					break
				}
				found = m.match(h)
			}
			out[i] = found
		}
		return boolCol(out, nil), nil
	}}
}

// termSet is a set of lower-case ASCII terms with filters on length and
// first byte that reject most haystack terms without hashing.
type termSet struct {
	terms   map[string]struct{}
	lens    uint64 // bit l set when some term has length l (l < 64)
	long    bool   // some term is 64 bytes or longer
	firstOK [256]bool
}

func (s *termSet) add(t string) {
	s.terms[t] = struct{}{}
	if len(t) < 64 {
		s.lens |= 1 << len(t)
	} else {
		s.long = true
	}
	s.firstOK[t[0]] = true
	if c := t[0]; c >= 'a' && c <= 'z' {
		s.firstOK[c-'a'+'A'] = true
	}
}

// anyTerm reports whether some term of h is in the set.
func (s *termSet) anyTerm(h string, buf []byte) (bool, []byte) {
	start := -1
	for i := 0; i <= len(h); i++ {
		if i < len(h) && isTermByte(h[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start < 0 {
			continue
		}
		t := h[start:i]
		start = -1
		if l := len(t); (l < 64 && s.lens&(1<<l) == 0 || l >= 64 && !s.long) || !s.firstOK[t[0]] {
			continue
		}
		buf = append(buf[:0], t...)
		for j, c := range buf {
			if c >= 'A' && c <= 'Z' {
				buf[j] = c + 'a' - 'A'
			}
		}
		if _, ok := s.terms[string(buf)]; ok {
			return true, buf
		}
	}
	return false, buf
}

// isSingleTerm reports whether s is one ASCII term (letters and digits).
func isSingleTerm(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTermByte(s[i]) {
			return false
		}
	}
	return true
}

// Between binds x between (lo .. hi), or !between when not. For a
// datetime x and lo, hi may be a timespan: the range is lo .. lo+hi.
func Between(x, lo, hi Arg, not bool) (*Fn, error) {
	what := "operator between"
	if lo.Type == types.Datetime && hi.Type == types.Timespan {
		return betweenSpan(x, lo, hi, not)
	}
	ge, err := compare(token.GEQ, x, lo)
	if err != nil {
		return nil, errorf(what, "cannot compare %s with %s", x.Type, lo.Type)
	}
	le, err := compare(token.LEQ, x, hi)
	if err != nil {
		return nil, errorf(what, "cannot compare %s with %s", x.Type, hi.Type)
	}
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		a, err := ge.Eval([]*value.Column{cols[0], cols[1]}, n)
		if err != nil {
			return nil, err
		}
		b, err := le.Eval([]*value.Column{cols[0], cols[2]}, n)
		if err != nil {
			return nil, err
		}
		return combineBetween(a, b, not), nil
	}}, nil
}

// combineBetween ands the two bounds (null if either is null) and negates
// for !between.
func combineBetween(a, b *value.Column, not bool) *value.Column {
	n := len(a.Bools)
	out := make([]bool, n)
	var nulls []bool
	for i := 0; i < n; i++ {
		if a.IsNull(i) || b.IsNull(i) {
			nulls = setNull(nulls, n, i)
			continue
		}
		out[i] = (a.Bools[i] && b.Bools[i]) != not
	}
	return boolCol(out, nulls)
}

// betweenSpan is datetime between (datetime .. timespan).
func betweenSpan(x, lo, hi Arg, not bool) (*Fn, error) {
	add, err := arith(token.ADD, lo, hi)
	if err != nil {
		return nil, err
	}
	upper := Col(types.Datetime)
	if lo.Const != nil && hi.Const != nil {
		upper = Const(arithValues(token.ADD, *lo.Const, *hi.Const))
	}
	inner, err := Between(x, lo, upper, not)
	if err != nil {
		return nil, err
	}
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		var up *value.Column
		if upper.Const == nil {
			var err error
			if up, err = add.Eval([]*value.Column{cols[1], cols[2]}, n); err != nil {
				return nil, err
			}
		}
		return inner.Eval([]*value.Column{cols[0], cols[1], up}, n)
	}}, nil
}
