package finding

// This file fills a finding's ATT&CK fields from the catalog.

import (
	"fmt"

	"github.com/vigil-hunt/vigil/internal/finding/attack"
)

// SetAttack fills Tactic, Technique and SubTechnique with ids and names
// from the catalog. techniqueID may name a technique or a sub-technique;
// tactic (id, short name or name) may be empty when the technique sits
// under one tactic only. A revoked id is refused with its replacement.
func (f *Finding) SetAttack(c *attack.Catalog, techniqueID, tactic string) error {
	t, err := c.Resolve(techniqueID)
	if err != nil {
		return err
	}
	if tactic == "" {
		if len(t.Tactics) != 1 {
			return fmt.Errorf("technique %s sits under %d tactics; name one", t.ID, len(t.Tactics))
		}
		tactic = t.Tactics[0]
	}
	tac, ok := c.Tactic(tactic)
	if !ok {
		return fmt.Errorf("unknown ATT&CK tactic %q", tactic)
	}
	if !c.InTactic(t.ID, tac.ID) {
		return fmt.Errorf("technique %s is not under tactic %s (%s)", t.ID, tac.ID, tac.Name)
	}
	f.Tactic = &AttackRef{ID: tac.ID, Name: tac.Name}
	f.SubTechnique = nil
	if t.IsSub {
		f.SubTechnique = &AttackRef{ID: t.ID, Name: t.Name}
		t, _ = c.Technique(t.Parent)
	}
	f.Technique = &AttackRef{ID: t.ID, Name: t.Name}
	return nil
}

// AttackID is the most specific technique id of the finding, or "".
func (f Finding) AttackID() string {
	if f.SubTechnique != nil {
		return f.SubTechnique.ID
	}
	if f.Technique != nil {
		return f.Technique.ID
	}
	return ""
}

// MitigationAdvice returns one mitigation recommendation per ATT&CK
// mitigation of the finding's technique (a sub-technique falls back to its
// parent's), text being the mitigation's name.
func MitigationAdvice(c *attack.Catalog, f Finding) []Recommendation {
	var out []Recommendation
	for _, m := range c.Mitigations(f.AttackID()) {
		out = append(out, Recommendation{Kind: KindMitigation, Text: m.Name, MitigationID: m.ID})
	}
	return out
}
