package agent

// This file formats a located message the way the CLI does, with the
// source line and a caret under the offending span, for the model to read.

import (
	"strings"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/token"
)

// caretWindow is the most source bytes shown around the caret.
const caretWindow = 120

// describe formats "query:1:9: Code: msg" and, when the span is known, the
// source line with carets under the span (on its first line only).
func describe(f *token.File, span token.Span, code, msg string) string {
	if !span.Pos.IsValid() {
		return code + ": " + msg
	}
	pos := f.Position(span.Pos)
	head := pos.String() + ": " + code + ": " + msg
	line := f.Line(pos.Line - f.LineOffset)
	if line == "" {
		return head
	}
	col := min(pos.Column-1, len(line))
	width := 1
	if span.End.IsValid() && span.End > span.Pos {
		width = min(span.End.Offset()-span.Pos.Offset(), len(line)-col)
	}
	width = max(width, 1)
	from, to := window(line, col, width)
	shown := line[from:to]
	pre, post := "", ""
	if from > 0 {
		pre = "…"
	}
	if to < len(line) {
		post = "…"
	}
	pad := caretPad(line[from:col]) + strings.Repeat(" ", utf8.RuneCountInString(pre))
	marks := strings.Repeat("^", max(utf8.RuneCountInString(line[col:min(col+width, to)]), 1))
	return head + "\n  " + pre + shown + post + "\n  " + pad + marks
}

// window picks at most caretWindow bytes of line around [col, col+width),
// on rune boundaries.
func window(line string, col, width int) (int, int) {
	if len(line) <= caretWindow {
		return 0, len(line)
	}
	from := max(0, col-caretWindow/3)
	to := min(len(line), from+caretWindow)
	if col+width > to {
		to = min(len(line), col+width)
	}
	for from > 0 && !utf8.RuneStart(line[from]) {
		from--
	}
	for to < len(line) && !utf8.RuneStart(line[to]) {
		to++
	}
	return from, to
}

// caretPad is white space as wide as prefix, keeping its tabs.
func caretPad(prefix string) string {
	var b strings.Builder
	for _, r := range prefix {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
