package parser

// This file implements the operators that combine tables: join, lookup
// and union.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func (p *parser) parseJoin(kw token.Pos, word string) ast.Operator {
	op := &ast.JoinOp{Keyword: kw, Word: word, Params: p.parseParams("kind")}
	op.Right = p.parseTableRef()
	op.On, op.Conds = p.parseJoinConds()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseLookup(kw token.Pos, word string) ast.Operator {
	op := &ast.LookupOp{Keyword: kw, Word: word, Params: p.parseParams("kind")}
	op.Right = p.parseTableRef()
	op.On, op.Conds = p.parseJoinConds()
	op.EndPos = p.prevEnd()
	return op
}

// parseJoinConds parses "on a, $left.b == $right.c and …". The on clause
// may be omitted, as Kusto then joins on the common columns... of none.
func (p *parser) parseJoinConds() (token.Pos, []ast.Expr) {
	on := p.gotWord("on")
	if !on.IsValid() {
		if !p.atOpEnd() {
			p.errorExpected("'on'")
		}
		return on, nil
	}
	var conds []ast.Expr
	for {
		conds = append(conds, p.parseExpr())
		if !p.got(token.COMMA) {
			return on, conds
		}
	}
}

// parseTableRef parses the right side of join or lookup, or an element of
// union: a parenthesized pipeline, a name (possibly a wildcard pattern), a
// call such as table("T") or a selector such as workspace("w").T.
func (p *parser) parseTableRef() ast.Expr {
	if p.tok.kind == token.IDENT && p.peek(1).kind == token.MUL && p.peek(1).pos == p.tok.end ||
		p.tok.kind == token.MUL && p.peek(1).kind == token.IDENT && p.peek(1).pos == p.tok.end {
		return p.parsePattern()
	}
	if p.tok.kind == token.MUL {
		return p.parsePattern()
	}
	return p.parseUnary()
}

func (p *parser) parseUnion(kw token.Pos, word string) ast.Operator {
	op := &ast.UnionOp{Keyword: kw, Word: word, Params: p.parseParams("kind", "isfuzzy", "withsource")}
	for {
		op.Tables = append(op.Tables, p.parseTableRef())
		if !p.got(token.COMMA) {
			break
		}
	}
	op.EndPos = p.prevEnd()
	return op
}
