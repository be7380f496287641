package parser

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

var errorCases = []struct {
	src  string
	want []string // "line:col: msg", in order
}{
	{"T | where", []string{"1:10: expected expression, found end of query"}},
	{"T | where x >", []string{"1:14: expected expression, found end of query"}},
	{"T | frobnicate x | where y", []string{"1:5: unknown tabular operator 'frobnicate'"}},
	{"T | where a == 1 b", []string{"1:18: expected '|' or ';' after where, found 'b'"}},
	{"T | where x in \"a\"", []string{"1:13: expected '|' or ';' after where, found 'in'"}},
	{"let = 5; T", []string{"1:5: expected name, found '='"}},
	{"let x = ; T | take 1", []string{"1:9: expected expression, found ';'"}},
	{"T | take 1 | ", []string{"1:14: expected tabular operator, found end of query"}},
	{"T | where \"unterminated", []string{"1:11: string literal not terminated"}},
	{"T | where x == 1 ) | take 1", []string{"1:18: expected ';' or '|', found ')'"}},
	{"T | join (U on x", []string{"1:13: expected ')', found 'on'"}},
	{"T | extend x = dynamic([1, 2)", []string{"1:29: expected ']' after array, found ')'"}},
	{"T | sort x", []string{"1:10: expected 'by', found 'x'"}},
	{"T | where a # b", []string{"1:13: unexpected character '#'"}},
	{"T | where a between (1, 2)", []string{"1:23: expected '..', found ','"}},
	{"T | parse x with 1", []string{"1:18: expected string, '*' or column in parse pattern, found 1"}},
	{"T | mv-apply x on where y", []string{"1:19: expected '(' to start the mv-apply sub-query, found 'where'"}},
	{"(T | where a", []string{"1:13: expected ')', found end of query"}},
	{"T | extend x = ```abc", []string{"1:16: multi-line string literal not terminated"}},
	{"T | where x == 1 |\n| take 1", []string{"2:1: expected tabular operator, found '|'"}},
	// Several errors, each reported with its line and column; parsing
	// resumes at the next "|" or ";".
	{"let a = T\n| where x ==\n| extend y = 1 +\n| project z;\nT | summarize count() by\n| frob",
		[]string{
			"3:1: expected expression, found '|'",
			"4:1: expected expression, found '|'",
			"6:1: expected expression, found '|'",
			"6:3: unknown tabular operator 'frob'",
		}},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		q, err := Parse(token.NewFile("", c.src))
		if q == nil {
			t.Fatalf("%q: nil query", c.src)
		}
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%q: err = %v, want an ErrorList", c.src, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n   got: %q\n  want: %q", c.src, got, c.want)
		}
	}
}

func TestErrorRecoveryKeepsGoodParts(t *testing.T) {
	src := "T | where x == | project a, b | frob | take 10"
	q, err := Parse(token.NewFile("q.kql", src))
	if err == nil {
		t.Fatal("no error")
	}
	if got, want := dumpStmts(q.Stmts), "(| (| (| (| T BadOp{}) ProjectOp{Cols:[a b]}) BadOp{}) TakeOp{N:10})"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got, want := err.Error(), "q.kql:1:16: expected expression, found '|'\nq.kql:1:33: unknown tabular operator 'frob'"; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
	var bad *ast.BadOp
	ast.Inspect(q, func(n ast.Node) bool {
		if b, ok := n.(*ast.BadOp); ok && bad == nil {
			bad = b
		}
		return true
	})
	if bad == nil || bad.Word != "where" || bad.From != token.PosOf(4) || bad.To != token.PosOf(14) {
		t.Errorf("first BadOp = %+v, want where [5,15)", bad)
	}
}

func TestErrorCap(t *testing.T) {
	src := strings.Repeat("T | frob;\n", 100)
	q, err := Parse(token.NewFile("", src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != maxErrors {
		t.Fatalf("got %d errors, want %d", len(list), maxErrors)
	}
	if len(q.Stmts) == 0 {
		t.Error("no partial statements")
	}
}

func TestErrorListEmpty(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Error("empty ErrorList.Err() != nil")
	}
	if _, err := Parse(token.NewFile("", "T | take 1")); err != nil {
		t.Errorf("err = %v", err)
	}
}

func TestEmbeddedPositions(t *testing.T) {
	f := token.NewFile("rule.yaml", "T\n| where")
	f.LineOffset, f.ColumnOffset = 10, 2
	_, err := Parse(f)
	if got, want := err.Error(), "rule.yaml:12:10: expected expression, found end of query"; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
}

func TestDeepNesting(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("(", 100000),
		strings.Repeat("x[", 100000),
		strings.Repeat("-", 100000) + "1",
		"print " + strings.Repeat("f(", 100000),
		"print dynamic(" + strings.Repeat("[", 100000),
		strings.Repeat("T | where x in (", 10000),
	} {
		q, err := Parse(token.NewFile("", src))
		if q == nil || err == nil {
			t.Errorf("%.20q…: q = %v, err = %v", src, q, err)
		}
	}
}
