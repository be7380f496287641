package check

// This file implements summarize: group keys, aggregate calls and the
// names Kusto gives their columns (count_, dcount_X, set_X, arg_max's
// column list, percentile_X_95), and top-nested and top-hitters.

import (
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
)

// columnList accumulates output columns, renaming derived names that
// collide (X, X1, X2, …) and reporting explicit duplicates.
type columnList struct {
	c      *checker
	schema *types.Schema
	word   string
}

// add appends col; explicit names that collide are errors, derived ones
// get a numeric suffix.
func (l *columnList) add(col types.Column, explicit bool, n ast.Node) {
	if l.schema.Index(col.Name) >= 0 {
		if explicit {
			l.c.errorf(n, DuplicateColumn, "duplicate column %q in %s", col.Name, l.word)
			return
		}
		col.Name = uniqueName(col.Name, l.schema)
	}
	l.schema.Columns = append(l.schema.Columns, col)
}

// uniqueName returns name, or name with the smallest numeric suffix
// (from 1) that s does not have.
func uniqueName(name string, s *types.Schema) string {
	if s.Index(name) < 0 {
		return name
	}
	for i := 1; ; i++ {
		n := name + strconv.Itoa(i)
		if s.Index(n) < 0 {
			return n
		}
	}
}

// summarize groups by Keys and aggregates; the keys come first.
func (c *checker) summarize(in *rel, o *ast.SummarizeOp) *rel {
	out := &types.Schema{}
	l := &columnList{c: c, schema: out, word: "summarize"}
	keyCols := c.groupKeys(in, o.Keys, l)
	nm := &namer{taken: func(s string) bool { return out.Index(s) >= 0 || in.schema.Index(s) >= 0 }}
	for _, a := range o.Aggs {
		c.aggregate(in, a, keyCols, l, nm)
	}
	return c.breakRel(in, out)
}

// groupKeys adds the by keys to l and returns the input columns used
// as bare keys (arg_max(…, *) leaves them out).
func (c *checker) groupKeys(in *rel, keys []*ast.ColumnDef, l *columnList) map[string]bool {
	keyCols := make(map[string]bool)
	nm := &namer{taken: func(s string) bool { return l.schema.Index(s) >= 0 || in.schema.Index(s) >= 0 }}
	for _, k := range keys {
		for _, oc := range c.columnDef(k, rowEnv(in), nm) {
			if oc.from != "" {
				keyCols[oc.from] = true
			}
			l.add(oc.col, len(k.Names) > 0, oc.node)
		}
	}
	return keyCols
}

// aggregate checks one aggregate entry and adds its columns.
func (c *checker) aggregate(in *rel, d *ast.ColumnDef, keyCols map[string]bool, l *columnList, nm *namer) {
	e := &env{rel: in, agg: true}
	var cols []types.Column
	if call, ok := unparen(d.X).(*ast.CallExpr); ok && c.scope.lookup(call.Fun.Name) == nil {
		cols = c.multiAggregate(in, call, keyCols, e)
		if cols != nil {
			c.info.Types[d.X] = cols[0].Type
		}
	}
	if cols == nil {
		t := c.expr(d.X, e)
		name := c.resultName(d.X)
		if len(d.Names) == 0 && name == "" {
			name = nm.fresh()
		}
		cols = []types.Column{{Name: name, Type: t}}
	}
	// names given replace the first columns' names; the rest keep theirs
	for i, n := range d.Names {
		col := types.Column{Name: n.Name, Type: types.Unknown}
		if i < len(cols) {
			col.Type = cols[i].Type
		}
		l.add(col, true, n)
	}
	for i := len(d.Names); i < len(cols); i++ {
		l.add(cols[i], false, d)
	}
}

// multiAggregate handles the aggregates that yield several columns or
// name them specially: arg_max, arg_min, take_any, percentile(s). It
// returns nil for the others.
func (c *checker) multiAggregate(in *rel, x *ast.CallExpr, keyCols map[string]bool, e *env) []types.Column {
	switch x.Fun.Name {
	case "arg_max", "arg_min":
		return c.argMinMax(in, x, keyCols, e, strings.TrimPrefix(x.Fun.Name, "arg_"))
	case "take_any":
		return c.takeAny(in, x, keyCols, e)
	case "percentile", "percentiles", "percentilew", "percentilesw":
		return c.percentiles(x, e)
	case "percentiles_array", "percentilesw_array":
		t := c.expr(x, e)
		if len(x.Args) == 0 {
			return nil
		}
		return []types.Column{{Name: "percentile_" + c.resultName(x.Args[0]), Type: t}}
	}
	return nil
}

// argMinMax names arg_max(T, cols…): T first, then each column; * adds
// every input column not already there and not a by key.
func (c *checker) argMinMax(in *rel, x *ast.CallExpr, keyCols map[string]bool, e *env, prefix string) []types.Column {
	if !c.arity(x, x.Fun.Name, len(x.Args), 1, -1) {
		return []types.Column{{Name: prefix + "_", Type: types.Invalid}}
	}
	c.call(x, e) // arity, aggregate context, argument types
	var cols []types.Column
	added := make(map[string]bool)
	anyStar := false
	for _, a := range x.Args {
		if _, ok := a.(*ast.StarExpr); ok {
			anyStar = true
		}
	}
	primary := c.resultName(x.Args[0])
	for i, a := range x.Args {
		if _, ok := a.(*ast.StarExpr); ok {
			for _, col := range in.schema.Columns {
				if !added[col.Name] && !keyCols[col.Name] {
					added[col.Name] = true
					cols = append(cols, col)
				}
			}
			continue
		}
		t := c.info.Types[a]
		if id, ok := unparen(a).(*ast.Ident); ok && in.schema.Index(id.Name) >= 0 {
			if i > 0 && anyStar && (added[id.Name] || keyCols[id.Name]) {
				continue
			}
			added[id.Name] = true
			cols = append(cols, types.Column{Name: id.Name, Type: t})
			continue
		}
		name := c.resultName(a)
		if na, ok := a.(*ast.NamedArg); ok {
			name = na.Name.Name
		}
		if name == "" {
			if i == 0 {
				name = prefix + "_"
			} else {
				name = prefix + "_" + primary + "_arg" + strconv.Itoa(i)
			}
		}
		cols = append(cols, types.Column{Name: name, Type: t})
	}
	return cols
}

// takeAny names take_any(a, b, *): the columns as referenced, or
// any_argN for expressions.
func (c *checker) takeAny(in *rel, x *ast.CallExpr, keyCols map[string]bool, e *env) []types.Column {
	c.call(x, e)
	var cols []types.Column
	added := make(map[string]bool)
	for k := range keyCols {
		added[k] = true
	}
	for i, a := range x.Args {
		if _, ok := a.(*ast.StarExpr); ok {
			for _, col := range in.schema.Columns {
				if !added[col.Name] {
					added[col.Name] = true
					cols = append(cols, col)
				}
			}
			continue
		}
		t := c.info.Types[a]
		name := c.resultName(a)
		if na, ok := a.(*ast.NamedArg); ok {
			name = na.Name.Name
		}
		if name == "" {
			name = "any_arg" + strconv.Itoa(i)
		}
		added[name] = true
		cols = append(cols, types.Column{Name: name, Type: t})
	}
	return cols
}

// percentiles names percentile(X, 95) percentile_X_95, one column per
// percentile.
func (c *checker) percentiles(x *ast.CallExpr, e *env) []types.Column {
	t := c.call(x, e)
	if len(x.Args) < 2 {
		return nil
	}
	if t == types.Int {
		t = types.Long
	} else if t == types.Decimal {
		t = types.Real
	}
	valueName := c.resultName(x.Args[0])
	first := 1
	if strings.HasSuffix(x.Fun.Name, "w") {
		first = 2
	}
	var cols []types.Column
	for _, p := range x.Args[min(first, len(x.Args)):] {
		cols = append(cols, types.Column{Name: "percentile_" + valueName + "_" + numberFragment(p), Type: t})
	}
	return cols
}

// numberFragment is a numeric literal as a name fragment (99.5 → 99_5).
func numberFragment(x ast.Expr) string {
	if lit, ok := unparen(x).(*ast.BasicLit); ok && (lit.Kind == token.INT || lit.Kind == token.REAL) {
		return strings.NewReplacer(".", "_", "-", "_", "+", "_").Replace(lit.Value)
	}
	return ""
}

// topNested is top-nested N of Col by Agg, …: per level the column and
// its aggregate (aggregated_Col unless named).
func (c *checker) topNested(in *rel, o *ast.TopNestedOp) *rel {
	out := &types.Schema{}
	l := &columnList{c: c, schema: out, word: "top-nested"}
	nm := &namer{taken: func(s string) bool { return out.Index(s) >= 0 }}
	for _, lv := range o.Levels {
		if lv.N != nil {
			c.expr(lv.N, &env{})
		}
		var colName string
		if lv.Col != nil {
			for _, oc := range c.columnDef(lv.Col, rowEnv(in), nm) {
				colName = oc.col.Name
				l.add(oc.col, len(lv.Col.Names) > 0, oc.node)
			}
		}
		if lv.Others != nil {
			c.expr(lv.Others, &env{})
		}
		if lv.Agg != nil {
			t := c.expr(lv.Agg.X, &env{rel: in, agg: true})
			name := "aggregated_" + colName
			if len(lv.Agg.Names) == 1 {
				name = lv.Agg.Names[0].Name
			}
			l.add(types.Column{Name: name, Type: t}, len(lv.Agg.Names) == 1, lv.Agg)
		}
	}
	return c.breakRel(in, out)
}

// topHitters is top-hitters N of Col [by Weight].
func (c *checker) topHitters(in *rel, o *ast.TopHittersOp) *rel {
	c.expr(o.N, &env{})
	t := c.expr(o.Col, rowEnv(in))
	name := c.resultName(o.Col)
	if name == "" {
		name = "Column1"
	}
	out := &types.Schema{Columns: []types.Column{{Name: name, Type: t}}}
	if o.Weight != nil {
		wt := c.expr(o.Weight, rowEnv(in))
		out.Columns = append(out.Columns, types.Column{Name: "approximate_sum_" + c.resultName(o.Weight), Type: wt})
	} else {
		out.Columns = append(out.Columns, types.Column{Name: "approximate_count_" + name, Type: types.Long})
	}
	return c.breakRel(in, out)
}
