package printer

// This file prints the graph operators (make-graph, graph-match,
// graph-shortest-paths, graph-to-table, graph-mark-components) and graph
// patterns.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
)

// graphOp prints a graph operator and reports whether o was one.
func (p *printer) graphOp(o ast.Operator) bool {
	switch o := o.(type) {
	case *ast.MakeGraphOp:
		p.makeGraph(o)
	case *ast.GraphMatchOp:
		p.kw(o.Word, o.Params)
		p.graphQuery(o.Patterns, o.Pred, o.Cols)
	case *ast.GraphShortestPathsOp:
		p.kw(o.Word, o.Params)
		p.graphQuery(o.Patterns, o.Pred, o.Cols)
	case *ast.GraphToTableOp:
		p.write(o.Word + " ")
		list(p, o.Outputs, p.graphTableOutput)
	case *ast.GraphMarkComponentsOp:
		p.kw(o.Word, o.Params)
	default:
		return false
	}
	return true
}

// graphHelper prints the helper nodes of graph operators.
func (p *printer) graphHelper(n ast.Node) {
	switch n := n.(type) {
	case *ast.GraphNodesTable:
		p.graphNodesTable(n)
	case *ast.GraphPath:
		p.graphPath(n)
	case *ast.GraphNode:
		p.graphNode(n)
	case *ast.GraphEdge:
		p.graphEdge(n)
	case *ast.GraphTableOutput:
		p.graphTableOutput(n)
	}
}

func (p *printer) makeGraph(o *ast.MakeGraphOp) {
	p.write(o.Word + " ")
	p.ident(o.Source)
	p.write(" --> ")
	p.ident(o.Target)
	p.params(o.Params)
	if len(o.Nodes) > 0 {
		p.write(" with ")
		list(p, o.Nodes, p.graphNodesTable)
	}
	if o.PartCol != nil {
		p.write(" partitioned-by ")
		p.ident(o.PartCol)
		p.write(" ")
		p.subquery("(", ")", o.Lparen, o.Rparen, o.Body)
	}
}

func (p *printer) graphNodesTable(n *ast.GraphNodesTable) {
	p.expr(n.Table)
	p.write(" on ")
	p.ident(n.Key)
}

// graphQuery writes " Patterns [where Pred] project Cols".
func (p *printer) graphQuery(pats []*ast.GraphPath, pred ast.Expr, cols []*ast.ColumnDef) {
	p.write(" ")
	list(p, pats, p.graphPath)
	if pred != nil {
		p.write(" where ")
		p.expr(pred)
	}
	p.write(" project ")
	p.columnDefs(cols)
}

func (p *printer) graphPath(g *ast.GraphPath) {
	for i, n := range g.Nodes {
		if i > 0 {
			p.graphEdge(g.Edges[i-1])
		}
		p.graphNode(n)
	}
}

func (p *printer) graphNode(n *ast.GraphNode) {
	p.write("(")
	if n.Name != nil {
		p.ident(n.Name)
	}
	p.graphLabels(n.Labels)
	p.write(")")
}

func (p *printer) graphLabels(ls []*ast.Ident) {
	for i, l := range ls {
		if i == 0 {
			p.write(":")
		} else {
			p.write("|")
		}
		p.ident(l)
	}
}

func (p *printer) graphEdge(e *ast.GraphEdge) {
	open, close := "-", "-"
	switch e.Dir {
	case ast.GraphRight:
		close = "->"
	case ast.GraphLeft:
		open = "<-"
	}
	if e.Name == nil && len(e.Labels) == 0 && e.Min == nil {
		p.write(open + close)
		return
	}
	p.write(open + "[")
	if e.Name != nil {
		p.ident(e.Name)
	}
	p.graphLabels(e.Labels)
	if e.Min != nil {
		p.write("*")
		p.expr(e.Min)
		if e.Max != nil {
			p.write("..")
			p.expr(e.Max)
		}
	}
	p.write("]" + close)
}

func (p *printer) graphTableOutput(o *ast.GraphTableOutput) {
	p.write(o.Kind)
	if o.Name != nil {
		p.write(" as ")
		p.ident(o.Name)
	}
	p.params(o.Params)
}
