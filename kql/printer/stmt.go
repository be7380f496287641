package printer

// This file prints queries, statements, function literals and the helper
// nodes shared by several operators.

import (
	"github.com/vigil-hunt/vigil/kql/ast"
)

// query writes one statement per line, each but the final query expression
// ending in ";", then the comments that follow the last statement.
func (p *printer) query(q *ast.Query) {
	for i, s := range q.Stmts {
		p.lineStart(s.Pos())
		p.stmt(s)
		if needSemi(q.Stmts, i) {
			p.write(";")
		}
	}
	p.flushComments()
	if p.buf.Len() > 0 {
		p.write("\n")
	}
}

// needSemi reports whether stmts[i] is followed by a semicolon: every
// statement is, except a final expression statement.
func needSemi(stmts []ast.Stmt, i int) bool {
	if i < len(stmts)-1 {
		return true
	}
	_, isExpr := stmts[i].(*ast.ExprStmt)
	return !isExpr
}

func (p *printer) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.LetStmt:
		p.write("let ")
		p.ident(s.Name)
		p.write(" = ")
		p.expr(s.Value)
	case *ast.SetStmt:
		p.write("set ")
		p.ident(s.Name)
		if s.Value != nil {
			p.write(" = ")
			p.expr(s.Value)
		}
	case *ast.DeclareStmt:
		p.write("declare query_parameters(")
		list(p, s.Params, p.funcParam)
		p.write(")")
	case *ast.ExprStmt:
		p.expr(s.X)
	case *ast.BadStmt:
		p.write("BadStmt")
	case nil:
		p.write("<nil>")
	}
}

// funcLit writes [view ](params) { body }: on one line when short, else
// one body statement per line.
func (p *printer) funcLit(f *ast.FuncLit) {
	if f.View.IsValid() {
		p.write("view ")
	}
	p.write("(")
	list(p, f.Params, p.funcParam)
	p.write(") ")
	es := make([]elem, len(f.Body))
	for i, s := range f.Body {
		es[i] = elem{pos: s.Pos(), print: func(p *printer) {
			p.stmt(s)
			if needSemi(f.Body, i) {
				p.write(";")
			}
		}}
	}
	p.group(group{open: "{", close: "}", pad: true, lpos: f.Lbrace, rpos: f.Rbrace, elems: es, long: true})
}

func (p *printer) funcParam(fp *ast.FuncParam) {
	p.ident(fp.Name)
	if fp.Type != nil {
		p.write(":")
		p.typeRef(fp.Type)
	}
	if fp.Default != nil {
		p.write(" = ")
		p.expr(fp.Default)
	}
}

// typeRef writes a scalar type name or a tabular schema "(a:string, *)".
func (p *printer) typeRef(t *ast.TypeRef) {
	if t.Tabular != nil {
		p.schema(t.Tabular)
		return
	}
	p.write(t.Name)
}

// schema writes "(cols[, *])" without the typeof keyword.
func (p *printer) schema(s *ast.SchemaExpr) {
	p.write("(")
	list(p, s.Cols, p.columnDecl)
	if s.Star {
		if len(s.Cols) > 0 {
			p.write(", ")
		}
		p.write("*")
	}
	p.write(")")
}

func (p *printer) columnDecl(d *ast.ColumnDecl) {
	p.ident(d.Name)
	if d.Type != nil {
		p.write(":")
		p.typeRef(d.Type)
	}
}

// params writes operator options, each preceded by a space: " kind=inner".
func (p *printer) params(ps []*ast.Param) {
	for _, prm := range ps {
		p.write(" ")
		p.param(prm)
	}
}

func (p *printer) param(prm *ast.Param) {
	p.ident(prm.Name)
	p.write("=")
	p.expr(prm.Value)
}

// withProps writes " with (a=1, b=2)".
func (p *printer) withProps(ps []*ast.Param) {
	p.write(" with (")
	list(p, ps, p.param)
	p.write(")")
}

// columnDef writes "X", "Name = X" or "(A, B) = X".
func (p *printer) columnDef(c *ast.ColumnDef) {
	if len(c.Names) > 0 || c.Lparen.IsValid() {
		if c.Lparen.IsValid() || len(c.Names) > 1 {
			p.write("(")
			list(p, c.Names, p.ident)
			p.write(")")
		} else {
			p.ident(c.Names[0])
		}
		p.write(" = ")
	}
	p.expr(c.X)
}

func (p *printer) columnDefs(cs []*ast.ColumnDef) {
	list(p, cs, p.columnDef)
}

func (p *printer) sortKey(k *ast.SortKey) {
	p.expr(k.X)
	if k.Order != "" {
		p.write(" " + k.Order)
	}
	if k.Nulls != "" {
		p.write(" nulls " + k.Nulls)
	}
}

func (p *printer) sortKeys(ks []*ast.SortKey) {
	list(p, ks, p.sortKey)
}

// helper prints the nodes that are neither expressions, operators nor
// statements.
func (p *printer) helper(n ast.Node) {
	switch n := n.(type) {
	case *ast.ColumnDef:
		p.columnDef(n)
	case *ast.SortKey:
		p.sortKey(n)
	case *ast.Param:
		p.param(n)
	case *ast.FuncParam:
		p.funcParam(n)
	case *ast.TypeRef:
		p.typeRef(n)
	case *ast.ColumnDecl:
		p.columnDecl(n)
	case *ast.BagEntry:
		p.bagEntry(n)
	case *ast.MvExpandItem:
		p.mvItem(n)
	case *ast.ParsePart:
		p.parsePart(n)
	case *ast.MakeSeriesAgg:
		p.makeSeriesAgg(n)
	case *ast.ScanStep:
		p.scanStep(n)
	case *ast.ForkBranch:
		p.forkBranch(n)
	case *ast.TopNestedLevel:
		p.topNestedLevel(n)
	default:
		p.graphHelper(n)
	}
}
