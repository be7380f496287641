package engine

// This file implements evaluate with bag_unpack (property bag slots
// become columns) and pivot (the values of a column become columns of an
// aggregate), and dispatches the plugins registered by other files
// (plugins.go). Any other plugin is refused by name, as is externaldata:
// the engine never reaches out to other services or storage
// (infer_storage_schema, sql_request, python, …).
//
// Both plugins have an output schema that depends on the data unless one
// is declared (evaluate … : (…)), while plans must know their schema
// before running: without a declared schema the input is run when the
// query is compiled and the result kept for the run.

import (
	"context"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(compileEvaluate)
	registerOp(func(c *compiler, op *ast.ExternalDataOp, in plan, sc *scope) (plan, error) {
		return nil, errorf(op.Pos(), op.Word, "not supported: the local engine does not read external storage")
	})
}

func compileEvaluate(c *compiler, op *ast.EvaluateOp, in plan, sc *scope) (plan, error) {
	name := strings.ToLower(op.Call.Fun.Name)
	what := "evaluate " + name + "()"
	switch name {
	case "bag_unpack", "pivot":
	default:
		f, ok := pluginCompilers[name]
		if !ok {
			return nil, errorf(op.Call.Pos(), "evaluate", "plugin %s is not supported by the local engine", op.Call.Fun.Name)
		}
		in, err := needInput(op, in, sc)
		if err != nil {
			return nil, err
		}
		return f(c, &pluginCall{op: op, what: what, in: in, sc: sc, args: op.Call.Args})
	}
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	var declared *types.Schema
	star := false
	if op.Schema != nil {
		if declared, err = declSchema(op.Schema.Cols, what); err != nil {
			return nil, err
		}
		star = op.Schema.Star
	}
	if name == "bag_unpack" {
		return c.bagUnpack(op, what, in, declared, star, sc)
	}
	return c.pivot(op, what, in, declared, sc)
}

// runNow runs a plan while the query is being compiled.
func (c *compiler) runNow(p plan) (*Batch, error) {
	return runPlan(context.Background(), c.rt, p)
}

// bagUnpackArgs are the options of bag_unpack.
type bagUnpackArgs struct {
	col      int
	prefix   string
	conflict string
	ignored  map[string]bool
}

func (c *compiler) bagUnpackArgs(op *ast.EvaluateOp, what string, in *types.Schema, sc *scope) (*bagUnpackArgs, error) {
	args := op.Call.Args
	a := &bagUnpackArgs{conflict: "error", ignored: map[string]bool{}}
	if len(args) == 0 {
		return nil, errorf(op.Call.Pos(), what, "needs the column to unpack")
	}
	id, ok := args[0].(*ast.Ident)
	if !ok || in.Index(id.Name) < 0 {
		return nil, errorf(args[0].Pos(), what, "first argument must be a column of the input")
	}
	a.col = in.Index(id.Name)
	positional := []string{"OutputColumnPrefix", "columnsConflict", "ignoredProperties"}
	for i, arg := range args[1:] {
		pname := ""
		if i < len(positional) {
			pname = positional[i]
		}
		if na, ok := arg.(*ast.NamedArg); ok {
			pname, arg = na.Name.Name, na.Value
		}
		v, err := c.constValue(arg, sc)
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(pname) {
		case "outputcolumnprefix":
			a.prefix = v.String()
		case "columnsconflict":
			a.conflict = strings.ToLower(v.String())
			if a.conflict != "error" && a.conflict != "replace_source" && a.conflict != "keep_source" {
				return nil, errorf(arg.Pos(), what, "columnsConflict must be error, replace_source or keep_source")
			}
		case "ignoredproperties":
			arr, _ := v.ToDynamic().([]any)
			for _, x := range arr {
				if s, ok := x.(string); ok {
					a.ignored[s] = true
				}
			}
		default:
			return nil, errorf(arg.Pos(), what, "unexpected argument")
		}
	}
	return a, nil
}

func (c *compiler) bagUnpack(op *ast.EvaluateOp, what string, in plan, declared *types.Schema, star bool, sc *scope) (plan, error) {
	ins := in.schema()
	a, err := c.bagUnpackArgs(op, what, ins, sc)
	if err != nil {
		return nil, err
	}
	if declared != nil {
		// The declared columns, after the input's (but the bag) with *.
		s := &types.Schema{}
		if star {
			for i, col := range ins.Columns {
				if i != a.col && declared.Index(col.Name) < 0 {
					s.Columns = append(s.Columns, col)
				}
			}
		}
		p := &bagUnpackPlan{in: in, args: a, s: s, fromBag: make([]bool, len(s.Columns))}
		for range declared.Columns {
			p.fromBag = append(p.fromBag, true)
		}
		s.Columns = append(s.Columns, declared.Columns...)
		return p, nil
	}
	if sc.input != nil {
		return nil, errorf(op.Pos(), what, "inside a sub-query needs a declared output schema: evaluate bag_unpack(…) : (Col:type, …)")
	}
	b, err := c.runNow(in)
	if err != nil {
		return nil, err
	}
	s, fromBag, err := bagUnpackSchema(op, what, ins, b, a)
	if err != nil {
		return nil, err
	}
	out := (&bagUnpackPlan{in: in, args: a, s: s, fromBag: fromBag}).unpack(b)
	return &batchPlan{b: out}, nil
}

// bagUnpackSchema works out the columns the slots of the data give: the
// input's but the bag, then one per slot (prefixed, sorted by name), of
// the slot's type when all its values share one, else dynamic.
func bagUnpackSchema(op *ast.EvaluateOp, what string, ins *types.Schema, b *Batch, a *bagUnpackArgs) (*types.Schema, []bool, error) {
	slotType := map[string]types.Type{}
	col := plannedCol(b, ins, a.col)
	for i := 0; i < b.N; i++ {
		bag, ok := col.Value(i).ToDynamic().(*value.Bag)
		if !ok {
			continue
		}
		for _, k := range bag.Keys() {
			if a.ignored[k] {
				continue
			}
			v, _ := bag.Get(k)
			if v == nil {
				if _, seen := slotType[k]; !seen {
					slotType[k] = types.Invalid
				}
				continue
			}
			t := value.FromDynamic(v).Type
			switch prev, seen := slotType[k]; {
			case !seen || prev == types.Invalid:
				slotType[k] = t
			case prev != t:
				slotType[k] = types.Dynamic
			}
		}
	}
	slots := make([]string, 0, len(slotType))
	for k := range slotType {
		slots = append(slots, k)
	}
	sort.Strings(slots)
	s := &types.Schema{}
	var fromBag []bool
	for i, c := range ins.Columns {
		if i != a.col {
			s.Columns = append(s.Columns, c)
			fromBag = append(fromBag, false)
		}
	}
	for _, k := range slots {
		t := slotType[k]
		if t == types.Invalid {
			t = types.Dynamic
		}
		name := a.prefix + k
		if j := s.Index(name); j >= 0 {
			switch a.conflict {
			case "keep_source":
				continue
			case "replace_source":
				s.Columns[j].Type, fromBag[j] = t, true
				continue
			}
			return nil, nil, errorf(op.Pos(), what, "slot %s conflicts with column %s (see columnsConflict)", k, name)
		}
		s.Columns = append(s.Columns, types.Column{Name: name, Type: t})
		fromBag = append(fromBag, true)
	}
	return s, fromBag, nil
}

// bagUnpackPlan unpacks bags into the columns of a known schema.
type bagUnpackPlan struct {
	in      plan
	args    *bagUnpackArgs
	s       *types.Schema
	fromBag []bool // output columns filled from the bags
}

func (p *bagUnpackPlan) schema() *types.Schema { return p.s }

func (p *bagUnpackPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &mapStream{in: s, s: p.s, f: func(b *Batch) (*Batch, error) { return p.unpack(b), nil }}, nil
}

// unpack fills each output column from the input column of its name or,
// for a slot column, from the bags.
func (p *bagUnpackPlan) unpack(b *Batch) *Batch {
	ins := p.in.schema()
	out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.s.Columns)), N: b.N}
	bags := plannedCol(b, ins, p.args.col)
	for j, col := range p.s.Columns {
		if !p.fromBag[j] {
			src := plannedCol(b, ins, ins.Index(col.Name))
			if src.Type != col.Type {
				src = convertColumn(src, col.Type)
			}
			out.Cols[j] = src
			continue
		}
		slot := strings.TrimPrefix(col.Name, p.args.prefix)
		c := value.NewColumn(col.Type, b.N)
		for r := 0; r < b.N; r++ {
			var v any
			if bag, ok := bags.Value(r).ToDynamic().(*value.Bag); ok && !p.args.ignored[slot] {
				v, _ = bag.Get(slot)
			}
			c.Append(castElement(v, col.Type))
		}
		out.Cols[j] = c
	}
	return out
}

// mapStream applies a function to each batch of its input.
type mapStream struct {
	in Stream
	s  *types.Schema
	f  func(*Batch) (*Batch, error)
}

func (m *mapStream) Schema() *types.Schema { return m.s }

func (m *mapStream) Next(ctx context.Context) (*Batch, error) {
	b, err := m.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	return m.f(b)
}

// pivot summarizes the aggregate by the group columns and the pivot
// column (through the summarize operator), then turns each pivot value
// into a column: one row per group, in order of first appearance.
func (c *compiler) pivot(op *ast.EvaluateOp, what string, in plan, declared *types.Schema, sc *scope) (plan, error) {
	args := op.Call.Args
	ins := in.schema()
	if len(args) == 0 {
		return nil, errorf(op.Call.Pos(), what, "needs the column to pivot")
	}
	pc, ok := args[0].(*ast.Ident)
	if !ok || ins.Index(pc.Name) < 0 {
		return nil, errorf(args[0].Pos(), what, "first argument must be a column of the input")
	}
	rest := args[1:]
	var agg *ast.CallExpr
	if len(rest) > 0 {
		if call, ok := rest[0].(*ast.CallExpr); ok {
			agg, rest = call, rest[1:]
		}
	}
	if agg == nil {
		agg = &ast.CallExpr{Fun: &ast.Ident{NamePos: op.Call.Pos(), Name: "count", EndPos: op.Call.Pos()}, Lparen: op.Call.Pos(), Rparen: op.Call.Pos()}
	}
	var keys []string
	for _, a := range rest {
		id, ok := a.(*ast.Ident)
		if !ok || ins.Index(id.Name) < 0 {
			return nil, errorf(a.Pos(), what, "expected a column of the input")
		}
		keys = append(keys, id.Name)
	}
	if len(rest) == 0 {
		used := map[string]bool{pc.Name: true}
		ast.Inspect(agg, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				used[id.Name] = true
			}
			return true
		})
		for _, col := range ins.Columns {
			if !used[col.Name] {
				keys = append(keys, col.Name)
			}
		}
	}
	sum := &ast.SummarizeOp{Keyword: op.Pos(), Word: "summarize", By: op.Pos(), EndPos: op.End(),
		Aggs: []*ast.ColumnDef{{Names: []*ast.Ident{{NamePos: op.Pos(), Name: pivotValueCol, EndPos: op.Pos()}}, Assign: op.Pos(), X: agg}}}
	for _, k := range append(keys, pc.Name) {
		sum.Keys = append(sum.Keys, &ast.ColumnDef{X: &ast.Ident{NamePos: op.Pos(), Name: k, EndPos: op.Pos()}})
	}
	grouped, err := c.operator(sum, in, sc)
	if err != nil {
		return nil, err
	}
	if sc.input != nil {
		return nil, errorf(op.Pos(), what, "is not supported inside a sub-query")
	}
	b, err := c.runNow(grouped)
	if err != nil {
		return nil, err
	}
	zero := pivotZero(agg.Fun.Name)
	return &batchPlan{b: pivotRows(b, keys, pc.Name, zero, declared)}, nil
}

const pivotValueCol = "\x00pivot_value"

// pivotZero reports whether a missing cell of an aggregate reads as 0
// (counts and sums) rather than null.
func pivotZero(agg string) bool {
	switch strings.ToLower(agg) {
	case "count", "countif", "dcount", "dcountif", "sum", "sumif":
		return true
	}
	return false
}

// pivotRows turns the grouped rows (keys…, pivot, value) into one row per
// key tuple and one column per pivot value.
func pivotRows(b *Batch, keys []string, pivotCol string, zero bool, declared *types.Schema) *Batch {
	keyCols := make([]*value.Column, len(keys))
	for k, name := range keys {
		keyCols[k] = b.Col(name)
	}
	pivots, vals := b.Col(pivotCol), b.Col(pivotValueCol)
	valType := knownType(vals.Type)
	var groupRows []int // first grouped row of each output row
	groupOf := map[string]int{}
	var pivotNames []string
	pivotOf := map[string]int{}
	cells := map[[2]int]int{} // (output row, pivot column) -> grouped row
	var kb []byte
	for i := 0; i < b.N; i++ {
		kb = kb[:0]
		for _, c := range keyCols {
			kb = value.AppendJSON(kb, c.Value(i).ToDynamic())
			kb = append(kb, 0)
		}
		g, ok := groupOf[string(kb)]
		if !ok {
			g = len(groupRows)
			groupOf[string(kb)] = g
			groupRows = append(groupRows, i)
		}
		name := pivots.Value(i).String()
		pi, ok := pivotOf[name]
		if !ok {
			pi = len(pivotNames)
			pivotOf[name] = pi
			pivotNames = append(pivotNames, name)
		}
		cells[[2]int{g, pi}] = i
	}
	s := &types.Schema{}
	taken := map[string]bool{}
	for k, name := range keys {
		s.Columns = append(s.Columns, types.Column{Name: name, Type: keyCols[k].Type})
		taken[name] = true
	}
	for pi, name := range pivotNames {
		name = uniqueName(name, taken)
		taken[name] = true
		pivotNames[pi] = name
		s.Columns = append(s.Columns, types.Column{Name: name, Type: valType})
	}
	out := NewBatch(s, len(groupRows))
	for g, row := range groupRows {
		for k := range keys {
			out.Cols[k].Append(keyCols[k].Value(row))
		}
		for pi := range pivotNames {
			c := out.Cols[len(keys)+pi]
			if i, ok := cells[[2]int{g, pi}]; ok {
				c.Append(vals.Value(i))
			} else if zero {
				c.Append(value.Convert(value.OfLong(0), valType))
			} else {
				c.AppendNull()
			}
		}
	}
	out.N = len(groupRows)
	if declared != nil {
		return conformTo(out, declared, zero)
	}
	return out
}

// conformTo reshapes b into a declared schema: columns by name, converted;
// a declared column b lacks is 0 (zero) or null.
func conformTo(b *Batch, declared *types.Schema, zero bool) *Batch {
	out := &Batch{Schema: declared, Cols: make([]*value.Column, len(declared.Columns)), N: b.N}
	for j, col := range declared.Columns {
		src := b.Col(col.Name)
		switch {
		case src == nil && zero && col.Type.IsNumeric():
			out.Cols[j] = value.Const(value.Convert(value.OfLong(0), col.Type), b.N)
		case src == nil:
			out.Cols[j] = value.NullColumn(col.Type, b.N)
		case src.Type != col.Type:
			out.Cols[j] = convertColumn(src, col.Type)
		default:
			out.Cols[j] = src
		}
	}
	return out
}
