package store

// This file decides which segments and row groups a scan may skip. The
// engine re-applies every predicate, so a skip must only ever drop data
// that cannot match; anything the pruner does not understand is read.
//
//   - Time ranges (PredTimeRange on any datetime column) skip segments by
//     the manifest's min/max and row groups by the Parquet statistics.
//     Nulls never lie in a range, so an all-null column skips too.
//   - Equality and in (PredEquals on a string column) skip row groups
//     whose values filter has none of the values (case-folded, so one
//     filter serves ==, =~, in and in~).
//   - has and contains (PredHasTerm, PredContains on a string column)
//     skip row groups whose terms filter lacks one of the needle's
//     complete terms: a term with a non-term character on each side
//     within the needle, or for has a needle that is a single term. A
//     needle with non-ASCII characters prunes nothing, because the
//     engine's Unicode case folding can match it against other bytes.

import (
	"github.com/vigil-hunt/vigil/kql/engine"
	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// timeBound is the conjunction of the time ranges on one column.
type timeBound struct {
	column         string
	from, to       value.Datetime
	hasFrom, hasTo bool
}

func (b *timeBound) disjoint(lo, hi value.Datetime) bool {
	return b.hasFrom && hi < b.from || b.hasTo && lo > b.to
}

// needle is a predicate on a string column answered by a filter: for
// values, any hash may be present; for terms, all must be.
type needle struct {
	column string
	values bool
	hashes []uint64
	empty  bool // for values: "" is one of them (a column a segment lacks is all "")
}

// pruner holds a scan's usable predicates.
type pruner struct {
	times   []*timeBound
	needles []needle
}

func newPruner(preds []engine.Pred, s *types.Schema) *pruner {
	p := &pruner{}
	for _, pr := range preds {
		c, ok := s.Lookup(pr.Column)
		if !ok {
			continue
		}
		switch {
		case pr.Kind == engine.PredTimeRange && c.Type == types.Datetime:
			p.addTime(pr)
		case pr.Kind == engine.PredEquals && c.Type == types.String:
			if n, ok := equalsNeedle(pr); ok {
				p.needles = append(p.needles, n)
			}
		case (pr.Kind == engine.PredHasTerm || pr.Kind == engine.PredContains) && c.Type == types.String:
			if hs := needleTerms(pr.Term, pr.Kind == engine.PredHasTerm); len(hs) > 0 {
				p.needles = append(p.needles, needle{column: pr.Column, hashes: hs})
			}
		}
	}
	return p
}

func (p *pruner) addTime(pr engine.Pred) {
	if !pr.HasFrom && !pr.HasTo {
		return
	}
	var b *timeBound
	for _, t := range p.times {
		if t.column == pr.Column {
			b = t
		}
	}
	if b == nil {
		b = &timeBound{column: pr.Column}
		p.times = append(p.times, b)
	}
	if pr.HasFrom && (!b.hasFrom || pr.From > b.from) {
		b.from, b.hasFrom = pr.From, true
	}
	if pr.HasTo && (!b.hasTo || pr.To < b.to) {
		b.to, b.hasTo = pr.To, true
	}
}

func equalsNeedle(pr engine.Pred) (needle, bool) {
	n := needle{column: pr.Column, values: true}
	for _, v := range pr.Values {
		if v.Type != types.String || v.Null {
			return needle{}, false
		}
		n.hashes = append(n.hashes, valueHash(v.S))
		n.empty = n.empty || v.S == ""
	}
	return n, len(n.hashes) > 0
}

// needleTerms returns the hashes of the terms every match of the needle
// must contain as whole terms; nil when there are none or the needle is
// not ASCII.
func needleTerms(s string, has bool) []uint64 {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return nil
		}
	}
	var out []uint64
	for i := 0; i < len(s); {
		if !isTermByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isTermByte(s[j]) {
			j++
		}
		whole := i == 0 && j == len(s)
		if (has && whole) || (i > 0 && j < len(s)) {
			out = append(out, termHash(s[i:j]))
		}
		i = j
	}
	return out
}

// skipSegment reports whether the manifest alone shows that no row of the
// segment can match.
func (p *pruner) skipSegment(seg *segmentMeta) bool {
	for _, b := range p.times {
		st, ok := seg.Times[b.column]
		if !ok {
			if !hasColumn(seg, b.column) {
				return true // the column is null throughout this segment
			}
			continue
		}
		if st.Nulls == seg.Rows || b.disjoint(value.Datetime(st.Min), value.Datetime(st.Max)) {
			return true
		}
	}
	for _, n := range p.needles {
		if !hasColumn(seg, n.column) && !n.empty {
			return true // the column is "" throughout this segment
		}
	}
	return false
}

func hasColumn(seg *segmentMeta, name string) bool {
	for _, c := range seg.Columns {
		if c == name {
			return true
		}
	}
	return false
}

// skipRowGroupStats reports whether a row group's Parquet statistics show
// that no row can match.
func (p *pruner) skipRowGroupStats(sf *segmentFile, rg int) bool {
	for _, b := range p.times {
		if lo, hi, ok := sf.timeBounds(rg, b.column); ok && b.disjoint(lo, hi) {
			return true
		}
	}
	return false
}

// skipRowGroupTerms reports whether the term index shows that no row of
// the row group can match.
func (p *pruner) skipRowGroupTerms(ti *termsIndex, rg int) (bool, error) {
	for _, n := range p.needles {
		f, ok, err := ti.filter(rg, n.column, n.values)
		if err != nil || !ok {
			return false, err
		}
		if n.values && !anyMayContain(f, n.hashes) || !n.values && !allMayContain(f, n.hashes) {
			return true, nil
		}
	}
	return false, nil
}

func anyMayContain(f *bloom, hs []uint64) bool {
	for _, h := range hs {
		if f.mayContain(h) {
			return true
		}
	}
	return false
}

func allMayContain(f *bloom, hs []uint64) bool {
	for _, h := range hs {
		if !f.mayContain(h) {
			return false
		}
	}
	return true
}
