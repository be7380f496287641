package finding

// This file computes a finding's stable id.

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// ComputeID returns the id of what the finding is about: "F-" and 16 hex
// digits of a SHA-256 over the most specific ATT&CK id it names
// (sub-technique, technique, tactic, else its lower-cased title) and the
// sorted devices and accounts among its entities, lower-cased (all its
// entities when it names no device or account). Producers, times, scores
// and evidence are left out, so the hunter and the agent reporting the same
// technique on the same device and account get the same id and Merge folds
// them together.
func (f Finding) ComputeID() string {
	parts := []string{"v1", f.subject()}
	parts = append(parts, keyEntities(f.Entities)...)
	sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return "F-" + hex.EncodeToString(sum[:8])
}

func (f Finding) subject() string {
	for _, r := range []*AttackRef{f.SubTechnique, f.Technique, f.Tactic} {
		if r != nil && r.ID != "" {
			return "attack:" + strings.ToUpper(r.ID)
		}
	}
	return "title:" + strings.ToLower(strings.Join(strings.Fields(f.Title), " "))
}

func keyEntities(es []Entity) []string {
	var keys, all []string
	seen := map[string]bool{}
	for _, e := range es {
		k := string(e.Type) + ":" + strings.ToLower(strings.TrimSpace(e.Value))
		if seen[k] {
			continue
		}
		seen[k] = true
		all = append(all, k)
		if e.Type == EntityDevice || e.Type == EntityAccount {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		keys = all
	}
	sort.Strings(keys)
	return keys
}
