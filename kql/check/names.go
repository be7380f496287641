package check

// This file implements the names Kusto gives to unnamed output columns
// (extend strlen(x) → Column1, summarize count() → count_, by
// bin(Timestamp, 1h) → Timestamp, x.y → x_y), following the rules of the
// reference implementation (Kusto.Language's GetExpressionResultName).

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/builtin"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// nameKind is how a function's result column is named.
type nameKind uint8

const (
	nameNone        nameKind = iota // ColumnN
	namePrefixFirst                 // prefix_ + name of the first argument (sum_X, count_)
	nameFirst                       // the name of the first argument (bin(X, 1h) → X)
	nameOnly                        // the name of the only argument
)

// funcNaming lists the functions whose results are named after their
// arguments. Aggregates use their own name as prefix unless listed with
// another one (make_set → set_X).
var funcNaming = map[string]struct {
	kind   nameKind
	prefix string
}{
	"count": {namePrefixFirst, "count"}, "countif": {namePrefixFirst, "countif"},
	"dcount": {namePrefixFirst, "dcount"}, "dcountif": {namePrefixFirst, "dcountif"},
	"sum": {namePrefixFirst, "sum"}, "sumif": {namePrefixFirst, "sumif"},
	"min": {namePrefixFirst, "min"}, "minif": {namePrefixFirst, "minif"},
	"max": {namePrefixFirst, "max"}, "maxif": {namePrefixFirst, "maxif"},
	"avg": {namePrefixFirst, "avg"}, "avgif": {namePrefixFirst, "avgif"},
	"stdev": {namePrefixFirst, "stdev"}, "stdevif": {namePrefixFirst, "stdevif"}, "stdevp": {namePrefixFirst, "stdevp"},
	"variance": {namePrefixFirst, "variance"}, "varianceif": {namePrefixFirst, "varianceif"}, "variancep": {namePrefixFirst, "variancep"},
	"make_list": {namePrefixFirst, "list"}, "make_list_if": {namePrefixFirst, "list"}, "makelist": {namePrefixFirst, "list"},
	"make_list_with_nulls": {namePrefixFirst, "list"},
	"make_set":             {namePrefixFirst, "set"}, "make_set_if": {namePrefixFirst, "set"}, "makeset": {namePrefixFirst, "set"},
	"make_bag": {namePrefixFirst, "bag"}, "make_bag_if": {namePrefixFirst, "bag"},
	"make_dictionary": {namePrefixFirst, "dictionary"}, "buildschema": {namePrefixFirst, "schema"},
	"tdigest": {namePrefixFirst, "tdigest"}, "tdigest_merge": {namePrefixFirst, "merge_tdigests"},
	"merge_tdigest": {namePrefixFirst, "merge_tdigests"}, "hll": {namePrefixFirst, "hll"}, "hll_merge": {namePrefixFirst, "hll_merge"},
	"any": {namePrefixFirst, "any"}, "anyif": {namePrefixFirst, "anyif"}, "take_anyif": {nameFirst, ""},
	"count_distinct": {namePrefixFirst, "count_distinct"}, "count_distinctif": {namePrefixFirst, "count_distinctif"},
	"cnt":           {namePrefixFirst, "cnt"},
	"binary_all_or": {nameFirst, ""}, "binary_all_and": {nameFirst, ""}, "binary_all_xor": {nameFirst, ""},
	"bin": {nameFirst, ""}, "floor": {nameFirst, ""}, "bin_at": {nameFirst, ""}, "bin_auto": {nameFirst, ""},
	"split": {nameFirst, ""}, "gettype": {namePrefixFirst, "type"},
	"format_datetime": {nameFirst, ""}, "format_timespan": {nameFirst, ""}, "round": {nameFirst, ""},
	"startofday": {nameFirst, ""}, "make_timespan": {nameOnly, ""},
	"strlen": {namePrefixFirst, "strlen"}, "string_size": {namePrefixFirst, "string_size"},
	"tostring": {nameFirst, ""}, "tohex": {nameFirst, ""}, "todynamic": {nameFirst, ""}, "toobject": {nameFirst, ""},
	"tolong": {nameFirst, ""}, "toint": {nameFirst, ""}, "toreal": {nameFirst, ""}, "todouble": {nameFirst, ""},
	"todatetime": {nameFirst, ""}, "totimespan": {nameFirst, ""}, "totime": {nameFirst, ""}, "tobool": {nameFirst, ""},
	"toboolean": {nameFirst, ""}, "todecimal": {nameFirst, ""}, "toguid": {nameFirst, ""},
	"parse_csv": {nameFirst, ""}, "parsejson": {nameFirst, ""}, "parse_json": {nameFirst, ""}, "parse_xml": {nameFirst, ""}, "make_datetime": {nameOnly, ""},
	"binary_and": {nameFirst, ""}, "binary_or": {nameFirst, ""}, "binary_xor": {nameFirst, ""},
	"binary_not": {nameFirst, ""}, "binary_shift_left": {nameFirst, ""}, "binary_shift_right": {nameFirst, ""},
	"bitset_count_ones": {nameFirst, ""}, "dcount_hll": {namePrefixFirst, "dcount_hll"},
	"percentile_tdigest": {namePrefixFirst, "percentile_tdigest"}, "percentiles_array_tdigest": {namePrefixFirst, "percentile_tdigest"},
	"series_fir": {nameFirst, ""}, "series_iir": {nameFirst, ""}, "series_outliers": {nameFirst, ""},
	"series_fill_backward": {nameFirst, ""}, "series_fill_forward": {nameFirst, ""},
	"series_fill_const": {nameFirst, ""}, "series_fill_linear": {nameFirst, ""}, "treepath": {namePrefixFirst, "tree"}, "repeat": {namePrefixFirst, "repeat"},
}

// ResultName is the column name Kusto derives for an unnamed output
// expression x (extend strlen(x) → "", summarize count() → count_, x.y →
// x_y), or "" when it derives none and the caller numbers the column
// (Column1, print_0). typeOf gives the type of a sub-expression, on which
// the naming of property paths depends. The engine names its columns with
// this function too, so checked and executed schemas agree.
func ResultName(x ast.Expr, typeOf func(ast.Expr) types.Type) string {
	return pathNamer{typeOf}.resultName(x)
}

// resultName names x with the types the checker inferred.
func (c *checker) resultName(x ast.Expr) string {
	return ResultName(x, func(e ast.Expr) types.Type { return c.info.Types[e] })
}

// pathNamer applies the naming rules with a source of sub-expression
// types.
type pathNamer struct{ typeOf func(ast.Expr) types.Type }

func (c pathNamer) resultName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return c.resultName(x.X)
	case *ast.Ident:
		return x.Name
	case *ast.NamedArg:
		return x.Name.Name
	case *ast.SelectorExpr:
		if t := c.typeOf(x.X); t == types.Dynamic || t == types.Unknown {
			left, right := c.resultName(x.X), x.Sel.Name
			if left != "" {
				return left + "_" + right
			}
			return right
		}
		return x.Sel.Name
	case *ast.IndexExpr:
		right := ""
		if lit, ok := x.Index.(*ast.BasicLit); ok && (lit.Kind == token.STRING || lit.Kind == token.INT) {
			right = litText(lit)
		}
		if t := c.typeOf(x.X); t == types.Dynamic || t == types.Unknown {
			left := c.resultName(x.X)
			if left != "" {
				return left + "_" + right
			}
		}
		return right
	case *ast.CallExpr:
		return c.callResultName(x)
	}
	return ""
}

// callResultName names a call's result after its function's rule.
func (c pathNamer) callResultName(x *ast.CallExpr) string {
	if x.Fun.Name == "column_ifexists" || x.Fun.Name == "columnifexists" {
		return "" // named after the column only when it exists; ColumnN otherwise
	}
	rule, ok := funcNaming[x.Fun.Name]
	switch {
	case strings.HasPrefix(x.Fun.Name, "covariance") && len(x.Args) >= 2:
		// covariance(x, y) → covariance_x_y
		a, b := c.resultName(x.Args[0]), c.resultName(x.Args[1])
		if a == "" || b == "" {
			return ""
		}
		return x.Fun.Name + "_" + a + "_" + b
	case !ok && builtin.IsAggregate(x.Fun.Name):
		// aggregates are named after themselves and their first argument
		rule.kind, rule.prefix = namePrefixFirst, x.Fun.Name
	case !ok:
		return ""
	}
	switch rule.kind {
	case namePrefixFirst:
		if len(x.Args) == 0 {
			return rule.prefix + "_"
		}
		if arg := c.resultName(x.Args[0]); arg != "" {
			return rule.prefix + "_" + arg
		}
		if builtin.IsAggregate(x.Fun.Name) {
			return rule.prefix + "_" // countif(x > 1) → countif_
		}
		return "" // print strlen("a") → print_0
	case nameFirst:
		if len(x.Args) > 0 {
			return c.resultName(x.Args[0])
		}
	case nameOnly:
		if len(x.Args) == 1 {
			return c.resultName(x.Args[0])
		}
	}
	return ""
}

// litText is a literal's value as a name fragment: a string's contents
// or an integer's digits.
func litText(l *ast.BasicLit) string {
	if l.Kind == token.STRING {
		if s, err := token.Unquote(l.Value); err == nil {
			return s
		}
	}
	return l.Value
}

// namer hands out ColumnN names that do not collide with taken ones.
type namer struct {
	taken func(string) bool
	next  int
}

// fresh returns the next free ColumnN.
func (n *namer) fresh() string {
	for {
		n.next++
		name := "Column" + strconv.Itoa(n.next)
		if n.taken == nil || !n.taken(name) {
			return name
		}
	}
}
