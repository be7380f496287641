package engine

// This file implements the window functions over serialized rows:
// row_number, prev, next, row_cumsum, row_rank_dense (row_rank),
// row_rank_min and row_window_session. Each keeps its running state from
// one batch to the next of a run. sort, top and serialize emit their rows
// as one batch per open, so next() sees the whole row set after them
// (over several batches it sees only its own batch), and a batch that
// comes straight from them (through where or take) starts the state
// afresh: a sub-query of partition or mv-apply, opened once per part,
// numbers each part from the start.

import (
	goruntime "runtime"
	"sync"
	"weak"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerCall("row_number", compileRowNumber)
	registerCall("prev", compileShift(-1))
	registerCall("next", compileShift(1))
	registerCall("row_cumsum", compileCumsum)
	registerCall("row_rank_dense", compileRank(false))
	registerCall("row_rank", compileRank(false))
	registerCall("row_rank_min", compileRank(true))
	registerCall("row_window_session", compileSession)
}

// windowArgs checks the argument count and that the input is serialized,
// then compiles the arguments.
func (c *compiler) windowArgs(call *ast.CallExpr, in *types.Schema, sc *scope, min, max int) ([]expr, error) {
	what := call.Fun.Name + "()"
	if len(call.Args) < min || len(call.Args) > max {
		return nil, errorf(call.Pos(), what, "takes %d to %d arguments, got %d", min, max, len(call.Args))
	}
	if c.isTableSchema(in) {
		return nil, errorf(call.Pos(), what, "the row set must be serialized (sort, top or serialize it first)")
	}
	args := make([]expr, len(call.Args))
	for i, a := range call.Args {
		e, err := c.expr(a, in, sc)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	return args, nil
}

// isTableSchema reports whether in is a catalog table's own schema: rows
// read straight from a table (possibly filtered) are not serialized.
func (c *compiler) isTableSchema(in *types.Schema) bool {
	if c.rt.catalog == nil || in == nil {
		return false
	}
	for _, name := range c.rt.catalog.TableNames() {
		if t, ok := c.rt.catalog.Table(name); ok && t.Schema() == in {
			return true
		}
	}
	return false
}

// constArg returns the constant value of argument i, or def when absent.
func constArg(call *ast.CallExpr, args []expr, i int, def value.Value) (value.Value, error) {
	if i >= len(args) {
		return def, nil
	}
	v, ok := isConst(args[i])
	if !ok {
		return value.Value{}, errorf(call.Args[i].Pos(), call.Fun.Name+"()", "argument %d must be a constant", i+1)
	}
	return v, nil
}

// serialSchemas holds the output schemas of the plans that emit each open
// as a single batch of serialized rows (sort, top, serialize); entries go
// with their schemas.
var serialSchemas sync.Map // weak.Pointer[types.Schema] -> struct{}

// markSerial records s as the schema of such a plan.
func markSerial(s *types.Schema) *types.Schema {
	wp := weak.Make(s)
	serialSchemas.Store(wp, struct{}{})
	goruntime.AddCleanup(s, func(wp weak.Pointer[types.Schema]) { serialSchemas.Delete(wp) }, wp)
	return s
}

// isSerial reports whether s was marked by markSerial.
func isSerial(s *types.Schema) bool {
	_, ok := serialSchemas.Load(weak.Make(s))
	return ok
}

// windowRun tells a window function when to start its state afresh: a new
// run, or a batch that is a whole open of a serializing plan.
type windowRun struct{ rt *runtime }

func (w *windowRun) fresh(rt *runtime, b *Batch) bool {
	if w.rt == rt && !isSerial(b.Schema) {
		return false
	}
	w.rt = rt
	return true
}

// restartAt evaluates an optional restart predicate (argument i).
func restartAt(rt *runtime, args []expr, i int, b *Batch) (*value.Column, error) {
	if i >= len(args) {
		return nil, nil
	}
	return args[i].eval(rt, b)
}

func restarts(c *value.Column, i int) bool { return c != nil && truthy(c, i) }

func compileRowNumber(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	args, err := c.windowArgs(call, in, sc, 0, 2)
	if err != nil {
		return nil, err
	}
	start, err := constArg(call, args, 0, value.OfLong(1))
	if err != nil {
		return nil, err
	}
	if start = value.Convert(start, types.Long); start.IsNull() {
		return nil, errorf(call.Pos(), "row_number()", "the start index must be a number")
	}
	return &rowNumber{start: start.I, args: args}, nil
}

type rowNumber struct {
	windowRun
	start int64
	args  []expr
	cur   int64
	begun bool
}

func (e *rowNumber) Type() types.Type { return types.Long }

func (e *rowNumber) eval(rt *runtime, b *Batch) (*value.Column, error) {
	if e.fresh(rt, b) {
		e.begun = false
	}
	restart, err := restartAt(rt, e.args, 1, b)
	if err != nil {
		return nil, err
	}
	out := make([]int64, b.N)
	for i := range out {
		if !e.begun || restarts(restart, i) {
			e.cur, e.begun = e.start, true
		} else {
			e.cur++
		}
		out[i] = e.cur
	}
	return &value.Column{Type: types.Long, Ints: out}, nil
}

// compileShift compiles prev (dir -1) and next (dir 1).
func compileShift(dir int) callCompiler {
	return func(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
		args, err := c.windowArgs(call, in, sc, 1, 3)
		if err != nil {
			return nil, err
		}
		off, err := constArg(call, args, 1, value.OfLong(1))
		if err != nil {
			return nil, err
		}
		if off = value.Convert(off, types.Long); off.IsNull() || off.I < 0 {
			return nil, errorf(call.Pos(), call.Fun.Name+"()", "the offset must be a non-negative number")
		}
		t := runtimeType(args[0].Type())
		def, err := constArg(call, args, 2, value.Null(t))
		if err != nil {
			return nil, err
		}
		return &shift{typ: t, src: args[0], off: int(off.I), dir: dir, def: value.Convert(def, t)}, nil
	}
}

// shift is prev() or next(): the value off rows before or after.
type shift struct {
	windowRun
	typ  types.Type
	src  expr
	off  int
	dir  int
	def  value.Value
	hist *value.Column // prev: the last off rows of earlier batches
}

func (e *shift) Type() types.Type { return e.typ }

func (e *shift) eval(rt *runtime, b *Batch) (*value.Column, error) {
	if e.fresh(rt, b) {
		e.hist = nil
	}
	col, err := e.src.eval(rt, b)
	if err != nil {
		return nil, err
	}
	if col.Type != e.typ {
		col = convertColumn(col, e.typ)
	}
	base := col
	lead := 0
	if e.dir < 0 && e.hist != nil {
		base = value.NewColumn(e.typ, e.hist.Len()+b.N)
		base.AppendColumn(e.hist)
		base.AppendColumn(col)
		lead = e.hist.Len()
	}
	idx := make([]int, b.N)
	for i := range idx {
		j := lead + i + e.dir*e.off
		if j < 0 || j >= base.Len() {
			j = -1
		}
		idx[i] = j
	}
	out := base.Gather(idx)
	if !e.def.IsNull() {
		fixed := value.NewColumn(e.typ, b.N)
		for i, j := range idx {
			if j < 0 {
				fixed.Append(e.def)
			} else {
				fixed.Append(out.Value(i))
			}
		}
		out = fixed
	}
	if e.dir < 0 && e.off > 0 {
		from := max(0, base.Len()-e.off)
		e.hist = base.Slice(from, base.Len()).Gather(seq(base.Len() - from))
	}
	return out, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func compileCumsum(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	args, err := c.windowArgs(call, in, sc, 1, 2)
	if err != nil {
		return nil, err
	}
	t := args[0].Type()
	switch t {
	case types.Int, types.Long, types.Bool:
		t = types.Long
	case types.Real, types.Decimal, types.Dynamic, types.Unknown:
		t = types.Real
	case types.Timespan:
	default:
		return nil, errorf(call.Pos(), "row_cumsum()", "cannot sum values of type %s", t)
	}
	return &cumsum{typ: t, args: args}, nil
}

type cumsum struct {
	windowRun
	typ  types.Type
	args []expr
	i    int64
	f    float64
}

func (e *cumsum) Type() types.Type { return e.typ }

func (e *cumsum) eval(rt *runtime, b *Batch) (*value.Column, error) {
	if e.fresh(rt, b) {
		e.i, e.f = 0, 0
	}
	col, err := e.args[0].eval(rt, b)
	if err != nil {
		return nil, err
	}
	restart, err := restartAt(rt, e.args, 1, b)
	if err != nil {
		return nil, err
	}
	out := value.NewColumn(e.typ, b.N)
	for i := 0; i < b.N; i++ {
		if restarts(restart, i) {
			e.i, e.f = 0, 0
		}
		v := value.Convert(col.Value(i), e.typ)
		if e.typ == types.Real {
			if !v.IsNull() {
				e.f += v.F
			}
			out.Reals = append(out.Reals, e.f)
			continue
		}
		if !v.IsNull() {
			e.i += v.I
		}
		out.Ints = append(out.Ints, e.i)
	}
	return out, nil
}

// compileRank compiles row_rank_dense (min false) and row_rank_min.
func compileRank(minRank bool) callCompiler {
	return func(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
		args, err := c.windowArgs(call, in, sc, 1, 2)
		if err != nil {
			return nil, err
		}
		return &rank{min: minRank, args: args}, nil
	}
}

type rank struct {
	windowRun
	min   bool
	args  []expr
	prev  value.Value
	begun bool
	rank  int64
	row   int64
}

func (e *rank) Type() types.Type { return types.Long }

func (e *rank) eval(rt *runtime, b *Batch) (*value.Column, error) {
	if e.fresh(rt, b) {
		e.begun = false
	}
	col, err := e.args[0].eval(rt, b)
	if err != nil {
		return nil, err
	}
	restart, err := restartAt(rt, e.args, 1, b)
	if err != nil {
		return nil, err
	}
	out := make([]int64, b.N)
	for i := range out {
		v := col.Value(i)
		switch {
		case !e.begun || restarts(restart, i):
			e.rank, e.row, e.begun = 1, 1, true
		case sameValue(v, e.prev):
			e.row++
		default:
			e.row++
			if e.min {
				e.rank = e.row
			} else {
				e.rank++
			}
		}
		e.prev = v
		out[i] = e.rank
	}
	return &value.Column{Type: types.Long, Ints: out}, nil
}

// sameValue reports whether two values of one column are equal (two
// nulls are).
func sameValue(a, b value.Value) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() == b.IsNull()
	}
	if a.Type != b.Type {
		return value.Equal(a.ToDynamic(), b.ToDynamic())
	}
	return aggregate.Compare(a, b) == 0
}

func compileSession(c *compiler, call *ast.CallExpr, in *types.Schema, sc *scope) (expr, error) {
	args, err := c.windowArgs(call, in, sc, 3, 4)
	if err != nil {
		return nil, err
	}
	var spans [2]int64
	for k := range spans {
		v, err := constArg(call, args, k+1, value.Value{})
		if err != nil {
			return nil, err
		}
		if v.Type != types.Timespan || v.IsNull() {
			return nil, errorf(call.Args[k+1].Pos(), "row_window_session()", "argument %d must be a constant timespan", k+2)
		}
		spans[k] = v.I
	}
	t := runtimeType(args[0].Type())
	if t != types.Datetime && t != types.Dynamic {
		return nil, errorf(call.Pos(), "row_window_session()", "expects a datetime, not %s", t)
	}
	return &session{args: args, fromFirst: spans[0], between: spans[1]}, nil
}

// session is row_window_session: the start of the session each
// timestamp falls in.
type session struct {
	windowRun
	args               []expr
	fromFirst, between int64
	start, prev        int64
	open               bool // a session is running (the previous value was not null)
}

func (e *session) Type() types.Type { return types.Datetime }

func (e *session) eval(rt *runtime, b *Batch) (*value.Column, error) {
	if e.fresh(rt, b) {
		e.open = false
	}
	col, err := e.args[0].eval(rt, b)
	if err != nil {
		return nil, err
	}
	if col.Type != types.Datetime {
		col = convertColumn(col, types.Datetime)
	}
	restart, err := restartAt(rt, e.args, 3, b)
	if err != nil {
		return nil, err
	}
	out := value.NewColumn(types.Datetime, b.N)
	for i := 0; i < b.N; i++ {
		if col.IsNull(i) {
			e.open = false
			out.AppendNull()
			continue
		}
		t := col.Ints[i]
		if !e.open || restarts(restart, i) || t >= e.start+e.fromFirst || t >= e.prev+e.between {
			e.start, e.open = t, true
		}
		e.prev = t
		out.Append(value.OfDatetime(value.Datetime(e.start)))
	}
	return out, nil
}
