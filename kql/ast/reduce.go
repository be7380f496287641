package ast

import "github.com/vigil-hunt/vigil/kql/token"

// This file declares project-by-names and reduce.

// ProjectByNamesOp is project-by-names Specifiers: each a column name
// (string), a dynamic array of names, a wildcard pattern or
// column_names_of(T), evaluated when the query is compiled.
type ProjectByNamesOp struct {
	Keyword token.Pos
	Word    string
	Cols    []Expr
	EndPos  token.Pos
}

// ReduceOp is reduce [kind=source] by X [with threshold=…, characters=…].
// With is NoPos without a with clause; Options hold its name=value pairs.
type ReduceOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param // kind=source
	By      token.Pos
	X       Expr
	With    token.Pos
	Options []*Param
	EndPos  token.Pos
}

func (o *ProjectByNamesOp) Name() string { return o.Word }
func (o *ReduceOp) Name() string         { return o.Word }

func (o *ProjectByNamesOp) Pos() token.Pos { return o.Keyword }
func (o *ReduceOp) Pos() token.Pos         { return o.Keyword }

func (o *ProjectByNamesOp) End() token.Pos { return o.EndPos }
func (o *ReduceOp) End() token.Pos         { return o.EndPos }

func (*ProjectByNamesOp) opNode() {}
func (*ReduceOp) opNode()         {}
