package parser

// This file implements the row and column operators: where, project and
// its relatives, extend, summarize, sort, top, take, sample, count,
// distinct, as, getschema, consume, serialize, render, invoke, evaluate.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func (p *parser) parseWhere(kw token.Pos, word string) ast.Operator {
	op := &ast.WhereOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.Pred = p.parseExpr()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseProject(kw token.Pos, word string) ast.Operator {
	op := &ast.ProjectOp{Keyword: kw, Word: word, Cols: p.parseColumnDefs()}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseExtend(kw token.Pos, word string) ast.Operator {
	op := &ast.ExtendOp{Keyword: kw, Word: word, Cols: p.parseColumnDefs()}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseProjectAway(kw token.Pos, word string) ast.Operator {
	op := &ast.ProjectAwayOp{Keyword: kw, Word: word, Cols: p.parsePatternList()}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseProjectRename(kw token.Pos, word string) ast.Operator {
	op := &ast.ProjectRenameOp{Keyword: kw, Word: word}
	for {
		c := &ast.ColumnDef{Names: []*ast.Ident{p.parseName()}}
		c.Assign = p.expect(token.ASSIGN)
		c.X = p.parseName()
		op.Cols = append(op.Cols, c)
		if !p.got(token.COMMA) {
			break
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseProjectReorder(kw token.Pos, word string) ast.Operator {
	op := &ast.ProjectReorderOp{Keyword: kw, Word: word}
	for {
		op.Cols = append(op.Cols, p.parseSortKey(p.parsePattern()))
		if !p.got(token.COMMA) {
			break
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseSummarize(kw token.Pos, word string) ast.Operator {
	op := &ast.SummarizeOp{Keyword: kw, Word: word, Params: p.parseParams()}
	if !p.isByKeyword() {
		op.Aggs = p.parseColumnDefs()
	}
	if p.isByKeyword() {
		op.By = p.tok.pos
		p.next()
		op.Keys = p.parseColumnDefs()
	}
	op.EndPos = p.prevEnd()
	return op
}

// isByKeyword reports whether the cursor is on "by" used as a keyword
// (not a column named by: "by = x", "by == 1").
func (p *parser) isByKeyword() bool {
	if !p.isWord("by") {
		return false
	}
	switch p.peek(1).kind {
	case token.ASSIGN, token.COMMA:
		return false
	case token.PIPE, token.SEMI, token.EOF, token.RPAREN:
		return true // keys missing: reported by the caller
	}
	op, _ := p.peekBinaryOp(1)
	return op == token.ILLEGAL || p.peek(1).kind == token.SUB || p.peek(1).kind == token.ADD || p.peek(1).kind == token.MUL
}

// peekBinaryOp is binaryOp for the token n places ahead.
func (p *parser) peekBinaryOp(n int) (token.Kind, int) {
	save := p.i
	p.i += n
	if p.i >= len(p.toks) {
		p.i = len(p.toks) - 1
	}
	p.tok = p.toks[p.i]
	k, m := p.binaryOp()
	p.i = save
	p.tok = p.toks[p.i]
	return k, m
}

func (p *parser) parseSort(kw token.Pos, word string) ast.Operator {
	op := &ast.SortOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.By = p.expectWord("by")
	op.Keys = p.parseSortKeys()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseTop(kw token.Pos, word string) ast.Operator {
	op := &ast.TopOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.N = p.parseExpr()
	op.By = p.expectWord("by")
	op.Keys = p.parseSortKeys()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseTake(kw token.Pos, word string) ast.Operator {
	op := &ast.TakeOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.N = p.parseExpr()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseSample(kw token.Pos, word string) ast.Operator {
	op := &ast.SampleOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.N = p.parseExpr()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseSampleDistinct(kw token.Pos, word string) ast.Operator {
	op := &ast.SampleDistinctOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.N = p.parseExpr()
	op.Of = p.expectWord("of")
	op.Col = p.parseExpr()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseCount(kw token.Pos, word string) ast.Operator {
	return &ast.CountOp{Keyword: kw, Word: word, EndPos: p.prevEnd()}
}

func (p *parser) parseDistinct(kw token.Pos, word string) ast.Operator {
	op := &ast.DistinctOp{Keyword: kw, Word: word, Params: p.parseParams()}
	for {
		op.Cols = append(op.Cols, p.parseExpr())
		if !p.got(token.COMMA) {
			break
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseAs(kw token.Pos, word string) ast.Operator {
	op := &ast.AsOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.Table = p.parseName()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseGetSchema(kw token.Pos, word string) ast.Operator {
	return &ast.GetSchemaOp{Keyword: kw, Word: word, EndPos: p.prevEnd()}
}

func (p *parser) parseConsume(kw token.Pos, word string) ast.Operator {
	op := &ast.ConsumeOp{Keyword: kw, Word: word, Params: p.parseParams("decodeblocks")}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseSerialize(kw token.Pos, word string) ast.Operator {
	op := &ast.SerializeOp{Keyword: kw, Word: word}
	if !p.atOpEnd() {
		op.Cols = p.parseColumnDefs()
	}
	op.EndPos = p.prevEnd()
	return op
}

// parseRender parses render Chart [with (props)], also accepting the older
// "render chart kind=stacked title='x'" options without parentheses.
func (p *parser) parseRender(kw token.Pos, word string) ast.Operator {
	op := &ast.RenderOp{Keyword: kw, Word: word, Chart: p.parseName()}
	if op.With = p.gotWord("with"); op.With.IsValid() {
		op.Props = p.parseProps()
	}
	for !p.atOpEnd() {
		n, _ := p.paramNameAt()
		if n == 0 || p.peek(n).kind != token.ASSIGN {
			break
		}
		prm := &ast.Param{Name: p.parseDottedName()}
		prm.Assign = p.expect(token.ASSIGN)
		prm.Value = p.parseExpr()
		op.Props = append(op.Props, prm)
	}
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseInvoke(kw token.Pos, word string) ast.Operator {
	op := &ast.InvokeOp{Keyword: kw, Word: word, Call: p.parseCallOnly()}
	op.EndPos = p.prevEnd()
	return op
}

// parseCallOnly parses name(args), as invoke and evaluate require.
func (p *parser) parseCallOnly() *ast.CallExpr {
	fun := p.parseName()
	if p.tok.kind != token.LPAREN {
		p.errorExpected("'(' after " + fun.Name)
		return &ast.CallExpr{Fun: fun, Lparen: p.tok.pos, Rparen: p.tok.pos}
	}
	return p.parseCall(fun)
}

func (p *parser) parseEvaluate(kw token.Pos, word string) ast.Operator {
	op := &ast.EvaluateOp{Keyword: kw, Word: word, Params: p.parseParams()}
	op.Call = p.parseCallOnly()
	if p.got(token.COLON) {
		op.Schema = p.parseSchema(p.tok.pos)
	}
	op.EndPos = p.prevEnd()
	return op
}
