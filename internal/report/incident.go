package report

// This file defines an incident report's input and works out the views
// that the Markdown and HTML renderings share: severity counts, affected
// assets, the ATT&CK table and the merged timeline.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

// Incident is what an incident report is made from.
type Incident struct {
	Title      string    // default "Threat hunt report"
	Request    string    // what the analyst asked, in their words
	Asked      time.Time // when
	Generated  time.Time // when the report was written; omitted when zero
	Start, End time.Time // the time range hunted
	Sources    []string  // data sources: "mde", workspace ids, "lab:<dataset>"
	Findings   []finding.Finding
	Queries    []QueryRun
	Assets     []Asset // known devices; others are shown without role
	// MaxEvidenceRows caps the rows shown per evidence entry (default 20).
	MaxEvidenceRows int
}

// Asset is what the organisation knows about a device.
type Asset struct {
	Device      string // name or FQDN; matched case-insensitively, also by host name
	Role        string // "domain controller"
	Criticality int    // 0–5, as finding.Score takes it
}

const (
	defaultTitle      = "Threat hunt report"
	defaultReportRows = 20
	reportCellMax     = 120 // runes of an evidence cell in a report
)

// view is an Incident prepared for rendering.
type view struct {
	Incident
	findings []finding.Finding // ordered by severity, then risk
	counts   map[finding.Severity]int
}

func newView(in Incident) *view {
	if in.Title == "" {
		in.Title = defaultTitle
	}
	if in.MaxEvidenceRows <= 0 {
		in.MaxEvidenceRows = defaultReportRows
	}
	v := &view{Incident: in, counts: map[finding.Severity]int{}}
	v.findings = append([]finding.Finding(nil), in.Findings...)
	sort.SliceStable(v.findings, func(a, b int) bool {
		fa, fb := v.findings[a], v.findings[b]
		if ra, rb := fa.Severity.Rank(), fb.Severity.Rank(); ra != rb {
			return ra > rb
		}
		return fa.RiskScore > fb.RiskScore
	})
	for _, f := range v.findings {
		v.counts[f.Severity]++
	}
	return v
}

// ref is the short name of the i-th finding in the report: F1, F2…
func ref(i int) string { return fmt.Sprintf("F%d", i+1) }

// timeRange prints the hunted range.
func (v *view) timeRange() string {
	if v.Start.IsZero() && v.End.IsZero() {
		return "—"
	}
	return formatTime(v.Start) + " → " + formatTime(v.End)
}

// queryTotals prints "12 queries, 1 failed, 3,204 rows".
func (v *view) queryTotals() string {
	s := NewStats(nil, v.Queries, 0)
	out := fmt.Sprintf("%d %s over %d %s, %s %s", s.Queries, pluralWord(s.Queries, "query", "queries"),
		s.Hunts, pluralWord(s.Hunts, "hunt", "hunts"), groupDigits(s.Rows), pluralWord(s.Rows, "row", "rows"))
	if s.Failed > 0 {
		out += fmt.Sprintf(", %d failed", s.Failed)
	}
	return out
}

func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// assetRow is a line of the affected assets table.
type assetRow struct {
	Device, Role, Criticality string
	Findings                  int
	Highest                   finding.Severity
}

// assets lists the devices the findings name, most severe first.
func (v *view) assets() []assetRow {
	index := map[string]int{}
	var rows []assetRow
	for _, f := range v.findings {
		seen := map[int]bool{}
		for _, e := range f.Entities {
			if e.Type != finding.EntityDevice {
				continue
			}
			k := strings.ToLower(e.Value)
			i, ok := index[k]
			if !ok {
				i = len(rows)
				index[k] = i
				rows = append(rows, v.assetFor(e.Value))
			}
			if !seen[i] {
				seen[i] = true
				rows[i].Findings++
				if f.Severity.Rank() > rows[i].Highest.Rank() {
					rows[i].Highest = f.Severity
				}
			}
		}
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if ra, rb := rows[a].Highest.Rank(), rows[b].Highest.Rank(); ra != rb {
			return ra > rb
		}
		if rows[a].Findings != rows[b].Findings {
			return rows[a].Findings > rows[b].Findings
		}
		return rows[a].Device < rows[b].Device
	})
	return rows
}

// assetFor finds what is known about a device: by exact name first, then
// by host name (ws01 matches ws01.contoso.example).
func (v *view) assetFor(device string) assetRow {
	host := func(s string) string { h, _, _ := strings.Cut(strings.ToLower(s), "."); return h }
	row := assetRow{Device: device, Role: "—", Criticality: "—"}
	match := -1
	for i, a := range v.Assets {
		if strings.EqualFold(a.Device, device) {
			match = i
			break
		}
		if match < 0 && host(a.Device) == host(device) {
			match = i
		}
	}
	if match >= 0 {
		a := v.Assets[match]
		if a.Role != "" {
			row.Role = a.Role
		}
		row.Criticality = fmt.Sprintf("%d/5", a.Criticality)
	}
	return row
}

// attackRow is a line of the ATT&CK table.
type attackRow struct {
	Tactic, TacticID string
	Technique        string // "T1003.001 OS Credential Dumping: LSASS Memory"
	TechniqueID      string
	Refs             []string // F1, F3
	order            int
}

// attackRows groups the findings by tactic and technique, in the order
// of the ATT&CK matrix; findings without a mapping are left out.
func (v *view) attackRows() []attackRow {
	cat := attack.Default()
	index := map[string]int{}
	var rows []attackRow
	for i, f := range v.findings {
		if f.Tactic == nil && f.Technique == nil {
			continue
		}
		r := attackRow{Technique: techniqueName(f), TechniqueID: f.AttackID(), order: 99}
		if f.Tactic != nil {
			r.Tactic, r.TacticID = f.Tactic.Name, f.Tactic.ID
			if t, ok := cat.Tactic(f.Tactic.ID); ok {
				r.order = t.Order
			}
		}
		k := r.TacticID + "/" + r.TechniqueID
		j, ok := index[k]
		if !ok {
			j = len(rows)
			index[k] = j
			rows = append(rows, r)
		}
		rows[j].Refs = append(rows[j].Refs, ref(i))
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].order != rows[b].order {
			return rows[a].order < rows[b].order
		}
		return rows[a].TechniqueID < rows[b].TechniqueID
	})
	return rows
}

// timelineRow is an event of the merged timeline.
type timelineRow struct {
	Time     time.Time
	Ref      string
	Finding  int
	Severity finding.Severity
	Entity   string
	Table    string
	Summary  string
}

// timeline merges the findings' events, sorted by time (then by finding);
// a finding without events contributes its first sighting.
func (v *view) timeline() []timelineRow {
	var rows []timelineRow
	for i, f := range v.findings {
		d := newDefanger(f)
		add := func(t time.Time, table, entity, summary string) {
			rows = append(rows, timelineRow{Time: t.UTC(), Ref: ref(i), Finding: i, Severity: f.Severity,
				Entity: d.text(entity), Table: table, Summary: d.text(summary)})
		}
		for _, e := range f.Timeline {
			add(e.Time, e.Table, e.Entity, e.Summary)
		}
		if len(f.Timeline) == 0 && !f.FirstSeen.IsZero() {
			add(f.FirstSeen, "", "", f.Title+" (first seen)")
		}
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if !rows[a].Time.Equal(rows[b].Time) {
			return rows[a].Time.Before(rows[b].Time)
		}
		return rows[a].Finding < rows[b].Finding
	})
	return rows
}

// sigmaProducers lists the Sigma rules behind a finding, for attribution.
func sigmaProducers(f finding.Finding) []finding.Producer {
	var out []finding.Producer
	for _, p := range producers(f) {
		if p.Kind == finding.ProducerSigma {
			out = append(out, p)
		}
	}
	return out
}

// evidenceCell prints an evidence cell for a report: indicators
// defanged, on one line, cut to reportCellMax runes.
func evidenceCell(d defanger, v any) string {
	return cut(oneLine(d.text(cellText(v))), reportCellMax)
}

// shownRows is how many rows of an evidence entry a report shows.
func (v *view) shownRows(ev finding.Evidence) int { return min(len(ev.Rows), v.MaxEvidenceRows) }
