package engine

// This file implements activity_metrics (each window compared with the
// one before: distinct ids, new ids, retention and churn),
// activity_engagement (distinct ids of an inner window over those of an
// outer window ending with it) and funnel_sequence_completion.

import (
	"math"
	"sort"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerPlugin("activity_metrics", compileActivityMetrics)
	registerPlugin("activity_engagement", compileActivityEngagement)
	registerPlugin("funnel_sequence_completion", compileFunnelCompletion)
}

// hasRange reports whether arguments 2 and 3 are Start and End: the call
// has at least want arguments and they are not columns of the input.
func hasRange(p *pluginCall, want int) bool {
	if len(p.args) < want {
		return false
	}
	for _, a := range p.args[2:4] {
		if id, ok := unparen(a).(*ast.Ident); ok && p.in.schema().Index(id.Name) >= 0 {
			return false
		}
	}
	return true
}

// optionalRange reads IdColumn, TimelineColumn and, when present, Start
// and End (else the whole timeline); it returns the index of the next
// argument.
func (c *compiler) optionalRange(p *pluginCall, withRange bool) (*timeline, int, error) {
	if withRange {
		t, err := c.readTimeline(p, len(p.args))
		return t, 4, err
	}
	var err error
	t := &timeline{start: math.MinInt64, end: math.MaxInt64}
	if t.id, err = p.column(0); err != nil {
		return nil, 0, err
	}
	if t.at, err = p.column(1); err != nil {
		return nil, 0, err
	}
	return t, 2, nil
}

// compileActivityMetrics is activity_metrics(IdColumn, TimelineColumn,
// [Start, End,] Window [, dims…]): per window, dcount_values,
// dcount_newvalues (ids not in the window before), retention_rate (the
// share of the window before's ids seen again; NaN for the first window)
// and churn_rate (1 - retention), then the dimensions.
func compileActivityMetrics(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(3, "IdColumn, TimelineColumn, [Start, End,] Window"); err != nil {
		return nil, err
	}
	t, next, err := c.optionalRange(p, hasRange(p, 5))
	if err != nil {
		return nil, err
	}
	origin := t.start
	if origin == math.MinInt64 {
		origin = 0
	}
	step, err := c.stepArg(p, next, origin)
	if err != nil {
		return nil, err
	}
	if next+1 < len(p.args) {
		if t.dims, err = p.columns(next + 1); err != nil {
			return nil, err
		}
	}
	ins := p.in.schema()
	s := &types.Schema{Columns: []types.Column{ins.Columns[t.at],
		{Name: "dcount_values", Type: types.Long}, {Name: "dcount_newvalues", Type: types.Long},
		{Name: "retention_rate", Type: types.Real}, {Name: "churn_rate", Type: types.Real}}}
	s.Columns = append(s.Columns, dimSchema(ins, t.dims)...)
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		evs, first := t.events(b)
		out := NewBatch(s, 0)
		byGroup(evs, func(g int, evs []event) {
			var prev map[string]bool
			for i := 0; i < len(evs); {
				if evs[i].at < t.start || evs[i].at > t.end {
					i++
					continue
				}
				w := step.of(evs[i].at)
				cur := map[string]bool{}
				for ; i < len(evs) && evs[i].at <= t.end && step.of(evs[i].at) == w; i++ {
					cur[evs[i].id] = true
				}
				fresh, kept := 0, 0
				for id := range cur {
					if prev[id] {
						kept++
					} else {
						fresh++
					}
				}
				retention := math.NaN()
				if len(prev) > 0 {
					retention = float64(kept) / float64(len(prev))
				}
				out.Cols[0].Append(timelineValue(w, s.Columns[0].Type))
				out.Cols[1].Append(value.OfLong(int64(len(cur))))
				out.Cols[2].Append(value.OfLong(int64(fresh)))
				out.Cols[3].Append(value.OfReal(retention))
				out.Cols[4].Append(value.OfReal(1 - retention))
				for k, d := range t.dims {
					out.Cols[5+k].Append(b.Cols[d].Value(first[g]))
				}
				out.N++
				prev = cur
			}
		})
		return out, nil
	}}, nil
}

// compileActivityEngagement is activity_engagement(IdColumn,
// TimelineColumn, [Start, End,] InnerActivityWindow, OuterActivityWindow
// [, dims…]): per inner window, the distinct ids in it
// (dcount_activities_inner), in the outer window ending with it
// (dcount_activities_outer), and their ratio (activity_ratio).
func compileActivityEngagement(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(4, "IdColumn, TimelineColumn, [Start, End,] InnerActivityWindow, OuterActivityWindow"); err != nil {
		return nil, err
	}
	t, next, err := c.optionalRange(p, hasRange(p, 6))
	if err != nil {
		return nil, err
	}
	origin := t.start
	if origin == math.MinInt64 {
		origin = 0
	}
	inner, err := c.stepArg(p, next, origin)
	if err != nil {
		return nil, err
	}
	outer, err := c.lengthArg(p, next+1)
	if err != nil {
		return nil, err
	}
	if next+2 < len(p.args) {
		if t.dims, err = p.columns(next + 2); err != nil {
			return nil, err
		}
	}
	ins := p.in.schema()
	s := t.outSchema(ins, types.Column{Name: "dcount_activities_inner", Type: types.Long},
		types.Column{Name: "dcount_activities_outer", Type: types.Long}, types.Column{Name: "activity_ratio", Type: types.Real})
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		evs, first := t.events(b)
		out := NewBatch(s, 0)
		byGroup(evs, func(g int, evs []event) {
			bins := map[int64]bool{}
			for _, e := range evs {
				if e.at >= t.start && e.at <= t.end {
					bins[inner.of(e.at)] = true
				}
			}
			for _, w := range sortedKeys(bins) {
				end := inner.next(w)
				in, all := map[string]bool{}, map[string]bool{}
				for _, e := range evs {
					if e.at < end && e.at >= end-outer {
						all[e.id] = true
						if e.at >= w {
							in[e.id] = true
						}
					}
				}
				ratio := math.NaN()
				if len(all) > 0 {
					ratio = float64(len(in)) / float64(len(all))
				}
				t.appendRow(out, b, first[g], w, value.OfLong(int64(len(in))), value.OfLong(int64(len(all))), value.OfReal(ratio))
			}
		})
		return out, nil
	}}, nil
}

// compileFunnelCompletion is funnel_sequence_completion(IdColumn,
// TimelineColumn, Start, End, Step, StateColumn, Sequence,
// MaxSequenceStepWindows): per window and per step window (Period), the
// distinct ids that went from the first state of Sequence to each state,
// every step within Period of the one before.
func compileFunnelCompletion(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(8, "IdColumn, TimelineColumn, Start, End, Step, StateColumn, Sequence, MaxSequenceStepWindows"); err != nil {
		return nil, err
	}
	t, err := c.readTimeline(p, len(p.args))
	if err != nil {
		return nil, err
	}
	step, err := c.stepArg(p, 4, t.start)
	if err != nil {
		return nil, err
	}
	state, err := p.column(5)
	if err != nil {
		return nil, err
	}
	seqV, err := p.constant(c, 6, value.Value{})
	if err != nil {
		return nil, err
	}
	seq, ok := seqV.ToDynamic().([]any)
	if !ok || len(seq) == 0 {
		return nil, p.errorf(p.args[6], "the sequence must be a non-empty dynamic array")
	}
	perV, err := p.constant(c, 7, value.Value{})
	if err != nil {
		return nil, err
	}
	var periods []int64
	pers, _ := perV.ToDynamic().([]any)
	for _, x := range pers {
		if n, ok := timelineConst(value.Convert(value.FromDynamic(x), types.Timespan)); ok && n > 0 {
			periods = append(periods, n)
		}
	}
	if len(periods) == 0 {
		return nil, p.errorf(p.args[7], "the step windows must be a dynamic array of timespans")
	}
	ins := p.in.schema()
	s := &types.Schema{Columns: []types.Column{ins.Columns[t.at], ins.Columns[state],
		{Name: "Period", Type: types.Timespan}, {Name: "dcount", Type: types.Long}}}
	seqVals := make([]string, len(seq))
	for k, x := range seq {
		seqVals[k] = value.FromDynamic(x).String()
	}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		type hit struct {
			at    int64
			state string
		}
		byWin := map[int64]map[string][]hit{}
		for i := 0; i < b.N; i++ {
			at, ok := timelineAt(b.Cols[t.at], i)
			if !ok || at < t.start || at > t.end || b.Cols[t.id].IsNull(i) {
				continue
			}
			w := step.of(at)
			if byWin[w] == nil {
				byWin[w] = map[string][]hit{}
			}
			id := string(value.AppendJSON(nil, b.Cols[t.id].Value(i).ToDynamic()))
			byWin[w][id] = append(byWin[w][id], hit{at, b.Cols[state].Value(i).String()})
		}
		out := NewBatch(s, 0)
		for _, w := range sortedKeys(byWin) {
			for _, per := range periods {
				reached := make([]int64, len(seqVals))
				for _, hits := range byWin[w] {
					sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
					depth := 0
					for x, h := range hits {
						if h.state != seqVals[0] {
							continue
						}
						d, prev := 1, h.at
						for _, g := range hits[x+1:] {
							if d == len(seqVals) || g.at-prev > per {
								break
							}
							if g.state == seqVals[d] {
								d, prev = d+1, g.at
							}
						}
						depth = max(depth, d)
					}
					for k := 0; k < depth; k++ {
						reached[k]++
					}
				}
				for k, st := range seqVals {
					out.Cols[0].Append(timelineValue(w, s.Columns[0].Type))
					out.Cols[1].Append(value.Convert(value.OfString(st), s.Columns[1].Type))
					out.Cols[2].Append(value.OfTimespan(value.Timespan(per)))
					out.Cols[3].Append(value.OfLong(reached[k]))
					out.N++
				}
			}
		}
		return out, nil
	}}, nil
}
