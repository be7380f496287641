package parser

// This file implements the graph operators: make-graph, graph-match,
// graph-shortest-paths, graph-to-table, graph-mark-components, and the
// graph patterns of graph-match and graph-shortest-paths.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// graphOpParsers are the graph operators, merged into opParsers.
var graphOpParsers = map[string]opParser{
	"make-graph":            (*parser).parseMakeGraph,
	"graph-match":           (*parser).parseGraphMatch,
	"graph-shortest-paths":  (*parser).parseGraphShortestPaths,
	"graph-to-table":        (*parser).parseGraphToTable,
	"graph-mark-components": (*parser).parseGraphMarkComponents,
}

func (p *parser) parseMakeGraph(kw token.Pos, word string) ast.Operator {
	op := &ast.MakeGraphOp{Keyword: kw, Word: word, Source: p.parseName()}
	op.Arrow = p.tok.pos
	if !p.gotArrow(token.SUB, token.SUB, token.GTR) {
		p.errorExpected("'-->'")
	}
	op.Target = p.parseName()
	op.Params = p.parseParams("with_node_id")
	if op.With = p.gotWord("with"); op.With.IsValid() {
		for {
			n := &ast.GraphNodesTable{Table: p.parseTableRef()}
			n.On = p.expectWord("on")
			n.Key = p.parseName()
			op.Nodes = append(op.Nodes, n)
			if !p.got(token.COMMA) {
				break
			}
		}
		op.Params = append(op.Params, p.parseParams("with_node_id")...)
	}
	if w, n := p.opWord(); n == 3 && w == "partitioned-by" {
		op.Partition = p.tok.pos
		p.next()
		p.next()
		p.next()
		op.PartCol = p.parseName()
		op.Lparen = p.expect(token.LPAREN)
		op.Body = p.parseSubQuery()
		op.Rparen = p.expectClose(token.RPAREN, " after partitioned-by sub-query")
	}
	op.EndPos = p.prevEnd()
	return op
}

// gotArrow consumes the tokens of an arrow such as "-->" written without
// spaces, reporting whether they were there.
func (p *parser) gotArrow(kinds ...token.Kind) bool {
	for i, k := range kinds {
		t := p.peek(i)
		if t.kind != k || i > 0 && t.pos != p.peek(i-1).end {
			return false
		}
	}
	for range kinds {
		p.next()
	}
	return true
}

func (p *parser) parseGraphMatch(kw token.Pos, word string) ast.Operator {
	op := &ast.GraphMatchOp{Keyword: kw, Word: word, Params: p.parseParams("cycles")}
	op.Patterns, op.Where, op.Pred, op.Project, op.Cols = p.parseGraphQuery()
	op.EndPos = p.prevEnd()
	return op
}

func (p *parser) parseGraphShortestPaths(kw token.Pos, word string) ast.Operator {
	op := &ast.GraphShortestPathsOp{Keyword: kw, Word: word, Params: p.parseParams("output")}
	op.Patterns, op.Where, op.Pred, op.Project, op.Cols = p.parseGraphQuery()
	op.EndPos = p.prevEnd()
	return op
}

// parseGraphQuery parses "Patterns [where Pred] project Cols".
func (p *parser) parseGraphQuery() (pats []*ast.GraphPath, where token.Pos, pred ast.Expr, project token.Pos, cols []*ast.ColumnDef) {
	pats = append(pats, p.parseGraphPath())
	for p.tok.kind == token.COMMA && p.peek(1).kind == token.LPAREN {
		p.next()
		pats = append(pats, p.parseGraphPath())
	}
	if where = p.gotWord("where"); where.IsValid() {
		pred = p.parseExpr()
	}
	if !p.isWord("project") {
		p.errorExpected("'project'")
		return
	}
	project = p.tok.pos
	p.next()
	cols = p.parseColumnDefs()
	return
}

// parseGraphPath parses node (edge node)*.
func (p *parser) parseGraphPath() *ast.GraphPath {
	g := &ast.GraphPath{Nodes: []*ast.GraphNode{p.parseGraphNode()}}
	for p.isGraphEdgeStart() {
		g.Edges = append(g.Edges, p.parseGraphEdge())
		g.Nodes = append(g.Nodes, p.parseGraphNode())
	}
	return g
}

// isGraphEdgeStart reports whether an edge ("-" or "<-") is at the cursor.
func (p *parser) isGraphEdgeStart() bool {
	switch p.tok.kind {
	case token.SUB:
		return true
	case token.LSS:
		return p.peek(1).kind == token.SUB
	}
	return false
}

// parseGraphNode parses "(" [name] [":" labels] ")".
func (p *parser) parseGraphNode() *ast.GraphNode {
	n := &ast.GraphNode{Lparen: p.tok.pos}
	if p.tok.kind != token.LPAREN {
		p.errorExpected("'(' starting a graph node")
		n.Rparen = p.tok.pos
		return n
	}
	p.next()
	if p.isNameAt(0) > 0 {
		n.Name = p.parseName()
	}
	n.Labels = p.parseGraphLabels()
	n.Rparen = p.expectClose(token.RPAREN, " after graph node")
	return n
}

// parseGraphLabels parses ":" Label {"|" Label}, or nothing.
func (p *parser) parseGraphLabels() []*ast.Ident {
	if !p.got(token.COLON) {
		return nil
	}
	list := []*ast.Ident{p.parseName()}
	for p.got(token.PIPE) {
		list = append(list, p.parseName())
	}
	return list
}

// parseGraphEdge parses one of -[…]->, <-[…]-, -[…]-, -->, <--, --.
func (p *parser) parseGraphEdge() *ast.GraphEdge {
	e := &ast.GraphEdge{From: p.tok.pos, Dir: ast.GraphRight}
	left := p.tok.kind == token.LSS
	if left {
		e.Dir = ast.GraphLeft
		p.next()
	}
	p.next() // the first "-"
	if p.tok.kind != token.LBRACK {
		return p.finishShortEdge(e, left)
	}
	e.Lbrack = p.tok.pos
	p.next()
	if p.isNameAt(0) > 0 {
		e.Name = p.parseName()
	}
	e.Labels = p.parseGraphLabels()
	if p.tok.kind == token.MUL {
		e.Star = p.tok.pos
		p.next()
		e.Min = p.parseUnary()
		if p.got(token.DOTDOT) {
			e.Max = p.parseUnary()
		}
	}
	e.Rbrack = p.expectClose(token.RBRACK, " after graph edge")
	p.expect(token.SUB)
	if !left && p.tok.kind == token.GTR {
		p.next()
	} else if !left {
		e.Dir = ast.GraphAny
	}
	e.EndPos = p.prevEnd()
	return e
}

// finishShortEdge parses the rest of -->, <-- or -- after the first "-".
func (p *parser) finishShortEdge(e *ast.GraphEdge, left bool) *ast.GraphEdge {
	p.expect(token.SUB)
	switch {
	case left:
	case p.tok.kind == token.GTR:
		p.next()
	default:
		e.Dir = ast.GraphAny
	}
	e.EndPos = p.prevEnd()
	return e
}

func (p *parser) parseGraphToTable(kw token.Pos, word string) ast.Operator {
	op := &ast.GraphToTableOp{Keyword: kw, Word: word}
	for {
		op.Outputs = append(op.Outputs, p.parseGraphTableOutput())
		if !p.got(token.COMMA) {
			break
		}
	}
	op.EndPos = p.prevEnd()
	return op
}

// parseGraphTableOutput parses "nodes|edges" with its as and options, in
// any order.
func (p *parser) parseGraphTableOutput() *ast.GraphTableOutput {
	o := &ast.GraphTableOutput{KindPos: p.tok.pos}
	if !p.isWord("nodes") && !p.isWord("edges") {
		p.errorExpected("'nodes' or 'edges'")
		o.EndPos = p.tok.pos
		return o
	}
	o.Kind = p.tok.lit
	p.next()
	for {
		if p.isWord("as") && o.Name == nil {
			o.As = p.tok.pos
			p.next()
			o.Name = p.parseName()
			continue
		}
		ps := p.parseParams("with_node_id", "with_source_id", "with_target_id")
		if len(ps) == 0 {
			break
		}
		o.Params = append(o.Params, ps...)
	}
	o.EndPos = p.prevEnd()
	return o
}

func (p *parser) parseGraphMarkComponents(kw token.Pos, word string) ast.Operator {
	op := &ast.GraphMarkComponentsOp{Keyword: kw, Word: word, Params: p.parseParams("kind", "with_component_id")}
	op.EndPos = p.prevEnd()
	return op
}
