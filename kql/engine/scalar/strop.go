package scalar

// This file binds the string operators: =~ !~, has, hasprefix, hassuffix,
// contains, startswith, endswith (each with _cs and negated forms) and
// matches regex. Operands of other types are converted as tostring() does.

import (
	"regexp"

	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// strOpKinds maps each string operator to its matcher, case sensitivity
// and negation.
var strOpKinds = map[token.Kind]struct {
	kind    matchKind
	cs, neg bool
}{
	token.EQTILDE: {mEquals, false, false}, token.NEQTILDE: {mEquals, false, true},
	token.HAS: {mHas, false, false}, token.NOT_HAS: {mHas, false, true},
	token.HAS_CS: {mHas, true, false}, token.NOT_HAS_CS: {mHas, true, true},
	token.HASPREFIX: {mHasPrefix, false, false}, token.NOT_HASPREFIX: {mHasPrefix, false, true},
	token.HASPREFIX_CS: {mHasPrefix, true, false}, token.NOT_HASPREFIX_CS: {mHasPrefix, true, true},
	token.HASSUFFIX: {mHasSuffix, false, false}, token.NOT_HASSUFFIX: {mHasSuffix, false, true},
	token.HASSUFFIX_CS: {mHasSuffix, true, false}, token.NOT_HASSUFFIX_CS: {mHasSuffix, true, true},
	token.CONTAINS: {mContains, false, false}, token.NOT_CONTAINS: {mContains, false, true},
	token.CONTAINS_CS: {mContains, true, false}, token.NOT_CONTAINS_CS: {mContains, true, true},
	token.STARTSWITH: {mStarts, false, false}, token.NOT_STARTSWITH: {mStarts, false, true},
	token.STARTSWITH_CS: {mStarts, true, false}, token.NOT_STARTSWITH_CS: {mStarts, true, true},
	token.ENDSWITH: {mEnds, false, false}, token.NOT_ENDSWITH: {mEnds, false, true},
	token.ENDSWITH_CS: {mEnds, true, false}, token.NOT_ENDSWITH_CS: {mEnds, true, true},
}

// strOp binds a string operator.
func strOp(op token.Kind, x, y Arg) (*Fn, error) {
	what := "operator " + op.String()
	if op == token.MATCHES_REGEX {
		return matchesRegex(what, x, y)
	}
	k, ok := strOpKinds[op]
	if !ok {
		return nil, errorf(what, "is not supported")
	}
	if y.Const != nil {
		m := newMatcher(k.kind, toStr(*y.Const), k.cs)
		return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			return boolCol(matchAll(n, strsOf(x, cols[0]), m, k.neg), nil), nil
		}}, nil
	}
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		s, _ := zip(n, strsOf(x, cols[0]), strsOf(y, cols[1]), func(h, needle string) (bool, bool) {
			return newMatcher(k.kind, needle, k.cs).match(h) != k.neg, true
		})
		return boolCol(s, nil), nil
	}}, nil
}

// matchAll runs a matcher over every row.
func matchAll(n int, a vec[string], m *matcher, neg bool) []bool {
	out := make([]bool, n)
	if a.s == nil {
		r := m.match(a.k) != neg
		for i := range out {
			out[i] = r
		}
		return out
	}
	for i, h := range a.s[:n] {
		out[i] = m.match(h) != neg
	}
	return out
}

// matchesRegex binds x matches regex y (RE2 syntax, compiled once when
// the pattern is constant).
func matchesRegex(what string, x, y Arg) (*Fn, error) {
	if y.Const != nil {
		re, err := compileRegex(toStr(*y.Const))
		if err != nil {
			return nil, errorf(what, "%v", err)
		}
		return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
			s, _ := mapv(n, strsOf(x, cols[0]), func(h string) (bool, bool) { return re.MatchString(h), true })
			return boolCol(s, nil), nil
		}}, nil
	}
	return &Fn{Type: types.Bool, eval: func(cols []*value.Column, n int) (*value.Column, error) {
		var bad error
		s, _ := zip(n, strsOf(x, cols[0]), strsOf(y, cols[1]), func(h, p string) (bool, bool) {
			re, err := compileRegex(p)
			if err != nil {
				bad = err
				return false, true
			}
			return re.MatchString(h), true
		})
		if bad != nil {
			return nil, errorf(what, "%v", bad)
		}
		return boolCol(s, nil), nil
	}}, nil
}

// compileRegex compiles a Kusto regex (RE2 syntax).
func compileRegex(p string) (*regexp.Regexp, error) {
	return regexp.Compile(p)
}
