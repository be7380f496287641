package engine

// This file implements make-graph and the graph value it produces. A graph
// is not a table: it flows as a graphPlan from make-graph (through
// graph-mark-components) to an operator that turns it back into rows
// (graph-match, graph-shortest-paths, graph-to-table). Every row of the
// edge table becomes an edge whose properties are the row's columns; every
// row of a node table a node; an endpoint without a node row becomes a node
// without properties. Rows with a null endpoint or node id are dropped.

import (
	"context"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileMakeGraph) }

// graph is a directed property graph held in memory.
type graph struct {
	nodes    *Batch        // node properties, one row per node
	ids      *value.Column // the id of each node
	edges    *Batch        // edge properties, one row per edge
	src, dst []int         // the node at each end of each edge
	out, in  [][]int       // the edges leaving and entering each node, in edge order
}

// numNodes returns the number of nodes.
func (g *graph) numNodes() int { return g.ids.Len() }

// link fills the adjacency lists from src and dst.
func (g *graph) link() {
	n := g.numNodes()
	g.out, g.in = make([][]int, n), make([][]int, n)
	for e := range g.src {
		g.out[g.src[e]] = append(g.out[g.src[e]], e)
		g.in[g.dst[e]] = append(g.in[g.dst[e]], e)
	}
}

// graphShape is what is known of a graph before running: its node and
// edge properties and the type of its node ids.
type graphShape struct {
	nodes, edges *types.Schema
	idType       types.Type
}

// graphPlan is a plan whose value is a graph rather than rows.
type graphPlan interface {
	plan
	shape() *graphShape
	build(ctx context.Context, rt *runtime) (*graph, error)
}

// graphValue gives graph plans their plan methods: an open schema, so
// that an operator given a graph compiles and then fails, when it opens
// its input, with an error saying what to do.
type graphValue struct {
	what string
	pos  token.Pos
}

func (graphValue) schema() *types.Schema { return &types.Schema{Open: true} }
func (v graphValue) open(context.Context, *runtime) (Stream, error) {
	return nil, errorf(v.pos, v.what, "a graph must be followed by graph-match, graph-shortest-paths or graph-to-table")
}

// needGraph returns op's input as a graph.
func needGraph(op ast.Operator, in plan, sc *scope) (graphPlan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	for {
		switch p := in.(type) {
		case graphPlan:
			return p, nil
		case *funcPlan: // a function whose body builds a graph
			in = p.in
		case *asPlan:
			in = p.in
		case *materializePlan:
			in = p.in
		default:
			return nil, errorf(op.Pos(), op.Name(), "input is a table, not a graph; build one with make-graph")
		}
	}
}

// makeGraphPlan builds a graph from its edge and node tables.
type makeGraphPlan struct {
	graphValue
	edges    plan
	src, dst int // endpoint columns of the edge table
	nodes    []nodeTable
	idProp   string // with_node_id: the node property holding the id
	sh       *graphShape
}

// nodeTable is one "Nodes on Key" of make-graph.
type nodeTable struct {
	p    plan
	key  int   // the id column
	cols []int // node property of each of the table's columns
}

func (p *makeGraphPlan) shape() *graphShape { return p.sh }

func compileMakeGraph(c *compiler, op *ast.MakeGraphOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	p := &makeGraphPlan{graphValue: graphValue{op.Word, op.Pos()}, edges: in}
	es := in.schema()
	if p.src, err = graphColumn(op, es, op.Source); err != nil {
		return nil, err
	}
	if p.dst, err = graphColumn(op, es, op.Target); err != nil {
		return nil, err
	}
	for _, prm := range op.Params {
		if prm.Name.Name == "with_node_id" {
			p.idProp = paramText(prm)
		}
	}
	idType := es.Columns[p.src].Type
	if t := es.Columns[p.dst].Type; t != idType {
		idType = commonIDType(idType, t)
	}
	p.sh = &graphShape{nodes: &types.Schema{}, edges: es, idType: idType}
	if p.idProp != "" {
		p.sh.nodes.Columns = append(p.sh.nodes.Columns, types.Column{Name: p.idProp, Type: idType})
	}
	for _, nt := range op.Nodes {
		t, err := c.nodeTable(op, nt, p.sh, sc)
		if err != nil {
			return nil, err
		}
		p.nodes = append(p.nodes, t)
	}
	if op.PartCol != nil {
		return c.partitionedGraph(op, p, sc)
	}
	return p, nil
}

// graphColumn resolves a column of make-graph's tables.
func graphColumn(op ast.Operator, s *types.Schema, id *ast.Ident) (int, error) {
	if id == nil {
		return 0, errorf(op.Pos(), op.Name(), "missing column")
	}
	i := s.Index(id.Name)
	if i < 0 {
		return 0, errorf(id.Pos(), op.Name(), "unknown column %s", id.Name)
	}
	return i, nil
}

// commonIDType is the type of node ids taken from columns of types a and b.
func commonIDType(a, b types.Type) types.Type {
	isInt := func(t types.Type) bool { return t == types.Int || t == types.Long }
	if isInt(a) && isInt(b) {
		return types.Long
	}
	return types.Dynamic
}

// nodeTable compiles one node table, adding its columns to the node
// properties (a column met twice with another type becomes dynamic).
func (c *compiler) nodeTable(op *ast.MakeGraphOp, nt *ast.GraphNodesTable, sh *graphShape, sc *scope) (nodeTable, error) {
	p, err := c.tableExpr(nt.Table, sc)
	if err != nil {
		return nodeTable{}, err
	}
	t := nodeTable{p: p}
	s := p.schema()
	if t.key, err = graphColumn(op, s, nt.Key); err != nil {
		return nodeTable{}, err
	}
	if kt := s.Columns[t.key].Type; kt != sh.idType {
		sh.idType = commonIDType(sh.idType, kt)
	}
	for _, col := range s.Columns {
		j := sh.nodes.Index(col.Name)
		switch {
		case j < 0:
			j = len(sh.nodes.Columns)
			sh.nodes.Columns = append(sh.nodes.Columns, col)
		case sh.nodes.Columns[j].Type != col.Type:
			sh.nodes.Columns[j].Type = types.Dynamic
		}
		t.cols = append(t.cols, j)
	}
	return t, nil
}

func (p *makeGraphPlan) build(ctx context.Context, rt *runtime) (*graph, error) {
	eb, err := runPlan(ctx, rt, p.edges)
	if err != nil {
		return nil, err
	}
	nbs := make([]*Batch, len(p.nodes))
	for i, t := range p.nodes {
		if nbs[i], err = runPlan(ctx, rt, t.p); err != nil {
			return nil, err
		}
	}
	return p.assemble(eb, nbs), nil
}

// graphBuilder collects nodes by id while a graph is assembled.
type graphBuilder struct {
	strs  map[string]int // string ids
	ints  map[int64]int  // int and long ids
	other map[string]int // ids of other types, by nodeKey
	ids   []value.Value
	props [][]value.Value // per node, per node property; nil until set
	width int
}

func newGraphBuilder(width int) *graphBuilder {
	return &graphBuilder{strs: map[string]int{}, ints: map[int64]int{}, other: map[string]int{}, width: width}
}

// node returns the index of the node with id v, adding it if new, or -1
// for a null id.
func (b *graphBuilder) node(v value.Value) int {
	if v.Type == types.Dynamic {
		v = value.FromDynamic(v.D) // a scalar in a dynamic column is the same id
	}
	if v.IsNull() {
		return -1
	}
	var i int
	var ok bool
	switch v.Type {
	case types.String:
		if i, ok = b.strs[v.S]; !ok {
			b.strs[v.S] = len(b.ids)
		}
	case types.Int, types.Long:
		if i, ok = b.ints[v.I]; !ok {
			b.ints[v.I] = len(b.ids)
		}
	default:
		k := nodeKey(v)
		if i, ok = b.other[k]; !ok {
			b.other[k] = len(b.ids)
		}
	}
	if ok {
		return i
	}
	b.ids = append(b.ids, v)
	b.props = append(b.props, nil)
	return len(b.ids) - 1
}

// nodeKey identifies a node id: ints and longs alike, other types apart.
func nodeKey(v value.Value) string {
	switch v.Type {
	case types.Int, types.Long:
		return "l" + strconv.FormatInt(v.I, 10)
	case types.String:
		return "s" + v.S
	case types.Dynamic:
		return "y" + value.FormatJSON(v.D)
	}
	return v.Type.String() + ":" + v.String()
}

// assemble builds the graph: node table rows first, in order, then the
// endpoints of edges by first appearance.
func (p *makeGraphPlan) assemble(eb *Batch, nbs []*Batch) *graph {
	b := newGraphBuilder(len(p.sh.nodes.Columns))
	for i, t := range p.nodes {
		nb := nbs[i]
		for r := 0; r < nb.N; r++ {
			n := b.node(nb.Cols[t.key].Value(r))
			if n < 0 {
				continue
			}
			if b.props[n] == nil {
				b.props[n] = make([]value.Value, b.width)
			}
			for j, col := range nb.Cols {
				if cur := b.props[n][t.cols[j]]; cur.Type == types.Invalid || cur.IsNull() {
					b.props[n][t.cols[j]] = col.Value(r)
				}
			}
		}
	}
	g := &graph{}
	var keep []int
	for r := 0; r < eb.N; r++ {
		s, d := b.node(eb.Cols[p.src].Value(r)), b.node(eb.Cols[p.dst].Value(r))
		if s < 0 || d < 0 {
			continue
		}
		keep = append(keep, r)
		g.src, g.dst = append(g.src, s), append(g.dst, d)
	}
	g.edges = eb
	if len(keep) != eb.N {
		g.edges = eb.Gather(keep)
	}
	g.ids = value.NewColumn(p.sh.idType, len(b.ids))
	for _, id := range b.ids {
		g.ids.Append(id)
	}
	keys := map[int]bool{}
	if p.idProp != "" {
		keys[p.sh.nodes.Index(p.idProp)] = true
	}
	for _, t := range p.nodes {
		keys[t.cols[t.key]] = true
	}
	g.nodes = b.nodeBatch(p.sh.nodes, keys)
	g.link()
	return g
}

// nodeBatch turns the collected properties into columns. The key
// properties (with_node_id's and the node tables' id columns) hold the
// node's id wherever no row set them, as for a node met only as an edge
// endpoint.
func (b *graphBuilder) nodeBatch(s *types.Schema, keys map[int]bool) *Batch {
	out := NewBatch(s, len(b.ids))
	for n := range b.ids {
		for j, col := range out.Cols {
			var v value.Value
			if b.props[n] != nil {
				v = b.props[n][j]
			}
			switch {
			case keys[j] && (v.Type == types.Invalid || v.IsNull()):
				col.Append(b.ids[n])
			case v.Type == types.Invalid:
				col.AppendNull()
			default:
				col.Append(v)
			}
		}
	}
	out.N = len(b.ids)
	return out
}

// persistentGraphError refuses graph("Name"): persistent graphs (graph
// models and snapshots) live in a cluster, not in the local engine.
func persistentGraphError(call *ast.CallExpr) error {
	return errorf(call.Pos(), "graph()", "persistent graphs are not available locally; build a transient graph with make-graph")
}
