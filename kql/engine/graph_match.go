package engine

// This file implements graph-match and graph-shortest-paths: find the
// matches of a pattern in a graph, keep those satisfying the where clause,
// and project each into a row.
//
// The where clause is split into and-ed terms. A term about one node
// variable (start.station == "x"), one edge variable, or every edge or
// inner node of a sequence (all(e, …), all(inner_nodes(e), …), or a
// property of a variable-length edge named directly) is evaluated once
// over the graph and restricts the search; the other terms filter the
// matches found. graph-shortest-paths keeps, for each pair of first and
// last node, the matches of least length: the first found (output=any,
// the default) or all of them (output=all).

import (
	"context"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

func init() {
	registerOp(func(c *compiler, op *ast.GraphMatchOp, in plan, sc *scope) (plan, error) {
		q := graphQuery{op: op, params: op.Params, patterns: op.Patterns, pred: op.Pred, cols: op.Cols}
		return c.compileGraphQuery(q, in, sc)
	})
	registerOp(func(c *compiler, op *ast.GraphShortestPathsOp, in plan, sc *scope) (plan, error) {
		q := graphQuery{op: op, params: op.Params, patterns: op.Patterns, pred: op.Pred, cols: op.Cols, shortest: true}
		return c.compileGraphQuery(q, in, sc)
	})
}

// graphQuery is what graph-match and graph-shortest-paths share.
type graphQuery struct {
	op       ast.Operator
	params   []*ast.Param
	patterns []*ast.GraphPath
	pred     ast.Expr
	cols     []*ast.ColumnDef
	shortest bool
}

// graphMatchPlan runs graph-match or graph-shortest-paths.
type graphMatchPlan struct {
	in       graphPlan
	what     string
	pos      token.Pos
	pat      *pattern
	cycles   cyclesMode
	ge       *gexprs
	filters  []*gfilter
	post     []expr
	postNeed map[int]bool
	proj     []expr
	projNeed map[int]bool
	s        *types.Schema
	shortest bool
	allPaths bool // output=all
}

// compileGraphQuery compiles graph-match or graph-shortest-paths: the
// pattern, then the where and project expressions rewritten over it.
func (c *compiler) compileGraphQuery(q graphQuery, in plan, sc *scope) (plan, error) {
	gp, err := needGraph(q.op, in, sc)
	if err != nil {
		return nil, err
	}
	what := q.op.Name()
	p := &graphMatchPlan{in: gp, what: what, pos: q.op.Pos(), shortest: q.shortest,
		postNeed: map[int]bool{}, projNeed: map[int]bool{}}
	if p.pat, err = c.compilePattern(q.op, q.patterns, sc); err != nil {
		return nil, err
	}
	if q.shortest {
		err = p.shortestOptions(q)
	} else {
		p.cycles, err = cyclesOption(q.op, q.params)
	}
	if err != nil {
		return nil, err
	}
	if len(q.cols) == 0 {
		return nil, errorf(q.op.Pos(), what, "needs a project clause")
	}
	p.ge = newGExprs(c, sc, gp.shape(), p.pat, what)
	terms, err := p.rewriteWhere(q.pred)
	if err != nil {
		return nil, err
	}
	projs, err := p.rewriteProject(q.cols)
	if err != nil {
		return nil, err
	}
	if err := p.ge.finish(); err != nil {
		return nil, err
	}
	if err := c.compileWhereTerms(p, terms, sc); err != nil {
		return nil, err
	}
	if err := c.compileProjection(p, q.cols, projs, sc); err != nil {
		return nil, err
	}
	return p, nil
}

// shortestOptions checks graph-shortest-paths' pattern and reads output.
func (p *graphMatchPlan) shortestOptions(q graphQuery) error {
	if len(p.pat.ends) != 1 {
		return errorf(q.op.Pos(), p.what, "the pattern must be a single sequence")
	}
	varLen := false
	for _, e := range p.pat.edges {
		varLen = varLen || e.varLen
	}
	if !varLen {
		return errorf(q.op.Pos(), p.what, "the pattern needs a variable-length edge")
	}
	for _, prm := range q.params {
		if prm.Name.Name != "output" {
			continue
		}
		switch v := strings.ToLower(paramText(prm)); v {
		case "any":
		case "all":
			p.allPaths = true
		default:
			return errorf(prm.Value.Pos(), p.what, "unknown output option %s (any or all)", v)
		}
	}
	return nil
}

// whereTerm is a rewritten where term and the items it reads.
type whereTerm struct {
	x    ast.Expr
	refs map[int]bool
}

func (p *graphMatchPlan) rewriteWhere(pred ast.Expr) ([]whereTerm, error) {
	var terms []whereTerm
	for _, t := range splitAnd(pred, nil) {
		p.ge.refs = map[int]bool{}
		x, err := p.ge.conjunct(t)
		if err != nil {
			return nil, err
		}
		terms = append(terms, whereTerm{x, p.ge.refs})
	}
	p.ge.refs = nil
	return terms, nil
}

// splitAnd appends the and-ed terms of e to out.
func splitAnd(e ast.Expr, out []ast.Expr) []ast.Expr {
	switch x := e.(type) {
	case nil:
		return out
	case *ast.ParenExpr:
		if b, ok := x.X.(*ast.BinaryExpr); ok && b.Op == token.AND {
			return splitAnd(b, out)
		}
	case *ast.BinaryExpr:
		if x.Op == token.AND {
			return splitAnd(x.Y, splitAnd(x.X, out))
		}
	}
	return append(out, e)
}

func (p *graphMatchPlan) rewriteProject(cols []*ast.ColumnDef) ([]ast.Expr, error) {
	var out []ast.Expr
	p.ge.refs = p.projNeed
	defer func() { p.ge.refs = nil }()
	for _, cd := range cols {
		if len(cd.Names) > 1 {
			return nil, errorf(cd.Pos(), p.what, "assigning several columns from one expression is not supported here")
		}
		x, err := p.ge.rewrite(cd.X, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// compileProjection compiles the project clause and names its columns
// as project does, with a pattern variable's v.Prop named v_Prop.
func (c *compiler) compileProjection(p *graphMatchPlan, cols []*ast.ColumnDef, xs []ast.Expr, sc *scope) error {
	p.s = &types.Schema{}
	names := graphColumnNames(cols)
	for i, x := range xs {
		e, err := c.expr(x, p.ge.levels[0].schema, sc)
		if err != nil {
			return err
		}
		if p.s.Index(names[i]) >= 0 {
			return errorf(cols[i].Pos(), p.what, "column %s is produced twice", names[i])
		}
		p.s.Columns = append(p.s.Columns, types.Column{Name: names[i], Type: e.Type()})
		p.proj = append(p.proj, e)
	}
	return nil
}

// graphColumnNames names the columns of a graph operator's project
// clause: as written, else derived from the expression (v.Prop → v_Prop),
// else Column1, Column2, … skipping names taken.
func graphColumnNames(cols []*ast.ColumnDef) []string {
	names := make([]string, len(cols))
	taken := map[string]bool{}
	for i, cd := range cols {
		if len(cd.Names) > 0 {
			names[i] = cd.Names[0].Name
		} else {
			names[i] = check.ResultName(cd.X, func(ast.Expr) types.Type { return types.Unknown })
		}
		taken[names[i]] = true
	}
	n := 0
	for i := range names {
		for names[i] == "" {
			n++
			if name := "Column" + strconv.Itoa(n); !taken[name] {
				names[i] = name
			}
		}
	}
	return names
}

func (p *graphMatchPlan) schema() *types.Schema { return p.s }

func (p *graphMatchPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	g, err := p.in.build(ctx, rt)
	if err != nil {
		return nil, err
	}
	pf, err := p.graphFilters(rt, g)
	if err != nil {
		return nil, err
	}
	ms, keep, err := p.search(ctx, rt, g, pf)
	if err != nil {
		return nil, err
	}
	var out []*Batch
	for from := 0; from < len(keep); from += BatchSize {
		b, err := p.project(rt, g, ms, keep[from:min(from+BatchSize, len(keep))])
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return NewBatchStream(p.s, out...), nil
}

// search finds the matches and the indexes of those to output.
func (p *graphMatchPlan) search(ctx context.Context, rt *runtime, g *graph, pf *patFilters) ([]pmatch, []int, error) {
	if p.bfsApplies() {
		ms, err := p.shortestBFS(ctx, g, pf)
		keep := make([]int, len(ms))
		for i := range keep {
			keep[i] = i
		}
		return ms, keep, err
	}
	ms, err := matchAll(ctx, g, p.pat, pf, p.cycles, p.what, p.pos)
	if err != nil {
		return nil, nil, err
	}
	keep, err := p.where(rt, g, ms)
	if err != nil {
		return nil, nil, err
	}
	if p.shortest {
		keep = p.shortestOf(ms, keep)
	}
	return ms, keep, nil
}

// where returns the indexes of the matches that pass the remaining terms.
func (p *graphMatchPlan) where(rt *runtime, g *graph, ms []pmatch) ([]int, error) {
	keep := make([]int, 0, len(ms))
	for from := 0; from < len(ms); from += BatchSize {
		to := min(from+BatchSize, len(ms))
		rows := grows{match: make([]int, 0, to-from)}
		for i := from; i < to; i++ {
			rows.match = append(rows.match, i)
		}
		if len(p.post) == 0 {
			keep = append(keep, rows.match...)
			continue
		}
		b, err := p.ge.batch(rt, g, ms, 0, rows, nil, p.postNeed)
		if err != nil {
			return nil, err
		}
		ok := make([]bool, b.N)
		for i := range ok {
			ok[i] = true
		}
		for _, x := range p.post {
			col, err := x.eval(rt, b)
			if err != nil {
				return nil, err
			}
			for i := range ok {
				ok[i] = ok[i] && truthy(col, i)
			}
		}
		for i, m := range rows.match {
			if ok[i] {
				keep = append(keep, m)
			}
		}
	}
	return keep, nil
}

// shortestOf keeps, per pair of end nodes, the matches of least length:
// the first found, or all of them with output=all.
func (p *graphMatchPlan) shortestOf(ms []pmatch, keep []int) []int {
	ends := p.pat.ends[0]
	type pair struct{ a, b int }
	best := map[pair]int{}
	for _, i := range keep {
		k := pair{ms[i].nodes[ends[0]], ms[i].nodes[ends[1]]}
		if l, ok := best[k]; !ok || ms[i].length() < l {
			best[k] = ms[i].length()
		}
	}
	var out []int
	taken := map[pair]bool{}
	for _, i := range keep {
		k := pair{ms[i].nodes[ends[0]], ms[i].nodes[ends[1]]}
		if ms[i].length() != best[k] || taken[k] && !p.allPaths {
			continue
		}
		taken[k] = true
		out = append(out, i)
	}
	return out
}

// project computes the output rows of the matches at idx.
func (p *graphMatchPlan) project(rt *runtime, g *graph, ms []pmatch, idx []int) (*Batch, error) {
	b, err := p.ge.batch(rt, g, ms, 0, grows{match: idx}, nil, p.projNeed)
	if err != nil {
		return nil, err
	}
	out := &Batch{Schema: p.s, N: len(idx)}
	for i, x := range p.proj {
		col, err := x.eval(rt, b)
		if err != nil {
			return nil, err
		}
		if want := p.s.Columns[i].Type; col.Type != want {
			col = convertColumn(col, want)
		}
		out.Cols = append(out.Cols, col)
	}
	return out, nil
}
