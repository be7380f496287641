package agent

// This file turns submit_findings into findings: every claim is checked in
// Go. Row handles must name rows returned in this run, technique ids must
// be in the ATT&CK catalog, and IOCs and entities must appear in the cited
// rows (finding.VerifyAgainstEvidence). What fails is dropped from the
// finding and listed in its unverified reasons, never shown as fact.

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-hunt/vigil/internal/finding"
	"github.com/vigil-hunt/vigil/internal/finding/ioc"
	"github.com/vigil-hunt/vigil/internal/llm"
)

// agentTitle names the agent as a producer.
const agentTitle = "LLM agent"

type submission struct {
	Findings []submitted `json:"findings"`
	Summary  string      `json:"summary"`
}

type submitted struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    string   `json:"severity"`
	Confidence  int      `json:"confidence"`
	Technique   *string  `json:"technique"`
	Tactic      *string  `json:"tactic"`
	Evidence    []string `json:"evidence"`
	Entities    []struct {
		Type  string `json:"type"`
		Role  string `json:"role"`
		Value string `json:"value"`
	} `json:"entities"`
	IOCs []struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"iocs"`
	NextSteps []string `json:"next_steps"`
}

func (r *run) submit(call llm.ToolCall) toolOutput {
	var s submission
	if err := call.Decode(&s); err != nil {
		return errorOutput(err.Error() + "; fix the arguments and call submit_findings again")
	}
	accepted := 0
	for _, sf := range s.Findings {
		f, err := r.convert(sf)
		if err != nil {
			r.res.Dropped = append(r.res.Dropped, Dropped{Title: cell(sf.Title, 120), Reason: err.Error()})
			continue
		}
		r.res.Agent = append(r.res.Agent, f)
		accepted++
	}
	r.res.Summary = cell(s.Summary, 1000)
	r.res.Submitted = true
	return toolOutput{text: fmt.Sprintf("received: %d findings accepted, %d dropped", accepted, len(s.Findings)-accepted)}
}

// convert builds and checks one finding. It fails when nothing of the
// finding can stand: no title, no cited row, an invalid severity.
func (r *run) convert(sf submitted) (finding.Finding, error) {
	title := strings.TrimSpace(sf.Title)
	if title == "" {
		return finding.Finding{}, errors.New("no title")
	}
	evs, unknown := r.res.Evidence.evidenceFor(sf.Evidence)
	if len(evs) == 0 {
		return finding.Finding{}, fmt.Errorf("cites no row returned in this run (evidence %q)", sf.Evidence)
	}
	score := min(max(sf.Confidence, 0), 100)
	f := finding.Finding{
		Title:       cell(title, 200),
		Description: cell(sf.Description, 2000),
		Severity:    finding.Severity(strings.ToLower(strings.TrimSpace(sf.Severity))),
		Confidence:  finding.Confidence{Level: finding.LevelFor(score), Score: score, Reasons: []string{"reported by the LLM agent (" + r.model + ")"}},
		Evidence:    evs,
		Producer:    finding.Producer{Kind: finding.ProducerAgent, Model: r.model, Title: agentTitle},
	}
	if f.Severity.Rank() == 0 {
		return finding.Finding{}, fmt.Errorf("invalid severity %q", cell(sf.Severity, 20))
	}
	var reasons []string
	for _, h := range unknown {
		reasons = append(reasons, fmt.Sprintf("row handle %q was never returned; ignored", cell(h, 20)))
	}
	reasons = append(reasons, r.setAttack(&f, sf)...)
	reasons = append(reasons, claims(&f, sf, evidenceRows(evs))...)
	us := finding.VerifyAgainstEvidence(f)
	for _, u := range us {
		reasons = append(reasons, u.String()+"; dropped")
	}
	f.DropUnverified(us)
	f.Verified, f.UnverifiedReasons = len(reasons) == 0, reasons
	f.FirstSeen, f.LastSeen = evidenceTimes(evs, r.now)
	for i, s := range sf.NextSteps {
		if i == 5 || strings.TrimSpace(s) == "" {
			continue
		}
		f.Recommendations = append(f.Recommendations, finding.Recommendation{Kind: finding.KindNextStep, Text: cell(s, 300)})
	}
	f.RiskScore = finding.Score(f.Severity, f.Confidence, r.criticality(f), 0.5)
	f.ID = f.ComputeID()
	if errs := finding.ValidateWith(r.a.deps.Attack, f); len(errs) > 0 {
		return finding.Finding{}, errors.Join(errs...)
	}
	return f, nil
}

// setAttack resolves the technique against the catalog; a tactic that
// does not fit is retried as unnamed. It returns the reasons for anything
// left out.
func (r *run) setAttack(f *finding.Finding, sf submitted) []string {
	if sf.Technique == nil || strings.TrimSpace(*sf.Technique) == "" {
		return nil
	}
	tech, tactic := strings.TrimSpace(*sf.Technique), ""
	if sf.Tactic != nil {
		tactic = strings.TrimSpace(*sf.Tactic)
	}
	err := f.SetAttack(r.a.deps.Attack, tech, tactic)
	if err != nil && tactic != "" {
		err = f.SetAttack(r.a.deps.Attack, tech, "")
	}
	if err != nil {
		f.Tactic, f.Technique, f.SubTechnique = nil, nil, nil
		return []string{"ATT&CK " + cell(tech, 20) + ": " + err.Error() + "; left out"}
	}
	return nil
}

// claims fills entities and IOCs, skipping malformed ones.
// Shortened values ("080dd354…") are expanded from rows first.
func claims(f *finding.Finding, sf submitted, rows []map[string]any) []string {
	var reasons []string
	for _, e := range sf.Entities {
		ent := finding.Entity{Type: finding.EntityType(e.Type), Role: finding.Role(e.Role), Value: expand(strings.TrimSpace(e.Value), rows)}
		if !oneOf(ent.Type, finding.EntityTypes) || (ent.Role != "" && !oneOf(ent.Role, finding.Roles)) || ent.Value == "" {
			reasons = append(reasons, fmt.Sprintf("malformed entity %s %q; dropped", cell(e.Type, 20), cell(e.Value, 80)))
			continue
		}
		f.Entities = append(f.Entities, ent)
	}
	for _, x := range sf.IOCs {
		i := ioc.IOC{Type: ioc.Type(x.Type), Value: ioc.Refang(expand(strings.TrimSpace(x.Value), rows))}
		if !oneOf(i.Type, ioc.Types) || i.Value == "" {
			reasons = append(reasons, fmt.Sprintf("malformed IOC %s %q; dropped", cell(x.Type, 20), cell(x.Value, 80)))
			continue
		}
		i.Defanged = ioc.Defang(i)
		f.IOCs = append(f.IOCs, i)
	}
	return reasons
}

func evidenceRows(evs []finding.Evidence) []map[string]any {
	var out []map[string]any
	for _, ev := range evs {
		out = append(out, ev.Rows...)
	}
	return out
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// evidenceTimes is the span of the rows' Timestamp or TimeGenerated;
// fallback for both when no row has one.
func evidenceTimes(evs []finding.Evidence, fallback time.Time) (first, last time.Time) {
	for _, ev := range evs {
		for _, row := range ev.Rows {
			for _, col := range []string{"Timestamp", "TimeGenerated"} {
				s, _ := row[col].(string)
				t, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					continue
				}
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
				break
			}
		}
	}
	if first.IsZero() {
		return fallback.UTC(), fallback.UTC()
	}
	return first, last
}

// criticality is the highest criticality entity_context reported for the
// finding's devices.
func (r *run) criticality(f finding.Finding) int {
	c := 0
	for _, e := range f.Entities {
		if info, ok := r.ents[strings.ToLower(e.Value)]; ok && e.Type == finding.EntityDevice {
			c = max(c, info.Criticality)
		}
	}
	return c
}
