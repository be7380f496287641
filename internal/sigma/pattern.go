package sigma

// This file reads Sigma's string values: * and ? are wildcards, and a
// backslash escapes a wildcard or a backslash (\*, \?, \\); before any
// other character it is an ordinary backslash, so C:\Windows\ needs no
// escaping.

import (
	"regexp"
	"strings"
)

// Wildcards in a pattern.
const (
	wildAny rune = '*' // any run of characters, the empty one included
	wildOne rune = '?' // exactly one character
)

// piece is a run of literal text or one wildcard.
type piece struct {
	lit  string
	wild rune // 0 for literal text
}

// pattern is a Sigma string: literal text and wildcards.
type pattern []piece

// parsePattern reads a Sigma string value.
func parsePattern(s string) pattern {
	var p pattern
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p = append(p, piece{lit: lit.String()})
			lit.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\' && i+1 < len(rs) && (rs[i+1] == '*' || rs[i+1] == '?' || rs[i+1] == '\\'):
			lit.WriteRune(rs[i+1])
			i++
		case c == '*' || c == '?':
			flush()
			p = append(p, piece{wild: c})
		default:
			lit.WriteRune(c)
		}
	}
	flush()
	return p.normal()
}

// literal is a pattern without wildcards.
func literal(s string) pattern {
	if s == "" {
		return nil
	}
	return pattern{{lit: s}}
}

// normal merges adjacent literals and collapses runs of *.
func (p pattern) normal() pattern {
	var out pattern
	for _, x := range p {
		n := len(out)
		switch {
		case x.wild == 0 && x.lit == "":
		case x.wild == 0 && n > 0 && out[n-1].wild == 0:
			out[n-1].lit += x.lit
		case x.wild == wildAny && n > 0 && out[n-1].wild == wildAny:
		default:
			out = append(out, x)
		}
	}
	return out
}

// wrap adds * before and/or after the pattern (contains, startswith,
// endswith).
func (p pattern) wrap(before, after bool) pattern {
	var out pattern
	if before {
		out = append(out, piece{wild: wildAny})
	}
	out = append(out, p...)
	if after {
		out = append(out, piece{wild: wildAny})
	}
	return out.normal()
}

// plain returns the pattern's text when it has no wildcards.
func (p pattern) plain() (string, bool) {
	var b strings.Builder
	for _, x := range p {
		if x.wild != 0 {
			return "", false
		}
		b.WriteString(x.lit)
	}
	return b.String(), true
}

// matchAll reports whether the pattern is "*": any value, empty included.
func (p pattern) matchAll() bool { return len(p) == 1 && p[0].wild == wildAny }

// shape classifies a pattern for the Kusto operator that tests it: the
// literal core and whether it is anchored at each end. ok is false when
// wildcards sit inside the pattern or ? appears (a regex is needed).
func (p pattern) shape() (core string, anyBefore, anyAfter, ok bool) {
	q := p
	if len(q) > 0 && q[0].wild == wildAny {
		anyBefore, q = true, q[1:]
	}
	if len(q) > 0 && q[len(q)-1].wild == wildAny {
		anyAfter, q = true, q[:len(q)-1]
	}
	core, ok = q.plain()
	return core, anyBefore, anyAfter, ok
}

// regex is the pattern as an RE2 expression over the whole value.
func (p pattern) regex(cased bool) string {
	var b strings.Builder
	b.WriteString("(?s")
	if !cased {
		b.WriteString("i")
	}
	b.WriteString(")")
	q := p
	anchorStart := len(q) == 0 || q[0].wild != wildAny
	anchorEnd := len(q) == 0 || q[len(q)-1].wild != wildAny
	if !anchorStart {
		q = q[1:]
	}
	if !anchorEnd && len(q) > 0 {
		q = q[:len(q)-1]
	}
	if anchorStart {
		b.WriteString("^")
	}
	for _, x := range q {
		switch x.wild {
		case wildAny:
			b.WriteString(".*")
		case wildOne:
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(x.lit))
		}
	}
	if anchorEnd {
		b.WriteString("$")
	}
	return b.String()
}

// mapLiterals applies f to every literal piece.
func (p pattern) mapLiterals(f func(string) string) pattern {
	out := make(pattern, len(p))
	for i, x := range p {
		out[i] = x
		if x.wild == 0 {
			out[i].lit = f(x.lit)
		}
	}
	return out.normal()
}

// cut splits the pattern at the first literal occurrence of sep.
func (p pattern) cut(sep string) (before, after pattern, found bool) {
	for i, x := range p {
		if x.wild != 0 {
			continue
		}
		j := strings.Index(x.lit, sep)
		if j < 0 {
			continue
		}
		before = append(append(pattern{}, p[:i]...), piece{lit: x.lit[:j]})
		after = append(pattern{{lit: x.lit[j+len(sep):]}}, p[i+1:]...)
		return before.normal(), after.normal(), true
	}
	return p, nil, false
}

// afterLast keeps what follows the last literal occurrence of sep; a
// pattern without sep is returned whole.
func (p pattern) afterLast(sep string) pattern {
	for i := len(p) - 1; i >= 0; i-- {
		x := p[i]
		if x.wild != 0 {
			continue
		}
		if j := strings.LastIndex(x.lit, sep); j >= 0 {
			return append(pattern{{lit: x.lit[j+len(sep):]}}, p[i+1:]...).normal()
		}
	}
	return p
}

// String writes the pattern back in Sigma syntax.
func (p pattern) String() string {
	var b strings.Builder
	for _, x := range p {
		if x.wild != 0 {
			b.WriteRune(x.wild)
			continue
		}
		r := strings.NewReplacer(`*`, `\*`, `?`, `\?`)
		b.WriteString(r.Replace(x.lit))
	}
	return b.String()
}
