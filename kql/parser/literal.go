package parser

// This file implements dynamic(…) literals: JSON-like arrays and property
// bags of literals.

import (
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// parseDynamic parses dynamic(value) with the cursor on "dynamic".
func (p *parser) parseDynamic() ast.Expr {
	d := &ast.DynamicLit{Dynamic: p.tok.pos}
	p.next()
	p.expect(token.LPAREN)
	if p.tok.kind != token.RPAREN {
		d.Value = p.parseDynamicValue()
	}
	d.Rparen = p.expectClose(token.RPAREN, " after dynamic value")
	return d
}

// parseDynamicValue parses one JSON-like value.
func (p *parser) parseDynamicValue() ast.Expr {
	p.enter()
	defer p.leave()
	t := p.tok
	switch t.kind {
	case token.LBRACK:
		return p.parseArrayLit()
	case token.LBRACE:
		return p.parseBagLit()
	case token.STRING:
		return p.parseString()
	case token.INT, token.REAL, token.TIMESPAN:
		p.next()
		return &ast.BasicLit{ValuePos: t.pos, Kind: t.kind, Value: t.lit, EndPos: t.end}
	case token.TYPEDLIT:
		p.next()
		return typedLit(t)
	case token.SUB, token.ADD:
		if n := p.peek(1); n.kind == token.INT || n.kind == token.REAL || n.kind == token.TIMESPAN {
			p.next()
			p.next()
			return &ast.BasicLit{ValuePos: t.pos, Kind: n.kind, Value: t.lit + n.lit, EndPos: n.end}
		}
	case token.IDENT:
		switch t.lit {
		case "true", "false":
			p.next()
			return &ast.BasicLit{ValuePos: t.pos, Kind: token.BOOL, Value: t.lit, EndPos: t.end}
		case "null":
			p.next()
			return &ast.BasicLit{ValuePos: t.pos, Kind: token.NULL, Value: t.lit, EndPos: t.end}
		}
		if p.peek(1).kind == token.LPAREN && t.lit == "dynamic" {
			return p.parseDynamic()
		}
	}
	p.errorExpected("dynamic value")
	return &ast.BadExpr{From: t.pos, To: t.pos}
}

func (p *parser) parseArrayLit() ast.Expr {
	a := &ast.ArrayLit{Lbrack: p.tok.pos}
	p.next()
	for p.tok.kind != token.RBRACK && p.tok.kind != token.EOF {
		start := p.i
		a.Elems = append(a.Elems, p.parseDynamicValue())
		if !p.got(token.COMMA) || p.i == start {
			break
		}
	}
	a.Rbrack = p.expectClose(token.RBRACK, " after array")
	return a
}

func (p *parser) parseBagLit() ast.Expr {
	b := &ast.BagLit{Lbrace: p.tok.pos}
	p.next()
	for p.tok.kind != token.RBRACE && p.tok.kind != token.EOF {
		e := &ast.BagEntry{Key: p.parseBagKey()}
		p.expect(token.COLON)
		e.Value = p.parseDynamicValue()
		b.Entries = append(b.Entries, e)
		if !p.got(token.COMMA) {
			break
		}
	}
	b.Rbrace = p.expectClose(token.RBRACE, " after property bag")
	return b
}

// parseBagKey parses a property name: a string, or a bare identifier,
// which becomes a quoted string.
func (p *parser) parseBagKey() *ast.BasicLit {
	t := p.tok
	switch t.kind {
	case token.STRING:
		return p.parseString()
	case token.IDENT:
		p.next()
		return &ast.BasicLit{ValuePos: t.pos, Kind: token.STRING, Value: strconv.Quote(t.lit), EndPos: t.end}
	}
	p.errorExpected("property name")
	return &ast.BasicLit{ValuePos: t.pos, Kind: token.STRING, Value: `""`, EndPos: t.pos}
}
