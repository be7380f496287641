// Package ast declares the syntax tree of the Kusto Query Language.
//
// A query is a list of statements (let, set, declare, and the query
// expression). Tabular and scalar expressions share one Expr interface, as
// in Kusto itself: "T | where x > 1" is a *PipeExpr whose X is the table
// reference T and whose Op is a *WhereOp. A pipeline that starts with an
// operator rather than a table (union, print, range, datatable, a
// sub-query inside mv-apply or partition) is a *PipeExpr with a nil X.
//
// Every node records its position (Pos) and the position just after it
// (End). Unparsable input becomes a *BadExpr or *BadOp so callers get a
// partial tree together with every error.
package ast

import "github.com/vigil-hunt/vigil/kql/token"

// Node is any node of the tree.
type Node interface {
	Pos() token.Pos // first byte of the node
	End() token.Pos // first byte after the node
}

// Expr is a scalar or tabular expression.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement: let, set, declare, or a query expression.
type Stmt interface {
	Node
	stmtNode()
}

// Operator is a tabular operator: the right-hand side of a pipe.
type Operator interface {
	Node
	opNode()
	// Name returns the operator's keyword as written ("where", "filter",
	// "project-away", "mv-expand", …).
	Name() string
}

// Query is a whole query text: statements separated by semicolons.
type Query struct {
	Stmts    []Stmt
	Comments []*Comment // every comment, in source order
	EOF      token.Pos  // position of the end of input
}

// Pos returns the position of the first statement.
func (q *Query) Pos() token.Pos {
	if len(q.Stmts) > 0 {
		return q.Stmts[0].Pos()
	}
	return token.NoPos
}

// End returns the end of the last statement.
func (q *Query) End() token.Pos {
	if n := len(q.Stmts); n > 0 {
		return q.Stmts[n-1].End()
	}
	return token.NoPos
}

// Comment is a // comment, up to the end of its line (the newline excluded).
type Comment struct {
	Slash token.Pos
	Text  string // including the leading //
}

func (c *Comment) Pos() token.Pos { return c.Slash }
func (c *Comment) End() token.Pos { return c.Slash + token.Pos(len(c.Text)) }
