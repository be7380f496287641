package attack

// This file implements lookups of tactics, techniques and mitigations.

import (
	"fmt"
	"strings"
)

// normID upper-cases and trims an id: " t1003.001" → "T1003.001".
func normID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// tacticKey folds case, spaces and underscores: "Credential Access",
// "credential_access" and "credential-access" share a key.
func tacticKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "-", "_", "-").Replace(s)
}

// Tactic finds a tactic by id (TA0006), short name (credential-access) or
// name (Credential Access), ignoring case.
func (c *Catalog) Tactic(key string) (Tactic, bool) {
	i, ok := c.tacticKeys[tacticKey(key)]
	if !ok {
		return Tactic{}, false
	}
	return c.tactics[i], true
}

// Tactics lists the tactics in matrix order.
func (c *Catalog) Tactics() []Tactic { return append([]Tactic(nil), c.tactics...) }

// Technique finds a technique or sub-technique by id, ignoring case. Revoked
// and deprecated ids are found too: check Active, or use Resolve.
func (c *Catalog) Technique(id string) (Technique, bool) {
	i, ok := c.techByID[normID(id)]
	if !ok {
		return Technique{}, false
	}
	return clone(c.techniques[i]), true
}

func clone(t Technique) Technique {
	t.Tactics = append([]string(nil), t.Tactics...)
	return t
}

// Techniques lists every entry sorted by id, revoked and deprecated ones
// included.
func (c *Catalog) Techniques() []Technique {
	out := make([]Technique, len(c.techniques))
	for i, t := range c.techniques {
		out[i] = clone(t)
	}
	return out
}

// SubTechniques lists the active sub-techniques of a technique, by id.
func (c *Catalog) SubTechniques(id string) []Technique {
	var out []Technique
	for _, s := range c.subs[normID(id)] {
		t, _ := c.Technique(s)
		out = append(out, t)
	}
	return out
}

// LookupError says why Resolve refused an id.
type LookupError struct {
	ID        string
	Code      string // "UnknownTechnique", "RevokedTechnique" or "DeprecatedTechnique"
	RevokedBy string // the replacement for a revoked id
}

func (e *LookupError) Error() string {
	switch e.Code {
	case "RevokedTechnique":
		return fmt.Sprintf("technique %s was revoked by MITRE; use %s", e.ID, e.RevokedBy)
	case "DeprecatedTechnique":
		return fmt.Sprintf("technique %s is deprecated by MITRE and has no replacement", e.ID)
	}
	return fmt.Sprintf("unknown ATT&CK technique %s", e.ID)
}

// Resolve finds an active technique; a revoked, deprecated or unknown id
// gives a *LookupError (a revoked one names its replacement).
func (c *Catalog) Resolve(id string) (Technique, error) {
	id = normID(id)
	t, ok := c.Technique(id)
	switch {
	case !ok:
		return Technique{}, &LookupError{ID: id, Code: "UnknownTechnique"}
	case t.Revoked:
		return t, &LookupError{ID: id, Code: "RevokedTechnique", RevokedBy: t.RevokedBy}
	case t.Deprecated:
		return t, &LookupError{ID: id, Code: "DeprecatedTechnique"}
	}
	return t, nil
}

// InTactic reports whether an active technique sits under the tactic
// (given by id, short name or name).
func (c *Catalog) InTactic(techniqueID, tactic string) bool {
	tac, ok := c.Tactic(tactic)
	t, found := c.Technique(techniqueID)
	if !ok || !found {
		return false
	}
	for _, s := range t.Tactics {
		if s == tac.ShortName {
			return true
		}
	}
	return false
}

// Mitigation finds a mitigation by id (M1043).
func (c *Catalog) Mitigation(id string) (Mitigation, bool) {
	i, ok := c.mitByID[normID(id)]
	if !ok {
		return Mitigation{}, false
	}
	m := c.mitigations[i]
	m.Techniques = append([]string(nil), m.Techniques...)
	return m, true
}

// Mitigations lists the mitigations of a technique, by id. A sub-technique
// with none of its own falls back to its parent's.
func (c *Catalog) Mitigations(techniqueID string) []Mitigation {
	id := normID(techniqueID)
	idx := c.mitsOf[id]
	if len(idx) == 0 {
		if parent, _, isSub := strings.Cut(id, "."); isSub {
			idx = c.mitsOf[parent]
		}
	}
	out := make([]Mitigation, 0, len(idx))
	for _, i := range idx {
		m, _ := c.Mitigation(c.mitigations[i].ID)
		out = append(out, m)
	}
	return out
}

// AllMitigations lists every mitigation by id.
func (c *Catalog) AllMitigations() []Mitigation {
	out := make([]Mitigation, 0, len(c.mitigations))
	for _, m := range c.mitigations {
		mm, _ := c.Mitigation(m.ID)
		out = append(out, mm)
	}
	return out
}
