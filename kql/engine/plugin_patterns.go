package engine

// This file implements the pattern-mining plugins basket, autocluster and
// diffpatterns.
//
// basket follows the documented Apriori algorithm: the patterns (sets of
// column = value) whose weighted share of the rows reaches the threshold
// (0.05 by default), built level by level up to MaxDimensions (5) columns;
// a pattern is reported when no larger pattern covers exactly the same
// rows (a closed pattern). Rows come out by count, largest first.
//
// autocluster approximates the documented Seed-Expand algorithm: among
// the closed patterns covering at least 1% of the rows, it repeatedly
// picks the one with the best weighted geometric mean of the share of
// rows it newly covers (weight SizeWeight, 0.5 by default) and of the
// share of columns it fixes (weight 1 - SizeWeight), until the next
// pattern would cover less than 1% of new rows or NumSeeds (25) patterns
// are chosen. Patterns may overlap; some rows may be in none.
//
// Both output SegmentId, Count, Percent and every input column (but the
// weight column), holding the pattern's value or a wildcard: null, or ""
// for strings, unless a CustomWildcard of that type is given.

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	registerPlugin("basket", func(c *compiler, p *pluginCall) (plan, error) { return c.patterns(p, false) })
	registerPlugin("autocluster", func(c *compiler, p *pluginCall) (plan, error) { return c.patterns(p, true) })
	registerPlugin("diffpatterns", compileDiffPatterns)
}

// patternOptions are the arguments of basket and autocluster.
type patternOptions struct {
	param     float64 // basket: threshold; autocluster: SizeWeight
	weight    int     // weight column, -1 for none
	limit     int     // basket: MaxDimensions; autocluster: NumSeeds
	wildcards map[types.Type]value.Value
	dims      []int // the input columns patterns are made of
}

func (c *compiler) patterns(p *pluginCall, cluster bool) (plan, error) {
	o := &patternOptions{param: 0.05, weight: -1, limit: 5, wildcards: map[types.Type]value.Value{}}
	if cluster {
		o.param, o.limit = 0.5, 25
	}
	ins := p.in.schema()
	if len(p.args) > 0 {
		v, err := p.constant(c, 0, value.OfReal(o.param))
		if err != nil {
			return nil, err
		}
		if r := value.Convert(v, types.Real); !r.IsNull() && r.F >= 0 && r.F <= 1 {
			o.param = r.F
		} else {
			return nil, p.errorf(p.args[0], "the first argument must be a number between 0 and 1")
		}
	}
	if len(p.args) > 1 {
		if id, ok := unparen(p.args[1]).(*ast.Ident); ok && ins.Index(id.Name) >= 0 {
			o.weight = ins.Index(id.Name)
		} else if v, err := p.constant(c, 1, value.Value{}); err != nil {
			return nil, err
		} else if v.Type == types.String && ins.Index(v.S) >= 0 {
			o.weight = ins.Index(v.S)
		}
	}
	if len(p.args) > 2 {
		v, err := p.constant(c, 2, value.OfLong(int64(o.limit)))
		if err != nil {
			return nil, err
		}
		if n, ok := timelineConst(v); ok && n > 0 {
			o.limit = int(n)
		}
	}
	for i := 3; i < len(p.args); i++ {
		v, err := p.constant(c, i, value.Value{})
		if err != nil {
			return nil, err
		}
		if v.Type.IsKnown() {
			o.wildcards[v.Type] = v
		}
	}
	s := &types.Schema{Columns: []types.Column{
		{Name: "SegmentId", Type: types.Int}, {Name: "Count", Type: types.Long}, {Name: "Percent", Type: types.Real},
	}}
	for i, col := range ins.Columns {
		if i != o.weight {
			o.dims = append(o.dims, i)
			s.Columns = append(s.Columns, col)
		}
	}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		m := newMiner(b, o)
		var pats []*itemset
		if cluster {
			pats = m.cluster(o.param, o.limit)
		} else {
			pats = m.basket(o.param, o.limit)
		}
		return m.output(s, pats, o), nil
	}}, nil
}

// item is one column = value; itemset a pattern, its items sorted by
// column, with the rows it covers and their weight.
type item struct {
	col int // index into dims
	key string
	v   value.Value
}

type itemset struct {
	items  []int // item ids
	rows   []int
	weight float64
}

// miner holds the rows as item ids.
type miner struct {
	items   []item
	rowItem [][]int // per row, per dimension: item id or -1
	weights []float64
	total   float64
}

func newMiner(b *Batch, o *patternOptions) *miner {
	m := &miner{rowItem: make([][]int, b.N), weights: make([]float64, b.N)}
	ids := map[string]int{}
	var kb []byte
	for i := 0; i < b.N; i++ {
		w := 1.0
		if o.weight >= 0 {
			w = value.Convert(b.Cols[o.weight].Value(i), types.Real).F
		}
		m.weights[i], m.total = w, m.total+w
		m.rowItem[i] = make([]int, len(o.dims))
		for k, d := range o.dims {
			v := b.Cols[d].Value(i)
			if v.IsEmpty() {
				m.rowItem[i][k] = -1
				continue
			}
			kb = append(value.AppendJSON(append(kb[:0], byte(k)), v.ToDynamic()), 0)
			id, ok := ids[string(kb)]
			if !ok {
				id = len(m.items)
				ids[string(kb)] = id
				m.items = append(m.items, item{col: k, key: string(kb), v: v})
			}
			m.rowItem[i][k] = id
		}
	}
	return m
}

// frequent mines the closed patterns of at most maxDims items whose weight
// reaches minWeight, level by level.
func (m *miner) frequent(minWeight float64, maxDims int) []*itemset {
	var level []*itemset
	single := map[int]*itemset{}
	for r, its := range m.rowItem {
		for _, id := range its {
			if id < 0 {
				continue
			}
			s, ok := single[id]
			if !ok {
				s = &itemset{items: []int{id}}
				single[id] = s
			}
			s.rows = append(s.rows, r)
			s.weight += m.weights[r]
		}
	}
	for _, s := range single {
		if s.weight >= minWeight && s.weight > 0 {
			level = append(level, s)
		}
	}
	m.sortSets(level)
	all := append([]*itemset(nil), level...)
	for size := 2; size <= maxDims && len(level) > 1 && len(all) < 100000; size++ {
		var next []*itemset
		for i := 0; i < len(level); i++ {
			for j := i + 1; j < len(level); j++ {
				a, b := level[i], level[j]
				if !samePrefix(a.items, b.items) || m.items[a.items[size-2]].col == m.items[b.items[size-2]].col {
					continue
				}
				last := b.items[size-2]
				cand := &itemset{items: append(append([]int(nil), a.items...), last)}
				k := m.items[last].col
				for _, r := range a.rows {
					if m.rowItem[r][k] == last {
						cand.rows = append(cand.rows, r)
						cand.weight += m.weights[r]
					}
				}
				if cand.weight >= minWeight && cand.weight > 0 {
					sort.Slice(cand.items, func(x, y int) bool { return m.items[cand.items[x]].col < m.items[cand.items[y]].col })
					next = append(next, cand)
				}
			}
		}
		m.sortSets(next)
		next = dedupeSets(next)
		all = append(all, next...)
		level = next
	}
	return closedSets(all)
}

// sortSets orders patterns by their items, so that those sharing a
// prefix are adjacent.
func (m *miner) sortSets(sets []*itemset) {
	sort.Slice(sets, func(i, j int) bool {
		a, b := sets[i].items, sets[j].items
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
}

func samePrefix(a, b []int) bool {
	for k := 0; k < len(a)-1; k++ {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

func dedupeSets(sets []*itemset) []*itemset {
	seen := map[string]bool{}
	var out []*itemset
	for _, s := range sets {
		k := setKey(s.items)
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

func setKey(items []int) string {
	sorted := append([]int(nil), items...)
	sort.Ints(sorted)
	var b strings.Builder
	for _, id := range sorted {
		b.WriteString(strconv.Itoa(id))
		b.WriteByte(',')
	}
	return b.String()
}

// closedSets drops the patterns that a larger pattern with the same
// weight contains.
func closedSets(sets []*itemset) []*itemset {
	var out []*itemset
	for _, s := range sets {
		closed := true
		for _, t := range sets {
			if len(t.items) > len(s.items) && t.weight == s.weight && containsAll(t.items, s.items) {
				closed = false
				break
			}
		}
		if closed {
			out = append(out, s)
		}
	}
	return out
}

func containsAll(big, small []int) bool {
	for _, x := range small {
		found := false
		for _, y := range big {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// basket returns the closed frequent patterns, largest count first.
func (m *miner) basket(threshold float64, maxDims int) []*itemset {
	sets := m.frequent(threshold*m.total, maxDims)
	sort.SliceStable(sets, func(i, j int) bool {
		if sets[i].weight != sets[j].weight {
			return sets[i].weight > sets[j].weight
		}
		return len(sets[i].items) > len(sets[j].items)
	})
	return sets
}

// cluster picks patterns greedily by newly covered share and specificity.
func (m *miner) cluster(sizeWeight float64, seeds int) []*itemset {
	const minShare = 0.01
	cands := m.frequent(minShare*m.total, len(m.rowItemWidth()))
	covered := make([]bool, len(m.rowItem))
	dims := float64(len(m.rowItemWidth()))
	var chosen []*itemset
	for len(chosen) < seeds {
		var best *itemset
		bestScore := -1.0
		for _, s := range cands {
			fresh := 0.0
			for _, r := range s.rows {
				if !covered[r] {
					fresh += m.weights[r]
				}
			}
			if fresh < minShare*m.total {
				continue
			}
			score := math.Pow(fresh/m.total, sizeWeight) * math.Pow(float64(len(s.items))/dims, 1-sizeWeight)
			if score > bestScore {
				best, bestScore = s, score
			}
		}
		if best == nil {
			break
		}
		chosen = append(chosen, best)
		for _, r := range best.rows {
			covered[r] = true
		}
	}
	return chosen
}

// rowItemWidth is one entry per dimension.
func (m *miner) rowItemWidth() []int {
	if len(m.rowItem) == 0 {
		return nil
	}
	return m.rowItem[0]
}

// output writes the patterns: SegmentId, Count, Percent, then each
// dimension's value or wildcard.
func (m *miner) output(s *types.Schema, sets []*itemset, o *patternOptions) *Batch {
	out := NewBatch(s, len(sets))
	for seg, set := range sets {
		out.Cols[0].Append(value.OfInt(int64(seg)))
		out.Cols[1].Append(value.OfLong(int64(math.Round(set.weight))))
		out.Cols[2].Append(value.OfReal(100 * set.weight / m.total))
		m.appendPattern(out, 3, set, o)
		out.N++
	}
	return out
}

// appendPattern appends a pattern's dimension values, or wildcards, to
// the output columns from first on.
func (m *miner) appendPattern(out *Batch, first int, set *itemset, o *patternOptions) {
	fixed := map[int]value.Value{}
	for _, id := range set.items {
		fixed[m.items[id].col] = m.items[id].v
	}
	for k := range o.dims {
		col := out.Cols[first+k]
		t := out.Schema.Columns[first+k].Type
		switch v, ok := fixed[k]; {
		case ok:
			col.Append(v)
		case o.wildcards[t].Type == t && o.wildcards[t].Type.IsKnown():
			col.Append(o.wildcards[t])
		case t == types.String:
			col.Append(value.OfString(""))
		default:
			col.AppendNull()
		}
	}
}

// compileDiffPatterns is diffpatterns(SplitColumn, SplitValueA,
// SplitValueB [, WeightColumn, Threshold, MaxDimensions, CustomWildcard…]):
// the patterns (mined as basket's, over the rows of both sets) whose
// shares of set A and of set B differ by at least Threshold (0.05), by
// difference, largest first; a pattern that only adds columns to a
// reported one with a difference at least as large is left out. The
// output is SegmentId, CountA, CountB, PercentA, PercentB,
// PercentDiffAB and the input's columns but the split and weight ones.
func compileDiffPatterns(c *compiler, p *pluginCall) (plan, error) {
	if err := p.needArgs(3, "SplitColumn, SplitValueA, SplitValueB"); err != nil {
		return nil, err
	}
	split, err := p.column(0)
	if err != nil {
		return nil, err
	}
	var vals [2]string
	for k := range vals {
		v, err := p.constant(c, 1+k, value.Value{})
		if err != nil {
			return nil, err
		}
		vals[k] = v.String()
	}
	rest := &pluginCall{op: p.op, what: p.what, in: p.in, sc: p.sc}
	if len(p.args) > 3 {
		rest.args = p.args[3:]
	}
	o := &patternOptions{param: 0.05, weight: -1, limit: 1 << 30, wildcards: map[types.Type]value.Value{}}
	ins := p.in.schema()
	if len(rest.args) > 0 {
		if id, ok := unparen(rest.args[0]).(*ast.Ident); ok && ins.Index(id.Name) >= 0 {
			o.weight = ins.Index(id.Name)
		}
	}
	if len(rest.args) > 1 {
		v, err := rest.constant(c, 1, value.OfReal(o.param))
		if err != nil {
			return nil, err
		}
		if r := value.Convert(v, types.Real); !r.IsNull() && r.F > 0 && r.F <= 1 {
			o.param = r.F
		}
	}
	if len(rest.args) > 2 {
		v, err := rest.constant(c, 2, value.OfLong(int64(o.limit)))
		if err != nil {
			return nil, err
		}
		if n, ok := timelineConst(v); ok && n > 0 {
			o.limit = int(n)
		}
	}
	for i := 3; i < len(rest.args); i++ {
		v, err := rest.constant(c, i, value.Value{})
		if err != nil {
			return nil, err
		}
		if v.Type.IsKnown() {
			o.wildcards[v.Type] = v
		}
	}
	s := &types.Schema{Columns: []types.Column{
		{Name: "SegmentId", Type: types.Int}, {Name: "CountA", Type: types.Long}, {Name: "CountB", Type: types.Long},
		{Name: "PercentA", Type: types.Real}, {Name: "PercentB", Type: types.Real}, {Name: "PercentDiffAB", Type: types.Real},
	}}
	for i, col := range ins.Columns {
		if i != o.weight && i != split {
			o.dims = append(o.dims, i)
			s.Columns = append(s.Columns, col)
		}
	}
	return &wholePlan{in: p.in, s: s, f: func(rt *runtime, b *Batch) (*Batch, error) {
		var keep []int
		inA := map[int]bool{}
		for i := 0; i < b.N; i++ {
			switch b.Cols[split].Value(i).String() {
			case vals[0]:
				keep = append(keep, i)
				inA[len(keep)-1] = true
			case vals[1]:
				keep = append(keep, i)
			}
		}
		sub := &Batch{Schema: b.Schema, Cols: make([]*value.Column, len(b.Cols)), N: len(keep)}
		for k, col := range b.Cols {
			sub.Cols[k] = col.Gather(keep)
		}
		m := newMiner(sub, o)
		return m.diff(s, inA, o), nil
	}}, nil
}

// diffPattern is a pattern's weight in each set.
type diffPattern struct {
	set          *itemset
	wa, wb, diff float64
}

// diff mines and ranks the patterns that tell set A from set B.
func (m *miner) diff(s *types.Schema, inA map[int]bool, o *patternOptions) *Batch {
	var totA, totB float64
	for r, w := range m.weights {
		if inA[r] {
			totA += w
		} else {
			totB += w
		}
	}
	out := NewBatch(s, 0)
	if totA == 0 || totB == 0 {
		return out
	}
	sets := m.frequent(o.param*math.Min(totA, totB), o.limit)
	var cands []diffPattern
	for _, set := range sets {
		d := diffPattern{set: set}
		for _, r := range set.rows {
			if inA[r] {
				d.wa += m.weights[r]
			} else {
				d.wb += m.weights[r]
			}
		}
		d.diff = math.Abs(100*d.wa/totA - 100*d.wb/totB)
		if d.diff >= 100*o.param {
			cands = append(cands, d)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].diff > cands[j].diff })
	var chosen []diffPattern
	for _, d := range cands {
		redundant := false
		for _, c := range chosen {
			if containsAll(d.set.items, c.set.items) && c.diff >= d.diff {
				redundant = true
				break
			}
		}
		if !redundant {
			chosen = append(chosen, d)
		}
	}
	for seg, d := range chosen {
		out.Cols[0].Append(value.OfInt(int64(seg)))
		out.Cols[1].Append(value.OfLong(int64(math.Round(d.wa))))
		out.Cols[2].Append(value.OfLong(int64(math.Round(d.wb))))
		out.Cols[3].Append(value.OfReal(100 * d.wa / totA))
		out.Cols[4].Append(value.OfReal(100 * d.wb / totB))
		out.Cols[5].Append(value.OfReal(d.diff))
		m.appendPattern(out, 6, d.set, o)
		out.N++
	}
	return out
}
