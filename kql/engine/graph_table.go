package engine

// This file implements graph-to-table: the nodes or the edges of a graph
// as a table (both, as two result tables, when both are asked for). A
// node's row is its properties; an edge's row is its edge-table row. The
// with_node_id, with_source_id and with_target_id options add, first, a
// long column holding hash() of the node's id (of the edge's source or
// target). "as Name" binds the table to Name for later statements.

import (
	"context"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileGraphToTable) }

// graphTablePlan turns a graph into its node or edge table.
type graphTablePlan struct {
	in    graphPlan
	edges bool
	ids   []int // 0: node id (or source id), 1: target id, per added column
	s     *types.Schema
	hash  expr // hash() over a one-column batch of ids
}

func compileGraphToTable(c *compiler, op *ast.GraphToTableOp, in plan, sc *scope) (plan, error) {
	g, err := needGraph(op, in, sc)
	if err != nil {
		return nil, err
	}
	var parts []plan
	for _, o := range op.Outputs {
		p, err := c.graphTable(op, o, g, sc)
		if err != nil {
			return nil, err
		}
		var part plan = p
		if o.Name != nil {
			part = &asPlan{in: p, name: o.Name.Name}
			sc.bind(o.Name.Name, &binding{tab: part})
		}
		parts = append(parts, part)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &forkPlan{branches: parts}, nil
}

// graphTable compiles one output of graph-to-table.
func (c *compiler) graphTable(op *ast.GraphToTableOp, o *ast.GraphTableOutput, g graphPlan, sc *scope) (*graphTablePlan, error) {
	sh := g.shape()
	p := &graphTablePlan{in: g, edges: o.Kind == "edges", s: &types.Schema{}}
	props := sh.nodes
	if p.edges {
		props = sh.edges
	}
	for _, prm := range o.Params {
		which := -1
		switch prm.Name.Name {
		case "with_node_id":
			if !p.edges {
				which = 0
			}
		case "with_source_id":
			if p.edges {
				which = 0
			}
		case "with_target_id":
			if p.edges {
				which = 1
			}
		}
		if which < 0 {
			return nil, errorf(prm.Pos(), op.Word, "%s does not apply to %s", prm.Name.Name, o.Kind)
		}
		p.ids = append(p.ids, which)
		p.s.Columns = append(p.s.Columns, types.Column{Name: paramText(prm), Type: types.Long})
	}
	for _, col := range props.Columns {
		if p.s.Index(col.Name) >= 0 {
			return nil, errorf(o.Pos(), op.Word, "column %s is produced twice", col.Name)
		}
		p.s.Columns = append(p.s.Columns, col)
	}
	if len(p.ids) > 0 {
		h, err := c.hashOf(sh.idType, o.Pos(), sc)
		if err != nil {
			return nil, err
		}
		p.hash = h
	}
	return p, nil
}

// hashIDName names the column of node ids that hashOf's expression reads.
const hashIDName = "\x00id"

// hashOf compiles hash() over a column of node ids of type t.
func (c *compiler) hashOf(t types.Type, pos token.Pos, sc *scope) (expr, error) {
	id := &ast.Ident{NamePos: pos, Name: hashIDName, EndPos: pos}
	call := &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: "hash", EndPos: pos}, Lparen: pos, Args: []ast.Expr{id}, Rparen: pos}
	return c.expr(call, &types.Schema{Columns: []types.Column{{Name: hashIDName, Type: t}}}, sc)
}

func (p *graphTablePlan) schema() *types.Schema { return p.s }

func (p *graphTablePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	g, err := p.in.build(ctx, rt)
	if err != nil {
		return nil, err
	}
	props := g.nodes
	if p.edges {
		props = g.edges
	}
	out := &Batch{Schema: p.s, N: props.N}
	for _, which := range p.ids {
		col, err := p.hashes(rt, g, which)
		if err != nil {
			return nil, err
		}
		out.Cols = append(out.Cols, col)
	}
	out.Cols = append(out.Cols, props.Cols...)
	return NewBatchStream(p.s, out), nil
}

// hashes returns the hashed ids of the nodes, or of the edges' sources
// (which 0) or targets (which 1).
func (p *graphTablePlan) hashes(rt *runtime, g *graph, which int) (*value.Column, error) {
	ids := g.ids
	if p.edges {
		ends := g.src
		if which == 1 {
			ends = g.dst
		}
		ids = ids.Gather(ends)
	}
	b := &Batch{Schema: &types.Schema{Columns: []types.Column{{Name: hashIDName, Type: ids.Type}}}, Cols: []*value.Column{ids}, N: ids.Len()}
	col, err := p.hash.eval(rt, b)
	if err != nil {
		return nil, err
	}
	if col.Type != types.Long {
		col = convertColumn(col, types.Long)
	}
	return col, nil
}
