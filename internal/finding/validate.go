package finding

// This file checks a finding against the model's rules and the ATT&CK
// catalog.

import (
	"fmt"
	"strings"

	"github.com/vigil-hunt/vigil/internal/finding/attack"
	"github.com/vigil-hunt/vigil/internal/finding/ioc"
)

// Error is one problem Validate found.
type Error struct {
	Field string // JSON path: "technique.id", "evidence[1].rows"
	Code  string // stable: "UnknownTechnique", "TacticMismatch", …
	Msg   string
}

func (e *Error) Error() string { return e.Field + ": " + e.Msg }

// Validate checks f against the catalog built into vigil; see ValidateWith.
func Validate(f Finding) []error { return ValidateWith(attack.Default(), f) }

// ValidateWith checks f: id, title, severity, confidence level and score,
// risk score and times; ATT&CK ids exist in c, are active (a revoked one
// names its replacement), are of the right kind, the sub-technique belongs
// to the technique and the technique to the tactic, and names match;
// hunter and Sigma findings carry evidence with a query; entities, IOCs,
// timeline row references, recommendations, actions and the producer are
// well formed. It returns every problem, nil when there is none.
func ValidateWith(c *attack.Catalog, f Finding) []error {
	v := &validator{cat: c}
	v.header(f)
	v.attack(f)
	v.evidence(f)
	v.parts(f)
	v.producer(f.Producer, "producer")
	for i, p := range f.AlsoProducedBy {
		v.producer(p, fmt.Sprintf("also_produced_by[%d]", i))
	}
	return v.errs
}

type validator struct {
	cat  *attack.Catalog
	errs []error
}

func (v *validator) add(field, code, format string, args ...any) {
	v.errs = append(v.errs, &Error{Field: field, Code: code, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) header(f Finding) {
	if strings.TrimSpace(f.ID) == "" {
		v.add("id", "MissingID", "id is empty (use ComputeID)")
	}
	if strings.TrimSpace(f.Title) == "" {
		v.add("title", "MissingTitle", "title is empty")
	}
	if f.Severity.Rank() == 0 {
		v.add("severity", "InvalidSeverity", "severity %q is not one of informational, low, medium, high, critical", f.Severity)
	}
	if f.Confidence.Level.Rank() == 0 {
		v.add("confidence.level", "InvalidConfidence", "confidence level %q is not one of low, medium, high", f.Confidence.Level)
	}
	if f.Confidence.Score < 0 || f.Confidence.Score > 100 {
		v.add("confidence.score", "InvalidConfidence", "confidence score %d is outside 0–100", f.Confidence.Score)
	}
	if f.RiskScore < 0 || f.RiskScore > 100 {
		v.add("risk_score", "InvalidRiskScore", "risk score %d is outside 0–100", f.RiskScore)
	}
	if f.FirstSeen.IsZero() || f.LastSeen.IsZero() {
		v.add("first_seen", "MissingTime", "first_seen and last_seen are required")
	} else if f.LastSeen.Before(f.FirstSeen) {
		v.add("last_seen", "InvalidTime", "last_seen %s is before first_seen %s", f.LastSeen, f.FirstSeen)
	}
	if !f.Verified && len(f.UnverifiedReasons) == 0 && f.Producer.Kind == ProducerAgent {
		v.add("unverified_reasons", "MissingReason", "an unverified finding must say why")
	}
}

func (v *validator) attack(f Finding) {
	tactic := v.tactic(f.Tactic)
	tech := v.technique(f.Technique, "technique", false)
	sub := v.technique(f.SubTechnique, "sub_technique", true)
	if sub != nil {
		switch {
		case tech == nil && f.Technique == nil:
			v.add("technique", "MissingTechnique", "sub-technique %s needs its parent %s as technique", sub.ID, sub.Parent)
		case tech != nil && sub.Parent != tech.ID:
			v.add("sub_technique.id", "ParentMismatch", "sub-technique %s belongs to %s, not %s", sub.ID, sub.Parent, tech.ID)
		}
	}
	most := sub
	if most == nil {
		most = tech
	}
	if most != nil && tactic != nil && !v.cat.InTactic(most.ID, tactic.ID) {
		v.add("tactic.id", "TacticMismatch", "technique %s (%s) is not under tactic %s (%s); it is under %s",
			most.ID, most.Name, tactic.ID, tactic.Name, strings.Join(most.Tactics, ", "))
	}
	if most != nil && f.Tactic == nil {
		v.add("tactic", "MissingTactic", "technique %s needs the tactic it was used for", most.ID)
	}
}

func (v *validator) tactic(r *AttackRef) *attack.Tactic {
	if r == nil {
		return nil
	}
	t, ok := v.cat.Tactic(r.ID)
	if !ok || !strings.HasPrefix(strings.ToUpper(r.ID), "TA") {
		v.add("tactic.id", "UnknownTactic", "unknown ATT&CK tactic id %q", r.ID)
		return nil
	}
	if r.Name != "" && !strings.EqualFold(r.Name, t.Name) {
		v.add("tactic.name", "NameMismatch", "tactic %s is %q, not %q", t.ID, t.Name, r.Name)
	}
	return &t
}

func (v *validator) technique(r *AttackRef, field string, wantSub bool) *attack.Technique {
	if r == nil {
		return nil
	}
	t, err := v.cat.Resolve(r.ID)
	if err != nil {
		code := "UnknownTechnique"
		if le, ok := err.(*attack.LookupError); ok {
			code = le.Code
		}
		v.add(field+".id", code, "%v", err)
		return nil
	}
	if t.IsSub != wantSub {
		v.add(field+".id", "WrongTechniqueKind", "%s is a %s", t.ID, map[bool]string{true: "sub-technique", false: "technique"}[t.IsSub])
		return nil
	}
	if r.Name != "" && !strings.EqualFold(r.Name, t.Name) {
		v.add(field+".name", "NameMismatch", "%s is %q, not %q", t.ID, t.Name, r.Name)
	}
	return &t
}

func (v *validator) evidence(f Finding) {
	needs := f.Producer.Kind == ProducerHunter || f.Producer.Kind == ProducerSigma
	if needs && len(f.Evidence) == 0 {
		v.add("evidence", "MissingEvidence", "%s findings must carry the evidence they were drawn from", f.Producer.Kind)
	}
	for i, e := range f.Evidence {
		p := fmt.Sprintf("evidence[%d]", i)
		if strings.TrimSpace(e.Query) == "" {
			v.add(p+".query", "MissingQuery", "evidence must keep the exact query")
		}
		if strings.TrimSpace(e.Table) == "" {
			v.add(p+".table", "MissingTable", "evidence must name its table")
		}
		if needs && len(e.Rows) == 0 {
			v.add(p+".rows", "MissingRows", "evidence of a %s finding must keep its rows", f.Producer.Kind)
		}
		if e.Count < len(e.Rows) {
			v.add(p+".count", "InvalidCount", "count %d is less than the %d rows kept", e.Count, len(e.Rows))
		}
		if len(e.RowIDs) != 0 && len(e.RowIDs) != len(e.Rows) {
			v.add(p+".row_ids", "InvalidRowIDs", "%d row ids for %d rows", len(e.RowIDs), len(e.Rows))
		}
	}
}

// parts checks entities, IOCs, the timeline, recommendations and actions.
func (v *validator) parts(f Finding) {
	for i, e := range f.Entities {
		p := fmt.Sprintf("entities[%d]", i)
		if !oneOf(e.Type, EntityTypes) {
			v.add(p+".type", "InvalidEntity", "unknown entity type %q", e.Type)
		}
		if e.Role != "" && !oneOf(e.Role, Roles) {
			v.add(p+".role", "InvalidEntity", "unknown role %q", e.Role)
		}
		if strings.TrimSpace(e.Value) == "" {
			v.add(p+".value", "InvalidEntity", "entity value is empty")
		}
	}
	for i, x := range f.IOCs {
		if !oneOf(x.Type, ioc.Types) || strings.TrimSpace(x.Value) == "" {
			v.add(fmt.Sprintf("iocs[%d]", i), "InvalidIOC", "IOC %q of type %q", x.Value, x.Type)
		}
		if c := x.FirstSeen; c != nil && !rowExists(f.Evidence, c.Evidence, c.Row) {
			v.add(fmt.Sprintf("iocs[%d].first_seen", i), "DanglingRow", "no evidence row %d/%d", c.Evidence, c.Row)
		}
	}
	for i, e := range f.Timeline {
		p := fmt.Sprintf("timeline[%d]", i)
		if e.Time.IsZero() || strings.TrimSpace(e.Summary) == "" {
			v.add(p, "InvalidEvent", "timeline events need a time and a summary")
		}
		if e.Row != nil && !rowExists(f.Evidence, e.Row.Evidence, e.Row.Row) {
			v.add(p+".row", "DanglingRow", "no evidence row %d/%d", e.Row.Evidence, e.Row.Row)
		}
	}
	for i, r := range f.Recommendations {
		v.recommendation(fmt.Sprintf("recommendations[%d]", i), r)
	}
	for i, a := range f.Actions {
		p := fmt.Sprintf("proposed_actions[%d]", i)
		if !oneOf(a.Action, ActionKinds) {
			v.add(p+".action", "InvalidAction", "unknown action %q", a.Action)
		}
		if strings.TrimSpace(a.Target) == "" {
			v.add(p+".target", "InvalidAction", "action %s has no target", a.Action)
		}
	}
}

func (v *validator) recommendation(p string, r Recommendation) {
	if r.Kind != KindMitigation && r.Kind != KindNextStep {
		v.add(p+".kind", "InvalidRecommendation", "kind %q is not mitigation or next_step", r.Kind)
	}
	if strings.TrimSpace(r.Text) == "" {
		v.add(p+".text", "InvalidRecommendation", "recommendation text is empty")
	}
	if r.MitigationID != "" {
		if _, ok := v.cat.Mitigation(r.MitigationID); !ok {
			v.add(p+".mitigation_id", "UnknownMitigation", "unknown ATT&CK mitigation %q", r.MitigationID)
		}
	}
}

func (v *validator) producer(p Producer, field string) {
	switch p.Kind {
	case ProducerHunter:
		if p.HuntID == "" {
			v.add(field+".hunt_id", "InvalidProducer", "hunter findings name their hunt")
		}
	case ProducerSigma:
		if p.RuleID == "" || p.Author == "" || p.Link == "" {
			v.add(field, "MissingAttribution", "Sigma findings must carry the rule id, author and link (Detection Rule License)")
		}
	case ProducerAgent:
	default:
		v.add(field+".kind", "InvalidProducer", "producer kind %q is not hunter, agent or sigma", p.Kind)
	}
}

func rowExists(evs []Evidence, e, r int) bool {
	return e >= 0 && e < len(evs) && r >= 0 && r < len(evs[e].Rows)
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
