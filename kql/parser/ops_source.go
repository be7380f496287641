package parser

// This file implements the operators that produce rows without an input
// table: print, range, datatable, externaldata, find and search.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func (p *parser) parsePrint(kw token.Pos, word string) ast.Operator {
	op := &ast.PrintOp{Keyword: kw, Word: word, Cols: p.parseColumnDefs()}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseRange(kw token.Pos, word string) ast.Operator {
	op := &ast.RangeOp{Keyword: kw, Word: word, Column: p.parseName()}
	p.expectWord("from")
	op.From = p.parseExpr()
	p.expectWord("to")
	op.To = p.parseExpr()
	p.expectWord("step")
	op.Step = p.parseExpr()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseDatatable(kw token.Pos, word string) ast.Operator {
	op := &ast.DatatableOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.Cols = p.parseColumnDecls()
	op.Lbrack = p.expect(token.LBRACK)
	op.Values = p.parseValueList()
	op.Rbrack = p.expectClose(token.RBRACK, " after values")
	op.EndPos = p.prevEnd()
	return op
}

// parseValueList parses comma-separated expressions up to "]"; a trailing
// comma is allowed.
func (p *parser) parseValueList() []ast.Expr {
	var list []ast.Expr
	for p.tok.kind != token.RBRACK && p.tok.kind != token.EOF {
		list = append(list, p.parseExpr())
		if !p.got(token.COMMA) {
			break
		}
	}
	return list
}

func (p *parser) parseExternalData(kw token.Pos, word string) ast.Operator {
	op := &ast.ExternalDataOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.Cols = p.parseColumnDecls()
	p.expect(token.LBRACK)
	op.URIs = p.parseValueList()
	p.expectClose(token.RBRACK, " after URIs")
	if op.With = p.gotWord("with"); op.With.IsValid() {
		op.Props = p.parseProps()
	}
	op.EndPos = p.prevEnd()
	return op
}

// parseTablesIn parses "in (T1, T2*, …)" of find and search, or returns
// nil when there is none.
func (p *parser) parseTablesIn() []ast.Expr {
	if !p.isWord("in") || p.peek(1).kind != token.LPAREN {
		return nil
	}
	p.next()
	p.next()
	var list []ast.Expr
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		list = append(list, p.parseTableRef())
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, " after tables")
	return list
}

func (p *parser) parseFind(kw token.Pos, word string) ast.Operator {
	op := &ast.FindOp{Keyword: kw, Word: word, Params: p.parseParams("withsource", "datascope", "kind")}
	op.Tables = p.parseTablesIn()
	p.gotWord("where")
	op.Pred = p.parseExpr()
	if w, n := p.opWord(); w == "project" || w == "project-smart" {
		op.ProjectWord = w
		for ; n > 0; n-- {
			p.next()
		}
		if w == "project" {
			op.Cols = p.parseFindColumns()
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

// parseFindColumns parses "Col[:type], …, pack_all()" after find's
// project; the types are checked for syntax only.
func (p *parser) parseFindColumns() []ast.Expr {
	var list []ast.Expr
	for {
		list = append(list, p.parseExpr())
		if p.got(token.COLON) {
			p.parseTypeRef()
		}
		if !p.got(token.COMMA) {
			return list
		}
	}
}

func (p *parser) parseSearch(kw token.Pos, word string) ast.Operator {
	op := &ast.SearchOp{Keyword: kw, Word: word, Params: p.parseParams("kind", "withsource")}
	op.Tables = p.parseTablesIn()
	op.Pred = p.parseSearchPred()
	op.EndPos = p.prevEnd()
	return op
}

// parseSearchPred parses search's predicate, where Col:"text" (a COLON
// BinaryExpr, binding like has) means Col has "text".
func (p *parser) parseSearchPred() ast.Expr {
	p.inSearch = true
	defer func() { p.inSearch = false }()
	return p.parseExpr()
}
