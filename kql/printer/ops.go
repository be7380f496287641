package printer

// This file prints the tabular operators that transform their input row by
// row or column by column.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
)

// op writes an operator without the "| " that precedes it in a pipeline.
func (p *printer) op(o ast.Operator) {
	if p.simpleOp(o) || p.subqueryOp(o) || p.sourceOp(o) || p.graphOp(o) || p.reduceOp(o) {
		return
	}
	switch o := o.(type) {
	case *ast.BadOp:
		if o.Word != "" {
			p.write(o.Word + " ")
		}
		p.write("BadOp")
	case nil:
		p.write("<nil>")
	}
}

// kw writes an operator's keyword as written and its options.
func (p *printer) kw(word string, ps []*ast.Param) {
	p.write(word)
	p.params(ps)
}

// cols writes " a = x, b" when there are columns.
func (p *printer) cols(cs []*ast.ColumnDef) {
	if len(cs) > 0 {
		p.write(" ")
		p.columnDefs(cs)
	}
}

// exprs writes a comma-separated list of expressions.
func (p *printer) exprs(xs []ast.Expr) {
	list(p, xs, p.expr)
}

// simpleOp prints the operators without sub-queries or special layout and
// reports whether o was one of them.
func (p *printer) simpleOp(o ast.Operator) bool {
	switch o := o.(type) {
	case *ast.WhereOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.expr(o.Pred)
	case *ast.ProjectOp:
		p.write(o.Word)
		p.cols(o.Cols)
	case *ast.ExtendOp:
		p.write(o.Word)
		p.cols(o.Cols)
	case *ast.ProjectAwayOp:
		p.write(o.Word + " ")
		list(p, o.Cols, p.ident)
	case *ast.ProjectRenameOp:
		p.write(o.Word)
		p.cols(o.Cols)
	case *ast.ProjectReorderOp:
		p.write(o.Word + " ")
		p.sortKeys(o.Cols)
	case *ast.SummarizeOp:
		p.summarize(o)
	case *ast.SortOp:
		p.kw(o.Word, o.Params)
		p.write(" by ")
		p.sortKeys(o.Keys)
	case *ast.TopOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.expr(o.N)
		p.write(" by ")
		p.sortKeys(o.Keys)
	case *ast.TakeOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.expr(o.N)
	case *ast.SampleOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.expr(o.N)
	case *ast.SampleDistinctOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.expr(o.N)
		p.write(" of ")
		p.expr(o.Col)
	case *ast.CountOp:
		p.write(o.Word)
	case *ast.DistinctOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.exprs(o.Cols)
	default:
		return p.moreOp(o)
	}
	return true
}

func (p *printer) moreOp(o ast.Operator) bool {
	switch o := o.(type) {
	case *ast.MvExpandOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		list(p, o.Items, p.mvItem)
		p.limit(o.Limit.IsValid() || o.N != nil, o.N)
	case *ast.ParseOp:
		p.parse(o)
	case *ast.ParseKVOp:
		p.parseKV(o)
	case *ast.MakeSeriesOp:
		p.makeSeries(o)
	case *ast.EvaluateOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.call(o.Call)
		if o.Schema != nil {
			p.write(" : ")
			p.schema(o.Schema)
		}
	case *ast.InvokeOp:
		p.write(o.Word + " ")
		p.call(o.Call)
	case *ast.AsOp:
		p.kw(o.Word, o.Params)
		p.write(" ")
		p.ident(o.Table)
	case *ast.GetSchemaOp:
		p.write(o.Word)
	case *ast.ConsumeOp:
		p.kw(o.Word, o.Params)
	case *ast.SerializeOp:
		p.write(o.Word)
		p.cols(o.Cols)
	case *ast.RenderOp:
		p.write(o.Word + " ")
		p.ident(o.Chart)
		if o.With.IsValid() || len(o.Props) > 0 {
			p.withProps(o.Props)
		}
	case *ast.TopNestedOp:
		for i, l := range o.Levels {
			if i > 0 {
				p.write(", ")
			}
			p.write(o.Word + " ")
			p.topNestedLevel(l)
		}
	case *ast.TopHittersOp:
		p.write(o.Word + " ")
		p.expr(o.N)
		p.write(" of ")
		p.expr(o.Col)
		if o.Weight != nil {
			p.write(" by ")
			p.expr(o.Weight)
		}
	default:
		return false
	}
	return true
}

func (p *printer) summarize(o *ast.SummarizeOp) {
	p.kw(o.Word, o.Params)
	p.cols(o.Aggs)
	if o.By.IsValid() || len(o.Keys) > 0 {
		p.write(" by ")
		p.columnDefs(o.Keys)
	}
}

// limit writes " limit N" of mv-expand and mv-apply.
func (p *printer) limit(has bool, n ast.Expr) {
	if has {
		p.write(" limit ")
		p.expr(n)
	}
}

func (p *printer) mvItem(m *ast.MvExpandItem) {
	p.columnDef(m.Col)
	if m.ToType != nil {
		p.write(" to typeof(")
		p.typeRef(m.ToType)
		p.write(")")
	}
}

func (p *printer) parse(o *ast.ParseOp) {
	p.kw(o.Word, o.Params)
	p.write(" ")
	p.expr(o.X)
	p.write(" with")
	for _, part := range o.Pattern {
		p.write(" ")
		p.parsePart(part)
	}
}

func (p *printer) parsePart(part *ast.ParsePart) {
	switch {
	case part.Lit != nil:
		p.expr(part.Lit)
	case part.Col != nil:
		p.ident(part.Col)
		if part.Type != nil {
			p.write(":")
			p.typeRef(part.Type)
		}
	default:
		p.write("*")
	}
}

func (p *printer) parseKV(o *ast.ParseKVOp) {
	p.write(o.Word + " ")
	p.expr(o.X)
	p.write(" as (")
	list(p, o.Cols, p.columnDecl)
	p.write(")")
	if o.With.IsValid() || len(o.Props) > 0 {
		p.withProps(o.Props)
	}
}

func (p *printer) makeSeries(o *ast.MakeSeriesOp) {
	p.kw(o.Word, o.Params)
	p.write(" ")
	list(p, o.Aggs, p.makeSeriesAgg)
	p.write(" on ")
	p.expr(o.Axis)
	if o.Range != nil {
		p.write(" in ")
		p.call(o.Range)
	}
	for _, c := range []struct {
		word string
		x    ast.Expr
	}{{" from ", o.From}, {" to ", o.To}, {" step ", o.Step}} {
		if c.x != nil {
			p.write(c.word)
			p.expr(c.x)
		}
	}
	if o.By.IsValid() || len(o.Keys) > 0 {
		p.write(" by ")
		p.columnDefs(o.Keys)
	}
}

func (p *printer) makeSeriesAgg(a *ast.MakeSeriesAgg) {
	p.columnDef(a.Col)
	if a.DefaultValue != nil {
		p.write(" default=")
		p.expr(a.DefaultValue)
	}
}

func (p *printer) topNestedLevel(l *ast.TopNestedLevel) {
	if l.N != nil {
		p.expr(l.N)
		p.write(" ")
	}
	p.write("of ")
	p.columnDef(l.Col)
	if l.Others != nil {
		p.write(" with others = ")
		p.expr(l.Others)
	}
	p.write(" by ")
	p.columnDef(l.Agg)
	if l.Order != "" {
		p.write(" " + l.Order)
	}
}
