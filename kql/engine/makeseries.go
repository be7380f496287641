package engine

// This file implements make-series: aggregates per group key and per step
// of an axis (bin_at(axis, step, from)), arranged into dynamic arrays, one
// element per step from from to to (exclusive), absent steps holding the
// default value. Without from/to the range spans the steps that hold
// data; the older "on axis in range(start, stop, step)" form includes stop
// and bins with bin(). Output: the keys, the aggregate arrays, then the
// axis array.

import (
	"context"
	"io"
	"math"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// maxSeriesLen caps the length of a series, as Kusto does.
const maxSeriesLen = 1 << 20

func init() { registerOp(compileMakeSeries) }

func compileMakeSeries(c *compiler, op *ast.MakeSeriesOp, in plan, sc *scope) (plan, error) {
	in, err := needInput(op, in, sc)
	if err != nil {
		return nil, err
	}
	inSchema := in.schema()
	p := &makeSeriesPlan{in: in}
	for _, prm := range op.Params {
		if strings.EqualFold(prm.Name.Name, "kind") {
			if id, ok := prm.Value.(*ast.Ident); ok && strings.EqualFold(id.Name, "nonempty") {
				p.nonempty = true
			}
		}
	}
	names := newColNames(op.Word, inSchema)
	if p.keys, err = c.groupKeys(op.Keys, inSchema, names, sc); err != nil {
		return nil, err
	}
	if p.axis, err = c.expr(op.Axis, inSchema, sc); err != nil {
		return nil, err
	}
	if p.bins, err = c.seriesAxis(op, p.axis.Type(), sc); err != nil {
		return nil, err
	}
	// The aggregates group by the keys and the step index, a hidden last
	// column of the input.
	ext := inSchema.Clone()
	ext.Columns = append(ext.Columns, types.Column{Name: "\x00step", Type: types.Long})
	step := groupKey{name: "\x00step", e: &colExpr{idx: len(inSchema.Columns), typ: types.Long}, typ: types.Long}
	allKeys := append(append([]groupKey(nil), p.keys...), step)
	defs := make([]*ast.ColumnDef, len(op.Aggs))
	for i, a := range op.Aggs {
		defs[i] = a.Col
	}
	if p.aggs, err = c.aggregation(op.Word, defs, ext, allKeys, names, sc); err != nil {
		return nil, err
	}
	for i, a := range op.Aggs {
		def := value.OfLong(0)
		if a.DefaultValue != nil {
			if def, err = c.constant(a.DefaultValue, sc); err != nil {
				return nil, err
			}
		}
		p.defaults = append(p.defaults, seriesDefault(def, p.aggs.outs[i].Type()))
	}
	for i := len(p.keys); i < len(names.s.Columns); i++ {
		names.s.Columns[i].Type = types.Dynamic
	}
	axisName := derivedName(op.Axis)
	if _, err := names.add(axisName, types.Dynamic, false, op.Axis.Pos()); err != nil {
		return nil, err
	}
	p.allKeys, p.ext, p.s = allKeys, ext, names.s
	return p, nil
}

// seriesDefault converts a default value to an aggregate's type where
// the two are numbers.
func seriesDefault(v value.Value, t types.Type) any {
	if v.IsNull() || !v.Type.IsNumeric() || !t.IsNumeric() {
		return v.ToDynamic()
	}
	return value.Convert(v, t).ToDynamic()
}

// seriesBins maps axis values to step indices and back.
type seriesBins struct {
	axis      types.Type
	timeLike  bool    // datetime or timespan axis: ticks
	align     float64 // an axis value where a step starts
	step      float64
	from, to  int64 // step index range [from, to); hasFrom/hasTo say which are set
	hasFrom   bool
	hasTo     bool
	inclusive bool // the range() form: to is the last step, included
}

// seriesAxis reads from, to and step (or range(start, stop, step)).
func (c *compiler) seriesAxis(op *ast.MakeSeriesOp, axis types.Type, sc *scope) (*seriesBins, error) {
	b := &seriesBins{axis: axis, timeLike: axis == types.Datetime || axis == types.Timespan}
	if !b.timeLike && !axis.IsNumeric() {
		return nil, errorf(op.Axis.Pos(), op.Word, "the axis must be a datetime, timespan or number, not %s", axis)
	}
	fromX, toX, stepX := op.From, op.To, op.Step
	if op.Range != nil {
		if len(op.Range.Args) != 3 {
			return nil, errorf(op.Range.Pos(), op.Word, "range() takes start, stop and step")
		}
		fromX, toX, stepX = op.Range.Args[0], op.Range.Args[1], op.Range.Args[2]
	}
	step, err := c.axisNumber(op, stepX, types.Timespan, b.timeLike, sc)
	if err != nil {
		return nil, err
	}
	if !(step > 0) {
		return nil, errorf(stepX.Pos(), op.Word, "step must be positive")
	}
	b.step = step
	if axis == types.Datetime {
		b.align = float64(value.MinDatetime) // bin() counts from 0001-01-01
	}
	var from, to float64
	if fromX != nil {
		if from, err = c.axisNumber(op, fromX, axis, b.timeLike, sc); err != nil {
			return nil, err
		}
	}
	if toX != nil {
		if to, err = c.axisNumber(op, toX, axis, b.timeLike, sc); err != nil {
			return nil, err
		}
	}
	switch {
	case op.Range != nil:
		b.from, b.to, b.hasFrom, b.hasTo, b.inclusive = b.index(from), b.index(to)+1, true, true, true
	default:
		if fromX != nil {
			b.align, b.from, b.hasFrom = from, 0, true
		}
		if toX != nil {
			b.to, b.hasTo = int64(math.Ceil((to-b.align)/b.step)), true
		}
	}
	return b, nil
}

// axisNumber evaluates a constant bound or step as a float64 (ticks for
// datetimes and timespans).
func (c *compiler) axisNumber(op *ast.MakeSeriesOp, x ast.Expr, want types.Type, timeLike bool, sc *scope) (float64, error) {
	v, err := c.constant(x, sc)
	if err != nil {
		return 0, err
	}
	switch {
	case v.IsNull():
	case timeLike && (v.Type == types.Datetime || v.Type == types.Timespan):
		return float64(v.I), nil
	case !timeLike && v.Type.IsNumeric():
		return value.Convert(v, types.Real).F, nil
	}
	return 0, errorf(x.Pos(), op.Word, "expected a constant %s, not %s", want, v.Type)
}

// index returns the step index of axis value v.
func (b *seriesBins) index(v float64) int64 { return int64(math.Floor((v - b.align) / b.step)) }

// valueAt returns the axis value where step i starts.
func (b *seriesBins) valueAt(i int64) any {
	v := b.align + float64(i)*b.step
	switch b.axis {
	case types.Datetime:
		return value.Datetime(int64(v))
	case types.Timespan:
		return value.Timespan(int64(v))
	case types.Int, types.Long:
		if v == math.Trunc(v) {
			return int64(v)
		}
	}
	return v
}

// stepColumn computes each row's step index; ok is false for rows outside
// the range or with a null axis.
func (b *seriesBins) stepColumn(c *value.Column, n int, steps []int64, ok []bool) {
	for i := 0; i < n; i++ {
		v, valid := 0.0, !c.IsNull(i)
		if valid {
			switch {
			case c.Ints != nil:
				v = float64(c.Ints[i])
			case c.Reals != nil:
				v = c.Reals[i]
			default:
				v, valid = toFloat(c.Value(i))
			}
		}
		var s int64
		if valid {
			s = b.index(v)
			valid = (!b.hasFrom || s >= b.from) && (!b.hasTo || s < b.to) && !math.IsNaN(v)
		}
		steps[i], ok[i] = s, valid
	}
}

func toFloat(v value.Value) (float64, bool) {
	f := value.Convert(v, types.Real)
	return f.F, !f.IsNull()
}

type makeSeriesPlan struct {
	in       plan
	keys     []groupKey // the by keys
	allKeys  []groupKey // the by keys and the step index
	axis     expr
	bins     *seriesBins
	aggs     *aggregation
	defaults []any
	nonempty bool
	ext      *types.Schema
	s        *types.Schema
}

func (p *makeSeriesPlan) schema() *types.Schema { return p.s }

func (p *makeSeriesPlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	in, err := p.in.open(ctx, rt)
	if err != nil {
		return nil, err
	}
	h := newHashAgg(p.allKeys, p.aggs)
	var (
		steps []int64
		ok    []bool
		idx   []int
	)
	for {
		b, err := in.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		axis, err := p.axis.eval(rt, b)
		if err != nil {
			return nil, err
		}
		steps, ok = reuseSlice(steps, b.N), reuseSlice(ok, b.N)
		p.bins.stepColumn(axis, b.N, steps, ok)
		idx = idx[:0]
		for i, good := range ok {
			if good {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		stepCol := &value.Column{Type: types.Long, Ints: steps}
		if len(idx) < b.N {
			b, stepCol = b.Gather(idx), stepCol.Gather(idx)
		}
		ext := &Batch{Schema: p.ext, Cols: append(b.Cols[:len(b.Cols):len(b.Cols)], stepCol), N: b.N}
		if err := h.consume(rt, ext); err != nil {
			return nil, err
		}
	}
	out, err := p.arrange(rt, h)
	if err != nil {
		return nil, err
	}
	return NewBatchStream(p.s, out), nil
}

// arrange turns one row per key and step into one row per key with an
// array per aggregate.
func (p *makeSeriesPlan) arrange(rt *runtime, h *hashAgg) (*Batch, error) {
	flatSchema := keySchema(p.allKeys)
	for _, e := range p.aggs.outs {
		flatSchema.Columns = append(flatSchema.Columns, types.Column{Type: runtimeType(e.Type())})
	}
	flat, err := h.result(rt, flatSchema)
	if err != nil {
		return nil, err
	}
	nk := len(p.keys)
	steps := flat.Cols[nk]
	first, last := p.bins.from, p.bins.to
	if !p.bins.hasFrom || !p.bins.hasTo {
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for _, s := range steps.Ints {
			lo, hi = min(lo, s), max(hi, s)
		}
		if !p.bins.hasFrom {
			first = lo
		}
		if !p.bins.hasTo {
			last = hi + 1
		}
	}
	n := max(0, min(last-first, maxSeriesLen))
	if flat.N == 0 {
		n = max(0, min(p.bins.to-p.bins.from, maxSeriesLen))
		if !p.bins.hasFrom || !p.bins.hasTo {
			n = 0
		}
	}
	series := aggregate.NewGroups(keyTypes(p.keys))
	rows := series.Assign(flat.Cols[:nk], flat.N)
	if flat.N == 0 && p.nonempty && nk == 0 {
		series.Assign(nil, 0) // the one group of a key-less series
	}
	nseries := series.Len()
	if flat.N == 0 && !(p.nonempty && nk == 0) {
		nseries = 0
	}
	arrays := make([][][]any, len(p.aggs.outs))
	for a := range arrays {
		arrays[a] = make([][]any, nseries)
		for g := range arrays[a] {
			arr := make([]any, n)
			for i := range arr {
				arr[i] = p.defaults[a]
			}
			arrays[a][g] = arr
		}
	}
	for r := 0; r < flat.N; r++ {
		pos := steps.Ints[r] - first
		if pos < 0 || pos >= n {
			continue
		}
		for a := range arrays {
			v := flat.Cols[nk+1+a].Value(r)
			arrays[a][rows[r]][pos] = v.ToDynamic()
		}
	}
	axis := make([]any, n)
	for i := range axis {
		axis[i] = p.bins.valueAt(first + int64(i))
	}
	out := &Batch{Schema: p.s, N: nseries}
	for k := 0; k < nk; k++ {
		out.Cols = append(out.Cols, series.Keys()[k].Slice(0, nseries))
	}
	for a := range arrays {
		col := value.NewColumn(types.Dynamic, nseries)
		for g := 0; g < nseries; g++ {
			col.Dyns = append(col.Dyns, arrays[a][g])
		}
		out.Cols = append(out.Cols, col)
	}
	axisCol := value.NewColumn(types.Dynamic, nseries)
	for g := 0; g < nseries; g++ {
		axisCol.Dyns = append(axisCol.Dyns, axis)
	}
	out.Cols = append(out.Cols, axisCol)
	return out, nil
}

func keyTypes(keys []groupKey) []types.Type {
	out := make([]types.Type, len(keys))
	for i, k := range keys {
		out[i] = k.typ
	}
	return out
}
