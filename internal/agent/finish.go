package agent

// This file ends a run: the hunter's findings, the agent's and the
// suspicious-artefact finding are merged and cross-checked, and every
// finding whose evidence carries injected-looking text is flagged.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-hunt/vigil/internal/audit"
	"github.com/vigil-hunt/vigil/internal/finding"
)

// guardTitle names the injection guard as a producer.
const guardTitle = "prompt-injection guard"

func (r *run) finish(hunter []finding.Finding) {
	all := slices.Clone(hunter)
	all = append(all, r.res.Agent...)
	if af, ok := r.artefactFinding(); ok {
		all = append(all, af)
	}
	merged := finding.Merge(all)
	crossCheck(merged, hunter)
	for i := range merged {
		r.flagEvidence(&merged[i])
	}
	r.res.Findings = merged
	for _, f := range merged {
		r.audit(audit.KindFinding, map[string]any{"id": f.ID, "title": f.Title, "severity": string(f.Severity),
			"producer": string(f.Producer.Kind), "verified": f.Verified, "also_produced_by": len(f.AlsoProducedBy)})
	}
}

// crossCheck compares the merged findings with the hunter's. A finding
// the hunter produced keeps the hunter's verified status (the agent's
// dropped claims become confidence notes): the model cannot demote it.
func crossCheck(merged, hunter []finding.Finding) {
	verified := map[string]bool{}
	for _, h := range hunter {
		v, seen := verified[h.ID]
		verified[h.ID] = h.Verified && (v || !seen)
	}
	for i := range merged {
		f := &merged[i]
		hv, byHunter := verified[f.ID]
		byAgent := producedBy(*f, agentTitle)
		switch {
		case byHunter && byAgent:
			f.Confidence.Reasons = append(f.Confidence.Reasons, "corroborated: the deterministic hunter and the LLM agent both reported it")
			if hv && !f.Verified {
				for _, why := range f.UnverifiedReasons {
					f.Confidence.Reasons = append(f.Confidence.Reasons, "agent claim not supported by the evidence: "+why)
				}
				f.Verified, f.UnverifiedReasons = true, nil
			}
		case byAgent:
			f.Confidence.Reasons = append(f.Confidence.Reasons, "not corroborated by the deterministic hunter")
		}
	}
}

func producedBy(f finding.Finding, title string) bool {
	if f.Producer.Kind == finding.ProducerAgent && f.Producer.Title == title {
		return true
	}
	return slices.ContainsFunc(f.AlsoProducedBy, func(p finding.Producer) bool {
		return p.Kind == finding.ProducerAgent && p.Title == title
	})
}

// artefactFinding reports the injected-looking text the model was shown,
// so that it is on record whatever the model did with it.
func (r *run) artefactFinding() (finding.Finding, bool) {
	var handles []string
	for _, a := range r.res.Artefacts {
		if a.Handle != "" && !slices.Contains(handles, a.Handle) {
			handles = append(handles, a.Handle)
		}
	}
	if len(handles) == 0 {
		return finding.Finding{}, false
	}
	evs, _ := r.res.Evidence.evidenceFor(handles)
	f := finding.Finding{
		Title:       "Text addressed to an AI assistant in telemetry (possible prompt injection)",
		Description: "Log fields carry instructions aimed at an AI analyst. vigil passed them to the model as fenced, untrusted data and did not act on them. Someone wrote this text into the telemetry: find out who, and treat it as an attempt to evade AI-assisted triage.",
		Severity:    finding.Medium,
		Confidence:  finding.Confidence{Level: finding.LevelHigh, Score: 75, Reasons: []string{"pattern match on log text (" + guardTitle + ")"}},
		Evidence:    evs,
		Entities:    rowEntities(evs),
		Producer:    finding.Producer{Kind: finding.ProducerAgent, Title: guardTitle},
		Verified:    true,
	}
	for _, a := range r.res.Artefacts {
		if a.Handle != "" {
			f.Recommendations = appendRec(f.Recommendations, artefactText(a))
		}
	}
	f.FirstSeen, f.LastSeen = evidenceTimes(evs, r.now)
	f.RiskScore = finding.Score(f.Severity, f.Confidence, 0, 1)
	f.ID = f.ComputeID()
	if errs := finding.ValidateWith(r.a.deps.Attack, f); len(errs) > 0 {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("artefact finding invalid: %v", errs))
		return finding.Finding{}, false
	}
	return f, true
}

func artefactText(a Artefact) string {
	where := a.Table + "." + a.Column
	if a.Handle != "" {
		where = "row " + a.Handle + ", " + where
	}
	return fmt.Sprintf("%s%s %s: “%s”. It was treated as data, not obeyed.", ArtefactPrefix, where, a.Reason, a.Excerpt)
}

func appendRec(recs []finding.Recommendation, text string) []finding.Recommendation {
	for _, r := range recs {
		if r.Text == text {
			return recs
		}
	}
	return append(recs, finding.Recommendation{Kind: finding.KindNextStep, Text: text})
}

// rowEntities lists the devices and accounts of the rows.
func rowEntities(evs []finding.Evidence) []finding.Entity {
	var out []finding.Entity
	add := func(t finding.EntityType, v string) {
		v = strings.TrimSpace(v)
		if v == "" || slices.ContainsFunc(out, func(e finding.Entity) bool { return e.Type == t && strings.EqualFold(e.Value, v) }) {
			return
		}
		out = append(out, finding.Entity{Type: t, Role: finding.RoleRelated, Value: v})
	}
	for _, ev := range evs {
		for _, row := range ev.Rows {
			add(finding.EntityDevice, cellText(row["DeviceName"]))
			add(finding.EntityAccount, cellText(row["AccountName"]))
			add(finding.EntityAccount, cellText(row["UserPrincipalName"]))
		}
	}
	return out
}

// flagEvidence scans a finding's own evidence rows and flags every
// injected-looking value in the finding itself.
func (r *run) flagEvidence(f *finding.Finding) {
	flagged := false
	for _, ev := range f.Evidence {
		for _, row := range ev.Rows {
			for _, col := range sortedKeys(row) {
				for _, text := range leaves(row[col]) {
					why, at := detect(text)
					if why == "" {
						continue
					}
					a := Artefact{Table: ev.Table, Column: col, Reason: why, Excerpt: excerpt(text, at)}
					r.noteArtefact(a)
					f.Recommendations = appendRec(f.Recommendations, artefactText(a))
					flagged = true
					break
				}
			}
		}
	}
	if flagged && !slices.Contains(f.Confidence.Reasons, injectedNote) {
		f.Confidence.Reasons = append(f.Confidence.Reasons, injectedNote)
	}
}

const injectedNote = "its evidence carries text addressed to an AI; that text was treated as data"

// noteArtefact records an artefact found outside the model's results.
func (r *run) noteArtefact(a Artefact) {
	for _, b := range r.res.Artefacts {
		if b.Table == a.Table && b.Column == a.Column && b.Excerpt == a.Excerpt {
			return
		}
	}
	r.res.Artefacts = append(r.res.Artefacts, a)
}
