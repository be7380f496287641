package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// graphEdges is a small graph for the Go tests: a cycle a->b->c->a, an
// edge c->d and a separate edge e->f.
const graphEdges = `let E = datatable(s:string, d:string, w:long)["a","b",1, "b","c",2, "c","a",3, "c","d",4, "e","f",5];
let N = datatable(name:string, kind:string)["a","x", "b","y", "c","x", "d","y", "z","x"];
`

// TestGraphSchemasAgree runs graph queries through the checker and the
// engine: the checker's output schema must be the engine's, and the
// checker must find nothing wrong.
func TestGraphSchemasAgree(t *testing.T) {
	queries := []string{
		"E | make-graph s --> d with N on name | graph-to-table nodes with_node_id=Id",
		"E | make-graph s --> d | graph-to-table edges with_target_id=T",
		"E | make-graph s --> d with_node_id=k | graph-mark-components | graph-to-table nodes",
		"E | make-graph s --> d with N on name | graph-match (x)-[p*1..3]->(y) where x.kind == 'x' and p.w > 0 project x.name, p.w, map(p, w * 2), n = node_degree_in(y), all(inner_nodes(p), kind == 'y')",
		"E | make-graph s --> d with N on name | graph-match (x)-[e]->(y) project e.w + 1, y.kind, labels(e), node_id(x)",
		"E | make-graph s --> d with_node_id=k | graph-shortest-paths output=all (x)-[p*1..3]->(y) project x.k, y.k, hops = array_length(p.w)",
		"E | make-graph s --> d with_node_id=k partitioned-by w (graph-match (x)-->(y) project x.k, y.k)",
		"let f = () { E | make-graph s --> d with_node_id=k }; f() | graph-match (x)-[e*0..2]-(y) project x.k, e, n = array_length(e)",
	}
	for _, q := range queries {
		src := graphEdges + q
		f := token.NewFile("q", src)
		tree, err := parser.Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		info, err := check.Check(tree, f, &check.Config{})
		if err != nil {
			t.Errorf("%s: checker: %v", q, err)
		}
		res, err := Run(context.Background(), tree, Options{})
		if err != nil {
			t.Errorf("%s: engine: %v", q, err)
			continue
		}
		if got, want := info.Output.String(), res.Tables[0].Schema.String(); got != want {
			t.Errorf("%s:\n checker %s\n  engine %s", q, got, want)
		}
	}
}

func TestGraphToTableNames(t *testing.T) {
	q := graphEdges + "E | make-graph s --> d with N on name | graph-to-table nodes as Nodes, edges as Edges; Edges | count; Nodes | count"
	res, err := Query(context.Background(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range res.Tables {
		got = append(got, fmt.Sprintf("%s:%d", b.Schema, b.N))
	}
	want := "(name:string, kind:string):7 (s:string, d:string, w:long):5 (Count:long):1 (Count:long):1"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
	if n := res.Tables[2].Cols[0].Ints[0]; n != 5 {
		t.Errorf("Edges | count = %d, want 5", n)
	}
}

func TestGraphComponents(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		edges      [][2]int
		weak, strg string
	}{
		{"empty", 0, nil, "[]", "[]"},
		{"isolated", 3, nil, "[0 1 2]", "[0 1 2]"},
		{"chain", 3, [][2]int{{0, 1}, {1, 2}}, "[0 0 0]", "[0 1 2]"},
		{"cycle and tail", 4, [][2]int{{0, 1}, {1, 2}, {2, 0}, {2, 3}}, "[0 0 0 0]", "[0 0 0 1]"},
		{"two cycles", 5, [][2]int{{3, 4}, {4, 3}, {0, 1}, {1, 0}, {1, 3}}, "[0 0 1 0 0]", "[0 0 1 2 2]"},
		{"self loop", 2, [][2]int{{1, 1}}, "[0 1]", "[0 1]"},
	}
	for _, tt := range tests {
		g := testGraph(tt.n, tt.edges)
		if got := fmt.Sprint(weakComponents(g)); got != tt.weak {
			t.Errorf("%s: weak = %s, want %s", tt.name, got, tt.weak)
		}
		if got := fmt.Sprint(strongComponents(g)); got != tt.strg {
			t.Errorf("%s: strong = %s, want %s", tt.name, got, tt.strg)
		}
	}
}

// testGraph builds a graph of n nodes and no properties.
func testGraph(n int, edges [][2]int) *graph {
	g := &graph{ids: value.NewColumn(types.Long, n)}
	for i := 0; i < n; i++ {
		g.ids.Ints = append(g.ids.Ints, int64(i))
	}
	for _, e := range edges {
		g.src, g.dst = append(g.src, e[0]), append(g.dst, e[1])
	}
	g.link()
	return g
}

func TestGraphMatchLimits(t *testing.T) {
	defer func(m, s int) { maxGraphMatches, maxGraphSteps = m, s }(maxGraphMatches, maxGraphSteps)
	q := `range i from 0 to 20 step 1 | extend j = range(0, 20) | mv-expand j to typeof(long)
| make-graph i --> j | graph-match cycles=all (x)-[p*1..6]->(y) project node_id(x)`
	maxGraphMatches = 1000
	if _, err := Query(context.Background(), q, Options{}); err == nil || !strings.Contains(err.Error(), "more than 1000 matches") {
		t.Errorf("err = %v, want the match limit", err)
	}
	maxGraphMatches, maxGraphSteps = 1<<30, 5000
	if _, err := Query(context.Background(), q, Options{}); err == nil || !strings.Contains(err.Error(), "search steps") {
		t.Errorf("err = %v, want the step limit", err)
	}
}

func TestGraphMatchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q := `range i from 0 to 30 step 1 | extend j = range(0, 30) | mv-expand j to typeof(long)
| make-graph i --> j | graph-match cycles=all (x)-[p*1..8]->(y) project node_id(x)`
	if _, err := Query(ctx, q, Options{}); err == nil {
		t.Error("no error from a cancelled query")
	}
}

func TestGraphErrorsNamePosition(t *testing.T) {
	q := graphEdges + "E | make-graph s --> d with N on name | graph-match (x)-->(y) project x.nme"
	_, err := Query(context.Background(), q, Options{})
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v (%T), want *Error", err, err)
	}
	if e.What != "graph-match" || !strings.HasPrefix(q[e.Pos.Offset():], "nme") {
		t.Errorf("error %q at %q, want graph-match at the property", e, q[e.Pos.Offset():])
	}
}

func BenchmarkGraphMatchChain(b *testing.B) {
	q := `range i from 0 to 20000 step 1 | extend j = i + 1
| make-graph i --> j | graph-match (x)-[p*1..3]->(y) where x.i % 100 == 0 project node_id(x), node_id(y)`
	q = strings.Replace(q, "make-graph i --> j", "make-graph i --> j with (range i from 0 to 20001 step 1) on i", 1)
	for i := 0; i < b.N; i++ {
		if _, err := Query(context.Background(), q, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGraphShortestSearchesAgree compares the breadth-first search of
// graph-shortest-paths with the enumeration it replaces (forced by a where
// term that is not about one element) on random directed graphs.
func TestGraphShortestSearchesAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 30; round++ {
		var rows []string
		for i := 0; i < 25; i++ {
			rows = append(rows, fmt.Sprintf("%d, %d, %d", rng.IntN(10), rng.IntN(10), rng.IntN(3)))
		}
		base := fmt.Sprintf("datatable(s:long, d:long, c:long)[%s] | make-graph s --> d with_node_id=n | ", strings.Join(rows, ", "))
		for _, out := range []string{"any", "all"} {
			q := "graph-shortest-paths output=" + out + " (a)-[e*1..4]->(b) where e.c != 0 and a.n < 5 %s project a.n, b.n, p = strcat(map(e, strcat(s, '>', d)))"
			fast := graphRows(t, base+fmt.Sprintf(q, ""))
			slow := graphRows(t, base+fmt.Sprintf(q, "and true"))
			if fast != slow {
				t.Fatalf("round %d, output=%s:\nbfs:\n%s\nenumeration:\n%s", round, out, fast, slow)
			}
		}
	}
}

// graphRows runs q and returns its rows, sorted, one per line.
func graphRows(t *testing.T, q string) string {
	t.Helper()
	res, err := Query(context.Background(), q, Options{})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	b := res.Tables[0]
	var rows []string
	for i := 0; i < b.N; i++ {
		var cells []string
		for _, c := range b.Cols {
			cells = append(cells, c.Value(i).String())
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}
