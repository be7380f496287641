package ast

import "github.com/vigil-hunt/vigil/kql/token"

// This file declares the graph operators (make-graph, graph-match,
// graph-shortest-paths, graph-to-table, graph-mark-components) and the
// pieces of graph patterns. A persistent graph, graph("Name"), is an
// ordinary *CallExpr in source position.

// MakeGraphOp is make-graph Source --> Target [with_node_id=Name] [with
// Nodes on Key, …] [partitioned-by Col (Body)]. Body is a pipeline of
// graph operators whose input (each partition's graph) is implied.
type MakeGraphOp struct {
	Keyword   token.Pos
	Word      string
	Source    *Ident
	Arrow     token.Pos // position of "-->"
	Target    *Ident
	Params    []*Param  // with_node_id=Name
	With      token.Pos // NoPos without a with clause
	Nodes     []*GraphNodesTable
	Partition token.Pos // position of "partitioned-by"; NoPos without
	PartCol   *Ident
	Lparen    token.Pos
	Body      Expr
	Rparen    token.Pos
	EndPos    token.Pos
}

// GraphNodesTable is "Nodes on Key" in make-graph's with clause.
type GraphNodesTable struct {
	Table Expr
	On    token.Pos
	Key   *Ident
}

func (n *GraphNodesTable) Pos() token.Pos { return n.Table.Pos() }
func (n *GraphNodesTable) End() token.Pos { return n.Key.End() }

// GraphMatchOp is graph-match [cycles=…] Patterns [where Pred] project
// Cols. Patterns are comma-separated sequences sharing node names.
type GraphMatchOp struct {
	Keyword  token.Pos
	Word     string
	Params   []*Param
	Patterns []*GraphPath
	Where    token.Pos // NoPos without a where clause
	Pred     Expr      // nil without a where clause
	Project  token.Pos
	Cols     []*ColumnDef
	EndPos   token.Pos
}

// GraphShortestPathsOp is graph-shortest-paths [output=any|all] Pattern
// [where Pred] project Cols; the fields are those of GraphMatchOp.
type GraphShortestPathsOp struct {
	Keyword  token.Pos
	Word     string
	Params   []*Param
	Patterns []*GraphPath
	Where    token.Pos
	Pred     Expr
	Project  token.Pos
	Cols     []*ColumnDef
	EndPos   token.Pos
}

// GraphPath is one sequence of a graph pattern: Nodes[0] Edges[0]
// Nodes[1] … Nodes[n]; len(Edges) == len(Nodes)-1.
type GraphPath struct {
	Nodes []*GraphNode
	Edges []*GraphEdge
}

func (g *GraphPath) Pos() token.Pos { return g.Nodes[0].Pos() }
func (g *GraphPath) End() token.Pos { return g.Nodes[len(g.Nodes)-1].End() }

// GraphNode is a node of a pattern: (name), (name:Label|Other) or ().
type GraphNode struct {
	Lparen token.Pos
	Name   *Ident   // nil for an anonymous node
	Labels []*Ident // after ":", alternatives separated by "|"
	Rparen token.Pos
}

func (n *GraphNode) Pos() token.Pos { return n.Lparen }
func (n *GraphNode) End() token.Pos { return n.Rparen + 1 }

// GraphDir is the direction of a pattern edge, read left to right.
type GraphDir uint8

const (
	GraphRight GraphDir = iota // -[e]-> or -->
	GraphLeft                  // <-[e]- or <--
	GraphAny                   // -[e]- or --
)

// GraphEdge is an edge of a pattern: -[e]->, <-[e]-, -[e]- or the short
// anonymous forms -->, <--, --. Inside the brackets come an optional name,
// labels after ":", and a length *Min..Max (*N for exactly N) that makes
// the edge variable-length.
type GraphEdge struct {
	From   token.Pos // first byte: "-" or "<"
	Dir    GraphDir
	Lbrack token.Pos // NoPos for the short forms
	Name   *Ident    // nil for an anonymous edge
	Labels []*Ident
	Star   token.Pos // NoPos for a single edge
	Min    Expr      // nil without *
	Max    Expr      // nil for *N
	Rbrack token.Pos
	EndPos token.Pos
}

func (e *GraphEdge) Pos() token.Pos { return e.From }
func (e *GraphEdge) End() token.Pos { return e.EndPos }

// VarLength reports whether the edge stands for a sequence of edges.
func (e *GraphEdge) VarLength() bool { return e.Star.IsValid() }

// GraphToTableOp is graph-to-table Outputs: "nodes" and/or "edges", each
// with its options and an optional "as Name".
type GraphToTableOp struct {
	Keyword token.Pos
	Word    string
	Outputs []*GraphTableOutput
	EndPos  token.Pos
}

// GraphTableOutput is one output of graph-to-table: nodes [as Name]
// [with_node_id=Col] or edges [as Name] [with_source_id=Col]
// [with_target_id=Col].
type GraphTableOutput struct {
	KindPos token.Pos
	Kind    string // "nodes" or "edges"
	As      token.Pos
	Name    *Ident // nil without as
	Params  []*Param
	EndPos  token.Pos
}

func (o *GraphTableOutput) Pos() token.Pos { return o.KindPos }
func (o *GraphTableOutput) End() token.Pos { return o.EndPos }

// GraphMarkComponentsOp is graph-mark-components [kind=weak|strong]
// [with_component_id=Name].
type GraphMarkComponentsOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	EndPos  token.Pos
}

func (o *MakeGraphOp) Name() string           { return o.Word }
func (o *GraphMatchOp) Name() string          { return o.Word }
func (o *GraphShortestPathsOp) Name() string  { return o.Word }
func (o *GraphToTableOp) Name() string        { return o.Word }
func (o *GraphMarkComponentsOp) Name() string { return o.Word }

func (o *MakeGraphOp) Pos() token.Pos           { return o.Keyword }
func (o *GraphMatchOp) Pos() token.Pos          { return o.Keyword }
func (o *GraphShortestPathsOp) Pos() token.Pos  { return o.Keyword }
func (o *GraphToTableOp) Pos() token.Pos        { return o.Keyword }
func (o *GraphMarkComponentsOp) Pos() token.Pos { return o.Keyword }

func (o *MakeGraphOp) End() token.Pos           { return o.EndPos }
func (o *GraphMatchOp) End() token.Pos          { return o.EndPos }
func (o *GraphShortestPathsOp) End() token.Pos  { return o.EndPos }
func (o *GraphToTableOp) End() token.Pos        { return o.EndPos }
func (o *GraphMarkComponentsOp) End() token.Pos { return o.EndPos }

func (*MakeGraphOp) opNode()           {}
func (*GraphMatchOp) opNode()          {}
func (*GraphShortestPathsOp) opNode()  {}
func (*GraphToTableOp) opNode()        {}
func (*GraphMarkComponentsOp) opNode() {}
