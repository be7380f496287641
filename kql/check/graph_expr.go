package check

// This file implements graph-match and graph-shortest-paths: their
// patterns, and their where and project expressions, which name pattern
// variables (start.station, node_id(n)) and graph functions (all(), any(),
// map() over an edge sequence or its inner_nodes(); node_id(), labels(),
// node_degree_in(), node_degree_out()). Each such reference is replaced by
// a column of a scope built for the operator, with the type the engine
// gives it, and the rest is checked as an ordinary expression; the types
// found are then recorded for the original nodes.

import (
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

// gvar is a pattern variable.
type gvar struct {
	edge, varLen bool
}

// graphQuery checks graph-match or graph-shortest-paths.
func (c *checker) graphQuery(in *rel, o ast.Operator, params []*ast.Param, pats []*ast.GraphPath, pred ast.Expr, cols []*ast.ColumnDef, shortest bool) *rel {
	g := c.needGraph(in, o)
	k := &graphScope{c: c, g: g, vars: c.graphPattern(o, pats, shortest), s: &types.Schema{}}
	c.graphOptions(params, shortest)
	if pred != nil {
		k.where = true
		if t := k.check(pred); concrete(t) && t != types.Bool {
			c.errorf(pred, TypeMismatch, "where clause must be bool, got %s", t)
		}
		k.where = false
	}
	out := &types.Schema{}
	for i, name := range graphColumnNames(cols) {
		t := k.check(cols[i].X)
		if out.Index(name) >= 0 {
			c.errorf(cols[i], DuplicateColumn, "duplicate column %q in %s", name, o.Name())
			continue
		}
		out.Columns = append(out.Columns, types.Column{Name: name, Type: t})
	}
	return &rel{schema: out}
}

// graphOptions checks cycles= (graph-match) and output= (shortest paths).
func (c *checker) graphOptions(params []*ast.Param, shortest bool) {
	name, valid := "cycles", map[string]bool{"all": true, "none": true, "unique_edges": true}
	if shortest {
		name, valid = "output", map[string]bool{"any": true, "all": true}
	}
	if v, p := paramValue(params, name); p != nil && !valid[v] {
		c.errorf(p, InvalidArgument, "unknown %s option %q", name, v)
	}
}

// graphPattern checks a pattern and returns its variables.
func (c *checker) graphPattern(o ast.Operator, pats []*ast.GraphPath, shortest bool) map[string]gvar {
	vars := map[string]gvar{}
	varLen := false
	for _, p := range pats {
		for _, n := range p.Nodes {
			if n.Name == nil {
				continue
			}
			if v, ok := vars[n.Name.Name]; ok && v.edge {
				c.errorf(n.Name, InvalidArgument, "%q names both an edge and a node", n.Name.Name)
			}
			vars[n.Name.Name] = gvar{}
		}
		for _, e := range p.Edges {
			varLen = varLen || e.VarLength()
			c.edgeBounds(e)
			if e.Name == nil {
				continue
			}
			if _, dup := vars[e.Name.Name]; dup {
				c.errorf(e.Name, InvalidArgument, "%q is used twice in the pattern", e.Name.Name)
			}
			vars[e.Name.Name] = gvar{edge: true, varLen: e.VarLength()}
		}
	}
	if shortest && (len(pats) != 1 || !varLen) {
		c.errorf(o, InvalidArgument, "graph-shortest-paths needs a single sequence with a variable-length edge")
	}
	return vars
}

// edgeBounds checks the length bounds of a variable-length edge.
func (c *checker) edgeBounds(e *ast.GraphEdge) {
	var lo, hi int64
	for i, b := range []ast.Expr{e.Min, e.Max} {
		if b == nil {
			continue
		}
		c.expr(b, &env{})
		v, ok := c.constInt(b)
		if !ok || v < 0 {
			c.errorf(b, InvalidArgument, "an edge length must be a constant integer of at least 0")
			return
		}
		if i == 0 {
			lo, hi = v, v
		} else {
			hi = v
		}
	}
	if hi < lo {
		c.errorf(e, InvalidArgument, "the edge length range %d..%d is empty", lo, hi)
	}
}

// graphColumnNames names the project clause's columns as the engine does:
// as written, else derived from the expression (v.Prop → v_Prop), else
// Column1, Column2, … skipping names taken.
func graphColumnNames(cols []*ast.ColumnDef) []string {
	names := make([]string, len(cols))
	taken := map[string]bool{}
	for i, cd := range cols {
		if len(cd.Names) > 0 {
			names[i] = cd.Names[0].Name
		} else {
			names[i] = ResultName(cd.X, func(ast.Expr) types.Type { return types.Unknown })
		}
		taken[names[i]] = true
	}
	nm := &namer{taken: func(s string) bool { return taken[s] }}
	for i := range names {
		if names[i] == "" {
			names[i] = nm.fresh()
		}
	}
	return names
}

// graphScope checks the expressions of one graph operator.
type graphScope struct {
	c     *checker
	g     *graphShape
	vars  map[string]gvar
	s     *types.Schema // a column per graph reference replaced
	pairs [][2]ast.Expr // original and rewritten copy
	cols  []ast.Expr    // the references to the scope's columns
	where bool          // checking the where clause
}

// gelem is the element scope of all(), any() or map(): the edges, or the
// inner nodes, of edge variable v.
type gelem struct {
	parent *gelem
	v      string
	inner  bool
}

// check types x, recording the types of its nodes.
func (k *graphScope) check(x ast.Expr) types.Type {
	return k.typeOf(k.rewrite(x, nil))
}

// typeOf checks a rewritten expression and moves the types found for its
// copies to the original nodes.
func (k *graphScope) typeOf(x ast.Expr) types.Type {
	t := k.c.expr(x, &env{rel: schemaRel(k.s)})
	for _, p := range k.pairs {
		if ct, ok := k.c.info.Types[p[1]]; ok {
			k.c.info.Types[p[0]] = ct
			delete(k.c.info.Types, p[1])
		}
	}
	k.pairs = k.pairs[:0]
	for _, c := range k.cols {
		delete(k.c.info.Types, c)
	}
	return t
}

// column replaces orig by a column of type t.
func (k *graphScope) column(orig ast.Expr, t types.Type) ast.Expr {
	name := "\x00g" + strconv.Itoa(len(k.s.Columns))
	k.s.Columns = append(k.s.Columns, types.Column{Name: name, Type: t})
	k.c.info.Types[orig] = t
	ref := &ast.Ident{NamePos: orig.Pos(), Name: name, EndPos: orig.End()}
	k.cols = append(k.cols, ref)
	return ref
}

// copied records that cp replaces orig.
func (k *graphScope) copied(orig, cp ast.Expr) ast.Expr {
	k.pairs = append(k.pairs, [2]ast.Expr{orig, cp})
	return cp
}

// rewrite replaces the graph references of x within element scope el.
func (k *graphScope) rewrite(x ast.Expr, el *gelem) ast.Expr {
	switch y := x.(type) {
	case *ast.SelectorExpr:
		if id, ok := y.X.(*ast.Ident); ok {
			if v, ok := k.vars[id.Name]; ok {
				return k.property(y, id.Name, v, el)
			}
		}
		return k.copied(y, &ast.SelectorExpr{X: k.rewrite(y.X, el), Dot: y.Dot, Sel: y.Sel})
	case *ast.Ident:
		if _, ok := k.vars[y.Name]; ok {
			// the bag of a node's or edge's properties; an array of
			// bags for a variable-length edge
			return k.column(y, types.Dynamic)
		}
		if t, ok := k.elemProp(y.Name, el); ok {
			return k.column(y, t)
		}
		return y
	case *ast.CallExpr:
		return k.call(y, el)
	case *ast.ParenExpr:
		return k.copied(y, &ast.ParenExpr{Lparen: y.Lparen, X: k.rewrite(y.X, el), Rparen: y.Rparen})
	case *ast.UnaryExpr:
		return k.copied(y, &ast.UnaryExpr{OpPos: y.OpPos, Op: y.Op, X: k.rewrite(y.X, el)})
	case *ast.BinaryExpr:
		return k.copied(y, &ast.BinaryExpr{X: k.rewrite(y.X, el), OpPos: y.OpPos, Op: y.Op, Y: k.rewrite(y.Y, el)})
	case *ast.InExpr:
		return k.copied(y, &ast.InExpr{X: k.rewrite(y.X, el), OpPos: y.OpPos, Op: y.Op, Lparen: y.Lparen, List: k.rewriteList(y.List, el), Rparen: y.Rparen})
	case *ast.BetweenExpr:
		return k.copied(y, &ast.BetweenExpr{X: k.rewrite(y.X, el), OpPos: y.OpPos, Not: y.Not, Lparen: y.Lparen,
			Lo: k.rewrite(y.Lo, el), Hi: k.rewrite(y.Hi, el), Rparen: y.Rparen})
	case *ast.IndexExpr:
		return k.copied(y, &ast.IndexExpr{X: k.rewrite(y.X, el), Lbrack: y.Lbrack, Index: k.rewrite(y.Index, el), Rbrack: y.Rbrack})
	case *ast.NamedArg:
		return k.copied(y, &ast.NamedArg{Name: y.Name, Assign: y.Assign, Value: k.rewrite(y.Value, el)})
	}
	return x
}

func (k *graphScope) rewriteList(xs []ast.Expr, el *gelem) []ast.Expr {
	out := make([]ast.Expr, len(xs))
	for i, x := range xs {
		out[i] = k.rewrite(x, el)
	}
	return out
}

// property is v.Prop. A property of a variable-length edge is an array of
// the edges' values, except inside all(), any() or map() over its edges
// and in a where term, which hold for each edge.
func (k *graphScope) property(x *ast.SelectorExpr, name string, v gvar, el *gelem) ast.Expr {
	props, what := k.g.nodes, "node"
	if v.edge {
		props, what = k.g.edges, "edge"
	}
	col, ok := props.Lookup(x.Sel.Name)
	switch {
	case ok:
	case props.Open:
		col.Type = types.Unknown
	default:
		k.c.report(x.Sel, UnknownColumn, suggestName(x.Sel.Name, props.Names()), false,
			what+" "+quote(name)+" has no property "+quote(x.Sel.Name))
		col.Type = types.Invalid
	}
	if v.varLen && !(el == nil && k.where) && !el.iterates(name) {
		col.Type = types.Dynamic
	}
	return k.column(x, col.Type)
}

// iterates reports whether an enclosing element scope runs over the
// edges of name.
func (el *gelem) iterates(name string) bool {
	for ; el != nil; el = el.parent {
		if el.v == name && !el.inner {
			return true
		}
	}
	return false
}

// elemProp resolves a bare name inside all(), any() or map() to a
// property of the innermost element that has it.
func (k *graphScope) elemProp(name string, el *gelem) (types.Type, bool) {
	for ; el != nil; el = el.parent {
		props := k.g.edges
		if el.inner {
			props = k.g.nodes
		}
		if col, ok := props.Lookup(name); ok {
			return col.Type, true
		}
	}
	return 0, false
}

// call rewrites graph functions and the arguments of other calls.
func (k *graphScope) call(x *ast.CallExpr, el *gelem) ast.Expr {
	switch name := x.Fun.Name; name {
	case "all", "any", "map":
		if v, inner, ok := k.sequence(x); ok {
			return k.quantifier(x, &gelem{parent: el, v: v, inner: inner})
		}
	case "inner_nodes":
		k.c.errorf(x, InvalidArgument, "inner_nodes() may only be the first argument of all(), any() or map()")
		return k.column(x, types.Invalid)
	case "node_id", "node_degree_in", "node_degree_out", "labels":
		return k.elementFunc(x, el)
	}
	return k.copied(x, &ast.CallExpr{Fun: x.Fun, Lparen: x.Lparen, Args: k.rewriteList(x.Args, el), Rparen: x.Rparen})
}

// sequence resolves the first argument of all(), any() and map(): an edge
// variable or inner_nodes() of one.
func (k *graphScope) sequence(x *ast.CallExpr) (v string, inner, ok bool) {
	if len(x.Args) != 2 {
		return "", false, false
	}
	arg := x.Args[0]
	if c, isCall := arg.(*ast.CallExpr); isCall && c.Fun.Name == "inner_nodes" && len(c.Args) == 1 {
		arg, inner = c.Args[0], true
	}
	id, isIdent := arg.(*ast.Ident)
	if !isIdent {
		return "", false, false
	}
	gv, found := k.vars[id.Name]
	if !found {
		return "", false, false
	}
	if !gv.edge {
		k.c.errorf(id, InvalidArgument, "%s() takes an edge variable; %q is a node", x.Fun.Name, id.Name)
	}
	return id.Name, inner, true
}

// quantifier checks all(), any() or map() over the sequence of el.
func (k *graphScope) quantifier(x *ast.CallExpr, el *gelem) ast.Expr {
	saved := k.pairs
	k.pairs = nil
	t := k.typeOf(k.rewrite(x.Args[1], el))
	k.pairs = saved
	if x.Fun.Name == "map" {
		return k.column(x, types.Dynamic)
	}
	if concrete(t) && t != types.Bool {
		k.c.errorf(x.Args[1], TypeMismatch, "the condition of %s() must be bool, got %s", x.Fun.Name, t)
	}
	return k.column(x, types.Bool)
}

// elementFunc checks node_id(), labels(), node_degree_in() and
// node_degree_out(), of a variable or, without argument, of the element.
func (k *graphScope) elementFunc(x *ast.CallExpr, el *gelem) ast.Expr {
	t := types.Long
	switch x.Fun.Name {
	case "node_id":
		t = k.g.idType
	case "labels":
		t = types.Dynamic
	}
	switch len(x.Args) {
	case 0:
		if el == nil || !el.inner && x.Fun.Name != "labels" {
			k.c.errorf(x, InvalidArgument, "%s() without an argument reads the node of all(), any() or map() over inner_nodes()", x.Fun.Name)
		}
	case 1:
		id, ok := x.Args[0].(*ast.Ident)
		v, found := gvar{}, false
		if ok {
			v, found = k.vars[id.Name]
		}
		switch {
		case !found:
			k.c.errorf(x.Args[0], InvalidArgument, "%s() takes a variable of the pattern", x.Fun.Name)
		case v.edge && x.Fun.Name != "labels":
			k.c.errorf(x.Args[0], InvalidArgument, "%s() takes a node variable; %q is an edge", x.Fun.Name, id.Name)
		}
	default:
		k.c.errorf(x, WrongArity, "function %q expects at most 1 argument, got %d", x.Fun.Name, len(x.Args))
	}
	return k.column(x, t)
}
