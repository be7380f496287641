package printer

import "testing"

// TestRoundTripTricky checks round trip and idempotence on inputs chosen
// for escapes, signs, multi-line strings and comments in awkward places.
func TestRoundTripTricky(t *testing.T) {
	for _, src := range []string{
		`print ['a\'b'], ["a\"b"], ['x\\y'], ['tab\there']`,
		"print s = ```multi\nline``` | extend t = 'a' \"b\" @'c'",
		`print - -1, -(-1), +1, 1 - -1, -x.y`,
		`T | where * has "x" | where x !between (1 .. 2)`,
		`T | count; S | count`,
		"let x = 1 // c\n;\nT",
		"let f = (x:long) {\n  x + 1\n  // end of body\n};\nprint f(1)",
		"let x = // here\n  T | where a;\nx",
		"T | join (\n // first\n S | where b) on a",
		"T | join ( S | where b\n// last\n) on a",
		"T | project ['a b'] = 1, c = d.['e f']",
		"T | where x in (dynamic([1,2]), 3) and y in~ (S | project y)",
		"T | extend a = case(x, // one\n 1, // two\n 2)",
		"datatable(a:long)[1, // x\n2]",
		"T | summarize arg_max(t, *) by k | where k !in ((S | project k))",
		"union (A | where x // c\n| project y), (B)",
		"let T = view () { S | where a }; T",
		"let f = () { let y = 1; // c\n S | where a == y }; f()",
		"T | mv-apply x on (\n  // c\n  where x > 1)",
		"T | partition by k { U // c\n | take 1 }",
		"T | scan with (step a: x // c\n > 1; step b: x < 0;)",
		"T | fork (take 1 // c\n) (count)",
		"T | where a // c1\n// c2\n| where b // c3",
		"// only\n",
		"T\n// c1\n| where a\n// c2\n",
		"set x; set y = 1; declare query_parameters(a:long = 1, b:string); T",
		"T | evaluate hint.distribution=per_node pivot(k)",
		"T | where a == 1 or b == 2 and not(c)",
		"T | top-hitters 5 of a",
		"T | make-series c = count() default = 0 on t step 1h",
	} {
		problem, ok := checkRoundTrip(src)
		switch {
		case !ok:
			t.Errorf("Parse(%q) failed", src)
		case problem != "":
			t.Errorf("%q: %s", src, problem)
		}
	}
}
