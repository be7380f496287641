package engine

// This file implements project and extend: computing output columns from
// expressions over each batch. Each entry sees the columns the entries
// before it defined (extend a = 1, b = a + 1); in project, only where the
// input has no column of that name. An entry may assign several columns
// from a function that yields several (extend (s, i) = series_fit_line(y)).

import (
	"context"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/check"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerOp(func(c *compiler, op *ast.ProjectOp, in plan, sc *scope) (plan, error) {
		return c.compileProject(op, op.Cols, false, in, sc)
	})
	registerOp(func(c *compiler, op *ast.ExtendOp, in plan, sc *scope) (plan, error) {
		return c.compileProject(op, op.Cols, true, in, sc)
	})
}

// projStep computes one entry: e over the working columns, written to
// slot (a new slot when slot is the working width); a tuple entry writes
// each of its fields instead.
type projStep struct {
	e      expr
	slot   int
	fields []tupleField
	s      *types.Schema // the working schema e reads
}

// projectBuilder tracks the working schema while entries are compiled.
type projectBuilder struct {
	c      *compiler
	op     ast.Operator
	extend bool
	in     *types.Schema
	work   *types.Schema // input columns, then new ones
	steps  []projStep
	out    []int           // project: working slots of the output, in order
	named  map[string]bool // project: output names so far
	added  map[string]bool // names the entries so far defined
	next   int             // last ColumnN handed out
}

// compileProject compiles project (keep only cols) or extend (add or
// replace cols, keeping the input's).
func (c *compiler) compileProject(op ast.Operator, cols []*ast.ColumnDef, extend bool, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	b := &projectBuilder{c: c, op: op, extend: extend, in: inSchema, work: inSchema.Clone(),
		named: map[string]bool{}, added: map[string]bool{}}
	b.work.Open = inSchema.Open
	for _, cd := range cols {
		if err := b.entry(cd, sc); err != nil {
			return nil, err
		}
	}
	p := &projectPlan{in: in, ins: inSchema, work: b.work, steps: b.steps}
	if extend {
		p.s = b.work
		return p, nil
	}
	p.s = &types.Schema{}
	for _, slot := range b.out {
		p.s.Columns = append(p.s.Columns, b.work.Columns[slot])
	}
	p.out = b.out
	return p, nil
}

// entry compiles one "Name = X", "(A, B) = X" or bare "X".
func (b *projectBuilder) entry(cd *ast.ColumnDef, sc *scope) error {
	view := b.view(cd.X)
	if call, ok := unparen(cd.X).(*ast.CallExpr); ok && len(cd.Names) != 1 {
		if outs := check.TupleColumns(call.Fun.Name); outs != nil {
			return b.tuple(cd, call, outs, view, sc)
		}
	}
	e, err := b.c.expr(cd.X, view, sc)
	if err != nil {
		return err
	}
	var name string
	switch len(cd.Names) {
	case 0:
		if name = b.c.resultName(cd.X, view, sc); name == "" {
			name = b.fresh()
		}
	case 1:
		name = cd.Names[0].Name
	default:
		return errorf(cd.Pos(), b.op.Name(), "%d names are assigned from an expression that yields one column", len(cd.Names))
	}
	slot, err := b.define(cd, name, e.Type())
	if err != nil {
		return err
	}
	b.steps = append(b.steps, projStep{e: e, slot: slot, s: view})
	return nil
}

// view is the schema entry x reads. An entry that names no column an
// earlier one defined reads the input itself (the same schema, so window
// functions see the serialized input they need); any other reads the
// working columns, where in project the input's own columns hide
// same-named new ones (which keep their slots, so the layout matches the
// working batch).
func (b *projectBuilder) view(x ast.Expr) *types.Schema {
	reads := false
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && b.added[id.Name] {
			reads = true
		}
		return !reads
	})
	if !reads {
		return b.in
	}
	v := &types.Schema{Columns: append([]types.Column(nil), b.work.Columns...), Open: b.work.Open}
	if isSerial(b.in) {
		markSerial(v)
	}
	if !b.extend {
		for i := len(b.in.Columns); i < len(v.Columns); i++ {
			if b.in.Index(v.Columns[i].Name) >= 0 {
				v.Columns[i].Name = "\x00shadowed"
			}
		}
	}
	return v
}

// define adds an output column and returns the working slot it is
// written to: in extend an existing column of the name is replaced; in
// project a name may be produced once.
func (b *projectBuilder) define(at ast.Node, name string, t types.Type) (int, error) {
	col := types.Column{Name: name, Type: t}
	b.added[name] = true
	if b.extend {
		if j := b.work.Index(name); j >= 0 {
			b.work.Columns[j] = col
			return j, nil
		}
		b.work.Columns = append(b.work.Columns, col)
		return len(b.work.Columns) - 1, nil
	}
	if b.named[name] {
		return 0, errorf(at.Pos(), b.op.Name(), "column %s is produced twice", name)
	}
	b.named[name] = true
	b.work.Columns = append(b.work.Columns, col)
	slot := len(b.work.Columns) - 1
	b.out = append(b.out, slot)
	return slot, nil
}

// fresh returns the next ColumnN that names no column yet.
func (b *projectBuilder) fresh() string {
	for {
		b.next++
		name := "Column" + strconv.Itoa(b.next)
		if b.extend && b.work.Index(name) < 0 || !b.extend && !b.named[name] && b.in.Index(name) < 0 {
			return name
		}
	}
}

// resultName is the name Kusto gives an unnamed output expression over
// rows of in ("" when it gives none), by the checker's rules.
func (c *compiler) resultName(e ast.Expr, in *types.Schema, sc *scope) string {
	return check.ResultName(e, func(sub ast.Expr) types.Type {
		x, err := c.expr(sub, in, sc)
		if err != nil {
			return types.Unknown
		}
		return x.Type()
	})
}

type projectPlan struct {
	in    plan
	ins   *types.Schema // in's schema, which entries reading only the input read
	s     *types.Schema
	work  *types.Schema
	steps []projStep
	out   []int // project: working slots of the output; nil for extend
}

func (p *projectPlan) schema() *types.Schema { return p.s }

func (p *projectPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	s, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	return &projectStream{in: s, p: p, rt: rt}, nil
}

type projectStream struct {
	in Stream
	p  *projectPlan
	rt *runtime
}

func (s *projectStream) Schema() *types.Schema { return s.p.s }

func (s *projectStream) Next(ctx context.Context) (*Batch, error) {
	b, err := s.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	p := s.p
	work := make([]*value.Column, len(b.Cols), len(p.work.Columns))
	copy(work, b.Cols)
	for i := range p.steps {
		st := &p.steps[i]
		wb := b // an entry that reads only the input reads its batch
		if st.s != p.ins {
			wb = &Batch{Schema: st.s, Cols: work, N: b.N}
		}
		col, err := st.e.eval(s.rt, wb)
		if err != nil {
			return nil, err
		}
		if st.fields != nil {
			work = writeFields(work, st.fields, col, b.N)
			continue
		}
		if want := p.work.Columns[st.slot].Type; col.Type != want {
			col = convertColumn(col, want)
		}
		work = writeSlot(work, st.slot, col)
	}
	if p.out == nil {
		return &Batch{Schema: p.s, Cols: work, N: b.N}, nil
	}
	out := &Batch{Schema: p.s, Cols: make([]*value.Column, len(p.out)), N: b.N}
	for i, slot := range p.out {
		out.Cols[i] = work[slot]
	}
	return out, nil
}

// writeSlot stores col at slot, appending when slot is the width.
func writeSlot(work []*value.Column, slot int, col *value.Column) []*value.Column {
	if slot == len(work) {
		return append(work, col)
	}
	work[slot] = col
	return work
}

// convertColumn converts every row of c to type t.
func convertColumn(c *value.Column, t types.Type) *value.Column {
	out := value.NewColumn(t, c.Len())
	for i := 0; i < c.Len(); i++ {
		out.Append(c.Value(i))
	}
	return out
}

// columnName names e by the checker's rules without type information
// (property paths are named as on dynamic values, which is what they are
// where this is used), or returns fallback.
func columnName(e ast.Expr, fallback string) string {
	if n := check.ResultName(e, func(ast.Expr) types.Type { return types.Unknown }); n != "" {
		return n
	}
	return fallback
}
