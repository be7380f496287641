package printer

// This file prints expressions, scalar and tabular.

import (
	"fmt"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func (p *printer) expr(x ast.Expr) {
	switch x := x.(type) {
	case *ast.Ident:
		p.ident(x)
	case *ast.BasicLit:
		p.write(x.Value)
	case *ast.TypedLit:
		p.write(x.Type + "(" + x.Text + ")")
	case *ast.DynamicLit:
		p.write("dynamic(")
		if x.Value != nil {
			p.expr(x.Value)
		}
		p.write(")")
	case *ast.ArrayLit:
		p.group(group{open: "[", close: "]", sep: ",", lpos: x.Lbrack, rpos: x.Rbrack, elems: exprElems(x.Elems)})
	case *ast.BagLit:
		p.bagLit(x)
	case *ast.ParenExpr:
		p.group(group{open: "(", close: ")", lpos: x.Lparen, rpos: x.Rparen,
			elems: exprElems([]ast.Expr{x.X}), long: anyTabular(x.X)})
	case *ast.UnaryExpr:
		p.write(x.Op.String())
		if startsWithSign(x.X) {
			p.write(" ")
		}
		p.expr(x.X)
	case *ast.BinaryExpr:
		p.expr(x.X)
		if x.Op == token.COLON { // search's Col:"text"
			p.write(":")
		} else {
			p.write(" " + x.Op.String() + " ")
		}
		p.expr(x.Y)
	case *ast.InExpr:
		p.expr(x.X)
		p.write(" " + x.Op.String() + " ")
		p.group(group{open: "(", close: ")", sep: ",", lpos: x.Lparen, rpos: x.Rparen,
			elems: exprElems(x.List), long: anyTabular(x.List...)})
	case *ast.BetweenExpr:
		p.between(x)
	case *ast.CallExpr:
		p.call(x)
	case *ast.NamedArg:
		p.ident(x.Name)
		p.write("=")
		p.expr(x.Value)
	case *ast.StarExpr:
		p.write("*")
	case *ast.SelectorExpr:
		p.expr(x.X)
		p.write(".")
		p.ident(x.Sel)
	case *ast.IndexExpr:
		p.expr(x.X)
		p.write("[")
		p.expr(x.Index)
		p.write("]")
	case *ast.SchemaExpr:
		p.write("typeof")
		p.schema(x)
	case *ast.FuncLit:
		p.funcLit(x)
	case *ast.PipeExpr:
		p.pipe(x)
	case *ast.BadExpr:
		p.write("BadExpr")
	case nil:
		p.write("<nil>")
	default:
		p.write(fmt.Sprintf("<%T>", x))
	}
}

// pipe writes a pipeline: on one line when it has a single operator (or
// in flat mode), else the source and then each "| op" on a line of its
// own at the current indentation. A comment between the source and a
// single operator breaks the line too, so that the comment stays there.
func (p *printer) pipe(x *ast.PipeExpr) {
	head, ops := flatten(x)
	broken := !p.flat && (len(ops) > 1 || head != nil && p.hasComments(head.End(), ops[0].Pos()))
	if head != nil {
		p.expr(head)
	} else {
		p.op(ops[0])
		ops = ops[1:]
	}
	for _, op := range ops {
		if broken {
			p.lineStart(op.Pos())
		} else {
			p.write(" ")
		}
		p.write("| ")
		p.op(op)
	}
}

// flatten returns the source of a pipeline (nil when it starts with an
// operator) and its operators in order.
func flatten(x *ast.PipeExpr) (ast.Expr, []ast.Operator) {
	var ops []ast.Operator
	var head ast.Expr
	for {
		ops = append(ops, x.Op)
		inner, ok := x.X.(*ast.PipeExpr)
		if !ok {
			head = x.X
			break
		}
		x = inner
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return head, ops
}

func (p *printer) between(x *ast.BetweenExpr) {
	p.expr(x.X)
	if x.Not {
		p.write(" !between (")
	} else {
		p.write(" between (")
	}
	p.expr(x.Lo)
	p.write(" .. ")
	p.expr(x.Hi)
	p.write(")")
}

func (p *printer) call(x *ast.CallExpr) {
	p.ident(x.Fun)
	p.group(group{open: "(", close: ")", sep: ",", lpos: x.Lparen, rpos: x.Rparen,
		elems: exprElems(x.Args), long: anyTabular(x.Args...)})
}

func (p *printer) bagLit(x *ast.BagLit) {
	es := make([]elem, len(x.Entries))
	for i, e := range x.Entries {
		es[i] = elem{pos: e.Pos(), print: func(p *printer) { p.bagEntry(e) }}
	}
	p.group(group{open: "{", close: "}", sep: ",", lpos: x.Lbrace, rpos: x.Rbrace, elems: es})
}

func (p *printer) bagEntry(e *ast.BagEntry) {
	p.expr(e.Key)
	p.write(": ")
	p.expr(e.Value)
}

// startsWithSign reports whether x prints with a leading + or -, so that a
// unary operator before it needs a space ("- -1").
func startsWithSign(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.UnaryExpr:
		return true
	case *ast.BasicLit:
		return strings.HasPrefix(x.Value, "-") || strings.HasPrefix(x.Value, "+")
	case *ast.BinaryExpr:
		return startsWithSign(x.X)
	case *ast.InExpr:
		return startsWithSign(x.X)
	case *ast.BetweenExpr:
		return startsWithSign(x.X)
	case *ast.SelectorExpr:
		return startsWithSign(x.X)
	case *ast.IndexExpr:
		return startsWithSign(x.X)
	}
	return false
}

// ident writes a name; a quoted one as ['name'].
func (p *printer) ident(id *ast.Ident) {
	switch {
	case id == nil:
		p.write("<nil>")
	case id.Quoted:
		p.write("['" + escape(id.Name) + "']")
	default:
		p.write(id.Name)
	}
}

// escape returns s with the characters that cannot appear as such between
// single quotes written as escape sequences.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\x%02x`, c)
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}
