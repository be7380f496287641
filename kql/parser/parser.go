package parser

// This file implements the parser's entry points, its token cursor, error
// reporting and recovery.

import (
	"fmt"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

const (
	maxErrors = 20   // stop after this many errors
	maxDepth  = 1000 // deepest nesting of expressions and sub-queries
)

// bailout is panicked, and recovered in Parse, to stop parsing early.
type bailout struct{}

type parser struct {
	file   *token.File
	toks   []tok
	i      int // index of tok in toks
	tok    tok // current token
	errors ErrorList
	seen   map[token.Pos]bool // positions that already have an error
	depth  int
	nerrs  int // errors reported, including duplicates not kept

	inSearch bool // in search's predicate, where Col:"text" is allowed

	scanComments []scanComment
	scanErrs     []scanError
}

// Parse parses a whole query text: statements separated by semicolons. It
// always returns a Query, partial when there are syntax errors; the error
// is then an ErrorList holding every error (up to a cap), sorted.
func Parse(f *token.File) (q *ast.Query, err error) {
	p := newParser(f)
	q = &ast.Query{EOF: p.toks[len(p.toks)-1].pos}
	defer func() {
		p.recover(recover())
		q.Comments = p.comments()
		p.errors.Sort()
		err = p.errors.Err()
	}()
	p.addScanErrors()
	p.parseStmtList(token.EOF, &q.Stmts)
	return q, nil
}

// ParseExpr parses a single scalar or tabular expression, such as
// "a + 1" or "T | where x > 1"; for tests and tools.
func ParseExpr(src string) (x ast.Expr, err error) {
	f := token.NewFile("", src)
	p := newParser(f)
	defer func() {
		p.recover(recover())
		if x == nil {
			x = &ast.BadExpr{From: token.PosOf(0), To: token.PosOf(len(src))}
		}
		p.errors.Sort()
		err = p.errors.Err()
	}()
	p.addScanErrors()
	x = p.parsePipeExpr()
	if p.tok.kind != token.EOF {
		p.errorExpected("end of expression")
	}
	return x, nil
}

func newParser(f *token.File) *parser {
	s := scan(f.Src)
	p := &parser{file: f, toks: s.toks, seen: map[token.Pos]bool{}}
	p.tok = p.toks[0]
	p.scanErrs = s.errs
	p.scanComments = s.comments
	return p
}

// addScanErrors reports the scanner's errors; it may bail out.
func (p *parser) addScanErrors() {
	for _, e := range p.scanErrs {
		p.addError(token.PosOf(e.off), token.PosOf(e.end), e.msg)
	}
}

// recover handles a panic r recovered by an entry point: a bailout ends
// parsing quietly; anything else is a bug in the parser, reported as an
// error at the current token rather than crashing the caller.
func (p *parser) recover(r any) {
	if r == nil {
		return
	}
	if _, ok := r.(bailout); ok {
		return
	}
	p.errors = append(p.errors, &Error{
		Pos:  p.file.Position(p.tok.pos),
		Span: token.Span{Pos: p.tok.pos, End: p.tok.end},
		Msg:  fmt.Sprintf("%s: %v", internalError, r),
	})
}

// internalError starts the message of an error that reveals a parser bug.
const internalError = "internal parser error"

func (p *parser) comments() []*ast.Comment {
	if len(p.scanComments) == 0 {
		return nil
	}
	cs := make([]*ast.Comment, len(p.scanComments))
	for i, c := range p.scanComments {
		cs[i] = &ast.Comment{Slash: token.PosOf(c.off), Text: c.text}
	}
	return cs
}

// ----------------------------------------------------------------------------
// Token cursor

func (p *parser) next() {
	if p.i < len(p.toks)-1 {
		p.i++
	}
	p.tok = p.toks[p.i]
}

// peek returns the token n places after the current one (EOF past the end).
func (p *parser) peek(n int) tok {
	if j := p.i + n; j < len(p.toks) {
		return p.toks[j]
	}
	return p.toks[len(p.toks)-1]
}

// prevEnd returns the end of the last consumed token.
func (p *parser) prevEnd() token.Pos {
	if p.i == 0 {
		return p.tok.pos
	}
	return p.toks[p.i-1].end
}

// isWord reports whether the current token is the identifier w.
func (p *parser) isWord(w string) bool {
	return p.tok.kind == token.IDENT && p.tok.lit == w
}

// peekWord reports whether the token n places ahead is the identifier w.
func (p *parser) peekWord(n int, w string) bool {
	t := p.peek(n)
	return t.kind == token.IDENT && t.lit == w
}

// got consumes the current token if it has kind k.
func (p *parser) got(k token.Kind) bool {
	if p.tok.kind == k {
		p.next()
		return true
	}
	return false
}

// gotWord consumes the current token if it is the identifier w and
// returns its position, or NoPos.
func (p *parser) gotWord(w string) token.Pos {
	if p.isWord(w) {
		pos := p.tok.pos
		p.next()
		return pos
	}
	return token.NoPos
}

// expect consumes a token of kind k, or reports an error without moving.
func (p *parser) expect(k token.Kind) token.Pos {
	pos := p.tok.pos
	if p.tok.kind != k {
		p.errorExpected("'" + k.String() + "'")
		return pos
	}
	p.next()
	return pos
}

// expectWord consumes the keyword w, or reports an error without moving.
func (p *parser) expectWord(w string) token.Pos {
	pos := p.tok.pos
	if !p.isWord(w) {
		p.errorExpected("'" + w + "'")
		return pos
	}
	p.next()
	return pos
}

// expectClose consumes the closing token k of a bracketed list, skipping
// what is left before it on error, so that the caller can go on.
func (p *parser) expectClose(k token.Kind, what string) token.Pos {
	if p.tok.kind == k {
		pos := p.tok.pos
		p.next()
		return pos
	}
	p.errorExpected("'" + k.String() + "'" + what)
	p.skipTo(false)
	if p.tok.kind == k {
		pos := p.tok.pos
		p.next()
		return pos
	}
	return p.tok.pos
}

// ----------------------------------------------------------------------------
// Errors

func (p *parser) addError(pos, end token.Pos, msg string) {
	p.nerrs++
	if p.seen[pos] {
		return
	}
	p.seen[pos] = true
	if end < pos {
		end = pos
	}
	p.errors = append(p.errors, &Error{Pos: p.file.Position(pos), Span: token.Span{Pos: pos, End: end}, Msg: msg})
	if len(p.errors) >= maxErrors {
		panic(bailout{})
	}
}

// errorAt reports msg at the current token.
func (p *parser) error(msg string) {
	p.addError(p.tok.pos, p.tok.end, msg)
}

func (p *parser) errorExpected(what string) {
	p.error("expected " + what + ", found " + describe(p.tok))
}

// describe names a token in an error message.
func describe(t tok) string {
	switch t.kind {
	case token.EOF:
		return "end of query"
	case token.IDENT:
		return "'" + t.lit + "'"
	case token.STRING:
		return "string " + clip(t.lit)
	case token.ILLEGAL:
		return clip(t.lit)
	}
	if t.kind.IsLiteral() {
		return clip(t.lit)
	}
	return "'" + t.lit + "'"
}

func clip(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + "…"
	}
	if len(s) > 40 {
		s = s[:37] + "…"
	}
	return s
}

// enter guards against too deep nesting; callers defer p.leave().
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.error("expression nested too deeply")
		panic(bailout{})
	}
}

func (p *parser) leave() { p.depth-- }

// skipTo skips tokens up to the next ";" (or "|" when pipe is set) at the
// current nesting level, or up to a closing bracket that is not matched
// after the current token, or the end of input.
func (p *parser) skipTo(pipe bool) {
	depth := 0
	for p.tok.kind != token.EOF {
		switch p.tok.kind {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth == 0 {
				return
			}
			depth--
		case token.PIPE:
			if pipe && depth == 0 {
				return
			}
		case token.SEMI:
			if depth == 0 {
				return
			}
		}
		p.next()
	}
}
