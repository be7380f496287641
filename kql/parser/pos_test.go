package parser

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// checkPositions reports nodes whose positions are missing, reversed, out
// of the source, or outside their parent.
func checkPositions(q *ast.Query, src string) []string {
	var bad []string
	limit := token.PosOf(len(src))
	var check func(n, parent ast.Node)
	check = func(n, parent ast.Node) {
		pos, end := n.Pos(), n.End()
		desc := fmt.Sprintf("%T [%d,%d)", n, pos, end)
		switch {
		case !pos.IsValid():
			bad = append(bad, desc+": no position")
		case end < pos:
			bad = append(bad, desc+": end before pos")
		case end > limit:
			bad = append(bad, desc+": past end of source")
		case parent != nil && (pos < parent.Pos() || end > parent.End()):
			bad = append(bad, fmt.Sprintf("%s: outside parent %T [%d,%d)", desc, parent, parent.Pos(), parent.End()))
		}
		for _, c := range children(n) {
			check(c, n)
		}
	}
	for _, s := range q.Stmts {
		check(s, nil)
	}
	return bad
}

// children returns the nodes directly below n.
func children(n ast.Node) []ast.Node {
	var list []ast.Node
	ast.Inspect(n, func(c ast.Node) bool {
		if c == n {
			return true
		}
		if c != nil && !reflect.ValueOf(c).IsNil() {
			list = append(list, c)
		}
		return false
	})
	return list
}

func TestCorpusPositions(t *testing.T) {
	recs, ok := readRecords(t, corpusPath)
	if !ok {
		t.Skip("corpus not found: ../shared absent")
	}
	nbad := 0
	for _, r := range recs {
		q, err := Parse(token.NewFile(r.ID, r.Query))
		if err != nil {
			continue
		}
		for _, b := range checkPositions(q, r.Query) {
			if nbad < 30 {
				t.Errorf("%s: %s", r.ID, b)
			}
			nbad++
		}
	}
}
