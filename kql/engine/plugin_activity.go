package engine

// This file implements the activity plugins over an id and a timeline:
// active_users_count, activity_counts_metrics, sliding_window_counts and
// session_count, and rolling_percentile over a value and an index. Each
// reads all its input, bins the timeline from Start (bin_at) and emits a
// row per bin (and per combination of the dimension columns) that has
// data, in order of the dimensions' first appearance, then of the bins.

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerPlugin("active_users_count", compileActiveUsers)
	registerPlugin("activity_counts_metrics", compileActivityCounts)
	registerPlugin("sliding_window_counts", compileSlidingWindow)
	registerPlugin("session_count", compileSessionCount)
	registerPlugin("rolling_percentile", compileRollingPercentile)
}

// timeline holds what the activity plugins share: the id and timeline
// columns, the analysis range and the dimension columns.
type timeline struct {
	id, at     int
	start, end int64
	dims       []int
}

// readTimeline reads IdColumn, TimelineColumn, Start, End at arguments 0-3;
// dims are the column arguments from dimFrom on.
func (c *compiler) readTimeline(p *pluginCall, dimFrom int) (*timeline, error) {
	var err error
	t := &timeline{}
	if t.id, err = p.column(0); err != nil {
		return nil, err
	}
	if t.at, err = p.column(1); err != nil {
		return nil, err
	}
	for i, dst := range []*int64{&t.start, &t.end} {
		v, err := p.constant(c, 2+i, value.Value{})
		if err != nil {
			return nil, err
		}
		n, ok := timelineConst(v)
		if !ok {
			return nil, p.errorf(p.args[2+i], "argument %d must be a constant on the timeline", 3+i)
		}
		*dst = n
	}
	if dimFrom < len(p.args) {
		if t.dims, err = p.columns(dimFrom); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// stepArg reads a bin size argument: a timespan, a number or week/month/year.
func (c *compiler) stepArg(p *pluginCall, i int, origin int64) (bins, error) {
	v, err := p.constant(c, i, value.Value{})
	if err != nil {
		return bins{}, err
	}
	b, ok := newBins(origin, v)
	if !ok {
		return bins{}, p.errorf(p.args[i], "argument %d must be a positive step (a timespan, a number, or week, month or year)", i+1)
	}
	return b, nil
}

// lengthArg reads a positive constant length on the timeline.
func (c *compiler) lengthArg(p *pluginCall, i int) (int64, error) {
	v, err := p.constant(c, i, value.Value{})
	if err != nil {
		return 0, err
	}
	n, ok := timelineConst(v)
	if !ok || n <= 0 {
		return 0, p.errorf(p.args[i], "argument %d must be a positive constant", i+1)
	}
	return n, nil
}

// event is one row of an activity plugin: group, id key and time.
type event struct {
	group int
	id    string
	at    int64
}

// events reads the rows of b with a time and an id, sorted by group,
// then time.
func (t *timeline) events(b *Batch) ([]event, []int) {
	group, first := dimGroups(b, t.dims)
	ids, times := b.Cols[t.id], b.Cols[t.at]
	var out []event
	for i := 0; i < b.N; i++ {
		at, ok := timelineAt(times, i)
		if !ok || ids.IsNull(i) {
			continue
		}
		out = append(out, event{group: group[i], id: string(value.AppendJSON(nil, ids.Value(i).ToDynamic())), at: at})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].group != out[j].group {
			return out[i].group < out[j].group
		}
		return out[i].at < out[j].at
	})
	return out, first
}

// outSchema is the timeline column, the dimensions, then extra columns.
func (t *timeline) outSchema(in *types.Schema, extra ...types.Column) *types.Schema {
	s := &types.Schema{Columns: []types.Column{in.Columns[t.at]}}
	s.Columns = append(s.Columns, dimSchema(in, t.dims)...)
	s.Columns = append(s.Columns, extra...)
	return s
}

// appendRow appends a row: the bin, the group's dimension values, then vals.
func (t *timeline) appendRow(out, in *Batch, firstRow int, bin int64, vals ...value.Value) {
	out.Cols[0].Append(timelineValue(bin, out.Schema.Columns[0].Type))
	for k, d := range t.dims {
		out.Cols[1+k].Append(in.Cols[d].Value(firstRow))
	}
	for k, v := range vals {
		out.Cols[1+len(t.dims)+k].Append(v)
	}
	out.N++
}

// byGroup calls f with each group's events.
func byGroup(evs []event, f func(g int, evs []event)) {
	for i := 0; i < len(evs); {
		j := i
		for j < len(evs) && evs[j].group == evs[i].group {
			j++
		}
		f(evs[i].group, evs[i:j])
		i = j
	}
}

// compileActiveUsers is active_users_count(IdColumn, TimelineColumn,
// Start, End, LookbackWindow, Period, ActivePeriodsCount, Bin, dims…): per
// bin, the distinct ids with an appearance in [Start, End] that was seen
// in at least ActivePeriodsCount distinct periods of the lookback window
// ending at it (the window excludes its start).
func compileActiveUsers(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(8, "IdColumn, TimelineColumn, Start, End, LookbackWindow, Period, ActivePeriodsCount, Bin"); err != nil {
		return nil, err
	}
	t, err := c.readTimeline(p, 8)
	if err != nil {
		return nil, err
	}
	lookback, err := c.lengthArg(p, 4)
	if err != nil {
		return nil, err
	}
	period, err := c.stepArg(p, 5, 0)
	if err != nil {
		return nil, err
	}
	need, err := c.lengthArg(p, 6)
	if err != nil {
		return nil, err
	}
	bin, err := c.stepArg(p, 7, t.start)
	if err != nil {
		return nil, err
	}
	ins := p.in.schema()
	s := t.outSchema(ins, types.Column{Name: "dcount", Type: types.Long})
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		evs, first := t.events(b)
		out := NewBatch(s, 0)
		byGroup(evs, func(g int, evs []event) {
			active := map[int64]map[string]bool{}
			byID := map[string][]int64{}
			for _, e := range evs {
				byID[e.id] = append(byID[e.id], e.at)
			}
			for id, times := range byID {
				for k, at := range times {
					if at < t.start || at > t.end {
						continue
					}
					periods := map[int64]bool{}
					for j := k; j >= 0 && times[j] > at-lookback; j-- {
						periods[period.of(times[j])] = true
					}
					if int64(len(periods)) >= need {
						bk := bin.of(at)
						if active[bk] == nil {
							active[bk] = map[string]bool{}
						}
						active[bk][id] = true
					}
				}
			}
			for _, bk := range sortedKeys(active) {
				t.appendRow(out, b, first[g], bk, value.OfLong(int64(len(active[bk]))))
			}
		})
		return out, nil
	}}, nil
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// compileActivityCounts is activity_counts_metrics(IdColumn,
// TimelineColumn, Start, End, Step, dims…): per window of [Start, End],
// the rows, the distinct ids, the ids not seen in earlier windows and the
// distinct ids so far.
func compileActivityCounts(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(5, "IdColumn, TimelineColumn, Start, End, Step"); err != nil {
		return nil, err
	}
	t, err := c.readTimeline(p, 5)
	if err != nil {
		return nil, err
	}
	step, err := c.stepArg(p, 4, t.start)
	if err != nil {
		return nil, err
	}
	ins := p.in.schema()
	s := t.outSchema(ins, types.Column{Name: "count", Type: types.Long}, types.Column{Name: "dcount", Type: types.Long},
		types.Column{Name: "new_dcount", Type: types.Long}, types.Column{Name: "aggregated_dcount", Type: types.Long})
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		evs, first := t.events(b)
		out := NewBatch(s, 0)
		byGroup(evs, func(g int, evs []event) {
			seen := map[string]bool{}
			for i := 0; i < len(evs); {
				if evs[i].at < t.start || evs[i].at > t.end {
					i++
					continue
				}
				w := step.of(evs[i].at)
				ids, fresh, n := map[string]bool{}, 0, 0
				for ; i < len(evs) && evs[i].at <= t.end && step.of(evs[i].at) == w; i++ {
					n++
					if !ids[evs[i].id] {
						ids[evs[i].id] = true
						if !seen[evs[i].id] {
							fresh++
						}
					}
				}
				for id := range ids {
					seen[id] = true
				}
				t.appendRow(out, b, first[g], w, value.OfLong(int64(n)), value.OfLong(int64(len(ids))),
					value.OfLong(int64(fresh)), value.OfLong(int64(len(seen))))
			}
		})
		return out, nil
	}}, nil
}

// compileSlidingWindow is sliding_window_counts(IdColumn, TimelineColumn,
// Start, End, LookbackWindow, Bin, dims…): per bin of [Start, End], the
// rows and distinct ids of the bins in the lookback window ending with it.
func compileSlidingWindow(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(6, "IdColumn, TimelineColumn, Start, End, LookbackWindow, Bin"); err != nil {
		return nil, err
	}
	t, err := c.readTimeline(p, 6)
	if err != nil {
		return nil, err
	}
	lookback, err := c.lengthArg(p, 4)
	if err != nil {
		return nil, err
	}
	bin, err := c.stepArg(p, 5, t.start)
	if err != nil {
		return nil, err
	}
	ins := p.in.schema()
	s := t.outSchema(ins, types.Column{Name: "Count", Type: types.Long}, types.Column{Name: "Dcount", Type: types.Long})
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		evs, first := t.events(b)
		out := NewBatch(s, 0)
		byGroup(evs, func(g int, evs []event) {
			for w := bin.of(t.start); w <= t.end; w = bin.next(w) {
				n, ids := 0, map[string]bool{}
				for _, e := range evs {
					if eb := bin.of(e.at); eb <= w && eb > w-lookback && e.at <= t.end {
						n++
						ids[e.id] = true
					}
				}
				if n > 0 {
					t.appendRow(out, b, first[g], w, value.OfLong(int64(n)), value.OfLong(int64(len(ids))))
				}
			}
		})
		return out, nil
	}}, nil
}

// compileSessionCount is session_count(IdColumn, TimelineColumn, Start,
// End, Bin, LookBackWindow, dims…): per bin, the sessions with an
// appearance in it. An appearance continues its id's session when the
// previous one is within LookBackWindow, else it starts a new session.
func compileSessionCount(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(6, "IdColumn, TimelineColumn, Start, End, Bin, LookBackWindow"); err != nil {
		return nil, err
	}
	t, err := c.readTimeline(p, 6)
	if err != nil {
		return nil, err
	}
	bin, err := c.stepArg(p, 4, t.start)
	if err != nil {
		return nil, err
	}
	lookback, err := c.lengthArg(p, 5)
	if err != nil {
		return nil, err
	}
	ins := p.in.schema()
	s := t.outSchema(ins, types.Column{Name: "count_sessions", Type: types.Long})
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		evs, first := t.events(b)
		out := NewBatch(s, 0)
		byGroup(evs, func(g int, evs []event) {
			last, session := map[string]int64{}, map[string]int{}
			perBin := map[int64]map[string]bool{}
			for _, e := range evs {
				if prev, ok := last[e.id]; !ok || e.at-prev > lookback {
					session[e.id]++
				}
				last[e.id] = e.at
				if e.at < t.start || e.at > t.end {
					continue
				}
				w := bin.of(e.at)
				if perBin[w] == nil {
					perBin[w] = map[string]bool{}
				}
				perBin[w][e.id+"\x00"+strconv.Itoa(session[e.id])] = true
			}
			for _, w := range sortedKeys(perBin) {
				t.appendRow(out, b, first[g], w, value.OfLong(int64(len(perBin[w]))))
			}
		})
		return out, nil
	}}, nil
}

// compileRollingPercentile is rolling_percentile(ValueColumn, Percentile,
// IndexColumn, BinSize, BinsPerWindow, dims…): per bin of the index (and
// dimension values), the nearest-rank percentile of the values in the
// window of BinsPerWindow bins ending with it.
func compileRollingPercentile(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(5, "ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow"); err != nil {
		return nil, err
	}
	val, err := p.column(0)
	if err != nil {
		return nil, err
	}
	pv, err := p.constant(c, 1, value.Value{})
	if err != nil {
		return nil, err
	}
	pct := value.Convert(pv, types.Real)
	if pct.IsNull() || pct.F < 0 || pct.F > 100 {
		return nil, p.errorf(p.args[1], "the percentile must be a number between 0 and 100")
	}
	idx, err := p.column(2)
	if err != nil {
		return nil, err
	}
	size, err := c.lengthArg(p, 3)
	if err != nil {
		return nil, err
	}
	window, err := c.lengthArg(p, 4)
	if err != nil {
		return nil, err
	}
	var dims []int
	if len(p.args) > 5 {
		if dims, err = p.columns(5); err != nil {
			return nil, err
		}
	}
	ins := p.in.schema()
	vt := ins.Columns[val].Type
	name := "rolling_" + strconv.FormatInt(window, 10) + "_percentile_" + ins.Columns[val].Name + "_" +
		strings.ReplaceAll(value.FormatReal(pct.F), ".", "_")
	t := &timeline{at: idx, dims: dims}
	s := t.outSchema(ins, types.Column{Name: name, Type: vt})
	bin := bins{size: size}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		group, first := dimGroups(b, dims)
		type point struct {
			bin int64
			v   value.Value
		}
		pts := make([][]point, len(first))
		for i := 0; i < b.N; i++ {
			at, ok := timelineAt(b.Cols[idx], i)
			if !ok || b.Cols[val].IsNull(i) {
				continue
			}
			pts[group[i]] = append(pts[group[i]], point{bin.of(at), b.Cols[val].Value(i)})
		}
		out := NewBatch(s, 0)
		for g, ps := range pts {
			if len(ps) == 0 {
				continue
			}
			sort.SliceStable(ps, func(i, j int) bool { return ps[i].bin < ps[j].bin })
			for w := ps[0].bin; w <= ps[len(ps)-1].bin; w += size {
				var vals []value.Value
				for _, q := range ps {
					if q.bin <= w && q.bin > w-window*size {
						vals = append(vals, q.v)
					}
				}
				t.appendRow(out, b, first[g], w, nearestRank(vals, pct.F, vt))
			}
		}
		return out, nil
	}}, nil
}

// nearestRank is the p-th percentile of vals by the nearest-rank method:
// the value at rank ceil(p/100 * n) of the sorted values.
func nearestRank(vals []value.Value, p float64, t types.Type) value.Value {
	if len(vals) == 0 {
		return value.Null(t)
	}
	sort.SliceStable(vals, func(i, j int) bool { return lessValue(vals[i], vals[j]) })
	r := int(math.Ceil(p / 100 * float64(len(vals))))
	r = min(max(r, 1), len(vals))
	return vals[r-1]
}

// lessValue orders two non-null values of one type: numbers and times by
// value, anything else by its text.
func lessValue(a, b value.Value) bool {
	switch a.Type {
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return a.I < b.I
	case types.Real, types.Decimal:
		return a.F < b.F
	}
	return a.String() < b.String()
}
