package parser

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func TestReduceAndProjectByNames(t *testing.T) {
	q, err := Parse(token.NewFile("q", `T | reduce kind=source by s with threshold=0.5, characters="-" | project-by-names "a", dynamic(["b"]), column_names_of(U)`))
	if err != nil {
		t.Fatal(err)
	}
	pe := q.Stmts[0].(*ast.ExprStmt).X.(*ast.PipeExpr)
	pbn, ok := pe.Op.(*ast.ProjectByNamesOp)
	if !ok || len(pbn.Cols) != 3 {
		t.Fatalf("last operator = %#v, want project-by-names with 3 specifiers", pe.Op)
	}
	red, ok := pe.X.(*ast.PipeExpr).Op.(*ast.ReduceOp)
	if !ok {
		t.Fatalf("first operator = %T, want reduce", pe.X.(*ast.PipeExpr).Op)
	}
	if len(red.Params) != 1 || red.Params[0].Name.Name != "kind" || len(red.Options) != 2 || !red.With.IsValid() {
		t.Errorf("reduce = %+v", red)
	}
	if id, ok := red.X.(*ast.Ident); !ok || id.Name != "s" {
		t.Errorf("reduce by %#v, want s", red.X)
	}
}

func TestReduceErrors(t *testing.T) {
	for _, src := range []string{"T | reduce s", "T | reduce by s with", "T | reduce by s with foo=1", "T | project-by-names"} {
		if _, err := Parse(token.NewFile("q", src)); err == nil || !strings.Contains(err.Error(), "expected") {
			t.Errorf("%s: err = %v, want an 'expected …' error", src, err)
		}
	}
}
