package engine

// This file implements the plugins that relate rows over a timeline or
// across sets: sequence_detect (ordered steps within time limits) and
// dcount_intersect (the distinct counts of S1, S1∩S2, … from hll states).

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/engine/aggregate"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerPlugin("sequence_detect", compileSequenceDetect)
	registerPlugin("dcount_intersect", compileDcountIntersect)
}

// maxSequences bounds the occurrences sequence_detect reports.
const maxSequences = 1_000_000

// compileSequenceDetect is sequence_detect(TimelineColumn,
// MaxSequenceStepWindow, MaxSequenceSpan, Expr1, Expr2, …, Dim1, …): per
// combination of the dimensions, every run of rows matching Expr1, Expr2,
// … in time order, each step within the step window of the one before
// and the whole within the span. Boolean arguments are the steps (named
// by their names, else Expr1, …); the others are dimensions. The output
// is the dimensions, each step's time (Step_TimelineColumn) and Duration.
func compileSequenceDetect(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(5, "TimelineColumn, MaxSequenceStepWindow, MaxSequenceSpan, and at least two step predicates"); err != nil {
		return nil, err
	}
	at, err := p.column(0)
	if err != nil {
		return nil, err
	}
	stepMax, err := c.lengthArg(p, 1)
	if err != nil {
		return nil, err
	}
	spanMax, err := c.lengthArg(p, 2)
	if err != nil {
		return nil, err
	}
	ins := p.in.schema()
	var steps, dims []expr
	var stepNames, dimNames []string
	var dimTypes []types.Type
	for i, a := range p.args[3:] {
		name := ""
		if na, ok := a.(*ast.NamedArg); ok {
			name, a = na.Name.Name, na.Value
		}
		e, err := c.expr(a, ins, p.sc)
		if err != nil {
			return nil, err
		}
		if e.Type() == types.Bool {
			if name == "" {
				name = "Expr" + strconv.Itoa(len(steps)+1)
			}
			steps, stepNames = append(steps, e), append(stepNames, name)
			continue
		}
		if name == "" {
			name = columnName(a, fmt.Sprintf("Column%d", i+1))
		}
		dims, dimNames, dimTypes = append(dims, e), append(dimNames, name), append(dimTypes, e.Type())
	}
	if len(steps) < 2 {
		return nil, p.errorf(p.op.Call, "expects at least two step predicates (bool expressions)")
	}
	tt := ins.Columns[at].Type
	s := &types.Schema{}
	for k, n := range dimNames {
		s.Columns = append(s.Columns, types.Column{Name: n, Type: knownType(dimTypes[k])})
	}
	for _, n := range stepNames {
		s.Columns = append(s.Columns, types.Column{Name: n + "_" + ins.Columns[at].Name, Type: tt})
	}
	durType := types.Timespan
	if tt != types.Datetime {
		durType = tt
	}
	s.Columns = append(s.Columns, types.Column{Name: "Duration", Type: durType})
	sd := &seqDetect{at: at, steps: steps, dims: dims, stepMax: stepMax, spanMax: spanMax, durType: durType}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		return sd.run(rt, s, b)
	}}, nil
}

type seqDetect struct {
	at               int
	steps, dims      []expr
	stepMax, spanMax int64
	durType          types.Type
}

func (d *seqDetect) run(rt *runtime, s *types.Schema, b *Batch) (*Batch, error) {
	match := make([]*value.Column, len(d.steps))
	for k, e := range d.steps {
		col, err := e.eval(rt, b)
		if err != nil {
			return nil, err
		}
		match[k] = col
	}
	dimCols := make([]*value.Column, len(d.dims))
	for k, e := range d.dims {
		col, err := e.eval(rt, b)
		if err != nil {
			return nil, err
		}
		dimCols[k] = col
	}
	// rows by dimension values, in time order
	groups := map[string][]int{}
	var order []string
	var kb []byte
	for i := 0; i < b.N; i++ {
		if _, ok := timelineAt(b.Cols[d.at], i); !ok {
			continue
		}
		kb = dimKey(kb, dimCols, i)
		if _, ok := groups[string(kb)]; !ok {
			order = append(order, string(kb))
		}
		groups[string(kb)] = append(groups[string(kb)], i)
	}
	out := NewBatch(s, 0)
	for _, key := range order {
		rows := groups[key]
		sort.SliceStable(rows, func(x, y int) bool {
			tx, _ := timelineAt(b.Cols[d.at], rows[x])
			ty, _ := timelineAt(b.Cols[d.at], rows[y])
			return tx < ty
		})
		d.find(b, rows, match, func(path []int) {
			if out.N >= maxSequences {
				return
			}
			for k, col := range dimCols {
				out.Cols[k].Append(col.Value(path[0]))
			}
			for k, r := range path {
				out.Cols[len(dimCols)+k].Append(b.Cols[d.at].Value(r))
			}
			t0, _ := timelineAt(b.Cols[d.at], path[0])
			tn, _ := timelineAt(b.Cols[d.at], path[len(path)-1])
			out.Cols[len(out.Cols)-1].Append(timelineValue(tn-t0, d.durType))
			out.N++
		})
	}
	return out, nil
}

// find calls emit with every sequence of rows (indices into b) matching
// the steps in order within the time limits.
func (d *seqDetect) find(b *Batch, rows []int, match []*value.Column, emit func([]int)) {
	path := make([]int, 0, len(d.steps))
	var walk func(from, step int, t0, prev int64)
	walk = func(from, step int, t0, prev int64) {
		if step == len(d.steps) {
			emit(append([]int(nil), path...))
			return
		}
		for x := from; x < len(rows); x++ {
			r := rows[x]
			t, _ := timelineAt(b.Cols[d.at], r)
			if step > 0 && (t-prev > d.stepMax || t-t0 > d.spanMax) {
				break
			}
			if !truthy(match[step], r) {
				continue
			}
			if step == 0 {
				t0 = t
			}
			path = append(path, r)
			walk(x+1, step+1, t0, t)
			path = path[:len(path)-1]
		}
	}
	walk(0, 0, 0, 0)
}

// compileDcountIntersect is dcount_intersect(hll_1, hll_2, …): the input's
// columns and s0, s1, …: the distinct counts of S1, S1∩S2, S1∩S2∩S3, …,
// by inclusion-exclusion over the merged sketches.
func compileDcountIntersect(c *compiler, p *pluginCall) (plan, error) {
	if len(p.args) < 2 || len(p.args) > 16 {
		return nil, p.errorf(p.op.Call, "takes 2 to 16 hll columns")
	}
	cols, err := p.columns(0)
	if err != nil {
		return nil, err
	}
	s := p.in.schema().Clone()
	s.Open = false
	for k := range cols {
		s.Columns = append(s.Columns, types.Column{Name: "s" + strconv.Itoa(k), Type: types.Long})
	}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		out := &Batch{Schema: s, Cols: append([]*value.Column(nil), b.Cols...), N: b.N}
		res := make([]*value.Column, len(cols))
		for k := range res {
			res[k] = value.NewColumn(types.Long, b.N)
		}
		for i := 0; i < b.N; i++ {
			states := make([]any, len(cols))
			for k, col := range cols {
				states[k] = b.Cols[col].Value(i).ToDynamic()
			}
			for k := range cols {
				n, ok := intersectCount(states[:k+1])
				if !ok {
					res[k].AppendNull()
					continue
				}
				res[k].Append(value.OfLong(n))
			}
		}
		out.Cols = append(out.Cols, res...)
		return out, nil
	}}, nil
}

// intersectCount estimates |S1 ∩ … ∩ Sn| as the alternating sum of the
// distinct counts of the unions of every non-empty subset.
func intersectCount(states []any) (int64, bool) {
	n := len(states)
	var total int64
	for mask := 1; mask < 1<<n; mask++ {
		var sub []any
		for k := 0; k < n; k++ {
			if mask&(1<<k) != 0 {
				sub = append(sub, states[k])
			}
		}
		merged, ok := aggregate.MergeHLL(sub...)
		if !ok {
			return 0, false
		}
		cnt, ok := int64(0), merged == nil
		if merged != nil {
			if cnt, ok = aggregate.DcountHLL(merged); !ok {
				return 0, false
			}
		}
		if len(sub)%2 == 1 {
			total += cnt
		} else {
			total -= cnt
		}
	}
	return max(total, 0), true
}
