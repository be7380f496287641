package report

// This file measures, cleans, wraps and cuts text for fixed-width output.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// termSafe makes untrusted text safe to print on a terminal: control
// characters (which could move the cursor or change colours), invisible
// format characters and bidirectional overrides become visible escapes
// such as \x1b and \u202e; tabs and line breaks become spaces.
func termSafe(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0, unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII, the common case.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// textWidth is the number of terminal columns s takes: wide East Asian
// characters and emoji count two, combining marks none.
func textWidth(s string) int {
	if isPlain(s) {
		return len(s)
	}
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

// wideRanges are the common double-width blocks: Hangul Jamo, CJK,
// Hangul syllables, compatibility ideographs, fullwidth forms and emoji.
var wideRanges = [][2]rune{
	{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
	{0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
	{0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f},
	{0x1f900, 0x1f9ff}, {0x20000, 0x3fffd},
}

func isWide(r rune) bool {
	for _, w := range wideRanges {
		if r >= w[0] && r <= w[1] {
			return true
		}
	}
	return false
}

// cutWidth shortens s to at most n columns, ending it with "…" when cut.
func cutWidth(s string, n int) string { return cutWith(s, n, "…") }

// cutWith is cutWidth with another ellipsis ("..." for ASCII output).
func cutWith(s string, n int, ellipsis string) string {
	if textWidth(s) <= n {
		return s
	}
	ew := textWidth(ellipsis)
	if n < ew {
		return ""
	}
	head, _ := splitWidth(s, n-ew)
	if n == ew {
		head = ""
	}
	return head + ellipsis
}

// wrapText breaks s into lines of at most n columns at spaces; a word
// longer than a line (a hash, a path) is split where it must be. Line
// breaks in s are kept as paragraph breaks.
func wrapText(s string, n int) []string {
	n = max(n, 1)
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, wrapLine(termSafe(para), n)...)
	}
	return out
}

// minSplit is the least room on a line worth starting a split word in.
const minSplit = 8

func wrapLine(s string, n int) []string {
	var lines []string
	cur, curW := "", 0
	for _, word := range strings.Fields(s) {
		ww := textWidth(word)
		switch {
		case curW > 0 && curW+1+ww <= n:
			cur, curW = cur+" "+word, curW+1+ww
			continue
		case curW > 0 && ww > n && n-curW-1 >= minSplit:
			// A word too long for any line starts here rather than below.
			head, tail := splitWidth(word, n-curW-1)
			lines = append(lines, cur+" "+head)
			word, ww = tail, textWidth(tail)
		case curW > 0:
			lines = append(lines, cur)
		}
		for ww > n {
			head, tail := splitWidth(word, n)
			lines = append(lines, head)
			word, ww = tail, textWidth(tail)
		}
		cur, curW = word, ww
	}
	return append(lines, cur)
}

// splitWidth splits s after at most n columns (at least one rune).
func splitWidth(s string, n int) (string, string) {
	w := 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > n && i > 0 {
			return s[:i], s[i:]
		}
		w += rw
	}
	return s, ""
}

// padRight pads s with spaces to n columns.
func padRight(s string, n int) string {
	if w := textWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
