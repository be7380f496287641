package parser

// This file implements statements (let, set, declare, query statements)
// and user functions (FuncLit) with their parameters and types.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// parseStmtList parses statements separated by ";" up to closer (EOF, or
// "}" in a function body), appending them to *list as it goes so that a
// bailout keeps what was parsed. Empty statements are skipped.
func (p *parser) parseStmtList(closer token.Kind, list *[]ast.Stmt) {
	for p.tok.kind != token.EOF && p.tok.kind != closer {
		if p.got(token.SEMI) {
			continue
		}
		start := p.i
		s := p.parseStmt()
		if p.i == start { // nothing parsed: the error is reported
			from := p.tok.pos
			p.skipStmt(closer)
			*list = append(*list, &ast.BadStmt{From: from, To: p.prevEnd()})
			continue
		}
		*list = append(*list, s)
		if p.got(token.SEMI) || p.tok.kind == token.EOF || p.tok.kind == closer {
			continue
		}
		p.errorExpected("';' or '|'")
		from := p.tok.pos
		p.skipStmt(closer)
		*list = append(*list, &ast.BadStmt{From: from, To: p.prevEnd()})
	}
}

// skipStmt skips to the next ";" at this level, or to closer, skipping
// unmatched closing brackets too.
func (p *parser) skipStmt(closer token.Kind) {
	for {
		p.skipTo(false)
		switch p.tok.kind {
		case token.SEMI, token.EOF, closer:
			return
		}
		p.next() // an unmatched closing bracket
	}
}

// parseStmt parses one statement, which holds Bad nodes where parsing
// failed.
func (p *parser) parseStmt() ast.Stmt {
	switch {
	case p.isWord("let"):
		return p.parseLet()
	case p.isWord("set") && p.peek(1).kind == token.IDENT && p.isSetName():
		return p.parseSet()
	case p.isWord("declare") && p.peekWord(1, "query_parameters"):
		return p.parseDeclare()
	}
	return &ast.ExprStmt{X: p.parsePipeExpr()}
}

// isSetName reports whether "set" is followed by an option name (dotted)
// and then "=", ";" or the end: then it is a set statement.
func (p *parser) isSetName() bool {
	n := 1
	for p.peek(n).kind == token.IDENT {
		n++
		if p.peek(n).kind != token.DOT {
			break
		}
		n++
	}
	switch p.peek(n).kind {
	case token.ASSIGN, token.SEMI, token.EOF:
		return true
	}
	return false
}

func (p *parser) parseLet() ast.Stmt {
	s := &ast.LetStmt{Let: p.tok.pos}
	p.next()
	s.Name = p.parseName()
	s.Assign = p.expect(token.ASSIGN)
	s.Value = p.parseLetValue()
	return s
}

// parseLetValue parses the value of a let: a lambda, a view, or a scalar
// or tabular expression.
func (p *parser) parseLetValue() ast.Expr {
	if p.isWord("view") && p.peek(1).kind == token.LPAREN {
		view := p.tok.pos
		p.next()
		f := p.parseFuncLit()
		f.View = view
		return f
	}
	if p.tok.kind == token.LPAREN && p.isFuncLit() {
		return p.parseFuncLit()
	}
	return p.parsePipeExpr()
}

// isFuncLit reports whether the "(" at the cursor closes on a ")" that is
// followed by "{": a lambda's parameter list.
func (p *parser) isFuncLit() bool {
	depth := 0
	for n := 0; ; n++ {
		switch p.peek(n).kind {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if depth == 0 {
				return p.peek(n+1).kind == token.LBRACE
			}
		case token.EOF, token.SEMI, token.PIPE:
			return false
		}
	}
}

func (p *parser) parseFuncLit() *ast.FuncLit {
	f := &ast.FuncLit{Lparen: p.expect(token.LPAREN)}
	f.Params = p.parseParamList()
	f.Rparen = p.expectClose(token.RPAREN, " after parameters")
	f.Lbrace = p.expect(token.LBRACE)
	p.enter()
	p.parseStmtList(token.RBRACE, &f.Body)
	p.leave()
	if len(f.Body) == 0 {
		p.errorExpected("function body")
	}
	f.Rbrace = p.expectClose(token.RBRACE, " after function body")
	return f
}

// parseParamList parses "name:type [= default], …" up to ")".
func (p *parser) parseParamList() []*ast.FuncParam {
	var list []*ast.FuncParam
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		prm := &ast.FuncParam{Name: p.parseName()}
		p.expect(token.COLON)
		prm.Type = p.parseTypeRef()
		if p.got(token.ASSIGN) {
			prm.Default = p.parseExpr()
		}
		list = append(list, prm)
		if !p.got(token.COMMA) {
			break
		}
	}
	return list
}

// parseTypeRef parses a scalar type name or a tabular schema "(…)".
func (p *parser) parseTypeRef() *ast.TypeRef {
	if p.tok.kind == token.LPAREN {
		return &ast.TypeRef{Tabular: p.parseSchema(p.tok.pos)}
	}
	if p.tok.kind != token.IDENT {
		p.errorExpected("type")
		return &ast.TypeRef{NamePos: p.tok.pos, EndPos: p.tok.pos}
	}
	t := &ast.TypeRef{NamePos: p.tok.pos, Name: p.tok.lit, EndPos: p.tok.end}
	p.next()
	return t
}

// parseSchema parses "(col:type, …, *)" with the cursor on "("; start is
// the schema's position (typeof or the parenthesis).
func (p *parser) parseSchema(start token.Pos) *ast.SchemaExpr {
	s := &ast.SchemaExpr{Typeof: start}
	p.expect(token.LPAREN)
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		if p.got(token.MUL) {
			s.Star = true
		} else {
			s.Cols = append(s.Cols, p.parseColumnDecl())
		}
		if !p.got(token.COMMA) {
			break
		}
	}
	s.Rparen = p.expectClose(token.RPAREN, " after schema")
	return s
}

// parseColumnDecl parses "name:type" or, in typeof(long), a bare type.
func (p *parser) parseColumnDecl() *ast.ColumnDecl {
	d := &ast.ColumnDecl{Name: p.parseName()}
	if p.got(token.COLON) {
		d.Type = p.parseTypeRef()
	}
	return d
}

// parseColumnDecls parses "(name:type, …)" as datatable, externaldata and
// parse-kv declare their columns.
func (p *parser) parseColumnDecls() []*ast.ColumnDecl {
	var list []*ast.ColumnDecl
	p.expect(token.LPAREN)
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		d := &ast.ColumnDecl{Name: p.parseName()}
		p.expect(token.COLON)
		d.Type = p.parseTypeRef()
		list = append(list, d)
		if !p.got(token.COMMA) {
			break
		}
	}
	p.expectClose(token.RPAREN, " after column declarations")
	return list
}

func (p *parser) parseSet() ast.Stmt {
	s := &ast.SetStmt{Set: p.tok.pos}
	p.next()
	s.Name = p.parseDottedName()
	if p.tok.kind == token.ASSIGN {
		s.Assign = p.tok.pos
		p.next()
		s.Value = p.parseExpr()
	}
	return s
}

// parseDottedName parses a.b.c (no spaces needed) into one Ident.
func (p *parser) parseDottedName() *ast.Ident {
	id := p.parseName()
	for p.tok.kind == token.DOT && p.peek(1).kind == token.IDENT {
		p.next()
		id.Name += "." + p.tok.lit
		id.EndPos = p.tok.end
		p.next()
	}
	return id
}

func (p *parser) parseDeclare() ast.Stmt {
	s := &ast.DeclareStmt{Declare: p.tok.pos}
	p.next() // declare
	p.next() // query_parameters
	s.Lparen = p.expect(token.LPAREN)
	s.Params = p.parseParamList()
	s.Rparen = p.expectClose(token.RPAREN, " after query parameters")
	return s
}
