package scalar

// This file implements the string matchers behind has, hasprefix,
// hassuffix, contains, startswith, endswith and =~, case-sensitive or not.
//
// Terms are maximal runs of ASCII letters and digits. has matches when the
// needle occurs with a term boundary on each side where the needle's own
// edge is a term character, so "a-b-c" has "b-c" but not "b-"'s neighbour
// "-c…" inside a longer term. Case-insensitive matching of an ASCII needle
// compares bytes, folding A-Z, without copying the haystack; a needle with
// non-ASCII characters compares rune by rune with Unicode case mapping, as
// .NET's ordinal-ignore-case comparison does.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// matchKind is what a matcher tests.
type matchKind uint8

const (
	mHas matchKind = iota
	mHasPrefix
	mHasSuffix
	mContains
	mStarts
	mEnds
	mEquals
)

// matcher tests haystacks against one needle.
type matcher struct {
	kind   matchKind
	cs     bool   // case-sensitive
	needle string // lower-cased (ASCII) when !cs and ascii
	ascii  bool
	runes  []rune // the needle's runes, for the Unicode path
	startB bool   // a term boundary is needed before the match
	endB   bool   // a term boundary is needed after the match
	lo, up byte   // the first byte in both cases (ASCII, !cs)
}

func newMatcher(kind matchKind, needle string, cs bool) *matcher {
	m := &matcher{kind: kind, cs: cs, ascii: isASCII(needle)}
	if !cs && m.ascii {
		needle = lowerASCII(needle)
	}
	m.needle = needle
	if !m.ascii {
		m.runes = []rune(needle)
	}
	if needle != "" {
		first, last := needle[0], needle[len(needle)-1]
		switch kind {
		case mHas:
			m.startB, m.endB = isTermByte(first), isTermByte(last)
		case mHasPrefix:
			m.startB = isTermByte(first)
		case mHasSuffix:
			m.endB = isTermByte(last)
		}
		m.lo, m.up = first, first
		if !cs && first >= 'a' && first <= 'z' {
			m.up = first - 'a' + 'A'
		}
	}
	return m
}

// isTermByte reports whether c is a term character: an ASCII letter or digit.
func isTermByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// match reports whether h matches.
func (m *matcher) match(h string) bool {
	switch m.kind {
	case mEquals:
		if m.cs {
			return h == m.needle
		}
		return len(h) == len(m.needle) && m.ascii && equalFoldASCII(h, m.needle) || !m.ascii && equalFoldRunes(h, m.runes)
	case mStarts:
		if m.cs {
			return strings.HasPrefix(h, m.needle)
		}
		if m.ascii {
			return len(h) >= len(m.needle) && equalFoldASCII(h[:len(m.needle)], m.needle)
		}
		_, ok := matchFoldAt(h, 0, m.runes)
		return ok
	case mEnds:
		if m.cs {
			return strings.HasSuffix(h, m.needle)
		}
		if m.ascii {
			return len(h) >= len(m.needle) && equalFoldASCII(h[len(h)-len(m.needle):], m.needle)
		}
		return m.searchRunes(h, true)
	}
	if m.needle == "" {
		return true
	}
	if !m.cs && !m.ascii {
		return m.searchRunes(h, false)
	}
	n := len(m.needle)
	for from := 0; from+n <= len(h); {
		i := m.index(h, from)
		if i < 0 {
			return false
		}
		if m.bounded(h, i, i+n) {
			return true
		}
		from = i + 1
	}
	return false
}

// index returns the first position ≥ from where the needle occurs
// (ASCII case-folded unless cs), or -1.
func (m *matcher) index(h string, from int) int {
	n := len(m.needle)
	if m.cs {
		j := strings.Index(h[from:], m.needle)
		if j < 0 {
			return -1
		}
		return from + j
	}
	if m.lo == m.up {
		for from+n <= len(h) {
			j := strings.IndexByte(h[from:len(h)-n+1], m.lo)
			if j < 0 {
				return -1
			}
			i := from + j
			if equalFoldASCII(h[i+1:i+n], m.needle[1:]) {
				return i
			}
			from = i + 1
		}
		return -1
	}
	// A letter first: scan for both cases, remembering the next position
	// of each so that neither scan repeats.
	nextLo, nextUp := -2, -2
	for from+n <= len(h) {
		limit := len(h) - n + 1
		if nextLo != -1 && nextLo < from {
			nextLo = indexFrom(h[:limit], m.lo, from)
		}
		if nextUp != -1 && nextUp < from {
			nextUp = indexFrom(h[:limit], m.up, from)
		}
		i := nextLo
		if i < 0 || nextUp >= 0 && nextUp < i {
			i = nextUp
		}
		if i < 0 {
			return -1
		}
		if equalFoldASCII(h[i+1:i+n], m.needle[1:]) {
			return i
		}
		from = i + 1
	}
	return -1
}

func indexFrom(h string, c byte, from int) int {
	if from >= len(h) {
		return -1
	}
	j := strings.IndexByte(h[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}

// bounded reports whether a match at [i, j) has the term boundaries the
// matcher needs.
func (m *matcher) bounded(h string, i, j int) bool {
	if m.startB && i > 0 && isTermByte(h[i-1]) {
		return false
	}
	if m.endB && j < len(h) && isTermByte(h[j]) {
		return false
	}
	return true
}

// searchRunes is the Unicode case-insensitive search: at every rune start,
// try to match the needle's runes. atEnd requires the match to end h.
func (m *matcher) searchRunes(h string, atEnd bool) bool {
	if len(m.runes) == 0 {
		return true
	}
	for i := 0; i < len(h); {
		if j, ok := matchFoldAt(h, i, m.runes); ok {
			if atEnd {
				if j == len(h) {
					return true
				}
			} else if m.bounded(h, i, j) {
				return true
			}
		}
		_, size := utf8.DecodeRuneInString(h[i:])
		i += size
	}
	return false
}

// equalFoldASCII compares s with an ASCII lower-case needle, folding
// A-Z in s. Bytes ≥ 0x80 never equal an ASCII needle byte.
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// matchFoldAt matches runes case-insensitively at byte offset i of h and
// returns the end offset.
func matchFoldAt(h string, i int, runes []rune) (int, bool) {
	for _, r := range runes {
		if i >= len(h) {
			return 0, false
		}
		c, size := utf8.DecodeRuneInString(h[i:])
		if c != r && !foldEq(c, r) {
			return 0, false
		}
		i += size
	}
	return i, true
}

func foldEq(a, b rune) bool {
	return unicode.ToUpper(a) == unicode.ToUpper(b) || unicode.ToLower(a) == unicode.ToLower(b)
}

func equalFoldRunes(h string, runes []rune) bool {
	j, ok := matchFoldAt(h, 0, runes)
	return ok && j == len(h)
}

// equalFold compares two strings case-insensitively (=~).
func equalFold(a, b string) bool {
	if len(a) == len(b) {
		ascii := true
		for i := 0; i < len(a); i++ {
			x, y := a[i], b[i]
			if x >= 0x80 || y >= 0x80 {
				ascii = false
				break
			}
			if x == y {
				continue
			}
			if x >= 'A' && x <= 'Z' {
				x += 'a' - 'A'
			}
			if y >= 'A' && y <= 'Z' {
				y += 'a' - 'A'
			}
			if x != y {
				return false
			}
		}
		if ascii {
			return true
		}
	}
	if isASCII(a) && isASCII(b) {
		return false
	}
	return equalFoldRunes(a, []rune(b))
}

// terms calls f with each term of s (maximal runs of ASCII letters and
// digits) until f returns true.
func terms(s string, f func(t string) bool) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isTermByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if f(s[start:i]) {
				return true
			}
			start = -1
		}
	}
	return false
}
