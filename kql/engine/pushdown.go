package engine

// This file decides what a table scan is asked for: only the columns the
// rest of the pipeline can read, and the predicates of where operators
// directly above it, which a store uses to skip data that cannot match.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// neededColumns works backwards through ops and returns the names of the
// source columns they can read. all is true when it cannot tell (an
// operator it does not know, or one that passes every column to the
// output): the scan then reads every column. Extra names are harmless.
func neededColumns(ops []ast.Operator) (need map[string]bool, all bool) {
	need, all = map[string]bool{}, true
	for i := len(ops) - 1; i >= 0; i-- {
		refs, star := referencedNames(ops[i])
		if star {
			return nil, true
		}
		switch op := ops[i].(type) {
		case *ast.ProjectOp, *ast.SummarizeOp, *ast.CountOp, *ast.DistinctOp, *ast.MakeSeriesOp, *ast.TopNestedOp:
			need, all = refs, false
		case *ast.WhereOp, *ast.SortOp, *ast.TopOp, *ast.TakeOp, *ast.SampleOp, *ast.SerializeOp, *ast.RenderOp:
			union(need, refs)
		case *ast.ExtendOp:
			if !all {
				for _, cd := range op.Cols {
					for _, n := range cd.Names {
						delete(need, n.Name)
					}
				}
			}
			union(need, refs)
		case *ast.ProjectAwayOp:
			if op.Word == "project-keep" {
				need, all = refs, false
			}
		case *ast.ProjectRenameOp:
			if !all {
				for _, cd := range op.Cols {
					for _, n := range cd.Names {
						delete(need, n.Name)
					}
				}
			}
			union(need, refs)
		default:
			return nil, true
		}
	}
	return need, all
}

func union(dst, src map[string]bool) {
	for k := range src {
		dst[k] = true
	}
}

// referencedNames collects every identifier an operator mentions (a
// superset of the columns it reads). star reports a * or a wildcard that
// may stand for any column.
func referencedNames(op ast.Operator) (names map[string]bool, star bool) {
	names = map[string]bool{}
	ast.Inspect(op, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.StarExpr:
			star = true
		case *ast.CallExpr:
			// These read columns named by strings or not named at all.
			switch n.Fun.Name {
			case "pack_all", "bag_pack_columns", "column_ifexists", "columnifexists":
				star = true
			}
		case *ast.Ident:
			if n.Wildcard {
				star = true
			}
			names[n.Name] = true
		case *ast.PipeExpr:
			// A sub-query reads its own tables, not this input; but mv-apply
			// and friends may read any column of the input.
			star = true
			return false
		}
		return true
	})
	return names, star
}

// project returns a copy of the scan that reads only the named columns
// (those the table has), in table order.
func (p *scanPlan) project(need map[string]bool) *scanPlan {
	out := *p
	out.s = &types.Schema{}
	out.req.Columns = []string{}
	for _, c := range p.s.Columns {
		if need[c.Name] {
			out.s.Columns = append(out.s.Columns, c)
			out.req.Columns = append(out.req.Columns, c.Name)
		}
	}
	return &out
}

// pushPreds returns in with preds handed to the scan under it, looking
// through where operators; plans are copied, never changed, because a
// let-bound table may be shared by several pipelines.
func pushPreds(in plan, preds []Pred) plan {
	switch p := in.(type) {
	case *scanPlan:
		out := *p
		out.req.Preds = append(append([]Pred(nil), p.req.Preds...), preds...)
		return &out
	case *wherePlan:
		out := *p
		out.in = pushPreds(p.in, preds)
		return &out
	}
	return in
}

// scanPreds extracts from a where predicate the conjuncts a store can use,
// evaluating their constant sides now. Only columns of schema s that are
// plain column references qualify.
func (c *compiler) scanPreds(e ast.Expr, s *types.Schema, sc *scope) []Pred {
	var out []Pred
	for _, conj := range conjuncts(e) {
		if p, ok := c.scanPred(conj, s, sc); ok {
			out = append(out, p)
		}
	}
	return out
}

func conjuncts(e ast.Expr) []ast.Expr {
	if pe, ok := e.(*ast.ParenExpr); ok {
		return conjuncts(pe.X)
	}
	if be, ok := e.(*ast.BinaryExpr); ok && be.Op == token.AND {
		return append(conjuncts(be.X), conjuncts(be.Y)...)
	}
	return []ast.Expr{e}
}

// columnOf returns the column a bare identifier names in s.
func columnOf(e ast.Expr, s *types.Schema) (types.Column, bool) {
	id, ok := e.(*ast.Ident)
	if !ok {
		return types.Column{}, false
	}
	return s.Lookup(id.Name)
}

func (c *compiler) scanPred(e ast.Expr, s *types.Schema, sc *scope) (Pred, bool) {
	switch e := e.(type) {
	case *ast.BetweenExpr:
		col, ok := columnOf(e.X, s)
		if !ok || e.Not || col.Type != types.Datetime {
			return Pred{}, false
		}
		lo, err1 := c.constant(e.Lo, sc)
		hi, err2 := c.constant(e.Hi, sc)
		if err1 != nil || err2 != nil || lo.Type != types.Datetime || hi.Type != types.Datetime || lo.IsNull() || hi.IsNull() {
			return Pred{}, false
		}
		return Pred{Kind: PredTimeRange, Column: col.Name, From: value.Datetime(lo.I), HasFrom: true, To: value.Datetime(hi.I), HasTo: true}, true
	case *ast.InExpr:
		col, ok := columnOf(e.X, s)
		if !ok || (e.Op != token.IN && e.Op != token.IN_CI) || col.Type != types.String {
			return Pred{}, false
		}
		p := Pred{Kind: PredEquals, Column: col.Name, CaseInsensitive: e.Op == token.IN_CI}
		for _, el := range e.List {
			v, err := c.constant(el, sc)
			if err != nil || v.Type != types.String {
				return Pred{}, false
			}
			p.Values = append(p.Values, v)
		}
		return p, len(p.Values) > 0
	case *ast.BinaryExpr:
		return c.scanCompare(e, s, sc)
	}
	return Pred{}, false
}

func (c *compiler) scanCompare(e *ast.BinaryExpr, s *types.Schema, sc *scope) (Pred, bool) {
	col, ok := columnOf(e.X, s)
	if !ok {
		return Pred{}, false
	}
	switch e.Op {
	case token.GTR, token.GEQ, token.LSS, token.LEQ:
		if col.Type != types.Datetime {
			return Pred{}, false
		}
		v, err := c.constant(e.Y, sc)
		if err != nil || v.Type != types.Datetime || v.IsNull() {
			return Pred{}, false
		}
		p := Pred{Kind: PredTimeRange, Column: col.Name}
		if e.Op == token.GTR || e.Op == token.GEQ {
			p.From, p.HasFrom = value.Datetime(v.I), true
		} else {
			p.To, p.HasTo = value.Datetime(v.I), true
		}
		return p, true
	case token.EQL, token.EQTILDE:
		if col.Type != types.String {
			return Pred{}, false
		}
		v, err := c.constant(e.Y, sc)
		if err != nil || v.Type != types.String {
			return Pred{}, false
		}
		return Pred{Kind: PredEquals, Column: col.Name, Values: []value.Value{v}, CaseInsensitive: e.Op == token.EQTILDE}, true
	case token.HAS, token.HAS_CS, token.CONTAINS, token.CONTAINS_CS:
		if col.Type != types.String {
			return Pred{}, false
		}
		v, err := c.constant(e.Y, sc)
		if err != nil || v.Type != types.String || v.S == "" {
			return Pred{}, false
		}
		kind := PredHasTerm
		if e.Op == token.CONTAINS || e.Op == token.CONTAINS_CS {
			kind = PredContains
		}
		return Pred{Kind: kind, Column: col.Name, Term: v.S}, true
	}
	return Pred{}, false
}
