package parser

// This file implements the operators that run sub-queries or keep state:
// partition, scan, fork, facet, top-nested and top-hitters.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func (p *parser) parsePartition(kw token.Pos, word string) ast.Operator {
	op := &ast.PartitionOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.By = p.expectWord("by")
	op.Col = p.parseName()
	switch p.tok.kind {
	case token.LPAREN:
		op.Lparen = p.tok.pos
		p.next()
		op.Body = p.parseSubQuery()
		op.Rparen = p.expectClose(token.RPAREN, " after partition sub-query")
	case token.LBRACE:
		op.Brace = true
		op.Lparen = p.tok.pos
		p.next()
		op.Body = p.parsePipeExpr()
		op.Rparen = p.expectClose(token.RBRACE, " after partition sub-query")
	default:
		p.errorExpected("'(' or '{'")
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseScan(kw token.Pos, word string) ast.Operator {
	op := &ast.ScanOp{Keyword: kw, Word: word, Params: p.parseParams("with_match_id")}
	for {
		switch {
		case p.isWord("order") && p.peekWord(1, "by"):
			p.next()
			p.next()
			op.OrderBy = p.parseSortKeys()
		case p.isWord("partition") && p.peekWord(1, "by"):
			p.next()
			p.next()
			op.Partition = append(op.Partition, p.parseExpr())
			for p.got(token.COMMA) {
				op.Partition = append(op.Partition, p.parseExpr())
			}
		case p.isWord("declare") && p.peek(1).kind == token.LPAREN:
			p.next()
			op.Declare = p.parseScanDeclare()
		default:
			p.expectWord("with")
			p.expect(token.LPAREN)
			for p.isWord("step") {
				op.Steps = append(op.Steps, p.parseScanStep())
				if !p.got(token.SEMI) {
					break
				}
			}
			if len(op.Steps) == 0 {
				p.errorExpected("'step'")
			}
			p.expectClose(token.RPAREN, " after scan steps")
			op.EndPos = p.prevEnd()
			return op
		}
	}
}

// parseScanDeclare parses "(name:type [= default], …)". Defaults are
// checked for syntax but not kept: ColumnDecl has no place for them.
func (p *parser) parseScanDeclare() []*ast.ColumnDecl {
	var list []*ast.ColumnDecl
	p.expect(token.LPAREN)
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		d := &ast.ColumnDecl{Name: p.parseName()}
		p.expect(token.COLON)
		d.Type = p.parseTypeRef()
		if p.got(token.ASSIGN) {
			p.parseExpr()
		}
		list = append(list, d)
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, " after declarations")
	return list
}

func (p *parser) parseScanStep() *ast.ScanStep {
	s := &ast.ScanStep{Step: p.tok.pos}
	p.next()
	s.Name = p.parseName()
	s.Params = p.parseParams("output")
	p.expect(token.COLON)
	s.Cond = p.parseExpr()
	if p.tok.kind == token.ARROW {
		s.Arrow = p.tok.pos
		p.next()
		s.Assigns = p.parseColumnDefs()
	}
	s.EndPos = p.prevEnd()
	return s
}

func (p *parser) parseFork(kw token.Pos, word string) ast.Operator {
	op := &ast.ForkOp{Keyword: kw, Word: word}
	for {
		b := &ast.ForkBranch{}
		if n := p.isNameAt(0); n > 0 && p.peek(n).kind == token.ASSIGN {
			b.Name = p.parseName()
			p.next()
		}
		if p.tok.kind != token.LPAREN {
			if len(op.Branches) == 0 || b.Name != nil {
				p.errorExpected("'(' to start a fork branch")
			}
			break
		}
		b.Lparen = p.tok.pos
		p.next()
		b.Body = p.parseSubQuery()
		b.Rparen = p.expectClose(token.RPAREN, " after fork branch")
		op.Branches = append(op.Branches, b)
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseFacet(kw token.Pos, word string) ast.Operator {
	op := &ast.FacetOp{Keyword: kw, Word: word}
	op.By = p.expectWord("by")
	op.Cols = p.parsePatternList()
	if p.isWord("with") && p.peek(1).kind == token.LPAREN {
		op.With = p.tok.pos
		p.next()
		p.next()
		op.Body = p.parseSubQuery()
		p.expectClose(token.RPAREN, " after facet sub-query")
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseTopNested(kw token.Pos, word string) ast.Operator {
	op := &ast.TopNestedOp{Keyword: kw, Word: word}
	for {
		op.Levels = append(op.Levels, p.parseTopNestedLevel())
		if p.tok.kind != token.COMMA {
			break
		}
		p.next()
		if w, n := p.opWord(); w != "top-nested" {
			p.errorExpected("'top-nested'")
			break
		} else {
			for ; n > 0; n-- {
				p.next()
			}
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseTopNestedLevel() *ast.TopNestedLevel {
	l := &ast.TopNestedLevel{}
	if !p.isWord("of") {
		l.N = p.parseExpr()
	}
	l.Of = p.expectWord("of")
	l.Col = p.parseColumnDef()
	if p.isWord("with") && p.peekWord(1, "others") {
		p.next()
		p.next()
		p.expect(token.ASSIGN)
		l.Others = p.parseExpr()
	}
	l.By = p.expectWord("by")
	l.Agg = p.parseColumnDef()
	if p.isWord("asc") || p.isWord("desc") {
		l.Order = p.tok.lit
		p.next()
	}
	l.EndPos = p.prevEnd()
	return l
}

func (p *parser) parseTopHitters(kw token.Pos, word string) ast.Operator {
	op := &ast.TopHittersOp{Keyword: kw, Word: word, N: p.parseExpr()}
	op.Of = p.expectWord("of")
	op.Col = p.parseExpr()
	if op.By = p.gotWord("by"); op.By.IsValid() {
		op.Weight = p.parseExpr()
	}
	op.EndPos = p.prevEnd()
	return op
}
