package ast

import (
	"testing"

	"github.com/vigil-hunt/vigil/kql/token"
)

func TestInspectVisitsEveryNode(t *testing.T) {
	// T | where a > 1 | summarize count() by b
	tbl := &Ident{NamePos: 1, Name: "T", EndPos: 2}
	where := &WhereOp{Keyword: 5, Word: "where", Pred: &BinaryExpr{
		X: &Ident{NamePos: 11, Name: "a", EndPos: 12}, OpPos: 13, Op: token.GTR,
		Y: &BasicLit{ValuePos: 15, Kind: token.INT, Value: "1", EndPos: 16},
	}, EndPos: 16}
	sum := &SummarizeOp{Keyword: 19, Word: "summarize",
		Aggs: []*ColumnDef{{X: &CallExpr{Fun: &Ident{Name: "count"}}}},
		Keys: []*ColumnDef{{X: &Ident{Name: "b"}}}}
	q := &Query{Stmts: []Stmt{&ExprStmt{X: &PipeExpr{X: &PipeExpr{X: tbl, Op: where}, Op: sum}}}}

	var idents []string
	count := 0
	Inspect(q, func(n Node) bool {
		count++
		if id, ok := n.(*Ident); ok {
			idents = append(idents, id.Name)
		}
		return true
	})
	want := []string{"T", "a", "count", "b"}
	if len(idents) != len(want) {
		t.Fatalf("idents = %v, want %v", idents, want)
	}
	for i := range want {
		if idents[i] != want[i] {
			t.Fatalf("idents = %v, want %v", idents, want)
		}
	}
	// Query, ExprStmt, 2 PipeExpr, Ident T, WhereOp, BinaryExpr, Ident a, BasicLit,
	// SummarizeOp, ColumnDef x2, CallExpr, Ident count, Ident b.
	if count != 15 {
		t.Errorf("visited %d nodes, want 15", count)
	}

	// Returning false prunes the subtree.
	idents = nil
	Inspect(q, func(n Node) bool {
		if _, ok := n.(*WhereOp); ok {
			return false
		}
		if id, ok := n.(*Ident); ok {
			idents = append(idents, id.Name)
		}
		return true
	})
	if len(idents) != 3 {
		t.Errorf("with where pruned, idents = %v, want [T count b]", idents)
	}
}
