package parser

// This file implements the operators that reshape values into rows and
// columns: mv-expand, mv-apply, parse, parse-where, parse-kv, make-series.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

var mvParams = []string{"bagexpansion", "with_itemindex", "kind"}

func (p *parser) parseMvExpand(kw token.Pos, word string) ast.Operator {
	op := &ast.MvExpandOp{Keyword: kw, Word: word, Params: p.parseParams(mvParams...)}
	op.Items = p.parseMvItems()
	if op.Limit = p.gotWord("limit"); op.Limit.IsValid() {
		op.N = p.parseExpr()
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseMvApply(kw token.Pos, word string) ast.Operator {
	op := &ast.MvApplyOp{Keyword: kw, Word: word, Params: p.parseParams(mvParams...)}
	op.Items = p.parseMvItems()
	if op.Limit = p.gotWord("limit"); op.Limit.IsValid() {
		op.N = p.parseExpr()
	}
	op.On = p.expectWord("on")
	if p.tok.kind != token.LPAREN {
		p.errorExpected("'(' to start the mv-apply sub-query")
		return op
	}
	op.Lparen = p.expect(token.LPAREN)
	op.Body = p.parseSubQuery()
	op.Rparen = p.expectClose(token.RPAREN, " after mv-apply sub-query")
	op.EndPos = p.prevEnd()
	return op
}

// parseMvItems parses "Col [to typeof(T)], Name = Expr [to typeof(T)], …".
func (p *parser) parseMvItems() []*ast.MvExpandItem {
	var items []*ast.MvExpandItem
	for {
		it := &ast.MvExpandItem{Col: p.parseColumnDef()}
		if it.To = p.gotWord("to"); it.To.IsValid() {
			it.ToType = p.parseTypeofType()
		}
		items = append(items, it)
		if !p.got(token.COMMA) {
			return items
		}
	}
}

// parseTypeofType parses typeof(name) and returns the scalar type.
func (p *parser) parseTypeofType() *ast.TypeRef {
	p.expectWord("typeof")
	p.expect(token.LPAREN)
	t := p.parseTypeRef()
	p.expectClose(token.RPAREN, " after type")
	return t
}

func (p *parser) parseParse(kw token.Pos, word string) ast.Operator {
	op := &ast.ParseOp{Keyword: kw, Word: word, Params: p.parseParams("kind", "flags")}
	op.X = p.parseExpr()
	op.With = p.expectWord("with")
	for !p.atOpEnd() {
		part := &ast.ParsePart{}
		switch {
		case p.tok.kind == token.STRING:
			part.Lit = p.parseString()
		case p.tok.kind == token.MUL:
			part.Star = p.tok.pos
			p.next()
		case p.isNameAt(0) > 0:
			part.Col = p.parseName()
			if p.got(token.COLON) {
				part.Type = p.parseTypeRef()
			}
		default:
			p.errorExpected("string, '*' or column in parse pattern")
			return op
		}
		op.Pattern = append(op.Pattern, part)
	}
	if len(op.Pattern) == 0 {
		p.errorExpected("parse pattern")
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseParseKV(kw token.Pos, word string) ast.Operator {
	op := &ast.ParseKVOp{Keyword: kw, Word: word, X: p.parseExpr()}
	op.As = p.expectWord("as")
	op.Cols = p.parseColumnDecls()
	if op.With = p.gotWord("with"); op.With.IsValid() {
		op.Props = p.parseProps()
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseMakeSeries(kw token.Pos, word string) ast.Operator {
	op := &ast.MakeSeriesOp{Keyword: kw, Word: word, Params: p.parseParams("kind")}
	for {
		agg := &ast.MakeSeriesAgg{Col: p.parseColumnDef()}
		if p.isWord("default") && p.peek(1).kind == token.ASSIGN {
			agg.Default = p.tok.pos
			p.next()
			p.next()
			agg.DefaultValue = p.parseExpr()
		}
		op.Aggs = append(op.Aggs, agg)
		if !p.got(token.COMMA) {
			break
		}
	}
	op.On = p.expectWord("on")
	op.Axis = p.parseExpr()
	if p.gotWord("in").IsValid() {
		if !p.isWord("range") {
			p.errorExpected("'range'")
		}
		op.Range = p.parseCallOnly()
	} else {
		if p.gotWord("from").IsValid() {
			op.From = p.parseExpr()
		}
		if p.gotWord("to").IsValid() {
			op.To = p.parseExpr()
		}
		p.expectWord("step")
		op.Step = p.parseExpr()
	}
	if p.isByKeyword() {
		op.By = p.tok.pos
		p.next()
		op.Keys = p.parseColumnDefs()
	}
	op.EndPos = p.prevEnd()
	return op
}
