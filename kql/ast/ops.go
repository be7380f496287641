package ast

import "github.com/vigil-hunt/vigil/kql/token"

// This file declares the tabular operators. Each records the position of
// its keyword, the keyword as written (Word: "where" or "filter", "sort" or
// "order", "take" or "limit", "mv-expand" or "mvexpand"), its options
// (Params), and EndPos, the first byte after it.

// BadOp stands for an operator that could not be parsed.
type BadOp struct {
	From, To token.Pos
	Word     string
}

// WhereOp is where/filter Pred.
type WhereOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Pred    Expr
	EndPos  token.Pos
}

// ProjectOp is project Cols.
type ProjectOp struct {
	Keyword token.Pos
	Word    string
	Cols    []*ColumnDef
	EndPos  token.Pos
}

// ExtendOp is extend Cols.
type ExtendOp struct {
	Keyword token.Pos
	Word    string
	Cols    []*ColumnDef
	EndPos  token.Pos
}

// ProjectAwayOp is project-away or project-keep with column names or
// wildcard patterns.
type ProjectAwayOp struct {
	Keyword token.Pos
	Word    string // "project-away" or "project-keep"
	Cols    []*Ident
	EndPos  token.Pos
}

// ProjectRenameOp is project-rename New = Old, …; each ColumnDef has one
// name and an *Ident X.
type ProjectRenameOp struct {
	Keyword token.Pos
	Word    string
	Cols    []*ColumnDef
	EndPos  token.Pos
}

// ProjectReorderOp is project-reorder with names or patterns, each with an
// optional asc/desc/granny-asc/granny-desc.
type ProjectReorderOp struct {
	Keyword token.Pos
	Word    string
	Cols    []*SortKey
	EndPos  token.Pos
}

// SummarizeOp is summarize Aggs by Keys. By is NoPos without a by clause.
type SummarizeOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Aggs    []*ColumnDef
	By      token.Pos
	Keys    []*ColumnDef
	EndPos  token.Pos
}

// SortOp is sort/order by Keys.
type SortOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	By      token.Pos
	Keys    []*SortKey
	EndPos  token.Pos
}

// TopOp is top N by Keys.
type TopOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	N       Expr
	By      token.Pos
	Keys    []*SortKey
	EndPos  token.Pos
}

// TakeOp is take/limit N.
type TakeOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	N       Expr
	EndPos  token.Pos
}

// SampleOp is sample N.
type SampleOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	N       Expr
	EndPos  token.Pos
}

// SampleDistinctOp is sample-distinct N of Col.
type SampleDistinctOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	N       Expr
	Of      token.Pos
	Col     Expr
	EndPos  token.Pos
}

// CountOp is count.
type CountOp struct {
	Keyword token.Pos
	Word    string
	EndPos  token.Pos
}

// DistinctOp is distinct Cols (a *StarExpr for distinct *).
type DistinctOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Cols    []Expr
	EndPos  token.Pos
}

// JoinOp is join [kind=…] [hints] Right on Conds. Each condition is a
// column name (same name on both sides), or $left.A == $right.B, possibly
// combined with and.
type JoinOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Right   Expr
	On      token.Pos
	Conds   []Expr
	EndPos  token.Pos
}

// LookupOp is lookup [kind=…] Right on Conds.
type LookupOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Right   Expr
	On      token.Pos
	Conds   []Expr
	EndPos  token.Pos
}

// UnionOp is union [kind=…] [withsource=…] [isfuzzy=…] Tables. Tables are
// identifiers (possibly wildcards), calls, or parenthesized pipelines.
type UnionOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Tables  []Expr
	EndPos  token.Pos
}

// MvExpandItem is one column of mv-expand/mv-apply: a column or
// "Name = ArrayExpr", with an optional "to typeof(T)".
type MvExpandItem struct {
	Col    *ColumnDef
	To     token.Pos // NoPos without "to typeof(…)"
	ToType *TypeRef
}

func (m *MvExpandItem) Pos() token.Pos { return m.Col.Pos() }
func (m *MvExpandItem) End() token.Pos {
	if m.ToType != nil {
		return m.ToType.End()
	}
	return m.Col.End()
}

// MvExpandOp is mv-expand [options] Items [limit N].
type MvExpandOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Items   []*MvExpandItem
	Limit   token.Pos // NoPos without a limit
	N       Expr
	EndPos  token.Pos
}

// MvApplyOp is mv-apply [options] Items [limit N] on (Body). Body is a
// pipeline whose first operator has no input written (its X is nil).
type MvApplyOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Items   []*MvExpandItem
	Limit   token.Pos
	N       Expr
	On      token.Pos
	Lparen  token.Pos
	Body    Expr
	Rparen  token.Pos
	EndPos  token.Pos
}

// ParsePart is one element of a parse pattern: a string literal, a *, or
// a column name with an optional type (Name:long).
type ParsePart struct {
	Star token.Pos // valid for *
	Lit  *BasicLit // for a literal
	Col  *Ident    // for a column
	Type *TypeRef  // optional type of Col
}

func (p *ParsePart) Pos() token.Pos {
	switch {
	case p.Lit != nil:
		return p.Lit.Pos()
	case p.Col != nil:
		return p.Col.Pos()
	}
	return p.Star
}
func (p *ParsePart) End() token.Pos {
	switch {
	case p.Lit != nil:
		return p.Lit.End()
	case p.Type != nil:
		return p.Type.End()
	case p.Col != nil:
		return p.Col.End()
	}
	return p.Star + 1
}

// ParseOp is parse/parse-where [kind=simple|regex|relaxed] [flags=…] X
// with Pattern.
type ParseOp struct {
	Keyword token.Pos
	Word    string // "parse" or "parse-where"
	Params  []*Param
	X       Expr
	With    token.Pos
	Pattern []*ParsePart
	EndPos  token.Pos
}

// ParseKVOp is parse-kv X as (Cols) with (Props).
type ParseKVOp struct {
	Keyword token.Pos
	Word    string
	X       Expr
	As      token.Pos
	Cols    []*ColumnDecl
	With    token.Pos // NoPos without a with clause
	Props   []*Param
	EndPos  token.Pos
}

// MakeSeriesAgg is one aggregate of make-series, with its default value.
type MakeSeriesAgg struct {
	Col          *ColumnDef
	Default      token.Pos // NoPos when omitted
	DefaultValue Expr
}

func (a *MakeSeriesAgg) Pos() token.Pos { return a.Col.Pos() }
func (a *MakeSeriesAgg) End() token.Pos {
	if a.DefaultValue != nil {
		return a.DefaultValue.End()
	}
	return a.Col.End()
}

// MakeSeriesOp is make-series Aggs on Axis [from A] [to B] step S [by
// Keys], or the older "on Axis in range(A, B, S)" form (Range set).
type MakeSeriesOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Aggs    []*MakeSeriesAgg
	On      token.Pos
	Axis    Expr
	From    Expr // nil when omitted
	To      Expr // nil when omitted
	Step    Expr
	Range   *CallExpr // the "in range(…)" form; From/To/Step are then nil
	By      token.Pos
	Keys    []*ColumnDef
	EndPos  token.Pos
}

// EvaluateOp is evaluate [hints] plugin(args) [: (output schema)].
type EvaluateOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Call    *CallExpr
	Schema  *SchemaExpr // nil when no output schema is given
	EndPos  token.Pos
}

// InvokeOp is invoke function(args): calls a tabular function with the
// pipeline's input as its first argument.
type InvokeOp struct {
	Keyword token.Pos
	Word    string
	Call    *CallExpr
	EndPos  token.Pos
}

// AsOp is as [hint.materialized=true] Table: names the pipeline's result.
type AsOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Table   *Ident
	EndPos  token.Pos
}

// GetSchemaOp is getschema.
type GetSchemaOp struct {
	Keyword token.Pos
	Word    string
	EndPos  token.Pos
}

// ConsumeOp is consume.
type ConsumeOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	EndPos  token.Pos
}

// SerializeOp is serialize [Cols].
type SerializeOp struct {
	Keyword token.Pos
	Word    string
	Cols    []*ColumnDef
	EndPos  token.Pos
}

// RenderOp is render Chart [with (Props)]; parsed and ignored.
type RenderOp struct {
	Keyword token.Pos
	Word    string
	Chart   *Ident
	With    token.Pos
	Props   []*Param
	EndPos  token.Pos
}

// PartitionOp is partition [options] by Col (Body) or { Body }.
type PartitionOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	By      token.Pos
	Col     Expr
	Brace   bool // Body was written in braces
	Lparen  token.Pos
	Body    Expr
	Rparen  token.Pos
	EndPos  token.Pos
}

// ScanStep is one step of scan: step Name [output=all|last|none]:
// Cond [=> Assigns].
type ScanStep struct {
	Step    token.Pos
	Name    *Ident
	Params  []*Param
	Cond    Expr
	Arrow   token.Pos
	Assigns []*ColumnDef
	EndPos  token.Pos
}

func (s *ScanStep) Pos() token.Pos { return s.Step }
func (s *ScanStep) End() token.Pos { return s.EndPos }

// ScanOp is scan [with_match_id=…] [order by …] [partition by …]
// [declare (Cols)] with (Steps).
type ScanOp struct {
	Keyword   token.Pos
	Word      string
	Params    []*Param
	OrderBy   []*SortKey
	Partition []Expr
	Declare   []*ColumnDecl
	Steps     []*ScanStep
	EndPos    token.Pos
}

// ForkBranch is one sub-query of fork, optionally named "name = (…)".
type ForkBranch struct {
	Name   *Ident
	Lparen token.Pos
	Body   Expr
	Rparen token.Pos
}

func (b *ForkBranch) Pos() token.Pos {
	if b.Name != nil {
		return b.Name.Pos()
	}
	return b.Lparen
}
func (b *ForkBranch) End() token.Pos { return b.Rparen + 1 }

// ForkOp is fork (Body) (Body) ….
type ForkOp struct {
	Keyword  token.Pos
	Word     string
	Branches []*ForkBranch
	EndPos   token.Pos
}

// FacetOp is facet by Cols [with (Body)].
type FacetOp struct {
	Keyword token.Pos
	Word    string
	By      token.Pos
	Cols    []*Ident
	With    token.Pos
	Body    Expr // nil without a with clause
	EndPos  token.Pos
}

// TopNestedLevel is one clause of top-nested: [N] of Col [with others =
// Others] by Agg [asc|desc].
type TopNestedLevel struct {
	N      Expr // nil for "top-nested of …" (all values)
	Of     token.Pos
	Col    *ColumnDef
	Others Expr // nil without "with others = …"
	By     token.Pos
	Agg    *ColumnDef
	Order  string
	EndPos token.Pos
}

func (l *TopNestedLevel) Pos() token.Pos {
	if l.N != nil {
		return l.N.Pos()
	}
	return l.Of
}
func (l *TopNestedLevel) End() token.Pos { return l.EndPos }

// TopNestedOp is top-nested Level, top-nested Level, ….
type TopNestedOp struct {
	Keyword token.Pos
	Word    string
	Levels  []*TopNestedLevel
	EndPos  token.Pos
}

// TopHittersOp is top-hitters N of Col [by Weight].
type TopHittersOp struct {
	Keyword token.Pos
	Word    string
	N       Expr
	Of      token.Pos
	Col     Expr
	By      token.Pos
	Weight  Expr
	EndPos  token.Pos
}

// PrintOp is print Cols: a one-row table.
type PrintOp struct {
	Keyword token.Pos
	Word    string
	Cols    []*ColumnDef
	EndPos  token.Pos
}

// RangeOp is range Column from From to To step Step.
type RangeOp struct {
	Keyword token.Pos
	Word    string
	Column  *Ident
	From    Expr
	To      Expr
	Step    Expr
	EndPos  token.Pos
}

// DatatableOp is datatable(Cols) [Values]; Values are read row by row.
type DatatableOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Cols    []*ColumnDecl
	Lbrack  token.Pos
	Values  []Expr
	Rbrack  token.Pos
	EndPos  token.Pos
}

// ExternalDataOp is externaldata(Cols) [URIs] [with (Props)]. It reads from
// the network, so the checker flags it as a risky construct.
type ExternalDataOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Cols    []*ColumnDecl
	URIs    []Expr
	With    token.Pos
	Props   []*Param
	EndPos  token.Pos
}

// FindOp is find [options] [in (Tables)] where Pred [project Cols].
type FindOp struct {
	Keyword     token.Pos
	Word        string
	Params      []*Param
	Tables      []Expr // nil without "in (…)"
	Pred        Expr
	ProjectWord string // "", "project" or "project-smart"
	Cols        []Expr
	EndPos      token.Pos
}

// SearchOp is search [options] [in (Tables)] Pred.
type SearchOp struct {
	Keyword token.Pos
	Word    string
	Params  []*Param
	Tables  []Expr
	Pred    Expr
	EndPos  token.Pos
}

// Name returns the operator keyword as written.
func (o *BadOp) Name() string            { return o.Word }
func (o *WhereOp) Name() string          { return o.Word }
func (o *ProjectOp) Name() string        { return o.Word }
func (o *ExtendOp) Name() string         { return o.Word }
func (o *ProjectAwayOp) Name() string    { return o.Word }
func (o *ProjectRenameOp) Name() string  { return o.Word }
func (o *ProjectReorderOp) Name() string { return o.Word }
func (o *SummarizeOp) Name() string      { return o.Word }
func (o *SortOp) Name() string           { return o.Word }
func (o *TopOp) Name() string            { return o.Word }
func (o *TakeOp) Name() string           { return o.Word }
func (o *SampleOp) Name() string         { return o.Word }
func (o *SampleDistinctOp) Name() string { return o.Word }
func (o *CountOp) Name() string          { return o.Word }
func (o *DistinctOp) Name() string       { return o.Word }
func (o *JoinOp) Name() string           { return o.Word }
func (o *LookupOp) Name() string         { return o.Word }
func (o *UnionOp) Name() string          { return o.Word }
func (o *MvExpandOp) Name() string       { return o.Word }
func (o *MvApplyOp) Name() string        { return o.Word }
func (o *ParseOp) Name() string          { return o.Word }
func (o *ParseKVOp) Name() string        { return o.Word }
func (o *MakeSeriesOp) Name() string     { return o.Word }
func (o *EvaluateOp) Name() string       { return o.Word }
func (o *InvokeOp) Name() string         { return o.Word }
func (o *AsOp) Name() string             { return o.Word }
func (o *GetSchemaOp) Name() string      { return o.Word }
func (o *ConsumeOp) Name() string        { return o.Word }
func (o *SerializeOp) Name() string      { return o.Word }
func (o *RenderOp) Name() string         { return o.Word }
func (o *PartitionOp) Name() string      { return o.Word }
func (o *ScanOp) Name() string           { return o.Word }
func (o *ForkOp) Name() string           { return o.Word }
func (o *FacetOp) Name() string          { return o.Word }
func (o *TopNestedOp) Name() string      { return o.Word }
func (o *TopHittersOp) Name() string     { return o.Word }
func (o *PrintOp) Name() string          { return o.Word }
func (o *RangeOp) Name() string          { return o.Word }
func (o *DatatableOp) Name() string      { return o.Word }
func (o *ExternalDataOp) Name() string   { return o.Word }
func (o *FindOp) Name() string           { return o.Word }
func (o *SearchOp) Name() string         { return o.Word }

func (o *BadOp) Pos() token.Pos            { return o.From }
func (o *WhereOp) Pos() token.Pos          { return o.Keyword }
func (o *ProjectOp) Pos() token.Pos        { return o.Keyword }
func (o *ExtendOp) Pos() token.Pos         { return o.Keyword }
func (o *ProjectAwayOp) Pos() token.Pos    { return o.Keyword }
func (o *ProjectRenameOp) Pos() token.Pos  { return o.Keyword }
func (o *ProjectReorderOp) Pos() token.Pos { return o.Keyword }
func (o *SummarizeOp) Pos() token.Pos      { return o.Keyword }
func (o *SortOp) Pos() token.Pos           { return o.Keyword }
func (o *TopOp) Pos() token.Pos            { return o.Keyword }
func (o *TakeOp) Pos() token.Pos           { return o.Keyword }
func (o *SampleOp) Pos() token.Pos         { return o.Keyword }
func (o *SampleDistinctOp) Pos() token.Pos { return o.Keyword }
func (o *CountOp) Pos() token.Pos          { return o.Keyword }
func (o *DistinctOp) Pos() token.Pos       { return o.Keyword }
func (o *JoinOp) Pos() token.Pos           { return o.Keyword }
func (o *LookupOp) Pos() token.Pos         { return o.Keyword }
func (o *UnionOp) Pos() token.Pos          { return o.Keyword }
func (o *MvExpandOp) Pos() token.Pos       { return o.Keyword }
func (o *MvApplyOp) Pos() token.Pos        { return o.Keyword }
func (o *ParseOp) Pos() token.Pos          { return o.Keyword }
func (o *ParseKVOp) Pos() token.Pos        { return o.Keyword }
func (o *MakeSeriesOp) Pos() token.Pos     { return o.Keyword }
func (o *EvaluateOp) Pos() token.Pos       { return o.Keyword }
func (o *InvokeOp) Pos() token.Pos         { return o.Keyword }
func (o *AsOp) Pos() token.Pos             { return o.Keyword }
func (o *GetSchemaOp) Pos() token.Pos      { return o.Keyword }
func (o *ConsumeOp) Pos() token.Pos        { return o.Keyword }
func (o *SerializeOp) Pos() token.Pos      { return o.Keyword }
func (o *RenderOp) Pos() token.Pos         { return o.Keyword }
func (o *PartitionOp) Pos() token.Pos      { return o.Keyword }
func (o *ScanOp) Pos() token.Pos           { return o.Keyword }
func (o *ForkOp) Pos() token.Pos           { return o.Keyword }
func (o *FacetOp) Pos() token.Pos          { return o.Keyword }
func (o *TopNestedOp) Pos() token.Pos      { return o.Keyword }
func (o *TopHittersOp) Pos() token.Pos     { return o.Keyword }
func (o *PrintOp) Pos() token.Pos          { return o.Keyword }
func (o *RangeOp) Pos() token.Pos          { return o.Keyword }
func (o *DatatableOp) Pos() token.Pos      { return o.Keyword }
func (o *ExternalDataOp) Pos() token.Pos   { return o.Keyword }
func (o *FindOp) Pos() token.Pos           { return o.Keyword }
func (o *SearchOp) Pos() token.Pos         { return o.Keyword }

func (o *BadOp) End() token.Pos            { return o.To }
func (o *WhereOp) End() token.Pos          { return o.EndPos }
func (o *ProjectOp) End() token.Pos        { return o.EndPos }
func (o *ExtendOp) End() token.Pos         { return o.EndPos }
func (o *ProjectAwayOp) End() token.Pos    { return o.EndPos }
func (o *ProjectRenameOp) End() token.Pos  { return o.EndPos }
func (o *ProjectReorderOp) End() token.Pos { return o.EndPos }
func (o *SummarizeOp) End() token.Pos      { return o.EndPos }
func (o *SortOp) End() token.Pos           { return o.EndPos }
func (o *TopOp) End() token.Pos            { return o.EndPos }
func (o *TakeOp) End() token.Pos           { return o.EndPos }
func (o *SampleOp) End() token.Pos         { return o.EndPos }
func (o *SampleDistinctOp) End() token.Pos { return o.EndPos }
func (o *CountOp) End() token.Pos          { return o.EndPos }
func (o *DistinctOp) End() token.Pos       { return o.EndPos }
func (o *JoinOp) End() token.Pos           { return o.EndPos }
func (o *LookupOp) End() token.Pos         { return o.EndPos }
func (o *UnionOp) End() token.Pos          { return o.EndPos }
func (o *MvExpandOp) End() token.Pos       { return o.EndPos }
func (o *MvApplyOp) End() token.Pos        { return o.EndPos }
func (o *ParseOp) End() token.Pos          { return o.EndPos }
func (o *ParseKVOp) End() token.Pos        { return o.EndPos }
func (o *MakeSeriesOp) End() token.Pos     { return o.EndPos }
func (o *EvaluateOp) End() token.Pos       { return o.EndPos }
func (o *InvokeOp) End() token.Pos         { return o.EndPos }
func (o *AsOp) End() token.Pos             { return o.EndPos }
func (o *GetSchemaOp) End() token.Pos      { return o.EndPos }
func (o *ConsumeOp) End() token.Pos        { return o.EndPos }
func (o *SerializeOp) End() token.Pos      { return o.EndPos }
func (o *RenderOp) End() token.Pos         { return o.EndPos }
func (o *PartitionOp) End() token.Pos      { return o.EndPos }
func (o *ScanOp) End() token.Pos           { return o.EndPos }
func (o *ForkOp) End() token.Pos           { return o.EndPos }
func (o *FacetOp) End() token.Pos          { return o.EndPos }
func (o *TopNestedOp) End() token.Pos      { return o.EndPos }
func (o *TopHittersOp) End() token.Pos     { return o.EndPos }
func (o *PrintOp) End() token.Pos          { return o.EndPos }
func (o *RangeOp) End() token.Pos          { return o.EndPos }
func (o *DatatableOp) End() token.Pos      { return o.EndPos }
func (o *ExternalDataOp) End() token.Pos   { return o.EndPos }
func (o *FindOp) End() token.Pos           { return o.EndPos }
func (o *SearchOp) End() token.Pos         { return o.EndPos }

func (*BadOp) opNode()            {}
func (*WhereOp) opNode()          {}
func (*ProjectOp) opNode()        {}
func (*ExtendOp) opNode()         {}
func (*ProjectAwayOp) opNode()    {}
func (*ProjectRenameOp) opNode()  {}
func (*ProjectReorderOp) opNode() {}
func (*SummarizeOp) opNode()      {}
func (*SortOp) opNode()           {}
func (*TopOp) opNode()            {}
func (*TakeOp) opNode()           {}
func (*SampleOp) opNode()         {}
func (*SampleDistinctOp) opNode() {}
func (*CountOp) opNode()          {}
func (*DistinctOp) opNode()       {}
func (*JoinOp) opNode()           {}
func (*LookupOp) opNode()         {}
func (*UnionOp) opNode()          {}
func (*MvExpandOp) opNode()       {}
func (*MvApplyOp) opNode()        {}
func (*ParseOp) opNode()          {}
func (*ParseKVOp) opNode()        {}
func (*MakeSeriesOp) opNode()     {}
func (*EvaluateOp) opNode()       {}
func (*InvokeOp) opNode()         {}
func (*AsOp) opNode()             {}
func (*GetSchemaOp) opNode()      {}
func (*ConsumeOp) opNode()        {}
func (*SerializeOp) opNode()      {}
func (*RenderOp) opNode()         {}
func (*PartitionOp) opNode()      {}
func (*ScanOp) opNode()           {}
func (*ForkOp) opNode()           {}
func (*FacetOp) opNode()          {}
func (*TopNestedOp) opNode()      {}
func (*TopHittersOp) opNode()     {}
func (*PrintOp) opNode()          {}
func (*RangeOp) opNode()          {}
func (*DatatableOp) opNode()      {}
func (*ExternalDataOp) opNode()   {}
func (*FindOp) opNode()           {}
func (*SearchOp) opNode()         {}
