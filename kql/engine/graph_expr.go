package engine

// This file compiles the where and project expressions of graph-match and
// graph-shortest-paths. They name pattern variables (start.station,
// node_id(n), all(e, line == "red"), map(inner_nodes(e), station)), which
// the compiler rewrites into references to columns that this file
// computes from the matches, so that the rest of the expression runs
// through the ordinary scalar compiler.
//
// Evaluation has levels. Level 0 has one row per match. all(), any() and
// map() over a sequence (the edges of an edge variable, or their
// inner_nodes()) open a deeper level with one row per element of the
// sequence for each row of the level above; inside it a bare name is a
// property of the element and node_id(), labels(), node_degree_in() and
// node_degree_out() without argument read the element. A level's batch
// repeats the plain columns of the level above, so an expression inside
// all() may also read start.station.

import (
	"fmt"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// gitemKind is what a computed column holds.
type gitemKind uint8

const (
	giProp   gitemKind = iota // a property of a node or an edge
	giID                      // node_id()
	giDegIn                   // node_degree_in()
	giDegOut                  // node_degree_out()
	giLabels                  // labels(): always empty, make-graph graphs have none
	giList                    // a property (col -1: all, as a bag) of each edge of a variable-length edge, as an array
	giBag                     // all the properties of a node or an edge, as a bag
	giQuant                   // all(), any() or map() over a sequence
)

// gitem is a column computed for the rewritten expressions.
type gitem struct {
	kind  gitemKind
	level int
	node  bool // reads a node rather than an edge
	v     int  // the variable read (level 0), or -1: the level's element
	col   int  // the property read
	typ   types.Type
	name  string
	q     *gquant
}

// gquant is all(), any() or map() of body over the sequence of level child.
type gquant struct {
	fn    string
	child int
	body  ast.Expr
	x     expr
}

// glevel is one level of evaluation.
type glevel struct {
	parent int  // -1 for level 0
	v      int  // the edge variable whose sequence the rows are elements of
	inner  bool // the elements are the sequence's inner nodes, not its edges
	own    []int
	quants []int
	schema *types.Schema // the parent's plain columns, own plain columns, quantifiers
	plain  int           // number of columns before the quantifiers
}

// gexprs rewrites and evaluates the expressions of one graph operator.
type gexprs struct {
	c      *compiler
	sc     *scope
	sh     *graphShape
	p      *pattern
	what   string
	items  []*gitem
	keys   map[string]int
	levels []*glevel
	refs   map[int]bool // items read by the expression being rewritten
}

func newGExprs(c *compiler, sc *scope, sh *graphShape, p *pattern, what string) *gexprs {
	return &gexprs{c: c, sc: sc, sh: sh, p: p, what: what, keys: map[string]int{},
		levels: []*glevel{{parent: -1, v: -1}}}
}

// add registers an item (once for plain items) and returns a reference
// to its column at pos.
func (g *gexprs) add(it gitem, at ast.Node) ast.Expr {
	key := fmt.Sprintf("%d/%d/%t/%d/%d", it.kind, it.level, it.node, it.v, it.col)
	i, ok := g.keys[key]
	if !ok || it.kind == giQuant {
		i = len(g.items)
		it.name = "\x00g" + strconv.Itoa(i)
		g.items = append(g.items, &it)
		lv := g.levels[it.level]
		if it.kind == giQuant {
			lv.quants = append(lv.quants, i)
		} else {
			lv.own = append(lv.own, i)
			g.keys[key] = i
		}
	}
	if g.refs != nil {
		g.refs[i] = true
	}
	return g.ref(i, at)
}

// ref is a name for item i's column, placed at the node it replaces.
func (g *gexprs) ref(i int, at ast.Node) ast.Expr {
	return &ast.Ident{NamePos: at.Pos(), Name: g.items[i].name, EndPos: at.End()}
}

// rewrite returns e with the graph references replaced, as an expression
// evaluated at level lv.
func (g *gexprs) rewrite(e ast.Expr, lv int) (ast.Expr, error) {
	switch x := e.(type) {
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if pv, ok := g.p.vars[id.Name]; ok {
				return g.varProp(x, pv, lv)
			}
		}
		nx, err := g.rewrite(x.X, lv)
		return &ast.SelectorExpr{X: nx, Dot: x.Dot, Sel: x.Sel}, err
	case *ast.Ident:
		if pv, ok := g.p.vars[x.Name]; ok {
			return g.wholeVar(x, pv), nil
		}
		if r, ok := g.elemProp(x, lv); ok {
			return r, nil
		}
		return x, nil
	case *ast.CallExpr:
		return g.call(x, lv)
	case *ast.ParenExpr:
		nx, err := g.rewrite(x.X, lv)
		return &ast.ParenExpr{Lparen: x.Lparen, X: nx, Rparen: x.Rparen}, err
	case *ast.UnaryExpr:
		nx, err := g.rewrite(x.X, lv)
		return &ast.UnaryExpr{OpPos: x.OpPos, Op: x.Op, X: nx}, err
	case *ast.BinaryExpr:
		l, err := g.rewrite(x.X, lv)
		if err != nil {
			return nil, err
		}
		r, err := g.rewrite(x.Y, lv)
		return &ast.BinaryExpr{X: l, OpPos: x.OpPos, Op: x.Op, Y: r}, err
	case *ast.InExpr:
		nx, err := g.rewrite(x.X, lv)
		if err != nil {
			return nil, err
		}
		list, err := g.rewriteList(x.List, lv)
		return &ast.InExpr{X: nx, OpPos: x.OpPos, Op: x.Op, Lparen: x.Lparen, List: list, Rparen: x.Rparen}, err
	case *ast.BetweenExpr:
		list, err := g.rewriteList([]ast.Expr{x.X, x.Lo, x.Hi}, lv)
		if err != nil {
			return nil, err
		}
		return &ast.BetweenExpr{X: list[0], OpPos: x.OpPos, Not: x.Not, Lparen: x.Lparen, Lo: list[1], Hi: list[2], Rparen: x.Rparen}, nil
	case *ast.IndexExpr:
		list, err := g.rewriteList([]ast.Expr{x.X, x.Index}, lv)
		if err != nil {
			return nil, err
		}
		return &ast.IndexExpr{X: list[0], Lbrack: x.Lbrack, Index: list[1], Rbrack: x.Rbrack}, nil
	case *ast.NamedArg:
		nx, err := g.rewrite(x.Value, lv)
		return &ast.NamedArg{Name: x.Name, Assign: x.Assign, Value: nx}, err
	}
	return e, nil // literals, sub-queries
}

func (g *gexprs) rewriteList(xs []ast.Expr, lv int) ([]ast.Expr, error) {
	out := make([]ast.Expr, len(xs))
	for i, x := range xs {
		var err error
		if out[i], err = g.rewrite(x, lv); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// varProp is v.Prop for a pattern variable v.
func (g *gexprs) varProp(x *ast.SelectorExpr, pv patVar, lv int) (ast.Expr, error) {
	name, prop := x.X.(*ast.Ident).Name, x.Sel.Name
	if !pv.edge {
		col := g.sh.nodes.Index(prop)
		if col < 0 {
			return nil, errorf(x.Sel.Pos(), g.what, "node %s has no property %s", name, prop)
		}
		return g.add(gitem{kind: giProp, node: true, v: pv.i, col: col, typ: g.sh.nodes.Columns[col].Type}, x), nil
	}
	col := g.sh.edges.Index(prop)
	if col < 0 {
		return nil, errorf(x.Sel.Pos(), g.what, "edge %s has no property %s", name, prop)
	}
	typ := g.sh.edges.Columns[col].Type
	if !g.p.edges[pv.i].varLen {
		return g.add(gitem{kind: giProp, v: pv.i, col: col, typ: typ}, x), nil
	}
	for k := lv; k > 0; k = g.levels[k].parent {
		if l := g.levels[k]; l.v == pv.i && !l.inner {
			return g.add(gitem{kind: giProp, level: k, v: -1, col: col, typ: typ}, x), nil
		}
	}
	return g.add(gitem{kind: giList, v: pv.i, col: col, typ: types.Dynamic}, x), nil
}

// wholeVar is a pattern variable used as a value: a bag of a node's or an
// edge's properties, an array of bags for a variable-length edge (so that
// array_length(e) counts its edges).
func (g *gexprs) wholeVar(x *ast.Ident, pv patVar) ast.Expr {
	kind := giBag
	if pv.edge && g.p.edges[pv.i].varLen {
		kind = giList
	}
	return g.add(gitem{kind: kind, node: !pv.edge, v: pv.i, col: -1, typ: types.Dynamic}, x)
}

// elemProp resolves a bare name inside all(), any() or map() to a property
// of the innermost element that has one.
func (g *gexprs) elemProp(id *ast.Ident, lv int) (ast.Expr, bool) {
	for k := lv; k > 0; k = g.levels[k].parent {
		s := g.sh.edges
		if g.levels[k].inner {
			s = g.sh.nodes
		}
		if col := s.Index(id.Name); col >= 0 {
			return g.add(gitem{kind: giProp, level: k, node: g.levels[k].inner, v: -1, col: col, typ: s.Columns[col].Type}, id), true
		}
	}
	return nil, false
}

// graphFuncs are the functions of graph elements, by the item they read.
var graphFuncs = map[string]gitemKind{
	"node_id": giID, "node_degree_in": giDegIn, "node_degree_out": giDegOut, "labels": giLabels,
}

// call rewrites graph functions and the arguments of other calls.
func (g *gexprs) call(x *ast.CallExpr, lv int) (ast.Expr, error) {
	name := x.Fun.Name
	switch {
	case (name == "all" || name == "any" || name == "map") && len(x.Args) == 2:
		if v, inner, ok, err := g.sequence(x.Args[0]); err != nil {
			return nil, err
		} else if ok {
			return g.quantifier(x, name, v, inner, lv)
		}
	case name == "inner_nodes":
		return nil, errorf(x.Pos(), g.what, "inner_nodes() may only be the first argument of all(), any() or map()")
	}
	if kind, ok := graphFuncs[name]; ok {
		return g.elementFunc(x, kind, lv)
	}
	args, err := g.rewriteList(x.Args, lv)
	return &ast.CallExpr{Fun: x.Fun, Lparen: x.Lparen, Args: args, Rparen: x.Rparen}, err
}

// sequence resolves the first argument of all(), any() and map(): an edge
// variable, or inner_nodes() of one. ok is false for anything else.
func (g *gexprs) sequence(arg ast.Expr) (v int, inner, ok bool, err error) {
	if c, isCall := arg.(*ast.CallExpr); isCall && c.Fun.Name == "inner_nodes" {
		if len(c.Args) != 1 {
			return 0, false, false, errorf(c.Pos(), g.what, "inner_nodes() takes one edge variable")
		}
		arg, inner = c.Args[0], true
	}
	id, isIdent := arg.(*ast.Ident)
	if !isIdent {
		if inner {
			return 0, false, false, errorf(arg.Pos(), g.what, "inner_nodes() takes an edge variable of the pattern")
		}
		return 0, false, false, nil
	}
	pv, found := g.p.vars[id.Name]
	switch {
	case !found && !inner:
		return 0, false, false, nil
	case !found || !pv.edge:
		return 0, false, false, errorf(arg.Pos(), g.what, "%s is not an edge variable of the pattern", id.Name)
	}
	return pv.i, inner, true, nil
}

// quantifier compiles all(), any() or map() over a sequence.
func (g *gexprs) quantifier(x *ast.CallExpr, fn string, v int, inner bool, lv int) (ast.Expr, error) {
	child := g.newLevel(lv, v, inner)
	typ := types.Bool
	if fn == "map" {
		typ = types.Dynamic
	}
	q := &gquant{fn: fn, child: child}
	r := g.add(gitem{kind: giQuant, level: lv, v: -1, col: -1, typ: typ, q: q}, x)
	body, err := g.rewrite(x.Args[1], child)
	q.body = body
	return r, err
}

// newLevel opens a level over the sequence of edge variable v.
func (g *gexprs) newLevel(parent, v int, inner bool) int {
	g.levels = append(g.levels, &glevel{parent: parent, v: v, inner: inner})
	return len(g.levels) - 1
}

// elementFunc compiles node_id(), labels(), node_degree_in() and
// node_degree_out(), of a variable or (without argument) of the element.
func (g *gexprs) elementFunc(x *ast.CallExpr, kind gitemKind, lv int) (ast.Expr, error) {
	typ := types.Long
	switch kind {
	case giID:
		typ = g.sh.idType
	case giLabels:
		typ = types.Dynamic
	}
	switch len(x.Args) {
	case 0:
		if lv == 0 || !g.levels[lv].inner && kind != giLabels {
			return nil, errorf(x.Pos(), g.what, "%s() without an argument reads the node of all(), any() or map() over inner_nodes()", x.Fun.Name)
		}
		return g.add(gitem{kind: kind, level: lv, node: g.levels[lv].inner, v: -1, typ: typ}, x), nil
	case 1:
		id, ok := x.Args[0].(*ast.Ident)
		pv, found := g.p.vars[identName(id, ok)]
		if !found {
			return nil, errorf(x.Args[0].Pos(), g.what, "%s() takes a variable of the pattern", x.Fun.Name)
		}
		if pv.edge && kind != giLabels {
			return nil, errorf(x.Args[0].Pos(), g.what, "%s() takes a node variable; %s is an edge", x.Fun.Name, id.Name)
		}
		if pv.edge && g.p.edges[pv.i].varLen {
			return nil, errorf(x.Args[0].Pos(), g.what, "labels() of a variable-length edge: use map(%s, labels())", id.Name)
		}
		return g.add(gitem{kind: kind, node: !pv.edge, v: pv.i, typ: typ}, x), nil
	}
	return nil, errorf(x.Pos(), g.what, "%s() takes at most one argument", x.Fun.Name)
}

func identName(id *ast.Ident, ok bool) string {
	if !ok {
		return "\x00"
	}
	return id.Name
}

// conjunct rewrites one and-ed term of the where clause. A term that
// names a property of a variable-length edge directly holds for the
// match when it holds for every edge of the sequence.
func (g *gexprs) conjunct(e ast.Expr) (ast.Expr, error) {
	vars := g.directSequences(e)
	if len(vars) == 0 {
		return g.rewrite(e, 0)
	}
	lv := 0
	var refs []ast.Expr
	var qs []*gquant
	for _, v := range vars {
		child := g.newLevel(lv, v, false)
		q := &gquant{fn: "all", child: child}
		refs = append(refs, g.add(gitem{kind: giQuant, level: lv, v: -1, col: -1, typ: types.Bool, q: q}, e))
		qs = append(qs, q)
		lv = child
	}
	body, err := g.rewrite(e, lv)
	if err != nil {
		return nil, err
	}
	for i := len(qs) - 1; i >= 0; i-- {
		qs[i].body = body
		body = refs[i]
	}
	return body, nil
}

// directSequences lists the variable-length edges whose properties e
// names outside graph functions, in order of first mention.
func (g *gexprs) directSequences(e ast.Expr) []int {
	var out []int
	seen := map[int]bool{}
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if _, _, ok, _ := g.sequence(firstArg(x)); ok && (x.Fun.Name == "all" || x.Fun.Name == "any" || x.Fun.Name == "map") {
				return false
			}
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				if pv, ok := g.p.vars[id.Name]; ok && pv.edge && g.p.edges[pv.i].varLen && !seen[pv.i] {
					seen[pv.i] = true
					out = append(out, pv.i)
				}
			}
		case *ast.PipeExpr:
			return false
		}
		return true
	})
	return out
}

func firstArg(x *ast.CallExpr) ast.Expr {
	if len(x.Args) == 0 {
		return &ast.BadExpr{}
	}
	return x.Args[0]
}

// finish lays out the levels' columns and compiles the quantifiers'
// bodies; call it once every expression is rewritten.
func (g *gexprs) finish() error {
	for _, l := range g.levels {
		s := &types.Schema{}
		if l.parent >= 0 {
			p := g.levels[l.parent]
			s.Columns = append(s.Columns, p.schema.Columns[:p.plain]...)
		}
		for _, i := range l.own {
			s.Columns = append(s.Columns, types.Column{Name: g.items[i].name, Type: g.items[i].typ})
		}
		l.plain = len(s.Columns)
		for _, i := range l.quants {
			s.Columns = append(s.Columns, types.Column{Name: g.items[i].name, Type: g.items[i].typ})
		}
		l.schema = s
	}
	for _, it := range g.items {
		if it.kind != giQuant {
			continue
		}
		x, err := g.c.expr(it.q.body, g.levels[it.q.child].schema, g.sc)
		if err != nil {
			return err
		}
		if t := x.Type(); it.q.fn != "map" && t != types.Bool && t != types.Dynamic && t != types.Unknown {
			return errorf(it.q.body.Pos(), it.q.fn+"()", "condition is %s, not bool", t)
		}
		it.q.x = x
	}
	return nil
}
