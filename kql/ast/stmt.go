package ast

import "github.com/vigil-hunt/vigil/kql/token"

// This file declares the statements and the helper nodes shared by several
// operators (options, column definitions, sort keys).

// BadStmt stands for a statement that could not be parsed.
type BadStmt struct {
	From, To token.Pos
}

// LetStmt is "let Name = Value". Value is a scalar or tabular expression,
// or a *FuncLit for a user function.
type LetStmt struct {
	Let    token.Pos
	Name   *Ident
	Assign token.Pos
	Value  Expr
}

// SetStmt is "set name" or "set name = value" (a request option such as
// notruncation or query_now). Dotted names are kept whole in Name.
type SetStmt struct {
	Set    token.Pos
	Name   *Ident
	Assign token.Pos // NoPos when there is no value
	Value  Expr
}

// DeclareStmt is "declare query_parameters(name:type = default, …)".
type DeclareStmt struct {
	Declare token.Pos
	Lparen  token.Pos
	Params  []*FuncParam
	Rparen  token.Pos
}

// ExprStmt is a query expression used as a statement.
type ExprStmt struct {
	X Expr
}

func (s *BadStmt) Pos() token.Pos     { return s.From }
func (s *LetStmt) Pos() token.Pos     { return s.Let }
func (s *SetStmt) Pos() token.Pos     { return s.Set }
func (s *DeclareStmt) Pos() token.Pos { return s.Declare }
func (s *ExprStmt) Pos() token.Pos    { return s.X.Pos() }

func (s *BadStmt) End() token.Pos { return s.To }
func (s *LetStmt) End() token.Pos { return s.Value.End() }
func (s *SetStmt) End() token.Pos {
	if s.Value != nil {
		return s.Value.End()
	}
	return s.Name.End()
}
func (s *DeclareStmt) End() token.Pos { return s.Rparen + 1 }
func (s *ExprStmt) End() token.Pos    { return s.X.End() }

func (*BadStmt) stmtNode()     {}
func (*LetStmt) stmtNode()     {}
func (*SetStmt) stmtNode()     {}
func (*DeclareStmt) stmtNode() {}
func (*ExprStmt) stmtNode()    {}

// Param is an operator option written name=value before the operator's
// arguments: kind=leftouter, hint.strategy=shuffle, isfuzzy=true,
// withsource=SourceTable, bagexpansion=array, with_itemindex=i, flags=U.
// Name holds the whole dotted name ("hint.strategy"). It is also used for
// the name=value properties of render/externaldata "with (…)".
type Param struct {
	Name   *Ident
	Assign token.Pos
	Value  Expr
}

func (p *Param) Pos() token.Pos { return p.Name.Pos() }
func (p *Param) End() token.Pos { return p.Value.End() }

// ColumnDef is an output column of project, extend, summarize, print,
// serialize, distinct and friends: "Name = X", "(A, B) = X" (a function
// returning several columns) or a bare "X" whose name Kusto derives.
type ColumnDef struct {
	Lparen token.Pos // NoPos unless the names are parenthesized
	Names  []*Ident  // nil for a bare expression
	Rparen token.Pos
	Assign token.Pos
	X      Expr
}

func (c *ColumnDef) Pos() token.Pos {
	if c.Lparen.IsValid() {
		return c.Lparen
	}
	if len(c.Names) > 0 {
		return c.Names[0].Pos()
	}
	return c.X.Pos()
}
func (c *ColumnDef) End() token.Pos { return c.X.End() }

// SortKey is an expression with an optional direction and null placement:
// "x desc nulls last". Order is "", "asc" or "desc" (project-reorder also
// accepts "granny-asc" and "granny-desc"); Nulls is "", "first" or "last".
type SortKey struct {
	X        Expr
	OrderPos token.Pos
	Order    string
	NullsPos token.Pos
	Nulls    string
	EndPos   token.Pos
}

func (k *SortKey) Pos() token.Pos { return k.X.Pos() }
func (k *SortKey) End() token.Pos { return k.EndPos }
