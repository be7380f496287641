package check

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/printer"
)

// Graph inputs for the tests: an edge table and a node table.
const (
	gEdges = "datatable(src:string, dst:string, w:long)[]"
	gNodes = "datatable(name:string, age:long)[]"
	gGraph = gEdges + " | make-graph src --> dst with (" + gNodes + ") on name"
)

func TestGraphSchemas(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"nodes", gGraph + " | graph-to-table nodes", "(name:string, age:long)"},
		{"nodes with id", gGraph + " | graph-to-table nodes with_node_id=Id", "(Id:long, name:string, age:long)"},
		{"edges", gGraph + " | graph-to-table edges with_source_id=S with_target_id=T", "(S:long, T:long, src:string, dst:string, w:long)"},
		{"with_node_id", gEdges + " | make-graph src --> dst with_node_id=k | graph-to-table nodes", "(k:string)"},
		{"no node properties", gEdges + " | make-graph src --> dst | graph-to-table nodes", "()"},
		{"components", gGraph + " | graph-mark-components | graph-to-table nodes", "(name:string, age:long, ComponentId:long)"},
		{"components named", gGraph + " | graph-mark-components kind=strong with_component_id=c | graph-to-table nodes", "(name:string, age:long, c:long)"},
		{"match names", gGraph + " | graph-match (a)-[e]->(b) project a.name, e.w, b_age = b.age", "(a_name:string, e_w:long, b_age:long)"},
		{"match unnamed", gGraph + " | graph-match (a)-[e]->(b) project a.age + 1, node_id(b)", "(Column1:long, Column2:string)"},
		{"sequence arrays", gGraph + " | graph-match (a)-[e*1..3]->(b) project ws = e.w, m = map(e, w * 2), n = map(inner_nodes(e), name)", "(ws:dynamic, m:dynamic, n:dynamic)"},
		{"graph functions", gGraph + " | graph-match (a)-[e*1..3]->(b) project all(e, w > 1), x = any(inner_nodes(e), node_degree_in() > 2), d = node_degree_out(a), l = labels(a)",
			"(Column1:bool, x:bool, d:long, l:dynamic)"},
		{"shortest paths", gGraph + " | graph-shortest-paths output=all (a)-[e*1..3]->(b) project a.name, hops = array_length(e.w)", "(a_name:string, hops:long)"},
		{"partitioned", gEdges + " | make-graph src --> dst partitioned-by w (graph-match (a)-->(b) project node_id(a))", "(Column1:string)"},
		{"as names", gGraph + " | graph-to-table nodes as N, edges as E; E", "(src:string, dst:string, w:long)"},
		{"whole variables", gGraph + " | graph-match (a)-[e*1..2]->(b) project a, hops = array_length(e)", "(a:dynamic, hops:long)"},
		{"persistent graph", "graph('G') | graph-match (a)-->(b) project a.x", "(a_x:unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, errs := run(t, tt.src, &Config{})
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if got := info.Output.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGraphErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown edge column", gEdges + " | make-graph from --> dst | graph-to-table nodes",
			`UnknownColumn: unknown column "from"`},
		{"unknown node key", gEdges + " | make-graph src --> dst with (" + gNodes + ") on id | graph-to-table nodes",
			`UnknownColumn: unknown column "id"`},
		{"unknown property", gGraph + " | graph-match (a)-->(b) project a.nme",
			`UnknownColumn: node "a" has no property "nme"; did you mean "name"?`},
		{"unknown edge property", gGraph + " | graph-match (a)-[e]->(b) project e.x",
			`UnknownColumn: edge "e" has no property "x"`},
		{"where not bool", gGraph + " | graph-match (a)-->(b) where a.age project a.name",
			`TypeMismatch: where clause must be bool, got long`},
		{"all not bool", gGraph + " | graph-match (a)-[e*1..2]->(b) where all(e, w) project a.name",
			`TypeMismatch: the condition of all() must be bool, got long`},
		{"inner_nodes alone", gGraph + " | graph-match (a)-[e*1..2]->(b) project inner_nodes(e)",
			`InvalidArgument: inner_nodes() may only be the first argument`},
		{"node_id of edge", gGraph + " | graph-match (a)-[e]->(b) project node_id(e)",
			`InvalidArgument: node_id() takes a node variable`},
		{"bad cycles", gGraph + " | graph-match cycles=some (a)-->(b) project a.name",
			`InvalidArgument: unknown cycles option "some"`},
		{"bad length", gGraph + " | graph-match (a)-[e*3..1]->(b) project a.name",
			`InvalidArgument: the edge length range 3..1 is empty`},
		{"edge name twice", gGraph + " | graph-match (a)-[e]->(b)-[e]->(c) project a.name",
			`InvalidArgument: "e" is used twice in the pattern`},
		{"shortest without sequence", gGraph + " | graph-shortest-paths (a)-[e]->(b) project a.name",
			`InvalidArgument: graph-shortest-paths needs a single sequence`},
		{"table into graph op", gEdges + " | graph-match (a)-->(b) project a.name",
			`TypeMismatch: graph-match needs a graph`},
		{"graph into table op", gGraph + " | where w > 1",
			`NotTabular: where needs a table`},
		{"bad kind", gGraph + " | graph-mark-components kind=medium | graph-to-table nodes",
			`InvalidArgument: unknown graph-mark-components kind "medium"`},
		{"id option on edges", gGraph + " | graph-to-table edges with_node_id=x",
			`InvalidArgument: with_node_id does not apply to edges`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := run(t, tt.src, &Config{})
			if len(errs) == 0 {
				t.Fatalf("no error, want %s", tt.want)
			}
			got := errs[0].Code + ": " + Code(errs[0].Msg)
			if !strings.HasPrefix(string(got), tt.want) {
				t.Errorf("got %s, want %s…", got, tt.want)
			}
		})
	}
}

// TestGraphTypesRecorded checks that the original nodes of graph
// expressions get their types, not the checker's rewritten copies.
func TestGraphTypesRecorded(t *testing.T) {
	info, errs := run(t, gGraph+" | graph-match (a)-[e*1..2]->(b) where a.age > 1 project x = strcat(a.name, '-', tostring(map(e, w)))", &Config{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string]string{"a.age > 1": "bool", "a.age": "long", "a.name": "string", "map(e, w)": "dynamic",
		"strcat(a.name, '-', tostring(map(e, w)))": "string"}
	found := 0
	for x, typ := range info.Types {
		s := printer.Node(x)
		if w, ok := want[s]; ok {
			found++
			if typ.String() != w {
				t.Errorf("%s: %s, want %s", s, typ, w)
			}
		}
		if strings.Contains(s, "\x00") {
			t.Errorf("a rewritten node is recorded: %q", s)
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d expressions", found, len(want))
	}
}
