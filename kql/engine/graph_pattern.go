package engine

// This file implements graph patterns: compiling the pattern of
// graph-match and graph-shortest-paths into node and edge variables, and
// enumerating the pattern's matches in a graph. A node name written twice
// is one variable (that is how sequences join and cycles close); edges
// are always distinct variables. A variable-length edge -[e*m..n]- binds a
// sequence of m to n edges, each step in the edge's direction.

import (
	"context"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// cyclesMode is graph-match's cycles option.
type cyclesMode uint8

const (
	cyclesUniqueEdges cyclesMode = iota // the default: no edge twice in a match
	cyclesNone                          // no node twice, but for a variable written twice
	cyclesAll                           // anything goes
)

// pnode is a node variable of a pattern.
type pnode struct {
	name   string // "" for an anonymous node
	labels []string
}

// pedge is an edge of a pattern between node variables left and right, as
// written.
type pedge struct {
	name        string // "" for an anonymous edge
	labels      []string
	left, right int
	dir         ast.GraphDir
	varLen      bool
	min, max    int
}

// patVar is what a pattern name denotes.
type patVar struct {
	edge bool
	i    int
}

// pattern is a compiled graph pattern.
type pattern struct {
	nodes []pnode
	edges []pedge
	vars  map[string]patVar
	ends  [][2]int // first and last node variable of each sequence
}

// maxPathLength caps the length of a variable-length edge.
const maxPathLength = 1000

// compilePattern resolves a pattern's variables and length bounds.
func (c *compiler) compilePattern(op ast.Operator, paths []*ast.GraphPath, sc *scope) (*pattern, error) {
	p := &pattern{vars: map[string]patVar{}}
	for _, path := range paths {
		first, prev := -1, -1
		for i, n := range path.Nodes {
			cur, err := p.nodeVar(op, n)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				first = cur
			} else if err := c.patternEdge(op, p, path.Edges[i-1], prev, cur, sc); err != nil {
				return nil, err
			}
			prev = cur
		}
		p.ends = append(p.ends, [2]int{first, prev})
	}
	return p, nil
}

func nodeName(n *ast.GraphNode) string {
	if n.Name == nil {
		return ""
	}
	return n.Name.Name
}

// nodeVar returns the variable of a pattern node, adding it if new.
func (p *pattern) nodeVar(op ast.Operator, n *ast.GraphNode) (int, error) {
	name := nodeName(n)
	if v, ok := p.vars[name]; ok && name != "" {
		if v.edge {
			return 0, errorf(n.Pos(), op.Name(), "%s names both an edge and a node", name)
		}
		if len(n.Labels) > 0 {
			p.nodes[v.i].labels = append(p.nodes[v.i].labels, identNames(n.Labels)...)
		}
		return v.i, nil
	}
	p.nodes = append(p.nodes, pnode{name: name, labels: identNames(n.Labels)})
	i := len(p.nodes) - 1
	if name != "" {
		p.vars[name] = patVar{i: i}
	}
	return i, nil
}

func identNames(ids []*ast.Ident) []string {
	var out []string
	for _, id := range ids {
		out = append(out, id.Name)
	}
	return out
}

// patternEdge adds the edge e between node variables left and right.
func (c *compiler) patternEdge(op ast.Operator, p *pattern, e *ast.GraphEdge, left, right int, sc *scope) error {
	pe := pedge{left: left, right: right, dir: e.Dir, labels: identNames(e.Labels), min: 1, max: 1}
	if e.Name != nil {
		pe.name = e.Name.Name
		if _, dup := p.vars[pe.name]; dup {
			return errorf(e.Name.Pos(), op.Name(), "%s is used twice in the pattern", pe.name)
		}
		p.vars[pe.name] = patVar{edge: true, i: len(p.edges)}
	}
	if e.VarLength() {
		pe.varLen = true
		var err error
		if pe.min, err = c.pathBound(op, e.Min, sc); err != nil {
			return err
		}
		pe.max = pe.min
		if e.Max != nil {
			if pe.max, err = c.pathBound(op, e.Max, sc); err != nil {
				return err
			}
		}
		if pe.max < pe.min {
			return errorf(e.Pos(), op.Name(), "the edge length range %d..%d is empty", pe.min, pe.max)
		}
	}
	p.edges = append(p.edges, pe)
	return nil
}

// pathBound evaluates a bound of a variable-length edge.
func (c *compiler) pathBound(op ast.Operator, e ast.Expr, sc *scope) (int, error) {
	v, err := c.constValue(e, sc)
	if err != nil {
		return 0, err
	}
	if v.IsNull() || (v.Type != types.Long && v.Type != types.Int) || v.I < 0 || v.I > maxPathLength {
		return 0, errorf(e.Pos(), op.Name(), "an edge length must be an integer from 0 to %d", maxPathLength)
	}
	return int(v.I), nil
}

// cyclesOption reads the cycles parameter.
func cyclesOption(op ast.Operator, params []*ast.Param) (cyclesMode, error) {
	for _, prm := range params {
		if prm.Name.Name != "cycles" {
			continue
		}
		switch v := strings.ToLower(paramText(prm)); v {
		case "unique_edges":
			return cyclesUniqueEdges, nil
		case "none":
			return cyclesNone, nil
		case "all":
			return cyclesAll, nil
		default:
			return 0, errorf(prm.Value.Pos(), op.Name(), "unknown cycles option %s (all, none or unique_edges)", v)
		}
	}
	return cyclesUniqueEdges, nil
}

// patFilters restrict what variables may bind; nil means anything.
type patFilters struct {
	node  [][]bool // per node variable: allowed nodes
	edge  [][]bool // per edge variable: allowed edges (each edge of a sequence)
	inner [][]bool // per edge variable: allowed inner nodes of a sequence
}

// pmatch is one match: what each variable is bound to.
type pmatch struct {
	nodes []int
	edges [][]int // per edge variable, its edges from left to right
	inner [][]int // per edge variable, the nodes between its edges
}

// length is the number of graph edges in the match.
func (m *pmatch) length() int {
	n := 0
	for _, es := range m.edges {
		n += len(es)
	}
	return n
}

// matchStep expands edge variable e from its bound left (or right) end.
type matchStep struct {
	e        int
	fromLeft bool
}

// Limits of one pattern search, so that a pattern exploding over a large
// graph fails rather than exhausting memory (variables so tests can lower
// them).
var (
	maxGraphMatches = 2_000_000
	maxGraphSteps   = 50_000_000
)

// matcher enumerates the matches of a pattern.
type matcher struct {
	ctx    context.Context
	g      *graph
	p      *pattern
	f      *patFilters
	cycles cyclesMode
	what   string
	pos    token.Pos
	steps  []matchStep
	cur    pmatch
	used   []bool // edges in the current partial match
	visits []int  // times each node is visited by the current partial match
	bound  []int  // times each node variable is bound (0 or 1)
	emit   func(*pmatch)
	count  int
	work   int
	err    error
}

// matchAll returns every match of p in g, in a deterministic order.
func matchAll(ctx context.Context, g *graph, p *pattern, f *patFilters, cycles cyclesMode, what string, pos token.Pos) ([]pmatch, error) {
	var out []pmatch
	m := &matcher{ctx: ctx, g: g, p: p, f: f, cycles: cycles, what: what, pos: pos}
	m.emit = func(cur *pmatch) { out = append(out, cur.clone()) }
	if err := m.run(); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *pmatch) clone() pmatch {
	out := pmatch{nodes: append([]int(nil), m.nodes...), edges: make([][]int, len(m.edges)), inner: make([][]int, len(m.inner))}
	for i := range m.edges {
		out.edges[i] = append([]int(nil), m.edges[i]...)
		out.inner[i] = append([]int(nil), m.inner[i]...)
	}
	return out
}

func (m *matcher) run() error {
	start, err := m.plan()
	if err != nil {
		return err
	}
	n := m.g.numNodes()
	m.cur = pmatch{nodes: make([]int, len(m.p.nodes)), edges: make([][]int, len(m.p.edges)), inner: make([][]int, len(m.p.edges))}
	m.used, m.visits, m.bound = make([]bool, len(m.g.src)), make([]int, n), make([]int, len(m.p.nodes))
	for v := 0; v < n && m.err == nil; v++ {
		if m.nodeOK(start, v) {
			m.bind(start, v)
			m.step(0)
			m.unbind(start, v)
		}
	}
	return m.err
}

// plan orders the edges so that each is expanded from a bound end,
// starting from the node variable that admits the fewest nodes.
func (m *matcher) plan() (int, error) {
	start := 0
	best := -1
	for i := range m.p.nodes {
		if n := m.admits(i); best < 0 || n < best {
			start, best = i, n
		}
	}
	boundVar := make([]bool, len(m.p.nodes))
	boundVar[start] = true
	done := make([]bool, len(m.p.edges))
	for len(m.steps) < len(m.p.edges) {
		progress := false
		for i, pe := range m.p.edges {
			if done[i] || !boundVar[pe.left] && !boundVar[pe.right] {
				continue
			}
			m.steps = append(m.steps, matchStep{e: i, fromLeft: boundVar[pe.left]})
			boundVar[pe.left], boundVar[pe.right], done[i] = true, true, true
			progress = true
		}
		if !progress {
			break
		}
	}
	for _, b := range boundVar {
		if !b {
			return 0, errorf(m.pos, m.what, "the pattern's sequences must share node variables (one connected pattern)")
		}
	}
	return start, nil
}

// admits counts the nodes a node variable's filter allows.
func (m *matcher) admits(v int) int {
	if len(m.p.nodes[v].labels) > 0 {
		return 0
	}
	if m.f.node[v] == nil {
		return m.g.numNodes()
	}
	n := 0
	for _, ok := range m.f.node[v] {
		if ok {
			n++
		}
	}
	return n
}

// nodeOK reports whether node n may be bound to the unbound variable v.
func (m *matcher) nodeOK(v, n int) bool {
	if len(m.p.nodes[v].labels) > 0 { // transient graphs carry no labels
		return false
	}
	if f := m.f.node[v]; f != nil && !f[n] {
		return false
	}
	return m.cycles != cyclesNone || m.visits[n] == 0
}

func (m *matcher) bind(v, n int) {
	m.cur.nodes[v] = n
	m.bound[v]++
	m.visits[n]++
}

func (m *matcher) unbind(v, n int) {
	m.bound[v]--
	m.visits[n]--
}

// step expands the k-th planned edge, then the ones after it.
func (m *matcher) step(k int) {
	if m.err != nil {
		return
	}
	if k == len(m.steps) {
		m.count++
		if m.count > maxGraphMatches {
			m.err = errorf(m.pos, m.what, "the pattern has more than %d matches", maxGraphMatches)
			return
		}
		m.emit(&m.cur)
		return
	}
	s := m.steps[k]
	pe := &m.p.edges[s.e]
	if len(pe.labels) > 0 {
		return
	}
	from, to := pe.left, pe.right
	if !s.fromLeft {
		from, to = to, from
	}
	m.walk(k, s, to, 0, m.cur.nodes[from], nil, nil)
}

// walk extends a sequence of edge variable s.e that has reached node at
// depth edges, binding the far end at every admissible length.
func (m *matcher) walk(k int, s matchStep, to, depth, node int, edges, inner []int) {
	pe := &m.p.edges[s.e]
	if m.work++; m.work > maxGraphSteps {
		m.err = errorf(m.pos, m.what, "the pattern needs more than %d search steps", maxGraphSteps)
		return
	}
	if m.work%65536 == 0 {
		if m.err = m.ctx.Err(); m.err != nil {
			return
		}
	}
	if depth >= pe.min {
		m.arrive(k, s, to, node, edges, inner)
	}
	if depth == pe.max || m.err != nil {
		return
	}
	if depth > 0 {
		if f := m.f.inner[s.e]; f != nil && !f[node] || m.cycles == cyclesNone && m.visits[node] > 0 {
			return
		}
		inner = append(inner, node)
		m.visits[node]++
		defer func() { m.visits[node]-- }()
	}
	m.neighbors(node, pe.dir, s.fromLeft, func(e, next int) {
		if f := m.f.edge[s.e]; f != nil && !f[e] || m.cycles != cyclesAll && m.used[e] {
			return
		}
		m.used[e] = true
		m.walk(k, s, to, depth+1, next, append(edges, e), inner)
		m.used[e] = false
	})
}

// arrive binds the far end of a sequence and goes on with the next step.
func (m *matcher) arrive(k int, s matchStep, to, node int, edges, inner []int) {
	if s.fromLeft {
		m.cur.edges[s.e], m.cur.inner[s.e] = edges, inner
	} else {
		m.cur.edges[s.e], m.cur.inner[s.e] = reversed(edges), reversed(inner)
	}
	if m.bound[to] > 0 {
		if m.cur.nodes[to] == node {
			m.step(k + 1)
		}
		return
	}
	if m.nodeOK(to, node) {
		m.bind(to, node)
		m.step(k + 1)
		m.unbind(to, node)
	}
}

func reversed(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// neighbors calls f for each edge leaving node in direction dir (as
// written, read from the left end when fromLeft) and the node it leads to.
func (m *matcher) neighbors(node int, dir ast.GraphDir, fromLeft bool, f func(e, next int)) {
	forward := dir == ast.GraphRight == fromLeft
	if dir == ast.GraphAny || forward {
		for _, e := range m.g.out[node] {
			f(e, m.g.dst[e])
		}
	}
	if dir == ast.GraphAny || !forward {
		for _, e := range m.g.in[node] {
			if dir == ast.GraphAny && m.g.src[e] == m.g.dst[e] {
				continue // a loop was met among the edges leaving node
			}
			f(e, m.g.src[e])
		}
	}
}
