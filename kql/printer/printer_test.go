package printer

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/parser"
)

func TestExpr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a+b*c", "a + b * c"},
		{"(a+b)*c", "(a + b) * c"},
		{"a-(b-c)", "a - (b - c)"},
		{"-x", "-x"},
		{"- -x", "- -x"},
		{"a>=1 and b<>2 or c==3", "a >= 1 and b != 2 or c == 3"},
		{"x  has  'a'", "x has 'a'"},
		{"x !contains_cs \"a\"", "x !contains_cs \"a\""},
		{"x =~ 'a' and y !~ 'b'", "x =~ 'a' and y !~ 'b'"},
		{"x matches regex @'\\d+'", "x matches regex @'\\d+'"},
		{"x in ('a','b')", "x in ('a', 'b')"},
		{"x !in~ (1,2)", "x !in~ (1, 2)"},
		{"x has_any (l)", "x has_any (l)"},
		{"x has_all ('a','b')", "x has_all ('a', 'b')"},
		{"x in (T | project a)", "x in (T | project a)"},
		{"x between (1 .. 10)", "x between (1 .. 10)"},
		{"x !between(1..10)", "x !between (1 .. 10)"},
		{"strlen( x )", "strlen(x)"},
		{"count()", "count()"},
		{"arg_max(t,*)", "arg_max(t, *)"},
		{"parse_json(a).b.c", "parse_json(a).b.c"},
		{"a['k'][0]", "a['k'][0]"},
		{"$left.x==$right.y", "$left.x == $right.y"},
		{"datetime( 2024-01-01 )", "datetime(2024-01-01)"},
		{"timespan(1d)", "timespan(1d)"},
		{"int(null)", "int(null)"},
		{"dynamic({\"a\":1,\"b\":[1,2]})", "dynamic({\"a\": 1, \"b\": [1, 2]})"},
		{"dynamic([ ])", "dynamic([])"},
		{"dynamic(null)", "dynamic(null)"},
		{"['a b']", "['a b']"},
		{"[\"it's\"]", "['it\\'s']"},
		{"'a'  'b'", "'a' 'b'"},
		{"h'secret'", "h'secret'"},
		{"1.5e3", "1.5e3"},
		{"1d + 2h", "1d + 2h"},
		{"true or false", "true or false"},
		{"toscalar(T|summarize count())", "toscalar(T | summarize count())"},
		{"iff(a,b,c)", "iff(a, b, c)"},
	}
	for _, tt := range tests {
		x, err := parser.ParseExpr(tt.in)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.in, err)
			continue
		}
		if got := Node(x); got != tt.want {
			t.Errorf("Node(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// queryTests are input queries and their canonical text (without the
// final newline).
var queryTests = []struct{ in, want string }{
	// Statements.
	{"T|where x>1", "T | where x > 1"},
	{"T | filter x", "T | filter x"},
	{"let x=1;T|where a==x", "let x = 1;\nT | where a == x"},
	{"let f=(a:string, b:long=1){T|where c==a};f('x', 2)",
		"let f = (a:string, b:long = 1) { T | where c == a };\nf('x', 2)"},
	{"let f=(T:(*)){T|count};f(S)", "let f = (T:(*)) { T | count };\nf(S)"},
	{"let v=view(){S};v", "let v = view () { S };\nv"},
	{"set query_now=datetime(2024-01-01);T", "set query_now = datetime(2024-01-01);\nT"},
	{"set notruncation;T", "set notruncation;\nT"},
	{"declare query_parameters(a:string='x');T|where b==a",
		"declare query_parameters(a:string = 'x');\nT | where b == a"},
	{"let x=T|where a|project b;x", "let x = T\n| where a\n| project b;\nx"},
	{"let x = materialize(T | where a); x", "let x = materialize(T | where a);\nx"},
	// Operators.
	{"T|where x|project a,b=c", "T\n| where x\n| project a, b = c"},
	{"T|extend x=1,y=f(z)", "T | extend x = 1, y = f(z)"},
	{"T|extend (a,b)=f(y)", "T | extend (a, b) = f(y)"},
	{"T|project-away a,b*", "T | project-away a, b*"},
	{"T|project-keep a", "T | project-keep a"},
	{"T|project-rename a=b", "T | project-rename a = b"},
	{"T|project-reorder b asc,a", "T | project-reorder b asc, a"},
	{"T|project-by-names 'a',dynamic(['b']),\"C*\"", "T | project-by-names 'a', dynamic(['b']), \"C*\""},
	{"T|reduce by s", "T | reduce by s"},
	{"T|reduce kind=source by s with threshold=0.5,characters='-'", "T | reduce kind=source by s with threshold=0.5, characters='-'"},
	{"T|summarize count() by bin(t,1h),c", "T | summarize count() by bin(t, 1h), c"},
	{"T|summarize n=dcount(a),make_set(b) by c", "T | summarize n = dcount(a), make_set(b) by c"},
	{"T|summarize by a", "T | summarize by a"},
	{"T|sort by a desc nulls last,b asc", "T | sort by a desc nulls last, b asc"},
	{"T|order by a", "T | order by a"},
	{"T|top 10 by a desc", "T | top 10 by a desc"},
	{"T|take 5", "T | take 5"},
	{"T|limit 5", "T | limit 5"},
	{"T|sample 10", "T | sample 10"},
	{"T|sample-distinct 5 of a", "T | sample-distinct 5 of a"},
	{"T|count", "T | count"},
	{"T|distinct a,b", "T | distinct a, b"},
	{"T|distinct *", "T | distinct *"},
	{"T|join kind=inner(S|where x)on a", "T | join kind=inner (S | where x) on a"},
	{"T|join kind=leftouter S on $left.a==$right.b", "T | join kind=leftouter S on $left.a == $right.b"},
	{"T|lookup kind=leftouter S on a", "T | lookup kind=leftouter S on a"},
	{"union isfuzzy=true A,B*", "union isfuzzy=true A, B*"},
	{"union withsource=Src (A|where x),B", "union withsource=Src (A | where x), B"},
	{"T|union S", "T | union S"},
	{"T|mv-expand a to typeof(string),b limit 10", "T | mv-expand a to typeof(string), b limit 10"},
	{"T|mv-expand kind=array x=y", "T | mv-expand kind=array x = y"},
	{"T|mvexpand a", "T | mvexpand a"},
	{"T|mv-apply x to typeof(long) on (summarize sum(x))", "T | mv-apply x to typeof(long) on (summarize sum(x))"},
	{"T|mv-apply x on (where x>1|take 1)", "T | mv-apply x on (where x > 1 | take 1)"},
	{"T|parse msg with * \"user=\" user:string \" \" *", "T | parse msg with * \"user=\" user:string \" \" *"},
	{"T|parse kind=regex flags=U msg with \"a\" x", "T | parse kind=regex flags=U msg with \"a\" x"},
	{"T|parse-where msg with \"a\" x:long", "T | parse-where msg with \"a\" x:long"},
	{"T|parse-kv m as (a:string,b:long) with (pair_delimiter=',',kv_delimiter='=')",
		"T | parse-kv m as (a:string, b:long) with (pair_delimiter=',', kv_delimiter='=')"},
	{"T|make-series c=count() default=0 on t from ago(1d) to now() step 1h by k",
		"T | make-series c = count() default=0 on t from ago(1d) to now() step 1h by k"},
	{"T|make-series avg(x) on t step 1h", "T | make-series avg(x) on t step 1h"},
	{"T|make-series avg(x) on t in range(ago(1d),now(),1h)", "T | make-series avg(x) on t in range(ago(1d), now(), 1h)"},
	{"T|evaluate bag_unpack(d)", "T | evaluate bag_unpack(d)"},
	{"T|evaluate bag_unpack(d, columnsConflict='keep_source')", "T | evaluate bag_unpack(d, columnsConflict='keep_source')"},
	{"T|evaluate bag_unpack(d):(a:string,*)", "T | evaluate bag_unpack(d) : (a:string, *)"},
	{"T|invoke f(1)", "T | invoke f(1)"},
	{"T|as X", "T | as X"},
	{"T|as hint.materialized=true X", "T | as hint.materialized=true X"},
	{"T|getschema", "T | getschema"},
	{"T|consume", "T | consume"},
	{"T|serialize rn=row_number()", "T | serialize rn = row_number()"},
	{"T|serialize", "T | serialize"},
	{"T|render timechart", "T | render timechart"},
	{"T|render timechart with(title='x',ytitle='y')", "T | render timechart with (title='x', ytitle='y')"},
	{"T|partition hint.strategy=native by k (top 3 by x)", "T | partition hint.strategy=native by k (top 3 by x)"},
	{"T|partition by k {U|take 1}", "T | partition by k { U | take 1 }"},
	{"T|scan declare (s:long) with (step a: x>1 => s=1; step b output=none: x<0;)",
		"T | scan declare (s:long) with (step a: x > 1 => s = 1; step b output=none: x < 0;)"},
	{"T|scan with_match_id=m with (step a: x>1;)", "T | scan with_match_id=m with (step a: x > 1;)"},
	{"T|fork (where x|take 1) (count)", "T | fork (where x | take 1) (count)"},
	{"T|fork a=(take 1) b=(count)", "T | fork a = (take 1) b = (count)"},
	{"T|facet by a,b", "T | facet by a, b"},
	{"T|facet by a with (top 3 by c)", "T | facet by a with (top 3 by c)"},
	{"T|scan order by t partition by u,v with (step a: x>1;)", "T | scan order by t partition by u, v with (step a: x > 1;)"},
	{"T|top-nested 3 of a by c=count(),top-nested of b by sum(x) desc",
		"T | top-nested 3 of a by c = count(), top-nested of b by sum(x) desc"},
	{"T|top-nested 2 of a with others='o' by count()", "T | top-nested 2 of a with others = 'o' by count()"},
	{"T|top-hitters 5 of a by b", "T | top-hitters 5 of a by b"},
	{"print x=1,y='a'", "print x = 1, y = 'a'"},
	{"print 1", "print 1"},
	{"range x from 1 to 10 step 1", "range x from 1 to 10 step 1"},
	{"datatable(a:string,b:long)['x',1,'y',2]", "datatable(a:string, b:long) ['x', 1, 'y', 2]"},
	{"externaldata(a:string)[@'https://x/y.csv'] with(format='csv')",
		"externaldata(a:string) [@'https://x/y.csv'] with (format='csv')"},
	{"find in (A,B) where x==1 project a,b", "find in (A, B) where x == 1 project a, b"},
	{"find where x==1", "find where x == 1"},
	{"search in (A) 'foo'", "search in (A) 'foo'"},
	{"search 'foo'", "search 'foo'"},
	{"search kind=case_sensitive a:'x' and 'y'", "search kind=case_sensitive a:'x' and 'y'"},
	{"T|search 'x'", "T | search 'x'"},
	{"print x=1|extend y=2", "print x = 1\n| extend y = 2"},
	// Parentheses and layout of sub-queries.
	{"(T|where a)|count", "(T | where a) | count"},
	{"T|where (a or b) and c", "T | where (a or b) and c"},
	{"T|join kind=inner (SecurityAlert|where ProviderName=~'MDATP'|extend ThreatName=tostring(parse_json(ExtendedProperties).ThreatName)|project ThreatName) on ThreatName|count",
		"T\n| join kind=inner (\n    SecurityAlert\n    | where ProviderName =~ 'MDATP'\n    | extend ThreatName = tostring(parse_json(ExtendedProperties).ThreatName)\n    | project ThreatName\n) on ThreatName\n| count"},
	{"let t=toscalar(SecurityEvent|where EventID==4624 and AccountType=='User'|summarize count() by Computer|count);t",
		"let t = toscalar(\n    SecurityEvent\n    | where EventID == 4624 and AccountType == 'User'\n    | summarize count() by Computer\n    | count\n);\nt"},
	{"let f=(a:string){let b=strcat(a,'-suffix-that-is-long-enough');SecurityEvent|where Account==b|project TimeGenerated,Account};f('x')",
		"let f = (a:string) {\n    let b = strcat(a, '-suffix-that-is-long-enough');\n    SecurityEvent\n    | where Account == b\n    | project TimeGenerated, Account\n};\nf('x')"},
	// Comments.
	{"// title\nT", "// title\nT"},
	{"T // trailing", "T\n// trailing"},
	{"let x = 1; // one\n// before T\nT\n| where a // a\n| count\n// end",
		"let x = 1;\n// one\n// before T\nT\n| where a\n// a\n| count\n// end"},
	{"T\n// why\n| where a", "T\n// why\n| where a"},
	{"T\n| join (S\n// inner\n| where b) on a",
		"T | join (\n    S\n    // inner\n    | where b\n) on a"},
	{"T | where a in ('x', // first\n'y')",
		"T | where a in (\n    'x', // first\n    'y'\n)"},
	{"T | where a in (\n// lead\n'x',\n'y' // last\n)",
		"T | where a in (\n    // lead\n    'x',\n    'y' // last\n)"},
	{"let ids = dynamic(['a', // one\n// 'b',\n'c']);\nT",
		"let ids = dynamic([\n    'a', // one\n    // 'b',\n    'c'\n]);\nT"},
	{"T | where a // c\n and b\n| count", "T\n| where a and b\n// c\n| count"},
	{"T | where a // c\n and b", "T | where a and b\n// c"},
	{"T | fork (take 1 // c\n) (count)", "T | fork (\n    take 1\n    // c\n) (count)"},
	{"let f = (x:long) {\n  x + 1\n  // end\n};\nprint f(1)", "let f = (x:long) {\n    x + 1\n    // end\n};\nprint f(1)"},
}

func TestQuery(t *testing.T) {
	for _, tt := range queryTests {
		q, err := parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		got := strings.TrimSuffix(Query(q), "\n")
		if got != tt.want {
			t.Errorf("Query(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

// TestIdempotent checks print(parse(print(parse(q)))) == print(parse(q))
// and that re-parsing the output gives the same tree.
func TestIdempotent(t *testing.T) {
	for _, tt := range queryTests {
		if problem, ok := checkRoundTrip(tt.in); !ok {
			t.Errorf("Parse(%q) failed", tt.in)
		} else if problem != "" {
			t.Errorf("%q: %s", tt.in, problem)
		}
	}
}

func TestNode(t *testing.T) {
	q, err := parse("let x = 1;\nT // c\n| where a\n| join (S | count) on b")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Node(q), "let x = 1; T | where a | join (S | count) on b"; got != want {
		t.Errorf("Node(query) = %q, want %q", got, want)
	}
	pipe := q.Stmts[1]
	if got, want := Node(pipe), "T | where a | join (S | count) on b"; got != want {
		t.Errorf("Node(stmt) = %q, want %q", got, want)
	}
}

// TestNodeHelpers prints every node of a query full of helper nodes
// (sort keys, parse parts, scan steps, …) on its own.
func TestNodeHelpers(t *testing.T) {
	q, err := parse(`T | sort by a desc | parse m with * "x" c:long | mv-expand v to typeof(long)
| make-series n = count() default=0 on t step 1h | scan with (step s: x;) | fork f = (count)
| top-nested 2 of a by count() | extend d = dynamic({"k": [1]}) | project-reorder a asc`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`a desc`: false, `"x"`: false, `c:long`: false, `v to typeof(long)`: false,
		`n = count() default=0`: false, `step s: x;`: false, `f = (count)`: false,
		`2 of a by count()`: false, `"k": [1]`: false, `a asc`: false}
	ast.Inspect(q, func(n ast.Node) bool {
		s := Node(n)
		if s == "" || strings.Contains(s, "<") {
			t.Errorf("Node(%T) = %q", n, s)
		}
		if _, ok := want[s]; ok {
			want[s] = true
		}
		return true
	})
	for s, seen := range want {
		if !seen {
			t.Errorf("no node printed as %q", s)
		}
	}
}

func TestEmpty(t *testing.T) {
	q, err := parse("")
	if err != nil {
		t.Skipf("empty query does not parse: %v", err)
	}
	if got := Query(q); got != "" {
		t.Errorf("Query(empty) = %q, want empty", got)
	}
}
