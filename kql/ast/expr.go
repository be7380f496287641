package ast

import "github.com/vigil-hunt/vigil/kql/token"

// This file declares the scalar expression nodes and the nodes that hold
// tabular expressions (PipeExpr) inside expressions.

// BadExpr stands for an expression that could not be parsed.
type BadExpr struct {
	From, To token.Pos
}

// Ident is a name: a column, table, let variable, function, $left/$right.
// A bracketed name (['a b'] or ["a b"]) has Quoted set and Name holds the
// decoded name. A wildcard pattern such as Device* or Col* (in union,
// project-away, find) keeps the * in Name and has Wildcard set.
type Ident struct {
	NamePos  token.Pos
	Name     string
	Quoted   bool
	Wildcard bool
	EndPos   token.Pos
}

// BasicLit is a literal of kind INT, REAL, STRING, TIMESPAN, BOOL or NULL.
// Value is the literal's source text; for STRING it holds every adjacent
// string token (Kusto concatenates 'a' 'b'), joined by one space. Decode
// strings with token.Unquote.
type BasicLit struct {
	ValuePos token.Pos
	Kind     token.Kind
	Value    string
	EndPos   token.Pos
}

// TypedLit is a literal written as type(text): datetime(2024-01-01),
// timespan(1d), time(1.02:03:04), guid(…), int(null), real(+inf),
// bool(true), long(-1), decimal(1.5). Text is the raw source between the
// parentheses, trimmed of surrounding spaces.
type TypedLit struct {
	TypePos token.Pos
	Type    string // as written: datetime, date, timespan, time, guid, int, …
	Text    string
	Rparen  token.Pos
}

// DynamicLit is dynamic(value): Value is nil (dynamic(null) has a *BasicLit
// NULL), a literal, an *ArrayLit or a *BagLit.
type DynamicLit struct {
	Dynamic token.Pos
	Value   Expr
	Rparen  token.Pos
}

// ArrayLit is a JSON-like array inside dynamic(…): [1, "a", {…}].
type ArrayLit struct {
	Lbrack token.Pos
	Elems  []Expr
	Rbrack token.Pos
}

// BagLit is a JSON-like property bag inside dynamic(…): {"k": v, …}.
type BagLit struct {
	Lbrace  token.Pos
	Entries []*BagEntry
	Rbrace  token.Pos
}

// BagEntry is one "key": value entry of a BagLit. Key is a STRING BasicLit.
type BagEntry struct {
	Key   *BasicLit
	Value Expr
}

// ParenExpr is a parenthesized expression, scalar or tabular.
type ParenExpr struct {
	Lparen token.Pos
	X      Expr
	Rparen token.Pos
}

// UnaryExpr is -x or +x.
type UnaryExpr struct {
	OpPos token.Pos
	Op    token.Kind // token.SUB or token.ADD
	X     Expr
}

// BinaryExpr is x op y for arithmetic, comparison, logical and string
// operators (==, =~, has, !contains_cs, matches regex, and, or, …).
type BinaryExpr struct {
	X     Expr
	OpPos token.Pos
	Op    token.Kind
	Y     Expr
}

// InExpr is x in (a, b, …) and its relatives !in, in~, !in~, has_any,
// has_all. An element of List may be a scalar, a dynamic array, or a
// tabular expression whose first column supplies the values.
type InExpr struct {
	X      Expr
	OpPos  token.Pos
	Op     token.Kind
	Lparen token.Pos
	List   []Expr
	Rparen token.Pos
}

// BetweenExpr is x between (lo .. hi) or x !between (lo .. hi).
type BetweenExpr struct {
	X      Expr
	OpPos  token.Pos
	Not    bool
	Lparen token.Pos
	Lo     Expr
	Hi     Expr
	Rparen token.Pos
}

// CallExpr is a function call: a built-in (strlen(x)), an aggregate
// (count()), a user function defined by let, a tabular function such as
// table("T"), materialize(…) or toscalar(…). Args may contain a *StarExpr
// (arg_max(t, *)), a *NamedArg, or tabular expressions.
type CallExpr struct {
	Fun    *Ident
	Lparen token.Pos
	Args   []Expr
	Rparen token.Pos
}

// NamedArg is name = value inside a call's argument list, as some plugins
// and functions accept (bag_unpack(x, columnsConflict='replace_source')).
type NamedArg struct {
	Name   *Ident
	Assign token.Pos
	Value  Expr
}

// StarExpr is * used as an expression: arg_max(x, *), count(*)-like forms,
// distinct *, pack_all-like forms.
type StarExpr struct {
	Star token.Pos
}

// SelectorExpr is x.name: property access on dynamic values
// (parse_json(a).b), $left.Col / $right.Col in joins, and qualified names
// such as hint options.
type SelectorExpr struct {
	X   Expr
	Dot token.Pos
	Sel *Ident
}

// IndexExpr is x[i]: array element (x[0], x[-1]) or property (x["k"]).
type IndexExpr struct {
	X      Expr
	Lbrack token.Pos
	Index  Expr
	Rbrack token.Pos
}

// SchemaExpr is typeof(col:type, …) or typeof(*) as some plugins take.
type SchemaExpr struct {
	Typeof token.Pos
	Cols   []*ColumnDecl
	Star   bool // typeof(*) or a trailing *
	Rparen token.Pos
}

// FuncLit is a lambda, the value of "let f = (a:string, b:long = 1) { … }".
// A tabular parameter has a Schema (T:(*) or T:(x:string)). View marks
// "view (…) { … }".
type FuncLit struct {
	View   token.Pos // position of "view", or NoPos
	Lparen token.Pos
	Params []*FuncParam
	Rparen token.Pos
	Lbrace token.Pos
	Body   []Stmt // let statements, then the result expression statement
	Rbrace token.Pos
}

// FuncParam is one parameter of a FuncLit.
type FuncParam struct {
	Name    *Ident
	Type    *TypeRef // scalar type, or a tabular schema
	Default Expr     // nil when required
}

// TypeRef is a type in a declaration: a scalar type name (string, long,
// dynamic, …) or a tabular schema "(*)" / "(a:string, *)".
type TypeRef struct {
	NamePos token.Pos // for a scalar type
	Name    string    // scalar type name as written; "" for a tabular schema
	Tabular *SchemaExpr
	EndPos  token.Pos
}

// PipeExpr is X | Op. X is nil when Op begins a pipeline by itself (union,
// print, range, datatable, externaldata, find, search, evaluate) or when it
// is the first operator of a sub-query whose input is implied (mv-apply …
// on (where …), partition … (top 3 by x), fork (…)).
type PipeExpr struct {
	X   Expr
	Bar token.Pos // position of "|", NoPos when X is nil
	Op  Operator
}

// ColumnDecl is name:type, as in datatable, externaldata, parse-kv,
// typeof(…) and tabular parameter schemas.
type ColumnDecl struct {
	Name *Ident
	Type *TypeRef
}

func (x *BadExpr) Pos() token.Pos      { return x.From }
func (x *Ident) Pos() token.Pos        { return x.NamePos }
func (x *BasicLit) Pos() token.Pos     { return x.ValuePos }
func (x *TypedLit) Pos() token.Pos     { return x.TypePos }
func (x *DynamicLit) Pos() token.Pos   { return x.Dynamic }
func (x *ArrayLit) Pos() token.Pos     { return x.Lbrack }
func (x *BagLit) Pos() token.Pos       { return x.Lbrace }
func (x *ParenExpr) Pos() token.Pos    { return x.Lparen }
func (x *UnaryExpr) Pos() token.Pos    { return x.OpPos }
func (x *BinaryExpr) Pos() token.Pos   { return x.X.Pos() }
func (x *InExpr) Pos() token.Pos       { return x.X.Pos() }
func (x *BetweenExpr) Pos() token.Pos  { return x.X.Pos() }
func (x *CallExpr) Pos() token.Pos     { return x.Fun.Pos() }
func (x *NamedArg) Pos() token.Pos     { return x.Name.Pos() }
func (x *StarExpr) Pos() token.Pos     { return x.Star }
func (x *SelectorExpr) Pos() token.Pos { return x.X.Pos() }
func (x *IndexExpr) Pos() token.Pos    { return x.X.Pos() }
func (x *SchemaExpr) Pos() token.Pos   { return x.Typeof }
func (x *FuncLit) Pos() token.Pos {
	if x.View.IsValid() {
		return x.View
	}
	return x.Lparen
}
func (x *PipeExpr) Pos() token.Pos {
	if x.X != nil {
		return x.X.Pos()
	}
	return x.Op.Pos()
}

func (x *BadExpr) End() token.Pos      { return x.To }
func (x *Ident) End() token.Pos        { return x.EndPos }
func (x *BasicLit) End() token.Pos     { return x.EndPos }
func (x *TypedLit) End() token.Pos     { return x.Rparen + 1 }
func (x *DynamicLit) End() token.Pos   { return x.Rparen + 1 }
func (x *ArrayLit) End() token.Pos     { return x.Rbrack + 1 }
func (x *BagLit) End() token.Pos       { return x.Rbrace + 1 }
func (x *ParenExpr) End() token.Pos    { return x.Rparen + 1 }
func (x *UnaryExpr) End() token.Pos    { return x.X.End() }
func (x *BinaryExpr) End() token.Pos   { return x.Y.End() }
func (x *InExpr) End() token.Pos       { return x.Rparen + 1 }
func (x *BetweenExpr) End() token.Pos  { return x.Rparen + 1 }
func (x *CallExpr) End() token.Pos     { return x.Rparen + 1 }
func (x *NamedArg) End() token.Pos     { return x.Value.End() }
func (x *StarExpr) End() token.Pos     { return x.Star + 1 }
func (x *SelectorExpr) End() token.Pos { return x.Sel.End() }
func (x *IndexExpr) End() token.Pos    { return x.Rbrack + 1 }
func (x *SchemaExpr) End() token.Pos   { return x.Rparen + 1 }
func (x *FuncLit) End() token.Pos      { return x.Rbrace + 1 }
func (x *PipeExpr) End() token.Pos     { return x.Op.End() }

func (*BadExpr) exprNode()      {}
func (*Ident) exprNode()        {}
func (*BasicLit) exprNode()     {}
func (*TypedLit) exprNode()     {}
func (*DynamicLit) exprNode()   {}
func (*ArrayLit) exprNode()     {}
func (*BagLit) exprNode()       {}
func (*ParenExpr) exprNode()    {}
func (*UnaryExpr) exprNode()    {}
func (*BinaryExpr) exprNode()   {}
func (*InExpr) exprNode()       {}
func (*BetweenExpr) exprNode()  {}
func (*CallExpr) exprNode()     {}
func (*NamedArg) exprNode()     {}
func (*StarExpr) exprNode()     {}
func (*SelectorExpr) exprNode() {}
func (*IndexExpr) exprNode()    {}
func (*SchemaExpr) exprNode()   {}
func (*FuncLit) exprNode()      {}
func (*PipeExpr) exprNode()     {}

// Pos and End of the helper nodes that are not expressions.

func (p *FuncParam) Pos() token.Pos { return p.Name.Pos() }
func (p *FuncParam) End() token.Pos {
	if p.Default != nil {
		return p.Default.End()
	}
	if p.Type != nil {
		return p.Type.End()
	}
	return p.Name.End()
}
func (t *TypeRef) Pos() token.Pos {
	if t.Tabular != nil {
		return t.Tabular.Pos()
	}
	return t.NamePos
}
func (t *TypeRef) End() token.Pos {
	if t.Tabular != nil {
		return t.Tabular.End()
	}
	return t.EndPos
}
func (d *ColumnDecl) Pos() token.Pos { return d.Name.Pos() }
func (d *ColumnDecl) End() token.Pos {
	if d.Type != nil {
		return d.Type.End()
	}
	return d.Name.End()
}
func (e *BagEntry) Pos() token.Pos { return e.Key.Pos() }
func (e *BagEntry) End() token.Pos { return e.Value.End() }
