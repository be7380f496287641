package parser

import (
	"errors"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

var graphParseCases = []struct{ src, want string }{
	{`E | make-graph a --> b`,
		`(| E MakeGraphOp{Source:a Target:b})`},
	{`E | make-graph a --> b with_node_id=name`,
		`(| E MakeGraphOp{Source:a Target:b Params:[Param{Name:with_node_id Value:name}]})`},
	{`E | make-graph a --> b with N on id, (M | where x) on k`,
		`(| E MakeGraphOp{Source:a Target:b Nodes:[GraphNodesTable{Table:N Key:id} GraphNodesTable{Table:(paren (| M WhereOp{Pred:x})) Key:k}]})`},
	{`E | make-graph a --> b with N on id partitioned-by t (graph-match (x)-->(y) project x.id)`,
		`(| E MakeGraphOp{Source:a Target:b Nodes:[GraphNodesTable{Table:N Key:id}] PartCol:t Body:(| nil GraphMatchOp{Patterns:[GraphPath{Nodes:[GraphNode{Name:x} GraphNode{Name:y}] Edges:[GraphEdge{}]}] Cols:[x.id]})})`},
	{`G | graph-match (a)-[e]->(b) project a.x`,
		`(| G GraphMatchOp{Patterns:[GraphPath{Nodes:[GraphNode{Name:a} GraphNode{Name:b}] Edges:[GraphEdge{Name:e}]}] Cols:[a.x]})`},
	{`G | graph-match cycles=none (a)<-[e*1..3]-(b)--(c)<--()-[*2]-(d) where a.x == 1 project n = node_id(b)`,
		`(| G GraphMatchOp{Params:[Param{Name:cycles Value:none}] Patterns:[GraphPath{Nodes:[GraphNode{Name:a} GraphNode{Name:b} GraphNode{Name:c} GraphNode{} GraphNode{Name:d}] Edges:[GraphEdge{Dir:1 Name:e Min:1 Max:3} GraphEdge{Dir:2} GraphEdge{Dir:1} GraphEdge{Dir:2 Min:2}]}] Pred:(== a.x 1) Cols:[[n]=node_id(b)]})`},
	{`G | graph-match (a:Person|Bot)-[w:WorksAt]->(c), (a)-->(d) project a`,
		`(| G GraphMatchOp{Patterns:[GraphPath{Nodes:[GraphNode{Name:a Labels:[Person Bot]} GraphNode{Name:c}] Edges:[GraphEdge{Name:w Labels:[WorksAt]}]} GraphPath{Nodes:[GraphNode{Name:a} GraphNode{Name:d}] Edges:[GraphEdge{}]}] Cols:[a]})`},
	{`G | graph-match (return)-[project*1..2]->(where) project where.x`,
		`(| G GraphMatchOp{Patterns:[GraphPath{Nodes:[GraphNode{Name:return} GraphNode{Name:where}] Edges:[GraphEdge{Name:project Min:1 Max:2}]}] Cols:[where.x]})`},
	{`G | graph-shortest-paths output=all (s)-[e*1..n]->(t) where s.id == 1 project map(e, w)`,
		`(| G GraphShortestPathsOp{Params:[Param{Name:output Value:all}] Patterns:[GraphPath{Nodes:[GraphNode{Name:s} GraphNode{Name:t}] Edges:[GraphEdge{Name:e Min:1 Max:n}]}] Pred:(== s.id 1) Cols:[map(e w)]})`},
	{`G | graph-to-table nodes`,
		`(| G GraphToTableOp{Outputs:[GraphTableOutput{Kind:"nodes"}]})`},
	{`G | graph-to-table edges with_source_id=S with_target_id=T as E`,
		`(| G GraphToTableOp{Outputs:[GraphTableOutput{Kind:"edges" Name:E Params:[Param{Name:with_source_id Value:S} Param{Name:with_target_id Value:T}]}]})`},
	{`G | graph-to-table nodes as N with_node_id=Id, edges as E`,
		`(| G GraphToTableOp{Outputs:[GraphTableOutput{Kind:"nodes" Name:N Params:[Param{Name:with_node_id Value:Id}]} GraphTableOutput{Kind:"edges" Name:E}]})`},
	{`G | graph-mark-components kind=strong with_component_id=c`,
		`(| G GraphMarkComponentsOp{Params:[Param{Name:kind Value:strong} Param{Name:with_component_id Value:c}]})`},
	{`graph("G") | graph-match (a) project a.x`,
		`(| graph("G") GraphMatchOp{Patterns:[GraphPath{Nodes:[GraphNode{Name:a}]}] Cols:[a.x]})`},
}

func TestParseGraph(t *testing.T) {
	for _, c := range graphParseCases {
		q, err := Parse(token.NewFile("", c.src))
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if got := dumpStmts(q.Stmts); got != c.want {
			t.Errorf("%q:\n   got: %s\n  want: %s", c.src, got, c.want)
		}
		if bad := checkPositions(q, c.src); len(bad) > 0 {
			t.Errorf("%q: bad positions: %v", c.src, bad)
		}
	}
}

func TestParseGraphErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"E | make-graph a -> b", "1:18: expected '-->', found '-'"},
		{"E | make-graph a --> b with N", "1:30: expected 'on', found end of query"},
		{"G | graph-match (a)-->(b)", "1:26: expected 'project', found end of query"},
		{"G | graph-match a-->(b) project a", "1:17: expected '(' starting a graph node, found 'a'"},
		{"G | graph-match (a)-(b) project a", "1:21: expected '-', found '('"},
		{"G | graph-match (a)-[e*1..]->(b) project a", "1:27: expected expression, found ']'"},
		{"G | graph-to-table vertices", "1:20: expected 'nodes' or 'edges', found 'vertices'"},
		{"E | make-graph a --> b partitioned-by t graph-match (a) project a", "1:41: expected '(', found 'graph'"},
	}
	for _, c := range tests {
		q, err := Parse(token.NewFile("", c.src))
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Errorf("%q: err = %v, want %s", c.src, err, c.want)
			continue
		}
		if got := list[0].Error(); got != c.want {
			t.Errorf("%q: got %s, want %s", c.src, got, c.want)
		}
		if _, ok := q.Stmts[0].(*ast.ExprStmt).X.(*ast.PipeExpr).Op.(*ast.BadOp); !ok {
			t.Errorf("%q: the operator is not a BadOp", c.src)
		}
	}
}

func FuzzParseGraph(f *testing.F) {
	for _, c := range graphParseCases {
		f.Add(c.src)
	}
	f.Add("E | make-graph a --> b with N on k | graph-match (x)-[e*0..2]-(y)<-[f]-(x) where all(e, w > 1) project x.k, map(inner_nodes(e), node_id())")
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(token.NewFile("fuzz", src))
		if hasInternalError(err) {
			t.Fatal(err)
		}
		if err == nil {
			if bad := checkPositions(q, src); len(bad) > 0 {
				t.Fatalf("bad positions: %v", bad)
			}
		}
		ast.Inspect(q, func(ast.Node) bool { return true })
	})
}
