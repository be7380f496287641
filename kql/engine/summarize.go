package engine

// This file implements summarize: hash aggregation of the input by its
// group keys, and the compilation of aggregate entries it shares with
// make-series and top-nested (aggregate calls, expressions over their
// results such as count() * 2, and the names Kusto gives their columns).

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/token"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileSummarize) }

func compileSummarize(c *compiler, op *ast.SummarizeOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	names := newColNames(op.Word, inSchema)
	keys, err := c.groupKeys(op.Keys, inSchema, names, sc)
	if err != nil {
		return nil, err
	}
	aggs, err := c.aggregation(op.Word, op.Aggs, inSchema, keys, names, sc)
	if err != nil {
		return nil, err
	}
	return &summarizePlan{in: in, keys: keys, aggs: aggs, s: names.s}, nil
}

// groupKey is a compiled by-key.
type groupKey struct {
	name string
	e    expr
	typ  types.Type
	from string // the input column it copies, if any
}

// groupKeys compiles by-keys, naming them as Kusto does: bin(X, 1h) → X,
// other expressions Column1, Column2, ….
func (c *compiler) groupKeys(defs []*ast.ColumnDef, in *types.Schema, names *colNames, sc *scope) ([]groupKey, error) {
	var keys []groupKey
	for _, d := range defs {
		e, err := c.keyExpr(d.X, in, sc)
		if err != nil {
			return nil, err
		}
		if len(d.Names) > 1 {
			return nil, errorf(d.Pos(), names.what, "a group key has one name")
		}
		name, explicit := derivedName(d.X), len(d.Names) == 1
		if explicit {
			name = d.Names[0].Name
		}
		name, err = names.add(name, runtimeType(e.Type()), explicit, d.Pos())
		if err != nil {
			return nil, err
		}
		k := groupKey{name: name, e: e, typ: runtimeType(e.Type())}
		if id, ok := stripParens(d.X).(*ast.Ident); ok && in.Index(id.Name) >= 0 {
			k.from = id.Name
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// keyExpr compiles a group key. bin(T, span) and floor(T, span) of a
// datetime T by a constant span that divides a day get a vectorized
// evaluator that reuses its buffer (any epoch gives the same bins for
// such spans); everything else compiles as usual.
func (c *compiler) keyExpr(x ast.Expr, in *types.Schema, sc *scope) (expr, error) {
	call, ok := stripParens(x).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || (call.Fun.Name != "bin" && call.Fun.Name != "floor") {
		return c.expr(x, in, sc)
	}
	if b := sc.lookup(call.Fun.Name); b != nil {
		return c.expr(x, in, sc)
	}
	src, err := c.expr(call.Args[0], in, sc)
	if err != nil || src.Type() != types.Datetime {
		return c.expr(x, in, sc)
	}
	span, err := c.expr(call.Args[1], in, sc)
	if err != nil {
		return c.expr(x, in, sc)
	}
	v, ok := isConst(span)
	day := int64(value.Day)
	if !ok || v.Type != types.Timespan || v.IsNull() || v.I <= 0 || day%v.I != 0 {
		return c.expr(x, in, sc)
	}
	return &binDatetime{src: src, span: v.I}, nil
}

// binDatetime rounds datetimes down to a multiple of span. Its result is
// valid until the next eval: only group keys, which are copied, use it.
type binDatetime struct {
	src  expr
	span int64
	out  value.Column
}

func (e *binDatetime) Type() types.Type { return types.Datetime }

func (e *binDatetime) eval(rt *runtime, b *Batch) (*value.Column, error) {
	in, err := e.src.eval(rt, b)
	if err != nil {
		return nil, err
	}
	n := in.Len()
	out := &e.out
	out.Type = types.Datetime
	out.Ints = reuseSlice(out.Ints, n)
	out.Nulls = nil
	if in.Nulls != nil {
		out.Nulls = append(out.Nulls[:0], in.Nulls[:n]...)
	}
	span := e.span
	for i, t := range in.Ints[:n] {
		q := t / span
		if t%span < 0 {
			q--
		}
		out.Ints[i] = q * span
	}
	return out, nil
}

// reuseSlice returns s with length n, reusing its storage when it can.
func reuseSlice[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// runtimeType maps a type known only at run time to dynamic, the storage
// such values use.
func runtimeType(t types.Type) types.Type {
	if !t.IsKnown() {
		return types.Dynamic
	}
	return t
}

func stripParens(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// colNames accumulates the output columns of an operator: derived names
// that collide get a numeric suffix (count_, count_1), explicit ones are
// an error; fresh ColumnN names avoid the input's columns too.
type colNames struct {
	what  string
	s     *types.Schema
	avoid *types.Schema
	next  int
}

func newColNames(what string, avoid *types.Schema) *colNames {
	return &colNames{what: what, s: &types.Schema{}, avoid: avoid}
}

func (l *colNames) add(name string, t types.Type, explicit bool, pos token.Pos) (string, error) {
	switch {
	case name == "":
		name = l.fresh()
	case l.s.Index(name) >= 0 && explicit:
		return "", errorf(pos, l.what, "column %s is produced twice", name)
	case l.s.Index(name) >= 0:
		base := name
		for i := 1; l.s.Index(name) >= 0; i++ {
			name = base + strconv.Itoa(i)
		}
	}
	l.s.Columns = append(l.s.Columns, types.Column{Name: name, Type: t})
	return name, nil
}

func (l *colNames) fresh() string {
	for {
		l.next++
		name := "Column" + strconv.Itoa(l.next)
		if l.s.Index(name) < 0 && l.avoid.Index(name) < 0 {
			return name
		}
	}
}

// aggCall is one compiled aggregate call.
type aggCall struct {
	name     string
	fn       aggregate.Func // bound once at compile time for its output types; runs use fresh()
	args     []expr         // nil for constants, which the Func holds
	bindArgs []aggregate.Arg
}

// fresh returns a new, empty Func of the call (its bind cannot fail
// twice).
func (ac *aggCall) fresh() aggregate.Func {
	fn, _ := aggregate.Bind(ac.name, ac.bindArgs)
	return fn
}

// aggregation is the compiled aggregate part of summarize-like operators:
// the calls, and the output columns computed from their results and the
// group keys.
type aggregation struct {
	calls []*aggCall
	mid   *types.Schema // the keys, then every call's outputs
	outs  []expr        // over mid rows, one per output column
}

// aggregation compiles the aggregate entries of an operator whose group
// keys are keys, adding their columns to names.
func (c *compiler) aggregation(what string, defs []*ast.ColumnDef, in *types.Schema, keys []groupKey, names *colNames, sc *scope) (*aggregation, error) {
	a := &aggregation{mid: &types.Schema{}}
	keyCols := map[string]bool{}
	for _, k := range keys {
		a.mid.Columns = append(a.mid.Columns, types.Column{Name: k.name, Type: k.typ})
		if k.from != "" {
			keyCols[k.from] = true
		}
	}
	for _, d := range defs {
		if err := c.aggEntry(what, d, in, keyCols, a, names, sc); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// hiddenName names output col of call i in the mid schema; no query can
// spell it.
func hiddenName(i, col int) string { return "\x00agg" + strconv.Itoa(i) + "_" + strconv.Itoa(col) }

// aggEntry compiles one entry: a bare aggregate call (possibly with
// several columns) or an expression over aggregates.
func (c *compiler) aggEntry(what string, d *ast.ColumnDef, in *types.Schema, keyCols map[string]bool, a *aggregation, names *colNames, sc *scope) error {
	if call, ok := stripParens(d.X).(*ast.CallExpr); ok && c.isAggCall(call, sc) {
		ac, colNamesOf, err := c.aggCall(call, in, keyCols, sc)
		if err != nil {
			return err
		}
		i := a.add(ac)
		outTypes := ac.fn.Types()
		if len(d.Names) > 1 && len(d.Names) != len(outTypes) {
			return errorf(d.Pos(), what, "%d names for the %d columns of %s()", len(d.Names), len(outTypes), call.Fun.Name)
		}
		for k, t := range outTypes {
			name, explicit := colNamesOf[k], false
			if k < len(d.Names) {
				name, explicit = d.Names[k].Name, true
			}
			if _, err := names.add(name, t, explicit, d.Pos()); err != nil {
				return err
			}
			a.outs = append(a.outs, &colExpr{idx: a.mid.Index(hiddenName(i, k)), typ: t})
		}
		return nil
	}
	x, err := c.rewriteAggs(d.X, in, keyCols, a, sc)
	if err != nil {
		return err
	}
	e, err := c.expr(x, a.mid, sc)
	if err != nil {
		return err
	}
	if len(d.Names) > 1 {
		return errorf(d.Pos(), what, "an expression yields one column")
	}
	name, explicit := derivedName(d.X), len(d.Names) == 1
	if explicit {
		name = d.Names[0].Name
	}
	if _, err := names.add(name, runtimeType(e.Type()), explicit, d.Pos()); err != nil {
		return err
	}
	a.outs = append(a.outs, e)
	return nil
}

// add appends a call and its columns to the mid schema.
func (a *aggregation) add(ac *aggCall) int {
	i := len(a.calls)
	a.calls = append(a.calls, ac)
	for k, t := range ac.fn.Types() {
		a.mid.Columns = append(a.mid.Columns, types.Column{Name: hiddenName(i, k), Type: t})
	}
	return i
}

// isAggCall reports whether call is an aggregate (not a user function of
// the same name).
func (c *compiler) isAggCall(call *ast.CallExpr, sc *scope) bool {
	if b := sc.lookup(call.Fun.Name); b != nil && b.fn != nil {
		return false
	}
	if f, ok := aggregate.LookupState(call.Fun.Name); ok && len(call.Args) >= f.Min {
		return false // hll_merge(a, b) merges within a row
	}
	return aggregate.Has(call.Fun.Name)
}

// rewriteAggs replaces every aggregate call inside x by a reference to
// its result column in the mid schema.
func (c *compiler) rewriteAggs(x ast.Expr, in *types.Schema, keyCols map[string]bool, a *aggregation, sc *scope) (ast.Expr, error) {
	var err error
	re := func(e ast.Expr) ast.Expr {
		if err != nil || e == nil {
			return e
		}
		var out ast.Expr
		out, err = c.rewriteAggs(e, in, keyCols, a, sc)
		return out
	}
	switch x := x.(type) {
	case *ast.CallExpr:
		if c.isAggCall(x, sc) {
			ac, _, err := c.aggCall(x, in, keyCols, sc)
			if err != nil {
				return nil, err
			}
			if len(ac.fn.Types()) != 1 {
				return nil, errorf(x.Pos(), x.Fun.Name+"()", "yields several columns and cannot be used in an expression")
			}
			return &ast.Ident{NamePos: x.Pos(), Name: hiddenName(a.add(ac), 0), EndPos: x.End()}, nil
		}
		cp := *x
		cp.Args = make([]ast.Expr, len(x.Args))
		for i, arg := range x.Args {
			cp.Args[i] = re(arg)
		}
		return &cp, err
	case *ast.ParenExpr:
		cp := *x
		cp.X = re(x.X)
		return &cp, err
	case *ast.UnaryExpr:
		cp := *x
		cp.X = re(x.X)
		return &cp, err
	case *ast.BinaryExpr:
		cp := *x
		cp.X, cp.Y = re(x.X), re(x.Y)
		return &cp, err
	case *ast.BetweenExpr:
		cp := *x
		cp.X, cp.Lo, cp.Hi = re(x.X), re(x.Lo), re(x.Hi)
		return &cp, err
	case *ast.InExpr:
		cp := *x
		cp.X = re(x.X)
		cp.List = make([]ast.Expr, len(x.List))
		for i, e := range x.List {
			cp.List[i] = re(e)
		}
		return &cp, err
	case *ast.SelectorExpr:
		cp := *x
		cp.X = re(x.X)
		return &cp, err
	case *ast.IndexExpr:
		cp := *x
		cp.X, cp.Index = re(x.X), re(x.Index)
		return &cp, err
	case *ast.NamedArg:
		cp := *x
		cp.Value = re(x.Value)
		return &cp, err
	}
	return x, nil
}

// aggCall compiles an aggregate call over rows of in, expanding * for
// arg_max, arg_min and take_any, and returns its output column names.
func (c *compiler) aggCall(call *ast.CallExpr, in *types.Schema, keyCols map[string]bool, sc *scope) (*aggCall, []string, error) {
	name := call.Fun.Name
	what := name + "()"
	argExprs := c.expandStar(call, in, keyCols)
	ac := &aggCall{name: name}
	var args []aggregate.Arg
	for _, x := range argExprs {
		if na, ok := x.(*ast.NamedArg); ok {
			x = na.Value
		}
		if _, ok := x.(*ast.StarExpr); ok {
			return nil, nil, errorf(x.Pos(), what, "* is not an argument of this function")
		}
		e, err := c.expr(x, in, sc)
		if err != nil {
			return nil, nil, err
		}
		if v, ok := isConst(e); ok {
			args = append(args, aggregate.Const(v))
			ac.args = append(ac.args, nil)
			continue
		}
		args = append(args, aggregate.Col(e.Type()))
		ac.args = append(ac.args, e)
	}
	fn, err := aggregate.Bind(name, args)
	if err != nil {
		if ae, ok := err.(*aggregate.Error); ok {
			return nil, nil, errorf(call.Pos(), ae.What, "%s", ae.Msg)
		}
		return nil, nil, err
	}
	ac.fn, ac.bindArgs = fn, args
	return ac, aggColumnNames(call, argExprs, len(fn.Types())), nil
}

// expandStar returns call's arguments with * replaced by the input
// columns it stands for: every column but the group keys, and for
// arg_max/arg_min those not already listed.
func (c *compiler) expandStar(call *ast.CallExpr, in *types.Schema, keyCols map[string]bool) []ast.Expr {
	star := false
	for _, a := range call.Args {
		if _, ok := a.(*ast.StarExpr); ok {
			star = true
		}
	}
	switch call.Fun.Name {
	case "arg_max", "arg_min", "argmax", "argmin", "take_any", "any":
	default:
		return call.Args
	}
	if !star {
		return call.Args
	}
	listed := map[string]bool{}
	for k := range keyCols {
		listed[k] = true
	}
	for _, a := range call.Args {
		if id, ok := stripParens(a).(*ast.Ident); ok && in.Index(id.Name) >= 0 {
			listed[id.Name] = true
		}
	}
	var out []ast.Expr
	for i, a := range call.Args {
		if _, ok := a.(*ast.StarExpr); !ok {
			if id, ok := stripParens(a).(*ast.Ident); ok && i > 0 && keyCols[id.Name] {
				continue
			}
			out = append(out, a)
			continue
		}
		for _, col := range in.Columns {
			if !listed[col.Name] {
				listed[col.Name] = true
				out = append(out, &ast.Ident{NamePos: a.Pos(), Name: col.Name, EndPos: a.End()})
			}
		}
	}
	return out
}

// summarizePlan groups its input by keys and aggregates each group.
type summarizePlan struct {
	in   plan
	keys []groupKey
	aggs *aggregation
	s    *types.Schema
}

func (p *summarizePlan) schema() *types.Schema { return p.s }

func (p *summarizePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	h := newHashAgg(p.keys, p.aggs)
	if err := h.consumeAll(ctx, rt, in); err != nil {
		return nil, err
	}
	out, err := h.result(rt, p.s)
	if err != nil {
		return nil, err
	}
	return NewBatchStream(p.s, out), nil
}

// hashAgg is the running state of one aggregation: a plan opened twice
// (a sub-query of mv-apply runs once per row) gets fresh states.
type hashAgg struct {
	keys    []groupKey
	aggs    *aggregation
	fns     []aggregate.Func // by call
	groups  *aggregate.Groups
	keyCols []*value.Column
	argCols []*value.Column
}

func newHashAgg(keys []groupKey, aggs *aggregation) *hashAgg {
	h := &hashAgg{keys: keys, aggs: aggs, groups: aggregate.NewGroups(keyTypes(keys)), keyCols: make([]*value.Column, len(keys))}
	for _, ac := range aggs.calls {
		fn := ac.fresh()
		fn.Grow(h.groups.Len())
		h.fns = append(h.fns, fn)
	}
	return h
}

// consumeAll folds every batch of in.
func (h *hashAgg) consumeAll(ctx context.Context, rt *runtime, in Stream) error {
	for {
		b, err := in.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := h.consume(rt, b); err != nil {
			return err
		}
	}
}

// consume folds one batch.
func (h *hashAgg) consume(rt *runtime, b *Batch) error {
	for i, k := range h.keys {
		col, err := k.e.eval(rt, b)
		if err != nil {
			return err
		}
		if col.Type != k.typ {
			col = convertColumn(col, k.typ)
		}
		h.keyCols[i] = col
	}
	gs := h.groups.Assign(h.keyCols, b.N)
	ng := h.groups.Len()
	for c, ac := range h.aggs.calls {
		fn := h.fns[c]
		fn.Grow(ng)
		h.argCols = h.argCols[:0]
		for _, e := range ac.args {
			if e == nil {
				h.argCols = append(h.argCols, nil)
				continue
			}
			col, err := e.eval(rt, b)
			if err != nil {
				return err
			}
			h.argCols = append(h.argCols, col)
		}
		fn.Update(gs, h.argCols, b.N)
	}
	return nil
}

// midBatch returns one row per group: the keys, then every call's
// outputs.
func (h *hashAgg) midBatch() *Batch {
	n := h.groups.Len()
	mid := &Batch{Schema: h.aggs.mid, N: n}
	mid.Cols = append(mid.Cols, h.groups.Keys()...)
	for _, fn := range h.fns {
		for k, t := range fn.Types() {
			col := value.NewColumn(t, n)
			for g := 0; g < n; g++ {
				col.Append(aggregate.ResultAt(fn, g, k))
			}
			mid.Cols = append(mid.Cols, col)
		}
	}
	return mid
}

// result evaluates the output columns over the groups.
func (h *hashAgg) result(rt *runtime, s *types.Schema) (*Batch, error) {
	mid := h.midBatch()
	out := &Batch{Schema: s, N: mid.N, Cols: make([]*value.Column, 0, len(s.Columns))}
	out.Cols = append(out.Cols, mid.Cols[:len(h.keys)]...)
	for i, e := range h.aggs.outs {
		col, err := e.eval(rt, mid)
		if err != nil {
			return nil, err
		}
		if want := s.Columns[len(h.keys)+i].Type; col.Type != want {
			col = convertColumn(col, want)
		}
		out.Cols = append(out.Cols, col)
	}
	return out, nil
}

// aggPrefix is the prefix of the column an aggregate call is named with:
// prefix_X for argument X (count_, sum_Duration, set_State).
var aggPrefix = map[string]string{
	"make_list": "list", "make_list_if": "list", "makelist": "list", "make_list_with_nulls": "list",
	"make_set": "set", "make_set_if": "set", "makeset": "set",
	"make_bag": "bag", "make_bag_if": "bag", "make_dictionary": "dictionary",
	"buildschema": "schema", "tdigest_merge": "merge_tdigests", "merge_tdigest": "merge_tdigests",
}

// aggColumnNames names the n output columns of an aggregate call whose
// (star-expanded) arguments are args, as Kusto does.
func aggColumnNames(call *ast.CallExpr, args []ast.Expr, n int) []string {
	name := call.Fun.Name
	first := ""
	if len(args) > 0 {
		first = derivedName(args[0])
	}
	switch name {
	case "arg_max", "arg_min":
		prefix := strings.TrimPrefix(name, "arg_")
		out := make([]string, len(args))
		for i, a := range args {
			out[i] = derivedName(a)
			if out[i] == "" && i == 0 {
				out[i] = prefix + "_"
			} else if out[i] == "" {
				out[i] = prefix + "_" + first + "_arg" + strconv.Itoa(i)
			}
		}
		return out
	case "argmax", "argmin":
		// The deprecated forms prefix every column: max_X, max_X_Col.
		prefix := strings.TrimPrefix(name, "arg")
		out := make([]string, len(args))
		for i, a := range args {
			n := derivedName(a)
			if i > 0 && n == "" {
				n = "arg" + strconv.Itoa(i)
			}
			if i > 0 {
				n = first + "_" + n
			}
			out[i] = prefix + "_" + n
		}
		return out
	case "take_any", "any":
		// The deprecated any prefixes every column with any_.
		out := make([]string, len(args))
		for i, a := range args {
			if out[i] = derivedName(a); out[i] == "" {
				out[i] = "arg" + strconv.Itoa(i)
				if name == "take_any" {
					out[i] = "any_" + out[i]
				}
			}
			if name == "any" {
				out[i] = "any_" + out[i]
			}
		}
		return out
	case "percentile", "percentiles", "percentilew", "percentilesw":
		levels := args[min(1, len(args)):]
		if strings.HasSuffix(name, "w") {
			levels = args[min(2, len(args)):]
		}
		out := make([]string, n)
		for i := range out {
			frag := ""
			if i < len(levels) {
				frag = levelFragment(levels[i])
			}
			out[i] = "percentile_" + first + "_" + frag
		}
		return out
	case "percentiles_array":
		return []string{"percentiles_" + first}
	case "percentilesw_array":
		return []string{"percentile_" + first}
	case "take_anyif", "binary_all_and", "binary_all_or", "binary_all_xor":
		return []string{first}
	case "covariance", "covariancep", "covarianceif", "covariancepif":
		second := ""
		if len(args) > 1 {
			second = derivedName(args[1])
		}
		return []string{name + "_" + first + "_" + second}
	}
	prefix, ok := aggPrefix[name]
	if !ok {
		prefix = name
	}
	return []string{prefix + "_" + first}
}

// levelFragment is a numeric literal as a name fragment (99.5 → 99_5).
func levelFragment(x ast.Expr) string {
	if lit, ok := stripParens(x).(*ast.BasicLit); ok && (lit.Kind == token.INT || lit.Kind == token.REAL) {
		return strings.NewReplacer(".", "_", "-", "_", "+", "_").Replace(lit.Value)
	}
	return ""
}

// derivedName is the name Kusto derives for an expression's column, or ""
// when it derives none: aggregate calls as aggColumnNames says, anything
// else by the checker's rules (check.ResultName), so that checked and
// executed schemas agree.
func derivedName(x ast.Expr) string {
	if call, ok := stripParens(x).(*ast.CallExpr); ok && aggregate.Has(call.Fun.Name) {
		if f, ok := aggregate.LookupState(call.Fun.Name); !ok || len(call.Args) < f.Min {
			return aggColumnNames(call, call.Args, 1)[0]
		}
	}
	return check.ResultName(x, func(ast.Expr) types.Type { return types.Unknown })
}

func init() {
	for _, name := range aggregate.StateNames() {
		registerCall(name, compileStateCall(name))
	}
}

// compileStateCall compiles a scalar function over aggregate states
// (dcount_hll, percentile_tdigest, the two-or-more-argument hll_merge, …).
func compileStateCall(name string) callCompiler {
	f, _ := aggregate.LookupState(name)
	return func(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
		what := name + "()"
		if n := len(call.Args); n < f.Min || f.Max >= 0 && n > f.Max {
			if aggregate.Has(name) {
				return nil, errorf(call.Pos(), what, "aggregate function can be used only in summarize, make-series or top-nested")
			}
			return nil, errorf(call.Pos(), what, "wrong number of arguments: %d", n)
		}
		e := &stateCall{f: f}
		cast := types.Invalid
		var argTypes []types.Type
		for i, a := range call.Args {
			if se, ok := a.(*ast.SchemaExpr); ok && i == len(call.Args)-1 && len(se.Cols) == 1 {
				d := se.Cols[0]
				tn := d.Name.Name
				if d.Type != nil {
					tn = d.Type.Name
				}
				t, ok := types.Lookup(tn)
				if !ok {
					return nil, errorf(a.Pos(), what, "unknown type %s", tn)
				}
				cast = t
				continue
			}
			x, err := c.expr(a, in, sc)
			if err != nil {
				return nil, err
			}
			e.args = append(e.args, x)
			argTypes = append(argTypes, x.Type())
		}
		e.typ = f.Result(argTypes, cast)
		return e, nil
	}
}

// stateCall evaluates a state function row by row.
type stateCall struct {
	f    *aggregate.StateFunc
	args []expr
	typ  types.Type
}

func (e *stateCall) Type() types.Type { return e.typ }

func (e *stateCall) eval(rt *runtime, b *Batch) (*value.Column, error) {
	cols := make([]*value.Column, len(e.args))
	for i, a := range e.args {
		col, err := a.eval(rt, b)
		if err != nil {
			return nil, err
		}
		cols[i] = col
	}
	out := value.NewColumn(e.typ, b.N)
	vals := make([]value.Value, len(cols))
	for r := 0; r < b.N; r++ {
		for i, col := range cols {
			vals[i] = col.Value(r)
		}
		out.Append(e.f.Eval(vals, e.typ))
	}
	return out, nil
}
