package engine

// This file implements the range operator: one column of values from
// start to stop (inclusive when a step lands on it) by step, over longs,
// reals, datetimes (timespan step) and timespans.

import (
	"context"
	"io"
	"math"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() { registerOp(compileRange) }

func compileRange(c *compiler, op *ast.RangeOp, in plan, sc *scope) (plan, error) {
	if in != nil {
		return nil, errorf(op.Pos(), op.Word, "operator takes no input table")
	}
	var vals [3]value.Value
	for i, e := range []ast.Expr{op.From, op.To, op.Step} {
		v, err := c.constValue(e, sc)
		if err != nil {
			return nil, err
		}
		if v.IsNull() {
			return nil, errorf(e.Pos(), op.Word, "bounds and step must not be null")
		}
		vals[i] = v
	}
	from, to, step := vals[0], vals[1], vals[2]
	p := &rangePlan{s: &types.Schema{}}
	switch {
	case from.Type == types.Datetime || from.Type == types.Timespan:
		if to.Type != from.Type || step.Type != types.Timespan {
			return nil, errorf(op.Pos(), op.Word, "a %s range needs a %s stop and a timespan step, not %s and %s", from.Type, from.Type, to.Type, step.Type)
		}
		p.typ, p.from, p.step = from.Type, from.I, step.I
		p.n = intRangeLen(from.I, to.I, step.I)
	case isInteger(from.Type) && isInteger(to.Type) && isInteger(step.Type):
		p.typ, p.from, p.step = types.Long, from.I, step.I
		p.n = intRangeLen(from.I, to.I, step.I)
	case from.Type.IsNumeric() && to.Type.IsNumeric() && step.Type.IsNumeric():
		f, t, s := value.Convert(from, types.Real).F, value.Convert(to, types.Real).F, value.Convert(step, types.Real).F
		p.typ, p.ffrom, p.fstep = types.Real, f, s
		p.n = realRangeLen(f, t, s)
	default:
		return nil, errorf(op.Pos(), op.Word, "cannot range from %s to %s by %s", from.Type, to.Type, step.Type)
	}
	if p.n < 0 {
		return nil, errorf(op.Step.Pos(), op.Word, "step must not be zero")
	}
	p.s.Columns = []types.Column{{Name: op.Column.Name, Type: p.typ}}
	return p, nil
}

func isInteger(t types.Type) bool { return t == types.Int || t == types.Long }

// intRangeLen returns how many values from, from+step, … lie between from
// and to; -1 for a zero step.
func intRangeLen(from, to, step int64) int64 {
	switch {
	case step == 0:
		return -1
	case step > 0 && to >= from:
		return int64((uint64(to)-uint64(from))/uint64(step)) + 1
	case step < 0 && to <= from:
		return int64((uint64(from)-uint64(to))/uint64(-step)) + 1
	}
	return 0
}

func realRangeLen(from, to, step float64) int64 {
	switch {
	case step == 0 || math.IsNaN(step):
		return -1
	case math.IsNaN(from) || math.IsNaN(to) || math.IsInf(from, 0) || math.IsInf(to, 0):
		return 0
	case step > 0 && to >= from, step < 0 && to <= from:
		n := math.Floor((to-from)/step) + 1
		// Guard against the division rounding one step past stop.
		if last := from + (n-1)*step; n > 0 && (step > 0 && last > to || step < 0 && last < to) {
			n--
		}
		return int64(n)
	}
	return 0
}

type rangePlan struct {
	s            *types.Schema
	typ          types.Type
	from, step   int64
	ffrom, fstep float64
	n            int64
}

func (p *rangePlan) schema() *types.Schema { return p.s }

func (p *rangePlan) open(ctx context.Context, rt *runtime) (Stream, error) {
	return &rangeStream{p: p}, nil
}

type rangeStream struct {
	p    *rangePlan
	next int64
}

func (s *rangeStream) Schema() *types.Schema { return s.p.s }

func (s *rangeStream) Next(ctx context.Context) (*Batch, error) {
	p := s.p
	if s.next >= p.n {
		return nil, io.EOF
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := int(min(p.n-s.next, BatchSize))
	col := &value.Column{Type: p.typ}
	if p.typ == types.Real {
		col.Reals = make([]float64, n)
		for i := range col.Reals {
			col.Reals[i] = p.ffrom + float64(s.next+int64(i))*p.fstep
		}
	} else {
		col.Ints = make([]int64, n)
		v := p.from + s.next*p.step
		for i := range col.Ints {
			col.Ints[i] = v
			v += p.step
		}
	}
	s.next += int64(n)
	return &Batch{Schema: p.s, Cols: []*value.Column{col}, N: n}, nil
}
