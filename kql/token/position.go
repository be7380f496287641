package token

import (
	"fmt"
	"sort"
)

// Pos is a byte offset into a query's source text, counted from 1 so that
// the zero value NoPos means "no position".
type Pos int

// NoPos is the zero Pos: no position is known.
const NoPos Pos = 0

// IsValid reports whether p is a known position.
func (p Pos) IsValid() bool { return p > NoPos }

// Offset returns the 0-based byte offset of p.
func (p Pos) Offset() int { return int(p) - 1 }

// PosOf returns the Pos of a 0-based byte offset.
func PosOf(offset int) Pos { return Pos(offset + 1) }

// Position is a printable source location. Line and Column are 1-based;
// Column counts bytes, as Go's tools do.
type Position struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// IsValid reports whether the position is known.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats file:line:col, omitting what is unknown.
func (p Position) String() string {
	s := p.Filename
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// File maps positions of one source text to lines and columns. LineBase
// and ColumnBase shift the result, so that a query embedded in a larger
// document (a YAML rule's query: block) reports positions in that document.
type File struct {
	Name  string
	Src   string
	lines []int // offsets of the first byte of each line

	// LineOffset is added to every line number (0 for a plain query file).
	LineOffset int
	// ColumnOffset is added to every column number (the indentation of an
	// embedded block); the first line of the block gets FirstColumnOffset.
	ColumnOffset      int
	FirstColumnOffset int
}

// NewFile returns a File for src, named name.
func NewFile(name, src string) *File {
	f := &File{Name: name, Src: src, lines: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	return f
}

// Position returns the printable location of p.
func (f *File) Position(p Pos) Position {
	if f == nil || !p.IsValid() {
		return Position{}
	}
	off := p.Offset()
	if off > len(f.Src) {
		off = len(f.Src)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	col := off - f.lines[i] + 1
	if i == 0 {
		col += f.FirstColumnOffset
	} else {
		col += f.ColumnOffset
	}
	return Position{Filename: f.Name, Offset: off, Line: i + 1 + f.LineOffset, Column: col}
}

// Line returns the text of the 1-based line n of the source (not shifted by
// LineOffset), without its newline; "" when out of range.
func (f *File) Line(n int) string {
	if f == nil || n < 1 || n > len(f.lines) {
		return ""
	}
	start := f.lines[n-1]
	end := len(f.Src)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	if end > start && f.Src[end-1] == '\r' {
		end--
	}
	return f.Src[start:end]
}

// Span is a half-open range [Pos, End) of source text.
type Span struct {
	Pos, End Pos
}
