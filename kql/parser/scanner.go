package parser

// This file implements the lexer: it turns source text into tokens.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-hunt/vigil/kql/token"
)

// tok is one lexical token. Comments are not tokens; they are collected
// separately.
type tok struct {
	kind token.Kind
	pos  token.Pos // first byte
	end  token.Pos // first byte after
	lit  string    // source text (decoded name for a bracketed IDENT)
}

// scanner splits a source text into tokens.
type scanner struct {
	src      string
	off      int
	toks     []tok
	comments []scanComment
	errs     []scanError
}

type scanComment struct {
	off  int
	text string
}

type scanError struct {
	off, end int
	msg      string
}

// scan tokenizes src. The result always ends with an EOF token.
func scan(src string) *scanner {
	s := &scanner{src: src, toks: make([]tok, 0, len(src)/6+16)}
	for {
		t := s.next()
		s.toks = append(s.toks, t)
		if t.kind == token.EOF {
			return s
		}
	}
}

func (s *scanner) errorf(off, end int, msg string) {
	s.errs = append(s.errs, scanError{off, end, msg})
}

func (s *scanner) mk(kind token.Kind, start int) tok {
	return tok{kind: kind, pos: token.PosOf(start), end: token.PosOf(s.off), lit: s.src[start:s.off]}
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// identRuneAt returns the size of the identifier character at offset i,
// or 0: an ASCII letter, digit or _, or a Unicode letter, digit or mark.
func (s *scanner) identRuneAt(i int) int {
	if i >= len(s.src) {
		return 0
	}
	if c := s.src[i]; c < utf8.RuneSelf {
		if isLetter(c) || isDigit(c) {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s.src[i:])
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
		return n
	}
	return 0
}

// spaceRuneAt returns the size of the non-ASCII white space (no-break
// space, byte order mark, zero-width space, …) at offset i, or 0.
func (s *scanner) spaceRuneAt(i int) int {
	if i >= len(s.src) || s.src[i] < utf8.RuneSelf {
		return 0
	}
	r, n := utf8.DecodeRuneInString(s.src[i:])
	if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
		return n
	}
	return 0
}

func (s *scanner) peekAt(i int) byte {
	if s.off+i < len(s.src) {
		return s.src[s.off+i]
	}
	return 0
}

// skipSpace skips white space and comments.
func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '/' && s.peekAt(1) == '/':
			start := s.off
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
			text := strings.TrimSuffix(s.src[start:s.off], "\r")
			s.comments = append(s.comments, scanComment{start, text})
		case s.spaceRuneAt(s.off) > 0:
			s.off += s.spaceRuneAt(s.off)
		default:
			return
		}
	}
}

// next returns the next token.
func (s *scanner) next() tok {
	s.skipSpace()
	start := s.off
	if s.off >= len(s.src) {
		return tok{kind: token.EOF, pos: token.PosOf(start), end: token.PosOf(start)}
	}
	c := s.src[s.off]
	switch {
	case (c == 'h' || c == 'H') && (s.peekAt(1) == '\'' || s.peekAt(1) == '"' ||
		s.peekAt(1) == '@' && (s.peekAt(2) == '\'' || s.peekAt(2) == '"') || s.isTriple(1)):
		s.off++
		return s.scanString(start)
	case c == '@' && (s.peekAt(1) == '\'' || s.peekAt(1) == '"'):
		return s.scanString(start)
	case c == '\'' || c == '"' || c == '`' && s.isTriple(0):
		return s.scanString(start)
	case isLetter(c) || c == '$' || c >= utf8.RuneSelf && s.identRuneAt(s.off) > 0:
		return s.scanIdent(start)
	case isDigit(c) || c == '.' && isDigit(s.peekAt(1)):
		return s.scanNumber(start)
	}
	return s.scanPunct(start)
}

func (s *scanner) isTriple(i int) bool {
	return s.peekAt(i) == '`' && s.peekAt(i+1) == '`' && s.peekAt(i+2) == '`'
}

// typedLitTypes are the type names that, directly followed by "(", start a
// literal kept raw as one TYPEDLIT token.
var typedLitTypes = map[string]bool{
	"datetime": true, "date": true, "timespan": true, "time": true, "guid": true,
	"int": true, "long": true, "real": true, "double": true, "bool": true,
	"boolean": true, "decimal": true,
}

func (s *scanner) scanIdent(start int) tok {
	if s.src[s.off] == '$' {
		s.off++
	}
	for n := s.identRuneAt(s.off); n > 0; n = s.identRuneAt(s.off) {
		s.off += n
	}
	word := s.src[start:s.off]
	if s.off < len(s.src) && s.src[s.off] == '(' && typedLitTypes[word] {
		return s.scanTypedLit(start)
	}
	return s.mk(token.IDENT, start)
}

// scanTypedLit scans type(raw text) up to the matching parenthesis,
// skipping over string literals.
func (s *scanner) scanTypedLit(start int) tok {
	depth := 0
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				s.off++
				return s.mk(token.TYPEDLIT, start)
			}
		case '\'', '"':
			s.skipQuoted(c)
			continue
		case '\n':
			s.errorf(start, s.off, "literal not terminated")
			return s.mk(token.ILLEGAL, start)
		}
		s.off++
	}
	s.errorf(start, s.off, "literal not terminated")
	return s.mk(token.ILLEGAL, start)
}

// skipQuoted skips a quoted string starting at s.off (the quote q).
func (s *scanner) skipQuoted(q byte) {
	s.off++
	for s.off < len(s.src) && s.src[s.off] != q && s.src[s.off] != '\n' {
		if s.src[s.off] == '\\' && s.off+1 < len(s.src) && s.src[s.off+1] != '\n' {
			s.off++
		}
		s.off++
	}
	if s.off < len(s.src) && s.src[s.off] == q {
		s.off++
	}
}

// timespanUnits are the suffixes that make a number a timespan literal.
var timespanUnits = map[string]bool{
	"d": true, "day": true, "days": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true,
	"m": true, "min": true, "mins": true, "minute": true, "minutes": true,
	"s": true, "sec": true, "secs": true, "second": true, "seconds": true,
	"ms": true, "milli": true, "millis": true, "millisec": true, "millisecond": true, "milliseconds": true,
	"micro": true, "micros": true, "microsec": true, "microsecond": true, "microseconds": true,
	"tick": true, "ticks": true,
	"nanosec": true, "nanosecond": true, "nanoseconds": true,
}

func (s *scanner) digits(hex bool) {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if !isDigit(c) && !(hex && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return
		}
		s.off++
	}
}

func (s *scanner) scanNumber(start int) tok {
	if s.src[s.off] == '0' && (s.peekAt(1) == 'x' || s.peekAt(1) == 'X') {
		s.off += 2
		s.digits(true)
		return s.mk(token.INT, start)
	}
	kind := token.INT
	s.digits(false)
	if s.peekAt(0) == '.' && isDigit(s.peekAt(1)) {
		kind = token.REAL
		s.off++
		s.digits(false)
	} else if s.peekAt(0) == '.' && s.peekAt(1) != '.' && !isLetter(s.peekAt(1)) {
		kind = token.REAL // "1." as Kusto accepts it
		s.off++
	}
	if c := s.peekAt(0); c == 'e' || c == 'E' {
		if isDigit(s.peekAt(1)) || (s.peekAt(1) == '+' || s.peekAt(1) == '-') && isDigit(s.peekAt(2)) {
			kind = token.REAL
			s.off += 2
			s.digits(false)
		}
	}
	if isLetter(s.peekAt(0)) {
		unitStart := s.off
		end := s.off
		for end < len(s.src) && (isLetter(s.src[end]) || isDigit(s.src[end])) {
			end++
		}
		if timespanUnits[s.src[unitStart:end]] {
			s.off = end
			return s.mk(token.TIMESPAN, start)
		}
	}
	return s.mk(kind, start)
}

// scanString scans a string literal; s.off is after an optional h/H.
func (s *scanner) scanString(start int) tok {
	verbatim := false
	if s.src[s.off] == '@' {
		verbatim = true
		s.off++
	}
	if s.isTriple(0) {
		s.off += 3
		i := strings.Index(s.src[s.off:], "```")
		if i < 0 {
			s.off = len(s.src)
			s.errorf(start, s.off, "multi-line string literal not terminated")
			return s.mk(token.ILLEGAL, start)
		}
		s.off += i + 3
		return s.mk(token.STRING, start)
	}
	q := s.src[s.off]
	s.off++
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == q && verbatim && s.peekAt(1) == q:
			s.off += 2
			continue
		case c == q:
			s.off++
			return s.mk(token.STRING, start)
		case c == '\n':
			s.errorf(start, s.off, "string literal not terminated")
			return s.mk(token.ILLEGAL, start)
		case c == '\\' && !verbatim && s.off+1 < len(s.src) && s.src[s.off+1] != '\n':
			s.off++
		}
		s.off++
	}
	s.errorf(start, s.off, "string literal not terminated")
	return s.mk(token.ILLEGAL, start)
}

// punct lists the punctuation tokens, longest first within each first byte.
var punct = []struct {
	text string
	kind token.Kind
}{
	{"==", token.EQL}, {"=~", token.EQTILDE}, {"=>", token.ARROW}, {"=", token.ASSIGN},
	{"!=", token.NEQ}, {"!~", token.NEQTILDE}, {"!", token.BANG},
	{"<>", token.NEQ}, {"<=", token.LEQ}, {"<", token.LSS},
	{">=", token.GEQ}, {">", token.GTR},
	{"..", token.DOTDOT}, {".", token.DOT},
	{"+", token.ADD}, {"-", token.SUB}, {"*", token.MUL}, {"/", token.QUO}, {"%", token.REM},
	{"|", token.PIPE}, {"~", token.TILDE}, {",", token.COMMA}, {";", token.SEMI}, {":", token.COLON},
	{"(", token.LPAREN}, {")", token.RPAREN}, {"[", token.LBRACK}, {"]", token.RBRACK},
	{"{", token.LBRACE}, {"}", token.RBRACE},
}

func (s *scanner) scanPunct(start int) tok {
	rest := s.src[s.off:]
	for _, p := range punct {
		if strings.HasPrefix(rest, p.text) {
			s.off += len(p.text)
			return s.mk(p.kind, start)
		}
	}
	// One illegal character (a whole UTF-8 sequence for non-ASCII).
	s.off++
	for s.off < len(s.src) && s.src[s.off]&0xC0 == 0x80 {
		s.off++
	}
	s.errorf(start, s.off, "unexpected character "+quoteChar(s.src[start:s.off]))
	return s.mk(token.ILLEGAL, start)
}

func quoteChar(c string) string {
	if c == "'" {
		return `"'"`
	}
	return "'" + c + "'"
}
