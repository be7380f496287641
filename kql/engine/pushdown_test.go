package engine

import (
	"sort"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/parser"
)

func TestNeededColumns(t *testing.T) {
	tests := []struct {
		query string
		want  string // sorted names, or "*" for every column
	}{
		{"T | where a > 1 | project b", "a,b"},
		{"T | where a > 1", "*"},
		{"T | extend c = a + 1 | project c, b", "a,b,c"},
		{"T | summarize count() by d", "count,d"},
		{"T | summarize arg_max(t, *) by d", "*"},
		{"T | project x = column_ifexists('s', 'd')", "*"},
		{"T | project p = pack_all()", "*"},
		{"T | project-rename n = a | project n", "a,n"},
		{"T | join (U) on k | project a", "*"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.query)
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		_, ops := flattenPipe(e.(*ast.PipeExpr))
		need, all := neededColumns(ops)
		got := "*"
		if !all {
			got = joinSorted(need)
		}
		if got != tt.want {
			t.Errorf("%s: needed = %s, want %s", tt.query, got, tt.want)
		}
	}
}

func joinSorted(m map[string]bool) string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ","
		}
		s += n
	}
	return s
}
