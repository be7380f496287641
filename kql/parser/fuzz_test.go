package parser

import (
	"strings"
	"testing"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

var fuzzSeeds = []string{
	"T | where x > 1 and y has 'a' | project a, b = c * 2 | summarize count() by bin(t, 1h)",
	"let f = (T:(*), n:long = 3) { T | take n }; f(U, 2)",
	"union isfuzzy=true Dev*, (U | where x in~ ('a', 'b')) | join kind=inner (V) on $left.a == $right.b",
	"datatable(a:string)['x', @'y''z', h\"w\", ```m\nl```] | extend d = dynamic({'k': [1, -2, null]})",
	"T | mv-apply e = arr to typeof(long) on (where e > 1 | top 3 by e) | parse s with * 'a' x:long",
	"T | scan with (step a: x > 1 => y = 2;) | make-series count() on t from ago(1d) to now() step 1h",
	"print x = datetime(2020-01-01), y = time(1.02:03), z = 1.5d // comment",
	"T | reduce kind=source by s with threshold=0.1, characters='-' | project-by-names 'a', dynamic(['b']), column_names_of(U)",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	if recs, ok := readRecords(f, corpusPath); ok {
		for _, r := range recs {
			f.Add(r.Query)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(token.NewFile("fuzz", src))
		if q == nil {
			t.Fatal("nil query")
		}
		if hasInternalError(err) {
			t.Fatal(err)
		}
		if err == nil {
			if bad := checkPositions(q, src); len(bad) > 0 {
				t.Fatalf("bad positions: %v", bad)
			}
		}
		ast.Inspect(q, func(n ast.Node) bool { return true })
		if _, err := ParseExpr(src); hasInternalError(err) {
			t.Fatal(err)
		}
	})
}

// hasInternalError reports whether err lists a parser bug.
func hasInternalError(err error) bool {
	list, _ := err.(ErrorList)
	for _, e := range list {
		if strings.HasPrefix(e.Msg, internalError) {
			return true
		}
	}
	return false
}
