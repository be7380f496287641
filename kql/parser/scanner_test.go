package parser

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

func TestScan(t *testing.T) {
	tests := []struct {
		src  string
		want string // kind:lit pairs, space-separated
	}{
		{"T | where x", "IDENT:T |:| IDENT:where IDENT:x"},
		{"$left.A", "IDENT:$left .:. IDENT:A"},
		{"42 0x2A 1.5 1e3 1.5E-3 .5 7.", "INT:42 INT:0x2A REAL:1.5 REAL:1e3 REAL:1.5E-3 REAL:.5 REAL:7."},
		{"1d 1.5h 30m 10s 100ms 2min 3days 1tick 5microseconds 7hrs 1.5sec",
			"TIMESPAN:1d TIMESPAN:1.5h TIMESPAN:30m TIMESPAN:10s TIMESPAN:100ms TIMESPAN:2min TIMESPAN:3days TIMESPAN:1tick TIMESPAN:5microseconds TIMESPAN:7hrs TIMESPAN:1.5sec"},
		{"1..10", "INT:1 ..:.. INT:10"},
		{"5x", "INT:5 IDENT:x"},
		{`'a' "b\"c" @'d\' @"e""f" h'g' H"h" h@'i'`,
			`STRING:'a' STRING:"b\"c" STRING:@'d\' STRING:@"e""f" STRING:h'g' STRING:H"h" STRING:h@'i'`},
		{"```a\n'b```", "STRING:```a\n'b```"},
		{"== != <> < <= > >= =~ !~ = => ! ~ , ; : . .. ( ) [ ] { } + - * / % |",
			"==:== !=:!= !=:<> <:< <=:<= >:> >=:>= =~:=~ !~:!~ =:= =>:=> !:! ~:~ ,:, ;:; ::: .:. ..:.. (:( ):) [:[ ]:] {:{ }:} +:+ -:- *:* /:/ %:% |:|"},
		{"datetime(2020-01-01) time(1.02:03) guid(x) int(null) real(+inf) datetime('a)b')",
			"TYPEDLIT:datetime(2020-01-01) TYPEDLIT:time(1.02:03) TYPEDLIT:guid(x) TYPEDLIT:int(null) TYPEDLIT:real(+inf) TYPEDLIT:datetime('a)b')"},
		{"datetime (1) dynamic(1) todatetime(x)", "IDENT:datetime (:( INT:1 ):) IDENT:dynamic (:( INT:1 ):) IDENT:todatetime (:( IDENT:x ):)"},
		{"a // c1\n// c2\nb", "IDENT:a IDENT:b"},
		{"\u00a0x\ufeff", "IDENT:x"},
		{"é_1", "IDENT:é_1"},
		{"#", "ILLEGAL:#"},
		{"'abc\nd", "ILLEGAL:'abc IDENT:d"},
	}
	for _, tt := range tests {
		s := scan(tt.src)
		var parts []string
		for _, tk := range s.toks {
			if tk.kind == token.EOF {
				break
			}
			parts = append(parts, tk.kind.String()+":"+tk.lit)
			if tt.src[tk.pos.Offset():tk.end.Offset()] != tk.lit {
				t.Errorf("%q: token %q has span [%d,%d)", tt.src, tk.lit, tk.pos, tk.end)
			}
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("scan(%q)\n   got: %s\n  want: %s", tt.src, got, tt.want)
		}
	}
}

func TestComments(t *testing.T) {
	src := "// head\nT // tail\r\n| where x // end"
	q, err := Parse(token.NewFile("", src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"// head", "// tail", "// end"}
	if len(q.Comments) != len(want) {
		t.Fatalf("comments = %d, want %d", len(q.Comments), len(want))
	}
	for i, c := range q.Comments {
		if c.Text != want[i] || src[c.Pos().Offset():c.End().Offset()] != want[i] {
			t.Errorf("comment %d = %q at [%d,%d)", i, c.Text, c.Pos(), c.End())
		}
	}
	if q.EOF != token.PosOf(len(src)) {
		t.Errorf("EOF = %d, want %d", q.EOF, token.PosOf(len(src)))
	}
}

func TestParseExpr(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a + 1", "(+ a 1)"},
		{"a or b and c", "(or a (and b c))"},
		{"a == 1 or b < 2 + 3 * 4", "(or (== a 1) (< b (+ 2 (* 3 4))))"},
		{"T | where x", "(| T WhereOp{Pred:x})"},
		{"f(x, *, n = 1)", "f(x * NamedArg{Name:n Value:1})"},
		{"['a b'].c[0]", "a b'.c[0]"},
		{`"a" "b" 'c'`, `"a" "b" 'c'`},
		{"x !in~ (1)", "InExpr{X:x Op:!in~ List:[1]}"},
	}
	for _, tt := range tests {
		x, err := ParseExpr(tt.src)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.src, err)
			continue
		}
		if got := dump(x); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
	if _, err := ParseExpr("a +"); err == nil {
		t.Error("ParseExpr(\"a +\"): no error")
	}
	if _, err := ParseExpr("a b"); err == nil {
		t.Error("ParseExpr(\"a b\"): no error")
	}
}

func TestPositions(t *testing.T) {
	src := "T\n| where x > 1 // c\n| project y = f(x)"
	q, err := Parse(token.NewFile("", src))
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	ast.Inspect(q, func(n ast.Node) bool {
		if op, ok := n.(ast.Operator); ok {
			ops = append(ops, op.Name()+"="+src[op.Pos().Offset():op.End().Offset()])
		}
		return true
	})
	want := []string{"where=where x > 1", "project=project y = f(x)"}
	if strings.Join(ops, ";") != strings.Join(want, ";") {
		t.Errorf("operator spans = %q, want %q", ops, want)
	}
	pipe := q.Stmts[0].(*ast.ExprStmt).X.(*ast.PipeExpr)
	if pipe.Bar != token.PosOf(strings.LastIndex(src, "|")) {
		t.Errorf("Bar = %d", pipe.Bar)
	}
}
