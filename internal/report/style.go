package report

// This file decides on colour and holds the terminal palette and glyphs.

import "github.com/vigil-hunt/vigil/internal/finding"

// ColorEnabled reports whether terminal output may be coloured: only on a
// terminal, and never when NO_COLOR is set to a non-empty value
// (https://no-color.org) or TERM is "dumb". getenv is os.Getenv, or a
// stub in tests.
func ColorEnabled(isTTY bool, getenv func(string) string) bool {
	if !isTTY {
		return false
	}
	if getenv != nil && (getenv("NO_COLOR") != "" || getenv("TERM") == "dumb") {
		return false
	}
	return true
}

// sgr is an ANSI Select Graphic Rendition parameter list ("1;31").
type sgr string

const (
	plain   sgr = ""
	bold    sgr = "1"
	dim     sgr = "2"
	yellow  sgr = "33"
	green   sgr = "32"
	cyan    sgr = "36"
	boldRed sgr = "1;31"
)

// paint wraps s in the style when colour is on.
func paint(on bool, st sgr, s string) string {
	if !on || st == plain || s == "" {
		return s
	}
	return "\x1b[" + string(st) + "m" + s + "\x1b[0m"
}

// badgeStyle is the colour of a severity badge: reversed colours, so the
// badge reads as a label.
func badgeStyle(s finding.Severity) sgr {
	switch s {
	case finding.Critical:
		return "1;97;41" // bold white on red
	case finding.High:
		return "1;30;101" // black on bright red
	case finding.Medium:
		return "1;30;43" // black on yellow
	case finding.Low:
		return "1;30;46" // black on cyan
	}
	return "1;30;47" // black on grey
}

// glyphs are the characters a card is drawn with.
type glyphs struct {
	tl, tr, bl, br, h, v, lt, rt string
	arrow, bullet, action, warn  string
}

var unicodeGlyphs = glyphs{"╭", "╮", "╰", "╯", "─", "│", "├", "┤", "›", "•", "▸", "⚠"}

var asciiGlyphs = glyphs{"+", "+", "+", "+", "-", "|", "+", "+", ">", "*", ">", "!"}
