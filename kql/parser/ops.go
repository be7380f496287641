package parser

// This file dispatches tabular operators by keyword and implements what
// they share: option parameters, column lists and sort keys.

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// opParser parses an operator whose keyword (word, at kw) was consumed.
type opParser func(p *parser, kw token.Pos, word string) ast.Operator

var opParsers map[string]opParser

func init() {
	opParsers = map[string]opParser{
		"where": (*parser).parseWhere, "filter": (*parser).parseWhere,
		"project": (*parser).parseProject, "extend": (*parser).parseExtend,
		"project-away": (*parser).parseProjectAway, "project-keep": (*parser).parseProjectAway,
		"project-rename": (*parser).parseProjectRename, "project-reorder": (*parser).parseProjectReorder,
		"summarize": (*parser).parseSummarize,
		"sort":      (*parser).parseSort, "order": (*parser).parseSort,
		"top": (*parser).parseTop, "take": (*parser).parseTake, "limit": (*parser).parseTake,
		"sample": (*parser).parseSample, "sample-distinct": (*parser).parseSampleDistinct,
		"count": (*parser).parseCount, "distinct": (*parser).parseDistinct,
		"join": (*parser).parseJoin, "lookup": (*parser).parseLookup, "union": (*parser).parseUnion,
		"mv-expand": (*parser).parseMvExpand, "mvexpand": (*parser).parseMvExpand,
		"mv-apply": (*parser).parseMvApply, "mvapply": (*parser).parseMvApply,
		"parse": (*parser).parseParse, "parse-where": (*parser).parseParse,
		"parse-kv":    (*parser).parseParseKV,
		"make-series": (*parser).parseMakeSeries,
		"evaluate":    (*parser).parseEvaluate, "invoke": (*parser).parseInvoke,
		"as": (*parser).parseAs, "getschema": (*parser).parseGetSchema,
		"consume": (*parser).parseConsume, "serialize": (*parser).parseSerialize,
		"render": (*parser).parseRender, "partition": (*parser).parsePartition,
		"scan": (*parser).parseScan, "fork": (*parser).parseFork, "facet": (*parser).parseFacet,
		"top-nested": (*parser).parseTopNested, "top-hitters": (*parser).parseTopHitters,
		"print": (*parser).parsePrint, "range": (*parser).parseRange,
		"datatable": (*parser).parseDatatable, "externaldata": (*parser).parseExternalData,
		"find": (*parser).parseFind, "search": (*parser).parseSearch,
	}
	for w, f := range graphOpParsers {
		opParsers[w] = f
	}
	for w, f := range reduceOpParsers {
		opParsers[w] = f
	}
}

// isSourceOp reports whether the cursor is on an operator that begins a
// pipeline by itself (union, print, range, datatable, externaldata, find,
// search, evaluate), judging by the token after the keyword.
func (p *parser) isSourceOp() bool {
	if p.tok.kind != token.IDENT {
		return false
	}
	next := p.peek(1).kind
	if next == token.IDENT {
		// "find has 'x'" compares a column named find.
		if k, ok := token.LookupWordOp(p.peek(1).lit); ok && k != token.IN {
			return false
		}
	}
	switch p.tok.lit {
	case "print":
		switch next {
		case token.IDENT, token.INT, token.REAL, token.STRING, token.TIMESPAN, token.TYPEDLIT,
			token.LPAREN, token.SUB, token.ADD, token.LBRACK:
			return true
		}
	case "range", "evaluate":
		return next == token.IDENT
	case "find":
		return next == token.IDENT || next == token.STRING
	case "union":
		return next == token.IDENT || next == token.LPAREN || next == token.MUL
	case "datatable", "externaldata":
		return next == token.LPAREN
	case "search":
		return next == token.IDENT || next == token.STRING || next == token.LPAREN || next == token.MUL
	}
	return false
}

// opWord returns the operator keyword at the cursor, joining hyphenated
// words written without spaces (project-away, mv-expand), and how many
// tokens it spans.
func (p *parser) opWord() (string, int) {
	if p.tok.kind != token.IDENT {
		return "", 0
	}
	word, n := p.tok.lit, 1
	for {
		dash, w := p.peek(n), p.peek(n+1)
		if dash.kind != token.SUB || dash.pos != p.peek(n-1).end || w.kind != token.IDENT || w.pos != dash.end {
			return word, n
		}
		word += "-" + w.lit
		n += 2
	}
}

// parseOpGuarded parses one operator; on error it skips to the next "|"
// or ";" at this nesting level and returns a *BadOp.
func (p *parser) parseOpGuarded() ast.Operator {
	from := p.tok.pos
	word, _ := p.opWord()
	nerr := p.nerrs
	op := p.parseOperator()
	if op != nil && p.nerrs == nerr && !p.atOpEnd() {
		p.errorExpected("'|' or ';' after " + op.Name())
	}
	if op == nil || p.nerrs > nerr {
		p.skipTo(true)
		to := p.prevEnd()
		if to < from {
			to = from
		}
		return &ast.BadOp{From: from, To: to, Word: word}
	}
	return op
}

// atOpEnd reports whether the cursor is where an operator may end.
func (p *parser) atOpEnd() bool {
	switch p.tok.kind {
	case token.PIPE, token.SEMI, token.EOF, token.RPAREN, token.RBRACE, token.RBRACK, token.COMMA:
		return true
	}
	return false
}

// parseOperator parses the operator at the cursor, or returns nil after
// reporting an error.
func (p *parser) parseOperator() ast.Operator {
	word, n := p.opWord()
	kw, end := p.tok.pos, p.peek(n-1).end
	if n == 0 {
		p.errorExpected("tabular operator")
		return nil
	}
	parse, ok := opParsers[word]
	if !ok {
		p.addError(kw, end, "unknown tabular operator '"+word+"'")
		return nil
	}
	for ; n > 0; n-- {
		p.next()
	}
	return parse(p, kw, word)
}

// ----------------------------------------------------------------------------
// Shared pieces

// parseParams parses the name=value options at the cursor. Names starting
// with "hint." are always options; otherwise only the given names are.
func (p *parser) parseParams(names ...string) []*ast.Param {
	var list []*ast.Param
	for {
		n, name := p.paramNameAt()
		if n == 0 || p.peek(n).kind != token.ASSIGN {
			return list
		}
		if !strings.HasPrefix(name, "hint.") && !contains(names, name) {
			return list
		}
		prm := &ast.Param{Name: p.parseDottedName()}
		prm.Assign = p.expect(token.ASSIGN)
		prm.Value = p.parseParamValue()
		list = append(list, prm)
	}
}

// paramNameAt returns how many tokens the (dotted) name at the cursor
// spans and the name.
func (p *parser) paramNameAt() (int, string) {
	if p.tok.kind != token.IDENT {
		return 0, ""
	}
	name, n := p.tok.lit, 1
	for p.peek(n).kind == token.DOT && p.peek(n+1).kind == token.IDENT {
		name += "." + p.peek(n+1).lit
		n += 2
	}
	return n, name
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseParamValue parses an option's value: a name (not a call: "kind=inner
// (T)" is followed by the join's right side), a literal, or a signed number.
func (p *parser) parseParamValue() ast.Expr {
	switch p.tok.kind {
	case token.IDENT:
		t := p.tok
		p.next()
		switch t.lit {
		case "true", "false":
			return &ast.BasicLit{ValuePos: t.pos, Kind: token.BOOL, Value: t.lit, EndPos: t.end}
		}
		return &ast.Ident{NamePos: t.pos, Name: t.lit, EndPos: t.end}
	case token.LBRACK:
		return p.parseName()
	}
	return p.parseUnary()
}

// parseColumnDefs parses a non-empty comma-separated list of column
// definitions.
func (p *parser) parseColumnDefs() []*ast.ColumnDef {
	list := []*ast.ColumnDef{p.parseColumnDef()}
	for p.got(token.COMMA) {
		if p.atListEnd() {
			break // Kusto tolerates a trailing comma
		}
		list = append(list, p.parseColumnDef())
	}
	return list
}

// atListEnd reports whether the cursor is after the last element of an
// operator's list: at "|", ";", ")" or the end.
func (p *parser) atListEnd() bool {
	switch p.tok.kind {
	case token.PIPE, token.SEMI, token.EOF, token.RPAREN, token.RBRACE:
		return true
	}
	return false
}

// parseColumnDef parses "Name = X", "(A, B) = X" or a bare "X".
func (p *parser) parseColumnDef() *ast.ColumnDef {
	if n := p.nameTupleAt(); n > 0 {
		c := &ast.ColumnDef{Lparen: p.tok.pos}
		p.next()
		for p.tok.kind != token.RPAREN {
			c.Names = append(c.Names, p.parseName())
			p.got(token.COMMA)
		}
		c.Rparen = p.tok.pos
		p.next()
		c.Assign = p.tok.pos
		p.next()
		c.X = p.parseExpr()
		return c
	}
	if n := p.isNameAt(0); n > 0 && p.peek(n).kind == token.ASSIGN {
		c := &ast.ColumnDef{Names: []*ast.Ident{p.parseName()}, Assign: p.tok.pos}
		p.next()
		c.X = p.parseExpr()
		return c
	}
	return &ast.ColumnDef{X: p.parseExpr()}
}

// nameTupleAt reports whether "(a, b, …) =" is at the cursor and, if so,
// how many tokens come before "=".
func (p *parser) nameTupleAt() int {
	if p.tok.kind != token.LPAREN {
		return 0
	}
	n := 1
	for {
		m := p.isNameAt(n)
		if m == 0 {
			return 0
		}
		n += m
		switch p.peek(n).kind {
		case token.COMMA:
			n++
		case token.RPAREN:
			if p.peek(n+1).kind == token.ASSIGN {
				return n + 1
			}
			return 0
		default:
			return 0
		}
	}
}

// parseSortKeys parses "x [asc|desc] [nulls first|last], …".
func (p *parser) parseSortKeys() []*ast.SortKey {
	var list []*ast.SortKey
	for {
		list = append(list, p.parseSortKey(p.parseExpr()))
		if !p.got(token.COMMA) {
			return list
		}
	}
}

func (p *parser) parseSortKey(x ast.Expr) *ast.SortKey {
	k := &ast.SortKey{X: x}
	if p.isWord("asc") || p.isWord("desc") {
		k.OrderPos, k.Order = p.tok.pos, p.tok.lit
		p.next()
	} else if w, n := p.opWord(); n == 3 && (w == "granny-asc" || w == "granny-desc") {
		k.OrderPos, k.Order = p.tok.pos, w
		p.next()
		p.next()
		p.next()
	}
	if p.isWord("nulls") {
		k.NullsPos = p.tok.pos
		p.next()
		if p.isWord("first") || p.isWord("last") {
			k.Nulls = p.tok.lit
			p.next()
		} else {
			p.errorExpected("'first' or 'last'")
		}
	}
	k.EndPos = p.prevEnd()
	return k
}

// parseIdentList parses a comma-separated list of names or patterns.
func (p *parser) parsePatternList() []*ast.Ident {
	list := []*ast.Ident{p.parsePattern()}
	for p.got(token.COMMA) {
		list = append(list, p.parsePattern())
	}
	return list
}

// parseProps parses "(name = value, …)" as render, externaldata and
// parse-kv take after "with". A value may be a comma-separated list of
// names (render's ycolumns=a, b), kept as its first element.
func (p *parser) parseProps() []*ast.Param {
	var list []*ast.Param
	p.expect(token.LPAREN)
	for p.tok.kind != token.RPAREN && p.tok.kind != token.EOF {
		start := p.i
		if n, _ := p.paramNameAt(); n > 0 && p.peek(n).kind == token.ASSIGN {
			prm := &ast.Param{Name: p.parseDottedName()}
			prm.Assign = p.expect(token.ASSIGN)
			prm.Value = p.parseExpr()
			list = append(list, prm)
		} else {
			p.parseExpr() // extra list element of the previous value
		}
		if !p.got(token.COMMA) || p.i == start {
			break
		}
	}
	p.expectClose(token.RPAREN, " after properties")
	return list
}
