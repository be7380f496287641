package printer

// This file prints the operators that hold sub-queries (join, lookup,
// union, mv-apply, partition, fork, facet, scan) and the operators that
// start a pipeline (print, range, datatable, externaldata, find, search).

import (
	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// subquery writes a parenthesized sub-query held by an operator (not by a
// ParenExpr): on one line when short, else indented.
func (p *printer) subquery(open, close string, lpos, rpos token.Pos, body ast.Expr) {
	p.group(group{open: open, close: close, pad: open == "{", lpos: lpos, rpos: rpos,
		elems: exprElems([]ast.Expr{body}), long: true})
}

func (p *printer) subqueryOp(o ast.Operator) bool {
	switch o := o.(type) {
	case *ast.JoinOp:
		p.join(o.Word, o.Params, o.Right, o.On, o.Conds)
	case *ast.LookupOp:
		p.join(o.Word, o.Params, o.Right, o.On, o.Conds)
	case *ast.UnionOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.exprs(o.Tables)
	case *ast.MvApplyOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		list(p, o.Items, p.mvItem)
		p.limit(o.Limit.IsValid() || o.N != nil, o.N)
		p.write(" on ")
		p.subquery("(", ")", o.Lparen, o.Rparen, o.Body)
	case *ast.PartitionOp:
		p.kw(o.Word, o.Params)
		p.write(" by ")
		p.expr(o.Col)
		p.write(" ")
		if o.Brace {
			p.subquery("{", "}", o.Lparen, o.Rparen, o.Body)
		} else {
			p.subquery("(", ")", o.Lparen, o.Rparen, o.Body)
		}
	case *ast.ScanOp:
		p.scan(o)
	case *ast.ForkOp:
		p.write(o.Word)
		for _, b := range o.Branches {
			p.write(" ")
			p.forkBranch(b)
		}
	case *ast.FacetOp:
		p.facet(o)
	default:
		return false
	}
	return true
}

func (p *printer) join(word string, ps []*ast.Param, right ast.Expr, on token.Pos, conds []ast.Expr) {
	p.kw(word, ps)
	p.write(" ")
	p.expr(right)
	if on.IsValid() || len(conds) > 0 {
		p.write(" on ")
		p.exprs(conds)
	}
}

func (p *printer) forkBranch(b *ast.ForkBranch) {
	if b.Name != nil {
		p.ident(b.Name)
		p.write(" = ")
	}
	p.subquery("(", ")", b.Lparen, b.Rparen, b.Body)
}

func (p *printer) facet(o *ast.FacetOp) {
	p.write(o.Word + " by ")
	list(p, o.Cols, p.ident)
	if o.Body == nil {
		return
	}
	p.write(" with ")
	if _, ok := o.Body.(*ast.ParenExpr); ok {
		p.expr(o.Body)
		return
	}
	p.subquery("(", ")", token.NoPos, o.End(), o.Body)
}

func (p *printer) scan(o *ast.ScanOp) {
	p.kw(o.Word, o.Params)
	if len(o.OrderBy) > 0 {
		p.write(" order by ")
		p.sortKeys(o.OrderBy)
	}
	if len(o.Partition) > 0 {
		p.write(" partition by ")
		p.exprs(o.Partition)
	}
	if len(o.Declare) > 0 {
		p.write(" declare (")
		list(p, o.Declare, p.columnDecl)
		p.write(")")
	}
	p.write(" with ")
	es := make([]elem, len(o.Steps))
	for i, s := range o.Steps {
		es[i] = elem{pos: s.Pos(), print: func(p *printer) { p.scanStep(s) }}
	}
	p.group(group{open: "(", close: ")", rpos: o.EndPos - 1, elems: es, long: true})
}

func (p *printer) scanStep(s *ast.ScanStep) {
	p.write("step ")
	p.ident(s.Name)
	p.params(s.Params)
	p.write(": ")
	p.expr(s.Cond)
	if len(s.Assigns) > 0 {
		p.write(" => ")
		p.columnDefs(s.Assigns)
	}
	p.write(";")
}

func (p *printer) sourceOp(o ast.Operator) bool {
	switch o := o.(type) {
	case *ast.PrintOp:
		p.write(o.Word)
		p.cols(o.Cols)
	case *ast.RangeOp:
		p.write(o.Word + " ")
		p.ident(o.Column)
		p.write(" from ")
		p.expr(o.From)
		p.write(" to ")
		p.expr(o.To)
		p.write(" step ")
		p.expr(o.Step)
	case *ast.DatatableOp:
		p.datatable(o)
	case *ast.ExternalDataOp:
		p.kw(o.Word, o.Params)
		p.write("(")
		list(p, o.Cols, p.columnDecl)
		p.write(") ")
		rpos := o.With
		if !rpos.IsValid() {
			rpos = o.EndPos - 1
		}
		p.group(group{open: "[", close: "]", sep: ",", rpos: rpos, elems: exprElems(o.URIs), long: true})
		if o.With.IsValid() || len(o.Props) > 0 {
			p.withProps(o.Props)
		}
	case *ast.FindOp:
		p.find(o)
	case *ast.SearchOp:
		p.kw(o.Word, o.Params)
		p.tablesIn(o.Tables)
		if o.Pred != nil {
			p.write(" ")
			p.expr(o.Pred)
		}
	default:
		return false
	}
	return true
}

// datatable writes datatable(cols) [values], one row per line when long.
func (p *printer) datatable(o *ast.DatatableOp) {
	p.kw(o.Word, o.Params)
	p.write("(")
	list(p, o.Cols, p.columnDecl)
	p.write(") ")
	n := max(len(o.Cols), 1)
	var rows []elem
	for i := 0; i < len(o.Values); i += n {
		row := o.Values[i:min(i+n, len(o.Values))]
		rows = append(rows, elem{pos: row[0].Pos(), print: func(p *printer) { p.exprs(row) }})
	}
	p.group(group{open: "[", close: "]", sep: ",", lpos: o.Lbrack, rpos: o.Rbrack, elems: rows, long: true})
}

func (p *printer) find(o *ast.FindOp) {
	p.kw(o.Word, o.Params)
	p.tablesIn(o.Tables)
	p.write(" where ")
	p.expr(o.Pred)
	if o.ProjectWord != "" {
		p.write(" " + o.ProjectWord)
		if len(o.Cols) > 0 {
			p.write(" ")
			p.exprs(o.Cols)
		}
	}
}

// tablesIn writes " in (A, B)" of find and search.
func (p *printer) tablesIn(ts []ast.Expr) {
	if len(ts) > 0 {
		p.write(" in (")
		p.exprs(ts)
		p.write(")")
	}
}
