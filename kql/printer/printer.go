package printer

// This file implements the public API, the output buffer, comment placement
// and the layout of line-breakable groups.

import (
	"io"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// maxWidth is the column up to which a parenthesized sub-query stays on
// one line.
const maxWidth = 100

const indentUnit = "    "

// Fprint writes the canonical text of q to w, followed by a newline. Every
// comment of q.Comments is kept, on a line of its own (or after its element
// in a list broken over lines); a comment that sat inside an operator
// moves to just before the next line of output. Bad nodes print as their
// type name (BadExpr), so format only queries that parsed without error.
func Fprint(w io.Writer, q *ast.Query) error {
	_, err := io.WriteString(w, Query(q))
	return err
}

// Query returns the canonical text of q, comments included, as Fprint
// writes it.
func Query(q *ast.Query) string {
	p := &printer{comments: q.Comments}
	p.query(q)
	return p.buf.String()
}

// Node returns the canonical text of any node (a query, statement,
// operator, expression or helper node) on one line, without comments. An
// operator prints without its leading "| ".
func Node(n ast.Node) string {
	p := &printer{flat: true}
	p.node(n)
	return p.buf.String()
}

// printer accumulates output. In flat mode everything goes on one line and
// comments are not emitted.
type printer struct {
	buf      strings.Builder
	col      int // bytes written since the last newline
	indent   int
	flat     bool
	comments []*ast.Comment
	next     int // index of the first comment not yet emitted
}

func (p *printer) write(s string) {
	p.buf.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		p.col = len(s) - i - 1
	} else {
		p.col += len(s)
	}
}

// breakLine starts a new line at the current indentation.
func (p *printer) breakLine() {
	if p.buf.Len() > 0 {
		p.write("\n")
	}
	p.write(strings.Repeat(indentUnit, p.indent))
}

// lineStart starts a new line for an element at pos, first emitting on
// lines of their own the comments that precede pos in the source.
func (p *printer) lineStart(pos token.Pos) {
	p.commentsBefore(pos)
	p.breakLine()
}

// commentsBefore emits, each on a new line, the comments before pos.
func (p *printer) commentsBefore(pos token.Pos) {
	for pos.IsValid() && p.next < len(p.comments) && p.comments[p.next].Slash < pos {
		p.breakLine()
		p.write(commentText(p.comments[p.next]))
		p.next++
	}
}

// trailingComment writes at the end of the current line the next comment
// if it starts before pos: in a list, a comment after an element usually
// describes that element.
func (p *printer) trailingComment(pos token.Pos) {
	if pos.IsValid() && p.next < len(p.comments) && p.comments[p.next].Slash < pos {
		p.write(" " + commentText(p.comments[p.next]))
		p.next++
	}
}

// flushComments emits every comment not yet emitted, each on its own line
// at indentation zero.
func (p *printer) flushComments() {
	p.indent = 0
	for ; p.next < len(p.comments); p.next++ {
		p.breakLine()
		p.write(commentText(p.comments[p.next]))
	}
}

// commentText is the text of c without trailing white space.
func commentText(c *ast.Comment) string {
	return strings.TrimRight(c.Text, " \t\r")
}

// hasComments reports whether a comment not yet emitted starts in [from, to).
func (p *printer) hasComments(from, to token.Pos) bool {
	if p.flat || !from.IsValid() || to <= from {
		return false
	}
	rest := p.comments[p.next:]
	i := sort.Search(len(rest), func(i int) bool { return rest[i].Slash >= from })
	return i < len(rest) && rest[i].Slash < to
}

// flatString renders f on one line with a scratch printer.
func flatString(f func(p *printer)) string {
	q := &printer{flat: true}
	f(q)
	return q.buf.String()
}

// elem is one element of a group: its source position (for comments) and
// how to print it.
type elem struct {
	pos   token.Pos
	print func(p *printer)
}

// group describes a bracketed list: "(a, b)", "{ s1; s2 }", "[1, 2]".
type group struct {
	open, close string
	pad         bool   // flat form has spaces inside the brackets: "{ x }"
	sep         string // written after every element but the last
	lpos, rpos  token.Pos
	elems       []elem
	// long: the group is broken when its flat form would pass maxWidth
	// (sub-queries, function bodies); otherwise only comments break it.
	long bool
}

// group writes g on one line when it fits, else one element per line,
// indented, with the closing bracket on a line of its own. In a broken
// comma-separated list, a comment after an element stays at the end of
// its line; other comments go on lines of their own.
func (p *printer) group(g group) {
	from := g.lpos
	if !from.IsValid() && len(g.elems) > 0 {
		from = g.elems[0].pos
	}
	if p.flat || !p.hasComments(from, g.rpos+1) {
		if p.flat || !g.long {
			p.groupFlat(g)
			return
		}
		if s := flatString(func(q *printer) { q.groupFlat(g) }); p.col+len(s) <= maxWidth && !strings.Contains(s, "\n") {
			p.write(s)
			return
		}
	}
	if len(g.elems) == 0 {
		p.groupFlat(g)
		return
	}
	p.write(g.open)
	p.indent++
	for i, e := range g.elems {
		p.lineStart(e.pos)
		e.print(p)
		next := g.rpos
		if i < len(g.elems)-1 {
			p.write(g.sep)
			next = g.elems[i+1].pos
		}
		if g.sep == "," {
			p.trailingComment(next)
		}
	}
	p.commentsBefore(g.rpos)
	p.indent--
	p.breakLine()
	p.write(g.close)
}

func (p *printer) groupFlat(g group) {
	p.write(g.open)
	if g.pad && len(g.elems) > 0 {
		p.write(" ")
	}
	for i, e := range g.elems {
		if i > 0 {
			p.write(strings.TrimRight(g.sep, " ") + " ")
		}
		e.print(p)
	}
	if g.pad && len(g.elems) > 0 {
		p.write(" ")
	}
	p.write(g.close)
}

// exprElems makes group elements of expressions.
func exprElems(xs []ast.Expr) []elem {
	es := make([]elem, len(xs))
	for i, x := range xs {
		es[i] = elem{pos: x.Pos(), print: func(p *printer) { p.expr(x) }}
	}
	return es
}

// anyTabular reports whether one of xs is a pipeline, which makes the
// group around it break when long.
func anyTabular(xs ...ast.Expr) bool {
	for _, x := range xs {
		if _, ok := x.(*ast.PipeExpr); ok {
			return true
		}
	}
	return false
}

// list writes items separated by ", ".
func list[T any](p *printer, items []T, f func(T)) {
	for i, it := range items {
		if i > 0 {
			p.write(", ")
		}
		f(it)
	}
}

func (p *printer) node(n ast.Node) {
	switch n := n.(type) {
	case *ast.Query:
		for i, s := range n.Stmts {
			if i > 0 {
				p.write(" ")
			}
			p.stmt(s)
			if needSemi(n.Stmts, i) {
				p.write(";")
			}
		}
	case ast.Stmt:
		p.stmt(n)
	case ast.Expr:
		p.expr(n)
	case ast.Operator:
		p.op(n)
	case *ast.Comment:
		p.write(commentText(n))
	default:
		p.helper(n)
	}
}
