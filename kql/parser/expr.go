package parser

// This file implements expressions: pipelines, binary and unary operators
// with Kusto's precedence, primaries, calls, selectors and indexing.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// parsePipeExpr parses a scalar or tabular expression, including pipes
// and pipelines that begin with an operator (union, print, range, …).
func (p *parser) parsePipeExpr() ast.Expr {
	p.enter()
	defer p.leave()
	var x ast.Expr
	if p.isSourceOp() {
		x = &ast.PipeExpr{Op: p.parseOpGuarded()}
	} else {
		x = p.parseExpr()
	}
	return p.parsePipeTail(x)
}

// parsePipeTail parses "| op | op …" after x.
func (p *parser) parsePipeTail(x ast.Expr) ast.Expr {
	for p.tok.kind == token.PIPE {
		bar := p.tok.pos
		p.next()
		x = &ast.PipeExpr{X: x, Bar: bar, Op: p.parseOpGuarded()}
	}
	return x
}

// parseSubQuery parses a pipeline whose input is implied, as inside
// mv-apply … on (…), partition … (…), fork (…) and facet … with (…).
func (p *parser) parseSubQuery() ast.Expr {
	p.enter()
	defer p.leave()
	if p.tok.kind == token.PIPE { // tolerate a leading "|"
		p.next()
	}
	return p.parsePipeTail(&ast.PipeExpr{Op: p.parseOpGuarded()})
}

// parseExpr parses a scalar expression (which may also name a table).
func (p *parser) parseExpr() ast.Expr {
	p.enter()
	defer p.leave()
	return p.parseBinary(token.PrecOr)
}

func (p *parser) parseBinary(prec1 int) ast.Expr {
	x := p.parseUnary()
	for {
		op, n := p.binaryOp()
		prec := op.Precedence()
		if op == token.COLON {
			prec = token.PrecCmp // search's Col:"text"
		}
		if op == token.ILLEGAL || prec < prec1 {
			return x
		}
		pos := p.tok.pos
		for ; n > 0; n-- {
			p.next()
		}
		switch op {
		case token.IN, token.NOT_IN, token.IN_CI, token.NOT_IN_CI, token.HAS_ANY, token.HAS_ALL:
			x = p.parseInList(x, pos, op)
		case token.BETWEEN, token.NOT_BETWEEN:
			x = p.parseBetween(x, pos, op == token.NOT_BETWEEN)
		default:
			y := p.parseBinary(prec + 1)
			x = &ast.BinaryExpr{X: x, OpPos: pos, Op: op, Y: y}
		}
	}
}

// binaryOp returns the binary operator at the cursor and how many tokens
// it spans, or ILLEGAL.
func (p *parser) binaryOp() (token.Kind, int) {
	switch k := p.tok.kind; k {
	case token.ADD, token.SUB, token.MUL, token.QUO, token.REM,
		token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ,
		token.EQTILDE, token.NEQTILDE:
		return k, 1
	case token.COLON:
		if p.inSearch {
			return token.COLON, 1
		}
	case token.IDENT:
		if k, ok := wordAliases[p.tok.lit]; ok {
			return k, 1
		}
		return p.wordOp(0, false)
	case token.BANG:
		if t := p.peek(1); t.kind == token.IDENT && t.pos == p.tok.end {
			k, n := p.wordOp(1, true)
			if k == token.ILLEGAL {
				return k, 0
			}
			if neg, ok := k.Negated(); ok {
				return neg, n + 1
			}
		}
	}
	return token.ILLEGAL, 0
}

// wordAliases are the older spellings of string operators Kusto still
// accepts; they are recorded under the current operator.
var wordAliases = map[string]token.Kind{
	"containscs": token.CONTAINS_CS, "notcontains": token.NOT_CONTAINS,
	"notcontainscs": token.NOT_CONTAINS_CS, "notlike": token.NOT_LIKE,
	"notbetween": token.NOT_BETWEEN,
}

// wordOp recognizes a word operator starting n tokens ahead; negated is
// set after a "!".
func (p *parser) wordOp(n int, negated bool) (token.Kind, int) {
	t := p.peek(n)
	k, ok := token.LookupWordOp(t.lit)
	if t.lit == "containscs" && negated {
		return token.CONTAINS_CS, 1
	}
	switch {
	case t.lit == "matches" && p.peekWord(n+1, "regex") && !negated:
		return token.MATCHES_REGEX, 2
	case !ok:
		return token.ILLEGAL, 0
	case negated && (k == token.AND || k == token.OR || k == token.HAS_ANY || k == token.HAS_ALL):
		return token.ILLEGAL, 0
	case k == token.IN:
		if tl := p.peek(n + 1); tl.kind == token.TILDE && tl.pos == t.end {
			if p.peek(n+2).kind != token.LPAREN {
				return token.ILLEGAL, 0
			}
			return token.IN_CI, 2
		}
		if p.peek(n+1).kind != token.LPAREN {
			// "on Axis in range(…)" of make-series, "find in (…)": not ours.
			return token.ILLEGAL, 0
		}
	}
	return k, 1
}

// parseInList parses the "(a, b, …)" of in, !in, in~, has_any, has_all.
func (p *parser) parseInList(x ast.Expr, pos token.Pos, op token.Kind) ast.Expr {
	if p.tok.kind != token.LPAREN {
		p.errorExpected("'(' after " + op.String())
		return &ast.BadExpr{From: x.Pos(), To: p.prevEnd()}
	}
	e := &ast.InExpr{X: x, OpPos: pos, Op: op, Lparen: p.tok.pos}
	p.next()
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		e.List = append(e.List, p.parsePipeExpr())
		if !p.got(token.COMMA) {
			break
		}
	}
	e.Rparen = p.expectClose(token.RPAREN, " after list")
	return e
}

func (p *parser) parseBetween(x ast.Expr, pos token.Pos, not bool) ast.Expr {
	if p.tok.kind != token.LPAREN {
		p.errorExpected("'(' after between")
		return &ast.BadExpr{From: x.Pos(), To: p.prevEnd()}
	}
	e := &ast.BetweenExpr{X: x, OpPos: pos, Not: not, Lparen: p.tok.pos}
	p.next()
	e.Lo = p.parseExpr()
	p.expect(token.DOTDOT)
	e.Hi = p.parseExpr()
	e.Rparen = p.expectClose(token.RPAREN, " after range")
	return e
}

func (p *parser) parseUnary() ast.Expr {
	if k := p.tok.kind; k == token.SUB || k == token.ADD {
		pos := p.tok.pos
		p.next()
		p.enter()
		defer p.leave()
		return &ast.UnaryExpr{OpPos: pos, Op: k, X: p.parseUnary()}
	}
	return p.parsePostfix(p.parsePrimary())
}

func (p *parser) parsePrimary() ast.Expr {
	t := p.tok
	switch t.kind {
	case token.IDENT:
		return p.parseIdentExpr()
	case token.INT, token.REAL, token.TIMESPAN:
		p.next()
		return &ast.BasicLit{ValuePos: t.pos, Kind: t.kind, Value: t.lit, EndPos: t.end}
	case token.STRING:
		return p.parseString()
	case token.TYPEDLIT:
		p.next()
		return typedLit(t)
	case token.LPAREN:
		x := &ast.ParenExpr{Lparen: t.pos}
		p.next()
		x.X = p.parsePipeExpr()
		x.Rparen = p.expectClose(token.RPAREN, "")
		return x
	case token.LBRACK:
		if p.isNameAt(0) > 0 {
			return p.parseName()
		}
	case token.MUL:
		p.next()
		return &ast.StarExpr{Star: t.pos}
	}
	p.errorExpected("expression")
	return &ast.BadExpr{From: t.pos, To: t.pos}
}

// parseIdentExpr parses a primary that starts with an identifier: a name,
// a call, true/false, dynamic(…), typeof(…).
func (p *parser) parseIdentExpr() ast.Expr {
	t := p.tok
	next := p.peek(1)
	switch {
	case next.kind == token.LPAREN && t.lit == "dynamic":
		return p.parseDynamic()
	case next.kind == token.LPAREN && t.lit == "typeof":
		p.next()
		return p.parseSchema(t.pos)
	case next.kind == token.LPAREN:
		p.next()
		return p.parseCall(&ast.Ident{NamePos: t.pos, Name: t.lit, EndPos: t.end})
	}
	p.next()
	switch t.lit {
	case "true", "false", "True", "False", "TRUE", "FALSE":
		return &ast.BasicLit{ValuePos: t.pos, Kind: token.BOOL, Value: t.lit, EndPos: t.end}
	}
	return &ast.Ident{NamePos: t.pos, Name: t.lit, EndPos: t.end}
}

// parseCall parses "(args)" after fun.
func (p *parser) parseCall(fun *ast.Ident) *ast.CallExpr {
	c := &ast.CallExpr{Fun: fun, Lparen: p.expect(token.LPAREN)}
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		c.Args = append(c.Args, p.parseArg())
		if !p.got(token.COMMA) {
			break
		}
	}
	c.Rparen = p.expectClose(token.RPAREN, " after arguments")
	return c
}

// parseArg parses one call argument: "*", "name = value", or a scalar or
// tabular expression.
func (p *parser) parseArg() ast.Expr {
	if n := p.isNameAt(0); n > 0 && p.peek(n).kind == token.ASSIGN {
		a := &ast.NamedArg{Name: p.parseName(), Assign: p.tok.pos}
		p.next()
		a.Value = p.parseExpr()
		return a
	}
	return p.parsePipeExpr()
}

func (p *parser) parsePostfix(x ast.Expr) ast.Expr {
	for {
		switch p.tok.kind {
		case token.DOT:
			dot := p.tok.pos
			p.next()
			if p.tok.kind == token.LBRACK && p.isNameAt(0) == 0 {
				continue // x.[0] is x[0]
			}
			if p.isNameAt(0) == 0 {
				p.errorExpected("name after '.'")
				return x
			}
			x = &ast.SelectorExpr{X: x, Dot: dot, Sel: p.parseName()}
		case token.LBRACK:
			ix := &ast.IndexExpr{X: x, Lbrack: p.tok.pos}
			p.next()
			ix.Index = p.parseExpr()
			ix.Rbrack = p.expectClose(token.RBRACK, " after index")
			x = ix
		default:
			return x
		}
	}
}

// parseString parses one or more adjacent string tokens into one literal.
func (p *parser) parseString() *ast.BasicLit {
	lit := &ast.BasicLit{ValuePos: p.tok.pos, Kind: token.STRING, Value: p.tok.lit, EndPos: p.tok.end}
	p.next()
	if p.tok.kind != token.STRING {
		return lit
	}
	var b strings.Builder
	b.WriteString(lit.Value)
	for p.tok.kind == token.STRING {
		b.WriteByte(' ')
		b.WriteString(p.tok.lit)
		lit.EndPos = p.tok.end
		p.next()
	}
	lit.Value = b.String()
	return lit
}

// isNameAt reports how many tokens the name n tokens ahead spans: 1 for an
// identifier, 3 for ['a b'], 0 when there is no name.
func (p *parser) isNameAt(n int) int {
	switch t := p.peek(n); t.kind {
	case token.IDENT:
		return 1
	case token.LBRACK:
		if p.peek(n+1).kind == token.STRING && p.peek(n+2).kind == token.RBRACK {
			return 3
		}
	}
	return 0
}

// parseName parses an identifier or a bracketed name.
func (p *parser) parseName() *ast.Ident {
	t := p.tok
	switch p.isNameAt(0) {
	case 1:
		p.next()
		return &ast.Ident{NamePos: t.pos, Name: t.lit, EndPos: t.end}
	case 3:
		p.next()
		s := p.tok
		p.next()
		end := p.tok.end
		p.next()
		name, err := token.Unquote(s.lit)
		if err != nil {
			p.addError(s.pos, s.end, "invalid name: "+err.Error())
		}
		return &ast.Ident{NamePos: t.pos, Name: name, Quoted: true, EndPos: end}
	}
	p.errorExpected("name")
	return &ast.Ident{NamePos: t.pos, EndPos: t.pos}
}

// parsePattern parses a name that may be a wildcard pattern (Device*,
// *Id, Col*Suffix): names and stars written without spaces.
func (p *parser) parsePattern() *ast.Ident {
	if p.tok.kind != token.MUL && p.tok.kind != token.IDENT {
		return p.parseName()
	}
	id := &ast.Ident{NamePos: p.tok.pos}
	var b strings.Builder
	for {
		if p.tok.kind == token.MUL {
			id.Wildcard = true
		}
		b.WriteString(p.tok.lit)
		id.EndPos = p.tok.end
		p.next()
		k := p.tok.kind
		if p.tok.pos != id.EndPos || (k != token.MUL && k != token.IDENT && k != token.INT) {
			break
		}
	}
	id.Name = b.String()
	return id
}

// typedLit turns a TYPEDLIT token into a TypedLit node.
func typedLit(t tok) *ast.TypedLit {
	i := strings.IndexByte(t.lit, '(')
	return &ast.TypedLit{
		TypePos: t.pos,
		Type:    t.lit[:i],
		Text:    strings.TrimSpace(t.lit[i+1 : len(t.lit)-1]),
		Rparen:  t.end - 1,
	}
}
