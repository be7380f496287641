package engine

// This file implements union: the rows of several tables. kind=outer (the
// default) keeps every column, a name seen with several types becoming
// one column per type suffixed _type; kind=inner keeps the columns common
// to every leg. Legs are table names, wildcards over the catalog and the
// query's views, calls and parenthesized pipelines; withsource= names a
// column telling each row's leg; isfuzzy=true skips legs that do not
// resolve.

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileUnion) }

// unionLeg is one resolved input of a union.
type unionLeg struct {
	p    plan
	name string // the withsource value
}

func compileUnion(c *compiler, op *ast.UnionOp, in plan, sc *scope) (plan, error) {
	kind, source, fuzzy := "outer", "", false
	for _, p := range op.Params {
		switch p.Name.Name {
		case "kind":
			kind = strings.ToLower(paramText(p))
		case "withsource":
			source = paramText(p)
		case "isfuzzy":
			fuzzy = strings.EqualFold(paramText(p), "true")
		}
	}
	if kind != "outer" && kind != "inner" {
		return nil, errorf(op.Pos(), op.Word, "kind must be inner or outer, not %s", kind)
	}
	var legs []unionLeg
	if in != nil {
		legs = append(legs, unionLeg{p: in, name: planName(in, 0)})
	}
	var firstErr error
	for _, e := range op.Tables {
		got, err := c.unionLegs(e, sc, len(legs))
		if err != nil {
			if !fuzzy {
				return nil, err
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		legs = append(legs, got...)
	}
	if len(legs) == 0 {
		if firstErr != nil {
			return nil, firstErr
		}
		return nil, errorf(op.Pos(), op.Word, "no table matched")
	}
	return newUnionPlan(legs, kind == "inner", source), nil
}

// unionLegs resolves one element of union's table list; a wildcard may
// give several legs, in name order.
func (c *compiler) unionLegs(e ast.Expr, sc *scope, n int) ([]unionLeg, error) {
	id, ok := e.(*ast.Ident)
	if !ok {
		p, err := c.tableExpr(e, sc)
		if err != nil {
			return nil, err
		}
		return []unionLeg{{p: p, name: planName(p, n)}}, nil
	}
	if !isPattern(id.Name) {
		p, err := c.tableExpr(id, sc)
		if err != nil {
			return nil, err
		}
		return []unionLeg{{p: p, name: id.Name}}, nil
	}
	var legs []unionLeg
	for _, name := range c.tableNames(sc) {
		if !wildcardMatch(id.Name, name) {
			continue
		}
		p, err := c.tableExpr(&ast.Ident{NamePos: id.NamePos, Name: name, EndPos: id.EndPos}, sc)
		if err != nil {
			return nil, err
		}
		legs = append(legs, unionLeg{p: p, name: name})
	}
	if len(legs) == 0 {
		return nil, errorf(id.Pos(), "union", "no table matches %s", id.Name)
	}
	return legs, nil
}

// tableNames lists the names a wildcard can match: catalog tables and
// the views defined by let in scope (not other let-bound tables, as in
// Kusto), sorted.
func (c *compiler) tableNames(sc *scope) []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for s := sc; s != nil; s = s.parent {
		for n, b := range s.names {
			if b.fn != nil && b.fn.lit.View.IsValid() {
				add(n)
			}
		}
	}
	if c.rt.catalog != nil {
		for _, n := range c.rt.catalog.TableNames() {
			add(n)
		}
	}
	sort.Strings(names)
	return names
}

// tableExpr compiles a table operand of union, join and lookup: like
// c.tabular, but a name bound to a view (or a function without
// parameters) calls it.
func (c *compiler) tableExpr(e ast.Expr, sc *scope) (plan, error) {
	if id, ok := e.(*ast.Ident); ok {
		if b := sc.lookup(id.Name); b != nil && b.fn != nil && len(b.fn.lit.Params) == 0 {
			call := &ast.CallExpr{Fun: id, Lparen: id.End(), Rparen: id.End()}
			return c.callTabularFunc(b.fn, call, sc)
		}
	}
	if p, ok := e.(*ast.ParenExpr); ok {
		return c.tableExpr(p.X, sc)
	}
	return c.tabular(e, sc)
}

// planName is the withsource value of a leg: its table or as name, else
// union_argN.
func planName(p plan, n int) string {
	switch p := p.(type) {
	case *scanPlan:
		return p.name
	case *asPlan:
		return p.name
	case *funcPlan:
		return p.name
	}
	return fmt.Sprintf("union_arg%d", n)
}

// paramText returns an operator option's value as text: a name, a string
// literal's contents or a literal as written.
func paramText(p *ast.Param) string {
	switch v := p.Value.(type) {
	case *ast.Ident:
		return v.Name
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			if s, err := token.Unquote(v.Value); err == nil {
				return s
			}
		}
		return v.Value
	}
	return ""
}

// unionPlan streams its legs one after the other.
type unionPlan struct {
	legs []unionLeg
	s    *types.Schema
	// maps[i][k] is the output column of leg i's column k, or -1.
	maps [][]int
	// source is the position of the withsource column, or -1.
	source int
}

func newUnionPlan(legs []unionLeg, inner bool, source string) *unionPlan {
	p := &unionPlan{legs: legs, s: &types.Schema{}, source: -1}
	if source != "" {
		p.source = 0
		p.s.Columns = append(p.s.Columns, types.Column{Name: source, Type: types.String})
	}
	type key struct {
		name string
		t    types.Type
	}
	var order []key
	count := map[key]int{}
	typesOf := map[string]int{}
	for _, l := range legs {
		ls := l.p.schema()
		if ls.Open {
			p.s.Open = true
		}
		for _, col := range ls.Columns {
			k := key{col.Name, col.Type}
			if count[k] == 0 {
				order = append(order, k)
				typesOf[col.Name]++
			}
			count[k]++
		}
	}
	// Final names: a name with several types gets _type, de-duplicated
	// against the names kept as they are.
	taken := map[string]bool{}
	for _, k := range order {
		if typesOf[k.name] == 1 {
			taken[k.name] = true
		}
	}
	if source != "" {
		taken[source] = true
	}
	pos := map[key]int{}
	for _, k := range order {
		if inner && count[k] != len(legs) {
			continue
		}
		name := k.name
		if typesOf[k.name] > 1 && !inner {
			name = uniqueName(k.name+"_"+k.t.String(), taken)
			taken[name] = true
		}
		pos[k] = len(p.s.Columns)
		p.s.Columns = append(p.s.Columns, types.Column{Name: name, Type: k.t})
	}
	for _, l := range legs {
		ls := l.p.schema()
		m := make([]int, len(ls.Columns))
		for i, col := range ls.Columns {
			if j, ok := pos[key{col.Name, col.Type}]; ok {
				m[i] = j
			} else {
				m[i] = -1
			}
		}
		p.maps = append(p.maps, m)
	}
	return p
}

// uniqueName returns name, or name1, name2, … when taken.
func uniqueName(name string, taken map[string]bool) string {
	if !taken[name] {
		return name
	}
	for i := 1; ; i++ {
		if n := fmt.Sprintf("%s%d", name, i); !taken[n] {
			return n
		}
	}
}

func (p *unionPlan) schema() *types.Schema { return p.s }

func (p *unionPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	return &unionStream{p: p, rt: rt}, nil
}

type unionStream struct {
	p   *unionPlan
	rt  *runtime
	leg int
	cur Stream
}

func (s *unionStream) Schema() *types.Schema { return s.p.s }

func (s *unionStream) Next(ctx context.Context) (*Batch, error) {
	for s.leg < len(s.p.legs) {
		if s.cur == nil {
			st, err := s.p.legs[s.leg].p.open(ctx, s.rt)
			if err != nil {
				return nil, err
			}
			s.cur = st
		}
		b, err := s.cur.Next(ctx)
		if err == io.EOF {
			s.cur = nil
			s.leg++
			continue
		}
		if err != nil {
			return nil, err
		}
		return s.reshape(b), nil
	}
	return nil, io.EOF
}

// reshape places a leg's batch into the union's columns.
func (s *unionStream) reshape(b *Batch) *Batch {
	p := s.p
	out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.s.Columns)), N: b.N}
	legSchema := p.legs[s.leg].p.schema()
	m := p.maps[s.leg]
	for k, col := range b.Cols {
		j := -1
		if b.Schema == legSchema || k < len(m) && b.Schema.Columns[k].Name == legSchema.Columns[k].Name {
			if k < len(m) {
				j = m[k]
			}
		} else if i := legSchema.Index(b.Schema.Columns[k].Name); i >= 0 {
			j = m[i]
		}
		if j >= 0 && col.Type == p.s.Columns[j].Type {
			out.Cols[j] = col
		}
	}
	if p.source >= 0 {
		out.Cols[p.source] = value.Const(value.OfString(p.legs[s.leg].name), b.N)
	}
	for j, col := range out.Cols {
		if col == nil {
			out.Cols[j] = value.NullColumn(p.s.Columns[j].Type, b.N)
		}
	}
	return out
}
