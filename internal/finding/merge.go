package finding

// This file merges findings that share an id.

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

// Merge folds findings with the same id into one, keeping the order in
// which ids first appear. The merged finding keeps the first title,
// description and ATT&CK fields that are set, the highest severity, risk
// score, confidence level and score with the reasons of all, the union of
// evidence (identical queries share an entry, rows de-duplicated by row id
// or content), entities, IOCs, recommendations and actions, and a
// timeline sorted by time without repeats. Row references are rewritten
// to the merged evidence. It is verified only when all parts were. Other
// producers are listed in AlsoProducedBy. Merge does not modify its
// input; the merged findings share row maps with it.
func Merge(findings []Finding) []Finding {
	var order []string
	groups := map[string][]Finding{}
	for _, f := range findings {
		if _, ok := groups[f.ID]; !ok {
			order = append(order, f.ID)
		}
		groups[f.ID] = append(groups[f.ID], f)
	}
	out := make([]Finding, 0, len(order))
	for _, id := range order {
		out = append(out, mergeGroup(groups[id]))
	}
	return out
}

func mergeGroup(fs []Finding) Finding {
	m := fs[0]
	m.Entities, m.IOCs, m.Evidence, m.Timeline = nil, nil, nil, nil
	m.Recommendations, m.Actions, m.AlsoProducedBy, m.UnverifiedReasons = nil, nil, nil, nil
	m.Confidence.Reasons = nil
	var ev evidenceMerger
	var iocs ioc.Set
	for i, f := range fs {
		if i > 0 {
			mergeHeader(&m, f)
		}
		refs := ev.add(f.Evidence)
		m.Entities = appendEntities(m.Entities, f.Entities)
		for _, x := range f.IOCs {
			if x.FirstSeen != nil {
				c := *x.FirstSeen
				c.Evidence, c.Row = refs.at(c.Evidence, c.Row)
				x.FirstSeen = &c
			}
			iocs.Add(x)
		}
		for _, e := range f.Timeline {
			if e.Row != nil {
				r := RowRef{}
				r.Evidence, r.Row = refs.at(e.Row.Evidence, e.Row.Row)
				e.Row = &r
			}
			m.Timeline = append(m.Timeline, e)
		}
		m.Confidence.Reasons = appendUnique(m.Confidence.Reasons, f.Confidence.Reasons...)
		m.UnverifiedReasons = appendUnique(m.UnverifiedReasons, f.UnverifiedReasons...)
		m.Recommendations = appendRecommendations(m.Recommendations, f.Recommendations)
		m.Actions = appendActions(m.Actions, f.Actions)
	}
	m.Evidence = ev.list
	m.IOCs = iocs.List()
	m.Timeline = sortTimeline(m.Timeline)
	return m
}

// mergeHeader folds the scalar fields of f into m.
func mergeHeader(m *Finding, f Finding) {
	if m.Title == "" {
		m.Title = f.Title
	}
	if m.Description == "" {
		m.Description = f.Description
	}
	if m.Tactic == nil && m.Technique == nil && m.SubTechnique == nil {
		m.Tactic, m.Technique, m.SubTechnique = f.Tactic, f.Technique, f.SubTechnique
	}
	if f.Severity.Rank() > m.Severity.Rank() {
		m.Severity = f.Severity
	}
	if f.Confidence.Level.Rank() > m.Confidence.Level.Rank() {
		m.Confidence.Level = f.Confidence.Level
	}
	m.Confidence.Score = max(m.Confidence.Score, f.Confidence.Score)
	m.RiskScore = max(m.RiskScore, f.RiskScore)
	m.Verified = m.Verified && f.Verified
	if !f.FirstSeen.IsZero() && (m.FirstSeen.IsZero() || f.FirstSeen.Before(m.FirstSeen)) {
		m.FirstSeen = f.FirstSeen
	}
	if f.LastSeen.After(m.LastSeen) {
		m.LastSeen = f.LastSeen
	}
	for _, p := range append([]Producer{f.Producer}, f.AlsoProducedBy...) {
		if !hasProducer(*m, p) {
			m.AlsoProducedBy = append(m.AlsoProducedBy, p)
		}
	}
}

func hasProducer(f Finding, p Producer) bool {
	if f.Producer == p {
		return true
	}
	for _, q := range f.AlsoProducedBy {
		if q == p {
			return true
		}
	}
	return false
}

// evidenceMerger accumulates evidence, sharing entries between identical
// queries and rows between identical rows.
type evidenceMerger struct {
	list []Evidence
	rows []map[string]int // per entry: row key → index
}

// rowMap translates one finding's evidence and row indexes.
type rowMap []struct {
	evidence int
	rows     []int
}

// at maps an (evidence, row) pair; indexes out of range are kept as they
// were, for Validate to report.
func (r rowMap) at(e, row int) (int, int) {
	if e < 0 || e >= len(r) {
		return e, row
	}
	if row < 0 || row >= len(r[e].rows) {
		return r[e].evidence, row
	}
	return r[e].evidence, r[e].rows[row]
}

// add merges evs into the list and says where their rows went.
func (m *evidenceMerger) add(evs []Evidence) rowMap {
	out := make(rowMap, len(evs))
	for i, e := range evs {
		j := m.entry(e)
		dst := &m.list[j]
		out[i].evidence = j
		for r, row := range e.Rows {
			k := rowKey(e, r)
			n, ok := m.rows[j][k]
			if !ok {
				n = len(dst.Rows)
				m.rows[j][k] = n
				dst.Rows = append(dst.Rows, row)
				if r < len(e.RowIDs) && len(dst.RowIDs) == n {
					dst.RowIDs = append(dst.RowIDs, e.RowIDs[r])
				}
			}
			out[i].rows = append(out[i].rows, n)
		}
		for _, c := range e.Columns {
			if !containsString(dst.Columns, c) {
				dst.Columns = append(dst.Columns, c)
			}
		}
		dst.Count = max(dst.Count, e.Count)
	}
	return out
}

func (m *evidenceMerger) entry(e Evidence) int {
	for j, x := range m.list {
		if x.Table == e.Table && x.Query == e.Query && x.Source == e.Source {
			return j
		}
	}
	m.list = append(m.list, Evidence{Table: e.Table, Query: e.Query, Source: e.Source,
		Columns: append([]string(nil), e.Columns...)})
	m.rows = append(m.rows, map[string]int{})
	return len(m.list) - 1
}

// rowKey identifies a row by its id when it has one, else by its content.
func rowKey(e Evidence, r int) string {
	if r < len(e.RowIDs) && len(e.RowIDs) == len(e.Rows) && e.RowIDs[r].ID != "" {
		return "id\x00" + e.RowIDs[r].Column + "\x00" + e.RowIDs[r].ID
	}
	b, _ := json.Marshal(e.Rows[r]) // map keys are sorted
	return "row\x00" + string(b)
}

func appendEntities(dst, src []Entity) []Entity {
	for _, e := range src {
		i := -1
		for j, d := range dst {
			if d.Type == e.Type && d.Role == e.Role && strings.EqualFold(d.Value, e.Value) {
				i = j
				break
			}
		}
		if i < 0 {
			e.Props = copyProps(e.Props, nil)
			dst = append(dst, e)
			continue
		}
		dst[i].Props = copyProps(dst[i].Props, e.Props)
	}
	return dst
}

// copyProps returns a fresh map with a's entries and b's for keys a lacks.
func copyProps(a, b map[string]string) map[string]string {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	out := make(map[string]string, len(a)+len(b))
	for k, v := range b {
		out[k] = v
	}
	for k, v := range a {
		out[k] = v
	}
	return out
}

func appendRecommendations(dst, src []Recommendation) []Recommendation {
	for _, r := range src {
		dup := false
		for _, d := range dst {
			if d.Kind == r.Kind && d.MitigationID == r.MitigationID && strings.EqualFold(d.Text, r.Text) {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, r)
		}
	}
	return dst
}

func appendActions(dst, src []Action) []Action {
	for _, a := range src {
		dup := false
		for _, d := range dst {
			if d.Action == a.Action && strings.EqualFold(d.Target, a.Target) {
				dup = true
				break
			}
		}
		if !dup {
			a.Params = copyProps(a.Params, nil)
			dst = append(dst, a)
		}
	}
	return dst
}

// sortTimeline orders events by time, then table, summary and entity, and
// drops events equal in all four.
func sortTimeline(es []Event) []Event {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		if a.Table != b.Table {
			return a.Table < b.Table
		}
		if a.Summary != b.Summary {
			return a.Summary < b.Summary
		}
		return a.Entity < b.Entity
	})
	out := es[:0]
	for i, e := range es {
		if i > 0 {
			p := out[len(out)-1]
			if p.Time.Equal(e.Time) && p.Table == e.Table && p.Summary == e.Summary && p.Entity == e.Entity {
				if p.Row == nil && e.Row != nil {
					out[len(out)-1].Row = e.Row
				}
				continue
			}
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func appendUnique(dst []string, src ...string) []string {
	for _, s := range src {
		if !containsString(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
