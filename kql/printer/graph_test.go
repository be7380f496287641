package printer

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
)

var graphQueries = []struct{ in, want string }{
	{"E|make-graph a-->b", "E | make-graph a --> b\n"},
	{"E | make-graph  a --> b  with_node_id = n", "E | make-graph a --> b with_node_id=n\n"},
	{"E | make-graph a --> b with N on id,(M|where x)on k", "E | make-graph a --> b with N on id, (M | where x) on k\n"},
	{"E | make-graph a --> b with N on id partitioned-by t (graph-match (x)-->(y) project x.id)",
		"E | make-graph a --> b with N on id partitioned-by t (graph-match (x)-->(y) project x.id)\n"},
	{"G | graph-match cycles=none (a)<-[e*1..3]-(b)--(c)<--()-[ * 2 ]-(d), (a)-[f]->(z) where a.x==1 project n=node_id(b), map(e, w)",
		"G | graph-match cycles=none (a)<-[e*1..3]-(b)--(c)<--()-[*2]-(d), (a)-[f]->(z) where a.x == 1 project n = node_id(b), map(e, w)\n"},
	{"G | graph-match (a:Person|Bot)-[w:WorksAt]->(c) project a", "G | graph-match (a:Person|Bot)-[w:WorksAt]->(c) project a\n"},
	{"G | graph-match (a)-[]->(b) project a", "G | graph-match (a)-->(b) project a\n"},
	{"G | graph-shortest-paths output=all (s)-[e*1..n]->(t) project s.id",
		"G | graph-shortest-paths output=all (s)-[e*1..n]->(t) project s.id\n"},
	{"G | graph-to-table nodes as N with_node_id=Id, edges with_target_id=T as E",
		"G | graph-to-table nodes as N with_node_id=Id, edges as E with_target_id=T\n"},
	{"G | graph-mark-components kind=strong with_component_id=c", "G | graph-mark-components kind=strong with_component_id=c\n"},
}

func TestGraphFormat(t *testing.T) {
	for _, c := range graphQueries {
		q, err := parse(c.in)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got := Query(q); got != c.want {
			t.Errorf("%q:\n   got: %q\n  want: %q", c.in, got, c.want)
		}
		if problem, ok := checkRoundTrip(c.in); !ok || problem != "" {
			t.Errorf("%q: round trip: %s", c.in, problem)
		}
	}
}

func TestGraphHelperNodes(t *testing.T) {
	q, err := parse("E | make-graph a --> b with N on k | graph-match (a:L)<-[e*1..2]-(b) project a.k | graph-to-table nodes as X")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	ast.Inspect(q, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.GraphNodesTable, *ast.GraphPath, *ast.GraphNode, *ast.GraphEdge, *ast.GraphTableOutput:
			got = append(got, Node(n))
		}
		return true
	})
	want := []string{"N on k", "(a:L)<-[e*1..2]-(b)", "(a:L)", "(b)", "<-[e*1..2]-", "nodes as X"}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzGraphRoundTrip(f *testing.F) {
	for _, c := range graphQueries {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if problem, ok := checkRoundTrip(src); ok && problem != "" {
			t.Fatalf("%q: %s", src, problem)
		}
	})
}
