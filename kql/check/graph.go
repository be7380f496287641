package check

// This file implements the graph operators: make-graph,
// graph-mark-components, graph-to-table, graph-match and
// graph-shortest-paths, and graph("Name") references.
//
// A graph is not a table. It flows from make-graph to the operator that
// turns it back into rows as a relation whose schema starts with the
// marker column graphMarker (typed with the node id type) and lists the
// node properties as "\x00n"+Name and the edge properties as
// "\x00e"+Name; no column of a table can have such names. An open schema
// means properties beyond those listed may exist (a persistent graph).

import (
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
)

const (
	graphMarker = "\x00graph"
	nodePrefix  = "\x00n"
	edgePrefix  = "\x00e"
)

// graphShape is what the checker knows of a graph.
type graphShape struct {
	nodes, edges *types.Schema
	idType       types.Type
	open         bool
}

// rel encodes the graph as a relation.
func (g *graphShape) rel() *rel {
	s := &types.Schema{Open: g.open, Columns: []types.Column{{Name: graphMarker, Type: g.idType}}}
	for _, col := range g.nodes.Columns {
		s.Columns = append(s.Columns, types.Column{Name: nodePrefix + col.Name, Type: col.Type})
	}
	for _, col := range g.edges.Columns {
		s.Columns = append(s.Columns, types.Column{Name: edgePrefix + col.Name, Type: col.Type})
	}
	return &rel{schema: s}
}

// graphOf decodes a graph relation.
func graphOf(r *rel) (*graphShape, bool) {
	if r == nil || len(r.schema.Columns) == 0 || r.schema.Columns[0].Name != graphMarker {
		return nil, false
	}
	g := &graphShape{nodes: &types.Schema{Open: r.schema.Open}, edges: &types.Schema{Open: r.schema.Open},
		idType: r.schema.Columns[0].Type, open: r.schema.Open}
	for _, col := range r.schema.Columns[1:] {
		if name, ok := strings.CutPrefix(col.Name, nodePrefix); ok {
			g.nodes.Columns = append(g.nodes.Columns, types.Column{Name: name, Type: col.Type})
		} else if name, ok := strings.CutPrefix(col.Name, edgePrefix); ok {
			g.edges.Columns = append(g.edges.Columns, types.Column{Name: name, Type: col.Type})
		}
	}
	return g, true
}

// unknownGraph is a graph whose properties are not known.
func unknownGraph() *graphShape {
	return &graphShape{nodes: &types.Schema{Open: true}, edges: &types.Schema{Open: true}, idType: types.Unknown, open: true}
}

// graphOp checks a graph operator, or an operator given a graph, and
// reports whether it did.
func (c *checker) graphOp(in *rel, o ast.Operator) (*rel, bool) {
	switch o := o.(type) {
	case *ast.MakeGraphOp:
		return c.makeGraph(in, o), true
	case *ast.GraphMarkComponentsOp:
		return c.markComponents(in, o), true
	case *ast.GraphToTableOp:
		return c.graphToTable(in, o), true
	case *ast.GraphMatchOp:
		return c.graphQuery(in, o, o.Params, o.Patterns, o.Pred, o.Cols, false), true
	case *ast.GraphShortestPathsOp:
		return c.graphQuery(in, o, o.Params, o.Patterns, o.Pred, o.Cols, true), true
	case *ast.BadOp:
		return nil, false
	}
	if _, ok := graphOf(in); ok {
		c.errorf(o, NotTabular, "%s needs a table; a graph must be followed by graph-match, graph-shortest-paths or graph-to-table", o.Name())
		return openRel(), true
	}
	return nil, false
}

// needGraph returns the graph flowing into o. A relation of unknown
// origin (an open schema: a stored function's result) may be one.
func (c *checker) needGraph(in *rel, o ast.Operator) *graphShape {
	if g, ok := graphOf(in); ok {
		return g
	}
	if in != nil && !in.schema.Open {
		c.errorf(o, TypeMismatch, "%s needs a graph; build one with make-graph", o.Name())
	}
	c.commit(in)
	return unknownGraph()
}

// graphRef is graph("Name"): a persistent graph, whose properties the
// checker does not know.
func (c *checker) graphRef(x *ast.CallExpr) *rel {
	c.args(x.Args, &env{})
	if len(x.Args) < 1 || len(x.Args) > 2 {
		c.errorf(x, WrongArity, "function \"graph\" expects 1 or 2 arguments, got %d", len(x.Args))
	}
	return unknownGraph().rel()
}

// makeGraph builds a graph from the edges flowing in and the node tables.
func (c *checker) makeGraph(in *rel, o *ast.MakeGraphOp) *rel {
	g := &graphShape{nodes: &types.Schema{Open: in.schema.Open}, edges: in.schema.Clone(), open: in.schema.Open}
	g.edges.Open = in.schema.Open
	g.idType = commonIDType(c.graphKey(in, o.Source), c.graphKey(in, o.Target))
	refAll(in)
	c.commit(in)
	if id, _ := paramValue(o.Params, "with_node_id"); id != "" {
		g.nodes.Columns = append(g.nodes.Columns, types.Column{Name: id, Type: g.idType})
	}
	var tables []*rel
	for _, nt := range o.Nodes {
		r := c.tabular(nt.Table)
		g.idType = commonIDType(g.idType, c.graphKey(r, nt.Key))
		for _, col := range r.schema.Columns {
			switch j := g.nodes.Index(col.Name); {
			case j < 0:
				g.nodes.Columns = append(g.nodes.Columns, col)
			case g.nodes.Columns[j].Type != col.Type:
				g.nodes.Columns[j].Type = types.Dynamic
			}
		}
		g.open = g.open || r.schema.Open
		refAll(r)
		c.commit(r)
		tables = append(tables, r)
	}
	if o.PartCol == nil {
		return g.rel()
	}
	c.graphKey(in, o.PartCol)
	for _, r := range tables {
		c.graphKey(r, o.PartCol)
	}
	if o.Body == nil {
		return openRel()
	}
	out := c.subquery(o.Body, g.rel())
	if _, ok := graphOf(out); ok {
		c.errorf(o.Body, NotTabular, "the partitioned-by clause must end with graph-match, graph-shortest-paths or graph-to-table")
		return openRel()
	}
	return &rel{schema: out.schema}
}

// graphKey checks a column make-graph names and returns its type.
func (c *checker) graphKey(r *rel, id *ast.Ident) types.Type {
	if id == nil {
		return types.Invalid
	}
	if col, ok := r.schema.Lookup(id.Name); ok {
		refColumn(r, id.Name)
		return col.Type
	}
	if r.schema.Open {
		refColumn(r, id.Name)
		return types.Unknown
	}
	c.report(id, UnknownColumn, suggestName(id.Name, r.schema.Names()), false, "unknown column "+quote(id.Name))
	return types.Invalid
}

// commonIDType is the type of node ids drawn from columns of types a and b.
func commonIDType(a, b types.Type) types.Type {
	isInt := func(t types.Type) bool { return t == types.Int || t == types.Long }
	switch {
	case a == b:
		return a
	case !a.IsKnown():
		return b
	case !b.IsKnown():
		return a
	case isInt(a) && isInt(b):
		return types.Long
	}
	return types.Dynamic
}

// markComponents adds the component property to the nodes.
func (c *checker) markComponents(in *rel, o *ast.GraphMarkComponentsOp) *rel {
	g := c.needGraph(in, o)
	if kind, p := paramValue(o.Params, "kind"); p != nil && kind != "weak" && kind != "strong" {
		c.errorf(p, InvalidArgument, "unknown graph-mark-components kind %q (weak or strong)", kind)
	}
	name := "ComponentId"
	if n, p := paramValue(o.Params, "with_component_id"); p != nil {
		name = n
	}
	g.nodes = g.nodes.Clone()
	setColumn(g.nodes, types.Column{Name: name, Type: types.Long})
	return g.rel()
}

// graphToTable turns the graph into its node or edge table (the first
// output when there are two); "as" names each output.
func (c *checker) graphToTable(in *rel, o *ast.GraphToTableOp) *rel {
	g := c.needGraph(in, o)
	var first *rel
	for _, out := range o.Outputs {
		r := c.graphTable(g, out)
		if out.Name != nil {
			c.bind(&entity{name: out.Name.Name, kind: tabularEntity, rel: r.clone(), used: true})
		}
		if first == nil {
			first = r
		}
	}
	if first == nil {
		return openRel()
	}
	return first
}

// graphTable is one output of graph-to-table.
func (c *checker) graphTable(g *graphShape, out *ast.GraphTableOutput) *rel {
	props := g.nodes
	valid := map[string]bool{"with_node_id": true}
	if out.Kind == "edges" {
		props = g.edges
		valid = map[string]bool{"with_source_id": true, "with_target_id": true}
	}
	s := &types.Schema{Open: props.Open}
	for _, p := range out.Params {
		if !valid[p.Name.Name] {
			c.errorf(p, InvalidArgument, "%s does not apply to %s", p.Name.Name, out.Kind)
			continue
		}
		name, _ := paramValue([]*ast.Param{p}, p.Name.Name)
		s.Columns = append(s.Columns, types.Column{Name: name, Type: types.Long})
	}
	for _, col := range props.Columns {
		if s.Index(col.Name) >= 0 {
			c.errorf(out, DuplicateColumn, "duplicate column %q in graph-to-table", col.Name)
			continue
		}
		s.Columns = append(s.Columns, col)
	}
	return &rel{schema: s}
}
