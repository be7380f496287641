package report

// This file writes an incident report as one self-contained HTML page:
// inline CSS, an inline SVG timeline, no scripts, fonts or remote
// resources (a Content-Security-Policy forbids them), escaped by
// html/template.

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

//go:embed incident.html.tmpl
var incidentTemplate string

var htmlTemplate = template.Must(template.New("incident").Funcs(template.FuncMap{
	"n": func(f float64) string { return fmt.Sprintf("%.1f", f) },
}).Parse(incidentTemplate))

// WriteHTML writes the incident report as a single HTML file that reads
// offline and prints cleanly. Like WriteMarkdown it defangs indicators
// and makes control characters visible.
func WriteHTML(w io.Writer, in Incident) error {
	return htmlTemplate.Execute(w, newView(in).page())
}

type htmlPage struct {
	Title, Request, Asked, Generated, TimeRange, Sources, Queries, Found string
	Counts                                                               []htmlCount
	Assets                                                               []assetRow
	Attack                                                               []htmlAttack
	Timeline                                                             []htmlEvent
	Chart                                                                *chart
	Findings                                                             []htmlFinding
	Runs                                                                 []htmlQuery
	Notice                                                               string
}

type htmlCount struct {
	Sev string
	N   int
}

type htmlAttack struct {
	Tactic, TacticURL, Technique, TechniqueURL string
	Refs                                       []htmlRef
}

type htmlRef struct{ Ref, Anchor string }

type htmlEvent struct {
	Time, Ref, Anchor, Sev, Entity, Summary, Table string
}

type htmlFinding struct {
	Ref, Anchor, Sev, Title, ID, Risk, Confidence, Seen string
	Tactic, TacticURL, Technique, TechniqueURL          string
	Reasons, Unverified, Description                    []string
	Producers                                           []htmlProducer
	Entities                                            [][3]string // type, role, value
	IOCs                                                [][3]string // type, defanged, tags
	Evidence                                            []htmlEvidence
	Steps                                               []string
	Mitigations                                         []htmlMitigation
	Actions                                             [][4]string // action, target, params, reason
}

// htmlProducer names a producer; Sigma rules carry their attribution.
type htmlProducer struct {
	Text                         string
	Sigma                        bool
	Title, Author, Link, License string
}

type htmlEvidence struct {
	N                   int
	Table, About, Query string
	Columns             []string
	Rows                [][]htmlCell
	More                string
}

// htmlCell is a cut cell; Full holds the whole value when it was cut.
// Short cells without spaces (times, names, addresses) do not wrap.
type htmlCell struct {
	Text, Full string
	NoWrap     bool
}

type htmlMitigation struct{ ID, URL, Text string }

type htmlQuery struct {
	N                             int
	Hunt, Facts, Source, Err, KQL string
}

// safe prepares untrusted text for the page: controls and bidirectional
// overrides made visible. html/template does the HTML escaping.
func safe(s string) string { return termSafe(s) }

func (v *view) page() htmlPage {
	p := htmlPage{Title: safe(v.Title), Request: safe(v.Request), TimeRange: v.timeRange(),
		Sources: safe(strings.Join(v.Sources, ", ")), Queries: v.queryTotals(), Notice: attack.Notice,
		Found: fmt.Sprintf("%d (%s)", len(v.findings), severityCounts(v.counts)), Chart: v.newChart()}
	if !v.Asked.IsZero() {
		p.Asked = formatTime(v.Asked)
	}
	if !v.Generated.IsZero() {
		p.Generated = formatTime(v.Generated)
	}
	for _, s := range severitiesDown() {
		p.Counts = append(p.Counts, htmlCount{string(s), v.counts[s]})
	}
	for _, a := range v.assets() {
		a.Device, a.Role = safe(a.Device), safe(a.Role)
		p.Assets = append(p.Assets, a)
	}
	for _, r := range v.attackRows() {
		a := htmlAttack{Tactic: r.Tactic, Technique: r.Technique, TechniqueURL: attackURL(r.TechniqueID)}
		if r.TacticID != "" {
			a.Tactic, a.TacticURL = r.Tactic+" ("+r.TacticID+")", attackURL(r.TacticID)
		}
		for _, ref := range r.Refs {
			a.Refs = append(a.Refs, htmlRef{ref, "#" + strings.ToLower(ref)})
		}
		p.Attack = append(p.Attack, a)
	}
	for _, e := range v.timeline() {
		p.Timeline = append(p.Timeline, htmlEvent{Time: formatTime(e.Time), Ref: e.Ref, Anchor: "#" + anchor(e.Finding),
			Sev: string(e.Severity), Entity: safe(e.Entity), Summary: safe(e.Summary), Table: safe(e.Table)})
	}
	for i, f := range v.findings {
		p.Findings = append(p.Findings, v.htmlFinding(i, f))
	}
	for i, q := range v.Queries {
		p.Runs = append(p.Runs, htmlRun(i, q))
	}
	return p
}

func (v *view) htmlFinding(i int, f finding.Finding) htmlFinding {
	d := newDefanger(f)
	h := htmlFinding{Ref: ref(i), Anchor: anchor(i), Sev: string(f.Severity), Title: safe(d.text(f.Title)),
		ID: safe(f.ID), Risk: fmt.Sprintf("%d/100", f.RiskScore), Confidence: confidenceText(f.Confidence),
		Seen: formatSpan(f.FirstSeen, f.LastSeen)}
	if f.Tactic != nil {
		h.Tactic, h.TacticURL = f.Tactic.Name+" ("+f.Tactic.ID+")", attackURL(f.Tactic.ID)
	}
	if t := techniqueName(f); t != "" {
		h.Technique, h.TechniqueURL = t, attackURL(f.AttackID())
	}
	h.Reasons = mapStrings(f.Confidence.Reasons, func(s string) string { return safe(d.text(s)) })
	if !f.Verified {
		h.Unverified = mapStrings(f.UnverifiedReasons, func(s string) string { return safe(d.text(s)) })
	}
	if f.Description != "" {
		h.Description = mapStrings(strings.Split(d.text(f.Description), "\n"), safe)
	}
	for _, p := range producers(f) {
		h.Producers = append(h.Producers, htmlProducer{Text: safe(producerShort(p)), Sigma: p.Kind == finding.ProducerSigma,
			Title: safe(p.Title), Author: safe(p.Author), Link: p.Link, License: safe(p.License)})
	}
	for _, e := range f.Entities {
		h.Entities = append(h.Entities, [3]string{string(e.Type), string(e.Role), safe(d.entity(e))})
	}
	for _, x := range keyIOCs(f) {
		tags := make([]string, len(x.Tags))
		for j, t := range x.Tags {
			tags[j] = string(t)
		}
		h.IOCs = append(h.IOCs, [3]string{string(x.Type), safe(defangedOf(x)), strings.Join(tags, ", ")})
	}
	for e, ev := range f.Evidence {
		h.Evidence = append(h.Evidence, v.htmlEvidence(d, e, ev))
	}
	steps, mits := splitRecommendations(f.Recommendations)
	h.Steps = mapStrings(steps, func(r finding.Recommendation) string { return safe(d.text(r.Text)) })
	for _, m := range mits {
		hm := htmlMitigation{ID: m.MitigationID, Text: safe(m.Text)}
		if m.MitigationID != "" {
			hm.URL = attackURL(m.MitigationID)
		}
		h.Mitigations = append(h.Mitigations, hm)
	}
	for _, a := range f.Actions {
		h.Actions = append(h.Actions, [4]string{safe(string(a.Action)), safe(d.text(a.Target)), safe(actionParams(a)), safe(d.text(a.Reason))})
	}
	return h
}

// noWrapMax is the longest cell kept on one line.
const noWrapMax = 40

func (v *view) htmlEvidence(d defanger, e int, ev finding.Evidence) htmlEvidence {
	n := max(ev.Count, len(ev.Rows))
	h := htmlEvidence{N: e + 1, Table: safe(ev.Table), Query: codeSafe(ev.Query),
		About: fmt.Sprintf("%s %s", groupDigits(n), pluralWord(n, "row", "rows"))}
	if ev.Source != "" {
		h.About += " from " + safe(ev.Source)
	}
	shown := v.shownRows(ev)
	if shown == 0 {
		return h
	}
	cols := evidenceColumns(ev)
	h.Columns = mapStrings(cols, safe)
	for _, row := range ev.Rows[:shown] {
		cells := make([]htmlCell, len(cols))
		for i, c := range cols {
			full := oneLine(safe(d.text(cellText(row[c]))))
			cells[i].Text = cut(full, reportCellMax)
			if cells[i].Text != full {
				cells[i].Full = cut(full, 4000)
			}
			cells[i].NoWrap = len(full) <= noWrapMax && !strings.Contains(full, " ")
		}
		h.Rows = append(h.Rows, cells)
	}
	if shown < n {
		h.More = fmt.Sprintf("Showing %d of %s rows.", shown, groupDigits(n))
	}
	return h
}

func htmlRun(i int, q QueryRun) htmlQuery {
	h := htmlQuery{N: i + 1, Hunt: safe(q.HuntID), Source: safe(q.Source), KQL: codeSafe(q.KQL),
		Facts: fmt.Sprintf("%s %s · %s", groupDigits(q.Rows), pluralWord(q.Rows, "row", "rows"), formatDuration(q.Duration))}
	if q.Err != nil {
		h.Err = safe(q.Err.Error())
	}
	return h
}

func mapStrings[T any](xs []T, f func(T) string) []string {
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
